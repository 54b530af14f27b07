// Online revisions: starting a job (from ender_upgrade), ender_complete, ender_rollback,
// ender_resume, the lock-polite retry of DDL steps, and launching the worker
// (online_worker.cpp runs it). See online_jobs.hpp and docs/zero-downtime.md.
#include "online_jobs.hpp"

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "../engine/online_custom.hpp"
#include "guard.hpp"
#include "online_custom.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"
#include "state.hpp"
#include "statements.hpp"
#include "verified.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

namespace ender::glue {

int setting_backfill_batch_size = 1000;
int setting_backfill_pause_ms = 10;
int setting_statement_timeout_ms = 0;

namespace {

[[noreturn]] void no_job(const std::string& revision) {
    auto applied = run_owned("SELECT FROM ender.applied WHERE revision_id = $1", {revision});
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
// row only for one step, so this waits at most one batch), with the revision it runs,
// verified against its checksum.
struct job_row {
    std::string id, phase, operation, schema, table;
    text_cell new_type;
    std::string rows_done;
    text_cell rows_total, last_error;
    Oid owner;
    engine::revision revision;
};

job_row lock_job(const std::string& revision) {
    auto rows = run_owned(
        "SELECT j.id, j.phase, j.operation, j.table_schema, j.table_name, j.new_type,"
        "       j.rows_done, j.rows_total, j.last_error, " ENDER_JOB_OWNER
        "  FROM ender.online_job j WHERE j.revision_id = $1 FOR UPDATE",
        {revision});
    if (rows.empty()) no_job(revision);
    auto& r = rows.front();
    job_row job{*r[0],
                *r[1],
                *r[2],
                *r[3],
                *r[4],
                r[5],
                *r[6],
                r[7],
                r[8],
                static_cast<Oid>(std::stoul(*r[9])),
                verified_revision(revision)};
    // The revision's operation, as registered: the job's copy is for display (the worker
    // refuses to run when they differ; ending the job always works from the revision's).
    if (!job.revision.online) job.operation = verified_operation(job.revision, job.operation);
    job.operation = *job.revision.online;
    return job;
}

engine::online_phase_sql phase_sql_of(const std::string& revision, const job_row& job) {
    return phase_sql_of_job(revision, job.operation, job.new_type, job.schema, job.table);
}

// The contract and rollback of a job over its table as it is now, whatever was done to it by
// hand (engine::render_ending_sql), from `schema`.`table`.
engine::online_phase_sql ending_sql_of(const std::string& revision, const job_row& job,
                                       const std::string& schema, const std::string& table,
                                       bool completing) {
    auto op = engine::parse_online_operation(job.operation);
    if (job.new_type) op.type = *job.new_type;
    auto t = read_online_table(schema, table, "");
    for (auto& c : run_cached("SELECT o.conname FROM pg_catalog.pg_constraint o"
                              " WHERE o.conrelid = pg_catalog.to_regclass("
                              "         pg_catalog.quote_ident($1) || '.' || "
                              "pg_catalog.quote_ident($2))",
                              {schema, table}))
        t.constraints.push_back(*c[0]);
    return engine::render_ending_sql(revision, op, t, completing);
}

// What ender_rollback runs. When the table changed under the job (renamed or dropped, a column
// renamed, by hand), the plan cannot be made again: the job still ends, dropping the schema
// ender made for it, with its view, its trigger function and so the trigger.
engine::online_phase_sql rollback_sql_of(const std::string& revision, const job_row& job) {
    try {
        return phase_sql_of(revision, job);
    } catch (const engine::error&) {
    }
    // A column dropped or renamed, a trigger dropped by hand: what exists is cleaned up.
    try {
        return ending_sql_of(revision, job, job.schema, job.table, false);
    } catch (const engine::error& e) {
        auto names = engine::names_of(revision, engine::parse_online_operation(job.operation));
        // The table renamed: found again through the view ender made of it, and planned anew.
        auto moved = run_cached(
            "SELECT DISTINCT n.nspname, c.relname FROM pg_catalog.pg_rewrite r"
            "  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass"
            "       AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass"
            "  JOIN pg_catalog.pg_class c ON c.oid = d.refobjid AND c.oid <> r.ev_class"
            "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE r.ev_class = pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.' ||"
            "                                           pg_catalog.quote_ident($2))",
            {names.view_schema, job.table});
        if (moved.size() == 1) try {
                auto plan = ending_sql_of(revision, job, *moved[0][0], *moved[0][1], false);
                // Its view still has the old name: the schema goes first, with all in it.
                plan.rollback.insert(
                    plan.rollback.begin(),
                    "DROP SCHEMA IF EXISTS " + engine::quote_ident(names.view_schema) + " CASCADE");
                return plan;
            } catch (const engine::error&) {
            }
        pg_guard([&] {
            ereport(NOTICE,
                    (errmsg("online revision \"%s\" is rolled back without its plan: %s",
                            revision.c_str(), e.what()),
                     errdetail("Schema \"%s\" (its view, its trigger and trigger function) is "
                               "dropped; what expand added to the table itself, if anything, "
                               "stays.",
                               names.view_schema.c_str())));
        });
        engine::online_phase_sql plan;
        plan.rollback = {"DROP SCHEMA IF EXISTS " + engine::quote_ident(names.view_schema) +
                         " CASCADE"};
        return plan;
    }
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

void log_online(const std::string& revision, const char* operation, long long statements,
                long retries) {
    run_owned(log_counts_lock_retries()  // not on a 0.1 catalog that is not updated yet
                  ? "INSERT INTO ender.log (revision_id, operation, outcome, started_at, duration,"
                    "       run_by, statements, lock_retries)"
                    " VALUES ($1, $2, 'ok', pg_catalog.now(),"
                    "         pg_catalog.clock_timestamp() - pg_catalog.now(), $5, $3::integer,"
                    "         $4::integer)"
                  : "INSERT INTO ender.log (revision_id, operation, outcome, started_at, duration,"
                    "       run_by, statements)"
                    " SELECT $1, $2, 'ok', pg_catalog.now(),"
                    "        pg_catalog.clock_timestamp() - pg_catalog.now(), $5, $3::integer"
                    "  WHERE $4::integer IS NOT NULL",
              {revision, std::string(operation), std::to_string(statements),
               std::to_string(retries), caller_name()});
}

long long insert_job(std::initializer_list<sql_param> columns) {
    std::vector<sql_param> c(columns);
    const bool has_owner =
        !run_cached(
             "SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'ender.online_job'::regclass"
             "   AND attname = 'owner' AND NOT attisdropped")
             .empty();
    std::string owner = std::to_string(GetUserId()), name = caller_name();
    auto rows =
        has_owner
            ? run_owned(
                  "INSERT INTO ender.online_job (revision_id, operation, table_schema, table_name,"
                  "       new_type, batch_size, batch_pause_ms, lock_timeout_ms,"
                  "       statement_timeout_ms, search_path, phase, owner)"
                  " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6::integer, $7::integer, $8::integer,"
                  "         $9::integer, $10, $11, $12::oid)"
                  " RETURNING id",
                  {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], owner})
            : run_owned(
                  "INSERT INTO ender.online_job (revision_id, operation, table_schema, table_name,"
                  "       new_type, batch_size, batch_pause_ms, lock_timeout_ms,"
                  "       statement_timeout_ms, search_path, phase, started_by)"
                  " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6::integer, $7::integer, $8::integer,"
                  "         $9::integer, $10, $11, $12)"
                  " RETURNING id",
                  {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], name});
    return std::stoll(*rows.front()[0]);
}

std::string verified_operation(const engine::revision& revision, const std::string& job_operation) {
    if (!revision.online || *revision.online != job_operation)
        throw engine::error("XX001",
                            "the online job of revision \"" + revision.id +
                                "\" does not run the revision's operation",
                            "ender.online_job holds an operation that differs from the one "
                            "registered (and checksummed) with the revision.",
                            "Roll the job back with ender_rollback('" + revision.id + "').");
    return *revision.online;
}

namespace {

// Runs `statements` (rendered by the engine, or user SQL) under the caller's lock policy.
long run_steps(const std::string& subject, const std::vector<std::string>& statements, bool quiet,
               const std::function<void()>& after = {}) {
    return run_with_lock_retry(caller_lock_policy([&] { return subject; }, quiet), [&] {
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
    auto rows = run_owned("SELECT revision_id, phase FROM ender.online_job ORDER BY id LIMIT 1");
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
    for (auto& g :
         run_cached("SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC'"  // a role named PUBLIC: quoted
                    "            WHEN r.rolname = 'PUBLIC' OR r.rolname LIKE '\"%'"
                    "            THEN pg_catalog.quote_ident(r.rolname) ELSE r.rolname END,"
                    "       a.privilege_type,"
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

// The constraint (and, for a key, the index) an operation names must not exist yet; nor the
// index of a create_index.
void refuse_taken_name(const std::string& schema, const engine::online_operation& op) {
    const bool index = op.kind == "create_index";
    const std::string& name = index ? op.index : op.constraint;
    if (name.empty()) return;
    auto taken = run_cached(
        "SELECT 'constraint' FROM pg_catalog.pg_constraint k"
        " WHERE NOT $5::boolean"
        "   AND k.conrelid = pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.' ||"
        "                                           pg_catalog.quote_ident($2))"
        "   AND k.conname = $3"
        " UNION ALL "
        "SELECT 'relation' FROM pg_catalog.pg_class c"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE $4::boolean AND n.nspname = $1 AND c.relname = $3",
        {schema, op.table, name, std::string(op.kind == "add_constraint" ? "false" : "true"),
         std::string(index ? "true" : "false")});
    if (taken.empty()) return;
    const bool relation = *taken.front()[0] == "relation";
    throw engine::error(
        relation && index ? "42P07" : engine::sqlstate::duplicate_object,
        *taken.front()[0] + " \"" + name + "\" already exists",
        index ? "Schema \"" + schema + "\" has a relation of that name."
        : relation
            ? "The index of the key is named like the constraint, in schema \"" + schema + "\"."
            : "Table \"" + schema + "." + op.table + "\" has a constraint of that name.");
}

}  // namespace

void start_online_job(const std::string& revision, const std::string& operation) {
    require_login_role(GetUserId(), revision);  // its worker logs in as the caller
    if (engine::is_custom(operation)) return start_custom_job(revision, operation);
    auto op = engine::parse_online_operation(operation);
    // Names resolve through the caller's search_path, then are kept as the catalog spells them.
    Oid type_oid = InvalidOid;
    int32 typmod = -1;
    std::string schema = op.schema.value_or(""), caller_path;
    if (!op.type.empty())
        pg_guard([&] { parseTypeString(op.type.c_str(), &type_oid, &typmod, false); });
    caller_path = *run_cached("SELECT pg_catalog.current_setting('search_path')").front()[0];
    if (op.kind == "drop_index") {
        find_dropped_index(revision, op, schema);  // and its table: the job's
    } else if (!op.schema) {
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
    {
        auto caller = pinned.caller_path();
        for (const auto& check : plan.checks)
            run_uncached(check);  // a wrong expression fails now, not in the worker
    }
    Oid role = GetUserId();
    long long job = insert_job(
        {revision, operation, schema, op.table, op.type,
         std::to_string(setting_backfill_batch_size), std::to_string(setting_backfill_pause_ms),
         std::to_string(setting_lock_timeout_ms), std::to_string(setting_statement_timeout_ms),
         caller_path, std::string("expand")});
    TransactionId creator = InvalidTransactionId;
    pg_guard([&] { creator = GetTopTransactionId(); });
    launch_worker(job, role, creator, true);
}

}  // namespace ender::glue

using namespace ender;

// ender_complete(revision text) RETURNS text: contract, then the revision is applied.
ENDER_FUNCTION(ender_complete) {
    std::string revision = glue::text_arg(fcinfo, 0, "revision");
    glue::busy_scope busy("ender_complete");
    glue::spi_scope spi;
    glue::pinned_search_path pinned;
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
                                : "CALL ender_wait('" + revision + "') waits until it is ready.");
    }
    long long statements = 0;
    long retries = 0;
    const std::string subject = "the contract of online revision \"" + revision + "\"";
    if (engine::is_custom(job.operation)) {
        auto caller = pinned.caller_path();
        statements = glue::complete_custom(revision, job.operation, job.revision.upgrade, retries);
    } else {
        // The contract leaves out what was already done by hand (the column already NOT NULL,
        // the constraint already attached, the old column already dropped); the rows are
        // checked again when the plan can still be made as at the start.
        auto plan = glue::ending_sql_of(revision, job, job.schema, job.table, true);
        std::optional<engine::online_phase_sql> planned;
        try {
            planned = glue::phase_sql_of(revision, job);
        } catch (const engine::error&) {
        }
        auto caller = pinned.caller_path();
        long long count = 0;
        std::string keys;
        // The recheck reads the table: under the lock policy too, or it would queue without
        // lock_timeout behind a session that holds the table ACCESS EXCLUSIVE.
        if (plan.recheck_at_complete && planned && planned->recheck_at_complete)
            retries = glue::run_steps(subject, {}, false, [&] {
                keys = glue::pending_rows(planned->pending_rows, count);
            });
        if (count > 0)
            throw engine::error(
                engine::sqlstate::object_not_in_prerequisite_state,
                "online revision \"" + revision + "\" cannot complete: " + planned->pending_message,
                planned->pending_detail + keys + ".",
                "Fix those rows, or abandon the revision with ender_rollback('" + revision + "').");
        auto upgrade = glue::split_statements(job.revision.upgrade, revision, "upgrade");
        retries += glue::run_steps(subject, plan.contract, false, [&] {
            glue::execute_statements(upgrade, revision, "upgrade");  // after the swap, same attempt
        });
        statements =
            static_cast<long long>(plan.contract.size()) + static_cast<long long>(upgrade.size());
    }
    glue::run_owned(
        "INSERT INTO ender.applied (revision_id, seq, applied_at, applied_by)"
        " SELECT $1, COALESCE((SELECT pg_catalog.max(seq) FROM ender.applied), 0) + 1,"
        "        pg_catalog.now(), $2",
        {revision, glue::caller_name()});
    glue::log_online(revision, "complete", statements, retries);
    glue::run_owned("DELETE FROM ender.online_job WHERE id = $1::bigint", {job.id});
    glue::wake_job_worker(std::stoll(job.id));
    spi.finish();
    return glue::return_text(revision);
}

// ender_rollback(revision text) RETURNS text: undo expand; the job and its helpers are gone.
ENDER_FUNCTION(ender_rollback) {
    std::string revision = glue::text_arg(fcinfo, 0, "revision");
    glue::busy_scope busy("ender_rollback");
    glue::spi_scope spi;
    glue::pinned_search_path pinned;
    glue::lock_state();
    auto job = glue::lock_job(revision);
    long long statements = 0;
    long retries = 0;
    const std::string subject = "the rollback of online revision \"" + revision + "\"";
    if (engine::is_custom(job.operation)) {
        auto caller = pinned.caller_path();
        statements = glue::rollback_custom(revision, job.operation, retries);
    } else {
        auto plan = glue::rollback_sql_of(revision, job);
        if (plan.drops_index)
            glue::refuse_rollback_after_drop(revision, job.phase, job.schema, plan.index_name);
        auto caller = pinned.caller_path();
        if (!plan.index_name.empty() && job.phase == "validate")
            glue::cancel_job_worker(std::stoll(job.id), job.owner, revision);
        retries = glue::run_steps(subject, plan.rollback, true);
        statements = static_cast<long long>(plan.rollback.size());
    }
    glue::log_online(revision, "rollback", statements, retries);
    glue::run_owned("DELETE FROM ender.online_job WHERE id = $1::bigint", {job.id});
    glue::wake_job_worker(std::stoll(job.id));
    spi.finish();
    return glue::return_text(revision);
}
