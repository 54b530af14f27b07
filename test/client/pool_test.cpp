// pool.hpp: reuse, the size limit and the bounded wait, broken sessions never handed out again,
// the health check, lifetime and idle expiry, and 32 threads over a pool of 8 (also run under
// ThreadSanitizer by make test: build/tsan/pool_tests).
#include "support.hpp"

#include <ender/pool.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using ender::test::throws;

class pool : public ender::test::database {
protected:
    // Ends `pid`'s backend and waits until the server has let it go (five minutes at most: only
    // a stuck server takes that long, however loaded the machine).
    void terminate(int pid) {
        db.exec("SELECT pg_terminate_backend($1)", pid);
        const auto deadline = std::chrono::steady_clock::now() + 5min;
        while (std::chrono::steady_clock::now() < deadline) {
            if (db.scalar<std::int64_t>("SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                                        pid) == 0)
                return;
            std::this_thread::sleep_for(10ms);
        }
        FAIL() << "backend " << pid << " did not exit";
    }
};

// Waits until `n` threads wait in p.acquire() (five minutes at most); false if they never do.
bool until_waiting(const ender::pool& p, std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + 5min;
    while (p.stats().waiting < n) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

TEST_F(pool, returns_sessions_for_reuse_and_opens_them_lazily) {
    ender::pool p({.max_size = 3});
    EXPECT_EQ(p.stats().size, 0u);
    int first = 0;
    {
        auto s = p.acquire();
        first = s->backend_pid();
        EXPECT_EQ(s->scalar<int>("SELECT 41 + $1", 1), 42);
        EXPECT_EQ(p.stats().in_use, 1u);
    }
    auto stats = p.stats();
    EXPECT_EQ(stats.in_use, 0u);
    EXPECT_EQ(stats.idle, 1u);
    auto again = p.acquire();
    EXPECT_EQ(again->backend_pid(), first);  // the same connection, its prepared statements warm
    EXPECT_EQ(p.stats().opened, 1u);
    EXPECT_EQ(p.stats().acquired, 2u);
}

TEST_F(pool, waits_at_most_acquire_timeout_when_all_sessions_are_borrowed) {
    ender::pool p({.max_size = 2, .acquire_timeout = 100ms});
    auto a = p.acquire();
    auto b = p.acquire();
    EXPECT_NE(a->backend_pid(), b->backend_pid());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(throws<ender::pool_timeout>([&] { p.acquire(); }, "53300",
                                            "timed out waiting for a pooled session"));
    EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
    EXPECT_EQ(p.stats().timeouts, 1u);
    EXPECT_EQ(p.stats().size, 2u);

    // A session returned while this thread waits comes to it: the other thread returns it once
    // this one waits.
    ender::pool q({.max_size = 1, .acquire_timeout = 5min});
    std::optional<ender::lease> held(q.acquire());
    const int pid = (*held)->backend_pid();
    bool waited_for = false;
    std::thread giver([&] {
        waited_for = until_waiting(q, 1);
        held.reset();
    });
    auto waited = q.acquire();
    giver.join();
    EXPECT_TRUE(waited_for);
    EXPECT_EQ(waited->backend_pid(), pid);
    EXPECT_EQ(q.stats().waits, 1u);
    EXPECT_EQ(q.stats().timeouts, 0u);
}

TEST_F(pool, a_broken_session_is_discarded_not_handed_out_again) {
    ender::pool p({.max_size = 1});
    int pid = 0;
    {
        auto s = p.acquire();
        pid = s->backend_pid();
        terminate(pid);
        EXPECT_THROW(s->exec("SELECT 1"), ender::connection_lost);
    }
    EXPECT_EQ(p.stats().discarded, 1u);
    EXPECT_EQ(p.stats().size, 0u);
    auto s = p.acquire();
    EXPECT_NE(s->backend_pid(), pid);
    EXPECT_EQ(s->scalar<int>("SELECT 1"), 1);
}

TEST_F(pool, a_session_returned_inside_a_transaction_or_discarded_is_closed) {
    ender::pool p({.max_size = 1});
    int pid = 0;
    {
        auto s = p.acquire();
        pid = s->backend_pid();
        s->execute("BEGIN");  // left open: its state is unknown to the next borrower
    }
    EXPECT_EQ(p.stats().discarded, 1u);
    {
        auto s = p.acquire();
        EXPECT_NE(s->backend_pid(), pid);
        EXPECT_FALSE(s->in_transaction());
        pid = s->backend_pid();
        s.discard();
    }
    EXPECT_EQ(p.stats().discarded, 2u);
    EXPECT_NE(p.acquire()->backend_pid(), pid);
}

TEST_F(pool, the_health_check_replaces_a_session_that_died_while_idle) {
    ender::pool p({.max_size = 1, .check_after_idle = 0ms});
    const int pid = p.acquire()->backend_pid();
    terminate(pid);        // the server drops it while it sits in the pool
    auto s = p.acquire();  // no error for the borrower: checked, discarded, replaced
    EXPECT_NE(s->backend_pid(), pid);
    EXPECT_EQ(s->scalar<int>("SELECT 7"), 7);
    EXPECT_EQ(p.stats().discarded, 1u);
}

TEST_F(pool, lifetime_and_idle_timeout_retire_sessions) {
    {
        ender::pool p({.max_lifetime = 50ms});
        auto s = p.acquire();
        const int pid = s->backend_pid();
        std::this_thread::sleep_for(80ms);
        s = p.acquire();  // the old lease returns an expired session: closed
        EXPECT_NE(s->backend_pid(), pid);
        EXPECT_EQ(p.stats().expired, 1u);
    }
    {
        ender::pool p({.idle_timeout = 50ms});
        const int pid = p.acquire()->backend_pid();
        std::this_thread::sleep_for(80ms);
        EXPECT_NE(p.acquire()->backend_pid(), pid);
        EXPECT_EQ(p.stats().expired, 1u);
        EXPECT_EQ(p.stats().size, 1u);
    }
}

TEST_F(pool, a_lease_may_outlive_its_pool) {
    std::optional<ender::lease> kept;
    {
        ender::pool p({.max_size = 1});
        kept.emplace(p.acquire());
    }
    EXPECT_EQ((*kept)->scalar<int>("SELECT 1"), 1);
    kept.reset();  // goes back to the pool's state, which then goes away
}

TEST_F(pool, refuses_a_pool_of_size_zero) {
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::pool p({.max_size = 0}); }, "22023",
                                           "max_size of at least 1"));
}

