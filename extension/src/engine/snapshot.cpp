// Parsing and validating snapshot documents (see snapshot.hpp).
#include "snapshot.hpp"

#include "error.hpp"
#include "interrupts.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace ender::engine {
namespace {

using element = simdjson::dom::element;

constexpr int supported_version = 1;

[[noreturn]] void bad(const std::string& path, const std::string& what) {
    throw error(sqlstate::invalid_parameter_value, "invalid snapshot document",
                "At " + path + ": " + what + ".",
                "Snapshot documents are described in docs/snapshot-format.md; ender_snapshot() "
                "writes them.");
}

// JSON text parsed by simdjson, seen through json_access: a handle holds a DOM element.

const json_access simdjson_access = {
    [](const json_handle& h) {
        switch (h.as<element>().type()) {
            case simdjson::dom::element_type::OBJECT:
                return json_type::object;
            case simdjson::dom::element_type::ARRAY:
                return json_type::array;
            case simdjson::dom::element_type::STRING:
                return json_type::string;
            case simdjson::dom::element_type::INT64:
                return json_type::integer;
            case simdjson::dom::element_type::UINT64:
                return json_type::big_integer;
            case simdjson::dom::element_type::DOUBLE:
                return json_type::number;
            case simdjson::dom::element_type::BOOL:
                return json_type::boolean;
            default:
                return json_type::null;
        }
    },
    [](const json_handle& h, std::string_view key, json_handle& out) {
        simdjson::dom::object object;
        element found;
        if (h.as<element>().get_object().get(object) || object.at_key(key).get(found)) return false;
        out = json_handle::of(found);
        return true;
    },
    [](const json_handle& h) {
        std::string_view s;
        if (h.as<element>().get_string().get(s)) return std::string_view();
        return s;
    },
    [](const json_handle& h) {
        bool b = false;
        if (h.as<element>().get_bool().get(b)) return false;
        return b;
    },
    [](const json_handle& h) {
        int64_t i = 0;
        if (h.as<element>().get_int64().get(i)) return 0LL;
        return static_cast<long long>(i);
    },
    [](const json_handle& h) {
        simdjson::dom::array a;
        return h.as<element>().get_array().get(a) ? std::size_t{0} : a.size();
    },
    [](const json_handle& h, void* context, void (*visit)(void*, const json_handle&)) {
        simdjson::dom::array a;
        if (h.as<element>().get_array().get(a)) return;
        for (element item : a) visit(context, json_handle::of(item));
    },
};

// A reader over one JSON value that knows where it is in the document, for error messages.
// The path ("$.tables[2].columns[0]") is spelled out only when an error is reported: a node
// points to its parent node, which outlives it (nodes live on the stack of the parse). It also
// knows whether the document lists privileges. The document is JSON text parsed by simdjson or
// a document parsed elsewhere (json_access).
class node {
public:
    node(const json_handle& value, const json_access& access, bool privileges = false)
        : value_(value), access_(&access), privileges_(privileges) {}
    node(const json_handle& value, const node* parent, const char* key)
        : value_(value),
          access_(parent->access_),
          parent_(parent),
          key_(key),
          privileges_(parent->privileges_) {}
    node(const json_handle& value, const node* parent, std::size_t index)
        : value_(value),
          access_(parent->access_),
          parent_(parent),
          index_(index),
          privileges_(parent->privileges_) {}

