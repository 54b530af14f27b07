// Starting the background worker of an online job (launch_worker), and ender_resume, which
// starts one for every job that has none. See online_jobs.hpp and docs/zero-downtime.md.
#include "online_jobs.hpp"

#include "guard.hpp"
#include "spi.hpp"

namespace ender::glue {

bool launch_worker(long long job, Oid role, TransactionId creator, bool must) {
    bool launched = false;
    pg_guard([&] {
        BackgroundWorker worker;
        memset(&worker, 0, sizeof(worker));
        snprintf(worker.bgw_name, BGW_MAXLEN, "ender online worker for job %lld", job);
        snprintf(worker.bgw_type, BGW_MAXLEN, "ender online worker");
        worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
        worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
        worker.bgw_restart_time = 1;  // killed mid-job: the postmaster starts it again
        snprintf(worker.bgw_library_name, BGW_MAXLEN, "ender");
        snprintf(worker.bgw_function_name, BGW_MAXLEN, "ender_online_worker_main");
        worker.bgw_main_arg = Int64GetDatum(job);
        worker_args args{MyDatabaseId, role, creator};
        memcpy(worker.bgw_extra, &args, sizeof(args));
        worker.bgw_notify_pid = 0;
        launched = RegisterDynamicBackgroundWorker(&worker, nullptr);
        if (!launched && must)
            ereport(ERROR,
                    (errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
                     errmsg("could not start ender's online worker"),
                     errdetail("Every background worker slot (max_worker_processes) is in use."),
                     errhint("Raise max_worker_processes, or call ender_resume() later.")));
    });
    return launched;
}

}  // namespace ender::glue

using namespace ender;

// ender_resume() RETURNS integer: a worker for every unfinished job that has none.
ENDER_FUNCTION(ender_resume) {
    (void)fcinfo;
    glue::spi_connect();
    glue::pinned_search_path pinned;
    pinned.push();
    auto rows = glue::run_internal(
        "SELECT j.id, j.started_by FROM ender.online_job j"
        " WHERE j.phase IN ('expand', 'backfill', 'validate')"
        "   AND NOT EXISTS (SELECT FROM pg_catalog.pg_locks l"
        "                    WHERE l.locktype = 'advisory' AND l.classid = 1701733477"
        "                      AND l.objid = j.id AND l.objsubid = 2 AND l.granted"
        "                      AND l.database = (SELECT oid FROM pg_catalog.pg_database"
        "                                         WHERE datname = pg_catalog.current_database()))"
        " ORDER BY j.id");
    int32 count = 0;
    for (const auto& r : rows) {
        Oid role = InvalidOid;
        glue::pg_guard([&] { role = get_role_oid(r[1]->c_str(), false); });
        count += glue::launch_worker(std::stoll(*r[0]), role, InvalidTransactionId, false);
    }
    pinned.pop();
    glue::spi_finish();
    return Int32GetDatum(count);
}
