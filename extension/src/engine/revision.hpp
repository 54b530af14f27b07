// A migration revision as users write it, and its migration-file form: parsing, rendering,
// identifier rules, and the canonical content its checksum is computed over.
#pragma once
#include "cpp_only.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ender::engine {

struct revision {
    std::string id;
    std::vector<std::string> parents;     // none for a root; several for a merge
    std::vector<std::string> depends_on;  // applied first, but not parents (no merge)
    std::optional<std::string> branch_label;
    std::optional<std::string> message;
    std::string upgrade;                   // SQL; may be empty (a merge)
    std::optional<std::string> downgrade;  // absent: the revision cannot be undone
    std::optional<std::string> online;     // an online operation (engine/online.hpp), as written
    // "-- ender:lock_wait_limit 30min": how long applying it may retry for its locks (a number
    // and a unit of time, as SET takes them); an operational setting, not in the checksum.
    std::optional<std::string> lock_wait_limit;
    // "-- ender:step backfill_emails": a C++ data step the application registers, run in the
    // revision's transaction after its SQL (and on downgrade, its downgrade function after the
    // downgrade SQL). Only an application's migrate program can apply such a revision.
    std::optional<std::string> step;

    bool operator==(const revision&) const = default;
};

// Throws error(invalid_parameter_value) unless `name` is a valid revision id or branch label:
// 1 to 64 ASCII letters, digits or underscores, and not a reserved target word.
void validate_name(std::string_view name, std::string_view what);

// Validates every field of a revision (names, no self-reference, no duplicates).
void validate(const revision& r);

// Parses the text of a migration file (format in docs/migration-files.md).
revision parse_migration(std::string_view text);

// Writes the canonical migration-file text of a revision; parse_migration(render_migration(r)) ==
// r.
std::string render_migration(const revision& r);

// The unambiguous serialisation the checksum is computed over: independent of the form the
// revision was registered in and of the order of parents and dependencies.
std::string canonical_content(const revision& r);

// Splits a list of names separated by commas and/or white space.
std::vector<std::string> split_names(std::string_view list);

}  // namespace ender::engine
