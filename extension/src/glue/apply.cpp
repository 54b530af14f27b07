// ender_upgrade, ender_downgrade and ender_stamp: plan with the engine, run each revision's
// SQL in the caller's transaction, record the new position and the log. The *_logged
// procedures run the same in a subtransaction and commit a log entry when it fails.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "../engine/error.hpp"
#include "../engine/targets.hpp"
#include "guard.hpp"
#include "lock_polite.hpp"
#include "online_jobs.hpp"
#include "owner_rights.hpp"
#include "spi.hpp"
#include "state.hpp"
#include "statements.hpp"
#include "verified.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>

namespace ender::glue {
namespace {

enum class operation { upgrade, downgrade, stamp };

const char* operation_name(operation op) {
    switch (op) {
        case operation::upgrade:
            return "upgrade";
        case operation::downgrade:
            return "downgrade";
        case operation::stamp:
            return "stamp";
    }
    return "?";
}

// Where a running operation stands: the revision being applied when an error struck, and the
// attempts rolled back on a lock so far.
struct progress {
    std::string revision;
    long lock_retries = 0;
};

// One revision's run, for the log.
struct run_record {
    std::vector<std::string> ids, starts, durations, statements, lock_retries;
    void add(const std::string& id, long long start_us, long long duration_us, std::size_t count,
             long retries = 0) {
        ids.push_back(id);
        starts.push_back(std::to_string(start_us));
        durations.push_back(std::to_string(duration_us));
        statements.push_back(std::to_string(count));
        lock_retries.push_back(std::to_string(retries));
    }
};

long long now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

void record_log(const run_record& log, operation op, bool stamped) {
    if (log.ids.empty()) return;
    // A 0.1 catalog, not updated yet, has no lock_retries column ($7 is then unused).
    run_owned(
        log_counts_lock_retries()
            ? "INSERT INTO ender.log (revision_id, operation, stamped, outcome, started_at,"
              "       duration, run_by, statements, lock_retries)"
              " SELECT u.id, $2, $3::boolean, 'ok', pg_catalog.to_timestamp(u.start / 1e6::float8),"
              "        pg_catalog.make_interval(secs => u.us / 1e6::float8), $8, u.n, u.r"
              "   FROM unnest($1::text[], $4::bigint[], $5::bigint[], $6::int[], $7::int[])"
              "        AS u(id, start, us, n, r)"
            : "INSERT INTO ender.log (revision_id, operation, stamped, outcome, started_at,"
              "       duration, run_by, statements)"
              " SELECT u.id, $2, $3::boolean, 'ok', pg_catalog.to_timestamp(u.start / 1e6::float8),"
              "        pg_catalog.make_interval(secs => u.us / 1e6::float8), $8, u.n"
              "   FROM unnest($1::text[], $4::bigint[], $5::bigint[], $6::int[], $7::int[])"
              "        AS u(id, start, us, n, r)",
        {log.ids, std::string(op == operation::downgrade ? "downgrade" : "upgrade"),
         std::string(stamped ? "true" : "false"), log.starts, log.durations, log.statements,
         log.lock_retries, caller_name()});
}

void record_applied(const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    run_owned(
        "INSERT INTO ender.applied (revision_id, seq, applied_at, applied_by)"
        " SELECT u.id, COALESCE((SELECT pg_catalog.max(seq) FROM ender.applied), 0) + u.n,"
        "        pg_catalog.now(), $2"
        "   FROM pg_catalog.unnest($1::text[]) WITH ORDINALITY AS u(id, n)",
        {ids, caller_name()});
}

void record_unapplied(const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    run_owned(
        "DELETE FROM ender.applied a USING unnest($1::text[]) AS u(id)"
        " WHERE a.revision_id = u.id",
        {ids});
}

// A revision with a C++ data step ("-- ender:step") runs only when the caller runs the step:
// ender's client library names the revision in ender.client_step_revision, in the transaction
// that runs the step after (upgrade) or before (downgrade) this call.
void refuse_steps(const std::vector<std::string>& ids,
                  const std::unordered_map<std::string, engine::revision>& revisions,
                  operation op) {
    const std::string runner = setting_client_step_revision ? setting_client_step_revision : "";
    for (const auto& id : ids) {
        const auto& step = revisions.at(id).step;
        if (!step || id == runner) continue;
        throw engine::error(engine::sqlstate::object_not_in_prerequisite_state,
                            "revision \"" + id + "\" has a C++ data step \"" + *step + "\"",
                            std::string("The step is code in the application: ender_") +
                                operation_name(op) + " runs SQL only, and ran nothing.",
                            std::string("Run the application's migrate program (ender::migrate, or "
                                        "ender::cli::main with its steps) to ") +
                                operation_name(op) + " it.");
    }
}

// "ender progress: upgrade 2/5 r2" (INFO), when ender.report_progress is on.
void report_progress(const char* section, std::size_t n, std::size_t total, const std::string& id) {
    if (!setting_report_progress) return;
    pg_guard([&] {
        ereport(INFO,
                (errmsg_internal("ender progress: %s %zu/%zu %s", section, n, total, id.c_str())));
    });
}

// Runs the operation; returns the ids applied or undone (for stamp: the new current heads).
std::vector<std::string> run_operation(operation op, const std::string& target, progress& where) {
    busy_scope busy((std::string("ender_") + operation_name(op)).c_str());
    spi_scope spi;
    pinned_search_path pinned;
    lock_state();
    refuse_if_online_job(operation_name(op));
    auto state = load_state();
    const auto& g = state.graph;

    std::vector<std::string> result;
    if (op == operation::stamp) {
        engine::node_set after = engine::applied_after_stamp(g, state.position, target);
        engine::node_set added = g.empty_set(), removed = g.empty_set();
        for (std::size_t i = 0; i < g.size(); ++i) {
            added[i] = after[i] && !state.position.applied[i];
            removed[i] = !after[i] && state.position.applied[i];
        }
        auto add_order = g.topological(added);
        auto remove_order = g.topological(removed);
        std::reverse(remove_order.begin(), remove_order.end());
        run_record down_log, up_log;
        long long now = now_us();
        for (std::size_t i : remove_order) down_log.add(g.id(i), now, 0, 0);
        for (std::size_t i : add_order) up_log.add(g.id(i), now, 0, 0);
        record_unapplied(down_log.ids);
        record_applied(up_log.ids);
        record_log(down_log, operation::downgrade, true);
        record_log(up_log, operation::upgrade, true);
        result = ids_of(g, g.heads_of(after));
    } else {
        auto plan = op == operation::upgrade ? engine::revisions_to_apply(g, state.position, target)
                                             : engine::revisions_to_undo(g, state.position, target);
        result = ids_of(g, plan);
        // Each revision's SQL as registered: checked against its checksum before any runs.
        auto revisions = verified_revisions(result);
        if (op == operation::downgrade) {
            std::string missing;
            for (const auto& id : result)
                if (!revisions.at(id).downgrade)
                    missing += (missing.empty() ? "\"" : ", \"") + id + "\"";
            if (!missing.empty())
                throw engine::error(
                    engine::sqlstate::object_not_in_prerequisite_state,
                    "revision " + missing.substr(0, missing.find(',')) + " has no downgrade SQL",
                    "Downgrading to \"" + target + "\" would undo " +
                        std::to_string(result.size()) +
                        " revisions; these cannot be undone: " + missing + ".",
                    "Register a revision that reverts the change, or move the position without "
                    "running SQL with ender_stamp.");
        }
        refuse_steps(result, revisions, op);
        const char* section = operation_name(op);
        // An online revision starts after the plain ones before it and ends with
        // ender_complete: the upgrade stops at it, and it is applied when it completes.
        std::size_t plain = result.size();
        if (op == operation::upgrade)
            for (std::size_t n = 0; n < result.size() && plain == result.size(); ++n)
                if (revisions.at(result[n]).online) plain = n;
        run_record log;
        std::unordered_map<std::string, long> retries;  // attempts that failed in each revision
        std::string started;                            // the online revision started, if any
        {
            auto caller = pinned.caller_path();  // migrations see the caller's search_path
            // Lock-polite: the plain revisions of this call are one attempt, rolled back whole on
            // a lock timeout or a deadlock (so no lock they took is held while it waits) and tried
            // again (lock_polite.hpp).
            auto policy = caller_lock_policy([&] { return "revision \"" + where.revision + "\""; });
            std::unordered_map<std::string, std::optional<long long>> header_limits;
            policy.on_retry = [&] {
                ++retries[where.revision];
                ++where.lock_retries;
                // The limit of the revision that waited: its header's, or the setting's.
                auto found = header_limits.find(where.revision);
                if (found == header_limits.end())
                    found = header_limits
                                .emplace(where.revision, revision_lock_wait_limit(where.revision))
                                .first;
                policy.wait_limit_ms = found->second.value_or(setting_lock_wait_limit_ms);
                policy.limit_source =
                    found->second ? "the lock_wait_limit of revision \"" + where.revision + "\""
                                  : "ender.lock_wait_limit";
            };
            run_with_lock_retry(policy, [&] {
                log = {};
                for (std::size_t n = 0; n < plain; ++n) {
                    const auto& id = result[n];
                    where.revision = id;
                    const engine::revision& revision = revisions.at(id);
                    report_progress(section, n + 1, result.size(), id);
                    auto statements = split_statements(
                        op == operation::upgrade ? revision.upgrade : *revision.downgrade, id,
                        section);
                    long long start = now_us();
                    auto began = std::chrono::steady_clock::now();
                    execute_statements(statements, id, section);
                    auto took = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - began);
                    log.add(id, start, took.count(), statements.size(), retries[id]);
                }
            });
            if (plain < result.size()) {
                where.revision = started = result[plain];
                start_online_job(started, *revisions.at(started).online);
                result.resize(plain + 1);
            }
        }
        where.revision.clear();
        if (op == operation::upgrade)
            record_applied(log.ids);
        else
            record_unapplied(result);
        record_log(log, op, false);
        if (!started.empty()) log_online(started, "expand", 0);
    }
    return result;
}

// The ErrorData of an engine error, made by raising it for real (so every field is set).
ErrorData* error_data(const engine::error& e) {
    const char* code = e.sqlstate();
    try {
        pg_guard([&] {
            ereport(ERROR, (errcode(MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4])),
                            errmsg_internal("%s", e.what()),
                            e.detail().empty() ? 0 : errdetail_internal("%s", e.detail().c_str()),
                            e.hint().empty() ? 0 : errhint("%s", e.hint().c_str())));
        });
    } catch (const pg_error& raised) {
        return raised.data();
    }
    return nullptr;  // not reached: ereport(ERROR) does not return
}

