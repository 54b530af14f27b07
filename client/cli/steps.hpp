// Revisions with C++ data steps ("-- ender:step"): the server runs only SQL, so the client
// applies them one by one in the session's open transaction: ender_upgrade(id) runs the
// revision's statements and records it, then the step runs on the same session, and the commit
// makes both visible at once (ender::migrate, and upgrade/downgrade of a migrate program).
#pragma once

#include "files.hpp"

#include "engine/targets.hpp"
#include "ender/migrate.hpp"
#include "ender/session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ender::cli {

// What the database has applied, as a position in the files' graph.
engine::position applied_position(ender::session& db, const engine::revision_graph& g);

// The ids `operation` ("upgrade" or "downgrade") would run to reach `target`, in order.
std::vector<std::string> planned_ids(ender::session& db, const std::vector<migration_file>& files,
                                     const std::string& operation, const std::string& target);

// planned_ids when a file has a data step, else nothing; nothing too when the files cannot plan
// the move (an unknown target, an applied revision without its file): the server then reports
// it as without steps.
std::vector<std::string> stepped_plan(ender::session& db, const std::vector<migration_file>& files,
                                      const std::string& operation, const std::string& target);

// Whether a revision among `ids` has a data step.
bool has_steps(const std::vector<migration_file>& files, const std::vector<std::string>& ids);

// Fails (exit 1, SQLSTATE 55000) before anything runs when a revision among `ids` names a step
// `steps` lacks (for a downgrade: a step without a downgrade function). `steps` is null in the
// standalone command: the hint then says to use the application's migrate program.
void require_steps(const std::vector<migration_file>& files, const std::vector<std::string>& ids,
                   const ender::migration_steps* steps, const std::string& operation);

struct stepwise_result {
    std::vector<std::string> done;       // applied or undone, in order
    std::vector<std::string> steps_run;  // "revision:step"
    std::optional<std::string> online_started, online_pending, online_in_progress;
};

// In the session's open transaction, after register_files (which took ender's lock): applies
// what `target` needs revision by revision, each revision's SQL then its step. At an online
// revision it stops: `start_online` starts it (reported as online_started), else it is
// reported as online_pending. An online revision already in progress is reported, and stops it.
stepwise_result upgrade_stepwise(ender::session& db, const std::vector<migration_file>& files,
                                 const std::string& target, const ender::migration_steps* steps,
                                 bool start_online);

// In the session's open transaction: undoes what `target` asks revision by revision, each
// revision's step first, then its downgrade SQL.
stepwise_result downgrade_stepwise(ender::session& db, const std::vector<migration_file>& files,
                                   const std::string& target, const ender::migration_steps* steps);

}  // namespace ender::cli
