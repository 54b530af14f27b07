// Subqueries in expressions: e IN / NOT IN (subquery), scalar subqueries (in select lists and
// conditions) and EXISTS of any select; correlated when the subquery names the outer query's
// columns. A subquery selecting one column of type T compares only with what T compares with:
// anything else does not compile.
#pragma once

#include "ender/expression.hpp"
#include "ender/select.hpp"
#include "ender/shape.hpp"

#include <optional>

namespace ender {

// An unbound select of expressions, to use as a subquery (or a CTE's body, cte.hpp):
// ender::subquery(col(&hero::team_id)).from<hero>().where(...).
template <class... V>
projection<V...> subquery(const expr<V>&... exprs) {
    return projection<V...>(exprs...);
}

namespace detail {
template <class V, class... W>
expr<bool> in_subquery(const expr<V>& e, std::string_view op, const projection<W...>& q) {
    static_assert(sizeof...(W) == 1, "ender::in: the subquery must select exactly one column");
    static_assert((comparable<value_base<V>, value_base<W>> && ...),
                  "ender::in: the subquery's column does not compare with the expression");
    fragment f("(");
    f.append(e.f).sql(" ").sql(op).sql(" (").append(q.statement()).sql("))");
    return {f};
}
}  // namespace detail

// e IN (subquery).
template <class V, class... W>
expr<bool> in(const expr<V>& e, const projection<W...>& q) {
    return detail::in_subquery(e, "IN", q);
}
// e NOT IN (subquery). As in SQL, a NULL among the subquery's values makes it NULL (not true)
// for every e: select a non-null column, or use !exists(...).
template <class V, class... W>
expr<bool> not_in(const expr<V>& e, const projection<W...>& q) {
    return detail::in_subquery(e, "NOT IN", q);
}

// (subquery): the single value of a one-column subquery, NULL when it returns no row (hence
// an optional); more than one row is the server's error 21000.
template <class W>
expr<std::optional<detail::value_base<W>>> scalar(const projection<W>& q) {
    detail::fragment f("(");
    f.append(q.statement()).sql(")");
    return {f};
}
template <class W1, class W2, class... W>
expr<bool> scalar(const projection<W1, W2, W...>&) {
    static_assert(sizeof...(W) < 0, "ender::scalar: the subquery must select exactly one column");
    return {};
}

// EXISTS (subquery) of a select of expressions or of a read shape (select.hpp has the one of
// models).
template <class... W>
expr<bool> exists(const projection<W...>& q) {
    detail::fragment f("EXISTS (");
    f.append(q.statement()).sql(")");
    return {f};
}
template <class S>
expr<bool> exists(const shape_query<S>& q) {
    detail::fragment f("EXISTS (");
    f.append(q.statement()).sql(")");
    return {f};
}

}  // namespace ender
