// What every part of the ender command shares: exit codes, the usage-error exception, and
// small file and string helpers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ender::cli {

namespace fs = std::filesystem;

constexpr int exit_ok = 0;
constexpr int exit_differences = 1;
constexpr int exit_usage = 2;
constexpr int exit_database = 3;

// Where a migration statement failed: the revision, the statement and its text, from the
// CONTEXT the server attached and the failure ender_upgrade_logged recorded.
struct error_location {
    std::string operation;  // "upgrade" or "downgrade"
    std::string revision;
    std::string revision_message;
    int statement = 0;   // 1-based, in the revision's section
    int statements = 0;  // in the section
    int line = 0;        // of the statement's start: in `file`, or in the section without one
    std::string file;    // the migration file, when the directory has it
    std::string sql;     // the statement
    std::int64_t history_id = 0;  // its row in ender_history(), 0 when none was recorded
};

// A mistake in how the command was called, in the files it reads or in the state it finds:
// exit 2, or `code`. Database errors travel as ender::error instead (exit 3), or as a
// cli_error with the server's SQLSTATE when the command adds to them (where a migration failed).
struct cli_error {
    std::string message;
    std::string detail;
    std::string hint;
    int code = exit_usage;
    std::string sqlstate;
    std::optional<error_location> where;
};

[[noreturn]] void fail(std::string message, std::string detail = {}, std::string hint = {},
                       int code = exit_usage);

std::string read_file(const fs::path& p);
// Writes `text` to `p`, replacing it; a file that cannot be written is exit 3.
void write_file(const fs::path& p, const std::string& text);

// Runs `command` through /bin/sh with stderr joined to stdout: its exit status (-1 when it
// could not be started) and its output. Pass paths and secrets through the environment
// ("$VAR" in the command), never spliced into it.
struct command_result {
    int status = -1;
    std::string output;
};
command_result run_command(const std::string& command);

std::string trim(std::string s);
// "a, b,c" -> {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> split_list(const std::string& value);
// `s` on one line: newlines and tabs become spaces.
std::string one_line(std::string s);
// "a", "b" -> "\"a\", \"b\"" for messages.
std::string quoted_list(const std::vector<std::string>& items);

}  // namespace ender::cli
