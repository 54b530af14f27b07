// Online revisions inside PostgreSQL: starting a job from ender_upgrade, the background
// worker that runs its expand, backfill and validate phases, the lock-polite retry every DDL
// step runs under, and the ender.* settings. docs/zero-downtime.md.
#pragma once
#include "pg.hpp"
#include "lock_polite.hpp"
#include "spi.hpp"

#include "../engine/online.hpp"
#include "../engine/revision.hpp"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ender::glue {

// Refuses (55000) to run `operation` while an online revision is in progress.
void refuse_if_online_job(const char* operation);

// Starts the online job of `revision` in the caller's transaction: checks the operation
// against the table, records the job and registers a worker that begins once the caller's
// transaction commits. Call with SPI connected and the caller's search_path in force.
void start_online_job(const std::string& revision, const std::string& operation);

// The operation of an online job, which must be its revision's (verified against the
// revision's checksum): XX001 when ender.online_job holds another.
std::string verified_operation(const engine::revision& revision, const std::string& job_operation);

// Adds a row to ender.log for an online phase (expand, complete, rollback) of `revision`.
// `retries`: the attempts rolled back on a lock.
void log_online(const std::string& revision, const char* operation, long long statements,
                long retries = 0);

// Runs one utility statement as a top-level command, outside any SPI call and subtransaction,
// as the main loop of a backend would (CREATE/DROP INDEX CONCURRENTLY, which commit and start
// transactions of their own). Call in a transaction started with StartTransactionCommand and
// no active snapshot; parse trees live in `context`, which must outlive the transaction.
void run_top_level(const std::string& sql, MemoryContext context);

// The table an online operation changes, as the catalog shows it (without the column the
// job adds, `hidden_column`), with the grants its view copies.
engine::online_table read_online_table(const std::string& schema, const std::string& table,
                                       const std::string& hidden_column);

// "t" when index `schema`.`index` exists and is valid, "f" when it is invalid (a failed build
// or drop CONCURRENTLY left it so), "" when there is none.
std::string index_state(const std::string& schema, const std::string& index);

// drop_index: finds the index (through the caller's search_path when the operation does not
// name its schema) and sets `schema` and op.table to its table's; 42704 when there is none,
// 0A000 for the index of a partitioned table, 2BP01 when a constraint needs it.
void find_dropped_index(const std::string& revision, engine::online_operation& op,
                        std::string& schema);

// drop_index: refuses (55000) the rollback of a job whose worker has begun the drop (phase
// validate or ready); a failed job rolls back, with a notice when the drop left the index
// invalid.
void refuse_rollback_after_drop(const std::string& revision, const std::string& phase,
                                const std::string& schema, const std::string& index);

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

// Marks the job failed from its worker, which stops on an error outside any step.
void fail_stopped_worker(long long job_id, const std::string& failure);

// The pid of the worker that drives `job` (the ender worker holding its advisory lock), or 0.
int job_worker_pid(long long job);

// Wakes the job's worker from its pause (it then finds its job gone and exits).
void wake_job_worker(long long job);

// Cancels what the job's worker runs (an index build), as pg_cancel_backend would: only when
// the caller has the privileges of the job's owner (42501 otherwise).
void cancel_job_worker(long long job, Oid owner, const std::string& revision);

// Settings (module.cpp registers them).
extern int setting_backfill_batch_size;
extern int setting_backfill_pause_ms;
extern int setting_statement_timeout_ms;

// The OID of the role that owns an online job, as SQL over the row `j` of ender.online_job:
// its owner column, or the role its started_by names while the tables are still those of
// version 0.1 (until ALTER EXTENSION ender UPDATE; the library serves both).
#define ENDER_JOB_OWNER                                                                        \
    "COALESCE((pg_catalog.to_jsonb(j) ->> 'owner')::pg_catalog.regrole,"                       \
    " pg_catalog.to_regrole(pg_catalog.quote_ident(pg_catalog.to_jsonb(j) ->> 'started_by')))" \
    "::pg_catalog.oid"

// Records a new job (ender.online_job's columns from `revision` to `search_path`, then its
// owner, the caller); returns its id. Serves the tables of version 0.1 too (started_by).
long long insert_job(std::initializer_list<sql_param> columns);

// Advisory lock key (first half) a worker holds for its job: "ende".
inline constexpr int worker_lock_class = 1701733477;

}  // namespace ender::glue
