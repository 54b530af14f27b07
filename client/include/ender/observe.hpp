// Watching what a session does: slow statements reported to a sink, on top of the statement
// hook (session::on_statement). See docs/observability.md.
#pragma once
#include "ender/session.hpp"

#include <chrono>
#include <functional>
#include <utility>

namespace ender {

// Calls `sink` for every statement of `db` that took `threshold` or longer (from sending it to
// the whole result received), with its SQL, duration, rows and round trips; parameter values
// are redacted unless `shown`. It is the session's statement hook: it replaces a hook installed
// before, and on_statement(nullptr) removes it.
inline void report_slow_statements(session& db, std::chrono::nanoseconds threshold,
                                   std::function<void(const statement_info&)> sink,
                                   parameters shown = parameters::redacted) {
    db.on_statement(
        [threshold, sink = std::move(sink)](const statement_info& s) {
            if (s.duration >= threshold) sink(s);
        },
        shown);
}

}  // namespace ender
