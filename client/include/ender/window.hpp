// Window functions: row_number, rank, dense_rank, lag, lead, and aggregates, OVER (PARTITION BY
// ... ORDER BY ...). A window function is usable only with over(), which makes it an expression:
//   ender::over(ender::row_number(), ender::partition_by(col(&hero::team_id))
//                                        .order_by(ender::desc(&hero::age)))
#pragma once

#include "ender/expression.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace ender {

// The window of OVER (...): PARTITION BY expressions, then ORDER BY terms.
class window {
public:
    template <class... V>
    window& partition_by(const expr<V>&... e) {
        (partition_.push_back(e.f), ...);
        return *this;
    }
    template <class... O>
    window& order_by(const O&... terms) {
        (order_.push_back(term(terms)), ...);
        return *this;
    }
    // OVER (PARTITION BY ... ORDER BY ...).
    detail::fragment render() const {
        detail::fragment f(" OVER (");
        for (std::size_t i = 0; i < partition_.size(); ++i)
            f.sql(i ? ", " : "PARTITION BY ").append(partition_[i]);
        for (std::size_t i = 0; i < order_.size(); ++i)
            f.sql(i ? ", " : partition_.empty() ? "ORDER BY " : " ORDER BY ").append(order_[i]);
        return f.sql(")");
    }

private:
    static detail::fragment term(const order_term& o) { return o.f; }
    template <class V>
    static detail::fragment term(const expr<V>& e) {
        return asc(e).f;
    }
    std::vector<detail::fragment> partition_, order_;
};
template <class... V>
window partition_by(const expr<V>&... e) {
    return window().partition_by(e...);
}

// A window function whose value reads as V: only over() turns it into an expression.
template <class V>
struct window_function {
    detail::fragment f;
};
inline window_function<std::int64_t> row_number() {
    return {detail::fragment("row_number()")};
}
inline window_function<std::int64_t> rank() {
    return {detail::fragment("rank()")};
}
inline window_function<std::int64_t> dense_rank() {
    return {detail::fragment("dense_rank()")};
}
namespace detail {
template <class V>
window_function<std::optional<value_base<V>>> shifted(std::string_view name, const expr<V>& e,
                                                      std::int32_t offset) {
    fragment f(name);
    f.sql("(").append(e.f).sql(", ").bind(make_param(offset)).sql(")");
    return {f};
}
}  // namespace detail
// The value `offset` rows before (lag) or after (lead) in the window's order; NULL past its edge.
template <class V>
window_function<std::optional<detail::value_base<V>>> lag(const expr<V>& e,
                                                          std::int32_t offset = 1) {
    return detail::shifted("lag", e, offset);
}
template <class V>
window_function<std::optional<detail::value_base<V>>> lead(const expr<V>& e,
                                                           std::int32_t offset = 1) {
    return detail::shifted("lead", e, offset);
}

// function OVER (window): a window function, or an aggregate (count, sum, avg, min, max) over
// the window's rows instead of a group's.
template <class V>
expr<V> over(const window_function<V>& fn, const window& w) {
    return {detail::fragment().append(fn.f).append(w.render())};
}
template <class V>
expr<V> over(const expr<V>& aggregate, const window& w) {
    return {detail::fragment().append(aggregate.f).append(w.render())};
}

}  // namespace ender