// 32 threads share 8 sessions for a bounded time, reading and writing: every write is accounted
// for, every session comes back, none is opened beyond the limit, and nothing fails.
TEST_F(pool, thirty_two_threads_over_eight_sessions) {
    db.execute(
        "CREATE TABLE event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, thread int NOT "
        "NULL, n int NOT NULL)");
    ender::pool p({.max_size = 8, .acquire_timeout = 5min});
    constexpr int threads = 32;
    // Every session borrowed here until a thread queues for one: the threads do queue, however
    // the scheduler runs them.
    std::vector<ender::lease> borrowed;
    for (int i = 0; i < 8; ++i) borrowed.push_back(p.acquire());
    std::vector<std::int64_t> written(threads, 0);
    std::atomic<int> failures{0};
    std::vector<std::thread> workers;
    std::atomic<bool> started{false};
    std::chrono::steady_clock::time_point stop;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            std::mt19937 random(t);
            try {
                do {
                    auto s = p.acquire();
                    switch (random() % 4) {
                        case 0: {  // a transaction of several writes
                            auto tx = s->begin();
                            for (int i = 0; i < 3; ++i)
                                s->exec("INSERT INTO event (thread, n) VALUES ($1, $2)", t, i);
                            tx.commit();
                            written[t] += 3;
                            break;
                        }
                        case 1:
                            s->exec("INSERT INTO event (thread, n) VALUES ($1, $2)", t, -1);
                            ++written[t];
                            break;
                        default:  // a read sees every write this thread committed, whatever session
                                  // made it
                            if (s->scalar<std::int64_t>(
                                    "SELECT count(*) FROM event WHERE thread = $1", t) !=
                                written[t])
                                ++failures;
                    }
                } while (!started.load() || std::chrono::steady_clock::now() < stop);
            } catch (const std::exception& e) {
                ++failures;
                ADD_FAILURE() << "thread " << t << ": " << e.what();
            }
        });
    EXPECT_TRUE(until_waiting(p, 1));
    stop = std::chrono::steady_clock::now() + 2s;
    started = true;
    borrowed.clear();
    for (auto& w : workers) w.join();

    EXPECT_EQ(failures.load(), 0);
    std::int64_t total = 0;
    for (int t = 0; t < threads; ++t) {
        total += written[t];
        EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM event WHERE thread = $1", t),
                  written[t])
            << t;
    }
    EXPECT_GT(total, 0);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM event"), total);
    const auto stats = p.stats();
    EXPECT_EQ(stats.in_use, 0u);
    EXPECT_EQ(stats.waiting, 0u);
    EXPECT_LE(stats.size, 8u);
    EXPECT_EQ(stats.idle, stats.size);
    EXPECT_GT(stats.waits, 0u);  // 32 threads over 8 sessions did queue
    EXPECT_EQ(stats.timeouts, 0u);
    EXPECT_EQ(stats.discarded, 0u);
    // No connection leaked on the server: the pool's and this test's own.
    EXPECT_EQ(db.scalar<std::int64_t>(
                  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND backend_type = 'client backend'"),
              static_cast<std::int64_t>(stats.size) + 1);
}

