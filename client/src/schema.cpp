// DDL and snapshot documents from model descriptions, with the names PostgreSQL would choose
// and the definitions spelled as its deparsers print them.
#include "ender/schema.hpp"

#include "naming_convention.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace ender {

namespace {

using detail::qualified_name;
using detail::quote_ident;
using nlohmann::json;

constexpr std::size_t max_identifier = 63;  // NAMEDATALEN - 1

// PostgreSQL's makeObjectName: name1_name2_label, trimming the longer part to fit 63 bytes.
std::string object_name(std::string name1, std::string name2, const std::string& label) {
    std::size_t overhead = label.size() + 1 + (name2.empty() ? 0 : 1);
    std::size_t avail = max_identifier - overhead;
    std::size_t n1 = name1.size(), n2 = name2.size();
    while (n1 + n2 > avail) {
        if (n1 > n2)
            --n1;
        else
            --n2;
    }
    // Never cut a UTF-8 sequence in the middle.
    auto clip = [](std::string& s, std::size_t n) {
        while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        s.resize(n);
    };
    clip(name1, n1);
    clip(name2, n2);
    std::string out = name1;
    if (!name2.empty()) out += "_" + name2;
    return out + "_" + label;
}

// The names already taken in each schema, so that a second default name gets a number as
// PostgreSQL's ChooseRelationName / ChooseConstraintName do.
struct name_registry {
    std::map<std::string, std::set<std::string>> relations, constraints;
    std::string choose(std::set<std::string>& taken, const std::string& name1,
                       const std::string& name2, const std::string& label) {
        std::string name = object_name(name1, name2, label);
        for (int pass = 1; taken.count(name); ++pass)
            name = object_name(name1, name2, label + std::to_string(pass));
        taken.insert(name);
        return name;
    }
};

std::string joined(const std::vector<std::string>& parts, const std::string& separator,
                   bool quote) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += separator;
        out += quote ? quote_ident(parts[i]) : parts[i];
    }
    return out;
}

// The columns an expression names (identifiers outside string literals), in table order.
std::vector<std::string> columns_in(const std::string& expression, const detail::table_info& t) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < expression.size();) {
        char c = expression[i];
        if (c == '\'') {
            for (++i; i < expression.size() && expression[i] != '\''; ++i) {
            }
            ++i;
        } else if (c == '"') {
            std::string id;
            for (++i; i < expression.size(); ++i) {
                if (expression[i] == '"') {
                    if (i + 1 < expression.size() && expression[i + 1] == '"') {
                        id += '"';
                        ++i;
                        continue;
                    }
                    break;
                }
                id += expression[i];
            }
            ++i;
            seen.insert(id);
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::string id;
            while (i < expression.size() &&
                   (std::isalnum(static_cast<unsigned char>(expression[i])) ||
                    expression[i] == '_' || expression[i] == '$'))
                id += expression[i++];
            // a function name or a type after :: is not a column
            if (i < expression.size() && expression[i] == '(') continue;
            seen.insert(id);
        } else {
            ++i;
        }
    }
    std::vector<std::string> out;
    for (const auto& c : t.columns)
        if (seen.count(c.name)) out.push_back(c.name);
    return out;
}

// The column name PostgreSQL gives an index key expression: the function's name, or "expr".
std::string expression_label(const std::string& e) {
    std::size_t i = 0;
    while (i < e.size() && (std::isalnum(static_cast<unsigned char>(e[i])) || e[i] == '_')) ++i;
    if (i > 0 && i < e.size() && e[i] == '(' && !std::isdigit(static_cast<unsigned char>(e[0])))
        return e.substr(0, i);
    return "expr";
}

struct resolved_constraint {
    std::string name;
    std::string type;  // primary key, unique, foreign key, check
    std::string definition;
    std::vector<std::string> columns;
    json references;  // null unless a foreign key
    std::optional<std::string> comment;
};

struct resolved_index {
    std::string name;
    std::string definition;
    bool unique = false;
    std::optional<std::string> predicate;
    std::string method;
    std::optional<std::string> comment;
};

struct resolved_sequence {
    std::string name;
    std::string column;
    std::string type;
};

struct resolved_table {
    const detail::table_info* t;
    std::vector<resolved_constraint> constraints;  // keys and checks, then foreign keys
    std::vector<resolved_index> indexes;
    std::vector<resolved_sequence> sequences;          // of serial columns
    std::vector<std::optional<std::string>> defaults;  // per column, nextval() for serials
};

