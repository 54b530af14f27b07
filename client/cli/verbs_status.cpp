// status [--watch] [--interval S]: the online revisions in progress (ender_status()): phase,
// rows done and total, rate, time left, last error. --watch follows them until every one is
// ready, failed or gone: a progress bar redrawn in place on a terminal, one line per change
// otherwise (one JSON object per line with --json).
#include "verbs.hpp"

#include "output.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <thread>

namespace ender::cli {

namespace {

const std::string status_query =
    "SELECT revision, operation, phase, rows_done, rows_total, percent, rows_per_second, "
    "to_char(justify_hours(date_trunc('second', eta)), 'HH24:MI:SS') AS eta, last_error "
    "FROM ender_status()";
const std::vector<std::string> status_columns = {"revision",        "operation",  "phase",
                                                 "rows_done",       "rows_total", "percent",
                                                 "rows_per_second", "eta",        "last_error"};

std::string text(const ordered_json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

bool finished(const ordered_json& job) {
    auto phase = text(job["phase"]);
    return phase == "ready" || phase == "failed";
}

// The operation's kind: "alter_column" of "alter_column account balance type bigint ...".
std::string kind(const ordered_json& job) {
    auto operation = text(job["operation"]);
    return operation.substr(0, operation.find(' '));
}

// "r7 alter_column backfill 4500/10000 rows (45.0%) 1200.5 rows/s eta 00:00:05".
std::string status_line(const ordered_json& job) {
    std::string line = text(job["revision"]) + " " + kind(job) + " " + text(job["phase"]) + " " +
                       text(job["rows_done"]) + "/" + text(job["rows_total"]) + " rows (" +
                       text(job["percent"]) + "%)";
    if (!job["rows_per_second"].is_null()) line += " " + text(job["rows_per_second"]) + " rows/s";
    if (!job["eta"].is_null()) line += " eta " + text(job["eta"]);
    if (!job["last_error"].is_null()) line += " last error: " + one_line(text(job["last_error"]));
    return line;
}

// The line redrawn on a terminal: a bar of the percentage done, the phase coloured.
std::string bar_line(const ordered_json& job) {
    constexpr int width = 30;
    double percent = job["percent"].is_number() ? job["percent"].get<double>() : 0.0;
    int filled = std::clamp(int(std::lround(percent * width / 100.0)), 0, width);
    auto phase = text(job["phase"]);
    colour c = phase == "ready" ? colour::green : phase == "failed" ? colour::red : colour::bold;
    std::string line = text(job["revision"]) + "  " + paint(1, c, phase) + "  [" +
                       std::string(std::size_t(filled), '#') +
                       std::string(std::size_t(width - filled), '.') + "] " + text(job["percent"]) +
                       "%  " + text(job["rows_done"]) + "/" + text(job["rows_total"]) + " rows";
    if (!job["rows_per_second"].is_null()) line += "  " + text(job["rows_per_second"]) + " rows/s";
    if (!job["eta"].is_null()) line += "  ETA " + text(job["eta"]);
    if (!job["last_error"].is_null())
        line += "  " + paint(1, colour::red, one_line(text(job["last_error"])));
    return line;
}

std::chrono::milliseconds parse_interval(const options& o) {
    if (!o.has("interval")) return std::chrono::milliseconds(1000);
    const auto& v = o.value("interval");
    double seconds = 0;
    std::size_t used = 0;
    try {
        seconds = std::stod(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || !(seconds >= 0.05 && seconds <= 3600))
        fail("invalid interval \"" + v + "\"", {},
             "Give --interval in seconds, between 0.05 and 3600 (e.g. 0.5).");
    return std::chrono::milliseconds(std::lround(seconds * 1000));
}

}  // namespace

int cmd_status(const context& x, ender::session& db) {
    const options& o = x.o;
    allow_only(o, {"watch", "interval"}, 0, 0);
    if (o.has("interval") && !o.flag("watch")) fail("--interval applies to status --watch only");
    auto interval = o.flag("watch") ? parse_interval(o) : std::chrono::milliseconds{0};
    require_extension(db);
    if (!o.flag("watch")) {
        auto r = rows(db, status_query);
        if (r.empty() && !o.json)
            std::cout << "no online revision in progress\n";
        else
            print_rows(o, r, status_columns);
        return exit_ok;
    }
    bool terminal = !o.json && isatty(STDOUT_FILENO);
    std::map<std::string, std::string> shown;  // the last line printed for each revision
    bool failed = false;
    std::size_t drawn = 0;  // lines of the last redraw
    for (bool first = true;; first = false) {
        auto jobs = rows(db, status_query);
        if (first && jobs.empty()) {
            if (o.json)
                std::cout << "[]\n";
            else
                std::cout << "no online revision in progress\n";
            return exit_ok;
        }
        bool done = true;
        std::map<std::string, std::string> now;
        for (const auto& job : jobs) {
            done = done && finished(job);
            failed = failed || text(job["phase"]) == "failed";
            now[text(job["revision"])] = o.json ? job.dump() : status_line(job);
        }
        if (terminal) {
            // Back to the first line of the last drawing, then every job's line again.
            if (drawn > 0) std::cout << "\x1b[" << drawn << "F";
            for (const auto& job : jobs) std::cout << "\x1b[2K" << bar_line(job) << "\n";
            std::cout << "\x1b[J" << std::flush;
            drawn = jobs.size();
        } else {
            for (const auto& [revision, line] : now)
                if (shown[revision] != line) std::cout << line << "\n";
            for (const auto& [revision, line] : shown)
                if (!now.contains(revision))
                    std::cout
                        << (o.json ? ordered_json{{"revision", revision}, {"phase", "gone"}}.dump()
                                   : revision + " gone")
                        << "\n";
            std::cout << std::flush;
            shown = std::move(now);
        }
        if (done) break;
        std::this_thread::sleep_for(interval);
    }
    return failed ? exit_differences : exit_ok;
}

}  // namespace ender::cli
