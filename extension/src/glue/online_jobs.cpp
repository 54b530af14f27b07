// Online revisions: starting a job (from ender_upgrade), ender_complete, ender_rollback,
// ender_resume, the lock-polite retry of DDL steps, and launching the worker
// (online_worker.cpp runs it). See online_jobs.hpp and docs/zero-downtime.md.
#include "online_jobs.hpp"

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "../engine/online_custom.hpp"
#include "guard.hpp"
#include "online_custom.hpp"
#include "spi.hpp"
#include "state.hpp"
#include "statements.hpp"

#include <algorithm>
#include <csignal>
#include <cstring>

namespace ender::glue {

int setting_backfill_batch_size = 1000;
int setting_backfill_pause_ms = 10;
int setting_lock_retry_max_delay_ms = 2000;
int setting_lock_timeout_ms = 50;
int setting_statement_timeout_ms = 0;

namespace {

[[noreturn]] void no_job(const std::string& revision) {
    auto applied = run_cached("SELECT FROM ender.applied WHERE revision_id = $1", {revision});
    if (!applied.empty())
        throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                            "online revision \"" + revision + "\" is already complete",
                            "It is applied; ender_history() shows when it completed.");
    throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                        "revision \"" + revision + "\" has no online job in progress", "",
                        "ender_status() lists the online revisions in progress; ender_upgrade() "
                        "starts one.");
}

// The job of `revision`, locked against the worker and other callers (the worker holds the
// row only for one step, so this waits at most one batch).
struct job_row {
    std::string id, phase, operation, schema, table;
    text_cell new_type;
    std::string rows_done;
    text_cell rows_total, last_error, upgrade_sql, worker_pid;
};

job_row lock_job(const std::string& revision) {
    auto rows = run_cached(
        "SELECT j.id, j.phase, j.operation, j.table_schema, j.table_name, j.new_type,"
        "       j.rows_done, j.rows_total, j.last_error, r.upgrade_sql, j.worker_pid"
        "  FROM ender.online_job j JOIN ender.revision r ON r.id = j.revision_id"
        " WHERE j.revision_id = $1 FOR UPDATE OF j",
        {revision});
    if (rows.empty()) no_job(revision);
    auto& r = rows.front();
    return {*r[0], *r[1], *r[2], *r[3], *r[4], r[5], *r[6], r[7], r[8], r[9], r[10]};
}

// Wakes the job's worker from its pause between batches: its next step waits for this
// transaction, finds the job gone, and the worker exits.
void wake_worker(const job_row& job) {
    if (!job.worker_pid) return;
    int pid = std::stoi(*job.worker_pid);
    pg_guard([&] {
        if (PGPROC* proc = BackendPidGetProc(pid)) SetLatch(&proc->procLatch);
    });
}

// Cancels what the job's worker is running. An index built CONCURRENTLY waits for every older
// transaction, the caller's included, while the caller would wait for the build's lock: the
// build goes (its invalid index is the rollback's to drop), and the worker, finding its job
// gone, exits.
void cancel_worker(const job_row& job) {
    if (!job.worker_pid) return;
    int pid = std::stoi(*job.worker_pid);
    pg_guard([&] {
        if (BackendPidGetProc(pid)) (void)kill(pid, SIGINT);
    });
}

engine::online_phase_sql phase_sql_of(const std::string& revision, const job_row& job) {
    return phase_sql_of_job(revision, job.operation, job.new_type, job.schema, job.table);
}

}  // namespace

engine::online_phase_sql phase_sql_of_job(const std::string& revision, const std::string& operation,
                                          const text_cell& new_type, const std::string& schema,
                                          const std::string& table) {
    auto op = engine::parse_online_operation(operation);
    if (new_type) op.type = *new_type;
    auto names = engine::names_of(revision, op);
    return engine::render_phase_sql(revision, op,
                                    read_online_table(schema, table, names.new_column));
}

void log_online(const std::string& revision, const char* operation, long long statements) {
    run_cached(
        "INSERT INTO ender.log (revision_id, operation, outcome, started_at, duration, run_by,"
        "       statements)"
        " VALUES ($1, $2, 'ok', pg_catalog.now(), pg_catalog.clock_timestamp() - pg_catalog.now(),"
        "         CURRENT_USER, $3::integer)",
        {revision, std::string(operation), std::to_string(statements)});
}

