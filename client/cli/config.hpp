// Where the command finds its database and migrations: options, environment, ender.toml.
#pragma once

#include "args.hpp"
#include "common.hpp"
#include "naming.hpp"

#include "ender/session.hpp"

#include <string>
#include <vector>

namespace ender::cli {

struct config {
    std::string dsn;
    fs::path dir = "migrations";
    fs::path file;  // the configuration file read, if any
    // What diff, check and autogenerate leave out: `exclude` of the file and --exclude, each a
    // comma-separated list of tables ([schema.]name, * and ? as wildcards) and schemas
    // (schema.*); alembic_version is left out unless `exclude_alembic_version` is false.
    std::vector<std::string> exclude;
    bool exclude_alembic_version = true;
    revision_naming naming;
    // The databases ender.toml names ([databases.NAME] tables), and the one --db (or ENDER_DB)
    // chose: its dsn, dir and exclude are the ones above.
    std::vector<std::string> databases;
    std::string database;
};

// ender.toml (config_file.cpp), then the command line and the environment: --dsn, ENDER_DSN,
// DATABASE_URL, then the file's dsn; --dir, then the file, then ./migrations. With --db NAME
// (or ENDER_DB), the file's [databases.NAME] table: --dsn, the variable its dsn_env names,
// then its dsn (ENDER_DSN and DATABASE_URL name one database: they are not read); its dir
// (default migrations/NAME). A file that names databases needs --db.
config load_config(const options& o);

// A connection string libpq reads: SQLAlchemy's URLs (postgresql+psycopg2://,
// postgresql+asyncpg://, postgres+pg8000://...) lose their driver, asyncpg's ssl=X becomes
// sslmode; anything else is returned as it is.
std::string libpq_dsn(const std::string& dsn);

// --verbose: connect() reports every statement on stderr. Set once by ender::cli::main.
extern bool verbose;

// A session whose notices go to stderr (prefixed with `label` when there is one), and with
// --verbose every statement it runs.
ender::session connect(const std::string& dsn, const std::string& label = {});

// connect(), and the ender extension checked to be there: when it is not, a clear error (exit
// 3) saying how to create it, or with `install` it is created (CREATE EXTENSION needs a
// superuser: the server's refusal is reported).
ender::session connect_ender(const std::string& dsn, bool install = false,
                             const std::string& label = {});

// The error connect_ender reports when the session's database has no ender extension.
void require_extension(ender::session& db);

// Creates the extension in the session's database unless it is there; true when it created it.
bool install_extension(ender::session& db);

// `dsn` with its database replaced by `dbname` (URIs and keyword strings alike).
std::string with_database(const std::string& dsn, const std::string& dbname);

// `dsn` as it may be shown: the password replaced by ***.
std::string shown_dsn(const std::string& dsn);

}  // namespace ender::cli
