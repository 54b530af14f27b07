// What the command prints: aligned tables, colour on a terminal (NO_COLOR respected),
// JSON rows from the server, and the one-line reports of the verbs that change state.
#pragma once

#include "args.hpp"
#include "common.hpp"

#include "ender/session.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ender::cli {

using ordered_json = nlohmann::ordered_json;

// SGR colours, applied only when the stream is a terminal and NO_COLOR is not set.
enum class colour { none, bold, red, green, yellow, dim };
bool colour_on(int fd);
std::string paint(int fd, colour c, const std::string& text);

// A JSON value as a table cell.
std::string cell(const ordered_json& v);

// Rows (an array of objects with the same keys, in order) as an aligned table on stdout.
void print_table(const ordered_json& rows, const std::vector<std::string>& columns);

// Runs `query` (one statement, parameters bound) and returns its rows as JSON objects, with
// the server's own JSON rendering of every type and the columns in order.
template <class... A>
ordered_json rows(ender::session& db, const std::string& query, const A&... params) {
    auto text = db.scalar<std::string>(
        "SELECT coalesce(json_agg(t), '[]')::text FROM (" + query + ") t", params...);
    return ordered_json::parse(text);
}

// Prints `r` as JSON or as a table of `columns`.
void print_rows(const options& o, const ordered_json& r, const std::vector<std::string>& columns);

// What a state-changing verb did: "VERB <id>  <message>" per revision, or {"KEY": [ids]}.
int report(const options& o, ender::session& db, const char* key, const char* verb,
           const std::vector<std::string>& ids);

// The error line and its DETAIL, CONTEXT (where a migration statement failed) and HINT, on
// stderr.
void print_error(const std::string& message, const std::string& detail, const std::string& hint,
                 const std::optional<error_location>& where = std::nullopt);

// The error on one line: "message (detail) [upgrade of revision "x", statement 2 of 3, line 9
// of "file"]", for reports that list several outcomes (test, fleet upgrades).
std::string error_summary(const std::string& message, const std::string& detail,
                          const std::optional<error_location>& where = std::nullopt);

// The same error as a JSON object, {"error": {...}}, for --json on stdout.
ordered_json error_json(const std::string& message, const std::string& detail,
                        const std::string& hint, const std::string& sqlstate, int code,
                        const std::optional<error_location>& where = std::nullopt);

// The same as a warning: the command goes on.
void print_warning(const std::string& message, const std::string& detail, const std::string& hint);

}  // namespace ender::cli
