// The tables of a snapshot read into the engine's structures (catalog_tables.cpp), for the live
// side of a diff (live_snapshot.hpp); ender._snapshot_tables writes the same as json text.
#pragma once
#include "pg.hpp"

#include "../engine/snapshot.hpp"
#include "catalog_rows.hpp"

#include <vector>

namespace ender::glue::catalog {

// The tables of the schemas `schemas` (an oid[]), in document order, with their lists. Needs an
// SPI connection; runs under the settings ender._snapshot_json pins.
void read_tables(Datum schemas, std::vector<engine::table_def>& tables);

// The triggers of relations: $1 their oids; rows of (relation, name, definition, tgenabled,
// comment), by relation and name. Tables' and views' triggers are read alike.
extern const char* const triggers_query;

// One row of triggers_query added to a list of triggers.
void write_trigger(const row& r, std::vector<engine::trigger_def>& triggers);

}  // namespace ender::glue::catalog
