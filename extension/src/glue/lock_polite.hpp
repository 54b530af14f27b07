// The lock policy every DDL step of ender runs under — plain revisions, the online worker's
// steps, ender_complete and ender_rollback: lock_timeout, and on a lock timeout or a deadlock
// the step rolled back to its savepoint and tried again with capped, jittered backoff, up to a
// total wait; then an error naming the sessions that held the lock. docs/zero-downtime.md
// (Locks).
#pragma once
#include "pg.hpp"

#include <functional>
#include <optional>
#include <string>

namespace ender::glue {

// How DDL steps wait for their locks, and how long each may run.
struct lock_policy {
    int lock_timeout_ms;  // 0: off, PostgreSQL's own behaviour (no lock_timeout, no retry)
    int max_delay_ms;
    bool quiet = false;            // no NOTICEs (the IF EXISTS of a rollback)
    int statement_timeout_ms = 0;  // 0: none (the worker's steps: ender.statement_timeout)
    // The longest total time spent trying (attempts and waits); 0: no limit (the worker).
    long long wait_limit_ms = 0;
    // What the error names when the limit is reached ("revision \"r5\""), and the setting or
    // header that set the limit.
    std::function<std::string()> subject = {};
    std::string limit_source = "ender.lock_wait_limit";
    // Called after each attempt that failed on a lock, before the limit is checked (it may
    // change wait_limit_ms and limit_source: the limit of the revision that waited).
    std::function<void()> on_retry = {};
};

// The policy of work done in the caller's session (plain revisions, ender_complete,
// ender_rollback): the ender.* settings in force, ender.lock_wait_limit included.
lock_policy caller_lock_policy(std::function<std::string()> subject, bool quiet = false);

// The lock_wait_limit a revision's file sets in its header ("-- ender:lock_wait_limit 30min"),
// in milliseconds; nothing when it sets none (or was registered from fields).
std::optional<long long> revision_lock_wait_limit(const std::string& revision);

// The wait before attempt `attempt` + 1 after a lock timeout: doubling from twice the lock
// timeout up to the policy's maximum, times a random factor between 0.75 and 1 (jitter); at
// least 1.5 lock timeouts times that factor.
long backoff_ms(const lock_policy& policy, int attempt);

// Runs `body` in a subtransaction with lock_timeout set; when it fails for a lock (55P03) or
// a deadlock (40P01), rolls it back, waits with capped exponential backoff and jitter, and
// runs it again. When the policy's wait limit would be passed, raises 55P03 naming the
// sessions that held the lock the last attempt waited for (nothing of `body` is left). Any
// other error propagates. Returns the number of retries.
long run_with_lock_retry(const lock_policy& policy, const std::function<void()>& body);

// Whether ender.log has its lock_retries column (0.2): a 0.1 catalog not updated yet lacks
// it, and this library still writes its log until ALTER EXTENSION ender UPDATE. Call with
// search_path pinned.
bool log_counts_lock_retries();

// Settings (module.cpp registers them).
extern int setting_lock_retry_max_delay_ms;
extern int setting_lock_timeout_ms;
extern int setting_lock_wait_limit_ms;

}  // namespace ender::glue
