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

// One operation, of one of the kinds online_kinds.hpp lists with their forms (keywords
// case-insensitive, identifiers as in SQL).
struct online_operation {
    std::string kind;
    std::optional<std::string> schema;  // absent: resolved through the caller's search_path
    std::string table;
    std::string column;    // alter_column, add_column, set_not_null; rename_column: the old name
    std::string new_name;  // rename_column
    std::string type;      // alter_column, add_column: as written; the glue resolves it
    std::string up;        // alter_column: the new value from a row of the old shape
    std::string down;      // alter_column: the old value from a row of the new shape
    std::optional<std::string> default_expr;  // add_column
    std::string backfill;    // add_column: the value of existing rows and of old-shape writes
    std::string constraint;  // add_unique, add_primary_key, add_constraint
    std::vector<std::string> columns;       // the key (add_unique, add_primary_key, foreign key)
    std::string check;                      // add_constraint ... CHECK (check)
    std::optional<std::string> ref_schema;  // add_constraint ... FOREIGN KEY
    std::string ref_table;
    std::vector<std::string> ref_columns;
    std::string on_delete, on_update;  // "CASCADE", "SET NULL"... or empty
    // create_index, drop_index: the index (drop_index: `schema` is its schema and `table` is
    // empty until the glue finds the index's table).
    std::string index;
    // create_index: what follows the table, as CREATE INDEX spells it: [USING method] (keys)
    // [INCLUDE (columns)] [WITH (parameters)] [WHERE (predicate)], rebuilt from its parts.
    std::string index_definition;

    bool operator==(const online_operation&) const = default;
};

// Parses the text after "-- ender:online". Throws error(syntax_error) saying what is wrong,
// error(feature_not_supported) for an unknown operation.
online_operation parse_online_operation(std::string_view text);

struct online_column {
    std::string name;
    std::string type;  // format_type()
    bool not_null = false;
    std::optional<std::string> default_expr;  // pg_get_expr()
};

// A privilege granted on the table (aclexplode of relacl), copied to the new shape's view.
struct online_grant {
    std::string grantee;    // a role name, or "PUBLIC"
    std::string privilege;  // SELECT, INSERT, UPDATE, DELETE
    bool grantable = false;
    bool operator==(const online_grant&) const = default;
};

// The table an operation changes, as the catalog shows it before expand (without the
// columns and constraints expand adds).
struct online_table {
    std::string schema, name;
    std::vector<online_column> columns;  // in attnum order
    std::vector<std::string> key;        // primary key columns, in key order
    std::vector<online_grant> grants = {};
};

// The names of what expand creates: all derived from the revision and the operation, so that
// contract and rollback find them again without stored state.
struct online_names {
    std::string view_schema;  // the new shape: one schema of views per revision
    std::string new_column;   // a column expand adds (alter_column: beside the old one;
                              // add_column: the column itself); empty for the other kinds
    std::string function;     // the trigger function keeping both shapes in step (in view_schema)
    std::string trigger;      // on the table
};

online_names names_of(std::string_view revision, const online_operation& op);

// The schema of views of `revision`'s new shape, "ender_<revision>" cut to fit 63 bytes
// (names_of().view_schema; a custom revision has one too).
std::string view_schema_name(std::string_view revision);

// CHECK (column IS NOT NULL) NOT VALID, added at expand so that SET NOT NULL at contract needs
// no scan: its name for `column`.
std::string not_null_check_name(std::string_view column);

// The SQL of every phase of one online operation (render_phase_sql).
struct online_phase_sql {
    // Run at start, in the caller's transaction, without locking the table: they fail when an
    // expression (USING, BACKFILL, DEFAULT, CHECK) does not fit the table.
    std::vector<std::string> checks;
    std::vector<std::string> expand;  // run together, in one transaction, under lock_timeout
    // One backfill batch, in two statements: the scan reads the batch's key range ($1 = batch
    // size, $2 = the previous batch's last key, a text[] literal; returns the rows in the range
    // and its last key as a text[] literal), the update brings the range in step ($1 = the
    // previous last key, $2 = this batch's last key). The first batch has no previous key.
    // All empty: the operation has no backfill.
    std::string backfill_scan_first, backfill_scan_next;
    std::string backfill_update_first, backfill_update_next;
    // Rows that would make validation or contract fail: returns up to 5 rows of (count of all
    // such rows, the row's key as text). Empty: nothing to look for. What they mean: the
    // message and the detail (before the keys).
    std::string pending_rows, pending_message, pending_detail;
    bool recheck_at_complete = false;   // run pending_rows again at ender_complete
    std::vector<std::string> validate;  // after backfill: VALIDATE CONSTRAINT (no write lock)
    // An index the worker builds CONCURRENTLY (top-level, at validate), dropped CONCURRENTLY
    // when a failed build left it invalid; duplicates names the keys that stop a unique one
    // (as pending_rows does). All empty: no index.
    std::string index_name, build_index, drop_invalid_index, duplicates;
    // drop_index: index_name is not built but dropped, by drop_invalid_index (valid or not);
    // once the worker has begun, the job can no longer be rolled back.
    bool drops_index = false;
    std::vector<std::string> contract;  // run together under lock_timeout
    std::vector<std::string> rollback;  // run together under lock_timeout; IF EXISTS throughout
};

// Checks that the operation can run on `table` (throws error with SQLSTATE 0A000, 42703 or
// 42701 otherwise) and renders every phase. `table.columns` must not include the column the
// operation adds (names_of().new_column).
online_phase_sql render_phase_sql(std::string_view revision, const online_operation& op,
                                  const online_table& table);

}  // namespace ender::engine
