// The migrations directory: reading its files with the extension's own parser (the engine's
// parse_migration, compiled into the command), the revision graph they form, and writing new
// revision files.
#pragma once

#include "common.hpp"
#include "naming.hpp"

#include "engine/error.hpp"
#include "engine/revision.hpp"
#include "engine/revision_graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ender::cli {

struct migration_file {
    fs::path path;
    std::string source;
    engine::revision revision;  // as the extension will register it
};

// Every *.sql file directly in `dir`, sorted by name (the order `upgrade` registers them in),
// parsed. A malformed file is exit 1, naming the file and the line.
std::vector<migration_file> migration_files(const fs::path& dir);
// The same for files read elsewhere (compiled into the program): `path` and `source` set.
std::vector<migration_file> parsed(std::vector<migration_file> files);

// The graph of the files, in the order `upgrade` registers them.
engine::revision_graph graph_of(const std::vector<migration_file>& files);

// The file of revision `id` among `files`; exit 1 when none has it.
const migration_file& file_of(const std::vector<migration_file>& files, const std::string& id);

// The ids of the heads of the files' graph.
std::vector<std::string> head_ids(const std::vector<migration_file>& files);

// A new revision file: what `revision`, `merge` and `revision --autogenerate` write.
struct new_revision {
    std::vector<std::string> parents;
    std::optional<std::string> branch;
    std::string message;
    std::optional<std::string> online;     // the "-- ender:online" operation, when online
    std::string header_comment;            // "-- " lines between the header and the upgrade
    std::string upgrade;                   // SQL (and comments)
    std::optional<std::string> downgrade;  // absent: no downgrade section
};

struct written_revision {
    std::string id;
    fs::path path;
};

// Writes DIR/<file name of naming> with a fresh id in naming's format, and checks that the
// extension's parser reads back what was meant.
written_revision write_revision(const fs::path& dir, const new_revision& r,
                                const revision_naming& naming = {});

// Runs `body`, turning an engine::error (a bad target, an unknown revision) into a cli_error
// with `code`.
template <class F>
auto engine_call(F&& body, int code) -> decltype(body()) {
    try {
        return body();
    } catch (const engine::error& e) {
        fail(e.what(), e.detail(), e.hint(), code);
    }
}

}  // namespace ender::cli
