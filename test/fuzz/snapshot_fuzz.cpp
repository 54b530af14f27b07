// libFuzzer target for snapshot documents: parse_snapshot either refuses a document with an
// engine::error or reads it; a document read is then diffed against itself and against an
// empty one, and its declared renames planned against itself (every new name exists there:
// nothing to rename, or a refused swap). Nothing may crash or throw anything else.
#include "engine/diff.hpp"
#include "engine/error.hpp"
#include "engine/renames.hpp"
#include "engine/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace ender::engine;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "snapshot_fuzz: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    snapshot doc;
    try {
        doc = parse_snapshot(text);
    } catch (const error&) {
        return 0;
    }
    try {
        if (!rename_steps(doc, doc).empty()) fail("a document renames objects against itself");
    } catch (const error& e) {
        if (std::string_view(e.sqlstate()) != sqlstate::feature_not_supported)
            fail("renames against itself raise an error");
    }
    snapshot empty;
    empty.privileges = doc.privileges;
    for (const auto& [from, to] : {std::pair<const snapshot*, const snapshot*>{&doc, &doc},
                                   {&empty, &doc},
                                   {&doc, &empty}}) {
        try {
            diff(*from, *to, {});
            diff(*from, *to, {.online = false});
        } catch (const error&) {
        }
    }
    return 0;
}
