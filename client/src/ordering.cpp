// Sorts from user input (parsing and the whitelist check) and keyset pages' cursors (see
// ordering.hpp and paging.hpp).
#include "ender/paging.hpp"

#include <cctype>
#include <cstdint>

namespace ender {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool ends_with_words(std::string_view s, std::string_view words) {
    if (s.size() <= words.size()) return false;
    auto tail = s.substr(s.size() - words.size());
    for (std::size_t i = 0; i < words.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(tail[i])) != words[i]) return false;
    return std::isspace(static_cast<unsigned char>(s[s.size() - words.size() - 1]));
}

// User input shown in a message: at most 64 characters.
std::string shown(std::string_view s) {
    return s.size() <= 64 ? std::string(s) : std::string(s.substr(0, 64)) + "...";
}

[[noreturn]] void bad_sort(std::string_view spec, const std::string& what) {
    throw usage_error("22023", "invalid sort \"" + shown(spec) + "\": " + what, "",
                      "Write keys separated by commas, \"-\" before a key to sort it descending, "
                      "e.g. \"-age,name\".");
}

[[noreturn]] void bad_cursor(const std::string& why) {
    throw usage_error("22023", "invalid page cursor", "The cursor " + why + ".",
                      "Pass the cursor of a page of the same list, as it was returned.");
}

const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void put_u32(std::string& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(char((v >> s) & 0xff));
}

// Reads the cursor's bytes in order; any read past the end is an invalid cursor.
struct reader {
    std::string_view in;
    std::uint32_t u32() {
        if (in.size() < 4) bad_cursor("is cut short");
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[std::size_t(i)]);
        in.remove_prefix(4);
        return v;
    }
    std::string bytes() {
        auto n = u32();
        if (in.size() < n) bad_cursor("is cut short");
        std::string s(in.substr(0, n));
        in.remove_prefix(n);
        return s;
    }
};

}  // namespace

std::vector<sort_key> parse_sort(std::string_view spec) {
    std::vector<sort_key> keys;
    std::size_t start = 0;
    while (start <= spec.size()) {
        auto end = spec.find(',', start);
        if (end == std::string_view::npos) end = spec.size();
        auto item = trim(spec.substr(start, end - start));
        start = end + 1;
        if (item.empty()) bad_sort(spec, "a key is empty");
        sort_key k;
        if (ends_with_words(item, "nulls first")) {
            k.placement = nulls::first;
            item = trim(item.substr(0, item.size() - 11));
        } else if (ends_with_words(item, "nulls last")) {
            k.placement = nulls::last;
            item = trim(item.substr(0, item.size() - 10));
        }
        if (!item.empty() && (item.front() == '-' || item.front() == '+')) {
            k.descending = item.front() == '-';
            item = trim(item.substr(1));
        }
        if (item.empty()) bad_sort(spec, "a key has no column name");
        k.name = std::string(item);
        keys.push_back(std::move(k));
    }
    return keys;
}

namespace detail {

void unknown_sort_column(std::string_view name, const std::vector<std::string>& allowed) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw usage_error("42703", "cannot sort by \"" + shown(name) + "\": no such sortable column",
                      "The sortable columns are: " + list + ".");
}

std::string order_sql(const std::string& column_sql, const sort_key& key) {
    std::string s = column_sql + (key.descending ? " DESC" : " ASC");
    if (key.placement == nulls::first) s += " NULLS FIRST";
    if (key.placement == nulls::last) s += " NULLS LAST";
    return s;
}

std::string column_sql(const table_info& t, std::size_t i) {
    return quote_ident(t.qualifier(i)) + "." + quote_ident(t.columns[i].name);
}

std::string encode_cursor(std::span<const cursor_key> keys) {
    std::string raw;
    for (const auto& k : keys) {
        put_u32(raw, std::uint32_t(k.name.size()));
        raw += k.name;
        put_u32(raw, k.value.type);
        raw.push_back(char((k.value.null ? 2 : 0) | (k.value.binary ? 1 : 0)));
        put_u32(raw, std::uint32_t(k.value.bytes.size()));
        raw += k.value.bytes;
    }
    std::string out;
    std::uint32_t bits = 0;
    int count = 0;
    for (unsigned char c : raw) {
        bits = (bits << 8) | c;
        count += 8;
        while (count >= 6) {
            count -= 6;
            out.push_back(base64url[(bits >> count) & 63]);
        }
    }
    if (count > 0) out.push_back(base64url[(bits << (6 - count)) & 63]);
    return out;
}