    json_type type() const { return access_->type(value_); }
    node field(const char* key) const {
        if (type() != json_type::object) fail("expected an object");
        json_handle found;
        if (!access_->member(value_, key, found))
            fail(std::string("missing field \"") + key + "\"");
        return node(found, this, key);
    }
    std::string text(const char* key) const {
        node f = field(key);
        if (f.type() != json_type::string) f.fail("expected a string");
        return std::string(f.string());
    }
    opt_text optional_text(const char* key) const {
        node f = field(key);
        const json_type t = f.type();
        if (t == json_type::null) return std::nullopt;
        if (t != json_type::string) f.fail("expected a string or null");
        return std::string(f.string());
    }
    bool boolean(const char* key) const {
        node f = field(key);
        if (f.type() != json_type::boolean) f.fail("expected true or false");
        return access_->boolean(f.value_);
    }
    long long integer(const char* key) const {
        node f = field(key);
        const json_type t = f.type();
        if (t == json_type::big_integer) f.fail("expected an integer within the range of bigint");
        if (t != json_type::integer) f.fail("expected an integer");
        return access_->integer(f.value_);
    }
    // Each element of the array `key`, parsed by `parse`.
    template <typename F>
    auto list(const char* key, F&& parse) const {
        node f = field(key);
        if (f.type() != json_type::array) f.fail("expected an array");
        using item_type = decltype(parse(std::declval<node>()));
        std::vector<item_type> out;
        out.reserve(access_->size(f.value_));
        struct context {
            const node* array;
            std::remove_reference_t<F>* parse;
            std::vector<item_type>* out;
            std::size_t index;
        } c{&f, &parse, &out, 0};
        access_->each(f.value_, &c, [](void* p, const json_handle& item) {
            auto& c = *static_cast<context*>(p);
            poll_interrupts();
            c.out->push_back((*c.parse)(node(item, c.array, c.index++)));
        });
        return out;
    }
    std::vector<std::string> strings(const char* key) const {
        return list(key, [](const node& n) {
            if (n.type() != json_type::string) n.fail("expected a string");
            return std::string(n.string());
        });
    }
    bool is_null(const char* key) const { return field(key).type() == json_type::null; }
    // Whether this object has the field `key` (false when this is not an object).
    bool has(const char* key) const {
        json_handle found;
        return type() == json_type::object && access_->member(value_, key, found);
    }

    std::string path() const {
        if (!parent_) return "$";
        return parent_->path() +
               (key_ ? std::string(".") + key_ : "[" + std::to_string(index_) + "]");
    }
    [[noreturn]] void fail(const std::string& what) const { bad(path(), what); }
    bool lists_privileges() const { return privileges_; }

    // The optional "renamed_from": absent or null for no rename, else the old name.
    opt_rename renamed_from() const {
        if (!has("renamed_from") || is_null("renamed_from")) return std::nullopt;
        node f = field("renamed_from");
        if (f.type() != json_type::string || f.string().empty())
            f.fail("expected the old name (a non-empty string) or null");
        return rename_source{std::string(f.string()), f.path()};
    }

private:
    std::string_view string() const { return access_->string(value_); }

