// How C++ types map to PostgreSQL types: one ender::type_traits<T> per type, used to bind
// parameters, read results (binary format) and write DDL. Add your own type by specializing
// ender::type_traits (see docs/client.md, "Custom types").
#pragma once

#include "ender/detail/wire.hpp"
#include "ender/error.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ender {

using oid = std::uint32_t;

// A type tag for the customization points found by argument-dependent lookup
// (ender_model, ender_enum): `auto ender_enum(ender::tag<power>)`.
template <class T>
struct tag {};

// The mapping of a C++ type. Not defined for unmapped types: using one is a compile error.
// A specialization provides
//   static std::string sql_name()         the type as PostgreSQL's format_type() spells it
//   static constexpr oid type_oid         the parameter type (0: let the server infer it)
// a parameter encoder, either
//   static void encode(const T&, std::string& out)      binary (type_oid must be set), or
//   static void to_text(const T&, std::string& out)     text
// and a result decoder (results always arrive in binary format), either
//   static T decode(std::string_view bytes, oid column) binary, or
//   static T from_text(std::string_view text)          for types whose binary form is their
//                                                       text (enums), or that the typed builder
//                                                       selects as ::text (select_as_text = true)
// and optionally, for reading many rows, the decoder split in two:
//   static void check_column(oid column)               throws unless the column's type fits T
//   static T read(std::string_view bytes, oid column)  a value of a column checked once before
template <class T, class Enable = void>
struct type_traits;

namespace detail {
template <class T>
concept has_encode = requires(const T& v, std::string& out) {
    type_traits<T>::encode(v, out);
};
template <class T>
concept has_to_text = requires(const T& v, std::string& out) {
    type_traits<T>::to_text(v, out);
};
template <class T>
concept has_decode = requires(std::string_view in) {
    { type_traits<T>::decode(in, oid{}) } -> std::same_as<T>;
};
template <class T>
concept has_from_text = requires(std::string_view in) {
    { type_traits<T>::from_text(in) } -> std::same_as<T>;
};
template <class T>
concept has_checked_read = requires(std::string_view in, oid column) {
    type_traits<T>::check_column(column);
    { type_traits<T>::read(in, column) } -> std::same_as<T>;
};
template <class T>
concept complete_traits = requires {
    { type_traits<T>::sql_name() } -> std::convertible_to<std::string>;
    { type_traits<T>::type_oid } -> std::convertible_to<oid>;
}
&&(has_encode<T> || has_to_text<T>)&&(has_decode<T> || has_from_text<T>);
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct strip_optional {
    using type = T;
};
template <class T>
struct strip_optional<std::optional<T>> {
    using type = T;
};
}  // namespace detail

// A C++ type libender can bind and read: it has a type_traits specialization (or is an
// std::optional of one, which maps to the same type and NULL).
template <class T>
concept mapped_type = detail::complete_traits<typename detail::strip_optional<T>::type>;

template <class T>
inline constexpr bool is_optional_v = detail::is_optional<T>::value;
template <class T>
using strip_optional_t = typename detail::strip_optional<T>::type;

// ---------------------------------------------------------------------------------------------
// Value types for PostgreSQL types the standard library has no type for.

// uuid: sixteen bytes, printed in the canonical 8-4-4-4-12 form.
struct uuid {
    std::array<std::uint8_t, 16> bytes{};

    // Parses "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" (hyphens optional, any case, braces
    // allowed); throws ender::data_error (22P02) otherwise.
    static uuid parse(std::string_view text);
    std::string str() const;
    friend auto operator<=>(const uuid&, const uuid&) = default;
};

// numeric: an exact decimal number kept as its canonical text ("-12.50", "NaN", "Infinity"),
// so no digit is ever lost to floating point.
class decimal {
public:
    decimal() : text_("0") {}
    // Throws ender::data_error (22P02) unless `text` is a decimal number.
    explicit decimal(std::string_view text);
    template <std::integral I>
    explicit decimal(I value) : text_(std::to_string(value)) {}
    const std::string& str() const noexcept { return text_; }
    friend bool operator==(const decimal&, const decimal&) = default;

private:
    template <class T, class Enable>
    friend struct type_traits;
    struct canonical {};
    // Text that is a decimal number already (the server's, printed by numeric_to_text).
    decimal(std::string text, canonical) : text_(std::move(text)) {}
    std::string text_;
};

