// The verbs of the ender command, one function each, grouped in verbs_*.cpp by what they
// work on; run.cpp picks one from the command line.
#pragma once

#include "args.hpp"
#include "config.hpp"
#include "files.hpp"

#include "ender/migrate.hpp"
#include "ender/schema.hpp"
#include "ender/session.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ender::cli {

// What a verb gets: the command line, the configuration, and the models when the program
// was built with them (ender::cli::main(schema, …)).
struct context {
    options o;
    config c;
    const ender::schema* models = nullptr;
    // Given one schema per database: the databases that have one (for the error when the
    // chosen database has none).
    std::vector<std::string> model_databases;
    const ender::migration_steps* steps = nullptr;  // the data steps a migrate program runs
};

// verbs_files.cpp: the migrations directory, no database.
int cmd_init(const options& o);
int cmd_revision(const context& x, bool merge);

// verbs_autogenerate.cpp
int cmd_autogenerate(const context& x);

// verbs_migrate.cpp: moving a database.
int cmd_upgrade(const context& x);
int cmd_downgrade(const context& x);
// stamp registers the files first, as upgrade does.
int cmd_stamp(const context& x);

// The registration `upgrade` starts with, in the session's open transaction: every file
// registered (all or nothing; a malformed file named), and every applied revision checked
// to still have its file. Returns the ids registered.
std::vector<std::string> register_files(ender::session& db,
                                        const std::vector<migration_file>& files,
                                        const fs::path& dir);

// CALL ender_upgrade_logged / ender_downgrade_logged (`operation`: "upgrade" or "downgrade")
// outside a transaction block: the ids applied or undone. A failure is raised as a cli_error
// with the server's error and where it happened (error_location: the revision, the statement,
// its line in the file among `files`, its text), and the hint to stamp --from-alembic when an
// object already exists where Alembic left an alembic_version table. `progress`: the progress
// line on stderr.
std::vector<std::string> run_logged(ender::session& db, const std::string& operation,
                                    const std::string& target,
                                    const std::vector<migration_file>& files,
                                    bool progress = false);

// register_files in a transaction, then run_logged("upgrade", target); the ids applied.
std::vector<std::string> upgrade_database(ender::session& db,
                                          const std::vector<migration_file>& files,
                                          const fs::path& dir, const std::string& target,
                                          bool progress = false);

// "A:B" split at the colon; either side may be empty. Usage error without a colon.
std::pair<std::string, std::string> split_range(const std::string& range, const std::string& what);

// verbs_import.cpp: import alembic (an Alembic history as migration files).
int cmd_import(const context& x);

// verbs_fleet.cpp: upgrade --dsn-file.
int cmd_fleet_upgrade(const context& x);

// verbs_split.cpp: split REVISION (its additive and subtractive statements as two revisions).
int cmd_split(const context& x);

// verbs_read.cpp: what is registered and applied.
int cmd_read(const context& x, ender::session& db);
int cmd_show(const context& x, ender::session& db);

// verbs_status.cpp: the online revisions in progress, once or followed (--watch).
int cmd_status(const context& x, ender::session& db);

// verbs_safety.cpp: upgrade --plan (false: do not apply) and --backup DIR.
bool confirm_plan(const context& x, ender::session& db, const std::vector<migration_file>& files,
                  const std::string& target);
void take_backup(const context& x, ender::session& db);
// The revisions `upgrade TARGET` would apply, in order: id and message.
std::vector<std::pair<std::string, std::string>> pending_revisions(
    ender::session& db, const std::vector<migration_file>& files, const std::string& target);

// verbs_graph.cpp: the revision graph, drawn (history --graph) or as a picture (graph).
int cmd_history_graph(const context& x, ender::session& db);
int cmd_graph(const context& x);

// verbs_compare.cpp: schemas against models, snapshots and other databases.
int cmd_check(const context& x);
int cmd_diff(const context& x);

// The target document as ender_diff should see it: what the exclude list names (and
// alembic_version, when the database has it) replaced by the live database's own definitions,
// so that no step touches it (exclude.cpp).
std::string with_exclusions(const context& x, ender::session& live, nlohmann::json target);

// The target document: the models' snapshot, or --snapshot FILE. `verb` names the caller
// in the message when there is neither (exit 2).
nlohmann::json models_document(const context& x, const std::string& verb);

// verbs_sql.cpp: offline SQL.
int cmd_sql(const context& x);

// verbs_test.cpp: the round trip on a scratch database.
int cmd_test(const context& x);

}  // namespace ender::cli
