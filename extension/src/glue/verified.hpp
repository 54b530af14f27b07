// Revisions as ender runs them: every field read back from ender.revision and checked against
// the checksum computed when the revision was registered, so that SQL changed in the table
// after review (by hand, by a restore, by anyone who could write it) is never run.
#pragma once
#include "pg.hpp"

#include "../engine/revision.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace ender::glue {

// The SHA-256 of a revision's canonical content (engine::canonical_content), in hex.
std::string revision_checksum(const engine::revision& r);

// The revisions `ids`, by id, each verified against its stored checksum: a revision whose
// content no longer matches is an error naming it (XX001), and nothing runs.
std::unordered_map<std::string, engine::revision> verified_revisions(
    const std::vector<std::string>& ids);

// Those of `ids` whose stored content no longer matches their checksum.
std::vector<std::string> altered_revisions(const std::vector<std::string>& ids);

// One revision, verified (42704 when it is not registered).
engine::revision verified_revision(const std::string& id);

}  // namespace ender::glue
