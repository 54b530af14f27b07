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