// A procedure's failure record survives the rollback of its subtransaction here.
MemoryContext failure_context() {
    static MemoryContext context = nullptr;
    pg_guard([] {
        if (!context)
            context =
                AllocSetContextCreate(TopMemoryContext, "ender failure", ALLOCSET_SMALL_SIZES);
        MemoryContextReset(context);
    });
    return context;
}

// CALL ender_upgrade_logged / ender_downgrade_logged: run in a subtransaction; on failure
// roll it back, commit a log row saying what failed and why, then raise the original error.
Datum run_logged(FunctionCallInfo fcinfo, operation op) {
    bool nonatomic = fcinfo->context && IsA(fcinfo->context, CallContext) &&
                     !castNode(CallContext, fcinfo->context)->atomic;
    if (!nonatomic)
        throw engine::error("25001",
                            std::string("ender_") + operation_name(op) +
                                "_logged must be called with CALL outside a transaction block",
                            "It commits the log entry of a failed attempt, which needs its own "
                            "transaction.",
                            std::string("Use SELECT ender_") + operation_name(op) +
                                "(...) inside a transaction block.");
    std::string target = text_arg(fcinfo, 0, "target");

    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    pg_guard([] { BeginInternalSubTransaction(nullptr); });
    progress where;
    std::vector<std::string> done;
    ErrorData* failure = nullptr;
    try {
        done = run_operation(op, target, where);
    } catch (const pg_error& e) {
        failure = e.data();
    } catch (const engine::error& e) {
        failure = error_data(e);  // logged and raised like a PostgreSQL error
    }
    if (!failure) {
        pg_guard([&] {
            ReleaseCurrentSubTransaction();
            MemoryContextSwitchTo(caller_context);
            CurrentResourceOwner = caller_owner;
        });
        Datum result = 0;
        pg_guard([&] {
            // The procedure's INOUT parameter "applied": the ids applied or undone.
            Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * (done.size() + 1)));
            for (std::size_t i = 0; i < done.size(); ++i)
                items[i] =
                    PointerGetDatum(cstring_to_text_with_len(done[i].data(), done[i].size()));
            ArrayType* array = construct_array(items, static_cast<int>(done.size()), TEXTOID, -1,
                                               false, TYPALIGN_INT);
            TupleDesc desc;
            if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
                elog(ERROR, "ender_%s_logged: unexpected result type", operation_name(op));
            desc = BlessTupleDesc(desc);
            Datum value = PointerGetDatum(array);
            bool isnull = false;
            result = HeapTupleGetDatum(heap_form_tuple(desc, &value, &isnull));
        });
        return result;
    }

    // Keep the error where the rollback and the commit cannot free it.
    MemoryContext keep = failure_context();
    if (failure->assoc_context != keep) {
        pg_guard([&] {
            MemoryContext old = MemoryContextSwitchTo(keep);
            ErrorData* copy = static_cast<ErrorData*>(palloc(sizeof(ErrorData)));
            *copy = *failure;
            auto dup = [](char* s) { return s ? pstrdup(s) : s; };
            copy->message = dup(failure->message);
            copy->detail = dup(failure->detail);
            copy->detail_log = dup(failure->detail_log);
            copy->hint = dup(failure->hint);
            copy->context = dup(failure->context);
            copy->backtrace = dup(failure->backtrace);
            copy->schema_name = dup(failure->schema_name);
            copy->table_name = dup(failure->table_name);
            copy->column_name = dup(failure->column_name);
            copy->datatype_name = dup(failure->datatype_name);
            copy->constraint_name = dup(failure->constraint_name);
            copy->internalquery = dup(failure->internalquery);
            copy->assoc_context = keep;
            failure = copy;
            MemoryContextSwitchTo(old);
        });
    }
    std::string failed_revision = where.revision;
    pg_guard([&] {
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_context);
        CurrentResourceOwner = caller_owner;
    });
    spi_scope spi(true);
    {
        pinned_search_path pinned;
        text_cell revision = failed_revision.empty() ? text_cell{} : text_cell{failed_revision};
        auto optional = [](const char* s) { return s ? text_cell{s} : text_cell{}; };
        run_owned(
            log_counts_lock_retries()
                ? "INSERT INTO ender.log (revision_id, operation, stamped, outcome, started_at,"
                  "       duration, run_by, statements, target, error_sqlstate, error_message,"
                  "       error_detail, error_hint, error_context, lock_retries)"
                  " VALUES ($1, $2, false, 'failed', pg_catalog.now(),"
                  "         pg_catalog.clock_timestamp() - pg_catalog.now(), $10, NULL, $3,"
                  "         $4, $5, $6, $7, $8, $9::integer)"
                : "INSERT INTO ender.log (revision_id, operation, stamped, outcome, started_at,"
                  "       duration, run_by, statements, target, error_sqlstate, error_message,"
                  "       error_detail, error_hint, error_context)"
                  " SELECT $1, $2, false, 'failed', pg_catalog.now(),"
                  "        pg_catalog.clock_timestamp() - pg_catalog.now(), $10, NULL, $3,"
                  "        $4, $5, $6, $7, $8"
                  "  WHERE $9::integer IS NOT NULL",
            {revision, std::string(operation_name(op)), target,
             std::string(unpack_sql_state(failure->sqlerrcode)), optional(failure->message),
             optional(failure->detail), optional(failure->hint), optional(failure->context),
             std::to_string(where.lock_retries), caller_name()});
    }
    pg_guard([] { SPI_commit(); });
    spi.finish();
    throw pg_error(failure);  // raised unchanged by the entry point
}

}  // namespace
}  // namespace ender::glue

