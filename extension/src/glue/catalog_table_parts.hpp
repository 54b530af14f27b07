// The columns, constraints and indexes of a snapshot's tables (catalog_tables.cpp), each read
// by one reader straight from its catalogs (catalog_scan.hpp) and written either as the JSON
// arrays of the document's "columns", "constraints" and "indexes" (docs/snapshot-format.md) or
// into the engine's tables (the live side of a diff, live_snapshot.hpp). A reader takes the
// tables in document order and fills lists[i] (or the lists of tables[i]) for tables[i].
#pragma once
#include "pg.hpp"

#include "../engine/json_text.hpp"
#include "catalog_rows.hpp"
#include "catalog_scan.hpp"

#include <string>
#include <unordered_set>
#include <vector>

namespace ender::glue::catalog {

// The tables a reader reads, and what the readers share.
struct table_set {
    const std::vector<Oid>& oids;
    const std::vector<std::string>& qualified;  // schema.table, quoted
    const descriptions& comments;
    column_store& names;  // filled by read_columns; referenced tables added by read_constraints
    std::unordered_set<Oid> constraint_indexes;  // indexes a constraint describes
};

// Columns: name, type, default (deparsed once per distinct tree: defaults cannot refer to
// columns), generated expression, identity, collation, comment, inherited.
void read_columns(table_set& tables, std::vector<json_text>& lists);
void read_columns(table_set& tables, std::vector<engine::table_def>& lists);

// Constraints: a constraint trigger is described by its trigger, inherited checks on the
// parent, partitions' copies by the partitioned table. Keys are written here
// (key_constraint_definition); checks and exclusions are deparsed by the server.
void read_constraints(table_set& tables, std::vector<json_text>& lists);
void read_constraints(table_set& tables, std::vector<engine::table_def>& lists);

// Indexes, by name: those that back a constraint are described by the constraint (after
// read_constraints), partitions' copies by the partitioned table's index. Plain ones are
// written here (simple_index_definition), the others by pg_get_indexdef.
void read_indexes(table_set& tables, std::vector<json_text>& lists);
void read_indexes(table_set& tables, std::vector<engine::table_def>& lists);

}  // namespace ender::glue::catalog
