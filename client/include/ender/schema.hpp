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
    std::vector<extension_info> extensions_{
        {"plpgsql", "pg_catalog", "1.0", "PL/pgSQL procedural language"}};
};

// Creates the schemas, enum types, tables, keys, constraints, indexes and comments of the
// models that do not exist yet, in one transaction (a savepoint when one is already open).
// Existing tables are left as they are (use ender_diff to change them).
void create_all(session& db, const schema& s);

}  // namespace ender
