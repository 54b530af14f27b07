// check and diff: the live schema against the models, a snapshot document or another database.
#include "verbs.hpp"

#include "output.hpp"

#include <iostream>

namespace ender::cli {

namespace {

const std::vector<std::string> step_columns = {"step", "object_kind", "object_name", "hazards",
                                               "sql"};
const std::string steps_query =
    "SELECT step, object_kind, object_name, hazards, sql, reverse_sql, in_transaction, "
    "online_operation "
    "FROM ender_diff($1::text)";

int print_steps(const options& o, const ordered_json& steps, const char* what) {
    if (o.json)
        std::cout << steps.dump(2) << "\n";
    else if (steps.empty())
        std::cout << what << ": no differences\n";
    else
        print_table(steps, step_columns);
    return steps.empty() ? exit_ok : exit_differences;
}

}  // namespace

nlohmann::json models_document(const context& x, const std::string& verb) {
    if (x.o.has("snapshot")) {
        const std::string file = x.o.value("snapshot");
        try {
            return nlohmann::json::parse(read_file(file));
        } catch (const nlohmann::json::parse_error& e) {
            fail("snapshot file \"" + file + "\" is not JSON", e.what());
        }
    }
    if (x.models) return x.models->snapshot();
    if (!x.model_databases.empty()) {
        std::string names;
        for (auto& n : x.model_databases) names += (names.empty() ? "" : ", ") + n;
        fail("this program has no models for database \"" + x.c.database + "\"",
             "It has models for: " + names + ".",
             "Pass --db with one of them, or --snapshot FILE.");
    }
    fail("\"" + verb + "\" needs the application's models", {},
         "Run it from the application's migrate program (ender::cli::main), or pass "
         "--snapshot FILE.");
}

int cmd_check(const context& x) {
    allow_only(x.o, {"snapshot", "exclude"}, 0, 0);
    auto models = models_document(x, "check");
    const char* against = x.o.has("snapshot") ? "the snapshot" : "the models";
    auto db = connect_ender(x.c.dsn);
    auto doc = with_exclusions(x, db, std::move(models));
    if (db.scalar<bool>("SELECT ender_check($1::text)", doc)) {
        if (x.o.json)
            std::cout << "[]\n";
        else
            std::cout << "check: the database matches " << against << "\n";
        return exit_ok;
    }
    if (!x.o.json)
        std::cerr << "check: the database differs from " << against
                  << "; these steps would make it equal:\n";
    return print_steps(x.o, rows(db, steps_query, doc), "check");
}

int cmd_diff(const context& x) {
    const options& o = x.o;
    allow_only(o, {"from", "to", "exclude"}, 0, 0);
    if (!o.has("from") || !o.has("to")) fail("\"diff\" needs --from DSN and --to DSN");
    auto to = connect_ender(o.value("to"));
    auto snapshot = nlohmann::json::parse(to.scalar<std::string>("SELECT ender_snapshot()::text"));
    auto from = connect_ender(o.value("from"));
    auto doc = with_exclusions(x, from, std::move(snapshot));
    return print_steps(o, rows(from, steps_query, doc), "diff");
}

}  // namespace ender::cli