namespace {

// Runs `statements` (rendered by the engine, or user SQL) under the lock policy.
long run_steps(const std::vector<std::string>& statements, bool quiet,
               const std::function<void()>& after = {}) {
    return run_with_lock_retry({setting_lock_timeout_ms, setting_lock_retry_max_delay_ms, quiet},
                               [&] {
                                   for (const auto& s : statements) run_uncached(s);
                                   if (after) after();
                               });
}

}  // namespace

std::string pending_rows(const std::string& sql, long long& count) {
    auto rows = run_uncached(sql);
    count = rows.empty() ? 0 : std::stoll(*rows.front()[0]);
    std::string keys;
    for (const auto& r : rows) keys += (keys.empty() ? "" : ", ") + r[1].value_or("NULL");
    if (count > static_cast<long long>(rows.size()))
        keys += " and " + std::to_string(count - static_cast<long long>(rows.size())) + " more";
    return keys;
}

void refuse_if_online_job(const char* operation) {
    auto rows = run_cached("SELECT revision_id, phase FROM ender.online_job ORDER BY id LIMIT 1");
    if (rows.empty()) return;
    const std::string& id = *rows.front()[0];
    throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                        std::string("ender_") + operation + " cannot run while online revision \"" +
                            id + "\" is in progress",
                        "The revision is in its " + *rows.front()[1] + " phase.",
                        "Finish it with ender_complete('" + id +
                            "') or abandon it with "
                            "ender_rollback('" +
                            id + "').");
}

std::unordered_map<std::string, std::string> online_operations(
    const std::vector<std::string>& ids) {
    std::unordered_map<std::string, std::string> out;
    if (ids.empty()) return out;
    for (auto& row : run_cached("SELECT r.id, r.online FROM unnest($1::text[]) AS u(id)"
                                "  JOIN ender.revision r ON r.id = u.id"
                                " WHERE r.online IS NOT NULL",
                                {ids}))
        out.emplace(std::move(*row[0]), std::move(*row[1]));
    return out;
}

engine::online_table read_online_table(const std::string& schema, const std::string& table,
                                       const std::string& hidden_column) {
    auto rows = run_cached(
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,"
        // Relation 0: pg_get_expr would lock the table otherwise (a default has no Vars; a
        // generation expression has, and is not needed).
        "       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, 0) END,"
        "       (SELECT k.n FROM pg_catalog.pg_index i,"
        "               unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)"
        "         WHERE i.indrelid = c.oid AND i.indisprimary AND k.attnum = a.attnum)"
        "  FROM pg_catalog.pg_class c"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        "  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
        "  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
        " WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r'"
        "   AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY a.attnum",
        {schema, table});
    if (rows.empty())
        throw engine::error("42P01", "relation \"" + schema + "." + table + "\" does not exist",
                            "An online operation changes an ordinary table.");
    engine::online_table t{schema, table, {}, {}};
    std::vector<std::pair<int, std::string>> key;
    for (auto& r : rows) {
        if (*r[0] == hidden_column) continue;
        if (r[4]) key.emplace_back(std::stoi(*r[4]), *r[0]);
        t.columns.push_back({*r[0], *r[1], *r[2] == "t", r[3]});
    }
    std::sort(key.begin(), key.end());
    for (auto& [n, name] : key) t.key.push_back(name);
    // Table-level grants the view can carry (its owner, the job's starter, has all anyway).
    for (auto& g : run_cached(
             "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END, a.privilege_type,"
             "       a.is_grantable"
             "  FROM pg_catalog.pg_class c"
             "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
             "  CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a"
             "  LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee"
             " WHERE n.nspname = $1 AND c.relname = $2"
             "   AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')"
             "   AND a.grantee <> pg_catalog.to_regrole(CURRENT_USER)::oid"
             " ORDER BY 1, 2",
             {schema, table}))
        t.grants.push_back({*g[0], *g[1], *g[2] == "t"});
    return t;
}

long backoff_ms(const lock_policy& policy, int attempt) {
    double delay_ms = std::max(policy.lock_timeout_ms, 10);
    for (int i = 0; i < attempt && delay_ms < policy.max_delay_ms; ++i) delay_ms *= 2;
    return static_cast<long>(std::min(delay_ms, double(policy.max_delay_ms)) *
                             (0.5 + pg_prng_double(&pg_global_prng_state)));
}

