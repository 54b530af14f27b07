// Index and key constraint definitions written from the catalog rows of a snapshot's tables
// (catalog_tables.cpp), as the server's deparsers would print them, without their per-object
// catalog scans.
#pragma once
#include "pg.hpp"

#include "catalog_names.hpp"
#include "catalog_rows.hpp"

#include <string>
#include <vector>

namespace ender::glue::catalog {

// The text pg_get_indexdef prints, for an index of plain columns with their default operator
// classes and collations, ascending, without options or expressions: written here without the
// relation opening and operator class scans pg_get_indexdef does for every index. False for any
// other index, which is left to pg_get_indexdef. sql/snapshot.sql checks that both agree.
// Called inside pg_guard; `out` lives outside.
bool simple_index_definition(const row& r, const std::vector<column_info>& columns,
                             const std::string& table, default_opclasses& defaults,
                             std::string& out);

// The text pg_get_constraintdef prints for a primary key, unique constraint or foreign key,
// written from the row without its per-constraint catalog scans; false when anything is
// unusual (the server then writes it). sql/snapshot_definitions.sql checks that both agree.
// Called inside pg_guard; `out` lives outside.
bool key_constraint_definition(const row& r, const std::vector<column_info>& own,
                               const std::vector<column_info>& referenced, std::string& out);

}  // namespace ender::glue::catalog