std::vector<cursor_key> decode_cursor(std::string_view cursor,
                                      std::span<const cursor_key> expected) {
    std::string raw;
    std::uint32_t bits = 0;
    int count = 0;
    for (char c : cursor) {
        const char* at = std::char_traits<char>::find(base64url, 64, c);
        if (!at) bad_cursor("holds characters a cursor never has");
        bits = (bits << 6) | std::uint32_t(at - base64url);
        count += 6;
        if (count >= 8) {
            count -= 8;
            raw.push_back(char((bits >> count) & 0xff));
        }
    }
    reader r{raw};
    std::vector<cursor_key> keys;
    for (const auto& e : expected) {
        cursor_key k;
        k.name = r.bytes();
        if (k.name != e.name)
            bad_cursor("was made for another order (a key \"" + shown(k.name) + "\" where \"" +
                       e.name + "\" was expected)");
        k.value.type = r.u32();
        if (r.in.empty()) bad_cursor("is cut short");
        auto flags = static_cast<unsigned char>(r.in.front());
        r.in.remove_prefix(1);
        k.value.binary = flags & 1;
        k.value.null = flags & 2;
        k.value.bytes = r.bytes();
        if (k.value.type != e.value.type || k.value.binary != e.value.binary || k.value.null)
            bad_cursor("holds a value of another type for key \"" + e.name + "\"");
        keys.push_back(std::move(k));
    }
    if (!r.in.empty()) bad_cursor("has more keys than the order");
    return keys;
}

void check_page_size(std::int64_t size) {
    if (size < 1)
        throw usage_error("22023", "page size must be at least 1, not " + std::to_string(size));
}

void nullable_page_key(const table_info& t, const std::string& column) {
    throw usage_error(
        "0A000",
        "cannot page by column \"" + column + "\" of table \"" + t.name + "\": it can be NULL",
        "Keyset pagination compares keys with < and >, which NULL never satisfies.",
        "Page by NOT NULL columns.");
}

fragment after_keys(const std::vector<std::string>& columns, const std::vector<bool>& descending,
                    const std::vector<param>& values) {
    bool same = true;
    for (auto d : descending) same = same && d == descending.front();
    fragment f("(");
    if (same) {
        // (a, b) > ($1, $2): one comparison the planner matches to an index on (a, b).
        for (std::size_t i = 0; i < columns.size(); ++i) f.sql(i ? ", " : "(").sql(columns[i]);
        f.sql(descending.front() ? ") < " : ") > ");
        for (std::size_t i = 0; i < values.size(); ++i) f.sql(i ? ", " : "(").bind(values[i]);
        return f.sql("))");
    }
    // a > $1 OR (a = $1 AND (b < $2 OR (b = $2 AND ...))), each key in its own direction.
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) f.sql(" OR (").sql(columns[i - 1]).sql(" = ").bind(values[i - 1]).sql(" AND (");
        f.sql(columns[i]).sql(descending[i] ? " < " : " > ").bind(values[i]);
    }
    for (std::size_t i = 1; i < columns.size(); ++i) f.sql("))");
    return f.sql(")");
}

}  // namespace detail

order_term sortable::order(std::span<const sort_key> keys) const {
    if (keys.empty()) bad_sort("", "it has no key");
    order_term o;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        o.f.sql(i ? ", " : "");
        o.f.append(expression(keys[i].name));
        o.f.sql(detail::order_sql("", keys[i]));
    }
    return o;
}

const detail::fragment& sortable::expression(std::string_view name) const {
    for (const auto& [n, f] : columns_)
        if (n == name) return f;
    detail::unknown_sort_column(name, names());
}

std::vector<std::string> sortable::names() const {
    std::vector<std::string> out;
    for (const auto& [n, f] : columns_) out.push_back(n);
    return out;
}

}  // namespace ender
