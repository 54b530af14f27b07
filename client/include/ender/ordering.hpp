// Sorting by column names that come from user input ("-age,name"), checked against a whitelist
// of columns (never spliced into SQL), and the comparisons paging and filters need: row values
// (a, b) > ($1, $2), BETWEEN, and = ANY($1) / > ALL($1) with one array parameter.
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/expression.hpp"
#include "ender/model.hpp"

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace ender {

// Where NULLs sort: the server's default (last ascending, first descending), first or last.
enum class nulls { unspecified, first, last };

// One key of a sort: a column name as the caller gave it, its direction and NULLs placement.
struct sort_key {
    std::string name;
    bool descending = false;
    nulls placement = nulls::unspecified;
};

// Parses a sort as web APIs spell it: keys separated by commas, "-" before a name sorts it
// descending ("+" or nothing ascending), and " nulls first" / " nulls last" after it places
// NULLs: "-age nulls last,name". Throws ender::usage_error 22023 on an empty or malformed key.
std::vector<sort_key> parse_sort(std::string_view spec);

namespace detail {
// Throws ender::usage_error 42703: `name` is not one of `allowed`.
[[noreturn]] void unknown_sort_column(std::string_view name,
                                      const std::vector<std::string>& allowed);
// The ORDER BY text of one key over the column's SQL.
std::string order_sql(const std::string& column_sql, const sort_key& key);
// "schema-qualifier"."column" of the model's column i, as col() renders it.
std::string column_sql(const table_info& t, std::size_t i);
}  // namespace detail

// The columns a caller may sort by: names (what users send) with the expression each sorts by.
// sortable::of<hero>() allows every column of the model; of<hero>({"name", "age"}) some of them;
// add("team", col(&team::name)) any expression under a name of your choosing (a read shape's
// or a projection's columns).
class sortable {
public:
    sortable() = default;
    template <class V>
    sortable& add(std::string name, const expr<V>& e) {
        columns_.emplace_back(std::move(name), e.f);
        return *this;
    }
    template <class T>
    static sortable of() {
        const auto& m = model_of<T>();
        sortable s;
        for (std::size_t i = 0; i < m.info.columns.size(); ++i)
            s.columns_.emplace_back(m.info.columns[i].name,
                                    detail::fragment(detail::column_sql(m.info, i)));
        return s;
    }
    template <class T>
    static sortable of(std::initializer_list<std::string_view> names) {
        const auto all = of<T>();
        sortable s;
        for (auto n : names) s.columns_.emplace_back(std::string(n), all.expression(n));
        return s;
    }

    // ORDER BY the keys, each checked against the whitelist (ender::usage_error 42703 naming
    // the unknown key and the allowed ones).
    order_term order(std::span<const sort_key> keys) const;
    order_term order(std::string_view spec) const { return order(parse_sort(spec)); }
    // The expression sorted under `name` (ender::usage_error 42703 when there is none).
    const detail::fragment& expression(std::string_view name) const;
    std::vector<std::string> names() const;

private:
    std::vector<std::pair<std::string, detail::fragment>> columns_;
};

// ORDER BY a sort given as text ("-age,name"), over the columns of model T.
template <class T>
order_term sort_by(std::string_view spec) {
    return sortable::of<T>().order(spec);
}

// ---------------------------------------------------------------------------------------------
// Row values: row(col(&hero::age), col(&hero::id)) > std::tuple(30, 7) renders
// ((age, id) > ($1, $2)); each value must be comparable with its column.

template <class... V>
struct row_expr {
    detail::fragment f;
};
template <class... V>
requires(sizeof...(V) >= 2) row_expr<V...> row(const expr<V>&... e) {
    detail::fragment f("(");
    bool first = true;
    ((f.sql(first ? "" : ", ").append(e.f), first = false), ...);
    f.sql(")");
    return {f};
}

namespace detail {
template <class... V, class... B, std::size_t... I>
fragment row_values(const std::tuple<B...>& values, std::index_sequence<I...>) {
    fragment f("(");
    ((f.sql(I ? ", " : "").append(operand(std::get<I>(values)))), ...);
    f.sql(")");
    return f;
}
template <class... V>
struct row_comparable {
    template <class... B>
    static constexpr bool with = sizeof...(V) == sizeof...(B) &&
                                 (comparable<value_base<V>, operand_t<B>> && ...);
};
}  // namespace detail

#define ENDER_ROW_COMPARISON(OP, SQL)                                                             \
    template <class... V, class... B>                                                             \
    requires detail::row_comparable<V...>::template with<B...> expr<bool> operator OP(            \
        const row_expr<V...>& l, const std::tuple<B...>& r) {                                     \
        return {detail::binary_op(l.f, SQL,                                                       \
                                  detail::row_values<V...>(r, std::index_sequence_for<B...>{}))}; \
    }
ENDER_ROW_COMPARISON(==, "=")
ENDER_ROW_COMPARISON(!=, "<>")
ENDER_ROW_COMPARISON(<, "<")
ENDER_ROW_COMPARISON(<=, "<=")
ENDER_ROW_COMPARISON(>, ">")
ENDER_ROW_COMPARISON(>=, ">=")
#undef ENDER_ROW_COMPARISON

// e BETWEEN lo AND hi (both ends included).
template <class V, class L, class H>
requires(detail::comparable<detail::value_base<V>, detail::operand_t<L>>&&
             detail::comparable<detail::value_base<V>, detail::operand_t<H>>)
    expr<bool> between(const expr<V>& e, const L& lo, const H& hi) {
    detail::fragment f("(");
    f.append(e.f).sql(" BETWEEN ").append(detail::operand(lo)).sql(" AND ");
    f.append(detail::operand(hi)).sql(")");
    return {f};
}

// ---------------------------------------------------------------------------------------------
// Quantified comparisons with one array parameter: col(&hero::age) > ender::all(ages) renders
// (age > ALL($1)), col(&hero::name) == ender::any(names) (name = ANY($1)).

template <class B>
struct quantified {
    const char* word;
    detail::param array;
};
template <class B>
quantified<B> any(const std::vector<B>& values) {
    return {"ANY", detail::make_param(values)};
}
template <class B>
quantified<B> all(const std::vector<B>& values) {
    return {"ALL", detail::make_param(values)};
}

#define ENDER_QUANTIFIED(OP, SQL)                                                        \
    template <class A, class B>                                                          \
    requires detail::comparable<detail::value_base<A>, detail::value_base<B>> expr<bool> \
    operator OP(const expr<A>& l, const quantified<B>& r) {                              \
        detail::fragment f;                                                              \
        f.sql(r.word).sql("(").bind(r.array).sql(")");                                   \
        return {detail::binary_op(l.f, SQL, f)};                                         \
    }
ENDER_QUANTIFIED(==, "=")
ENDER_QUANTIFIED(!=, "<>")
ENDER_QUANTIFIED(<, "<")
ENDER_QUANTIFIED(<=, "<=")
ENDER_QUANTIFIED(>, ">")
ENDER_QUANTIFIED(>=, ">=")
#undef ENDER_QUANTIFIED

}  // namespace ender
