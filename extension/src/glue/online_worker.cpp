// The background worker of an online revision: it waits for the transaction that started the
// job, claims the job (an advisory lock, so one worker per job), then runs one step per
// transaction — expand, each backfill batch with its progress, validate — and exits when the
// job is ready, failed or gone. Killed, it is restarted by the postmaster and resumes from
// the last committed batch; after a server restart, ender_resume() starts it again.
#include "online_jobs.hpp"
#include "replication.hpp"

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "../engine/online_custom.hpp"
#include "guard.hpp"
#include "online_custom.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"
#include "verified.hpp"

#include <functional>

namespace ender::glue {
namespace {

constexpr long finished = -1;
int lock_failures = 0;    // consecutive steps that failed on a lock: the backoff's exponent
bool connecting = false;  // between the start of the worker and its login

// What a step asks of the worker after its transaction: a pause before the next step, or
// `finished`; and a statement to run top-level first (an index built or dropped CONCURRENTLY),
// under the job's timeouts.
struct step_result {
    long pause = 0;
    std::string top_level = {};
    lock_policy policy = {0, 0};
};

// Validate: an index built (or an invalid one, left by a failed build, dropped; or, for
// drop_index, the index dropped) one top-level statement per step; then the rows checked and the
// constraints validated, and the job is ready.
step_result validate_step(const std::string& id, const std::string& schema,
                          const engine::online_phase_sql& plan, const lock_policy& policy,
                          pinned_search_path& pinned) {
    const std::string state = plan.index_name.empty() ? "" : index_state(schema, plan.index_name);
    if (state == "f" || (plan.drops_index && state == "t"))
        return {0, plan.drop_invalid_index, policy};  // drop_index: the drop itself
    long retries = 0;
    const bool build = !plan.index_name.empty() && !plan.drops_index && state != "t";
    {
        auto caller = pinned.caller_path();
        long long count = 0;
        std::string keys;
        // Rows that would fail validation fail the job before an index is built for nothing.
        retries = run_with_lock_retry(policy, [&] {
            if (!plan.pending_rows.empty()) keys = pending_rows(plan.pending_rows, count);
            if (count == 0 && !build)
                for (const auto& s : plan.validate) run_uncached(s);
        });
        if (count > 0)
            throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                                plan.pending_message, plan.pending_detail + keys + ".");
    }
    if (build) return {0, plan.build_index, policy};
    run_owned(
        "UPDATE ender.online_job SET phase = 'ready', ready_at = pg_catalog.now(),"
        "       updated_at = pg_catalog.now(), lock_retries = lock_retries + $2::bigint"
        " WHERE id = $1::bigint",
        {id, std::to_string(retries)});
    return {finished};
}

// One step of job `job_id` in the current transaction.
step_result run_step(long long job_id) {
    const std::string id = std::to_string(job_id);
    pinned_search_path pinned;
    auto rows = run_owned(
        "SELECT j.phase, j.operation, j.table_schema, j.table_name, j.new_type, j.batch_size,"
        "       j.batch_pause_ms, j.lock_timeout_ms, j.last_key::text, j.revision_id,"
        "       j.statement_timeout_ms, " ENDER_JOB_OWNER
        "  FROM ender.online_job j WHERE j.id = $1::bigint FOR UPDATE",
        {id});
    if (rows.empty()) return {finished};  // completed or rolled back meanwhile
    auto& job = rows.front();
    const std::string phase = *job[0], schema = *job[2], table = *job[3], revision = *job[9];
    if (phase == "ready" || phase == "failed") return {finished};
    // Before every step: the job still belongs to the role this worker runs as, that role may
    // still log in, and the operation is still the one registered with the revision.
    if (static_cast<Oid>(std::stoul(*job[11])) != GetUserId())
        throw engine::error("42501", "the online job of revision \"" + revision +
                                         "\" does not belong to the role its worker runs as");
    if (auto problem = worker_role_problem(GetUserId()); !problem.empty())
        throw engine::error(
            "42501", "the worker of online revision \"" + revision + "\" stopped: " + problem, "",
            "Roll the revision back with ender_rollback('" + revision + "').");
    job[1] = verified_operation(verified_revision(revision), *job[1]);
    if (phase == "backfill" && replication_lag_over_limit())  // replication.cpp
        return {replication_throttle_pause_ms};
    if (engine::is_custom(*job[1])) {  // hand-written phases: online_custom.cpp
        auto caller = pinned.caller_path();
        return {
            run_custom_step(id, revision, phase, *job[1], std::stoi(*job[7]), std::stol(*job[6]))};
    }
    auto plan = phase_sql_of_job(revision, *job[1], job[4], schema, table);
    const lock_policy policy{std::stoi(*job[7]), setting_lock_retry_max_delay_ms, false,
                             std::stoi(*job[10])};
    auto run_all = [](const std::vector<std::string>& statements) {
        return [&statements] {
            for (const auto& s : statements) run_uncached(s);
        };
    };

    long retries = 0, pause = 0;
    if (phase == "expand") {
        {
            auto caller = pinned.caller_path();
            retries = run_with_lock_retry(policy, run_all(plan.expand));
        }
        text_cell total;
        if (!plan.backfill_scan_first.empty()) {
            auto estimate = run_cached(
                "SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END"
                "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                "c.relnamespace"
                " WHERE n.nspname = $1 AND c.relname = $2",
                {schema, table});
            if (!estimate.empty()) total = estimate.front()[0];
            if (!total)
                total = run_uncached("SELECT pg_catalog.count(*) FROM " +
                                     engine::quote_ident(schema) + "." + engine::quote_ident(table))
                            .front()[0];
        }
        // An operation without a backfill goes straight to validate.
        run_owned(
            "UPDATE ender.online_job SET phase = CASE WHEN $4::boolean THEN 'backfill' ELSE "
            "'validate' END,"
            "       rows_total = $2::bigint, backfill_started_at = pg_catalog.now(),"
            "       updated_at = pg_catalog.now(), lock_retries = lock_retries + $3::bigint"
            " WHERE id = $1::bigint",
            {id, total, std::to_string(retries),
             std::string(plan.backfill_scan_first.empty() ? "false" : "true")});
    } else if (phase == "backfill") {
        const text_cell last = job[8];
        long long count = 0;
        text_cell upper;
        {
            auto caller = pinned.caller_path();
            retries = run_with_lock_retry(policy, [&] {
                auto scan = run_uncached(last ? plan.backfill_scan_next : plan.backfill_scan_first,
                                         {*job[5], last});
                count = std::stoll(*scan.front()[0]);
                upper = scan.front()[1];
                if (count > 0)
                    run_uncached(last ? plan.backfill_update_next : plan.backfill_update_first,
                                 {last, upper});
            });
        }
        if (count == 0)
            run_owned(
                "UPDATE ender.online_job SET phase = 'validate', updated_at = pg_catalog.now(),"
                "       lock_retries = lock_retries + $2::bigint"
                " WHERE id = $1::bigint",
                {id, std::to_string(retries)});
        else
            run_owned(
                "UPDATE ender.online_job SET rows_done = rows_done + $2::bigint,"
                "       last_key = $3::text[], batches = batches + 1,"
                "       lock_retries = lock_retries + $4::bigint, updated_at = pg_catalog.now()"
                " WHERE id = $1::bigint",
                {id, std::to_string(count), upper, std::to_string(retries)});
        pause = count == 0 ? 0 : std::stol(*job[6]);
    } else if (phase == "validate") {
        return validate_step(id, schema, plan, policy, pinned);
    }
    return {pause};
}

// Runs `body` in a transaction of its own, with SPI and ender's search_path.
void in_own_transaction(const std::function<void()>& body) {
    pg_guard([] {
        SetCurrentStatementStartTimestamp();
        StartTransactionCommand();
        PushActiveSnapshot(GetTransactionSnapshot());
    });
    {
        spi_scope spi;
        pinned_search_path pinned;
        body();
    }
    pg_guard([] {
        PopActiveSnapshot();
        CommitTransactionCommand();
    });
}

// Waits `pause` ms between two steps: the whole pause, however often the latch is set meanwhile
// (a cache invalidation catch-up or a config reload wakes the worker early), since the pause is
// the throttle the operator chose; but no longer than the job lives. ender_rollback and
// ender_complete wake the worker while their transaction holds the job's row: a row that is
// locked by another transaction or gone ends the pause, and the next step finds out why.
void pause_between_steps(long long job_id, long pause) {
    TimestampTz until = 0;
    pg_guard([&] { until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), pause); });
    for (long left = pause; left > 0;) {
        int events = 0;
        pg_guard([&] {
            events = WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, left,
                               PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
            CHECK_FOR_INTERRUPTS();
        });
        if (events & WL_LATCH_SET) {
            bool free = false;
            in_own_transaction([&] {
                free = !run_owned(
                            "SELECT FROM ender.online_job WHERE id = $1::bigint"
                            "   FOR UPDATE SKIP LOCKED",
                            {std::to_string(job_id)})
                            .empty();
            });
            if (!free) return;
        }
        pg_guard([&] { left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), until); });
    }
}

