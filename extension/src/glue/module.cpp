// The shared library's module header, and the ender.* settings (registered here, in one place,
// alphabetically).
#include "pg.hpp"

#include "online_jobs.hpp"
#include "replication.hpp"

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
    DefineCustomIntVariable("ender.lock_retry_max_delay",
                            "Sets the longest wait between two attempts to take a lock.",
                            "The wait doubles after each lock timeout, up to this, with jitter.",
                            &setting_lock_retry_max_delay_ms, 2000, 1, 600000, PGC_USERSET,
                            GUC_UNIT_MS, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "ender.lock_timeout", "Sets how long an online step waits for a lock before it retries.",
        "Statements queued behind the step wait at most this long.", &setting_lock_timeout_ms, 50,
        1, 600000, PGC_USERSET, GUC_UNIT_MS, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "ender.statement_timeout",
        "Sets the longest time each step of an online revision's worker may run.",
        "Applies to every DDL step, backfill batch, validation and index build "
        "of the worker; 0 turns it off.",
        &setting_statement_timeout_ms, 0, 0, INT_MAX, PGC_USERSET, GUC_UNIT_MS, nullptr, nullptr,
        nullptr);
    MarkGUCPrefixReserved("ender");
}