long run_with_lock_retry(const lock_policy& policy, const std::function<void()>& body) {
    long retries = 0;
    const std::string timeout = std::to_string(policy.lock_timeout_ms);
    // The statement timer is armed by hand: only a backend's main loop arms it per statement.
    auto arm = [&] {
        if (policy.statement_timeout_ms > 0)
            pg_guard([&] { enable_timeout_after(STATEMENT_TIMEOUT, policy.statement_timeout_ms); });
    };
    auto disarm = [&] {
        if (policy.statement_timeout_ms > 0)
            pg_guard([] { disable_timeout(STATEMENT_TIMEOUT, false); });
    };
    for (;;) {
        MemoryContext caller_context = CurrentMemoryContext;
        ResourceOwner caller_owner = CurrentResourceOwner;
        auto roll_back = [&] {
            disarm();
            pg_guard([&] {
                RollbackAndReleaseCurrentSubTransaction();
                MemoryContextSwitchTo(caller_context);
                CurrentResourceOwner = caller_owner;
            });
        };
        pg_guard([] { BeginInternalSubTransaction(nullptr); });
        bool retry = false;
        try {
            int nest = 0;
            pg_guard([&] {
                nest = NewGUCNestLevel();
                set_config_option("lock_timeout", timeout.c_str(), PGC_USERSET, PGC_S_SESSION,
                                  GUC_ACTION_SAVE, true, 0, false);
                if (policy.quiet)
                    set_config_option("client_min_messages", "warning", PGC_USERSET, PGC_S_SESSION,
                                      GUC_ACTION_SAVE, true, 0, false);
            });
            arm();
            body();
            disarm();
            pg_guard([&] {
                AtEOXact_GUC(true, nest);
                ReleaseCurrentSubTransaction();
                MemoryContextSwitchTo(caller_context);
                CurrentResourceOwner = caller_owner;
            });
            return retries;
        } catch (const pg_error& e) {
            int code = e.data()->sqlerrcode;
            retry = code == ERRCODE_LOCK_NOT_AVAILABLE || code == ERRCODE_T_R_DEADLOCK_DETECTED;
            roll_back();
            if (!retry) throw;
        } catch (...) {
            roll_back();
            throw;
        }
        // Capped exponential backoff with jitter (0.5x to 1.5x): waiters never line up.
        long wait_ms = backoff_ms(policy, static_cast<int>(retries));
        ++retries;
        pg_guard([&] {
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, wait_ms,
                            PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
            CHECK_FOR_INTERRUPTS();
        });
    }
}