// Records why the job failed, in a transaction of its own (the step's was rolled back). A
// unique index that could not be built: the message names the duplicate keys.
void record_failure(long long job_id, std::string message, bool duplicates) {
    pg_guard([&] {
        ereport(LOG, (errmsg("ender online job %lld failed: %s", job_id, message.c_str())));
    });
    in_own_transaction([&] {
        const std::string id = std::to_string(job_id);
        if (duplicates) {
            auto job = run_owned(
                "SELECT revision_id, operation, new_type, table_schema, table_name"
                "  FROM ender.online_job WHERE id = $1::bigint",
                {id});
            if (!job.empty()) {
                auto& j = job.front();
                auto plan = phase_sql_of_job(*j[0], *j[1], j[2], *j[3], *j[4]);
                long long count = 0;
                std::string keys = pending_rows(plan.duplicates, count);
                if (count > 0)
                    message += "; " + std::to_string(count) + " keys occur more than once: " + keys;
            }
        }
        run_owned(
            "UPDATE ender.online_job SET phase = 'failed', last_error = $2,"
            "       last_error_at = pg_catalog.now(), updated_at = pg_catalog.now()"
            " WHERE id = $1::bigint",
            {id, message});
    });
}

}  // namespace

void fail_stopped_worker(long long job_id, const std::string& failure) {
    record_failure(job_id, "the worker stopped: " + failure, false);
}

