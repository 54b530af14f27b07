// What every kind of query does with its statement beyond all(): counting the rows, EXISTS,
// EXPLAIN, and the errors of one().
#include "ender/detail/row_access.hpp"

#include "ender/select.hpp"

namespace ender::detail {

session& bound_session(session* db) {
    if (!db)
        throw usage_error("55000", "the query is not bound to a session", "",
                          "Build it with db.select<T>() to run it.");
    return *db;
}

std::int64_t count_rows(session& db, const fragment& statement) {
    auto f = clauses::count_of(statement);
    return db.run(f.text(), f.params()).get<std::int64_t>(0, 0);
}

bool rows_exist(session& db, const fragment& statement) {
    fragment f("SELECT EXISTS (");
    f.append(statement).sql(")");
    return db.run(f.text(), f.params()).get<bool>(0, 0);
}

std::string explain_statement(session& db, const fragment& statement, bool analyze) {
    fragment f(analyze ? "EXPLAIN (ANALYZE, FORMAT TEXT) " : "EXPLAIN ");
    f.append(statement);
    auto r = db.run(f.text(), f.params());
    std::string plan;
    for (std::size_t i = 0; i < r.size(); ++i) plan += r.get<std::string>(i, 0) + "\n";
    return plan;
}

void not_one_row(std::int64_t rows, const fragment& statement) {
    if (rows == 0)
        throw_error("P0002", "the query returned no row", "one() expects exactly one row.",
                    "Use first() when the row may be missing.", statement.text());
    throw_error("P0003", "the query returned " + std::to_string(rows) + " rows",
                "one() expects exactly one row.",
                "Narrow the condition, or use first() or all() when several rows may match.",
                statement.text());
}

}  // namespace ender::detail
