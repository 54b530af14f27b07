// Applying and undoing revisions with C++ data steps, one by one in one transaction (steps.hpp).
#include "steps.hpp"

#include "ender/error.hpp"

#include <tuple>

namespace ender::cli {

engine::position applied_position(ender::session& db, const engine::revision_graph& g) {
    engine::position p{g.empty_set(), {}};
    for (auto& [id] :
         db.query<std::tuple<std::string>>("SELECT revision_id FROM ender.applied ORDER BY seq"))
        if (auto i = g.find(id)) p.applied[*i] = true;
    p.applied_order = g.topological(p.applied);
    return p;
}

std::vector<std::string> planned_ids(ender::session& db, const std::vector<migration_file>& files,
                                     const std::string& operation, const std::string& target) {
    auto g = graph_of(files);
    auto p = applied_position(db, g);
    auto plan = engine_call(
        [&] {
            return operation == "upgrade" ? engine::revisions_to_apply(g, p, target)
                                          : engine::revisions_to_undo(g, p, target);
        },
        exit_usage);
    std::vector<std::string> ids;
    for (auto i : plan) ids.push_back(g.id(i));
    return ids;
}

std::vector<std::string> stepped_plan(ender::session& db, const std::vector<migration_file>& files,
                                      const std::string& operation, const std::string& target) {
    bool any = false;
    for (const auto& f : files) any = any || f.revision.step;
    if (!any) return {};
    try {
        return planned_ids(db, files, operation, target);
    } catch (const cli_error&) {
        return {};
    }
}

namespace {

// A revision the program cannot run as asked: exit 1, SQLSTATE 55000.
[[noreturn]] void refuse_revision(std::string message, std::string detail, std::string hint) {
    throw cli_error{std::move(message), std::move(detail), std::move(hint),
                    exit_differences,   "55000",           std::nullopt};
}

// Runs the step `name` of revision `id` on the session; its failure names both.
void run_step(ender::session& db, const std::string& id, const std::string& name,
              const ender::step_function& body, const std::string& operation) {
    const std::string what = "data step \"" + name + "\" of revision \"" + id + "\" failed";
    const std::string hint = std::string("Nothing was ") +
                             (operation == "downgrade" ? "undone" : "applied") +
                             ": the revisions and their steps run in one transaction.";
    try {
        body(db);
    } catch (const ender::error& e) {
        throw ender::error(e.sqlstate(), what + ": " + e.what(), e.detail(), hint, e.statement());
    } catch (const std::exception& e) {
        throw ender::error("P0001", what + ": " + e.what(), {}, hint);
    }
}

// ender.client_step_revision for the rest of the transaction: the server runs revision `id`
// (empty: none) only when the caller runs its step.
void name_step_revision(ender::session& db, const std::string& id) {
    db.exec("SELECT pg_catalog.set_config('ender.client_step_revision', $1, true)", id);
}

}  // namespace

bool has_steps(const std::vector<migration_file>& files, const std::vector<std::string>& ids) {
    for (const auto& id : ids)
        if (file_of(files, id).revision.step) return true;
    return false;
}

void require_steps(const std::vector<migration_file>& files, const std::vector<std::string>& ids,
                   const ender::migration_steps* steps, const std::string& operation) {
    for (const auto& id : ids) {
        const auto& f = file_of(files, id);
        if (!f.revision.step) continue;
        const std::string& name = *f.revision.step;
        const std::string head = "revision \"" + id + "\" has a C++ data step \"" + name + "\"";
        const std::string where = "Its migration file is \"" + f.path.string() + "\".";
        if (!steps || steps->empty())
            refuse_revision(
                head + ", which this program cannot run",
                where +
                    " The step is code in the application; this program runs SQL only, and "
                    "ran nothing.",
                "Run the application's migrate program (it calls ender::migrate, or "
                "ender::cli::main with its steps) to " +
                    operation + " it.");
        const auto* step = steps->find(name);
        if (!step)
            refuse_revision(head + ", which this program does not register",
                            where + " Nothing was run.",
                            "Register it in the program: steps.add(\"" + name + "\", ...).");
        if (operation == "downgrade" && !step->downgrade)
            refuse_revision(head + " with no downgrade function", where + " Nothing was undone.",
                            "Pass a downgrade function to steps.add(\"" + name + "\", up, down).");
    }
}

stepwise_result upgrade_stepwise(ender::session& db, const std::vector<migration_file>& files,
                                 const std::string& target, const ender::migration_steps* steps,
                                 bool start_online) {
    stepwise_result out;
    auto running = db.query<std::tuple<std::string>>(
        "SELECT revision_id FROM ender.online_job ORDER BY revision_id LIMIT 1");
    auto ids = planned_ids(db, files, "upgrade", target);
    if (!running.empty()) {
        if (!ids.empty()) out.online_in_progress = std::get<0>(running[0]);
        return out;
    }
    require_steps(files, ids, steps, "upgrade");
    for (const auto& id : ids) {
        const auto& r = file_of(files, id).revision;
        if (r.online) {
            if (!start_online) {
                out.online_pending = id;
                break;
            }
            db.query<std::tuple<std::string>>("SELECT ender_upgrade($1)", id);
            out.online_started = id;
            break;
        }
        if (r.step) name_step_revision(db, id);
        db.query<std::tuple<std::string>>("SELECT ender_upgrade($1)", id);
        if (r.step) {
            run_step(db, id, *r.step, steps->find(*r.step)->upgrade, "upgrade");
            name_step_revision(db, "");
            out.steps_run.push_back(id + ":" + *r.step);
        }
        out.done.push_back(id);
    }
    return out;
}

stepwise_result downgrade_stepwise(ender::session& db, const std::vector<migration_file>& files,
                                   const std::string& target, const ender::migration_steps* steps) {
    stepwise_result out;
    auto ids = planned_ids(db, files, "downgrade", target);
    require_steps(files, ids, steps, "downgrade");
    for (const auto& id : ids) {
        // "-1" undoes the last revision applied: it must be this one.
        auto last = planned_ids(db, files, "downgrade", "-1");
        if (last.size() != 1 || last[0] != id)
            refuse_revision("revision \"" + id + "\" cannot be undone on its own",
                            "Downgrading to \"" + target +
                                "\" undoes revisions with data steps one at a " +
                                "time, each the last one applied; \"" + id + "\" is not.",
                            "Downgrade one branch at a time.");
        const auto& r = file_of(files, id).revision;
        if (r.step) {
            name_step_revision(db, id);
            run_step(db, id, *r.step, steps->find(*r.step)->downgrade, "downgrade");
            out.steps_run.push_back(id + ":" + *r.step);
        }
        db.query<std::tuple<std::string>>("SELECT ender_downgrade('-1')");
        if (r.step) name_step_revision(db, "");
        out.done.push_back(id);
    }
    return out;
}

}  // namespace ender::cli
