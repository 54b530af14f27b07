// ender.toml, the DSN's sources, and connection strings (config.hpp).
#include "config.hpp"

#include "version.hpp"

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>

namespace ender::cli {

config load_config(const options& o) {
    config c;
    fs::path file = o.has("config") ? fs::path(o.value("config")) : "ender.toml";
    bool exists = fs::exists(file);
    if (!exists && o.has("config"))
        fail("configuration file \"" + file.string() + "\" does not exist");
    if (exists) {
        c.file = file;
        std::istringstream in(read_file(file));
        std::string line;
        for (int n = 1; std::getline(in, line); ++n) {
            line = trim(line);
            if (line.empty() || line[0] == '#' || line[0] == '[') continue;
            auto eq = line.find('=');
            std::string key = eq == std::string::npos ? line : trim(line.substr(0, eq));
            std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
            std::string where =
                "The problem is at line " + std::to_string(n) + " of \"" + file.string() + "\".";
            if (eq == std::string::npos || value.size() < 2 || value.front() != '"' ||
                value.back() != '"')
                fail("malformed configuration line", where, "Write key = \"value\".");
            value = value.substr(1, value.size() - 2);
            if (key == "dsn")
                c.dsn = value;
            else if (key == "dir")
                c.dir = file.parent_path() / value;
            else
                fail("unknown configuration key \"" + key + "\"", where, "Known keys: dsn, dir.");
        }
    }
    if (o.has("dir")) c.dir = o.value("dir");
    if (o.has("dsn")) {
        c.dsn = o.value("dsn");
    } else {
        for (const char* name : {"ENDER_DSN", "DATABASE_URL"})
            if (const char* v = std::getenv(name); v && *v) {
                c.dsn = v;
                break;
            }
    }
    return c;
}

bool verbose = false;

ender::session connect(const std::string& dsn, const std::string& label) {
    ender::session db(dsn);
    warn_if_extension_older(db, label);
    const std::string prefix = label.empty() ? std::string() : label + ": ";
    db.on_notice([prefix](std::string_view m) { std::cerr << prefix << m; });
    if (verbose)
        db.on_statement([prefix](const ender::statement_info& s) {
            char ms[32];
            std::snprintf(
                ms, sizeof ms, "%.1f",
                std::chrono::duration_cast<std::chrono::microseconds>(s.duration).count() / 1000.0);
            std::string line = prefix + "-- " + ms + " ms, " + std::to_string(s.rows) +
                               (s.rows == 1 ? " row" : " rows") + ": " +
                               one_line(std::string(s.sql));
            for (const auto& p : s.parameters) line += "; " + p;
            std::cerr << line << "\n";
        });
    return db;
}

namespace {

// A keyword=value connection string value, quoted as libpq reads it.
std::string conninfo_value(const std::string& v) {
    std::string q = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') q += '\\';
        q += c;
    }
    return q + "'";
}

}  // namespace

std::string with_database(const std::string& dsn, const std::string& dbname) {
    std::string out;
    if (!dsn.empty()) {
        char* message = nullptr;
        std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
            PQconninfoParse(dsn.c_str(), &message), PQconninfoFree);
        if (!options) {
            std::string why = message ? trim(message) : "out of memory";
            PQfreemem(message);
            fail("invalid connection string", why, {}, exit_database);
        }
        for (auto* opt = options.get(); opt->keyword; ++opt)
            if (opt->val && std::string(opt->keyword) != "dbname")
                out += std::string(opt->keyword) + "=" + conninfo_value(opt->val) + " ";
    }
    return out + "dbname=" + conninfo_value(dbname);
}

std::string shown_dsn(const std::string& dsn) {
    static const std::regex uri_password(R"((://[^:/@]*:)[^@]*@)");
    static const std::regex keyword_password(R"((password\s*=\s*)('([^'\\]|\\.)*'|\S+))");
    std::string s = std::regex_replace(dsn, uri_password, "$1***@");
    return std::regex_replace(s, keyword_password, "$1***");
}

}  // namespace ender::cli
