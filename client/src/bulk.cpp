// The out-of-line parts of bulk writes: column lists, the id statement, ON CONFLICT clauses.
#include "ender/bulk.hpp"

#include <algorithm>

namespace ender::detail {

std::string column_list(const table_info& t, std::span<const std::size_t> columns) {
    std::string out;
    for (auto c : columns) out += (out.empty() ? "" : ", ") + quote_ident(t.columns[c].name);
    return out;
}

void no_sequence_key(const table_info& t) {
    throw usage_error("42P10", "table \"" + t.name + "\" has no key numbered by a sequence",
                      "insert_many(objects, returning_ids) takes the ids from the sequence of a "
                      "one-column primary key before sending the rows.",
                      "Declare the key with ender::identity() or ender::serial(), or set the "
                      "keys yourself and call insert_many(objects).");
}

std::string next_ids_statement(const table_info& t) {
    if (t.primary_key.size() != 1) no_sequence_key(t);
    const auto& key = t.columns[static_cast<std::size_t>(t.find(t.primary_key[0]))];
    if (!key.serial && !key.identity) no_sequence_key(t);
    auto literal = [](const std::string& s) {
        std::string out = "'";
        for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
        return out + "'";
    };
    return "SELECT nextval(pg_get_serial_sequence(" + literal(t.qualified()) + ", " +
           literal(key.name) + ")) FROM generate_series(1, $1::bigint)";
}

std::string overriding(const table_info& t, std::span<const std::size_t> columns) {
    for (auto c : columns)
        if (t.columns[c].identity == "always") return "OVERRIDING SYSTEM VALUE ";
    return "";
}

std::string on_conflict(const table_info& t, std::span<const std::size_t> sent,
                        const std::vector<std::string>& target) {
    std::string names, set;
    for (const auto& c : target) names += (names.empty() ? "" : ", ") + quote_ident(c);
    for (auto i : sent) {
        const auto& c = t.columns[i];
        if (std::find(target.begin(), target.end(), c.name) != target.end()) continue;
        set +=
            (set.empty() ? "" : ", ") + quote_ident(c.name) + " = EXCLUDED." + quote_ident(c.name);
    }
    for (const auto& c : t.columns)
        if (c.on_update)
            set += (set.empty() ? "" : ", ") + quote_ident(c.name) + " = " + *c.on_update;
    return "ON CONFLICT (" + names + ") " + (set.empty() ? "DO NOTHING" : "DO UPDATE SET " + set);
}

}  // namespace ender::detail
