// Where the command finds its database and migrations: options, environment, ender.toml.
#pragma once

#include "args.hpp"
#include "common.hpp"

#include "ender/session.hpp"

#include <string>

namespace ender::cli {

struct config {
    std::string dsn;
    fs::path dir = "migrations";
    fs::path file;  // the configuration file read, if any
};

// --dsn, ENDER_DSN, DATABASE_URL, then the file; --dir, then the file, then ./migrations.
config load_config(const options& o);

// --verbose: connect() reports every statement on stderr. Set once by ender::cli::main.
extern bool verbose;

// A session whose notices go to stderr (prefixed with `label` when there is one), and with
// --verbose every statement it runs.
ender::session connect(const std::string& dsn, const std::string& label = {});

// `dsn` with its database replaced by `dbname` (URIs and keyword strings alike).
std::string with_database(const std::string& dsn, const std::string& dbname);

// `dsn` as it may be shown: the password replaced by ***.
std::string shown_dsn(const std::string& dsn);

}  // namespace ender::cli