bool launch_worker(long long job, Oid role, TransactionId creator, bool must) {
    bool launched = false;
    // A standby (docs/replication.md): the job belongs to the primary, and a worker registered
    // here would wait for promotion in a slot, one more for every ender_status() call.
    if (RecoveryInProgress()) return false;
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

namespace {

// An alter_column keeps no index, constraint or view on the column it swaps.
void refuse_dependents(const std::string& schema, const engine::online_operation& op) {
    auto dependents = run_cached(
        "SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)"
        "  FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_attribute a"
        "       ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
        " WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
        "   AND d.refobjid = pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.' ||"
        "                                           pg_catalog.quote_ident($2))"
        "   AND a.attname = $3 AND d.deptype IN ('n', 'a')"
        "   AND d.classid <> 'pg_catalog.pg_attrdef'::pg_catalog.regclass"
        " ORDER BY 1",
        {schema, op.table, op.column});
    if (dependents.empty()) return;
    std::string list;
    for (const auto& d : dependents) list += (list.empty() ? "" : ", ") + *d[0];
    throw engine::error(engine::sqlstate::feature_not_supported,
                        "column \"" + op.column + "\" of relation \"" + schema + "." + op.table +
                            "\" has dependent objects",
                        "An online type change keeps no index, constraint or view on the "
                        "column; these depend on it: " +
                            list + ".",
                        "Drop them in an earlier revision and create them again on the new "
                        "column in the upgrade section, which runs at ender_complete.");
}

// The constraint (and, for a key, the index) an operation names must not exist yet.
void refuse_taken_name(const std::string& schema, const engine::online_operation& op) {
    if (op.constraint.empty()) return;
    auto taken = run_cached(
        "SELECT 'constraint' FROM pg_catalog.pg_constraint k"
        " WHERE k.conrelid = pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.' ||"
        "                                           pg_catalog.quote_ident($2))"
        "   AND k.conname = $3"
        " UNION ALL "
        "SELECT 'relation' FROM pg_catalog.pg_class c"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE $4::boolean AND n.nspname = $1 AND c.relname = $3",
        {schema, op.table, op.constraint,
         std::string(op.kind == "add_constraint" ? "false" : "true")});
    if (taken.empty()) return;
    throw engine::error(
        engine::sqlstate::duplicate_object,
        *taken.front()[0] + " \"" + op.constraint + "\" already exists",
        *taken.front()[0] == "relation"
            ? "The index of the key is named like the constraint, in schema \"" + schema + "\"."
            : "Table \"" + schema + "." + op.table + "\" has a constraint of that name.");
}

}  // namespace

void start_online_job(const std::string& revision, const std::string& operation) {
    if (engine::is_custom(operation)) return start_custom_job(revision, operation);
    auto op = engine::parse_online_operation(operation);
    // Names resolve through the caller's search_path, then are kept as the catalog spells them.
    Oid type_oid = InvalidOid;
    int32 typmod = -1;
    std::string schema = op.schema.value_or(""), caller_path;
    if (!op.type.empty())
        pg_guard([&] { parseTypeString(op.type.c_str(), &type_oid, &typmod, false); });
    caller_path = *run_cached("SELECT pg_catalog.current_setting('search_path')").front()[0];
    if (!op.schema) {
        auto found = run_cached(
            "SELECT n.nspname FROM pg_catalog.pg_class c"
            "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident($1))",
            {op.table});
        if (found.empty())
            throw engine::error("42P01", "relation \"" + op.table + "\" does not exist",
                                "The online operation of revision \"" + revision +
                                    "\" names it; it is looked up through the search_path.");
        schema = *found.front()[0];
    }
    if (!op.ref_table.empty()) {  // a foreign key's referenced table, resolved the same way
        std::string ref =
            (op.ref_schema ? engine::quote_ident(*op.ref_schema) + "." : std::string()) +
            engine::quote_ident(op.ref_table);
        if (run_cached("SELECT FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass($1)",
                       {ref})
                .empty())
            throw engine::error("42P01",
                                "relation \"" +
                                    (op.ref_schema ? *op.ref_schema + "." : std::string()) +
                                    op.ref_table + "\" does not exist",
                                "The foreign key of revision \"" + revision + "\" references it.");
    }
    pinned_search_path pinned;
    pinned.push();
    if (!op.type.empty())
        pg_guard([&] {
            char* spelled = format_type_with_typemod(type_oid, typmod);
            op.type = spelled;
            pfree(spelled);
        });
    auto names = engine::names_of(revision, op);
    if (op.kind == "add_column")  // the plan sees the table without it, as after expand
        for (const auto& c : read_online_table(schema, op.table, "").columns)
            if (c.name == op.column)
                throw engine::error("42701", "column \"" + op.column + "\" of relation \"" +
                                                 schema + "." + op.table + "\" already exists");
    auto plan = engine::render_phase_sql(revision, op,
                                         read_online_table(schema, op.table, names.new_column));
    if (op.kind == "alter_column") refuse_dependents(schema, op);
    refuse_taken_name(schema, op);
    pinned.pop();
    for (const auto& check : plan.checks)
        run_uncached(check);  // a wrong expression fails now, not in the worker
    pinned.push();
    auto job = run_cached(
        "INSERT INTO ender.online_job (revision_id, operation, table_schema, table_name, new_type,"
        "       batch_size, batch_pause_ms, lock_timeout_ms, statement_timeout_ms, search_path)"
        " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6::integer, $7::integer, $8::integer,"
        "         $9::integer, $10)"
        " RETURNING id",
        {revision, operation, schema, op.table, op.type,
         std::to_string(setting_backfill_batch_size), std::to_string(setting_backfill_pause_ms),
         std::to_string(setting_lock_timeout_ms), std::to_string(setting_statement_timeout_ms),
         caller_path});
    Oid role = GetUserId();
    TransactionId creator = InvalidTransactionId;
    pg_guard([&] { creator = GetTopTransactionId(); });
    launch_worker(std::stoll(*job.front()[0]), role, creator, true);
    pinned.pop();
}

}  // namespace ender::glue

