// libFuzzer target for snapshot documents: any text either fails to parse with an engine::error
// (naming a path) or parses to a snapshot that diffs to nothing against itself, or fails there
// with an engine::error (a change the diff refuses to plan). Nothing else may escape.
#include "engine/diff.hpp"
#include "engine/error.hpp"
#include "engine/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ender::engine;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    snapshot s;
    try {
        s = parse_snapshot(text);
    } catch (const error& e) {
        if (e.detail().rfind("At $", 0) != 0) {
            std::fprintf(stderr, "snapshot_fuzz: error without a path: %s\n", e.detail().c_str());
            std::abort();
        }
        return 0;
    }
    try {
        if (!diff(s, s, {}).empty()) {
            std::fprintf(stderr, "snapshot_fuzz: a document differs from itself\n");
            std::abort();
        }
    } catch (const error&) {
    }
    return 0;
}
