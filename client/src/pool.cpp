// The session pool (see pool.hpp). One mutex guards the idle list and the counters; connecting,
// checking and closing sessions happen outside it, so a slow server never blocks the threads
// that only return sessions.
#include "ender/pool.hpp"

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace ender {

namespace detail {

using clock = std::chrono::steady_clock;

struct pooled {
    session db;
    clock::time_point opened;
    clock::time_point last_used;
    bool discard = false;
};

struct pool_state {
    explicit pool_state(pool_options o) : options(std::move(o)) {}

    pool_options options;
    mutable std::mutex mutex;
    std::condition_variable returned;
    std::vector<std::unique_ptr<pooled>> idle;  // most recently used last
    std::size_t open = 0;                       // idle + borrowed + being opened
    std::size_t in_use = 0;
    std::size_t waiting = 0;
    pool_stats counters;

    bool too_old(const pooled& p, clock::time_point now) const {
        return options.max_lifetime.count() > 0 && now - p.opened >= options.max_lifetime;
    }
    bool idle_too_long(const pooled& p, clock::time_point now) const {
        return options.idle_timeout.count() > 0 && now - p.last_used >= options.idle_timeout;
    }

    // Removes the idle sessions past their lifetime or idle timeout; the caller closes them
    // after unlocking. Called with the mutex held.
    void take_expired(clock::time_point now, std::vector<std::unique_ptr<pooled>>& out) {
        for (auto it = idle.begin(); it != idle.end();) {
            if (too_old(**it, now) || idle_too_long(**it, now)) {
                out.push_back(std::move(*it));
                it = idle.erase(it);
                --open;
                ++counters.expired;
            } else {
                ++it;
            }
        }
    }

    // A returned session goes back to the idle list, or is closed (after the mutex is
    // released, by the caller dropping `closing`).
    void give_back(std::unique_ptr<pooled> p, std::unique_ptr<pooled>& closing) {
        const auto now = clock::now();
        const bool broken = p->discard || !p->db.connected() || p->db.in_transaction();
        std::lock_guard<std::mutex> lock(mutex);
        --in_use;
        if (broken || too_old(*p, now)) {
            --open;
            ++(broken ? counters.discarded : counters.expired);
            closing = std::move(p);
        } else {
            p->last_used = now;
            idle.push_back(std::move(p));
        }
        returned.notify_one();
    }
};

// Whether an idle session still answers: one round trip.
bool answers(session& db) noexcept {
    try {
        db.execute("SELECT 1");
        return db.connected() && !db.in_transaction();
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace detail

using detail::clock;

lease::lease(std::shared_ptr<detail::pool_state> state,
             std::unique_ptr<detail::pooled> session) noexcept
    : state_(std::move(state)), session_(std::move(session)) {}

lease::lease(lease&& other) noexcept = default;

lease& lease::operator=(lease&& other) noexcept {
    if (this != &other) {
        give_back();
        state_ = std::move(other.state_);
        session_ = std::move(other.session_);
    }
    return *this;
}

lease::~lease() {
    give_back();
}

session& lease::operator*() const noexcept {
    return session_->db;
}
session* lease::operator->() const noexcept {
    return &session_->db;
}

void lease::discard() noexcept {
    if (session_) session_->discard = true;
}

void lease::give_back() noexcept {
    if (!session_ || !state_) return;
    // The next borrower gets none of this one's role, settings, temporary tables, advisory
    // locks or hooks; a session that cannot be reset is closed.
    auto& p = *session_;
    if (!p.discard && p.db.connected() && !p.db.in_transaction()) try {
            p.db.reset();
        } catch (...) {
            p.discard = true;
        }
    std::unique_ptr<detail::pooled> closing;  // closed here, after the pool's mutex is released
    state_->give_back(std::move(session_), closing);
    state_.reset();
}

pool::pool(pool_options options)
    : state_(std::make_shared<detail::pool_state>(std::move(options))) {
    if (state_->options.max_size == 0)
        throw usage_error("22023", "a pool needs a max_size of at least 1");
}

pool::~pool() = default;

const pool_options& pool::options() const noexcept {
    return state_->options;
}

lease pool::acquire() {
    auto& s = *state_;
    const auto deadline = clock::now() + s.options.acquire_timeout;
    bool counted_wait = false;
    for (;;) {
        std::vector<std::unique_ptr<detail::pooled>> expired;  // closed outside the lock
        std::unique_ptr<detail::pooled> candidate;
        bool open_new = false;
        {
            std::unique_lock<std::mutex> lock(s.mutex);
            for (;;) {
                const auto now = clock::now();
                s.take_expired(now, expired);
                if (!s.idle.empty()) {
                    candidate = std::move(s.idle.back());
                    s.idle.pop_back();
                    ++s.in_use;
                    break;
                }
                if (s.open < s.options.max_size) {
                    ++s.open;
                    ++s.in_use;
                    open_new = true;
                    break;
                }
                if (!expired.empty()) break;  // close them first, then look again
                if (!counted_wait) {
                    ++s.counters.waits;
                    counted_wait = true;
                }
                ++s.waiting;
                const bool woken =
                    s.returned.wait_until(lock, deadline) == std::cv_status::no_timeout;
                --s.waiting;
                if (!woken && s.idle.empty() && s.open >= s.options.max_size) {
                    ++s.counters.timeouts;
                    const auto in_use = s.in_use;
                    lock.unlock();
                    throw pool_timeout(
                        "53300", "timed out waiting for a pooled session",
                        "All " + std::to_string(in_use) + " sessions of the pool were in use for " +
                            std::to_string(s.options.acquire_timeout.count()) + " ms.",
                        "Return sessions sooner (end each lease), raise max_size, or raise "
                        "acquire_timeout.");
                }
            }
        }
        expired.clear();
        if (!candidate && !open_new) continue;

        if (open_new) {
            try {
                auto fresh = std::make_unique<detail::pooled>(detail::pooled{
                    s.options.conninfo.empty() ? session() : session(s.options.conninfo),
                    clock::now(), clock::now()});
                std::lock_guard<std::mutex> lock(s.mutex);
                ++s.counters.opened;
                ++s.counters.acquired;
                return lease(state_, std::move(fresh));
            } catch (...) {
                std::lock_guard<std::mutex> lock(s.mutex);
                --s.open;
                --s.in_use;
                s.returned.notify_one();
                throw;
            }
        }

        // A session from the idle list: checked when it sat idle long enough to be in doubt.
        const bool check = clock::now() - candidate->last_used >= s.options.check_after_idle;
        if (candidate->db.connected() && (!check || detail::answers(candidate->db))) {
            std::lock_guard<std::mutex> lock(s.mutex);
            ++s.counters.acquired;
            return lease(state_, std::move(candidate));
        }
        {
            std::lock_guard<std::mutex> lock(s.mutex);
            --s.open;
            --s.in_use;
            ++s.counters.discarded;
        }
        candidate.reset();  // closed; look again (a new one can be opened in its place)
    }
}

pool_stats pool::stats() const {
    std::lock_guard<std::mutex> lock(state_->mutex);
    pool_stats out = state_->counters;
    out.size = state_->open;
    out.in_use = state_->in_use;
    out.idle = state_->idle.size();
    out.waiting = state_->waiting;
    return out;
}

}  // namespace ender
