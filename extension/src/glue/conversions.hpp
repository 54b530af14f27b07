// Column type changes, as the catalog sees them: whether the server has a cast between two
// types (what ender_diff asks before it writes a plain cast), and the "conversions" a target
// declares on its columns, their earlier types spelled as the catalog spells them.
#pragma once
#include "pg.hpp"

#include "../engine/snapshot.hpp"

#include <string>

namespace ender::glue {

// Whether the server can cast `from` to `to` explicitly (CAST, or ALTER COLUMN ... TYPE USING
// col::to): find_coercion_pathway, PostgreSQL's own rule (pg_cast, binary coercion, arrays
// element by element, domains as their base type, I/O conversion to and from text types).
// True for a type the catalog does not know (one the diff creates: it cannot be checked yet).
bool cast_exists(const std::string& from, const std::string& to);

// Checks that the expressions of every column conversion of `target` are one SQL expression each
// (42601 otherwise: a step is never written around a statement), and spells their `from` types
// as format_type does (with the search_path in force), so that "varchar(20)" matches a live
// "character varying(20)"; a type the catalog does not know is left as written.
void prepare_conversions(engine::snapshot& target);

// Gives the columns of `normalised` (`target` rebuilt by the server) the conversions `target`
// declares: the server's rebuild reads back the schema, which has none.
void carry_conversions(const engine::snapshot& target, engine::snapshot& normalised);

}  // namespace ender::glue
