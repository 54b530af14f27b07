// sql upgrade [A:]B and sql downgrade A:B: the SQL an upgrade or a downgrade would run,
// printed from the migration files alone (no database), planned by the engine's own code so
// that the revisions and their order are the ones ender_upgrade and ender_downgrade choose.
#include "verbs.hpp"

#include "engine/targets.hpp"
#include "output.hpp"

#include <iostream>

namespace ender::cli {

namespace {

// A section's SQL, ending its last statement even when the file left the semicolon out.
std::string terminated(const std::string& sql) {
    if (sql.empty()) return "-- (no statement)\n";
    return sql + (sql.back() == ';' ? "\n" : "\n;\n");
}

}  // namespace

int cmd_sql(const context& x) {
    const options& o = x.o;
    allow_only(o, {}, 1, 2);
    const std::string& direction = o.positional[0];
    bool upgrade = direction == "upgrade";
    if (!upgrade && direction != "downgrade")
        fail("unknown direction \"" + direction + "\" for \"sql\"", {},
             "Write \"sql upgrade [A:]B\" or \"sql downgrade A:B\".");
    std::string from = "base", to = "head";
    if (o.positional.size() == 2) {
        const std::string& range = o.positional[1];
        if (range.find(':') != std::string::npos)
            std::tie(from, to) = split_range(range, "\"sql " + direction + "\"");
        else if (upgrade)
            to = range;
        else
            fail("\"sql downgrade\" needs a range A:B", {},
                 "Offline, the database's position is not known: write where it is and where "
                 "it goes, for example heads:base.");
        if (from.empty()) from = "base";
        if (to.empty()) to = upgrade ? "heads" : "base";
    } else if (!upgrade) {
        fail("\"sql downgrade\" needs a range A:B", {}, "For example: sql downgrade heads:base.");
    }

    auto files = migration_files(x.c.dir);
    auto g = graph_of(files);
    auto plan = engine_call(
        [&] {
            engine::position p{g.empty_set(), {}};
            p.applied = g.ancestors(engine::resolve_target(g, p, from));
            p.applied_order = g.topological(p.applied);
            return upgrade ? engine::revisions_to_apply(g, p, to)
                           : engine::revisions_to_undo(g, p, to);
        },
        exit_usage);

    for (auto i : plan)
        if (!upgrade && !files[i].revision.downgrade)
            fail("revision \"" + g.id(i) + "\" cannot be undone",
                 "Its file \"" + files[i].path.string() + "\" has no downgrade section.", {},
                 exit_differences);
    if (o.json) {
        ordered_json list = ordered_json::array();
        for (auto i : plan) {
            const auto& r = files[i].revision;
            list.push_back({{"revision", r.id},
                            {"message", r.message ? ordered_json(*r.message) : nullptr},
                            {"file", files[i].path.string()},
                            {"sql", upgrade ? r.upgrade : *r.downgrade}});
        }
        std::cout << list.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "-- " << o.program << " sql " << direction << " " << from << ":" << to << ": "
              << plan.size() << (plan.size() == 1 ? " revision" : " revisions")
              << " from the files in " << x.c.dir.string() << ", in the order " << direction
              << " runs them.\n"
              << "-- ender's own records (ender.applied, ender.log) are not part of this script.\n"
              << "BEGIN;\n";
    for (auto i : plan) {
        const auto& r = files[i].revision;
        std::cout << "\n-- " << direction << " " << r.id
                  << (r.message ? ": " + one_line(*r.message) : "") << "\n"
                  << terminated(upgrade ? r.upgrade : *r.downgrade);
    }
    std::cout << "\nCOMMIT;\n";
    return exit_ok;
}

}  // namespace ender::cli
