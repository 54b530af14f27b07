// Starting the background worker of an online job (launch_worker), finding and signalling the
// worker that really drives a job (from the lock manager, never from a column), and
// ender_resume, which starts one for every job that has none and whose owner the caller acts
// for. See online_jobs.hpp, docs/zero-downtime.md and docs/security.md.
#include "online_jobs.hpp"

#include "../engine/error.hpp"
#include "../engine/online_custom.hpp"
#include "guard.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"
#include "state.hpp"

#include <csignal>
#include <optional>
#include <utility>

extern "C" {
#include "access/xlog.h"
}

namespace ender::glue {
namespace {

BackgroundWorker worker_of(long long job, Oid role, TransactionId creator) {
    BackgroundWorker worker;
    memset(&worker, 0, sizeof(worker));
    snprintf(worker.bgw_name, BGW_MAXLEN, "ender online worker for job %lld", job);
    snprintf(worker.bgw_type, BGW_MAXLEN, "ender online worker");
    worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
    // Killed mid-job, the postmaster starts it again. A worker that cannot log in never loops:
    // it exits with status 0 (online_worker.cpp), which unregisters it.
    worker.bgw_restart_time = 1;
    snprintf(worker.bgw_library_name, BGW_MAXLEN, "ender");
    snprintf(worker.bgw_function_name, BGW_MAXLEN, "ender_online_worker_main");
    worker.bgw_main_arg = Int64GetDatum(job);
    worker_args args{MyDatabaseId, role, creator};
    memcpy(worker.bgw_extra, &args, sizeof(args));
    worker.bgw_notify_pid = 0;
    return worker;
}

[[noreturn]] void no_slot() {
    ereport(ERROR, (errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
                    errmsg("could not start ender's online worker"),
                    errdetail("Every background worker slot (max_worker_processes) is in use."),
                    errhint("Raise max_worker_processes, or call ender_resume() later.")));
}

// Marks a job whose worker cannot run failed, saying why: only while it still needs a worker
// (the snapshot that listed it may be older than a worker that took it to 'ready' and left).
void fail_job(const std::string& job, const std::string& message) {
    run_owned(
        "UPDATE ender.online_job SET phase = 'failed', last_error = $2,"
        "       last_error_at = pg_catalog.now(), updated_at = pg_catalog.now()"
        " WHERE id = $1::bigint AND phase IN ('expand', 'backfill', 'validate')",
        {job, message});
}

enum class launch { started, no_slot, stopped };

// Starts the worker of `job` and waits until it holds the job's lock (it drives the job) or
// has stopped (it could not log in, or another worker had the job, or the job ended). Only a
// worker that stopped while no worker holds the job counts as stopped: one still logging in
// on a loaded machine is left to run.
launch launch_and_confirm(long long job, Oid role) {
    BackgroundWorker worker = worker_of(job, role, InvalidTransactionId);
    worker.bgw_notify_pid = MyProcPid;
    BackgroundWorkerHandle* handle = nullptr;
    bool registered = false;
    pg_guard([&] { registered = RegisterDynamicBackgroundWorker(&worker, &handle); });
    if (!registered) return launch::no_slot;
    pid_t pid = 0;
    BgwHandleStatus status = BGWH_NOT_YET_STARTED;
    pg_guard([&] { status = WaitForBackgroundWorkerStartup(handle, &pid); });
    for (int waited_ms = 0; status == BGWH_STARTED && waited_ms < 30000; waited_ms += 10) {
        if (job_worker_pid(job) != 0) return launch::started;
        pg_guard([&] {
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 10,
                            PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
            CHECK_FOR_INTERRUPTS();
            status = GetBackgroundWorkerPid(handle, &pid);
        });
    }
    return status == BGWH_STOPPED && job_worker_pid(job) == 0 ? launch::stopped : launch::started;
}

}  // namespace

bool launch_worker(long long job, Oid role, TransactionId creator, bool must) {
    // A standby (docs/replication.md): the job belongs to the primary, and a worker registered
    // here would wait for promotion in a slot, one more for every ender_status() call.
    if (RecoveryInProgress()) return false;
    BackgroundWorker worker = worker_of(job, role, creator);
    bool launched = false;
    pg_guard([&] {
        launched = RegisterDynamicBackgroundWorker(&worker, nullptr);
        if (!launched && must) no_slot();
    });
    return launched;
}

int job_worker_pid(long long job) {
    // The holder of the job's advisory lock, if it is an ender worker: what the lock manager
    // says, not what a row says.
    auto rows = run_owned(
        "SELECT l.pid FROM pg_catalog.pg_locks l"
        "  JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.classid = 1701733477"
        "   AND l.objid = $1::bigint::oid AND l.objsubid = 2 AND l.granted"
        "   AND l.database = (SELECT oid FROM pg_catalog.pg_database"
        "                      WHERE datname = pg_catalog.current_database())"
        "   AND a.backend_type = 'ender online worker'",
        {std::to_string(job)});
    return rows.empty() ? 0 : std::stoi(*rows.front()[0]);
}

void wake_job_worker(long long job) {
    int pid = job_worker_pid(job);
    if (pid == 0) return;
    pg_guard([&] {
        if (PGPROC* proc = BackendPidGetProc(pid)) SetLatch(&proc->procLatch);
    });
}

void cancel_job_worker(long long job, Oid owner, const std::string& revision) {
    int pid = job_worker_pid(job);
    if (pid == 0) return;
    // As pg_cancel_backend: only a role with the privileges of the worker's own role.
    if (!acts_for(owner))
        throw engine::error(
            "42501",
            "permission denied to cancel the worker of online revision \"" + revision + "\"",
            "Its index build must be cancelled first, and the worker runs as the "
            "role that started the revision.",
            "Roll it back as a member of that role, or as a superuser.");
    pg_guard([&] {
        if (BackendPidGetProc(pid)) (void)kill(pid, SIGINT);
    });
}

}  // namespace ender::glue