// The largest value of a sequence of this integer type.
std::string sequence_max(const std::string& type) {
    if (type == "smallint") return "32767";
    if (type == "integer") return "2147483647";
    return "9223372036854775807";
}

std::string literal(const std::string& s) {
    return detail::quote_literal(s);
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

std::vector<resolved_table> resolve(const std::vector<detail::table_info>& tables,
                                    const naming_convention& naming) {
    name_registry names;
    // The convention's name for an unnamed object (a number added when it is taken, as
    // PostgreSQL does), or nothing when the convention leaves this kind to PostgreSQL.
    auto conventional = [](const std::string& templ, const detail::naming_subject& subject,
                           std::set<std::string>& taken) -> std::optional<std::string> {
        if (templ.empty()) return std::nullopt;
        std::string base = detail::apply_naming_template(templ, subject), name = base;
        for (int pass = 1; taken.count(name); ++pass)
            name = detail::apply_naming_template(templ + std::to_string(pass), subject);
        return name;
    };
    std::vector<resolved_table> out;
    for (const auto& t : tables) names.relations[t.schema].insert(t.name);
    for (const auto& t : tables) {
        resolved_table r{&t, {}, {}, {}, {}};
        auto& relations = names.relations[t.schema];
        for (const auto& c : t.columns) {
            r.defaults.push_back(c.default_sql);
            if (!c.serial) continue;
            auto seq = names.choose(relations, t.name, c.name, "seq");
            r.sequences.push_back({seq, c.name, c.type});
            r.defaults.back() = "nextval(" + literal(qualified_name(t.schema, seq)) + "::regclass)";
        }
        auto& constraints = names.constraints[t.schema];
        auto take = [&](const std::optional<std::string>& given, const std::string& name2,
                        const std::string& label, bool index_backed, const std::string& templ,
                        const detail::naming_subject& subject) {
            std::string name;
            auto& taken = index_backed ? relations : constraints;
            if (given) {
                name = *given;
            } else if (auto named = conventional(templ, subject, taken)) {
                name = *named;
                taken.insert(name);
            } else {
                name = names.choose(taken, t.name, name2, label);
            }
            constraints.insert(name);
            if (index_backed) relations.insert(name);
            return name;
        };
        if (!t.primary_key.empty())
            r.constraints.push_back({take(t.primary_key_name, "", "pkey", true, naming.primary_key,
                                          {t.name, t.primary_key, {}, {}}),
                                     "primary key",
                                     "PRIMARY KEY (" + joined(t.primary_key, ", ", true) + ")",
                                     t.primary_key, nullptr, std::nullopt});
        for (const auto& u : t.uniques)
            r.constraints.push_back({take(u.name, joined(u.columns, "_", false), "key", true,
                                          naming.unique, {t.name, u.columns, {}, {}}),
                                     "unique", "UNIQUE (" + joined(u.columns, ", ", true) + ")",
                                     u.columns, nullptr, u.comment});
        for (const auto& c : t.checks) {
            auto cols = columns_in(c.expression, t);
            detail::naming_subject subject{
                t.name, cols, {}, cols.empty() ? "expr" : joined(cols, "_", false)};
            r.constraints.push_back({take(c.name, cols.size() == 1 ? cols[0] : "", "check", false,
                                          naming.check, subject),
                                     "check", "CHECK ((" + c.expression + "))", cols, nullptr,
                                     c.comment});
        }
        for (const auto& i : t.indexes) {
            std::vector<std::string> labels;
            std::string keys;
            for (const auto& k : i.keys) {
                labels.push_back(k.expression ? expression_label(k.text) : k.text);
                if (!keys.empty()) keys += ", ";
                keys += k.expression ? k.text : quote_ident(k.text);
                if (k.descending) keys += " DESC";
            }
            std::string name;
            if (i.name)
                name = *i.name;
            else if (auto named = conventional(naming.index, {t.name, labels, {}, {}}, relations))
                name = *named;
            else
                name = names.choose(relations, t.name, joined(labels, "_", false), "idx");
            relations.insert(name);
            std::string def = std::string("CREATE ") + (i.unique ? "UNIQUE " : "") + "INDEX " +
                              quote_ident(name) + " ON " + t.qualified() + " USING " + i.method +
                              " (" + keys + ")";
            std::optional<std::string> predicate;
            if (i.predicate) {
                predicate = "(" + *i.predicate + ")";
                def += " WHERE " + *predicate;
            }
            r.indexes.push_back({name, def, i.unique, predicate, i.method, i.comment});
        }
        out.push_back(std::move(r));
    }
    // Foreign keys last: their targets may be any of the tables.
    for (auto& r : out) {
        const auto& t = *r.t;
        auto& constraints = names.constraints[t.schema];
        for (const auto& fk : t.foreign_keys) {
            auto target = fk.target();
            std::string name;
            if (fk.name)
                name = *fk.name;
            else if (auto named = conventional(naming.foreign_key,
                                               {t.name, fk.columns, target.table, {}}, constraints))
                name = *named;
            else
                name = names.choose(constraints, t.name, joined(fk.columns, "_", false), "fkey");
            constraints.insert(name);
            std::string def = "FOREIGN KEY (" + joined(fk.columns, ", ", true) + ") REFERENCES " +
                              qualified_name(target.schema, target.table) + "(" +
                              joined(target.columns, ", ", true) + ")";
            if (fk.on_update != "no action") def += " ON UPDATE " + upper(fk.on_update);
            if (fk.on_delete != "no action") def += " ON DELETE " + upper(fk.on_delete);
            json refs = {{"match", "simple"},         {"table", target.table},
                         {"schema", target.schema},   {"columns", target.columns},
                         {"on_delete", fk.on_delete}, {"on_update", fk.on_update}};
            r.constraints.push_back({name, "foreign key", def, fk.columns, refs, fk.comment});
        }
    }
    return out;
}

json optional_text(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

// Every enum the tables use, once, in (schema, name) order.
std::vector<detail::enum_info> enums_of(const std::vector<detail::table_info>& tables) {
    std::map<std::pair<std::string, std::string>, detail::enum_info> found;
    for (const auto& t : tables)
        for (const auto& c : t.columns)
            if (c.enum_type)
                found.emplace(std::pair(c.enum_type->schema, c.enum_type->name), *c.enum_type);
    std::vector<detail::enum_info> out;
    out.reserve(found.size());
    for (auto& [key, e] : found) out.push_back(e);
    return out;
}

std::set<std::string> schemas_of(const std::vector<detail::table_info>& tables) {
    std::set<std::string> s{"public"};
    for (const auto& t : tables) s.insert(t.schema);
    for (const auto& e : enums_of(tables)) s.insert(e.schema);
    return s;
}

}  // namespace

void schema::add_table(const detail::table_info& t) {
    if (t.inheritance)
        subtypes_.push_back(t);
    else if (!t.polymorphic || t.polymorphic->discriminator || t.polymorphic->identity)
        tables_.push_back(t);  // an abstract concrete base has no table
}

void schema::add_subtypes() {
    for (const auto& sub : subtypes_) {
        const auto& own = *sub.inheritance->physical;
        if (sub.inheritance->style != detail::inheritance_info::single) {
            tables_.push_back(own);
            continue;
        }
        auto base = std::find_if(tables_.begin(), tables_.end(), [&](const auto& t) {
            return t.schema == own.schema && t.name == own.name;
        });
        if (base == tables_.end())
            throw usage_error("42P01",
                              "single-table subtype \"" + sub.inheritance->identity +
                                  "\" needs its base \"" + own.name + "\" in the schema",
                              "", "List the base model in ender::schema::of<...>() too.");
        auto& t = *base;
        for (const auto& c : own.columns) {
            // Two subtypes may share a column (the same name and type): it is added once.
            int at = t.find(c.name);
            if (at < 0)
                t.columns.push_back(c);
            else if (t.columns[std::size_t(at)].type != c.type)
                throw usage_error("42701",
                                  "column \"" + c.name + "\" of table \"" + t.name +
                                      "\" is mapped with two types",
                                  "Subtype \"" + sub.inheritance->identity + "\" maps it as " +
                                      c.type + ", another model as " +
                                      t.columns[std::size_t(at)].type + ".",
                                  "Give the column the same type everywhere, or another name.");
        }
        t.uniques.insert(t.uniques.end(), own.uniques.begin(), own.uniques.end());
        t.checks.insert(t.checks.end(), own.checks.begin(), own.checks.end());
        t.foreign_keys.insert(t.foreign_keys.end(), own.foreign_keys.begin(),
                              own.foreign_keys.end());
        t.indexes.insert(t.indexes.end(), own.indexes.begin(), own.indexes.end());
        t.relation_keys.insert(t.relation_keys.end(), own.relation_keys.begin(),
                               own.relation_keys.end());
    }
    subtypes_.clear();
}

void schema::add_relation_keys() {
    std::vector<detail::relation_key> keys;
    for (const auto& t : tables_)
        keys.insert(keys.end(), t.relation_keys.begin(), t.relation_keys.end());
    // Keys declared from both sides (has_many and belongs_to) are one foreign key, with the
    // ON DELETE action either side gives; a foreign key the models declare is left as it is.
    std::set<std::pair<const detail::table_info*, std::size_t>> added;
    for (const auto& k : keys) {
        auto from = k.from();
        auto holder = std::find_if(tables_.begin(), tables_.end(), [&](const auto& t) {
            return t.schema == from.schema && t.name == from.table;
        });
        if (holder == tables_.end()) continue;  // the table is not part of this schema
        auto& t = *holder;
        auto to = k.to();
        auto same = std::find_if(t.foreign_keys.begin(), t.foreign_keys.end(), [&](auto& fk) {
            if (fk.columns != from.columns) return false;
            auto target = fk.target();
            return target.schema == to.schema && target.table == to.table;
        });
        if (same == t.foreign_keys.end()) {
            detail::foreign_key_info fk;
            fk.columns = from.columns;
            fk.target = [to] { return to; };
            fk.on_delete = k.on_delete;
            added.insert({&t, t.foreign_keys.size()});
            t.foreign_keys.push_back(std::move(fk));
        } else if (added.count({&t, std::size_t(same - t.foreign_keys.begin())}) &&
                   same->on_delete == "no action") {
            same->on_delete = k.on_delete;
        }
        // An index (or key) whose leading columns are the key's serves the loads and the
        // referenced side's deletes; add one only when none does. One-to-one keys need a
        // unique one on exactly their columns.
        auto serves = [&](const std::vector<std::string>& columns, bool unique) {
            if (k.unique) return unique && columns == from.columns;
            return columns.size() >= from.columns.size() &&
                   std::equal(from.columns.begin(), from.columns.end(), columns.begin());
        };
        bool indexed = serves(t.primary_key, true) ||
                       std::any_of(t.uniques.begin(), t.uniques.end(),
                                   [&](auto& u) { return serves(u.columns, true); }) ||
                       std::any_of(t.indexes.begin(), t.indexes.end(), [&](auto& i) {
                           std::vector<std::string> columns;
                           for (const auto& key : i.keys) {
                               if (key.expression) break;
                               columns.push_back(key.text);
                           }
                           return !i.predicate && serves(columns, i.unique);
                       });
        if (!indexed) {
            detail::index_info i;
            for (const auto& c : from.columns) i.keys.push_back({c});
            i.unique = k.unique;
            t.indexes.push_back(std::move(i));
        }
    }
}

schema& schema::with_naming(naming_convention convention) {
    for (const auto* templ : {&convention.primary_key, &convention.unique, &convention.check,
                              &convention.foreign_key, &convention.index})
        detail::check_naming_template(*templ);
    naming_ = std::move(convention);
    return *this;
}

schema& schema::with_extension(extension_info e) {
    extensions_.push_back(std::move(e));
    return *this;
}

json schema::snapshot() const {
    json doc = {{"format", "ender-snapshot"},      {"version", 1},
                {"views", json::array()},          {"domains", json::array()},
                {"functions", json::array()},      {"event_triggers", json::array()},
                {"composite_types", json::array()}};
    json schemas = json::array();
    for (const auto& s : schemas_of(tables_))
        schemas.push_back(
            {{"name", s}, {"comment", s == "public" ? json("standard public schema") : json()}});
    doc["schemas"] = schemas;
    json extensions = json::array();
    auto exts = extensions_;
    std::sort(exts.begin(), exts.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (const auto& e : exts)
        extensions.push_back({{"name", e.name},
                              {"schema", e.schema},
                              {"version", e.version},
                              {"comment", optional_text(e.comment)}});
    doc["extensions"] = extensions;
    json enums = json::array();
    for (const auto& e : enums_of(tables_))
        enums.push_back(
            {{"schema", e.schema}, {"name", e.name}, {"labels", e.labels}, {"comment", nullptr}});
    doc["enums"] = enums;

    auto resolved = resolve(tables_, naming_);
    std::sort(resolved.begin(), resolved.end(), [](const auto& a, const auto& b) {
        return std::tie(a.t->schema, a.t->name) < std::tie(b.t->schema, b.t->name);
    });
    json tables = json::array();
    json sequences = json::array();
    for (auto& r : resolved) {
        const auto& t = *r.t;
        json columns = json::array();
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            const auto& c = t.columns[i];
            columns.push_back({{"name", c.name},
                               {"type", c.type},
                               {"comment", optional_text(c.comment)},
                               {"default", optional_text(r.defaults[i])},
                               {"identity", optional_text(c.identity)},
                               {"not_null", c.not_null || c.identity.has_value()},
                               {"collation", nullptr},
                               {"generated", nullptr},
                               {"inherited", false}});
            if (c.renamed_from) columns.back()["renamed_from"] = *c.renamed_from;
            for (const auto& v : c.conversions)
                columns.back()["conversions"].push_back({{"from", optional_text(v.from)},
                                                         {"using", v.up},
                                                         {"down", optional_text(v.down)}});
        }
        for (const auto& q : r.sequences)
            sequences.push_back(
                {{"schema", t.schema},
                 {"name", q.name},
                 {"type", q.type},
                 {"start", 1},
                 {"increment", 1},
                 {"min", 1},
                 {"max", json::parse(sequence_max(q.type))},
                 {"cache", 1},
                 {"cycle", false},
                 {"comment", nullptr},
                 {"owned_by", {{"schema", t.schema}, {"table", t.name}, {"column", q.column}}}});
        std::sort(r.constraints.begin(), r.constraints.end(),
                  [](auto& a, auto& b) { return a.name < b.name; });
        json constraints = json::array();
        for (const auto& c : r.constraints)
            constraints.push_back({{"name", c.name},
                                   {"type", c.type},
                                   {"valid", true},
                                   {"columns", c.columns},
                                   {"comment", optional_text(c.comment)},
                                   {"deferred", false},
                                   {"deferrable", false},
                                   {"definition", c.definition},
                                   {"references", c.references}});
        std::sort(r.indexes.begin(), r.indexes.end(),
                  [](auto& a, auto& b) { return a.name < b.name; });
        json indexes = json::array();
        for (const auto& i : r.indexes)
            indexes.push_back({{"name", i.name},
                               {"method", i.method},
                               {"unique", i.unique},
                               {"comment", optional_text(i.comment)},
                               {"predicate", optional_text(i.predicate)},
                               {"definition", i.definition},
                               {"nulls_not_distinct", false}});
        tables.push_back({{"name", t.name},
                          {"schema", t.schema},
                          {"columns", columns},
                          {"comment", optional_text(t.comment)},
                          {"indexes", indexes},
                          {"inherits", json::array()},
                          {"policies", json::array()},
                          {"triggers", json::array()},
                          {"unlogged", false},
                          {"constraints", constraints},
                          {"partitioned", false},
                          {"partition_of", nullptr},
                          {"row_security", false},
                          {"partition_key", nullptr},
                          {"replica_identity", "default"},
                          {"force_row_security", false}});
        if (t.renamed_from) tables.back()["renamed_from"] = *t.renamed_from;
    }
    doc["tables"] = tables;
    std::sort(sequences.begin(), sequences.end(), [](const json& a, const json& b) {
        return std::tie(a["schema"].get_ref<const std::string&>(),
                        a["name"].get_ref<const std::string&>()) <
               std::tie(b["schema"].get_ref<const std::string&>(),
                        b["name"].get_ref<const std::string&>());
    });
    doc["sequences"] = sequences;
    return doc;
}

namespace {
// One statement of create_all and the object it belongs to (a table or a type).
struct ddl_statement {
    enum kind_t { schema, type, table } kind;
    std::string object;
    std::string sql;
};

std::vector<ddl_statement> ddl_statements_of(const std::vector<detail::table_info>& tables,
                                             const naming_convention& naming) {
    std::vector<ddl_statement> out;
    for (const auto& s : schemas_of(tables))
        if (s != "public")
            out.push_back(
                {ddl_statement::schema, s, "CREATE SCHEMA IF NOT EXISTS " + quote_ident(s)});
    for (const auto& e : enums_of(tables)) {
        std::string labels;
        for (const auto& l : e.labels) labels += (labels.empty() ? "" : ", ") + literal(l);
        auto name = qualified_name(e.schema, e.name);
        out.push_back(
            {ddl_statement::type, name, "CREATE TYPE " + name + " AS ENUM (" + labels + ")"});
    }
    auto resolved = resolve(tables, naming);
    std::vector<ddl_statement> later;  // foreign keys and comments
    for (const auto& r : resolved) {
        const auto& t = *r.t;
        for (const auto& q : r.sequences) {
            auto name = qualified_name(t.schema, q.name);
            out.push_back(
                {ddl_statement::table, t.qualified(), "CREATE SEQUENCE " + name + " AS " + q.type});
            later.push_back({ddl_statement::table, t.qualified(),
                             "ALTER SEQUENCE " + name + " OWNED BY " + t.qualified() + "." +
                                 quote_ident(q.column)});
        }
        std::string sql = "CREATE TABLE " + t.qualified() + " (";
        bool first = true;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            const auto& c = t.columns[i];
            sql += (first ? "\n    " : ",\n    ") + quote_ident(c.name) + " " + c.type;
            if (c.identity) sql += " GENERATED " + upper(*c.identity) + " AS IDENTITY";
            if (r.defaults[i]) sql += " DEFAULT " + *r.defaults[i];
            if (c.not_null && !c.identity) sql += " NOT NULL";
            first = false;
        }
        for (const auto& c : r.constraints) {
            if (c.type == "foreign key") {
                later.push_back({ddl_statement::table, t.qualified(),
                                 "ALTER TABLE " + t.qualified() + " ADD CONSTRAINT " +
                                     quote_ident(c.name) + " " + c.definition});
            } else {
                sql += ",\n    CONSTRAINT " + quote_ident(c.name) + " " + c.definition;
            }
            if (c.comment)
                later.push_back({ddl_statement::table, t.qualified(),
                                 "COMMENT ON CONSTRAINT " + quote_ident(c.name) + " ON " +
                                     t.qualified() + " IS " + literal(*c.comment)});
        }
        out.push_back({ddl_statement::table, t.qualified(), sql + "\n)"});
        for (const auto& i : r.indexes) {
            out.push_back({ddl_statement::table, t.qualified(), i.definition});
            if (i.comment)
                later.push_back({ddl_statement::table, t.qualified(),
                                 "COMMENT ON INDEX " + qualified_name(t.schema, i.name) + " IS " +
                                     literal(*i.comment)});
        }
        if (t.comment)
            later.push_back({ddl_statement::table, t.qualified(),
                             "COMMENT ON TABLE " + t.qualified() + " IS " + literal(*t.comment)});
        for (const auto& c : t.columns)
            if (c.comment)
                later.push_back({ddl_statement::table, t.qualified(),
                                 "COMMENT ON COLUMN " + t.qualified() + "." + quote_ident(c.name) +
                                     " IS " + literal(*c.comment)});
    }
    out.insert(out.end(), later.begin(), later.end());
    return out;
}
}  // namespace

std::vector<std::string> schema::ddl() const {
    std::vector<std::string> out;
    for (auto& s : ddl_statements_of(tables_, naming_)) out.push_back(std::move(s.sql));
    return out;
}

void create_all(session& db, const schema& s) {
    std::optional<transaction> tx;
    std::optional<savepoint> sp;
    if (db.in_transaction())
        sp.emplace(db.savepoint());
    else
        tx.emplace(db.begin());
    // What exists already is left alone: a table with all that belongs to it, a type.
    std::map<std::string, bool> exists;
    for (const auto& statement : ddl_statements_of(s.tables(), s.naming())) {
        if (statement.kind != ddl_statement::schema && !exists.count(statement.object))
            exists[statement.object] = db.scalar<bool>(statement.kind == ddl_statement::type
                                                           ? "SELECT to_regtype($1) IS NOT NULL"
                                                           : "SELECT to_regclass($1) IS NOT NULL",
                                                       statement.object);
        if (!exists[statement.object]) db.execute(statement.sql);
    }
    if (tx) tx->commit();
    if (sp) sp->release();
}

}  // namespace ender
