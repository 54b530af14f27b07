// The field options SQLModel (pydantic) users rely on, as column options: max_length (the column
// becomes varchar(n)), min_length and ge/gt/le/lt (CHECK constraints named
// <table>_<column>_<option>), normalisers (strip_whitespace, to_lower, normalize(f)) and
// cross-field validators (validate_fields). Each check also runs in the client before insert and
// update, so a refused value throws ender::validation_error naming the table and the column
// before anything is sent; the CHECK constraints hold for every other writer.
#pragma once

#include "ender/column_options.hpp"
#include "ender/model.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <concepts>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ender {

namespace detail {
// The characters of UTF-8 text (as char_length counts them).
inline std::size_t characters(const std::string& s) {
    return std::size_t(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
// <table>_<column>_<what>, cut to PostgreSQL's 63 bytes as the server would cut it.
inline std::string option_check_name(const table_info& t, const std::string& column,
                                     const char* what) {
    auto name = t.name + "_" + column + "_" + what;
    if (name.size() > 63) name.resize(63);
    return name;
}
// The value of a member, or nullptr for an empty std::optional (no check: NULL passes).
template <class V>
const auto* value_of(const V& v) {
    if constexpr (is_optional_v<V>)
        return v ? &*v : nullptr;
    else
        return &v;
}
template <class N>
std::string literal(N n) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    return std::string(buf, end);
}
}  // namespace detail

// max_length(40): the column is character varying(40), and a longer value is refused.
struct max_length_option : detail::column_option {
    std::size_t n;
    void apply(detail::column_info& c, detail::table_info&, const std::string&) const {
        c.type = "character varying(" + std::to_string(n) + ")";
    }
    template <class V>
    std::optional<std::string> check_value(const V& v) const {
        static_assert(std::is_same_v<strip_optional_t<V>, std::string>,
                      "ender::max_length: the member must be a std::string");
        const auto* s = detail::value_of(v);
        if (!s || detail::characters(*s) <= n) return std::nullopt;
        return "The value has " + std::to_string(detail::characters(*s)) + " characters; at most " +
               std::to_string(n) + " are allowed.";
    }
};
inline max_length_option max_length(std::size_t n) {
    max_length_option o;
    o.n = n;
    return o;
}

// min_length(3): CHECK (char_length(column) >= 3) named <table>_<column>_min_length, and a
// shorter value is refused.
struct min_length_option : detail::column_option {
    std::size_t n;
    void apply(detail::column_info& c, detail::table_info& t, const std::string& column) const {
        // As the catalog prints it, for text and for character varying columns.
        auto arg = detail::quote_ident(column);
        if (c.type.starts_with("character varying")) arg = "(" + arg + ")::text";
        t.checks.push_back({detail::option_check_name(t, column, "min_length"),
                            "char_length(" + arg + ") >= " + std::to_string(n), column,
                            std::nullopt});
    }
    template <class V>
    std::optional<std::string> check_value(const V& v) const {
        static_assert(std::is_same_v<strip_optional_t<V>, std::string>,
                      "ender::min_length: the member must be a std::string");
        const auto* s = detail::value_of(v);
        if (!s || detail::characters(*s) >= n) return std::nullopt;
        return "The value has " + std::to_string(detail::characters(*s)) +
               " characters; at least " + std::to_string(n) + " are needed.";
    }
};
inline min_length_option min_length(std::size_t n) {
    min_length_option o;
    o.n = n;
    return o;
}

// ge(0), gt(0), le(100), lt(100): CHECK (column >= 0) named <table>_<column>_ge (_gt, _le, _lt),
// and a value outside is refused.
template <class N>
struct bound_option : detail::column_option {
    N bound;
    const char* op;    // >=, >, <=, <
    const char* name;  // ge, gt, le, lt
    void apply(detail::column_info&, detail::table_info& t, const std::string& column) const {
        t.checks.push_back({detail::option_check_name(t, column, name),
                            detail::quote_ident(column) + " " + op + " " + detail::literal(bound),
                            column, std::nullopt});
    }
    template <class V>
    std::optional<std::string> check_value(const V& v) const {
        static_assert(
            std::is_arithmetic_v<strip_optional_t<V>> && !std::is_same_v<strip_optional_t<V>, bool>,
            "ender::ge/gt/le/lt: the member must be a number");
        const auto* x = detail::value_of(v);
        if (!x) return std::nullopt;
        std::string o = op;
        bool ok = o == ">="   ? *x >= bound
                  : o == ">"  ? *x > bound
                  : o == "<=" ? *x <= bound
                              : *x < bound;
        if (ok) return std::nullopt;
        return "The value " + detail::literal(*x) + " is not " + o + " " + detail::literal(bound) +
               ".";
    }
};
template <class N>
requires std::is_arithmetic_v<N> bound_option<N> ge(N n) {
    return {{}, n, ">=", "ge"};
}
template <class N>
requires std::is_arithmetic_v<N> bound_option<N> gt(N n) {
    return {{}, n, ">", "gt"};
}
template <class N>
requires std::is_arithmetic_v<N> bound_option<N> le(N n) {
    return {{}, n, "<=", "le"};
}
template <class N>
requires std::is_arithmetic_v<N> bound_option<N> lt(N n) {
    return {{}, n, "<", "lt"};
}

// normalize(f): f(value&) runs on the member before insert and update (and before the
// validators), e.g. to trim or lowercase an email; on an empty std::optional it does not run.
template <class F>
struct normalize_option : detail::column_option {
    F f;
    void apply(detail::column_info&, detail::table_info&, const std::string&) const {}
    template <class V>
    void normalize_value(V& v) const {
        if constexpr (std::is_invocable_v<const F&, V&>) {
            f(v);
        } else {
            static_assert(is_optional_v<V> && std::is_invocable_v<const F&, strip_optional_t<V>&>,
                          "ender::normalize: the function must take the member's type by "
                          "reference");
            if (v) f(*v);
        }
    }
};
template <class F>
normalize_option<F> normalize(F f) {
    return {{}, std::move(f)};
}
// Leading and trailing whitespace removed (pydantic's str_strip_whitespace).
inline auto strip_whitespace() {
    return normalize([](std::string& s) {
        auto space = [](unsigned char c) { return std::isspace(c) != 0; };
        s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
        s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
    });
}
// ASCII letters lowercased (pydantic's str_to_lower).
inline auto to_lower() {
    return normalize([](std::string& s) {
        for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    });
}

// validate_fields(predicate, "reason", &booking::starts, &booking::ends): a cross-field
// validator; predicate(const T&) false throws ender::validation_error naming the table and the
// columns. An update of a patch runs it only when the patch sets all of them.
template <class T, class F, class... M>
struct fields_validator : detail::table_option {
    F predicate;
    std::string reason;
    std::tuple<M T::*...> members;
    template <class Table>
    void apply_table(Table& t) const {
        std::vector<std::string> names;
        std::apply([&](auto... m) { (names.push_back(t.column_name(m)), ...); }, members);
        t.validators.push_back(
            {names.front(),
             [p = predicate, r = reason, names, table = t.info.name](const T& obj) {
                 if (!p(obj)) throw validation_error(table, names, r);
             },
             std::vector<std::string>(names.begin() + 1, names.end())});
    }
};
template <class F, class T, class M1, class M2, class... M>
requires std::predicate<F, const T&> fields_validator<T, F, M1, M2, M...> validate_fields(
    F predicate, std::string reason, M1 T::*a, M2 T::*b, M T::*... rest) {
    return {{}, std::move(predicate), std::move(reason), {a, b, rest...}};
}

}  // namespace ender
