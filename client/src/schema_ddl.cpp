// schema::ddl() and create_all(): the statements that create the models' schemas, enum types,
// sequences, tables, constraints, indexes and comments, in an order PostgreSQL accepts.
#include "ender/schema.hpp"

#include "schema_resolve.hpp"

#include <map>

namespace ender {

namespace {

using detail::enums_of;
using detail::qualified_name;
using detail::quote_ident;
using detail::quote_literal;
using detail::schemas_of;
using detail::upper;

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
        for (const auto& l : e.labels) labels += (labels.empty() ? "" : ", ") + quote_literal(l);
        auto name = qualified_name(e.schema, e.name);
        out.push_back(
            {ddl_statement::type, name, "CREATE TYPE " + name + " AS ENUM (" + labels + ")"});
    }
    auto resolved = detail::resolve(tables, naming);
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
                                     t.qualified() + " IS " + quote_literal(*c.comment)});
        }
        out.push_back({ddl_statement::table, t.qualified(), sql + "\n)"});
        for (const auto& i : r.indexes) {
            out.push_back({ddl_statement::table, t.qualified(), i.definition});
            if (i.comment)
                later.push_back({ddl_statement::table, t.qualified(),
                                 "COMMENT ON INDEX " + qualified_name(t.schema, i.name) + " IS " +
                                     quote_literal(*i.comment)});
        }
        if (t.comment)
            later.push_back(
                {ddl_statement::table, t.qualified(),
                 "COMMENT ON TABLE " + t.qualified() + " IS " + quote_literal(*t.comment)});
        for (const auto& c : t.columns)
            if (c.comment)
                later.push_back({ddl_statement::table, t.qualified(),
                                 "COMMENT ON COLUMN " + t.qualified() + "." + quote_ident(c.name) +
                                     " IS " + quote_literal(*c.comment)});
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
