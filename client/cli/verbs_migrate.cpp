// upgrade, downgrade and stamp: the verbs that move one database.
#include "verbs.hpp"

#include "output.hpp"

#include <iostream>
#include <regex>
#include <unistd.h>
#include <tuple>

namespace ender::cli {

namespace {

std::vector<std::string> ids_of(ender::session& db, const std::string& query,
                                const std::string& target) {
    std::vector<std::string> ids;
    for (auto& [id] : db.query<std::tuple<std::string>>(query, target)) ids.push_back(id);
    return ids;
}

}  // namespace

std::vector<std::string> register_files(ender::session& db,
                                        const std::vector<migration_file>& files,
                                        const fs::path& dir) {
    std::vector<std::string> sources;
    for (const auto& f : files) sources.push_back(f.source);
    std::vector<std::string> registered;
    try {
        for (auto& [id] : db.query<std::tuple<std::string>>(
                 "SELECT id FROM ender_register_many($1::text[]) id", sources))
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

std::vector<std::string> upgrade_database(ender::session& db,
                                          const std::vector<migration_file>& files,
                                          const fs::path& dir, const std::string& target) {
    auto tx = db.begin();
    register_files(db, files, dir);
    auto applied = ids_of(db, "SELECT id FROM ender_upgrade($1) id", target);
    tx.commit();
    return applied;
}

int cmd_upgrade(const context& x) {
    if (x.o.has("dsn-file")) return cmd_fleet_upgrade(x);
    allow_only(x.o, {"plan", "yes", "backup"}, 0, 1);
    if (x.o.flag("yes") && !x.o.flag("plan")) fail("--yes answers upgrade --plan: it needs --plan");
    std::string target = x.o.positional.empty() ? "head" : x.o.positional[0];
    auto files = migration_files(x.c.dir);  // a usage error before connecting
    auto db = connect(x.c.dsn);
    if (x.o.flag("plan") && !confirm_plan(x, db, files, target)) return exit_ok;
    if (x.o.has("backup")) take_backup(x, db);
    if (!isatty(STDERR_FILENO) || x.o.json)
        return report(x.o, db, "applied", "applied", upgrade_database(db, files, x.c.dir, target));
    // On a terminal, a progress line: the same transaction, one revision per ender_upgrade call
    // in the order the engine plans (the extension's own order).
    auto tx = db.begin();
    register_files(db, files, x.c.dir);
    const auto plan = pending_revisions(db, files, target);
    std::vector<std::string> applied;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        std::cerr << "\r\033[K[" << i + 1 << "/" << plan.size() << "] applying " << plan[i].first
                  << "  " << plan[i].second << std::flush;
        for (auto& id : ids_of(db, "SELECT id FROM ender_upgrade($1) id", plan[i].first))
            applied.push_back(id);
    }
    if (!plan.empty()) std::cerr << "\r\033[K";
    tx.commit();
    return report(x.o, db, "applied", "applied", applied);
}

int cmd_move(const context& x, const char* function, const char* key, const char* verb) {
    allow_only(x.o, {}, 1, 1);
    auto db = connect(x.c.dsn);
    auto tx = db.begin();
    auto ids = ids_of(db, std::string("SELECT id FROM ") + function + "($1) id", x.o.positional[0]);
    tx.commit();
    return report(x.o, db, key, verb, ids);
}

int cmd_stamp(const context& x) {
    allow_only(x.o, {}, 1, 1);
    auto files = migration_files(x.c.dir);
    auto db = connect(x.c.dsn);
    auto tx = db.begin();
    // Registered first, as upgrade does, so that a database migrated by hand (with the
    // output of `sql upgrade`) can be stamped from the files.
    register_files(db, files, x.c.dir);
    auto ids = ids_of(db, "SELECT id FROM ender_stamp($1) id", x.o.positional[0]);
    tx.commit();
    return report(x.o, db, "current", "current", ids);
}

}  // namespace ender::cli