using namespace ender;

// ender_complete(revision text) RETURNS text: contract, then the revision is applied.
ENDER_FUNCTION(ender_complete) {
    std::string revision = glue::text_arg(fcinfo, 0, "revision");
    glue::spi_connect();
    glue::pinned_search_path pinned;
    pinned.push();
    glue::lock_state();
    auto job = glue::lock_job(revision);
    if (job.phase != "ready") {
        std::string detail =
            job.phase == "expand"     ? "Its expand phase has not finished."
            : job.phase == "backfill" ? "Its backfill has brought " + job.rows_done + " of about " +
                                            job.rows_total.value_or("?") + " rows in step."
            : job.phase == "validate" ? "Its rows are being checked (or its index built)."
                                      : "It failed: " + job.last_error.value_or("unknown error");
        throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                            "online revision \"" + revision + "\" is not ready to complete", detail,
                            job.phase == "failed"
                                ? "Abandon it with ender_rollback('" + revision + "')."
                                : "ender_wait('" + revision + "') waits until it is ready.");
    }
    long long statements = 0;
    if (engine::is_custom(job.operation)) {
        pinned.pop();
        statements = glue::complete_custom(revision, job.operation, job.upgrade_sql.value_or(""));
    } else {
        auto plan = glue::phase_sql_of(revision, job);
        pinned.pop();
        long long count = 0;
        std::string keys;
        if (plan.recheck_at_complete) keys = glue::pending_rows(plan.pending_rows, count);
        if (count > 0)
            throw engine::error(
                engine::sqlstate::object_not_in_prerequisite_state,
                "online revision \"" + revision + "\" cannot complete: " + plan.pending_message,
                plan.pending_detail + keys + ".",
                "Fix those rows, or abandon the revision with ender_rollback('" + revision + "').");
        auto upgrade = glue::split_statements(job.upgrade_sql.value_or(""), revision, "upgrade");
        long retries = glue::run_steps(plan.contract, false, [&] {
            glue::execute_statements(upgrade, revision, "upgrade");  // after the swap, same attempt
        });
        (void)retries;
        statements = static_cast<long long>(plan.contract.size() + upgrade.size());
    }
    pinned.push();
    glue::run_cached(
        "INSERT INTO ender.applied (revision_id, seq, applied_at, applied_by)"
        " SELECT $1, COALESCE((SELECT pg_catalog.max(seq) FROM ender.applied), 0) + 1,"
        "        pg_catalog.now(), CURRENT_USER",
        {revision});
    glue::log_online(revision, "complete", statements);
    glue::run_cached("DELETE FROM ender.online_job WHERE id = $1::bigint", {job.id});
    glue::wake_worker(job);
    pinned.pop();
    glue::spi_finish();
    return glue::return_text(revision);
}

// ender_rollback(revision text) RETURNS text: undo expand; the job and its helpers are gone.
ENDER_FUNCTION(ender_rollback) {
    std::string revision = glue::text_arg(fcinfo, 0, "revision");
    glue::spi_connect();
    glue::pinned_search_path pinned;
    pinned.push();
    glue::lock_state();
    auto job = glue::lock_job(revision);
    long long statements = 0;
    if (engine::is_custom(job.operation)) {
        pinned.pop();
        statements = glue::rollback_custom(revision, job.operation);
    } else {
        auto plan = glue::phase_sql_of(revision, job);
        pinned.pop();
        if (!plan.index_name.empty() && job.phase == "validate") glue::cancel_worker(job);
        glue::run_steps(plan.rollback, true);
        statements = static_cast<long long>(plan.rollback.size());
    }
    pinned.push();
    glue::log_online(revision, "rollback", statements);
    glue::run_cached("DELETE FROM ender.online_job WHERE id = $1::bigint", {job.id});
    glue::wake_worker(job);
    pinned.pop();
    glue::spi_finish();
    return glue::return_text(revision);
}

// ender_resume() RETURNS integer: a worker for every unfinished job that has none.
ENDER_FUNCTION(ender_resume) {
    (void)fcinfo;
    glue::spi_connect();
    glue::pinned_search_path pinned;
    pinned.push();
    auto rows = glue::run_cached(
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