    json_handle value_;
    const json_access* access_;
    const node* parent_ = nullptr;
    const char* key_ = nullptr;  // the field name in the parent object, or null in an array
    std::size_t index_ = 0;
    bool privileges_ = false;  // the document lists privileges
};

// The "privileges" list of an object when the document has them, sorted; else nothing.
privilege_list privileges(const node& n) {
    if (!n.lists_privileges()) return {};
    auto out = n.list("privileges", [](const node& p) {
        return privilege{p.text("grantee"), p.text("privilege"), p.boolean("grantable")};
    });
    std::sort(out.begin(), out.end());
    return out;
}

// Sets what every object may carry: renamed_from, and privileges when the document has them.
template <typename T>
T with_extras(T object, const node& n) {
    object.renamed_from = n.renamed_from();
    if constexpr (requires { object.privileges; }) object.privileges = privileges(n);
    return object;
}

qualified_name qualified(const node& n) {
    return {n.text("schema"), n.text("name")};
}

// One entry of a column's optional "conversions": using, and optional from and down (a type
// or an expression; absent or null for none).
conversion parse_conversion(const node& n) {
    auto optional = [&](const char* key) { return n.has(key) ? n.optional_text(key) : opt_text{}; };
    conversion c{optional("from"), n.text("using"), optional("down")};
    if (c.from && c.from->empty()) n.field("from").fail("expected a type name or null");
    if (c.up.empty()) n.field("using").fail("expected an expression");
    if (c.down && c.down->empty()) n.field("down").fail("expected an expression or null");
    return c;
}

column_def parse_column(const node& n) {
    auto c = with_extras(column_def{n.text("name"), n.text("type"), n.boolean("not_null"),
                                    n.optional_text("default"), n.optional_text("generated"),
                                    n.optional_text("identity"), n.optional_text("collation"),
                                    n.optional_text("comment"), n.boolean("inherited")},
                         n);
    if (n.has("conversions") && !n.is_null("conversions"))
        c.conversions = n.list("conversions", parse_conversion);
    return c;
}

constraint_def parse_constraint(const node& n) {
    constraint_def c{n.text("name"),
                     n.text("type"),
                     n.text("definition"),
                     n.boolean("valid"),
                     n.boolean("deferrable"),
                     n.boolean("deferred"),
                     n.optional_text("comment"),
                     {}};
    if (!n.is_null("references")) {
        node r = n.field("references");
        c.references = qualified_name{r.text("schema"), r.text("table")};
    }
    return with_extras(std::move(c), n);
}

index_def parse_index(const node& n) {
    return with_extras(index_def{n.text("name"), n.text("definition"), n.boolean("unique"),
                                 n.optional_text("comment")},
                       n);
}

trigger_def parse_trigger(const node& n) {
    return with_extras(trigger_def{n.text("name"), n.text("definition"), n.text("enabled"),
                                   n.optional_text("comment")},
                       n);
}

policy_def parse_policy(const node& n) {
    policy_def p{n.text("name"),
                 n.text("command"),
                 n.boolean("permissive"),
                 {},
                 n.optional_text("using"),
                 n.optional_text("with_check"),
                 n.optional_text("comment")};
    if (!n.is_null("roles")) p.roles = n.strings("roles");
    return with_extras(std::move(p), n);
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
    return with_extras(std::move(t), n);
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
    v.depends_on = n.list("depends_on", [&v](const node& d) {
        qualified_name id = qualified(d);
        if (d.has("columns")) v.columns_read[id] = d.strings("columns");
        return id;
    });
    v.functions = n.list("functions", [](const node& f) {
        return std::pair<qualified_name, std::string>{qualified(f), f.text("argument_types")};
    });
    v.comment = n.optional_text("comment");
    return with_extras(std::move(v), n);
}

function_def parse_function(const node& n) {
    return with_extras(function_def{qualified(n), n.text("kind"), n.text("arguments"),
                                    n.optional_text("result").value_or(""), n.text("language"),
                                    n.text("definition"), n.optional_text("comment"),
                                    n.text("argument_types"), n.list("depends_on", qualified)},
                       n);
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
    return with_extras(std::move(s), n);
}

std::vector<function_key> called_functions(const node& n) {
    return n.list("functions", [](const node& f) {
        return function_key{qualified(f), f.text("argument_types")};
    });
}

// The optional lists of aggregates, operators, casts and text search objects.
void parse_catalog_objects(const node& root, snapshot& s) {
    s.aggregates_listed = root.has("aggregates");
    if (s.aggregates_listed)
        s.aggregates = root.list("aggregates", [](const node& n) {
            return aggregate_def{
                qualified(n),      n.text("arguments"), n.text("argument_types"),
                n.text("options"), called_functions(n), n.optional_text("comment")};
        });
    s.operators_listed = root.has("operators");
    if (s.operators_listed)
        s.operators = root.list("operators", [](const node& n) {
            return operator_def{qualified(n),
                                n.optional_text("left"),
                                n.text("right"),
                                n.text("function"),
                                n.optional_text("commutator"),
                                n.optional_text("negator"),
                                n.optional_text("restrict"),
                                n.optional_text("join"),
                                n.boolean("hashes"),
                                n.boolean("merges"),
                                called_functions(n),
                                n.optional_text("comment")};
        });
    s.casts_listed = root.has("casts");
    if (s.casts_listed)
        s.casts = root.list("casts", [](const node& n) {
            return cast_def{n.text("source"),          n.text("target"),
                            n.text("method"),          n.optional_text("function"),
                            n.text("context"),         called_functions(n),
                            n.optional_text("comment")};
        });
    s.text_search_listed =
        root.has("text_search_dictionaries") || root.has("text_search_configurations");
    if (!s.text_search_listed) return;
    s.text_search_dictionaries = root.list("text_search_dictionaries", [](const node& n) {
        return text_search_dictionary_def{qualified(n), n.text("template"),
                                          n.optional_text("options"), n.optional_text("comment")};
    });
    s.text_search_configurations = root.list("text_search_configurations", [](const node& n) {
        return text_search_configuration_def{
            qualified(n), n.text("parser"),
            n.list("mappings",
                   [](const node& m) {
                       return text_search_mapping{m.text("token"), m.strings("dictionaries")};
                   }),
            n.optional_text("comment")};
    });
}

}  // namespace

snapshot parse_snapshot(std::string_view json_text) {
    simdjson::dom::parser parser;
    element doc;
    if (parser.parse(json_text.data(), json_text.size()).get(doc)) bad("$", "not valid JSON");
    return parse_snapshot(json_handle::of(doc), simdjson_access);
}