namespace {

// A step that failed on a lock (outside run_with_lock_retry: a top-level statement, or the
// job row itself) is counted and tried again after a backoff.
long record_lock_retry(long long job_id, const lock_policy& policy) {
    in_own_transaction([&] {
        run_owned(
            "UPDATE ender.online_job SET lock_retries = lock_retries + 1,"
            "       updated_at = pg_catalog.now() WHERE id = $1::bigint",
            {std::to_string(job_id)});
    });
    return backoff_ms(policy, lock_failures++);
}

// Arms (or disarms) the statement timeout around a top-level statement, which runs outside
// the subtransactions run_with_lock_retry uses. No lock timeout: an index built or dropped
// CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which no read or write waits behind, and then
// waits for older transactions, which holds no one up either.
void top_level_timeouts(const lock_policy& policy, bool on) {
    pg_guard([&] {
        if (policy.statement_timeout_ms > 0) {
            if (on)
                enable_timeout_after(STATEMENT_TIMEOUT, policy.statement_timeout_ms);
            else
                disable_timeout(STATEMENT_TIMEOUT, false);
        }
    });
}

// Runs one step in its own transaction; a failure rolls the step back and fails the job.
long worker_step(long long job_id) {
    MemoryContext pass_context = CurrentMemoryContext;
    std::string failure;
    int code = 0;
    step_result result;
    try {
        pg_guard([] {
            SetCurrentStatementStartTimestamp();
            StartTransactionCommand();
            PushActiveSnapshot(GetTransactionSnapshot());
            pgstat_report_activity(STATE_RUNNING, "ender: online job step");
        });
        {
            spi_scope spi;
            result = run_step(job_id);
        }
        pg_guard([] { PopActiveSnapshot(); });
        if (!result.top_level.empty()) {
            // DROP INDEX CONCURRENTLY must be the first action of its transaction.
            pg_guard([] {
                CommitTransactionCommand();
                StartTransactionCommand();
            });
            pg_guard([&] { pgstat_report_activity(STATE_RUNNING, result.top_level.c_str()); });
            top_level_timeouts(result.policy, true);
            run_top_level(result.top_level, pass_context);
            top_level_timeouts(result.policy, false);
        }
        pg_guard([] {
            CommitTransactionCommand();
            pgstat_report_activity(STATE_IDLE, nullptr);
        });
        lock_failures = 0;
        return result.pause;
    } catch (const pg_error& e) {
        ErrorData* d = e.data();
        code = d->sqlerrcode;
        failure = d->message ? d->message : "error";
        if (d->detail) failure += std::string(" (") + d->detail + ")";
    } catch (const engine::error& e) {
        failure = e.what();
        if (!e.detail().empty()) failure += " (" + e.detail() + ")";
    } catch (const std::exception& e) {
        failure = e.what();
    }
    pg_guard([] { AbortCurrentTransaction(); });
    if (!result.top_level.empty()) top_level_timeouts(result.policy, false);
    if (code == ERRCODE_LOCK_NOT_AVAILABLE || code == ERRCODE_T_R_DEADLOCK_DETECTED)
        return record_lock_retry(
            job_id, result.policy.lock_timeout_ms > 0
                        ? result.policy
                        : lock_policy{setting_lock_timeout_ms, setting_lock_retry_max_delay_ms});
    record_failure(job_id, failure, code == ERRCODE_UNIQUE_VIOLATION && !result.top_level.empty());
    return finished;
}

// A worker that cannot log in (its role lost LOGIN or was dropped, its database is gone) ends
// with status 0, not 1, so the postmaster does not start it again every second: the next
// ender_resume() (ender_status, ender_wait) fails its job, saying why.
void exit_quietly_if_login_failed(int, Datum) {
    if (connecting) exit(0);
}

void worker_main(long long job_id) {
    const std::string id = std::to_string(job_id);
    worker_args args;
    memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof(args));
    pg_guard([&] {
        pqsignal(SIGTERM, die);
        pqsignal(SIGHUP, SignalHandlerForConfigReload);
        BackgroundWorkerUnblockSignals();
        on_proc_exit(exit_quietly_if_login_failed, 0);
        connecting = true;
        BackgroundWorkerInitializeConnectionByOid(args.database, args.role, 0);
        connecting = false;
        pgstat_report_appname("ender online worker");
    });
    // First the job's lock, held for the life of the process: one worker, and only one, drives
    // a job (a second one exits here), and ender_resume sees this one from its start.
    bool claimed = false;
    in_own_transaction([&] {
        claimed =
            *run_cached("SELECT pg_catalog.pg_try_advisory_lock(1701733477, $1::integer)", {id})
                 .front()[0] == "t";
    });
    if (!claimed) return;
    if (TransactionIdIsValid(args.creator))
        pg_guard([&] {
            // The job row becomes visible when ender_upgrade's transaction commits.
            StartTransactionCommand();
            XactLockTableWait(args.creator, nullptr, nullptr, XLTW_None);
            CommitTransactionCommand();
        });
    // No job (or no ender: the extension was dropped) and the worker has nothing to do.
    text_cell path;
    bool job_found = false;
    in_own_transaction([&] {
        if (*run_cached("SELECT pg_catalog.to_regclass('ender.online_job') IS NOT NULL")
                 .front()[0] != "t")
            return;
        auto rows = run_owned(
            "UPDATE ender.online_job SET worker_pid = pg_catalog.pg_backend_pid()"
            " WHERE id = $1::bigint RETURNING search_path",
            {id});
        job_found = !rows.empty();
        if (job_found) path = rows.front()[0];
    });
    if (!job_found) return;
    // The revision's expressions see the search_path of the caller that started the job.
    if (path)
        pg_guard([&] {
            StartTransactionCommand();
            set_config_option("search_path", path->c_str(), PGC_USERSET, PGC_S_SESSION,
                              GUC_ACTION_SET, true, 0, false);
            CommitTransactionCommand();
        });
    MemoryContext pass_context =
        AllocSetContextCreate(TopMemoryContext, "ender online worker", ALLOCSET_DEFAULT_SIZES);
    for (;;) {
        long pause = 0;
        pg_guard([&] {
            CHECK_FOR_INTERRUPTS();
            if (ConfigReloadPending) {
                ConfigReloadPending = false;
                ProcessConfigFile(PGC_SIGHUP);
            }
            MemoryContextReset(pass_context);
            MemoryContextSwitchTo(pass_context);
        });
        pause = worker_step(job_id);
        if (pause == finished) break;
        if (pause > 0) pause_between_steps(job_id, pause);
    }
    // The pid goes with the worker (ender never signals a pid read from the table).
    in_own_transaction([&] {
        run_owned(
            "UPDATE ender.online_job SET worker_pid = NULL"
            " WHERE id = $1::bigint AND worker_pid = pg_catalog.pg_backend_pid()",
            {id});
    });
}

}  // namespace

