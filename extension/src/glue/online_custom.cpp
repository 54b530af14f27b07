// Custom online revisions (see online_custom.hpp and docs/zero-downtime.md).
#include "online_custom.hpp"

#include "../engine/error.hpp"
#include "../engine/online.hpp"
#include "../engine/online_custom.hpp"
#include "../engine/quote.hpp"
#include "guard.hpp"
#include "online_jobs.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"
#include "statements.hpp"

namespace ender::glue {
namespace {

std::vector<sql_statement> statements_of(const std::optional<std::string>& sql,
                                         const std::string& revision, const char* section) {
    return sql ? split_statements(*sql, revision, section) : std::vector<sql_statement>{};
}

// The schema of views of the new shape: ender_<revision>, as for the other kinds.
std::string view_schema(const std::string& revision) {
    return engine::quote_ident(engine::view_schema_name(revision));
}

}  // namespace

void check_custom_phases(const engine::revision& r) {
    const auto phases = engine::parse_custom(*r.online);
    statements_of(phases.expand, r.id, "expand");
    statements_of(phases.contract, r.id, "contract");
    statements_of(phases.rollback, r.id, "rollback");
    auto backfill = statements_of(phases.backfill, r.id, "backfill");
    auto count = statements_of(phases.backfill_count, r.id, "backfill_count");
    if (phases.backfill_count && count.size() != 1)
        throw engine::error(
            engine::sqlstate::syntax_error,
            "the backfill_count section of revision \"" + r.id + "\" must hold exactly one query",
            "It holds " + std::to_string(count.size()) + ".",
            "Write one query returning how many rows the backfill has still to "
            "process, e.g. SELECT count(*) FROM item WHERE cents IS NULL.");
    if (phases.backfill && backfill.size() != 1)
        throw engine::error(
            engine::sqlstate::syntax_error,
            "the backfill section of revision \"" + r.id + "\" must hold exactly one statement",
            "It holds " + std::to_string(backfill.size()) + ".",
            "The worker runs it again and again, each time in its own transaction, until "
            "it reports 0 rows: make it process one bounded batch, e.g. UPDATE ... WHERE id "
            "IN (SELECT id ... LIMIT 1000).");
}

void start_custom_job(const std::string& revision, const std::string& online) {
    const auto phases = engine::parse_custom(online);
    auto caller_path = *run_cached("SELECT pg_catalog.current_setting('search_path')").front()[0];
    // Created now, with the job (no lock on any table), so that expand can put views in it.
    run_uncached("CREATE SCHEMA " + view_schema(revision));
    run_uncached("GRANT USAGE ON SCHEMA " + view_schema(revision) + " TO PUBLIC");
    // No table: the phases say what they touch. A job without expand starts at its backfill.
    Oid role = GetUserId();
    long long job = insert_job({revision, online, std::string(), std::string(), std::string(),
                                std::to_string(setting_backfill_batch_size),
                                std::to_string(setting_backfill_pause_ms),
                                std::to_string(setting_lock_timeout_ms), std::string("0"),
                                caller_path, std::string(phases.expand ? "expand" : "backfill")});
    TransactionId creator = InvalidTransactionId;
    pg_guard([&] { creator = GetTopTransactionId(); });
    launch_worker(job, role, creator, true);
}

long run_custom_step(const std::string& job_id, const std::string& revision,
                     const std::string& phase, const std::string& online, int lock_timeout_ms,
                     long pause_ms) {
    const auto phases = engine::parse_custom(online);
    const lock_policy policy{lock_timeout_ms, setting_lock_retry_max_delay_ms};
    if (phase == "expand") {
        auto expand = statements_of(phases.expand, revision, "expand");
        long retries =
            run_with_lock_retry(policy, [&] { execute_statements(expand, revision, "expand"); });
        run_owned(
            "UPDATE ender.online_job SET phase = $2, backfill_started_at = pg_catalog.now(),"
            "       updated_at = pg_catalog.now(), lock_retries = lock_retries + $3::bigint,"
            "       ready_at = CASE WHEN $2 = 'ready' THEN pg_catalog.now() END"
            " WHERE id = $1::bigint",
            {job_id, std::string(phases.backfill ? "backfill" : "ready"), std::to_string(retries)});
        return phases.backfill ? 0 : -1;
    }
    if (phase != "backfill") return -1;
    // One call of the statement is one batch, in this step's transaction. The first batch
    // counts what there is to do first, when the file says how (backfill_count).
    auto backfill = statements_of(phases.backfill, revision, "backfill");
    const bool count_first =
        phases.backfill_count &&
        *run_owned("SELECT rows_total IS NULL FROM ender.online_job WHERE id = $1::bigint",
                   {job_id})
                .front()[0] == "t";
    uint64 processed = 0;
    text_cell remaining;
    long retries = run_with_lock_retry(policy, [&] {
        if (count_first) {
            auto rows = run_uncached(*phases.backfill_count);
            if (rows.empty() || rows.front().empty())
                throw engine::error(
                    engine::sqlstate::object_not_in_prerequisite_state,
                    "the backfill_count query of revision \"" + revision + "\" returned no row",
                    "It must return one number: the rows the backfill has still "
                    "to process.");
            remaining = rows.front()[0];
        }
        execute_statements(backfill, revision, "backfill");
        pg_guard([&] { processed = SPI_processed; });
    });
    if (count_first)
        run_owned(
            "UPDATE ender.online_job SET rows_total = rows_done + $2::bigint WHERE id = $1::bigint",
            {job_id, remaining});
    if (processed == 0)
        run_owned(
            "UPDATE ender.online_job SET phase = 'ready', ready_at = pg_catalog.now(),"
            "       updated_at = pg_catalog.now(), lock_retries = lock_retries + $2::bigint"
            " WHERE id = $1::bigint",
            {job_id, std::to_string(retries)});
    else
        run_owned(
            "UPDATE ender.online_job SET rows_done = rows_done + $2::bigint, batches = batches + 1,"
            "       lock_retries = lock_retries + $3::bigint, updated_at = pg_catalog.now()"
            " WHERE id = $1::bigint",
            {job_id, std::to_string(processed), std::to_string(retries)});
    return processed == 0 ? -1 : pause_ms;
}

long long complete_custom(const std::string& revision, const std::string& online,
                          const std::string& upgrade_sql, long& retries) {
    auto contract = statements_of(engine::parse_custom(online).contract, revision, "contract");
    auto upgrade = split_statements(upgrade_sql, revision, "upgrade");
    auto policy =
        caller_lock_policy([&] { return "the contract of online revision \"" + revision + "\""; });
    retries = run_with_lock_retry(policy, [&] {
        // The new shape's views first: they may stand on what the contract changes.
        run_uncached("DROP SCHEMA IF EXISTS " + view_schema(revision) + " CASCADE");
        execute_statements(contract, revision, "contract");
        execute_statements(upgrade, revision, "upgrade");
    });
    return static_cast<long long>(contract.size()) + static_cast<long long>(upgrade.size());
}

long long rollback_custom(const std::string& revision, const std::string& online, long& retries) {
    auto rollback = statements_of(engine::parse_custom(online).rollback, revision, "rollback");
    auto policy = caller_lock_policy(
        [&] { return "the rollback of online revision \"" + revision + "\""; }, true);
    retries = run_with_lock_retry(policy, [&] {
        run_uncached("DROP SCHEMA IF EXISTS " + view_schema(revision) + " CASCADE");
        execute_statements(rollback, revision, "rollback");
    });
    return static_cast<long long>(rollback.size());
}

}  // namespace ender::glue
