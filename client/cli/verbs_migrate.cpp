// upgrade, downgrade and stamp: the verbs that move one database. The files are registered in a
// transaction of their own, then the move runs through ender_upgrade_logged /
// ender_downgrade_logged: one transaction, all or nothing, and a failure is committed to the
// log (ender history) with the server's CONTEXT, which names the revision, the statement and
// its line; the command reports them with the statement's text.
#include "verbs.hpp"

#include "output.hpp"
#include "steps.hpp"

#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace ender::cli {

namespace {

std::vector<std::string> ids_of(ender::session& db, const std::string& query,
                                const std::string& target) {
    std::vector<std::string> ids;
    for (auto& [id] : db.query<std::tuple<std::string>>(query, target)) ids.push_back(id);
    return ids;
}

// The line of `file` where the statement at `section_line` of its `section` starts: the
// section's SQL begins at the first non-blank line after its marker (the parser drops the
// blank lines around it). 0 when the marker is not found.
int file_line(const std::string& source, const std::string& section, int section_line) {
    std::istringstream in(source);
    int n = 0, marker = 0, first = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!marker) {
            if (line.rfind("-- ender:" + section, 0) == 0 && trim(line.substr(9)) == section)
                marker = n;
            continue;
        }
        if (line.find_first_not_of(" \t") != std::string::npos) {
            first = n;
            break;
        }
    }
    return first ? first + section_line - 1 : 0;
}

const std::set<std::string> already_exists = {"42P07", "42710", "42P06", "42701", "42723", "42P04"};

// After a failed upgrade: the hint to adopt a database that Alembic migrated, when the failure
// is an object that already exists and the database has an alembic_version table.
std::string alembic_hint(ender::session& db, const std::string& sqlstate) {
    if (!already_exists.contains(sqlstate)) return {};
    try {
        auto versions = db.query<std::tuple<std::string>>(
            "SELECT string_agg(version_num::text, ', ' ORDER BY version_num) FROM alembic_version "
            "WHERE to_regclass('alembic_version') IS NOT NULL HAVING count(*) > 0");
        std::string at = versions.empty() ? "" : " (at " + std::get<0>(versions[0]) + ")";
        return "This database has an \"alembic_version\" table" + at +
               ": Alembic migrated it. Run \"ender stamp --from-alembic\" to record that "
               "position without running anything (after \"ender import alembic\"), then "
               "upgrade.";
    } catch (const ender::error&) {
        return {};  // no alembic_version table
    }
}

