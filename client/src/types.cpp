// The out-of-line parts of the type mappings: uuid and numeric text, time epochs, quoting,
// array literals, and the conversion errors.
#include "ender/types.hpp"

#include "ender/error.hpp"
#include "engine/error.hpp"
#include "engine/quote.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

namespace ender {

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void invalid_text(std::string_view type, std::string_view text) {
    throw_error("22P02", "invalid input syntax for type " + std::string(type) + ": \"" +
                             std::string(text) + "\"");
}
}  // namespace

uuid uuid::parse(std::string_view text) {
    std::string_view s = text;
    if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
    uuid u;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '-' && n % 4 == 0 && n > 0 && n < 32) continue;
        int h = hex_value(s[i]);
        if (h < 0 || n >= 32) invalid_text("uuid", text);
        u.bytes[n / 2] = static_cast<std::uint8_t>(n % 2 ? (u.bytes[n / 2] | h) : (h << 4));
        ++n;
    }
    if (n != 32) invalid_text("uuid", text);
    return u;
}

std::string uuid::str() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 0xf]);
    }
    return out;
}

decimal::decimal(std::string_view text) {
    if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
        text_ = std::string(text);
        return;
    }
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t digits = 0, dots = 0;
    for (; i < text.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(text[i])))
            ++digits;
        else if (text[i] == '.' && dots == 0)
            ++dots;
        else
            invalid_text("numeric", text);
    }
    if (digits == 0) invalid_text("numeric", text);
    text_ = std::string(text.front() == '+' ? text.substr(1) : text);
}

namespace detail {

void wire_reader::need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) malformed_field("binary value");
}

void malformed_field(std::string_view what) {
    throw_error("22P03", "incorrect binary data format in " + std::string(what) + " field");
}

void conversion_failed(std::string_view sql_type, std::string_view detail) {
    throw_error("22000", "cannot convert a value of type " + std::string(sql_type),
                std::string(detail));
}

void wrong_column_type(oid column, std::string_view cpp_type) {
    throw_error("42804",
                "cannot read a column of type oid " + std::to_string(column) + " into " +
                    std::string(cpp_type),
                "",
                "Read the column into the C++ type that maps to its type, or cast it in the "
                "query.");
}

void out_of_range(std::string_view sql_type, std::string_view value) {
    throw_error("22003", "value " + std::string(value) + " is out of range for type " +
                             std::string(sql_type));
}

bool is_text_like(oid column) {
    switch (column) {
        case 25:    // text
        case 1043:  // varchar
        case 1042:  // bpchar
        case 19:    // name
        case 705:   // unknown
        case 18:    // "char"
        case 114:   // json (its binary form is its text)
        case 142:   // xml
            return true;
        default:
            return column >= 16384;  // user-defined types (enums, domains over text)
    }
}

std::string numeric_to_text(std::string_view binary) {
    wire_reader r(binary);
    auto ndigits = r.take<std::int16_t>();
    auto weight = r.take<std::int16_t>();
    auto sign = r.take<std::uint16_t>();
    auto dscale = r.take<std::int16_t>();
    if (sign == 0xC000) return "NaN";
    if (sign == 0xD000) return "Infinity";
    if (sign == 0xF000) return "-Infinity";
    if (ndigits < 0 || dscale < 0) malformed_field("numeric");
    // Base-10,000 digits, the first of weight 10,000^weight; read in place.
    auto digits = r.take_bytes(2 * static_cast<std::size_t>(ndigits));
    auto digit = [&](int k) {
        if (k < 0 || k >= ndigits) return 0;
        int d = get_int<std::int16_t>(digits.data() + 2 * static_cast<std::size_t>(k));
        if (d < 0 || d > 9999) malformed_field("numeric");
        return d;
    };
    // The text is written once into a string of its final length (one allocation at most).
    int first = weight >= 0 ? digit(0) : 0;
    std::size_t lead = first >= 1000 ? 4 : first >= 100 ? 3 : first >= 10 ? 2 : 1;
    std::size_t length = (sign == 0x4000) + (weight >= 0 ? lead + 4 * std::size_t(weight) : 1) +
                         (dscale > 0 ? 1 + std::size_t(dscale) : 0);
    std::string out(length, '0');
    char* o = out.data();
    if (sign == 0x4000) *o++ = '-';
    // n of d's four decimal digits, from the `from`-th.
    auto put = [&](int d, std::size_t from, std::size_t n) {
        const char four[4] = {char('0' + d / 1000), char('0' + d / 100 % 10),
                              char('0' + d / 10 % 10), char('0' + d % 10)};
        std::memcpy(o, four + from, n);
        o += n;
    };
    if (weight < 0) {
        ++o;  // "0"
    } else {
        put(first, 4 - lead, lead);
        for (int k = 1; k <= weight; ++k) put(digit(k), 0, 4);
    }
    if (dscale > 0) {
        *o++ = '.';
        for (int k = weight + 1, left = dscale; left > 0; ++k, left -= 4)
            put(digit(k), 0, static_cast<std::size_t>(std::min(left, 4)));
    }
    return out;
}

std::int64_t to_pg_micros(std::int64_t unix_micros) {
    if (unix_micros < std::numeric_limits<std::int64_t>::min() + pg_epoch_micros)
        out_of_range("timestamp", std::to_string(unix_micros) + " microseconds");
    return unix_micros - pg_epoch_micros;
}

namespace {
// Runs an engine quoting function (engine/quote.hpp), its error as libender's.
template <class F>
std::string quoted(F&& quote) {
    try {
        return quote();
    } catch (const engine::error& e) {
        throw ender::error(e.sqlstate(), e.what(), e.detail(), e.hint());
    }
}
}  // namespace

std::string quote_literal(std::string_view text) {
    return quoted([&] { return engine::quote_literal(text); });
}

std::string quote_ident(std::string_view name) {
    return quoted([&] { return engine::quote_ident_as_needed(name); });
}

std::string qualified_name(std::string_view schema, std::string_view name) {
    return quote_ident(schema) + "." + quote_ident(name);
}

void append_array_element(std::string& out, const std::optional<std::string>& element) {
    if (!element) {
        out += "NULL";
        return;
    }
    out.push_back('"');
    for (char c : *element) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

}  // namespace detail

nlohmann::json type_traits<nlohmann::json>::decode(std::string_view b, oid column) {
    if (column == 3802) {
        if (b.empty() || b[0] != 1) detail::malformed_field("jsonb");
        b.remove_prefix(1);
    } else if (column != 114) {
        detail::wrong_column_type(column, "nlohmann::json");
    }
    return nlohmann::json::parse(b);
}

}  // namespace ender
