// Typed SQL expressions over member pointers: col(), comparisons, &&, ||, !, in, like, is_null,
// aggregates and ORDER BY terms; comparing a column with a value of another type does not compile.
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/model.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ender {

// An SQL expression whose value reads as the C++ type V (bool for conditions).
template <class V>
struct expr {
    using value_type = V;
    detail::fragment f;
};

namespace detail {
template <class T>
struct is_expr : std::false_type {};
template <class V>
struct is_expr<expr<V>> : std::true_type {};

template <class T>
struct is_time_point : std::false_type {};
template <class C, class D>
struct is_time_point<std::chrono::time_point<C, D>> : std::true_type {};

template <class T>
using value_base = strip_optional_t<std::decay_t<T>>;

// Whether a column or expression of type A can be compared with a value of type B.
template <class A, class B>
concept comparable =
    std::is_same_v<A, B> ||(std::is_arithmetic_v<A>&& std::is_arithmetic_v<B> &&
                            !std::is_same_v<A, bool> && !std::is_same_v<B, bool>) ||
    (std::is_same_v<A, std::string> && std::is_convertible_v<B, std::string_view>) ||
    (std::is_same_v<A, decimal> && std::is_arithmetic_v<B> && !std::is_same_v<B, bool>) ||
    (is_time_point<A>::value && is_time_point<B>::value);

// The operand's SQL: an expression's own, or a bound parameter for a value.
template <class B>
fragment operand(const B& b) {
    if constexpr (is_expr<B>::value)
        return b.f;
    else
        return fragment().bind(to_param(b));
}
template <class B>
struct operand_type {
    using type = value_base<B>;
};
template <class V>
struct operand_type<expr<V>> {
    using type = value_base<V>;
};
template <>
struct operand_type<const char*> {
    using type = const char*;
};
template <class B>
using operand_t = typename operand_type<std::decay_t<B>>::type;

inline fragment binary_op(const fragment& l, std::string_view op, const fragment& r) {
    fragment f("(");
    f.append(l).sql(" ").sql(op).sql(" ").append(r).sql(")");
    return f;
}
}  // namespace detail

// col(&hero::age): the column mapping a member, usable in expressions. col<hero>(&mixin::m)
// names a column of an embedded mixin.
// col<manager>(&employee::name) names an inherited column of a subtype (inheritance.hpp).
namespace detail {
template <class T, class C, class M>
expr<M> column_expr(M C::*member) {
    const auto& m = model_of<T>();
    auto i = m.column_index(member);
    return expr<M>{
        fragment(quote_ident(m.info.qualifier(i)) + "." + quote_ident(m.info.columns[i].name))};
}
}  // namespace detail
template <class T, class M>
requires mapped_model<T> expr<M> col(M T::*member) {
    return detail::column_expr<T>(member);
}
template <class Model, class Mixin, class M>
requires(mapped_model<Model> && !std::is_same_v<Model, Mixin>) expr<M> col(M Mixin::*member) {
    return detail::column_expr<Model>(member);
}

#define ENDER_COMPARISON(OP, SQL)                                                       \
    template <class A, class B>                                                         \
    requires detail::comparable<detail::value_base<A>, detail::operand_t<B>> expr<bool> \
    operator OP(const expr<A>& l, const B& r) {                                         \
        return {detail::binary_op(l.f, SQL, detail::operand(r))};                       \
    }
ENDER_COMPARISON(==, "=")
ENDER_COMPARISON(!=, "<>")
ENDER_COMPARISON(<, "<")
ENDER_COMPARISON(<=, "<=")
ENDER_COMPARISON(>, ">")
ENDER_COMPARISON(>=, ">=")
#undef ENDER_COMPARISON

inline expr<bool> operator&&(const expr<bool>& l, const expr<bool>& r) {
    return {detail::binary_op(l.f, "AND", r.f)};
}
inline expr<bool> operator||(const expr<bool>& l, const expr<bool>& r) {
    return {detail::binary_op(l.f, "OR", r.f)};
}
inline expr<bool> operator!(const expr<bool>& e) {
    detail::fragment f("(NOT ");
    f.append(e.f).sql(")");
    return {f};
}

// e IS NULL / IS NOT NULL.
template <class V>
expr<bool> is_null(const expr<V>& e) {
    detail::fragment f("(");
    f.append(e.f).sql(" IS NULL)");
    return {f};
}
template <class V>
expr<bool> is_not_null(const expr<V>& e) {
    detail::fragment f("(");
    f.append(e.f).sql(" IS NOT NULL)");
    return {f};
}

// e = ANY($1): one array parameter, however many values.
template <class V, class B>
requires detail::comparable<detail::value_base<V>, detail::value_base<B>> expr<bool> in(
    const expr<V>& e, const std::vector<B>& values) {
    detail::fragment f("(");
    f.append(e.f).sql(" = ANY(").bind(detail::make_param(values)).sql("))");
    return {f};
}
template <class V, class B>
expr<bool> in(const expr<V>& e, std::initializer_list<B> values) {
    return in(e, std::vector<B>(values));
}

namespace detail {
template <class V>
expr<bool> pattern(const expr<V>& e, std::string_view op, std::string_view pattern) {
    static_assert(std::is_same_v<value_base<V>, std::string>,
                  "ender: like/ilike apply to text columns only");
    fragment f("(");
    f.append(e.f).sql(" ").sql(op).sql(" ").bind(to_param(pattern)).sql(")");
    return {f};
}
}  // namespace detail
template <class V>
expr<bool> like(const expr<V>& e, std::string_view pattern) {
    return detail::pattern(e, "LIKE", pattern);
}
template <class V>
expr<bool> ilike(const expr<V>& e, std::string_view pattern) {
    return detail::pattern(e, "ILIKE", pattern);
}

// Aggregates, typed as PostgreSQL types their results.
inline expr<std::int64_t> count() {
    return {detail::fragment("count(*)")};
}
template <class V>
expr<std::int64_t> count(const expr<V>& e) {
    detail::fragment f("count(");
    f.append(e.f).sql(")");
    return {f};
}
namespace detail {
template <class R, class V>
expr<R> aggregate(std::string_view name, const expr<V>& e) {
    fragment f(name);
    f.sql("(").append(e.f).sql(")");
    return {f};
}
template <class B>
using sum_t = std::conditional_t<std::is_same_v<B, std::int16_t> || std::is_same_v<B, std::int32_t>,
                                 std::int64_t,
                                 std::conditional_t<std::is_same_v<B, std::int64_t>, decimal, B>>;
template <class B>
using avg_t = std::conditional_t<std::is_integral_v<B>, decimal, B>;
}  // namespace detail
template <class V>
expr<std::optional<detail::sum_t<detail::value_base<V>>>> sum(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::sum_t<detail::value_base<V>>>>("sum", e);
}
template <class V>
expr<std::optional<detail::avg_t<detail::value_base<V>>>> avg(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::avg_t<detail::value_base<V>>>>("avg", e);
}
template <class V>
expr<std::optional<detail::value_base<V>>> min(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::value_base<V>>>("min", e);
}
template <class V>
expr<std::optional<detail::value_base<V>>> max(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::value_base<V>>>("max", e);
}

// ORDER BY terms.
struct order_term {
    detail::fragment f;
};
template <class V>
order_term asc(const expr<V>& e) {
    return {detail::fragment().append(e.f).sql(" ASC")};
}
template <class V>
order_term desc(const expr<V>& e) {
    return {detail::fragment().append(e.f).sql(" DESC")};
}
template <class T, class M>
order_term asc(M T::*member) {
    return asc(col(member));
}
template <class T, class M>
order_term desc(M T::*member) {
    return desc(col(member));
}

}  // namespace ender
