// The safety net before an upgrade: --plan prints what every pending revision's statements may
// do to the running database (ender_hazards, from the server's parser) and asks before going
// on; --backup DIR takes a pg_dump first and says where it is.
#include "verbs.hpp"

#include "engine/targets.hpp"
#include "output.hpp"
#include "steps.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <unistd.h>

namespace ender::cli {

namespace {

struct planned_statement {
    int number;  // in the revision's upgrade section
    int line;    // of the upgrade section
    std::string sql;
    std::vector<std::string> hazards;
};

struct planned_revision {
    std::string id;
    std::string message;
    std::vector<planned_statement> statements;
};

// The revisions `upgrade TARGET` would apply, planned by the engine from the files and what the
// database has applied, each statement with its hazards.
std::vector<planned_revision> pending(ender::session& db, const std::vector<migration_file>& files,
                                      const std::string& target, bool with_hazards = true) {
    auto g = graph_of(files);
    auto p = applied_position(db, g);
    auto plan = engine_call([&] { return engine::revisions_to_apply(g, p, target); }, exit_usage);
    std::vector<planned_revision> out;
    for (auto i : plan) {
        const auto& r = files[i].revision;
        planned_revision pr{r.id, one_line(r.message.value_or("")), {}};
        if (!with_hazards) {
            out.push_back(std::move(pr));
            continue;
        }
        for (auto& [number, line, sql, hazards] :
             db.query<std::tuple<int, int, std::string, std::vector<std::string>>>(
                 "SELECT statement, line, sql, hazards FROM ender_hazards($1)", r.upgrade))
            pr.statements.push_back({number, line, one_line(sql), hazards});
        out.push_back(std::move(pr));
    }
    return out;
}

nlohmann::json as_json(const std::vector<planned_revision>& plan) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : plan) {
        nlohmann::json statements = nlohmann::json::array();
        for (const auto& s : r.statements)
            statements.push_back({{"statement", s.number},
                                  {"line", s.line},
                                  {"sql", s.sql},
                                  {"hazards", s.hazards}});
        out.push_back({{"revision", r.id}, {"message", r.message}, {"statements", statements}});
    }
    return out;
}

void print_plan(const std::vector<planned_revision>& plan) {
    std::map<std::string, int> totals;
    std::size_t statements = 0;
    for (const auto& r : plan) {
        std::cout << r.id << "  " << r.message << "\n";
        for (const auto& s : r.statements) {
            ++statements;
            std::string text = s.sql.size() > 70 ? s.sql.substr(0, 67) + "..." : s.sql;
            std::string line = "  " + std::to_string(s.number) + ". " + text;
            if (!s.hazards.empty()) {
                std::string words;
                for (const auto& h : s.hazards) {
                    words += (words.empty() ? "" : ", ") + h;
                    ++totals[h];
                }
                line += "\n      " + paint(1, colour::yellow, words);
            }
            std::cout << line << "\n";
        }
    }
    std::cout << plan.size() << " revision" << (plan.size() == 1 ? "" : "s") << ", " << statements
              << " statement" << (statements == 1 ? "" : "s");
    if (totals.empty()) {
        std::cout << "; no hazard\n";
    } else {
        std::cout << "; hazards:";
        for (const auto& [h, n] : totals) std::cout << " " << h << " (" << n << ")";
        std::cout << "\n";
    }
}

std::string utc_stamp() {
    std::time_t now = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
    return buffer;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> pending_revisions(
    ender::session& db, const std::vector<migration_file>& files, const std::string& target) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : pending(db, files, target, false)) out.emplace_back(r.id, r.message);
    return out;
}

bool confirm_plan(const context& x, ender::session& db, const std::vector<migration_file>& files,
                  const std::string& target) {
    const options& o = x.o;
    auto plan = pending(db, files, target);
    if (o.json) {
        std::cout << nlohmann::json{{"plan", as_json(plan)},
                                    {"applying", o.flag("yes") && !plan.empty()}}
                         .dump(2)
                  << "\n";
        return o.flag("yes") && !plan.empty();  // without --yes, --json is a dry run
    }
    if (plan.empty()) {
        std::cout << "nothing to upgrade: the database is at " << target << "\n";
        return false;
    }
    print_plan(plan);
    if (o.flag("yes")) return true;
    if (!isatty(STDIN_FILENO))
        fail("upgrade --plan asks before applying, and there is no terminal to ask on", {},
             "Pass --yes to apply without asking (scripts), or --json for the plan alone.");
    std::cerr << "Apply " << plan.size() << " revision" << (plan.size() == 1 ? "" : "s")
              << " to database \"" << db.scalar<std::string>("SELECT current_database()")
              << "\"? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer == "y" || answer == "Y" || answer == "yes") return true;
    std::cerr << "nothing applied\n";
    return false;
}

void take_backup(const context& x, ender::session& db) {
    const fs::path dir = x.o.value("backup");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        fail("could not create backup directory \"" + dir.string() + "\"", ec.message(), {},
             exit_database);
    const auto database = db.scalar<std::string>("SELECT current_database()");
    const fs::path file = dir / (database + "-" + utc_stamp() + ".dump");
    // The whole database, schema and data, in pg_dump's custom format (pg_restore reads it).
    // The file and the connection string go through the environment, not the command line
    // (quoting; passwords).
    ::setenv("ENDER_BACKUP_FILE", file.c_str(), 1);
    std::string command = "pg_dump --format=custom --file=\"$ENDER_BACKUP_FILE\"";
    if (!x.c.dsn.empty()) {
        ::setenv("ENDER_BACKUP_DSN", x.c.dsn.c_str(), 1);
        command += " --dbname=\"$ENDER_BACKUP_DSN\"";
    }
    auto [status, output] = run_command(command);
    if (status != 0 || !fs::exists(file)) {
        fs::remove(file, ec);
        fail("could not back up database \"" + database + "\" before the upgrade", one_line(output),
             "Nothing was upgraded. pg_dump must be on PATH (Debian: postgresql-client) and able "
             "to connect.",
             exit_database);
    }
    std::cerr << "backup: " << file.string() << " (" << (fs::file_size(file) + 1023) / 1024
              << " kB; restore with pg_restore --dbname=... " << file.string() << ")\n";
}

}  // namespace ender::cli
