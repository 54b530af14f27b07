// Online revisions inside PostgreSQL: starting a job from ender_upgrade, the background
// worker that runs its expand, backfill and validate phases, the lock-polite retry every DDL
// step runs under, and the ender.* settings. docs/zero-downtime.md.
#pragma once
#include "pg.hpp"
#include "spi.hpp"

#include "../engine/online.hpp"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ender::glue {

// Refuses (55000) to run `operation` while an online revision is in progress.
void refuse_if_online_job(const char* operation);

// The online operations among `ids` (revision id -> its "-- ender:online" line).
std::unordered_map<std::string, std::string> online_operations(const std::vector<std::string>& ids);

// Starts the online job of `revision` in the caller's transaction: checks the operation
// against the table, records the job and registers a worker that begins once the caller's
// transaction commits. Call with SPI connected and the caller's search_path in force.
void start_online_job(const std::string& revision, const std::string& operation);

// Adds a row to ender.log for an online phase (expand, complete, rollback) of `revision`.
void log_online(const std::string& revision, const char* operation, long long statements);

// How DDL steps wait for their locks, and how long each may run.
struct lock_policy {
    int lock_timeout_ms;
    int max_delay_ms;
    bool quiet = false;            // no NOTICEs (the IF EXISTS of a rollback)
    int statement_timeout_ms = 0;  // 0: none (the worker's steps: ender.statement_timeout)
};

// The wait before attempt `attempt` + 1 after a lock timeout: doubling from the lock timeout
// up to the policy's maximum, times a random factor between 0.5 and 1.5 (jitter).
long backoff_ms(const lock_policy& policy, int attempt);

// Runs one utility statement as a top-level command, outside any SPI call and subtransaction,
// as the main loop of a backend would (CREATE/DROP INDEX CONCURRENTLY, which commit and start
// transactions of their own). Call in a transaction started with StartTransactionCommand and
// no active snapshot; parse trees live in `context`, which must outlive the transaction.
void run_top_level(const std::string& sql, MemoryContext context);

// Runs `body` in a subtransaction with lock_timeout set; when it fails for a lock (55P03) or
// a deadlock (40P01), rolls it back, waits with capped exponential backoff and jitter, and
// runs it again. Any other error propagates. Returns the number of retries.
long run_with_lock_retry(const lock_policy& policy, const std::function<void()>& body);

// The table an online operation changes, as the catalog shows it (without the column the
// job adds, `hidden_column`), with the grants its view copies.
engine::online_table read_online_table(const std::string& schema, const std::string& table,
                                       const std::string& hidden_column);

// Runs the engine's pending_rows (or duplicates) query; returns the keys it names ("(3), (7)
// and 12 more") and sets `count` to the number of such rows.
std::string pending_rows(const std::string& sql, long long& count);

// The plan of a job: its operation line re-parsed, with the type it stored, over the table as
// the catalog shows it now.
engine::online_phase_sql phase_sql_of_job(const std::string& revision, const std::string& operation,
                                          const text_cell& new_type, const std::string& schema,
                                          const std::string& table);

// What the worker needs before it can read anything: where, as whom, after whom.
struct worker_args {
    Oid database;
    Oid role;
    TransactionId creator;
};
static_assert(sizeof(worker_args) <= BGW_EXTRALEN);

// Registers the worker of job `job`, running as `role`; it waits for `creator` (a
// transaction id, or InvalidTransactionId) to end before it starts. When no worker slot is
// free: an error if `must`, else false.
bool launch_worker(long long job, Oid role, TransactionId creator, bool must);

// Settings (module.cpp registers them).
extern int setting_backfill_batch_size;
extern int setting_backfill_pause_ms;
extern int setting_lock_retry_max_delay_ms;
extern int setting_lock_timeout_ms;
extern int setting_statement_timeout_ms;

// Advisory lock key (first half) a worker holds for its job: "ende".
inline constexpr int worker_lock_class = 1701733477;

}  // namespace ender::glue
