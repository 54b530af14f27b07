// test: the migrations' round trip on a scratch database created on the same server and
// dropped after: upgrade to heads, downgrade to base (the schema must be the empty one
// again), upgrade again (the schema must be the first upgrade's).
#include "verbs.hpp"

#include "output.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>

namespace ender::cli {

namespace {

struct phase {
    std::string name;
    bool ok = false;
    std::size_t revisions = 0;
    double seconds = 0;
    std::string problem;  // what went wrong, when it did
};

std::string scratch_name() {
    std::random_device rd;
    std::uniform_int_distribution<int> nibble(0, 15);
    std::string name = "ender_test_";
    for (int i = 0; i < 10; ++i) name += "0123456789abcdef"[nibble(rd)];
    return name;
}

// The steps that would turn the live schema into `doc`, one line each; empty when equal.
std::string differences(ender::session& db, const std::string& doc) {
    std::string out;
    for (auto& [sql] : db.query<std::tuple<std::string>>(
             "SELECT sql FROM ender_diff($1::text, online => false) ORDER BY step", doc))
        out += (out.empty() ? "" : "; ") + one_line(sql);
    return out;
}

// Runs one phase, timing it; `body` returns the revisions it moved and sets `problem` when
// the schema is not what it should be. A database error ends the phase as failed.
template <class F>
phase run_phase(const std::string& name, F&& body) {
    phase p{name};
    auto start = std::chrono::steady_clock::now();
    try {
        p.revisions = body(p.problem);
        p.ok = p.problem.empty();
    } catch (const ender::error& e) {
        p.problem =
            one_line(e.what()) + (e.detail().empty() ? "" : " (" + one_line(e.detail()) + ")");
    } catch (const cli_error& e) {
        p.problem = one_line(e.message) + (e.detail.empty() ? "" : " (" + one_line(e.detail) + ")");
    }
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return p;
}

}  // namespace

int cmd_test(const context& x) {
    allow_only(x.o, {}, 0, 0);
    auto files = migration_files(x.c.dir);
    if (files.empty())
        fail("there is nothing to test",
             "The migrations directory \"" + x.c.dir.string() + "\" has no migration file.");
    auto admin = connect(x.c.dsn);
    std::string name = scratch_name();  // letters, digits and _: safe inside double quotes
    admin.execute("CREATE DATABASE \"" + name + "\"");
    std::vector<phase> phases;
    bool database_error = false;
    try {
        auto db = connect(with_database(x.c.dsn, name), name);
        db.execute("CREATE EXTENSION ender");
        auto empty = db.scalar<std::string>("SELECT ender_snapshot()::text");
        std::string upgraded;
        phases.push_back(run_phase("upgrade to heads", [&](std::string&) {
            auto n = upgrade_database(db, files, x.c.dir, "heads").size();
            upgraded = db.scalar<std::string>("SELECT ender_snapshot()::text");
            return n;
        }));
        if (phases.back().ok)
            phases.push_back(run_phase("downgrade to base", [&](std::string& problem) {
                auto tx = db.begin();
                auto n = db.query<std::tuple<std::string>>("SELECT ender_downgrade('base')").size();
                tx.commit();
                if (auto d = differences(db, empty); !d.empty())
                    problem = "the schema is not the empty one: " + d;
                return n;
            }));
        if (phases.back().ok)
            phases.push_back(run_phase("upgrade again", [&](std::string& problem) {
                auto n = upgrade_database(db, files, x.c.dir, "heads").size();
                if (auto d = differences(db, upgraded); !d.empty())
                    problem = "the schema differs from the first upgrade's: " + d;
                return n;
            }));
        database_error = !phases.back().ok && phases.back().problem.rfind("the schema", 0) != 0;
    } catch (...) {
        admin.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        throw;
    }
    admin.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");

    bool ok = phases.back().ok && phases.size() == 3;
    if (x.o.json) {
        ordered_json list = ordered_json::array();
        for (const auto& p : phases)
            list.push_back(
                {{"phase", p.name},
                 {"outcome", p.ok ? "ok" : "failed"},
                 {"revisions", p.revisions},
                 {"seconds", p.seconds},
                 {"problem", p.problem.empty() ? ordered_json(nullptr) : ordered_json(p.problem)}});
        std::cout << ordered_json{{"database", name}, {"ok", ok}, {"phases", list}}.dump(2) << "\n";
    } else {
        std::cout << "test: on the scratch database \"" << name << "\" (dropped after)\n";
        for (const auto& p : phases) {
            char line[160];
            std::snprintf(line, sizeof line, "%-18s %3zu %-9s %6.2f s", p.name.c_str(), p.revisions,
                          p.revisions == 1 ? "revision" : "revisions", p.seconds);
            std::cout << (p.ok ? paint(STDOUT_FILENO, colour::green, "ok    ")
                               : paint(STDOUT_FILENO, colour::red, "FAILED"))
                      << "  " << line << "\n";
            if (!p.ok) std::cout << "        " << p.problem << "\n";
        }
        std::cout << "test: " << (ok ? "passed" : "failed") << "\n";
    }
    return ok ? exit_ok : database_error ? exit_database : exit_differences;
}

}  // namespace ender::cli