TEST_F(pool, the_next_borrower_gets_none_of_the_last_ones_session_state) {
    ender::pool p({.max_size = 1});
    const auto user = db.scalar<std::string>("SELECT session_user::text");
    int pid = 0, hook_calls = 0, notices = 0;
    {
        auto s = p.acquire();
        pid = s->backend_pid();
        s->on_statement([&](const ender::statement_info&) { ++hook_calls; });
        s->on_notice([&](std::string_view) { ++notices; });
        s->execute("SET ROLE pg_monitor");
        s->execute("SET statement_timeout = '7s'");
        s->execute("SET search_path = pg_temp");
        s->execute("CREATE TEMP TABLE borrowed (secret text)");
        s->execute("SELECT pg_advisory_lock(4242)");
        s->execute("LISTEN borrowed_channel");
        EXPECT_EQ(s->scalar<int>("SELECT $1::int + 1", 1), 2);  // prepared
    }
    const int calls_before = hook_calls;
    auto s = p.acquire();
    EXPECT_EQ(s->backend_pid(), pid);  // the same connection, reset
    EXPECT_EQ(s->scalar<std::string>("SELECT current_user::text"), user);
    EXPECT_EQ(s->scalar<std::string>("SELECT current_setting('statement_timeout')"), "0");
    EXPECT_NE(s->scalar<std::string>("SELECT current_setting('search_path')"), "pg_temp");
    EXPECT_TRUE(s->scalar<bool>("SELECT to_regclass('pg_temp.borrowed') IS NULL"));
    EXPECT_EQ(s->scalar<std::int64_t>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                      " AND pid = pg_backend_pid()"),
              0);
    EXPECT_EQ(s->scalar<std::int64_t>("SELECT count(*) FROM pg_listening_channels()"), 0);
    EXPECT_TRUE(db.scalar<bool>("SELECT pg_try_advisory_lock(4242)"));  // free for others
    db.execute("SELECT pg_advisory_unlock(4242)");
    s->execute("DO $$ BEGIN RAISE NOTICE 'for the second borrower'; END $$");
    EXPECT_EQ(hook_calls, calls_before);  // the first borrower's hooks are gone
    EXPECT_EQ(notices, 0);
    EXPECT_GE(s->prepared_count(), 1u);  // ender's prepared statements stay warm
    EXPECT_EQ(s->scalar<int>("SELECT $1::int + 1", 2), 3);
    EXPECT_EQ(p.stats().discarded, 0u);
}

TEST_F(pool, reset_is_refused_inside_a_transaction) {
    ender::pool p({.max_size = 1});
    auto s = p.acquire();
    s->execute("BEGIN");
    EXPECT_TRUE(throws<ender::usage_error>([&] { s->reset(); }, "25001",
                                           "a session cannot be reset inside a transaction"));
    s->execute("ROLLBACK");
}

}  // namespace
