// The command line: the verb, its arguments and options, and the usage text.
#pragma once

#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ender::cli {

struct options {
    std::string program = "ender";  // how the command was called, for messages
    std::string verb;
    std::vector<std::string> positional;
    std::map<std::string, std::string> values;  // valued option name without dashes -> value
    std::set<std::string> flags;                // flags given, without dashes
    bool json = false;
    bool help = false;
    bool version = false;  // --version

    bool has(const std::string& name) const { return values.contains(name); }
    const std::string& value(const std::string& name) const { return values.at(name); }
    bool flag(const std::string& name) const { return flags.contains(name); }
};

options parse_arguments(int argc, char** argv);

// Refuses options that do not apply to the verb (besides --dsn, --dir, --config) and a
// number of arguments outside [min_positional, max_positional].
void allow_only(const options& o, std::initializer_list<const char*> allowed,
                std::size_t min_positional, std::size_t max_positional);

// The --help text; `models` says whether this program knows the application's models.
std::string usage(const std::string& program, bool models);

}  // namespace ender::cli