using namespace ender;

// ender_upgrade(target text DEFAULT 'heads') RETURNS SETOF text
ENDER_FUNCTION(ender_upgrade) {
    glue::progress where;
    auto ids =
        glue::run_operation(glue::operation::upgrade, glue::text_arg(fcinfo, 0, "target"), where);
    return glue::return_text_set(fcinfo, ids);
}

// ender_downgrade(target text) RETURNS SETOF text
ENDER_FUNCTION(ender_downgrade) {
    glue::progress where;
    auto ids =
        glue::run_operation(glue::operation::downgrade, glue::text_arg(fcinfo, 0, "target"), where);
    return glue::return_text_set(fcinfo, ids);
}

// ender_stamp(target text) RETURNS SETOF text: the new current heads
ENDER_FUNCTION(ender_stamp) {
    glue::progress where;
    auto ids =
        glue::run_operation(glue::operation::stamp, glue::text_arg(fcinfo, 0, "target"), where);
    return glue::return_text_set(fcinfo, ids);
}

ENDER_FUNCTION(ender_upgrade_logged) {
    return glue::run_logged(fcinfo, glue::operation::upgrade);
}

ENDER_FUNCTION(ender_downgrade_logged) {
    return glue::run_logged(fcinfo, glue::operation::downgrade);
}
