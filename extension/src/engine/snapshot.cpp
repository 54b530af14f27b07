// Parsing and validating snapshot documents (see snapshot.hpp).
#include "snapshot.hpp"

#include "error.hpp"

#include <nlohmann/json.hpp>

namespace ender::engine {
namespace {

using json = nlohmann::json;

constexpr int supported_version = 1;

[[noreturn]] void bad(const std::string& path, const std::string& what) {
    throw error(sqlstate::invalid_parameter_value, "invalid snapshot document",
                "At " + path + ": " + what + ".",
                "Snapshot documents are described in docs/snapshot-format.md; ender_snapshot() "
                "writes them.");
}

// A reader over one JSON value that knows its path, for error messages.
class node {
public:
    node(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

    node field(const char* key) const {
        if (!value_.is_object()) bad(path_, "expected an object");
        auto it = value_.find(key);
        if (it == value_.end()) bad(path_, std::string("missing field \"") + key + "\"");
        return node(*it, path_ + "." + key);
    }
    std::string text(const char* key) const {
        node f = field(key);
        if (!f.value_.is_string()) bad(f.path_, "expected a string");
        return f.value_.get<std::string>();
    }
    opt_text optional_text(const char* key) const {
        node f = field(key);
        if (f.value_.is_null()) return std::nullopt;
        if (!f.value_.is_string()) bad(f.path_, "expected a string or null");
        return f.value_.get<std::string>();
    }
    bool boolean(const char* key) const {
        node f = field(key);
        if (!f.value_.is_boolean()) bad(f.path_, "expected true or false");
        return f.value_.get<bool>();
    }
    long long integer(const char* key) const {
        node f = field(key);
        if (!f.value_.is_number_integer()) bad(f.path_, "expected an integer");
        return f.value_.get<long long>();
    }
    // Each element of the array `key`, parsed by `parse`.
    template <typename F>
    auto list(const char* key, F&& parse) const {
        node f = field(key);
        if (!f.value_.is_array()) bad(f.path_, "expected an array");
        std::vector<decltype(parse(std::declval<node>()))> out;
        out.reserve(f.value_.size());
        for (std::size_t i = 0; i < f.value_.size(); ++i)
            out.push_back(parse(node(f.value_[i], f.path_ + "[" + std::to_string(i) + "]")));
        return out;
    }
    std::vector<std::string> strings(const char* key) const {
        return list(key, [](const node& n) {
            if (!n.value_.is_string()) bad(n.path_, "expected a string");
            return n.value_.get<std::string>();
        });
    }
    bool is_null(const char* key) const { return field(key).value_.is_null(); }
    const std::string& path() const { return path_; }

private:
    const json& value_;
    std::string path_;
};

qualified_name qualified(const node& n) { return {n.text("schema"), n.text("name")}; }

column_def parse_column(const node& n) {
    return {n.text("name"), n.text("type"), n.boolean("not_null"), n.optional_text("default"),
            n.optional_text("generated"), n.optional_text("identity"), n.optional_text("collation"),
            n.optional_text("comment"), n.boolean("inherited")};
}

constraint_def parse_constraint(const node& n) {
    constraint_def c{n.text("name"), n.text("type"), n.text("definition"), n.boolean("valid"),
                     n.boolean("deferrable"), n.boolean("deferred"), n.optional_text("comment"), {}};
    if (!n.is_null("references")) {
        node r = n.field("references");
        c.references = qualified_name{r.text("schema"), r.text("table")};
    }
    return c;
}

index_def parse_index(const node& n) {
    return {n.text("name"), n.text("definition"), n.boolean("unique"), n.optional_text("comment")};
}

trigger_def parse_trigger(const node& n) {
    return {n.text("name"), n.text("definition"), n.text("enabled"), n.optional_text("comment")};
}

policy_def parse_policy(const node& n) {
    policy_def p{n.text("name"), n.text("command"), n.boolean("permissive"), {},
                 n.optional_text("using"), n.optional_text("with_check"), n.optional_text("comment")};
    if (!n.is_null("roles")) p.roles = n.strings("roles");
    return p;
}

table_def parse_table(const node& n) {
    table_def t;
    t.id = qualified(n);
    t.partitioned = n.boolean("partitioned");
    t.unlogged = n.boolean("unlogged");
    t.row_security = n.boolean("row_security");
    t.force_row_security = n.boolean("force_row_security");
    t.partition_key = n.optional_text("partition_key");
    if (!n.is_null("partition_of")) {
        node p = n.field("partition_of");
        t.partition_of = partition_parent{p.text("schema"), p.text("table"), p.text("bound")};
    }
    t.inherits = n.list("inherits", [](const node& p) {
        return qualified_name{p.text("schema"), p.text("table")};
    });
    t.replica_identity = n.text("replica_identity");
    t.columns = n.list("columns", parse_column);
    t.constraints = n.list("constraints", parse_constraint);
    t.indexes = n.list("indexes", parse_index);
    t.triggers = n.list("triggers", parse_trigger);
    t.policies = n.list("policies", parse_policy);
    t.comment = n.optional_text("comment");
    return t;
}

view_def parse_view(const node& n) {
    view_def v;
    v.id = qualified(n);
    v.materialized = n.boolean("materialized");
    v.definition = n.text("definition");
    v.options = n.strings("options");
    v.column_comments = n.list("columns", [](const node& c) {
        return std::pair<std::string, opt_text>{c.text("name"), c.optional_text("comment")};
    });
    v.indexes = n.list("indexes", parse_index);
    v.triggers = n.list("triggers", parse_trigger);
    v.depends_on = n.list("depends_on", qualified);
    v.functions = n.list("functions", [](const node& f) {
        return std::pair<qualified_name, std::string>{qualified(f), f.text("argument_types")};
    });
    v.comment = n.optional_text("comment");
    return v;
}

function_def parse_function(const node& n) {
    return {qualified(n), n.text("kind"), n.text("arguments"), n.optional_text("result").value_or(""),
            n.text("language"), n.text("definition"), n.optional_text("comment"),
            n.text("argument_types"), n.list("depends_on", qualified)};
}

sequence_def parse_sequence(const node& n) {
    sequence_def s;
    s.id = qualified(n);
    s.type = n.text("type");
    s.start = n.integer("start");
    s.increment = n.integer("increment");
    s.min = n.integer("min");
    s.max = n.integer("max");
    s.cache = n.integer("cache");
    s.cycle = n.boolean("cycle");
    if (!n.is_null("owned_by")) {
        node o = n.field("owned_by");
        s.owned_by = {{o.text("schema"), o.text("table")}, o.text("column")};
    }
    s.comment = n.optional_text("comment");
    return s;
}

}  // namespace

snapshot parse_snapshot(std::string_view json_text) {
    json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded()) bad("$", "not valid JSON");
    node root(doc, "$");
    if (root.text("format") != "ender-snapshot")
        bad("$.format", "expected \"ender-snapshot\"");
    if (root.integer("version") != supported_version)
        bad("$.version", "this ender reads version " + std::to_string(supported_version));

