// libFuzzer target for the migration-file parser: any input either parses into a revision
// that survives a render/parse round trip unchanged, or is rejected with an engine::error.
#include "engine/error.hpp"
#include "engine/revision.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {

using ender::engine::revision;

// Prints what broke and the texts involved, then aborts so libFuzzer keeps the input.
[[noreturn]] void fail(const char* what, const std::string& rendered) {
    std::fprintf(stderr, "migration_file_fuzz: %s\n--- rendered ---\n%s\n--- end ---\n", what,
                 rendered.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    revision r;
    try {
        r = ender::engine::parse_migration(text);
    } catch (const ender::engine::error& e) {
        // Rejected input: the error must still look like a PostgreSQL error.
        std::string_view code = e.sqlstate();
        if (code.size() != 5) fail("engine::error with a malformed SQLSTATE", e.what());
        if (std::string_view(e.what()).empty()) fail("engine::error without a message", "");
        return 0;
    }
    // Anything else thrown (std::out_of_range, std::bad_alloc from a bogus size...) escapes
    // and libFuzzer reports it as a crash.

    std::string rendered = ender::engine::render_migration(r);
    revision again;
    try {
        again = ender::engine::parse_migration(rendered);
    } catch (const ender::engine::error& e) {
        fail((std::string("rendered text does not parse: ") + e.what() + " " + e.detail()).c_str(),
             rendered);
    }
    if (!(again == r)) fail("parse(render(r)) != r", rendered);
    if (ender::engine::render_migration(again) != rendered) fail("render is not stable", rendered);
    if (ender::engine::canonical_content(again) != ender::engine::canonical_content(r))
        fail("canonical content changed in the round trip", rendered);
    try {
        ender::engine::validate(r);
    } catch (const ender::engine::error& e) {
        fail((std::string("parsed revision does not validate: ") + e.what()).c_str(), rendered);
    }
    return 0;
}