// interval: PostgreSQL keeps months, days and microseconds apart (a month is not 30 days).
// std::chrono durations map to interval too, when the value has no months.
struct interval {
    std::int32_t months = 0;
    std::int32_t days = 0;
    std::chrono::microseconds time{0};
    friend bool operator==(const interval&, const interval&) = default;
};

// A PostgreSQL enum <-> a C++ enum: declared once, next to the enum, found by ADL:
//   inline auto ender_enum(ender::tag<power>) {
//       return ender::enum_mapping<power>("power", {{power::fire, "fire"}, {power::ice, "ice"}});
//   }
// Labels are created in the order given. `schema` defaults to public.
template <class E>
struct enum_mapping {
    std::string name;
    std::vector<std::pair<E, std::string>> labels;
    std::string schema = "public";

    enum_mapping(std::string type_name, std::vector<std::pair<E, std::string>> values,
                 std::string in_schema = "public")
        : name(std::move(type_name)), labels(std::move(values)), schema(std::move(in_schema)) {}
};

template <class E>
concept mapped_enum = std::is_enum_v<E> && requires {
    ender_enum(tag<E>{});
};

namespace detail {
// The format_type spelling of a qualified name: schema.name, each part quoted when needed.
std::string qualified_name(std::string_view schema, std::string_view name);
// An identifier as PostgreSQL's quote_ident() would write it (engine::quote_ident_as_needed;
// the rules are in extension/src/engine/quote.hpp).
std::string quote_ident(std::string_view name);
// A string constant as PostgreSQL's quote_literal() would write it ('it''s', E'a\\b'; the
// rules are in extension/src/engine/quote.hpp).
std::string quote_literal(std::string_view text);
[[noreturn]] void conversion_failed(std::string_view sql_type, std::string_view detail);
[[noreturn]] void wrong_column_type(oid column, std::string_view cpp_type);
[[noreturn]] void out_of_range(std::string_view cpp_type, std::string_view value);
std::string numeric_to_text(std::string_view binary);
std::int64_t to_pg_micros(std::int64_t unix_micros);
inline constexpr std::int64_t pg_epoch_days = 10957;  // 2000-01-01 - 1970-01-01
// 2000-01-01 00:00:00 UTC in microseconds since the Unix epoch.
inline constexpr std::int64_t pg_epoch_micros = pg_epoch_days * 86400LL * 1000000LL;
inline std::int64_t from_pg_micros(std::int64_t pg_micros) {
    if (pg_micros > std::numeric_limits<std::int64_t>::max() - pg_epoch_micros)
        out_of_range("timestamp", std::to_string(pg_micros) + " microseconds");
    return pg_micros + pg_epoch_micros;
}
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Built-in mappings.

template <>
struct type_traits<bool> {
    static std::string sql_name() { return "boolean"; }
    static constexpr oid type_oid = 16;
    static constexpr oid array_oid = 1000;
    static void encode(bool v, std::string& out) { out.push_back(v ? 1 : 0); }
    static bool decode(std::string_view b, oid column) {
        if (column != type_oid) detail::wrong_column_type(column, "bool");
        if (b.size() != 1) detail::malformed_field("boolean");
        return b[0] != 0;
    }
};

namespace detail {
// Integers of every width read any integer column, checked against the target's range.
template <class I, oid Oid, oid ArrayOid>
struct integer_traits {
    static constexpr oid type_oid = Oid;
    static constexpr oid array_oid = ArrayOid;
    static void encode(I v, std::string& out) { put_int(out, v); }
    static void check_column(oid column) {
        if (column != 21 && column != 23 && column != 20)
            wrong_column_type(column, "an integer type");
    }
    static I read(std::string_view b, oid column) {
        std::int64_t v = 0;
        if (column == 23 && b.size() == 4)
            v = get_int<std::int32_t>(b.data());
        else if (column == 20 && b.size() == 8)
            v = get_int<std::int64_t>(b.data());
        else if (column == 21 && b.size() == 2)
            v = get_int<std::int16_t>(b.data());
        else
            malformed_field("integer");
        if (v < std::numeric_limits<I>::min() || v > std::numeric_limits<I>::max())
            out_of_range(type_traits<I>::sql_name(), std::to_string(v));
        return static_cast<I>(v);
    }
    static I decode(std::string_view b, oid column) {
        check_column(column);
        return read(b, column);
    }
};
template <class F, oid Oid, oid ArrayOid>
struct float_traits {
    static constexpr oid type_oid = Oid;
    static constexpr oid array_oid = ArrayOid;
    static void encode(F v, std::string& out) {
        using U = std::conditional_t<sizeof(F) == 4, std::uint32_t, std::uint64_t>;
        put_int(out, std::bit_cast<U>(v));
    }
    static F decode(std::string_view b, oid column) {
        if (column == 700 && b.size() == 4)
            return static_cast<F>(std::bit_cast<float>(get_int<std::uint32_t>(b.data())));
        if (column == 701 && b.size() == 8) {
            double d = std::bit_cast<double>(get_int<std::uint64_t>(b.data()));
            if constexpr (sizeof(F) == 4) {
                if (std::isfinite(d) && (d > std::numeric_limits<float>::max() ||
                                         d < std::numeric_limits<float>::lowest()))
                    out_of_range("real", std::to_string(d));
            }
            return static_cast<F>(d);
        }
        wrong_column_type(column, "a floating-point type");
    }
};
bool is_text_like(oid column);
}  // namespace detail

template <>
struct type_traits<std::int16_t> : detail::integer_traits<std::int16_t, 21, 1005> {
    static std::string sql_name() { return "smallint"; }
};
template <>
struct type_traits<std::int32_t> : detail::integer_traits<std::int32_t, 23, 1007> {
    static std::string sql_name() { return "integer"; }
};
template <>
struct type_traits<std::int64_t> : detail::integer_traits<std::int64_t, 20, 1016> {
    static std::string sql_name() { return "bigint"; }
};
template <>
struct type_traits<float> : detail::float_traits<float, 700, 1021> {
    static std::string sql_name() { return "real"; }
};
template <>
struct type_traits<double> : detail::float_traits<double, 701, 1022> {
    static std::string sql_name() { return "double precision"; }
};

// text (also reads varchar, char(n), name, enum labels and anything selected as ::text).
template <>
struct type_traits<std::string> {
    static std::string sql_name() { return "text"; }
    static constexpr oid type_oid = 25;
    static constexpr oid array_oid = 1009;
    static void encode(const std::string& v, std::string& out) { out += v; }
    static void check_column(oid column) {
        if (!detail::is_text_like(column)) detail::wrong_column_type(column, "std::string");
    }
    static std::string read(std::string_view b, oid) { return std::string(b); }
    static std::string decode(std::string_view b, oid column) {
        check_column(column);
        return read(b, column);
    }
};

template <>
struct type_traits<std::vector<std::byte>> {
    static std::string sql_name() { return "bytea"; }
    static constexpr oid type_oid = 17;
    static constexpr oid array_oid = 1001;
    static void encode(const std::vector<std::byte>& v, std::string& out) {
        out.append(reinterpret_cast<const char*>(v.data()), v.size());
    }
    static std::vector<std::byte> decode(std::string_view b, oid column) {
        if (column != type_oid) detail::wrong_column_type(column, "std::vector<std::byte>");
        const auto* p = reinterpret_cast<const std::byte*>(b.data());
        return std::vector<std::byte>(p, p + b.size());
    }
};

template <>
struct type_traits<uuid> {
    static std::string sql_name() { return "uuid"; }
    static constexpr oid type_oid = 2950;
    static constexpr oid array_oid = 2951;
    static void encode(const uuid& v, std::string& out) {
        out.append(reinterpret_cast<const char*>(v.bytes.data()), v.bytes.size());
    }
    static uuid decode(std::string_view b, oid column) {
        if (column != type_oid) detail::wrong_column_type(column, "ender::uuid");
        if (b.size() != 16) detail::malformed_field("uuid");
        uuid u;
        std::memcpy(u.bytes.data(), b.data(), 16);
        return u;
    }
};

// numeric travels as text both ways (exact); results arrive binary and are printed exactly.
template <>
struct type_traits<decimal> {
    static std::string sql_name() { return "numeric"; }
    static constexpr oid type_oid = 1700;
    static constexpr oid array_oid = 1231;
    static void to_text(const decimal& v, std::string& out) { out += v.str(); }
    static void check_column(oid column) {
        if (column != type_oid) detail::wrong_column_type(column, "ender::decimal");
    }
    static decimal read(std::string_view b, oid) {
        return decimal(detail::numeric_to_text(b), decimal::canonical{});
    }
    static decimal decode(std::string_view b, oid column) {
        check_column(column);
        return read(b, column);
    }
};

// jsonb (reads json too).
template <>
struct type_traits<nlohmann::json> {
    static std::string sql_name() { return "jsonb"; }
    static constexpr oid type_oid = 3802;
    static constexpr oid array_oid = 3807;
    static void encode(const nlohmann::json& v, std::string& out) {
        out.push_back(1);  // jsonb binary format version
        out += v.dump();
    }
    static nlohmann::json decode(std::string_view b, oid column);
};

// timestamptz <-> std::chrono::sys_time<D> (any precision; read values are floored to D).
// PostgreSQL's infinity and -infinity are time_point::max() and ::min().
template <class D>
struct type_traits<std::chrono::sys_time<D>,
                   std::enable_if_t<!std::is_same_v<D, std::chrono::days>>> {
    using T = std::chrono::sys_time<D>;
    static std::string sql_name() { return "timestamp with time zone"; }
    static constexpr oid type_oid = 1184;
    static constexpr oid array_oid = 1185;
    static void encode(const T& v, std::string& out) { put(v.time_since_epoch(), out); }
    static void check_column(oid column) {
        if (column != 1184 && column != 1114) detail::wrong_column_type(column, "sys_time");
    }
    static T read(std::string_view b, oid) { return T(take(b)); }
    static T decode(std::string_view b, oid column) {
        check_column(column);
        return T(take(b));
    }
    // Shared with local_time (timestamp without time zone).
    static void put(D since_epoch, std::string& out) {
        std::int64_t pg;
        if (since_epoch == D::max())
            pg = std::numeric_limits<std::int64_t>::max();
        else if (since_epoch == D::min())
            pg = std::numeric_limits<std::int64_t>::min();
        else
            pg = detail::to_pg_micros(
                std::chrono::floor<std::chrono::microseconds>(since_epoch).count());
        detail::put_int(out, pg);
    }
    static D take(std::string_view b) {
        if (b.size() != 8) detail::malformed_field("timestamp");
        auto pg = detail::get_int<std::int64_t>(b.data());
        if (pg == std::numeric_limits<std::int64_t>::max()) return D::max();
        if (pg == std::numeric_limits<std::int64_t>::min()) return D::min();
        return std::chrono::floor<D>(std::chrono::microseconds(detail::from_pg_micros(pg)));
    }
};

// timestamp (without time zone) <-> std::chrono::local_time<D>.
template <class D>
struct type_traits<std::chrono::local_time<D>,
                   std::enable_if_t<!std::is_same_v<D, std::chrono::days>>> {
    using T = std::chrono::local_time<D>;
    using base = type_traits<std::chrono::sys_time<D>>;
    static std::string sql_name() { return "timestamp without time zone"; }
    static constexpr oid type_oid = 1114;
    static constexpr oid array_oid = 1115;
    static void encode(const T& v, std::string& out) { base::put(v.time_since_epoch(), out); }
    static T decode(std::string_view b, oid column) {
        if (column != 1114) detail::wrong_column_type(column, "local_time");
        return T(base::take(b));
    }
};

// date <-> std::chrono::sys_days (infinity: sys_days::max() / ::min()).
template <>
struct type_traits<std::chrono::sys_days> {
    static std::string sql_name() { return "date"; }
    static constexpr oid type_oid = 1082;
    static constexpr oid array_oid = 1182;
    static void encode(const std::chrono::sys_days& v, std::string& out) {
        auto d = v.time_since_epoch().count();
        std::int32_t pg = v == std::chrono::sys_days::max()
                              ? std::numeric_limits<std::int32_t>::max()
                          : v == std::chrono::sys_days::min()
                              ? std::numeric_limits<std::int32_t>::min()
                              : static_cast<std::int32_t>(d - detail::pg_epoch_days);
        detail::put_int(out, pg);
    }
    static std::chrono::sys_days decode(std::string_view b, oid column) {
        if (column != type_oid) detail::wrong_column_type(column, "sys_days");
        if (b.size() != 4) detail::malformed_field("date");
        auto pg = detail::get_int<std::int32_t>(b.data());
        if (pg == std::numeric_limits<std::int32_t>::max()) return std::chrono::sys_days::max();
        if (pg == std::numeric_limits<std::int32_t>::min()) return std::chrono::sys_days::min();
        return std::chrono::sys_days(std::chrono::days(std::int64_t(pg) + detail::pg_epoch_days));
    }
};

template <>
struct type_traits<interval> {
    static std::string sql_name() { return "interval"; }
    static constexpr oid type_oid = 1186;
    static constexpr oid array_oid = 1187;
    static void encode(const interval& v, std::string& out) {
        detail::put_int(out, std::int64_t(v.time.count()));
        detail::put_int(out, v.days);
        detail::put_int(out, v.months);
    }
    static interval decode(std::string_view b, oid column) {
        if (column != type_oid) detail::wrong_column_type(column, "ender::interval");
        detail::wire_reader r(b);
        interval v;
        v.time = std::chrono::microseconds(r.take<std::int64_t>());
        v.days = r.take<std::int32_t>();
        v.months = r.take<std::int32_t>();
        return v;
    }
};

// interval <-> std::chrono::duration (a day counts as 24 hours; months cannot be read).
template <class Rep, class Period>
struct type_traits<std::chrono::duration<Rep, Period>> {
    using T = std::chrono::duration<Rep, Period>;
    static std::string sql_name() { return "interval"; }
    static constexpr oid type_oid = 1186;
    static constexpr oid array_oid = 1187;
    static void encode(const T& v, std::string& out) {
        type_traits<interval>::encode(
            interval{0, 0, std::chrono::floor<std::chrono::microseconds>(v)}, out);
    }
    static T decode(std::string_view b, oid column) {
        auto v = type_traits<interval>::decode(b, column);
        if (v.months != 0)
            detail::conversion_failed("interval",
                                      "An interval with months has no fixed length; read it "
                                      "into ender::interval instead.");
        return std::chrono::floor<T>(v.time + std::chrono::days(v.days));
    }
};

// PostgreSQL enums, through the ender_enum mapping (labels travel as text).
template <mapped_enum E>
struct type_traits<E> {
    static const enum_mapping<E>& mapping() {
        static const enum_mapping<E> m = ender_enum(tag<E>{});
        return m;
    }
    static std::string sql_name() {
        return detail::qualified_name(mapping().schema, mapping().name);
    }
    static constexpr oid type_oid = 0;
    static void to_text(E v, std::string& out) {
        for (const auto& [value, label] : mapping().labels)
            if (value == v) {
                out += label;
                return;
            }
        detail::conversion_failed(sql_name(), "The C++ value has no label in its enum_mapping.");
    }
    static E from_text(std::string_view label) {
        for (const auto& [value, l] : mapping().labels)
            if (l == label) return value;
        detail::conversion_failed(sql_name(), "The label \"" + std::string(label) +
                                                  "\" has no C++ value in the enum_mapping.");
    }
};

namespace detail {
// Appends one element of an array literal, quoted ("a\\\"b") or NULL.
void append_array_element(std::string& out, const std::optional<std::string>& element);
}  // namespace detail

namespace detail {
// Binds with encode() in binary format when the type has one (and does not say `binary =
// false`), else in text format.
template <class T>
constexpr bool sends_binary() {
    if constexpr (requires { type_traits<T>::binary; })
        return type_traits<T>::binary;
    else
        return has_encode<T>;
}
template <class T>
inline constexpr bool binary_parameter = sends_binary<T>();
template <class T>
T decode_field(std::string_view bytes, oid column) {
    if constexpr (has_decode<T>)
        return type_traits<T>::decode(bytes, column);
    else
        return type_traits<T>::from_text(bytes);
}
// The plan of a column read row after row (model_reader): its type checked once, when T has
// check_column; then each value read without the check.
template <class T>
void check_field_type(oid column) {
    if constexpr (has_checked_read<T>) type_traits<T>::check_column(column);
}
template <class T>
T read_field(std::string_view bytes, oid column) {
    if constexpr (has_checked_read<T>)
        return type_traits<T>::read(bytes, column);
    else
        return decode_field<T>(bytes, column);
}
template <class T>
void text_of(const T& v, std::string& out) {
    if constexpr (has_to_text<T>)
        type_traits<T>::to_text(v, out);
    else
        static_assert(has_to_text<T>, "an array of this type cannot be sent as text");
}
template <class T>
constexpr oid array_oid_of() {
    if constexpr (requires { type_traits<T>::array_oid; })
        return type_traits<T>::array_oid;
    else
        return 0;
}
}  // namespace detail

}  // namespace ender

#include "ender/detail/array_traits.hpp"