// As pg_cron runs a job's command in its background worker: parse, analyze and plan in
// `context`, then run through an unnamed portal with isTopLevel = true.
void run_top_level(const std::string& sql, MemoryContext context) {
    pg_guard([&] {
        MemoryContext caller = MemoryContextSwitchTo(context);
        List* parsed = pg_parse_query(sql.c_str());
        if (list_length(parsed) != 1)
            elog(ERROR, "expected one statement, got %d", list_length(parsed));
        RawStmt* raw = linitial_node(RawStmt, parsed);
        bool snapshot = analyze_requires_snapshot(raw);
        if (snapshot) PushActiveSnapshot(GetTransactionSnapshot());
        List* queries = pg_analyze_and_rewrite_fixedparams(raw, sql.c_str(), nullptr, 0, nullptr);
        List* plans = pg_plan_queries(queries, sql.c_str(), CURSOR_OPT_PARALLEL_OK, nullptr);
        if (snapshot) PopActiveSnapshot();
        Portal portal = CreatePortal("", true, true);
        portal->visible = false;
        PortalDefineQuery(portal, nullptr, sql.c_str(), CreateCommandTag(raw->stmt), plans,
                          nullptr);
        PortalStart(portal, nullptr, 0, InvalidSnapshot);
        DestReceiver* dest = CreateDestReceiver(DestNone);
        MemoryContextSwitchTo(caller);
        QueryCompletion done;
        (void)PortalRun(portal, FETCH_ALL, true, true, dest, dest, &done);
        dest->rDestroy(dest);
        PortalDrop(portal, false);
    });
}

}  // namespace ender::glue

extern "C" PGDLLEXPORT void ender_online_worker_main(Datum arg);

// The worker's entry point (bgw_function_name). An error escaping here fails the job when it
// still can, is logged, and ends the process with status 0: the postmaster starts a worker
// again only when it was killed (status 1), never in a loop over the same error.
void ender_online_worker_main(Datum arg) {
    long long job_id = DatumGetInt64(arg);
    std::string failure;
    try {
        ender::glue::worker_main(job_id);
    } catch (const ender::glue::pg_error& e) {
        failure = e.what();
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown error";
    }
    if (failure.empty()) proc_exit(0);
    ereport(LOG, (errmsg("ender online worker for job %lld stopped: %s", job_id, failure.c_str())));
    try {
        ender::glue::pg_guard([] { AbortOutOfAnyTransaction(); });
        ender::glue::fail_stopped_worker(job_id, failure);
    } catch (...) {
    }
    proc_exit(0);
}
