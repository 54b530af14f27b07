// Internal: what every kind of query does with its statement beyond all(): one() (exactly one
// row), count(), exists() and explain(), each one statement with the query's bound parameters.
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/session.hpp"

#include <cstdint>
#include <string>

namespace ender::detail {

// The session a query runs on; 55000 when it was built without one.
session& bound_session(session* db);
// SELECT count(*) FROM (statement) AS counted: the rows the statement returns.
std::int64_t count_rows(session& db, const fragment& statement);
// SELECT EXISTS (statement).
bool rows_exist(session& db, const fragment& statement);
// EXPLAIN [(ANALYZE, FORMAT TEXT)] statement: the plan, one line per row.
std::string explain_statement(session& db, const fragment& statement, bool analyze);
// P0002 when the query returned no row, P0003 when it returned `rows` (more than one).
[[noreturn]] void not_one_row(std::int64_t rows, const fragment& statement);

// CRTP base of select_query, projection and shape_query: Self has statement(), all(), and the
// members c_ (detail::clauses) and db_ (session*), which it lets this base read (friend).
template <class Self>
class row_access {
public:
    // The only row; throws ender::error P0002 when there is none and P0003 (naming the count)
    // when there are more. Reads at most two rows; counting them is left to the error path.
    auto one() const {
        const Self& s = static_cast<const Self&>(*this);
        Self q = s;
        if (!q.c_.limit || *q.c_.limit > 2) q.c_.limit = 2;
        auto rows = q.all();
        if (rows.size() == 1) return std::move(rows.front());
        if (rows.empty()) not_one_row(0, s.statement());
        not_one_row(count_rows(bound_session(s.db_), s.statement()), s.statement());
    }
    // The rows that match, whatever the page: SELECT count(*) FROM (the statement without
    // ORDER BY, LIMIT and OFFSET); a grouped select counts its groups.
    std::int64_t count() const {
        const Self& s = static_cast<const Self&>(*this);
        Self q = s;
        q.c_ = s.c_.unordered();
        return count_rows(bound_session(s.db_), q.statement());
    }
    // Whether the query returns any row: SELECT EXISTS (...).
    bool exists() const {
        const Self& s = static_cast<const Self&>(*this);
        return rows_exist(bound_session(s.db_), s.statement());
    }
    // The server's plan for the statement (EXPLAIN ANALYZE runs it).
    std::string explain(bool analyze = false) const {
        const Self& s = static_cast<const Self&>(*this);
        return explain_statement(bound_session(s.db_), s.statement(), analyze);
    }
};

}  // namespace ender::detail
