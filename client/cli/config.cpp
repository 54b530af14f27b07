// Connection strings and sessions (config.hpp); ender.toml is read in config_file.cpp.
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
#include <tuple>

namespace ender::cli {

std::string libpq_dsn(const std::string& dsn) {
    // scheme://rest with a SQLAlchemy driver: postgresql+psycopg2, postgres+asyncpg, ...
    static const std::regex sqlalchemy(R"(^(postgres(ql)?)\+[A-Za-z0-9_]+://)");
    std::smatch m;
    if (!std::regex_search(dsn, m, sqlalchemy)) return dsn;
    std::string out = "postgresql://" + m.suffix().str();
    // asyncpg spells sslmode "ssl" (and accepts true/false); libpq refuses unknown parameters.
    static const std::regex ssl(R"(([?&])ssl=([^&]*))");
    std::string result;
    auto begin = out.cbegin();
    for (std::sregex_iterator it(out.begin(), out.end(), ssl), end; it != end; ++it) {
        std::string value = (*it)[2].str();
        if (value == "true") value = "require";
        if (value == "false") value = "disable";
        result.append(begin, out.cbegin() + it->position());
        result += (*it)[1].str() + "sslmode=" + value;
        begin = out.cbegin() + it->position() + it->length();
    }
    result.append(begin, out.cend());
    return result;
}

bool verbose = false;

ender::session connect(const std::string& dsn, const std::string& label) {
    ender::session db(libpq_dsn(dsn));
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

bool install_extension(ender::session& db) {
    if (db.scalar<bool>(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'ender')"))
        return false;
    auto database = db.scalar<std::string>("SELECT current_database()");
    try {
        db.execute("CREATE EXTENSION IF NOT EXISTS ender");
    } catch (const ender::error& e) {
        fail("could not create the ender extension in database \"" + database + "\"", e.what(),
             e.sqlstate() == "42501"
                 ? "ender is not a trusted extension: a superuser must run CREATE EXTENSION ender; "
                   "in that database."
                 : (e.hint().empty() ? "Is the extension installed on the server (make install, or "
                                       "its package)?"
                                     : e.hint()),
             exit_database);
    }
    return true;
}

ender::session connect_ender(const std::string& dsn, bool install, const std::string& label) {
    auto db = connect(dsn, label);
    if (install) {
        if (install_extension(db))
            std::cerr << "created extension ender in database \""
                      << db.scalar<std::string>("SELECT current_database()::text") << "\"\n";
        return db;
    }
    require_extension(db);
    return db;
}

void require_extension(ender::session& db) {
    auto [installed, available, database] = db.query<std::tuple<bool, bool, std::string>>(
        "SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'ender'), "
        "EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name = 'ender'), "
        "current_database()::text")[0];
    if (installed) return;
    if (!available)
        fail("the ender extension is not installed on the server of database \"" + database + "\"",
             "ender keeps its revisions, position and log in the database, through the extension, "
             "and the server has no \"ender\" extension to create.",
             "Install it on the server (make install, or its package), then run \"ender init "
             "--install-extension\".",
             exit_database);
    fail(
        "database \"" + database + "\" does not have the ender extension",
        "ender keeps its revisions, position and log in the database, through the extension.",
        "Run \"ender init --install-extension\" (or add --install-extension to \"ender upgrade\"), "
        "or have a superuser run CREATE EXTENSION ender; in that database.",
        exit_database);
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

std::string with_database(const std::string& given, const std::string& dbname) {
    std::string out;
    const std::string dsn = libpq_dsn(given);
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
