// The EXPLAIN check for tests: the sequential scans the plan of a query would make over large
// tables, so a test can fail when a query stops using its index (see docs/observability.md).
#pragma once
#include "ender/query.hpp"
#include "ender/session.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ender {

// A sequential scan in a plan: the table (schema-qualified, quoted as needed) and how many rows
// the table holds (the planner's pg_class.reltuples, or a count when it was never analysed).
struct sequential_scan {
    std::string table;
    double table_rows = 0;
    friend bool operator==(const sequential_scan&, const sequential_scan&) = default;
};

struct scan_check {
    // Tables with fewer rows are ignored: a sequential scan of a small table is often the best
    // plan.
    double min_rows = 10'000;
    // EXPLAIN ANALYZE: the plan the query really ran with (it runs the query: not for writes).
    bool analyze = false;
};

// The sequential scans over tables of at least `check.min_rows` rows in the plan of `sql` (run
// through EXPLAIN (FORMAT JSON, VERBOSE), with the same bound parameters).
std::vector<sequential_scan> sequential_scans(session& db, std::string_view sql,
                                              std::span<const detail::param> params,
                                              scan_check check);

// The same for raw SQL with its parameters ($1, $2...).
template <detail::bindable... A>
std::vector<sequential_scan> sequential_scans(session& db, std::string_view sql, scan_check check,
                                              const A&... params) {
    std::vector<detail::param> ps;
    (ps.push_back(detail::to_param(params)), ...);
    return sequential_scans(db, sql, ps, check);
}

// The same for a query built with select<T>().
template <class T>
std::vector<sequential_scan> sequential_scans(session& db, const select_query<T>& query,
                                              scan_check check = {}) {
    const auto statement = query.statement();
    return sequential_scans(db, statement.text(), statement.params(), check);
}

}  // namespace ender
