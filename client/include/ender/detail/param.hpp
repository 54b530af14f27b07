// Internal: a bound parameter (bytes, type, format) made from any mapped C++ value.
#pragma once

#include "ender/types.hpp"

#include <string>
#include <string_view>

namespace ender::detail {

struct param {
    std::string bytes;
    bool null = false;
    oid type = 0;
    bool binary = false;
};

// The largest value PostgreSQL stores in one field (MaxAllocSize, 1 GiB - 1 byte); libpq and
// the COPY format carry lengths as 32-bit integers. Larger values are refused before they are
// bound or copied.
inline constexpr std::size_t max_value_bytes = (std::size_t{1} << 30) - 1;

// Throws ender::error (54000) for a value of `bytes` bytes, `what` naming it ("parameter $2",
// "column \"body\"").
[[noreturn]] void value_too_large(std::size_t bytes, const std::string& what,
                                  const std::string& statement = {});

template <class T>
param make_param(const T& value) {
    if constexpr (is_optional_v<T>) {
        if (!value) {
            param p;
            p.null = true;
            p.type = type_traits<strip_optional_t<T>>::type_oid;
            return p;
        }
        return make_param(*value);
    } else {
        using tr = type_traits<T>;
        param p;
        p.type = tr::type_oid;
        if constexpr (sends_binary<T>()) {
            p.binary = true;
            tr::encode(value, p.bytes);
        } else if constexpr (has_to_text<T>) {
            tr::to_text(value, p.bytes);
        } else {
            tr::encode(value, p.bytes);
        }
        return p;
    }
}
inline param make_param(const char* text) {
    return make_param(std::string(text));
}
inline param make_param(std::string_view text) {
    return make_param(std::string(text));
}

// What a raw-SQL parameter may be: a mapped type, a string literal or a string_view.
template <class T>
concept bindable = mapped_type<T> || std::is_convertible_v<const T&, std::string_view>;

template <class T>
param to_param(const T& v) {
    if constexpr (mapped_type<T>)
        return make_param(v);
    else
        return make_param(std::string_view(v));
}

}  // namespace ender::detail
