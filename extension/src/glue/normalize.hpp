// Expressions by meaning: a target document written by hand or by the C++ models is rebuilt by
// the server in scratch schemas, inside a subtransaction that is rolled back, and read back
// through the same deparsers as the live schema, so `now()` or `age > 0` written by hand
// compares equal to what the catalog prints.
#pragma once
#include "pg.hpp"

#include "../engine/diff.hpp"
#include "../engine/snapshot.hpp"
#include "live_snapshot.hpp"

#include <string>
#include <vector>

namespace ender::glue {

// The steps from `live` to `target`, comparing definitions by meaning: a target not written by
// this server's deparsers and not equal to `live` as text is normalised first.
std::vector<engine::diff_step> diff_by_meaning(const engine::snapshot& live,
                                               engine::snapshot target,
                                               const engine::diff_options& options);

// `target` as this server deparses it. Needs an SPI connection and the right to create the
// document's objects (and to rename its schemas that exist); leaves nothing behind.
engine::snapshot normalise(const engine::snapshot& live, const engine::snapshot& target);

}  // namespace ender::glue
