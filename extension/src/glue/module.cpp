// The shared library's module header, and the ender.* settings (registered here, in one place,
// alphabetically).
#include "pg.hpp"

#include "../engine/interrupts.hpp"
#include "guard.hpp"
#include "online_jobs.hpp"
#include "replication.hpp"
#include "statements.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);  // NOLINT(bugprone-reserved-identifier): PostgreSQL's name
}

void _PG_init(void) {
    using namespace ender::glue;
    DefineCustomIntVariable("ender.backfill_batch_size",
                            "Sets how many rows each backfill batch of an online revision covers.",
                            "Each batch is one transaction; its rows stay locked until it commits.",
                            &setting_backfill_batch_size, 1000, 1, 1000000, PGC_USERSET, 0, nullptr,
                            nullptr, nullptr);
    DefineCustomIntVariable(
        "ender.backfill_max_replication_lag",
        "Sets how far subscribers and standbys may fall behind before a backfill waits.",
        "Between batches, the worker waits while a walsender has not flushed this much WAL; "
        "0 turns it off.",
        &setting_backfill_max_replication_lag_kb, 0, 0, INT_MAX, PGC_SIGHUP, GUC_UNIT_KB, nullptr,
        nullptr, nullptr);
    DefineCustomIntVariable("ender.backfill_pause",
                            "Sets the pause between two backfill batches of an online revision.",
                            nullptr, &setting_backfill_pause_ms, 10, 0, 60000, PGC_USERSET,
                            GUC_UNIT_MS, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "ender.client_step_revision",
        "Names the revision whose C++ data step the calling program runs itself.",
        "ender_upgrade and ender_downgrade refuse a revision with a step unless this names it; "
        "ender's client library sets it, in the transaction that runs the step.",
        &setting_client_step_revision, "", PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("ender.lock_retry_max_delay",
                            "Sets the longest wait between two attempts to take a lock.",
                            "The wait doubles after each lock timeout, up to this, with jitter.",
                            &setting_lock_retry_max_delay_ms, 2000, 1, 600000, PGC_USERSET,
                            GUC_UNIT_MS, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "ender.lock_timeout",
        "Sets how long each attempt of a migration step waits for a lock before it retries.",
        "Statements queued behind the step wait at most this long; 0 turns the lock-polite "
        "retry off.",
        &setting_lock_timeout_ms, 50, 0, 600000, PGC_USERSET, GUC_UNIT_MS, nullptr, nullptr,
        nullptr);
    DefineCustomIntVariable(
        "ender.lock_wait_limit",
        "Sets how long a migration step keeps retrying for its locks before it fails.",
        "The attempts and the waits between them count; then the step fails naming the "
        "sessions that hold the lock. 0: no limit.",
        &setting_lock_wait_limit_ms, 600000, 0, INT_MAX, PGC_USERSET, GUC_UNIT_MS, nullptr, nullptr,
        nullptr);
    DefineCustomBoolVariable(
        "ender.report_progress",
        "Sends an INFO message before each revision an upgrade or downgrade runs.",
        "\"ender progress: upgrade 3/12 <id>\": the ender command shows them as its progress line.",
        &setting_report_progress, false, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "ender.statement_timeout",
        "Sets the longest time each step of an online revision's worker may run.",
        "Applies to every DDL step, backfill batch, validation and index build "
        "of the worker; 0 turns it off.",
        &setting_statement_timeout_ms, 0, 0, INT_MAX, PGC_USERSET, GUC_UNIT_MS, nullptr, nullptr,
        nullptr);
    MarkGUCPrefixReserved("ender");
    // The engine's long loops end on a pending cancel as any query does (interrupts.hpp).
    ender::engine::set_interrupt_check([] { pg_guard([] { CHECK_FOR_INTERRUPTS(); }); });
}
