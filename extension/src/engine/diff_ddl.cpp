// The SQL text of snapshot objects (diff_ddl.hpp).
#include "diff_ddl.hpp"

#include <algorithm>
#include <cctype>

namespace ender::engine {

std::string qualified(const qualified_name& n) {
    return quote_ident(n.schema) + "." + quote_ident(n.name);
}

qualified_name identity_sequence(const qualified_name& table, const std::string& column) {
    std::size_t n1 = table.name.size(), n2 = column.size();
    constexpr std::size_t room = 63 - 5;  // two underscores and "seq"
    while (n1 + n2 > room) (n1 > n2 ? n1 : n2)--;
    // Each part cut at a character boundary (pg_mbcliplen): not before a continuation byte.
    auto clip = [](const std::string& s, std::size_t n) {
        while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
        return s.substr(0, n);
    };
    return {table.schema, clip(table.name, n1) + "_" + clip(column, n2) + "_seq"};
}

namespace ddl {

std::string strip_semicolon(std::string s) {
    while (!s.empty() && (s.back() == ';' || s.back() == ' ' || s.back() == '\n')) s.pop_back();
    return s;
}

std::string comment_sql(const std::string& target, const opt_text& comment) {
    return "COMMENT ON " + target + " IS " + (comment ? quote_literal(*comment) : "NULL");
}

std::string function_signature(const function_def& f) {
    return qualified(f.id) + "(" + f.arguments + ")";
}

std::string function_kind_sql(const function_def& f) {
    return f.kind == "procedure" ? "PROCEDURE" : "FUNCTION";
}

// How GRANT names each kind of object.
grant_target schema_grant(const std::string& name) {
    return {"SCHEMA " + quote_ident(name), "", quote_ident(name)};
}
grant_target relation_grant(const qualified_name& id, const char* kind) {
    return {std::string(kind) + " " + qualified(id), "", qualified(id)};
}
grant_target column_grant(const qualified_name& table, const std::string& column) {
    return {"TABLE " + qualified(table), column, qualified(table) + "." + quote_ident(column)};
}
grant_target function_grant(const function_def& f) {
    return {function_kind_sql(f) + " " + function_signature(f), "", function_signature(f)};
}

std::string column_sql(const column_def& c) {
    std::string out = quote_ident(c.name) + " " + c.type;
    if (c.collation) out += " COLLATE " + *c.collation;
    if (c.generated) out += " GENERATED ALWAYS AS (" + *c.generated + ") STORED";
    if (c.identity)
        out += " GENERATED " + std::string(*c.identity == "always" ? "ALWAYS" : "BY DEFAULT") +
               " AS IDENTITY";
    if (c.default_expr) out += " DEFAULT " + *c.default_expr;
    if (c.not_null && !c.identity) out += " NOT NULL";
    return out;
}

std::string enabled_sql(const std::string& enabled) {
    if (enabled == "disabled") return "DISABLE";
    if (enabled == "replica") return "ENABLE REPLICA";
    if (enabled == "always") return "ENABLE ALWAYS";
    return "ENABLE";
}

std::string policy_sql(const qualified_name& table, const policy_def& p) {
    std::string out = "CREATE POLICY " + quote_ident(p.name) + " ON " + qualified(table) + " AS " +
                      (p.permissive ? "PERMISSIVE" : "RESTRICTIVE") + " FOR ";
    std::string command = p.command;
    for (char& ch : command) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out += command + " TO ";
    for (std::size_t i = 0; i < p.roles.size(); ++i)
        out += (i ? ", " : "") +
               (p.roles[i] == "public" ? std::string("PUBLIC") : quote_ident(p.roles[i]));
    if (p.roles.empty()) out += "PUBLIC";
    if (p.using_expr) out += " USING (" + *p.using_expr + ")";
    if (p.with_check) out += " WITH CHECK (" + *p.with_check + ")";
    return out;
}

std::string create_view_sql(const view_def& v) {
    std::string out = std::string("CREATE ") + (v.materialized ? "MATERIALIZED " : "") + "VIEW " +
                      qualified(v.id);
    if (!v.options.empty()) {
        out += " WITH (";
        for (std::size_t i = 0; i < v.options.size(); ++i) out += (i ? ", " : "") + v.options[i];
        out += ")";
    }
    return out + " AS\n" + strip_semicolon(v.definition);
}

std::string drop_view_sql(const view_def& v) {
    return std::string("DROP ") + (v.materialized ? "MATERIALIZED " : "") + "VIEW " +
           qualified(v.id);
}

std::string sequence_options(const sequence_def& s) {
    return " AS " + s.type + " INCREMENT BY " + std::to_string(s.increment) + " MINVALUE " +
           std::to_string(s.min) + " MAXVALUE " + std::to_string(s.max) + " START WITH " +
           std::to_string(s.start) + " CACHE " + std::to_string(s.cache) +
           (s.cycle ? " CYCLE" : " NO CYCLE");
}

std::string alter_sequence_sql(const sequence_def& old, const sequence_def& s) {
    std::string alter = "ALTER SEQUENCE " + qualified(s.id) + sequence_options(s);
    if (s.min <= old.min && s.max >= old.max) return alter;
    // The range narrows: PostgreSQL checks the current value against the new bounds ("RESTART
    // value (1) cannot be less than MINVALUE (100)"). A current value left outside them goes
    // to the new start, as RESTART would; one inside stays. setval checks the bounds in force,
    // so the sequence first spans both ranges (as bigint: either type's bounds fit).
    std::string name = qualified(s.id);
    return "ALTER SEQUENCE " + name + " AS bigint MINVALUE " +
           std::to_string(std::min(old.min, s.min)) + " MAXVALUE " +
           std::to_string(std::max(old.max, s.max)) + ";\nSELECT pg_catalog.setval(" +
           quote_literal(name) + ", " + std::to_string(s.start) + ", false) FROM " + name +
           " WHERE last_value < " + std::to_string(s.min) + " OR last_value > " +
           std::to_string(s.max) + ";\n" + alter;
}

std::string collation_sql(const collation_def& c) {
    std::string out = "CREATE COLLATION " + qualified(c.id) + " (provider = " + c.provider;
    if (c.locale) out += ", locale = " + quote_literal(*c.locale);
    if (c.lc_collate) out += ", lc_collate = " + quote_literal(*c.lc_collate);
    if (c.lc_ctype) out += ", lc_ctype = " + quote_literal(*c.lc_ctype);
    if (!c.deterministic) out += ", deterministic = false";
    out += ")";
    if (c.comment) out += ";\n" + comment_sql("COLLATION " + qualified(c.id), c.comment);
    return out;
}

std::string enum_sql(const enum_def& e) {
    std::string out = "CREATE TYPE " + qualified(e.id) + " AS ENUM (";
    for (std::size_t i = 0; i < e.labels.size(); ++i)
        out += (i ? ", " : "") + quote_literal(e.labels[i]);
    return out + ")";
}

std::string domain_sql(const domain_def& d) {
    std::string out = "CREATE DOMAIN " + qualified(d.id) + " AS " + d.type;
    if (d.collation) out += " COLLATE " + *d.collation;
    if (d.default_expr) out += " DEFAULT " + *d.default_expr;
    if (d.not_null) out += " NOT NULL";
    for (const auto& c : d.constraints) {
        if (!c.valid) continue;  // CREATE DOMAIN takes no NOT VALID: added after, below
        out += " CONSTRAINT " + quote_ident(c.name) + " " + c.definition;
    }
    for (const auto& c : d.constraints)
        if (!c.valid)
            out += ";\nALTER DOMAIN " + qualified(d.id) + " ADD CONSTRAINT " + quote_ident(c.name) +
                   " " + c.definition;
    return out;
}

std::string composite_sql(const composite_def& c) {
    std::string out = "CREATE TYPE " + qualified(c.id) + " AS (";
    for (std::size_t i = 0; i < c.attributes.size(); ++i) {
        const auto& a = c.attributes[i];
        out += (i ? ", " : "") + quote_ident(a.name) + " " + a.type;
        if (a.collation) out += " COLLATE " + *a.collation;
    }
    return out + ")";
}

std::string range_sql(const range_def& r) {
    std::string out = "CREATE TYPE " + qualified(r.id) + " AS RANGE (SUBTYPE = " + r.subtype;
    if (r.subtype_opclass) out += ", SUBTYPE_OPCLASS = " + *r.subtype_opclass;
    if (r.collation) out += ", COLLATION = " + *r.collation;
    if (r.canonical) out += ", CANONICAL = " + *r.canonical;
    if (r.subtype_diff) out += ", SUBTYPE_DIFF = " + *r.subtype_diff;
    if (r.multirange)
        out += ", MULTIRANGE_TYPE_NAME = " + qualified(qualified_name{r.id.schema, *r.multirange});
    return out + ")";
}

std::string create_table_sql(const table_def& t) {
    std::string out =
        std::string("CREATE ") + (t.unlogged ? "UNLOGGED " : "") + "TABLE " + qualified(t.id);
    if (t.partition_of) {
        out += " PARTITION OF " + qualified({t.partition_of->schema, t.partition_of->table}) + " " +
               t.partition_of->bound;
    } else {
        out += " (";
        bool first = true;
        for (const auto& c : t.columns) {
            if (c.inherited) continue;  // comes from the parent
            out += std::string(first ? "\n    " : ",\n    ") + column_sql(c);
            first = false;
        }
        out += "\n)";
        if (!t.inherits.empty()) {
            out += " INHERITS (";
            for (std::size_t i = 0; i < t.inherits.size(); ++i)
                out += (i ? ", " : "") + qualified(t.inherits[i]);
            out += ")";
        }
    }
    if (t.partition_key) out += " PARTITION BY " + *t.partition_key;
    return out;
}

// An index definition to run: pg_get_indexdef writes "ON ONLY" for a partitioned table's
// index, which would build nothing on the partitions; without it they get theirs.
std::string index_sql(std::string definition) {
    auto at = definition.find(" ON ONLY ");
    if (at != std::string::npos) definition.replace(at, 9, " ON ");
    return definition;
}

std::string concurrently(const std::string& index_definition) {
    for (const char* prefix : {"CREATE UNIQUE INDEX ", "CREATE INDEX "}) {
        std::string p(prefix);
        if (index_definition.compare(0, p.size(), p) == 0)
            return p + "CONCURRENTLY " + index_definition.substr(p.size());
    }
    return index_definition;
}

}  // namespace ddl
}  // namespace ender::engine
