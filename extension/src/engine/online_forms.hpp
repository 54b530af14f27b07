// The "-- ender:online" operation lines the diff proposes beside a step (ender_diff's
// online_operation column): each does online what the step does with one ALTER. Rendered
// here; parsed, checked and run by online.hpp. Format: docs/zero-downtime.md.
#pragma once
#include "cpp_only.hpp"

#include "snapshot.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ender::engine {

// "PRIMARY KEY (a, b)" or "UNIQUE (a)", not deferrable: what a unique index built
// concurrently can back.
bool is_simple_key(const constraint_def& c);

namespace online_form {

// alter_column with USING (up) DOWN (down): the column's declared conversion, or the plain
// casts the diff writes (col::new_type, col::old_type; through text for an enum).
std::string alter_column(const qualified_name& table, const std::string& column,
                         const std::string& new_type, const std::string& up,
                         const std::string& down);

std::string rename_column(const qualified_name& table, const std::string& from,
                          const std::string& to);

// add_column for a new NOT NULL column whose default calls a volatile function (or one
// `volatility` does not know), or that has none (BACKFILL (NULL), a placeholder the author
// replaces); nothing when the default lets ADD COLUMN skip the rewrite (a constant, or only
// immutable and stable calls: now()), or for identity, generated and collated columns.
std::optional<std::string> add_column(const qualified_name& table, const column_def& c,
                                      const std::map<std::string, char>& volatility = {});

// The functions an expression calls (an identifier followed by "(", outside quoted text), as
// written: "now", "pg_catalog.now", "\"My Func\"" (quotes kept). What the glue looks up.
std::vector<std::string> called_functions(std::string_view expression);

std::string set_not_null(const qualified_name& table, const std::string& column);

// add_unique, add_primary_key or add_constraint (CHECK, FOREIGN KEY) for a valid constraint
// added to an existing table; nothing for other kinds and shapes (deferrable, NO INHERIT,
// MATCH FULL, SET NULL (columns)...).
std::optional<std::string> add_constraint(const qualified_name& table, const constraint_def& c);

// create_index for a plain (not unique) index built on an existing table, from its
// pg_get_indexdef definition (the WHERE predicate put in parentheses); nothing for other shapes.
std::optional<std::string> create_index(const qualified_name& table, const index_def& i);

// drop_index for an index dropped from an existing table.
std::string drop_index(const std::string& schema, const std::string& name);

}  // namespace online_form
}  // namespace ender::engine