using namespace ender;

// ender_resume() RETURNS integer: a worker for every unfinished job that has none and whose
// owner the caller acts for. Nothing during recovery (a standby runs no job).
ENDER_FUNCTION(ender_resume) {
    (void)fcinfo;
    bool recovering = false;
    glue::pg_guard([&] { recovering = RecoveryInProgress(); });
    if (recovering) return Int32GetDatum(0);
    glue::busy_scope busy("ender_resume");
    glue::spi_scope spi;
    glue::pinned_search_path pinned;
    int32 count = 0;
    // One session resumes at a time; the others find the workers it started.
    if (*glue::run_cached("SELECT pg_catalog.pg_try_advisory_xact_lock(1701733477)").front()[0] ==
        "t") {
        auto rows = glue::run_owned("SELECT j.id, " ENDER_JOB_OWNER
                                    ", j.revision_id FROM ender.online_job j"
                                    " WHERE j.phase IN ('expand', 'backfill', 'validate')"
                                    " ORDER BY j.id");
        for (const auto& r : rows) {
            const long long job = std::stoll(*r[0]);
            const Oid owner = static_cast<Oid>(std::stoul(*r[1]));
            if (!glue::acts_for(owner) || glue::job_worker_pid(job) != 0) continue;
            std::string problem = glue::worker_role_problem(owner);
            if (!problem.empty()) {
                glue::fail_job(*r[0], "the worker of online revision \"" + *r[2] +
                                          "\" cannot start: " + problem);
                continue;
            }
            auto launched = glue::launch_and_confirm(job, owner);
            if (launched == glue::launch::started)
                ++count;
            else if (launched == glue::launch::stopped)
                glue::fail_job(*r[0], "the worker of online revision \"" + *r[2] +
                                          "\" could not start (the server log says why)");
        }
    }
    return Int32GetDatum(count);
}

namespace {

// The job's owner and one of its columns (read with the owner's rights), or nothing when the
// job is gone or the column is NULL.
std::optional<std::pair<Oid, std::string>> job_cell(long long job, const char* sql) {
    auto rows = [&] {
        glue::spi_scope spi;
        return glue::run_owned(sql, {std::to_string(job)});
    }();
    if (rows.empty() || !rows.front()[1]) return std::nullopt;
    return std::pair{static_cast<Oid>(std::stoul(*rows.front()[0])), *rows.front()[1]};
}

}  // namespace

// ender._job_error(job bigint) RETURNS text: the job's last error, for members of its owner and
// superusers; NULL for everyone else (it may name row values they cannot read).
ENDER_FUNCTION(ender_job_error) {
    auto cell = job_cell(PG_GETARG_INT64(0),
                         "SELECT j.owner::oid, j.last_error FROM ender.online_job j"
                         " WHERE j.id = $1::bigint");
    if (!cell || !glue::acts_for(cell->first)) PG_RETURN_NULL();
    return glue::return_text(cell->second);
}

// ender._job_operation(job bigint) RETURNS text: the job's operation. Hand-written phases are
// SQL (as a revision's source, which may hold data or secrets): shown to members of the job's
// owner or of ender_admin and to superusers, as "custom" to everyone else.
ENDER_FUNCTION(ender_job_operation) {
    auto cell = job_cell(PG_GETARG_INT64(0),
                         "SELECT j.owner::oid, j.operation FROM ender.online_job j"
                         " WHERE j.id = $1::bigint");
    if (!cell) PG_RETURN_NULL();
    const Oid admin = glue::ender_admin_role();
    if (!engine::is_custom(cell->second) || glue::acts_for(cell->first) ||
        (OidIsValid(admin) && glue::acts_for(admin)))
        return glue::return_text(cell->second);
    return glue::return_text("custom");
}
