// Arithmetic on expressions (e + v, e - v over numbers) and bound values as expressions
// (value(0)): a recursive CTE's depth, a constant column of a read shape.
#pragma once

#include "ender/expression.hpp"

#include <type_traits>

namespace ender {

// e + v, e - v over numbers (e.g. a recursive CTE's depth + 1); the result has e's type.
#define ENDER_ARITHMETIC(OP)                                      \
    template <class A, class B>                                   \
    requires(std::is_arithmetic_v<detail::value_base<A>> &&       \
             !std::is_same_v<detail::value_base<A>, bool> &&      \
             std::is_arithmetic_v<detail::operand_t<B>> &&        \
             !std::is_same_v<detail::operand_t<B>, bool>) expr<A> \
    operator OP(const expr<A>& l, const B& r) {                   \
        return {detail::binary_op(l.f, #OP, detail::operand(r))}; \
    }
ENDER_ARITHMETIC(+)
ENDER_ARITHMETIC(-)
#undef ENDER_ARITHMETIC

// A bound value as an expression (a constant column of a read shape or a CTE): value(0).
template <class V>
requires mapped_type<V> expr<V> value(const V& v) {
    return {detail::fragment().bind(detail::make_param(v))};
}

}  // namespace ender
