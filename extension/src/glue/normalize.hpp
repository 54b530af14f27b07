// Expressions by meaning: a target document written by hand or by the C++ models is rebuilt by
// the server in scratch schemas, inside a subtransaction that is rolled back, and read back
// through the same deparsers as the live schema, so `now()` or `age > 0` written by hand
// compares equal to what the catalog prints.
#pragma once
#include "pg.hpp"

#include "../engine/snapshot.hpp"

namespace ender::glue {

// Whether `target` must be normalised before it is compared with `live`: it was not written by
// this server's deparsers and it differs from the live schema as text.
bool needs_normalising(const engine::snapshot& live, const engine::snapshot& target);

// `target` as this server deparses it. Needs an SPI connection and the right to create the
// document's objects (and to rename its schemas that exist); leaves nothing behind.
engine::snapshot normalise(const engine::snapshot& live, const engine::snapshot& target);

}  // namespace ender::glue
