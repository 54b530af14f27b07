// Online (zero-downtime) operations: the one-line form a migration file declares with
// "-- ender:online", parsed here and only here, and the SQL of each phase (expand, backfill,
// validate, contract, rollback) rendered from it and from the table as the catalog shows it.
// Format and phases: docs/zero-downtime.md.
#pragma once
#include "cpp_only.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ender::engine {

// alter_column [schema.]table column TYPE type USING (up) DOWN (down)
struct online_operation {
    std::string kind;                   // "alter_column"
    std::optional<std::string> schema;  // absent: resolved through the caller's search_path
    std::string table;
    std::string column;
    std::string type;  // as written; the glue resolves it to the catalog's spelling
    std::string up;    // expression over the old row giving the new column's value
    std::string down;  // expression over the new row (the column under its name) giving the old

    bool operator==(const online_operation&) const = default;
};

// Parses the text after "-- ender:online". Throws error(syntax_error) saying what is wrong.
online_operation parse_online_operation(std::string_view text);

struct online_column {
    std::string name;
    std::string type;  // format_type()
    bool not_null = false;
    std::optional<std::string> default_expr;  // pg_get_expr()
};

// The table an operation changes, as the catalog shows it before expand (without the
// columns and constraints expand adds).
struct online_table {
    std::string schema, name;
    std::vector<online_column> columns;  // in attnum order
    std::vector<std::string> key;        // primary key columns, in key order
};

// The names of what expand creates: all derived from the revision and the column, so that
// contract and rollback find them again without stored state.
struct online_names {
    std::string view_schema;     // the new shape: one schema of views per revision
    std::string new_column;      // the column in the new type, beside the old one
    std::string function;        // the trigger function keeping both in step (in view_schema)
    std::string trigger;         // on the table
    std::string not_null_check;  // CHECK (new_column IS NOT NULL) NOT VALID, when the column is NOT NULL
};

online_names names_of(std::string_view revision, const online_operation& op);

struct online_plan {
    std::string check_up;  // fails when the USING expression does not fit the table (no lock taken)
    std::vector<std::string> expand;  // run together, in one transaction, under lock_timeout
    // One backfill batch, in two statements: the scan reads the batch's key range ($1 = batch
    // size, $2 = the previous batch's last key, a text[] literal; returns the rows in the range
    // and its last key as a text[] literal), the update brings the range in step ($1 = the
    // previous last key, $2 = this batch's last key). The first batch has no previous key.
    std::string backfill_scan_first, backfill_scan_next;
    std::string backfill_update_first, backfill_update_next;
    // Rows the backfill has not brought in step (or that would violate NOT NULL): returns up
    // to 5 rows of (count of all such rows, the row's key as text).
    std::string pending_rows;
    std::vector<std::string> validate;  // after backfill: VALIDATE CONSTRAINT
    std::vector<std::string> contract;  // run together under lock_timeout
    std::vector<std::string> rollback;  // run together under lock_timeout; IF EXISTS throughout
};

// Checks that the operation can run on `table` (throws error with SQLSTATE 0A000 or 42703
// otherwise) and renders every phase. `table.columns` must not include the new column.
online_plan plan_online(std::string_view revision, const online_operation& op,
                        const online_table& table);

}  // namespace ender::engine