    snapshot s;
    if (doc.contains("deparsed_by") && !root.is_null("deparsed_by")) {
        long long major = root.integer("deparsed_by");
        if (major < 10 || major > 1000) bad("$.deparsed_by", "expected a PostgreSQL major version");
        s.deparsed_by = static_cast<int>(major);
    }
    s.schemas = root.list("schemas", [](const node& n) {
        return schema_def{n.text("name"), n.optional_text("comment")};
    });
    s.extensions = root.list("extensions", [](const node& n) {
        return extension_def{n.text("name"), n.text("schema"), n.text("version"), n.optional_text("comment")};
    });
    s.enums = root.list("enums", [](const node& n) {
        return enum_def{qualified(n), n.strings("labels"), n.optional_text("comment")};
    });
    s.domains = root.list("domains", [](const node& n) {
        return domain_def{qualified(n), n.text("type"), n.boolean("not_null"),
                          n.optional_text("default"), n.optional_text("collation"),
                          n.optional_text("comment"),
                          n.list("constraints", [](const node& c) {
                              return constraint_def{c.text("name"), "check", c.text("definition"),
                                                    c.boolean("valid"), false, false,
                                                    c.optional_text("comment"), {}};
                          })};
    });
    s.composite_types = root.list("composite_types", [](const node& n) {
        return composite_def{qualified(n), n.list("attributes", [](const node& a) {
                                 return column_def{a.text("name"), a.text("type"), false, {}, {}, {},
                                                   a.optional_text("collation"),
                                                   a.optional_text("comment"), false};
                             }),
                             n.optional_text("comment")};
    });
    s.sequences = root.list("sequences", parse_sequence);
    s.tables = root.list("tables", parse_table);
    s.views = root.list("views", parse_view);
    s.functions = root.list("functions", parse_function);
    s.event_triggers = root.list("event_triggers", [](const node& n) {
        event_trigger_def e{n.text("name"), n.text("event"), n.text("function"), n.text("enabled"),
                            {}, n.optional_text("comment")};
        if (!n.is_null("tags")) e.tags = n.strings("tags");
        return e;
    });
    return s;
}

}  // namespace ender::engine
