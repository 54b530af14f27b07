// What every part of the ender command shares: exit codes, the usage-error exception, and
// small file and string helpers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ender::cli {

namespace fs = std::filesystem;

constexpr int exit_ok = 0;
constexpr int exit_differences = 1;
constexpr int exit_usage = 2;
constexpr int exit_database = 3;

// A mistake in how the command was called, in the files it reads or in the state it finds:
// exit 2, or `code`. Database errors travel as ender::error instead (exit 3).
struct cli_error {
    std::string message;
    std::string detail;
    std::string hint;
    int code = exit_usage;
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
// `s` on one line: newlines and tabs become spaces.
std::string one_line(std::string s);
// "a", "b" -> "\"a\", \"b\"" for messages.
std::string quoted_list(const std::vector<std::string>& items);

}  // namespace ender::cli
