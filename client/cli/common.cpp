// Shared helpers of the ender command (common.hpp).
#include "common.hpp"

#include <cstdio>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace ender::cli {

void fail(std::string message, std::string detail, std::string hint, int code) {
    throw cli_error{std::move(message), std::move(detail), std::move(hint), code};
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) fail("could not read file \"" + p.string() + "\"", {}, {}, exit_database);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    if (!out) fail("could not write file \"" + p.string() + "\"", {}, {}, exit_database);
}

command_result run_command(const std::string& command) {
    command_result r;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return r;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        r.output.append(buffer, n);
    r.status = ::pclose(pipe);
    return r;
}

std::string trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::vector<std::string> split_list(const std::string& value) {
    std::vector<std::string> out;
    std::istringstream in(value);
    for (std::string item; std::getline(in, item, ',');)
        if (item = trim(item); !item.empty()) out.push_back(item);
    return out;
}

std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\t', ' ');
    return s;
}

std::string quoted_list(const std::vector<std::string>& items) {
    std::string list;
    for (const auto& i : items) list += (list.empty() ? "\"" : ", \"") + i + "\"";
    return list;
}

}  // namespace ender::cli
