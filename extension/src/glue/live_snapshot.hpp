// The live schema as the engine's snapshot, read from the catalogs straight into its structures
// (the live side of ender_diff and ender_check): the same snapshot engine::parse_snapshot makes
// of ender._snapshot_json's text, without the text. ender._live_snapshot_mismatch compares the
// two (test/diff/run.sh runs it on both sides of every pair).
#pragma once
#include "pg.hpp"

#include "../engine/snapshot.hpp"

#include <string>
#include <vector>

namespace ender::glue {

// The live schema as ender_snapshot(schemas, privileges) reads it (every user schema when
// `schemas` is null). Needs an SPI connection.
engine::snapshot read_snapshot(const std::vector<std::string>* schemas, bool privileges);

// The two ways read_snapshot can take: the catalogs read into the structures (privileges are
// not read this way yet), and the document (ender._snapshot_json, or ender_snapshot with
// privileges) parsed by the engine.
engine::snapshot read_live_snapshot(const std::vector<std::string>* schemas);
engine::snapshot read_snapshot_document(const std::vector<std::string>* schemas, bool privileges);

}  // namespace ender::glue
