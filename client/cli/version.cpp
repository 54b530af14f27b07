// ender --version and the extension version check (version.hpp).
#include "version.hpp"

#include "output.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <tuple>
#include <vector>

#ifndef ENDER_VERSION
#error "ENDER_VERSION is set by the build (CMakeLists.txt, from ender.control)"
#endif

namespace ender::cli {

namespace {

std::vector<long> version_numbers(const std::string& v) {
    std::vector<long> numbers;
    std::istringstream in(v);
    std::string part;
    while (std::getline(in, part, '.')) {
        try {
            numbers.push_back(std::stol(part));
        } catch (const std::exception&) {
            numbers.push_back(0);
        }
    }
    return numbers;
}

}  // namespace

std::string version_text(const std::string& program) {
    return program + " " + ENDER_VERSION + "\nexpects the ender extension " +
           ENDER_EXTENSION_VERSION + "\n";
}

bool version_older(const std::string& a, const std::string& b) {
    auto x = version_numbers(a), y = version_numbers(b);
    auto n = std::max(x.size(), y.size());
    x.resize(n);
    y.resize(n);
    return x < y;
}

void warn_if_extension_older(ender::session& db, const std::string& label) {
    // No row when the database has no extension (the verb says so, or creates it).
    auto rows = db.query<std::tuple<std::string>>(
        "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'ender'");
    if (rows.empty()) return;
    const std::optional<std::string> installed = std::get<0>(rows[0]);
    if (!version_older(*installed, ENDER_EXTENSION_VERSION)) return;
    print_warning((label.empty() ? std::string() : label + ": ") +
                      "the database's ender extension is version " + *installed +
                      ", older than the " + ENDER_EXTENSION_VERSION + " this command expects",
                  "Verbs that need what the newer version added may fail.",
                  "Run ALTER EXTENSION ender UPDATE in the database (as its owner).");
}

}  // namespace ender::cli
