// The lock-polite retry (see lock_polite.hpp).
#include "lock_polite.hpp"

#include "guard.hpp"

#include <algorithm>
#include <string>

namespace ender::glue {

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

}  // namespace ender::glue
