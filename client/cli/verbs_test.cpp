// test: the migrations' round trip on a scratch database created on the same server and
// dropped after: upgrade to heads, downgrade to base (the schema must be the empty one
// again), upgrade again (the schema must be the first upgrade's). Every phase is reported:
// one that fails does not hide the others (a phase that cannot run says why it was skipped).
#include "verbs.hpp"

#include "output.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

namespace ender::cli {

namespace {

struct phase {
    std::string name;
    bool ok = false;
    bool skipped = false;
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
        p.problem = error_summary(e.message, e.detail, e.where);
    }
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return p;
}

phase skipped(const std::string& name, const std::string& why) {
    phase p{name};
    p.skipped = true;
    p.problem = why;
    return p;
}

// A scratch database name from --scratch: used inside double quotes, so plain characters only.
std::string scratch_option(const std::string& name) {
    if (name.empty() || name.size() > 63 ||
        name.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
            std::string::npos)
        fail("invalid scratch database name \"" + name + "\"", {},
             "Use 1 to 63 letters, digits, _ and -.");
    return name;
}

}  // namespace

int cmd_test(const context& x) {
    allow_only(x.o, {"scratch"}, 0, 0);
    auto files = migration_files(x.c.dir);
    if (files.empty())
        fail("there is nothing to test",
             "The migrations directory \"" + x.c.dir.string() + "\" has no migration file.");
    // Letters, digits, _ and -: safe inside double quotes.
    std::string name = x.o.has("scratch") ? scratch_option(x.o.value("scratch")) : scratch_name();
    auto admin = connect(x.c.dsn);
    if (admin.scalar<bool>("SELECT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = $1)",
                           name))
        fail("the scratch database \"" + name + "\" exists",
             "ender test creates its scratch database and drops it after: it never uses one that "
             "exists.",
             "Drop it, or choose another name with --scratch.", exit_database);
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
        // A downgrade that raised left the database at heads: upgrading again would do nothing.
        // One that left objects behind did reach base, and the upgrade again still tells.
        bool at_base = false;
        if (phases.back().ok) {
            phases.push_back(run_phase("downgrade to base", [&](std::string& problem) {
                auto n = run_logged(db, "downgrade", "base", files).size();
                at_base = true;
                if (auto d = differences(db, empty); !d.empty())
                    problem = "the schema is not the empty one: " + d;
                return n;
            }));
        } else {
            phases.push_back(skipped("downgrade to base", "the upgrade to heads failed"));
        }
        if (at_base)
            phases.push_back(run_phase("upgrade again", [&](std::string& problem) {
                auto n = upgrade_database(db, files, x.c.dir, "heads").size();
                if (auto d = differences(db, upgraded); !d.empty())
                    problem = "the schema differs from the first upgrade's: " + d;
                return n;
            }));
        else
            phases.push_back(skipped("upgrade again", phases[0].ok
                                                          ? "the downgrade to base failed"
                                                          : "the upgrade to heads failed"));
        // The exit code is the first failure's: a later one may only follow from it (a
        // downgrade that leaves a table behind makes the upgrade again fail to create it).
        for (const auto& p : phases)
            if (!p.ok && !p.skipped) {
                database_error = p.problem.rfind("the schema", 0) != 0;
                break;
            }
    } catch (...) {
        admin.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        throw;
    }
    admin.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");

    bool ok = std::all_of(phases.begin(), phases.end(), [](const phase& p) { return p.ok; });
    if (x.o.json) {
        ordered_json list = ordered_json::array();
        for (const auto& p : phases)
            list.push_back(
                {{"phase", p.name},
                 {"outcome", p.ok        ? "ok"
                             : p.skipped ? "skipped"
                                         : "failed"},
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
            if (p.skipped) {
                std::cout << paint(STDOUT_FILENO, colour::yellow, "SKIPPED") << " " << p.name
                          << ": " << p.problem << "\n";
                continue;
            }
            std::cout << (p.ok ? paint(STDOUT_FILENO, colour::green, "ok     ")
                               : paint(STDOUT_FILENO, colour::red, "FAILED "))
                      << " " << line << "\n";
            if (!p.ok) std::cout << "        " << p.problem << "\n";
        }
        std::size_t failed = std::count_if(phases.begin(), phases.end(),
                                           [](const phase& p) { return !p.ok && !p.skipped; });
        std::size_t passed =
            std::count_if(phases.begin(), phases.end(), [](const phase& p) { return p.ok; });
        std::cout << "test: " << (ok ? "passed" : "failed") << " (" << passed << " of "
                  << phases.size() << " phases passed";
        if (!ok)
            std::cout << ", " << failed << " failed, " << phases.size() - passed - failed
                      << " skipped";
        std::cout << ")\n";
    }
    return ok ? exit_ok : database_error ? exit_database : exit_differences;
}

}  // namespace ender::cli
