// A thread-safe pool of sessions for multi-threaded servers: a maximum size, a bounded wait for
// a free session, a health check on checkout, a maximum lifetime and an idle timeout. Sessions
// are borrowed RAII-style (ender::lease) and come back when the lease ends; a session whose
// connection broke, or that is returned inside a transaction, is closed instead of being handed
// out again. See docs/pool.md.
#pragma once
#include "ender/error.hpp"
#include "ender/session.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ender {

struct pool_options {
    // As for ender::session: a URI or keyword string; empty means ENDER_DSN, DATABASE_URL,
    // then libpq's own environment (PGHOST, PGDATABASE, ...).
    std::string conninfo;
    // Sessions open at most (borrowed + idle).
    std::size_t max_size = 10;
    // How long acquire() waits for a free session before it throws ender::pool_timeout.
    std::chrono::milliseconds acquire_timeout{30'000};
    // A session older than this is closed when it comes back or is found idle (0: never).
    std::chrono::milliseconds max_lifetime{30 * 60'000};
    // An idle session unused for this long is closed (0: never).
    std::chrono::milliseconds idle_timeout{10 * 60'000};
    // A session idle for longer than this is checked with a round trip before it is handed
    // out, and replaced when the check fails (0: check on every checkout).
    std::chrono::milliseconds check_after_idle{1'000};
};

// What the pool holds now, and what it has done since it was made.
struct pool_stats {
    std::size_t size = 0;         // sessions open or being opened
    std::size_t in_use = 0;       // borrowed
    std::size_t idle = 0;         // open and free
    std::size_t waiting = 0;      // threads waiting in acquire()
    std::uint64_t acquired = 0;   // leases handed out
    std::uint64_t waits = 0;      // acquire() calls that had to wait
    std::uint64_t timeouts = 0;   // acquire() calls that gave up (pool_timeout)
    std::uint64_t opened = 0;     // connections made
    std::uint64_t discarded = 0;  // sessions closed because broken, failed the check, returned
                                  // inside a transaction, or discard()ed
    std::uint64_t expired = 0;    // sessions closed by max_lifetime or idle_timeout
};

// acquire() waited acquire_timeout and no session became free (SQLSTATE 53300, as the server
// says when it has no connection slot left).
class pool_timeout : public error {
public:
    using error::error;
};

namespace detail {
struct pool_state;
struct pooled;
}  // namespace detail

// A session borrowed from a pool; it goes back when the lease is destroyed. The pool may be
// destroyed first: the lease keeps what it needs alive.
class lease {
public:
    lease(lease&&) noexcept;
    lease& operator=(lease&&) noexcept;
    ~lease();

    session& operator*() const noexcept;
    session* operator->() const noexcept;
    session& get() const noexcept { return **this; }

    // Closes the session instead of returning it (after a failure that leaves it in doubt).
    void discard() noexcept;

private:
    friend class pool;
    lease(std::shared_ptr<detail::pool_state> state,
          std::unique_ptr<detail::pooled> session) noexcept;
    void give_back() noexcept;
    std::shared_ptr<detail::pool_state> state_;
    std::unique_ptr<detail::pooled> session_;
};

class pool {
public:
    // Opens no connection yet: sessions are opened when first needed, up to max_size.
    explicit pool(pool_options options = {});
    pool(pool&&) noexcept = default;
    pool& operator=(pool&&) noexcept = default;
    ~pool();

    // A free session (the most recently used, so its prepared statements are warm), a new one
    // when fewer than max_size are open, or the first one returned within acquire_timeout.
    // Throws ender::pool_timeout, or connection_lost when a new connection cannot be made.
    lease acquire();

    pool_stats stats() const;
    const pool_options& options() const noexcept;

private:
    std::shared_ptr<detail::pool_state> state_;
};

}  // namespace ender
