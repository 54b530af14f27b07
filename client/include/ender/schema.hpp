// The schema of a set of models: create_all() for tests and first runs, and snapshot(), the
// extension's snapshot document (docs/snapshot-format.md) for ender_diff and autogenerate.
#pragma once

#include "ender/detail/table_info.hpp"
#include "ender/model.hpp"
#include "ender/session.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ender {

// An extension the database is expected to have (part of the snapshot document).
struct extension_info {
    std::string name;
    std::string schema;
    std::string version;
    std::optional<std::string> comment;
};

// A naming convention for the keys, constraints and indexes the models leave unnamed, as
// SQLAlchemy's MetaData(naming_convention=...) (docs/client.md). Each template may use
// %(table_name)s, %(column_0_name)s, %(column_0_N_name)s (every column, joined by _),
// %(column_0N_name)s (joined with nothing), %(referred_table_name)s (foreign keys) and
// %(constraint_name)s (checks: the columns the expression names, joined by _, or "expr"); an
// index key that is an expression is named as PostgreSQL names it (the function, or "expr").
// An empty template keeps PostgreSQL's own name for that kind. A name longer than 63 bytes is
// cut, and ends with _ and 8 hexadecimal digits of a hash of the whole name, so it stays unique
// and the same on every run.
struct naming_convention {
    std::string primary_key, unique, check, foreign_key, index;

    // pk_%(table_name)s, uq_%(table_name)s_%(column_0_N_name)s,
    // ck_%(table_name)s_%(constraint_name)s,
    // fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s,
    // ix_%(table_name)s_%(column_0_N_name)s.
    static naming_convention prefixed();
};

class schema {
public:
    // The schema of these models: ender::schema::of<team, hero>().
    template <class... T>
    static schema of() {
        schema s;
        (s.add_table(model_of<T>().info), ...);
        s.add_subtypes();
        s.add_relation_keys();
        return s;
    }

    // Names what the models leave unnamed by `convention` (an unknown token is a usage_error,
    // 22023). Changing the convention of a database in use gives ALTER ... RENAME steps in
    // ender_diff and autogenerate, never a rebuild.
    schema& with_naming(naming_convention convention);
    const naming_convention& naming() const noexcept { return naming_; }

    // Adds an extension to the snapshot's list. plpgsql (which every database has) is there
    // from the start.
    schema& with_extension(extension_info e);

    // The snapshot document, format 1: what ender_snapshot() returns for a database that
    // holds exactly these models (constraint and index names chosen as PostgreSQL would).
    nlohmann::json snapshot() const;

    // The statements create_all runs on an empty database, in order.
    std::vector<std::string> ddl() const;

    const std::vector<detail::table_info>& tables() const noexcept { return tables_; }

private:
    // A model's table; a subtype's own (inheritance.hpp) once all are known: an abstract
    // base has none, a single-table subtype's columns go to its base's.
    void add_table(const detail::table_info& t);
    void add_subtypes();
    std::vector<detail::table_info> subtypes_;
    // The foreign keys (and indexes on their columns) that relationships imply and the models
    // do not declare themselves.
    void add_relation_keys();
    std::vector<detail::table_info> tables_;
    naming_convention naming_;
    std::vector<extension_info> extensions_{
        {"plpgsql", "pg_catalog", "1.0", "PL/pgSQL procedural language"}};
};

// Creates the schemas, enum types, tables, keys, constraints, indexes and comments of the
// models that do not exist yet, in one transaction (a savepoint when one is already open).
// Existing tables are left as they are (use ender_diff to change them).
void create_all(session& db, const schema& s);

}  // namespace ender
