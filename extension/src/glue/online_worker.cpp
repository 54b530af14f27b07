// The background worker of an online revision: it waits for the transaction that started the
// job, claims the job (an advisory lock, so one worker per job), then runs one step per
// transaction — expand, each backfill batch with its progress, validate — and exits when the
// job is ready, failed or gone. Killed, it is restarted by the postmaster and resumes from
// the last committed batch; after a server restart, ender_resume() starts it again.
#include "online_jobs.hpp"

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "../engine/online_custom.hpp"
#include "guard.hpp"
#include "online_custom.hpp"
#include "spi.hpp"

namespace ender::glue {
namespace {

constexpr long finished = -1;
bool claimed = false;  // this process holds the job's advisory lock

// One step of job `job_id` in the current transaction. Returns the pause before the next
// step in milliseconds, or `finished`.
long run_step(long long job_id) {
    const std::string id = std::to_string(job_id);
    pinned_search_path pinned;
    pinned.push();
    auto rows = run_internal(
        "SELECT j.phase, j.operation, j.table_schema, j.table_name, j.new_type, j.batch_size,"
        "       j.batch_pause_ms, j.lock_timeout_ms, j.last_key::text, j.revision_id"
        "  FROM ender.online_job j WHERE j.id = $1::bigint FOR UPDATE",
        {id});
    if (rows.empty()) return finished;  // completed or rolled back meanwhile
    auto& job = rows.front();
    if (!claimed) {
        auto got = run_internal("SELECT pg_catalog.pg_try_advisory_lock(1701733477, $1::integer)", {id});
        if (*got.front()[0] != "t") return finished;  // another worker has it
        claimed = true;
        run_internal("UPDATE ender.online_job SET worker_pid = pg_catalog.pg_backend_pid()"
                     " WHERE id = $1::bigint",
                     {id});
    }
    const std::string phase = *job[0], schema = *job[2], table = *job[3], revision = *job[9];
    if (phase == "ready" || phase == "failed") return finished;
    if (engine::is_custom(*job[1])) {  // hand-written phases: online_custom.cpp
        pinned.pop();
        return run_custom_step(id, revision, phase, *job[1], std::stoi(*job[7]), std::stol(*job[6]));
    }
    auto op = engine::parse_online_operation(*job[1]);
    op.type = *job[4];
    auto names = engine::names_of(revision, op);
    auto plan = engine::plan_online(revision, op, read_online_table(schema, table, names.new_column));
    const lock_policy policy{std::stoi(*job[7]), setting_lock_retry_max_delay_ms};
    auto run_all = [](const std::vector<std::string>& statements) {
        return [&statements] {
            for (const auto& s : statements) run_sql(s);
        };
    };

    long retries = 0, pause = 0;
    if (phase == "expand") {
        pinned.pop();
        retries = run_with_lock_retry(policy, run_all(plan.expand));
        pinned.push();
        auto estimate = run_internal(
            "SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END"
            "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = $1 AND c.relname = $2",
            {schema, table});
        text_cell total = estimate.empty() ? text_cell{} : estimate.front()[0];
        if (!total)
            total = run_sql("SELECT pg_catalog.count(*) FROM " + engine::quote_ident(schema) + "." +
                            engine::quote_ident(table))
                        .front()[0];
        run_internal(
            "UPDATE ender.online_job SET phase = 'backfill', rows_total = $2::bigint,"
            "       backfill_started_at = pg_catalog.now(), updated_at = pg_catalog.now(),"
            "       lock_retries = lock_retries + $3::bigint"
            " WHERE id = $1::bigint",
            {id, total, std::to_string(retries)});
    } else if (phase == "backfill") {
        const text_cell last = job[8];
        long long count = 0;
        text_cell upper;
        pinned.pop();
        retries = run_with_lock_retry(policy, [&] {
            auto scan = run_sql(last ? plan.backfill_scan_next : plan.backfill_scan_first,
                                {*job[5], last});
            count = std::stoll(*scan.front()[0]);
            upper = scan.front()[1];
            if (count > 0)
                run_sql(last ? plan.backfill_update_next : plan.backfill_update_first, {last, upper});
        });
        pinned.push();
        if (count == 0)
            run_internal(
                "UPDATE ender.online_job SET phase = 'validate', updated_at = pg_catalog.now(),"
                "       lock_retries = lock_retries + $2::bigint"
                " WHERE id = $1::bigint",
                {id, std::to_string(retries)});
        else
            run_internal(
                "UPDATE ender.online_job SET rows_done = rows_done + $2::bigint,"
                "       last_key = $3::text[], batches = batches + 1,"
                "       lock_retries = lock_retries + $4::bigint, updated_at = pg_catalog.now()"
                " WHERE id = $1::bigint",
                {id, std::to_string(count), upper, std::to_string(retries)});
        pause = count == 0 ? 0 : std::stol(*job[6]);
    } else if (phase == "validate") {
        pinned.pop();
        long long count = 0;
        std::string keys = pending_rows(plan.pending_rows, count);
        if (count > 0)
            throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                                std::to_string(count) + " rows are not in step after the backfill",
                                "The new column is NULL where the old one gives a value (or where "
                                "NOT NULL requires one), in the rows with key " + keys + ".");
        retries = run_with_lock_retry(policy, run_all(plan.validate));
        pinned.push();
        run_internal(
            "UPDATE ender.online_job SET phase = 'ready', ready_at = pg_catalog.now(),"
            "       updated_at = pg_catalog.now(), lock_retries = lock_retries + $2::bigint"
            " WHERE id = $1::bigint",
            {id, std::to_string(retries)});
        pause = finished;
    }
    pinned.pop();
    return pause;
}

// Records why the job failed, in a transaction of its own (the step's was rolled back).
void record_failure(long long job_id, const std::string& message) {
    pg_guard([&] {
        ereport(LOG, (errmsg("ender online job %lld failed: %s", job_id, message.c_str())));
        SetCurrentStatementStartTimestamp();
        StartTransactionCommand();
        PushActiveSnapshot(GetTransactionSnapshot());
    });
    spi_connect();
    pinned_search_path pinned;
    pinned.push();
    run_internal(
        "UPDATE ender.online_job SET phase = 'failed', last_error = $2,"
        "       last_error_at = pg_catalog.now(), updated_at = pg_catalog.now()"
        " WHERE id = $1::bigint",
        {std::to_string(job_id), message});
    pinned.pop();
    spi_finish();
    pg_guard([] {
        PopActiveSnapshot();
        CommitTransactionCommand();
    });
}

// Runs one step in its own transaction; a failure rolls the step back and fails the job.
long worker_step(long long job_id) {
    std::string failure;
    try {
        pg_guard([] {
            SetCurrentStatementStartTimestamp();
            StartTransactionCommand();
            PushActiveSnapshot(GetTransactionSnapshot());
            pgstat_report_activity(STATE_RUNNING, "ender: online job step");
        });
        spi_connect();
        long next = run_step(job_id);
        spi_finish();
        pg_guard([] {
            PopActiveSnapshot();
            CommitTransactionCommand();
            pgstat_report_activity(STATE_IDLE, nullptr);
        });
        return next;
    } catch (const pg_error& e) {
        ErrorData* d = e.data();
        failure = d->message ? d->message : "error";
        if (d->detail) failure += std::string(" (") + d->detail + ")";
    } catch (const engine::error& e) {
        failure = e.what();
        if (!e.detail().empty()) failure += " (" + e.detail() + ")";
    } catch (const std::exception& e) {
        failure = e.what();
    }
    pg_guard([] { AbortCurrentTransaction(); });
    record_failure(job_id, failure);
    return finished;
}

void worker_main(long long job_id) {
    bool job_found = false;
    worker_args args;
    memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof(args));
    pg_guard([&] {
        pqsignal(SIGTERM, die);
        pqsignal(SIGHUP, SignalHandlerForConfigReload);
        BackgroundWorkerUnblockSignals();
        BackgroundWorkerInitializeConnectionByOid(args.database, args.role, 0);
        pgstat_report_appname("ender online worker");
        if (TransactionIdIsValid(args.creator)) {
            // The job row becomes visible when ender_upgrade's transaction commits.
            StartTransactionCommand();
            XactLockTableWait(args.creator, nullptr, nullptr, XLTW_None);
            CommitTransactionCommand();
        }
        // The revision's expressions see the search_path of the caller that started the job.
        // No job (or no ender: the extension was dropped) and the worker has nothing to do.
        StartTransactionCommand();
        PushActiveSnapshot(GetTransactionSnapshot());
        SPI_connect();
        Datum arg = Int64GetDatum(job_id);
        Oid type = INT8OID;
        job_found = false;
        if (SPI_execute("SELECT pg_catalog.to_regclass('ender.online_job') IS NOT NULL", true, 1) ==
                SPI_OK_SELECT &&
            SPI_processed == 1 &&
            strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "t") == 0 &&
            SPI_execute_with_args("SELECT search_path FROM ender.online_job WHERE id = $1", 1,
                                  &type, &arg, nullptr, true, 1) == SPI_OK_SELECT &&
            SPI_processed == 1) {
            job_found = true;
            char* path = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
            if (path)
                set_config_option("search_path", path, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SET,
                                  true, 0, false);
        }
        SPI_finish();
        PopActiveSnapshot();
        CommitTransactionCommand();
    });
    if (!job_found) return;
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
        if (pause > 0)
            pg_guard([&] {
                (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, pause,
                                PG_WAIT_EXTENSION);
                ResetLatch(MyLatch);
            });
    }
}

}  // namespace
}  // namespace ender::glue

extern "C" PGDLLEXPORT void ender_online_worker_main(Datum arg);

// The worker's entry point (bgw_function_name). An error escaping here is logged and ends
// the process with exit code 1, and the postmaster starts it again a second later.
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
    proc_exit(1);
}
