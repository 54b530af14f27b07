// The lock policy every DDL step of ender runs under: lock_timeout, and on a lock timeout or a
// deadlock the step rolled back to its savepoint and tried again with capped, jittered backoff.
// docs/zero-downtime.md (Locks).
#pragma once
#include "pg.hpp"

#include <functional>

namespace ender::glue {

// How DDL steps wait for their locks, and how long each may run.
struct lock_policy {
    int lock_timeout_ms;
    int max_delay_ms;
    bool quiet = false;            // no NOTICEs (the IF EXISTS of a rollback)
    int statement_timeout_ms = 0;  // 0: none (the worker's steps: ender.statement_timeout)
};

// The wait before attempt `attempt` + 1 after a lock timeout: doubling from the lock timeout
// up to the policy's maximum, times a random factor between 0.5 and 1.5 (jitter).
long backoff_ms(const lock_policy& policy, int attempt);

// Runs `body` in a subtransaction with lock_timeout set; when it fails for a lock (55P03) or
// a deadlock (40P01), rolls it back, waits with capped exponential backoff and jitter, and
// runs it again. Any other error propagates. Returns the number of retries.
long run_with_lock_retry(const lock_policy& policy, const std::function<void()>& body);

}  // namespace ender::glue
