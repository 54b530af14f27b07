// A snapshot document given as jsonb (ender_diff(jsonb), ender_check(jsonb)), read by the
// engine's parser straight from the jsonb value: no printing of 12 MB of jsonb as text only to
// parse the text again.
#pragma once
#include "pg.hpp"

#include "../engine/snapshot.hpp"

namespace ender::glue {

// Parses and validates the jsonb document `doc` as engine::parse_snapshot parses JSON text
// (the same errors, with the same paths).
engine::snapshot parse_snapshot_jsonb(Datum doc);

}  // namespace ender::glue