snapshot parse_snapshot(const json_handle& doc, const json_access& access) {
    node top(doc, access);
    if (top.text("format") != "ender-snapshot") bad("$.format", "expected \"ender-snapshot\"");
    if (top.integer("version") != supported_version)
        bad("$.version", "this ender reads version " + std::to_string(supported_version));
    // "privileges": true says the document lists privileges; absent or false, it does not.
    bool with_privileges = top.has("privileges") && top.boolean("privileges");
    node root(doc, access, with_privileges);

    snapshot s;
    if (top.has("deparsed_by") && !top.is_null("deparsed_by")) {
        long long major = top.integer("deparsed_by");
        if (major < 10 || major > 1000) bad("$.deparsed_by", "expected a PostgreSQL major version");
        s.deparsed_by = static_cast<int>(major);
    }
    s.privileges = with_privileges;
    if (top.has("allow")) {
        s.allow = root.strings("allow");
        for (std::size_t i = 0; i < s.allow.size(); ++i)
            if (s.allow[i] != "rewrites_table")
                bad("$.allow[" + std::to_string(i) + "]",
                    "unknown allowance \"" + s.allow[i] + "\" (known: \"rewrites_table\")");
    }
    s.schemas = root.list("schemas", [](const node& n) {
        return with_extras(schema_def{n.text("name"), n.optional_text("comment")}, n);
    });
    s.extensions = root.list("extensions", [](const node& n) {
        return extension_def{n.text("name"), n.text("schema"), n.text("version"),
                             n.optional_text("comment")};
    });
    s.collations_listed = root.has("collations");
    if (s.collations_listed)
        s.collations = root.list("collations", [](const node& n) {
            return collation_def{qualified(n),
                                 n.text("provider"),
                                 n.optional_text("locale"),
                                 n.optional_text("lc_collate"),
                                 n.optional_text("lc_ctype"),
                                 n.boolean("deterministic"),
                                 n.optional_text("comment")};
        });
    s.enums = root.list("enums", [](const node& n) {
        return with_extras(enum_def{qualified(n), n.strings("labels"), n.optional_text("comment")},
                           n);
    });
    s.domains = root.list("domains", [](const node& n) {
        return with_extras(domain_def{qualified(n), n.text("type"), n.boolean("not_null"),
                                      n.optional_text("default"), n.optional_text("collation"),
                                      n.optional_text("comment"),
                                      n.list("constraints",
                                             [](const node& c) {
                                                 return with_extras(
                                                     constraint_def{c.text("name"),
                                                                    "check",
                                                                    c.text("definition"),
                                                                    c.boolean("valid"),
                                                                    false,
                                                                    false,
                                                                    c.optional_text("comment"),
                                                                    {}},
                                                     c);
                                             })},
                           n);
    });
    s.composite_types = root.list("composite_types", [](const node& n) {
        return with_extras(composite_def{qualified(n),
                                         n.list("attributes",
                                                [](const node& a) {
                                                    column_def c{a.text("name"),
                                                                 a.text("type"),
                                                                 false,
                                                                 {},
                                                                 {},
                                                                 {},
                                                                 a.optional_text("collation"),
                                                                 a.optional_text("comment"),
                                                                 false};
                                                    c.renamed_from = a.renamed_from();
                                                    return c;
                                                }),
                                         n.optional_text("comment")},
                           n);
    });
    s.range_types_listed = root.has("range_types");
    if (s.range_types_listed)
        s.range_types = root.list("range_types", [](const node& n) {
            return with_extras(
                range_def{qualified(n), n.text("subtype"), n.optional_text("subtype_opclass"),
                          n.optional_text("collation"), n.optional_text("canonical"),
                          n.optional_text("subtype_diff"), n.optional_text("multirange"),
                          n.optional_text("comment")},
                n);
        });
    s.sequences = root.list("sequences", parse_sequence);
    s.tables = root.list("tables", parse_table);
    s.views = root.list("views", parse_view);
    s.functions = root.list("functions", parse_function);
    s.event_triggers = root.list("event_triggers", [](const node& n) {
        event_trigger_def e{n.text("name"),
                            n.text("event"),
                            n.text("function"),
                            n.text("enabled"),
                            {},
                            n.optional_text("comment")};
        if (!n.is_null("tags")) e.tags = n.strings("tags");
        return e;
    });
    parse_catalog_objects(root, s);
    return s;
}

}  // namespace ender::engine
