// upgrade --dsn-file FILE --jobs N: the same upgrade on many databases, N at a time, one
// session per database. A failure is reported and does not stop the others; exit 3 when any
// database failed.
#include "verbs.hpp"

#include "output.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

namespace ender::cli {

namespace {

struct outcome {
    std::string dsn;
    bool ok = false;
    std::vector<std::string> applied;
    std::string error;
    double seconds = 0;
};

// One DSN per line; blank lines and lines starting with # are skipped.
std::vector<std::string> read_dsn_file(const std::string& file) {
    std::istringstream in(read_file(file));
    std::vector<std::string> dsns;
    for (std::string line; std::getline(in, line);) {
        line = trim(line);
        if (!line.empty() && line[0] != '#') dsns.push_back(line);
    }
    if (dsns.empty())
        fail("DSN file \"" + file + "\" lists no database", {},
             "Write one connection string per line; lines starting with # are comments.");
    return dsns;
}

int parse_jobs(const options& o) {
    if (!o.has("jobs")) return 4;
    const std::string& v = o.value("jobs");
    int jobs = 0;
    if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos ||
        (jobs = std::stoi(v)) < 1 || jobs > 256)
        fail("invalid value \"" + v + "\" for --jobs", {}, "Give a number from 1 to 256.");
    return jobs;
}

outcome upgrade_one(const std::string& dsn, const std::vector<migration_file>& files,
                    const fs::path& dir, const std::string& target) {
    outcome r{shown_dsn(dsn), false, {}, {}, 0};
    auto start = std::chrono::steady_clock::now();
    auto message = [](const std::string& m, const std::string& detail) {
        return one_line(trim(m)) + (detail.empty() ? "" : " (" + one_line(detail) + ")");
    };
    try {
        auto db = connect_ender(dsn, false, r.dsn);
        r.applied = upgrade_database(db, files, dir, target);
        r.ok = true;
    } catch (const cli_error& e) {
        r.error = error_summary(e.message, e.detail, e.where);
    } catch (const ender::error& e) {
        r.error = message(e.what(), e.detail());
    } catch (const std::exception& e) {
        r.error = message(e.what(), {});
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace

int cmd_fleet_upgrade(const context& x) {
    const options& o = x.o;
    allow_only(o, {"dsn-file", "jobs"}, 0, 1);
    if (o.has("dsn"))
        fail("--dsn and --dsn-file cannot be used together", {},
             "List every database in the DSN file.");
    int jobs = parse_jobs(o);
    std::string target = o.positional.empty() ? "head" : o.positional[0];
    auto dsns = read_dsn_file(o.value("dsn-file"));
    auto files = migration_files(x.c.dir);

    std::vector<outcome> results(dsns.size());
    std::atomic<std::size_t> next{0};
    std::size_t done = 0, failed = 0;
    std::mutex progress;
    bool show_progress = isatty(STDERR_FILENO) && !o.json;
    auto worker = [&] {
        for (std::size_t i; (i = next++) < dsns.size();) {
            results[i] = upgrade_one(dsns[i], files, x.c.dir, target);
            std::lock_guard lock(progress);
            ++done;
            if (!results[i].ok) ++failed;
            if (show_progress)
                std::cerr << "\rupgrading: " << done << "/" << dsns.size() << " done"
                          << (failed ? ", " + paint(STDERR_FILENO, colour::red,
                                                    std::to_string(failed) + " failed")
                                     : "")
                          << std::flush;
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < jobs && static_cast<std::size_t>(t) < dsns.size(); ++t)
        threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    if (show_progress) std::cerr << "\n";

    ordered_json table = ordered_json::array();
    for (const auto& r : results) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.2f", r.seconds);
        table.push_back({{"database", r.dsn},
                         {"outcome", r.ok ? "ok" : "failed"},
                         {"applied", r.applied},
                         {"seconds", o.json ? ordered_json(r.seconds) : ordered_json(seconds)},
                         {"error", r.ok ? ordered_json(nullptr) : ordered_json(r.error)}});
    }
    if (o.json) {
        std::cout << table.dump(2) << "\n";
    } else {
        for (auto& row : table) row["applied"] = std::to_string(row["applied"].size());
        print_table(table, {"database", "outcome", "applied", "seconds", "error"});
        std::cout << "upgraded " << dsns.size() - failed << " of " << dsns.size()
                  << (dsns.size() == 1 ? " database" : " databases")
                  << (failed ? "; " + paint(STDOUT_FILENO, colour::red,
                                            std::to_string(failed) + " failed")
                             : "")
                  << "\n";
    }
    return failed ? exit_database : exit_ok;
}

}  // namespace ender::cli
