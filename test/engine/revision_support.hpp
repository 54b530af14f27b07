// Shared by the revision tests: a revision printed field by field in failures, and a minimal
// valid migration file around an upgrade section.
#pragma once

#include "engine/revision.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ender::engine {

// Shows a revision field by field when an assertion on it fails (found by ADL).
inline void PrintTo(const revision& r, std::ostream* out) {
    auto quoted = [](const std::optional<std::string>& s) {
        return s ? ::testing::PrintToString(*s) : std::string("(absent)");
    };
    *out << "{id " << ::testing::PrintToString(r.id) << ", parents "
         << ::testing::PrintToString(r.parents) << ", depends_on "
         << ::testing::PrintToString(r.depends_on) << ", branch " << quoted(r.branch_label)
         << ", message " << quoted(r.message) << ", upgrade " << ::testing::PrintToString(r.upgrade)
         << ", downgrade " << quoted(r.downgrade) << "}";
}

using strings = std::vector<std::string>;

// A minimal valid file around an upgrade section, for tests about the header.
inline std::string with_header(const std::string& header) {
    return header + "-- ender:upgrade\nSELECT 1;\n";
}

}  // namespace ender::engine