// The ender::error a logged upgrade or downgrade raised, with where it happened: the failure
// the procedure committed to ender.log after `before` (its CONTEXT names the revision, the
// statement and its line), the statement's text and the file's line.
[[noreturn]] void raise_located(ender::session& db, const ender::error& e, std::int64_t before,
                                const std::vector<migration_file>& files) {
    if (!db.connected() || e.sqlstate().rfind("08", 0) == 0) throw;  // as it was
    cli_error out{e.what(), e.detail(), e.hint(), exit_database, e.sqlstate(), std::nullopt};
    try {
        auto logged = db.query<std::tuple<std::int64_t, std::string, std::optional<std::string>,
                                          std::optional<std::string>>>(
            "SELECT id, operation, revision_id, error_context FROM ender.log "
            "WHERE id > $1 AND outcome = 'failed' ORDER BY id LIMIT 1",
            before);
        if (!logged.empty()) {
            auto& [id, operation, revision, context] = logged[0];
            error_location where;
            where.operation = operation;
            where.history_id = id;
            static const std::regex place(
                R"re((upgrade|downgrade) SQL of ender revision "([^"]*)", statement (\d+) of (\d+) \(line (\d+)\))re");
            std::smatch m;
            std::string text = context.value_or("");
            int section_line = 0;
            if (std::regex_search(text, m, place)) {
                where.operation = m[1].str();
                where.revision = m[2].str();
                where.statement = std::stoi(m[3].str());
                where.statements = std::stoi(m[4].str());
                section_line = std::stoi(m[5].str());
                where.line = section_line;
                auto sql = db.query<std::tuple<std::string>>(
                    "SELECT h.sql FROM ender.revision r, ender_hazards(CASE WHEN $2 = 'upgrade' "
                    "THEN r.upgrade_sql ELSE r.downgrade_sql END) h "
                    "WHERE r.id = $1 AND h.statement = $3",
                    where.revision, where.operation, where.statement);
                if (!sql.empty()) where.sql = trim(std::get<0>(sql[0]));
            } else if (revision) {
                where.revision = *revision;
            }
            if (!where.revision.empty()) {
                for (const auto& f : files)
                    if (f.revision.id == where.revision) {
                        where.file = f.path.string();
                        where.revision_message = f.revision.message.value_or("");
                        if (section_line > 0) {
                            where.line = file_line(f.source, where.operation, section_line);
                            if (where.line == 0) where.file.clear();
                        }
                    }
                out.where = where;
            }
        }
    } catch (const ender::error&) {
        // The report stays the server's error alone.
    }
    if (out.hint.empty() && out.where) {
        out.hint = alembic_hint(db, out.sqlstate);
        if (out.hint.empty())
            out.hint = std::string("Nothing was ") +
                       (out.where->operation == "downgrade" ? "undone" : "applied") +
                       ": it runs in one transaction. \"ender history\" records the failure.";
    } else if (out.hint.empty()) {
        out.hint = alembic_hint(db, out.sqlstate);
    }
    throw out;
}

// On a terminal: "[3/12] applying <id>  <message>" from the server's progress messages
// (ender.report_progress), redrawn in place on stderr.
struct progress_line {
    ender::session& db;
    bool on;
    std::map<std::string, std::string> messages;
    bool drawn = false;

    progress_line(ender::session& session, bool show, const std::vector<migration_file>& files)
        : db(session), on(show) {
        if (!on) return;
        for (const auto& f : files)
            messages[f.revision.id] = one_line(f.revision.message.value_or(""));
        db.execute("SET ender.report_progress = on");
        db.on_notice([this](std::string_view m) {
            static const std::regex progress(R"(ender progress: (\w+) (\d+)/(\d+) (\S+))");
            std::match_results<std::string_view::const_iterator> p;
            if (std::regex_search(m.begin(), m.end(), p, progress)) {
                const std::string verb = p[1].str() == "upgrade" ? "applying" : "undoing";
                std::cerr << "\r\033[K[" << p[2].str() << "/" << p[3].str() << "] " << verb << " "
                          << p[4].str() << "  " << messages[p[4].str()] << std::flush;
                drawn = true;
            } else {
                std::cerr << m;
            }
        });
    }
    ~progress_line() {
        if (!on) return;
        if (drawn) std::cerr << "\r\033[K" << std::flush;
        db.on_notice([](std::string_view m) { std::cerr << m; });
        try {
            if (db.connected()) db.execute("RESET ender.report_progress");
        } catch (...) {
        }
    }
};

}  // namespace

std::vector<std::string> register_files(ender::session& db,
                                        const std::vector<migration_file>& files,
                                        const fs::path& dir) {
    std::vector<std::string> sources;
    for (const auto& f : files) sources.push_back(f.source);
    std::vector<std::string> registered;
    try {
        // replace: a pending revision whose file was edited (after a failed upgrade, say) is
        // registered again; an applied one that changed is still refused as drift.
        for (auto& [id] : db.query<std::tuple<std::string>>(
                 "SELECT id FROM ender_register_many($1::text[], replace => true) id", sources))
            registered.push_back(id);
    } catch (const ender::error& e) {
        // The server counts the sources; name the file instead.
        static const std::regex source_n(R"(^In migration source (\d+) of \d+\.)");
        std::smatch m;
        std::string detail = e.detail();
        if (!std::regex_search(detail, m, source_n)) throw;
        std::size_t n = std::stoul(m[1].str());
        if (n < 1 || n > files.size()) throw;
        fail(e.what(),
             "In migration file \"" + files[n - 1].path.string() + "\"." + m.suffix().str(),
             e.hint(), exit_database);
    }
    std::vector<std::string> missing;
    for (auto& [id] : db.query<std::tuple<std::string>>(
             "SELECT a.revision_id FROM ender.applied a WHERE a.revision_id <> ALL($1::text[]) "
             "ORDER BY a.seq",
             registered))
        missing.push_back(id);
    if (!missing.empty())
        fail("applied revision \"" + missing[0] + "\" has no migration file in \"" + dir.string() +
                 "\"",
             "Applied revisions without a file: " + quoted_list(missing) + ".",
             "Restore the file, or point --dir at the right directory.", exit_differences);
    return registered;
}

std::vector<std::string> run_logged(ender::session& db, const std::string& operation,
                                    const std::string& target,
                                    const std::vector<migration_file>& files, bool progress) {
    auto before = db.scalar<std::int64_t>("SELECT coalesce(max(id), 0) FROM ender.log");
    progress_line line(db, progress, files);
    try {
        auto r = db.query<std::tuple<std::optional<std::vector<std::string>>>>(
            "CALL ender_" + operation + "_logged($1, NULL)", target);
        return r.empty() ? std::vector<std::string>{}
                         : std::get<0>(r[0]).value_or(std::vector<std::string>{});
    } catch (const ender::error& e) {
        raise_located(db, e, before, files);
    }
}

std::vector<std::string> upgrade_database(ender::session& db,
                                          const std::vector<migration_file>& files,
                                          const fs::path& dir, const std::string& target,
                                          bool progress) {
    {
        auto tx = db.begin();
        register_files(db, files, dir);
        tx.commit();
    }
    return run_logged(db, "upgrade", target, files, progress);
}

int cmd_upgrade(const context& x) {
    if (x.o.has("dsn-file")) return cmd_fleet_upgrade(x);
    allow_only(x.o, {"plan", "yes", "backup", "install-extension"}, 0, 1);
    if (x.o.flag("yes") && !x.o.flag("plan")) fail("--yes answers upgrade --plan: it needs --plan");
    std::string target = x.o.positional.empty() ? "head" : x.o.positional[0];
    auto files = migration_files(x.c.dir);  // a usage error before connecting
    auto db = connect_ender(x.c.dsn, x.o.flag("install-extension"));
    // Revisions with data steps: every step there, or nothing runs (steps.hpp).
    const auto planned = stepped_plan(db, files, "upgrade", target);
    const bool stepwise = has_steps(files, planned);
    if (stepwise) require_steps(files, planned, x.steps, "upgrade");
    if (x.o.flag("plan") && !confirm_plan(x, db, files, target)) return exit_ok;
    if (x.o.has("backup")) take_backup(x, db);
    if (stepwise) {
        auto tx = db.begin();
        register_files(db, files, x.c.dir);
        auto run = upgrade_stepwise(db, files, target, x.steps, true);
        tx.commit();
        return report(x.o, db, "applied", "applied", run.done);
    }
    // On a terminal, a progress line: still one transaction (the server reports each revision).
    bool progress = isatty(STDERR_FILENO) && !x.o.json;
    return report(x.o, db, "applied", "applied",
                  upgrade_database(db, files, x.c.dir, target, progress));
}

int cmd_downgrade(const context& x) {
    allow_only(x.o, {}, 1, 1);
    // The files only name where a failure happened: a directory is not needed to downgrade.
    std::vector<migration_file> files;
    if (fs::is_directory(x.c.dir)) {
        try {
            files = migration_files(x.c.dir);
        } catch (const cli_error&) {
        }
    }
    auto db = connect_ender(x.c.dsn);
    if (has_steps(files, stepped_plan(db, files, "downgrade", x.o.positional[0]))) {
        auto tx = db.begin();
        auto run = downgrade_stepwise(db, files, x.o.positional[0], x.steps);
        tx.commit();
        return report(x.o, db, "undone", "undone", run.done);
    }
    bool progress = isatty(STDERR_FILENO) && !x.o.json;
    return report(x.o, db, "undone", "undone",
                  run_logged(db, "downgrade", x.o.positional[0], files, progress));
}

namespace {

// stamp --from-alembic: the target that records what alembic_version says, and what it says.
std::pair<std::string, std::vector<std::string>> alembic_target(
    ender::session& db, const std::vector<migration_file>& files) {
    if (!db.scalar<bool>("SELECT to_regclass('alembic_version') IS NOT NULL"))
        fail("database \"" + db.scalar<std::string>("SELECT current_database()::text") +
                 "\" has no alembic_version table",
             "stamp --from-alembic reads the revisions Alembic recorded in \"alembic_version\" "
             "(found through the search_path).",
             "Point --dsn at the database Alembic migrated, or stamp a target: ender stamp TARGET.",
             exit_differences);
    std::vector<std::string> versions;
    for (auto& [v] : db.query<std::tuple<std::string>>(
             "SELECT version_num::text FROM alembic_version ORDER BY 1"))
        versions.push_back(v);
    if (versions.empty()) return {"base", versions};
    std::set<std::string> known;
    for (const auto& f : files) known.insert(f.revision.id);
    std::vector<std::string> unknown;
    for (const auto& v : versions)
        if (!known.contains(v)) unknown.push_back(v);
    if (!unknown.empty())
        fail("alembic_version names revision \"" + unknown[0] + "\", which no migration file has",
             "alembic_version holds " + quoted_list(versions) + ".",
             "Convert the Alembic history first (the ids stay the same): ender import alembic.",
             exit_differences);
    if (versions.size() == 1) return {versions[0], versions};
    auto heads = head_ids(files);
    if (std::set<std::string>(heads.begin(), heads.end()) ==
        std::set<std::string>(versions.begin(), versions.end()))
        return {"heads", versions};
    fail("alembic_version holds several heads, and not every head of the migrations directory",
         "alembic_version holds " + quoted_list(versions) + "; the heads of the files are " +
             quoted_list(heads) + ".",
         "ender stamps one target: upgrade the branches with Alembic to the heads (or merge them), "
         "then stamp --from-alembic again.",
         exit_differences);
}

}  // namespace

int cmd_stamp(const context& x) {
    const bool from_alembic = x.o.flag("from-alembic");
    allow_only(x.o, {"from-alembic"}, from_alembic ? 0 : 1, from_alembic ? 0 : 1);
    auto files = migration_files(x.c.dir);
    auto db = connect_ender(x.c.dsn);
    auto tx = db.begin();
    // Registered first, as upgrade does, so that a database migrated by hand (with the
    // output of `sql upgrade`), or by Alembic, can be stamped from the files.
    register_files(db, files, x.c.dir);
    std::string target;
    std::vector<std::string> versions;
    if (from_alembic)
        std::tie(target, versions) = alembic_target(db, files);
    else
        target = x.o.positional[0];
    auto ids = ids_of(db, "SELECT id FROM ender_stamp($1) id", target);
    tx.commit();
    if (from_alembic && !x.o.json)
        std::cerr << "stamp: alembic_version is at "
                  << (versions.empty() ? std::string("base") : quoted_list(versions))
                  << "; ender records the same position (nothing was run)\n";
    return report(x.o, db, "current", "current", ids);
}

}  // namespace ender::cli
