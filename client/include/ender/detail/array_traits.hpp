// The mapping of arrays to std::vector (types.hpp includes it at its end; part of ender's type
// mappings, ender::type_traits<std::vector<E>>).
#pragma once

#include "ender/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ender {

// Arrays <-> std::vector (one dimension; std::vector<std::optional<T>> when elements can be
// NULL). Sent binary when the element type is, else as an array literal.
template <class E>
requires(mapped_type<E> && !std::is_same_v<E, std::byte>) struct type_traits<std::vector<E>> {
    using element = strip_optional_t<E>;
    using et = type_traits<element>;

    static std::string sql_name() { return et::sql_name() + "[]"; }
    static constexpr oid type_oid = detail::array_oid_of<element>();
    static constexpr bool binary = detail::binary_parameter<element> && type_oid != 0;

    static void encode(const std::vector<E>& v, std::string& out) {
        if constexpr (binary)
            encode_binary(v, out);
        else
            encode_text(v, out);
    }
    static std::vector<E> decode(std::string_view b, oid) {
        detail::wire_reader r(b);
        auto ndim = r.take<std::int32_t>();
        r.take<std::int32_t>();  // has-null flag
        auto elem_oid = r.take<oid>();
        std::vector<E> out;
        if (ndim == 0) return out;
        if (ndim != 1)
            detail::conversion_failed(sql_name(),
                                      "Only one-dimensional arrays map to std::vector.");
        auto n = r.take<std::int32_t>();
        r.take<std::int32_t>();  // lower bound
        out.reserve(static_cast<std::size_t>(n));
        for (std::int32_t i = 0; i < n; ++i) {
            auto len = r.take<std::int32_t>();
            if (len < 0) {
                if constexpr (is_optional_v<E>) {
                    out.emplace_back(std::nullopt);
                    continue;
                } else {
                    detail::conversion_failed(
                        sql_name(),
                        "The array holds a NULL; read it into std::vector<std::optional<T>>.");
                }
            }
            out.emplace_back(detail::decode_field<element>(
                r.take_bytes(static_cast<std::size_t>(len)), elem_oid));
        }
        return out;
    }

private:
    static void encode_binary(const std::vector<E>& v, std::string& out) {
        bool has_null = false;
        if constexpr (is_optional_v<E>)
            for (const auto& e : v) has_null = has_null || !e;
        detail::put_int(out, std::int32_t(v.empty() ? 0 : 1));
        detail::put_int(out, std::int32_t(has_null ? 1 : 0));
        detail::put_int(out, et::type_oid);
        if (!v.empty()) {
            detail::put_int(out, static_cast<std::int32_t>(v.size()));
            detail::put_int(out, std::int32_t(1));
        }
        std::string bytes;
        for (const auto& e : v) {
            if (is_null(e)) {
                detail::put_int(out, std::int32_t(-1));
                continue;
            }
            bytes.clear();
            et::encode(element_of(e), bytes);
            detail::put_int(out, static_cast<std::int32_t>(bytes.size()));
            out += bytes;
        }
    }
    static void encode_text(const std::vector<E>& v, std::string& out) {
        out.push_back('{');
        std::string s;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) out.push_back(',');
            if (is_null(v[i])) {
                detail::append_array_element(out, std::nullopt);
                continue;
            }
            s.clear();
            detail::text_of(element_of(v[i]), s);
            detail::append_array_element(out, s);
        }
        out.push_back('}');
    }
    static bool is_null(const E& e) {
        if constexpr (is_optional_v<E>)
            return !e.has_value();
        else
            return false;
    }
    static const element& element_of(const E& e) {
        if constexpr (is_optional_v<E>)
            return *e;
        else
            return e;
    }
};

}  // namespace ender
