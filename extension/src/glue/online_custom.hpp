// Custom online revisions: the hand-written expand, backfill, contract and rollback sections
// of a migration file (engine/online_custom.hpp), checked at registration, started by
// ender_upgrade, run by the worker, ended by ender_complete or ender_rollback.
#pragma once
#include "pg.hpp"

#include "../engine/revision.hpp"

#include <string>

namespace ender::glue {

// Checks every phase with the server's grammar (as the other sections); the backfill must be
// exactly one statement.
void check_custom_phases(const engine::revision& r);

// Records the job of a custom revision (its phases in `online`) and launches its worker.
void start_custom_job(const std::string& revision, const std::string& online);

// One worker step of a custom job in phase `phase`, in the current transaction, with the
// caller's search_path in force: expand (lock-polite), or one call of the backfill statement
// (its row count is the batch; 0 ends the backfill). Returns the pause before the next step
// in milliseconds, or -1 when the job is ready.
long run_custom_step(const std::string& job_id, const std::string& revision,
                     const std::string& phase, const std::string& online, int lock_timeout_ms,
                     long pause_ms);

// The contract (then the upgrade section) at ender_complete, or the rollback section at
// ender_rollback, under the caller's lock policy. Returns the number of statements run, and
// sets `retries` to the attempts rolled back on a lock.
long long complete_custom(const std::string& revision, const std::string& online,
                          const std::string& upgrade, long& retries);
long long rollback_custom(const std::string& revision, const std::string& online, long& retries);

}  // namespace ender::glue
