// The lock-polite retry (see lock_polite.hpp): a savepoint per attempt, lock_timeout, capped
// jittered backoff up to a total limit, and the sessions that held the lock named when it ends.
#include "lock_polite.hpp"

#include "../engine/error.hpp"
#include "../engine/revision.hpp"
#include "guard.hpp"
#include "spi.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <csignal>
#include <string>
#include <vector>

namespace ender::glue {

int setting_lock_retry_max_delay_ms = 2000;
int setting_lock_timeout_ms = 50;
int setting_lock_wait_limit_ms = 600000;

namespace {

// The lock an attempt waits for. A lock timeout takes the backend out of the lock's wait queue
// before its error is raised, so the lock is noted while the attempt waits, by a timer that
// fires every half lock_timeout (a timeout handler runs in the SIGALRM handler: it copies).
TimeoutId probe_timeout = MAX_TIMEOUTS;  // registered on first use
LOCKTAG awaited_tag;
LOCKMODE awaited_mode = NoLock;
volatile sig_atomic_t awaited_seen = 0;

void note_awaited_lock() {
    PGPROC* proc = MyProc;
    if (!proc) return;
    LOCK* lock = proc->waitLock;
    if (!lock) return;
    awaited_tag = lock->tag;
    awaited_mode = proc->waitLockMode;
    awaited_seen = 1;
}

void arm_probe(int lock_timeout_ms) {
    int period = std::max(lock_timeout_ms / 2, 1);
    pg_guard([&] {
        if (probe_timeout == MAX_TIMEOUTS)
            probe_timeout = RegisterTimeout(USER_TIMEOUT, note_awaited_lock);
        enable_timeout_every(probe_timeout,
                             TimestampTzPlusMilliseconds(GetCurrentTimestamp(), period), period);
    });
}

void disarm_probe() {
    if (probe_timeout == MAX_TIMEOUTS) return;
    pg_guard([] {
        if (get_timeout_active(probe_timeout)) disable_timeout(probe_timeout, false);
    });
}

std::string duration_text(long long ms) {
    if (ms >= 60000 && ms % 60000 == 0) return std::to_string(ms / 60000) + " min";
    if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

std::string seconds_text(long long ms) {
    char out[32];
    std::snprintf(out, sizeof out, "%.1f", static_cast<double>(ms) / 1000);
    return out;
}

// The lock the last attempt waited for and the sessions holding it in a conflicting mode (the
// ones pg_blocking_pids reports as holders), with their state, query and age.
std::string describe_blockers() {
    if (!awaited_seen) return "ender could not tell which lock the last attempt waited for.";
    LOCKTAG tag = awaited_tag;
    LOCKMODE mode = awaited_mode;
    std::vector<std::string> pids;
    int unnamed = 0;
    std::string mode_name;
    pg_guard([&] {
        int count = 0;
        VirtualTransactionId* holders = GetLockConflicts(&tag, mode, &count);
        for (int i = 0; i < count; ++i) {
            PGPROC* proc = BackendIdGetProc(holders[i].backendId);
            if (proc && proc->pid != 0)
                pids.push_back(std::to_string(proc->pid));
            else
                ++unnamed;  // a prepared transaction
        }
        mode_name = GetLockmodeName(tag.locktag_lockmethodid, mode);
    });
    pinned_search_path pinned;
    pinned.push();
    std::string what;
    switch (static_cast<LockTagType>(tag.locktag_type)) {
        case LOCKTAG_RELATION:
        case LOCKTAG_RELATION_EXTEND:
        case LOCKTAG_PAGE:
        case LOCKTAG_TUPLE:
            what = "relation " + run_cached("SELECT $1::oid::pg_catalog.regclass::text",
                                            {std::to_string(tag.locktag_field2)})
                                     .front()[0]
                                     .value_or("?");
            if (tag.locktag_type == LOCKTAG_TUPLE) what = "a row of " + what;
            break;
        case LOCKTAG_TRANSACTION:
            what = "transaction " + std::to_string(tag.locktag_field1) + " (a row it changed)";
            break;
        case LOCKTAG_OBJECT:
            what =
                run_cached("SELECT pg_catalog.pg_describe_object($1::oid, $2::oid, $3::integer)",
                           {std::to_string(tag.locktag_field2), std::to_string(tag.locktag_field3),
                            std::to_string(tag.locktag_field4)})
                    .front()[0]
                    .value_or("an object");
            break;
        default:
            what = "a lock of type " + std::to_string(tag.locktag_type);
    }
    std::string out = "The last attempt waited for " + mode_name + " on " + what;
    std::string sessions;
    if (!pids.empty())
        for (const auto& r :
             run_cached("SELECT a.pid, COALESCE(a.usename::text, '?'), COALESCE(a.state, '?'),"
                        "       pg_catalog.round(EXTRACT(epoch FROM pg_catalog.clock_timestamp() -"
                        "           COALESCE(a.xact_start, a.backend_start))::numeric, 1),"
                        "       pg_catalog.left(pg_catalog.regexp_replace(COALESCE(a.query, ''),"
                        "           '\\s+', ' ', 'g'), 200)"
                        "  FROM pg_catalog.unnest($1::integer[]) WITH ORDINALITY AS u(pid, n)"
                        "  JOIN pg_catalog.pg_stat_activity a ON a.pid = u.pid"
                        " ORDER BY u.n",
                        {pids}))
            sessions += std::string(sessions.empty() ? "" : "; ") + "pid " + *r[0] + " (user \"" +
                        *r[1] + "\", " + *r[2] + ", in its transaction for " + *r[3] +
                        " s): " + *r[4];
    pinned.pop();
    if (sessions.empty() && unnamed == 0) return out + "; no session holds it any more.";
    out += ", held by " + (sessions.empty() ? std::string() : sessions);
    if (unnamed > 0)
        out += (sessions.empty() ? "" : "; and ") + std::to_string(unnamed) +
               " prepared transaction(s) (pg_prepared_xacts)";
    return out + ".";
}

[[noreturn]] void give_up(const lock_policy& policy, long attempts, long long elapsed_ms) {
    std::string subject = policy.subject ? policy.subject() : std::string("the step");
    throw engine::error(
        "55P03",
        "could not get the locks of " + subject + " within " + policy.limit_source + " (" +
            duration_text(policy.wait_limit_ms) + ")",
        "It was tried " + std::to_string(attempts) + " times in " + seconds_text(elapsed_ms) +
            " s, each attempt rolled back after waiting " + duration_text(policy.lock_timeout_ms) +
            " (ender.lock_timeout) for a lock: nothing of it was applied. " + describe_blockers(),
        "End those sessions or let them finish (pg_terminate_backend(pid) ends one), then run it "
        "again; " +
            policy.limit_source + " sets how long ender keeps trying.");
}

}  // namespace

std::optional<long long> revision_lock_wait_limit(const std::string& revision) {
    pinned_search_path pinned;
    pinned.push();
    auto rows = run_cached("SELECT source FROM ender.revision WHERE id = $1", {revision});
    pinned.pop();
    if (rows.empty() || !rows.front()[0]) return std::nullopt;
    auto limit = engine::parse_migration(*rows.front()[0]).lock_wait_limit;
    if (!limit) return std::nullopt;
    int ms = 0;
    bool ok = false;
    pg_guard([&] { ok = parse_int(limit->c_str(), &ms, GUC_UNIT_MS, nullptr); });
    if (!ok)
        throw engine::error(
            engine::sqlstate::invalid_parameter_value,
            "invalid lock_wait_limit \"" + *limit + "\" in revision \"" + revision + "\"",
            "It must fit ender.lock_wait_limit (0 to 2147483647 ms).");
    return ms;
}

bool log_counts_lock_retries() {
    return *run_cached(
                "SELECT EXISTS (SELECT FROM pg_catalog.pg_attribute"
                " WHERE attrelid = 'ender.log'::pg_catalog.regclass"
                "   AND attname = 'lock_retries' AND NOT attisdropped)")
                .front()[0] == "t";
}

lock_policy caller_lock_policy(std::function<std::string()> subject, bool quiet) {
    lock_policy policy{setting_lock_timeout_ms, setting_lock_retry_max_delay_ms, quiet};
    policy.wait_limit_ms = setting_lock_wait_limit_ms;
    policy.subject = std::move(subject);
    return policy;
}

long backoff_ms(const lock_policy& policy, int attempt) {
    // From twice the lock timeout, and jittered only downwards to 3/4: never less than 1.5
    // lock timeouts, so the statements an attempt held up (for up to one lock timeout) are
    // through before the next attempt queues again. Shorter waits (down to half the lock
    // timeout, as before) let one application statement wait behind two attempts in a row.
    double delay_ms = 2.0 * std::max(policy.lock_timeout_ms, 10);
    for (int i = 0; i < attempt && delay_ms < policy.max_delay_ms; ++i) delay_ms *= 2;
    return static_cast<long>(std::max(std::min(delay_ms, double(policy.max_delay_ms)),
                                      1.5 * std::max(policy.lock_timeout_ms, 10)) *
                             (0.75 + 0.25 * pg_prng_double(&pg_global_prng_state)));
}

long run_with_lock_retry(const lock_policy& policy, const std::function<void()>& body) {
    long retries = 0;
    const bool polite = policy.lock_timeout_ms > 0;
    const std::string timeout = std::to_string(policy.lock_timeout_ms);
    const auto began = std::chrono::steady_clock::now();
    // The statement timer is armed by hand: only a backend's main loop arms it per statement.
    auto arm = [&] {
        if (policy.statement_timeout_ms > 0)
            pg_guard([&] { enable_timeout_after(STATEMENT_TIMEOUT, policy.statement_timeout_ms); });
        if (polite) {
            awaited_seen = 0;
            arm_probe(policy.lock_timeout_ms);
        }
    };
    auto disarm = [&] {
        if (policy.statement_timeout_ms > 0)
            pg_guard([] { disable_timeout(STATEMENT_TIMEOUT, false); });
        if (polite) disarm_probe();
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
                // Off (0): the caller's own lock_timeout stays in force, as without ender.
                if (polite)
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
            retry = polite &&
                    (code == ERRCODE_LOCK_NOT_AVAILABLE || code == ERRCODE_T_R_DEADLOCK_DETECTED);
            roll_back();
            if (!retry) throw;
        } catch (...) {
            roll_back();
            throw;
        }
        // Capped exponential backoff with jitter (0.5x to 1.5x): waiters never line up.
        long wait_ms = backoff_ms(policy, static_cast<int>(retries));
        ++retries;
        if (policy.on_retry) policy.on_retry();
        long long elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - began)
                                   .count();
        if (policy.wait_limit_ms > 0 && elapsed_ms + wait_ms > policy.wait_limit_ms) {
            // The last wait fits the limit exactly; then one last attempt, or the end.
            wait_ms = static_cast<long>(policy.wait_limit_ms - elapsed_ms);
            if (wait_ms <= 0) give_up(policy, retries, elapsed_ms);
        }
        // The whole wait: the latch is often set already (the lock timeout's signal, a timer),
        // and one WaitLatch would return at once.
        pg_guard([&] {
            TimestampTz until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), wait_ms);
            for (long left = wait_ms; left > 0;
                 left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), until)) {
                (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, left,
                                PG_WAIT_EXTENSION);
                ResetLatch(MyLatch);
                CHECK_FOR_INTERRUPTS();
            }
        });
    }
}

}  // namespace ender::glue
