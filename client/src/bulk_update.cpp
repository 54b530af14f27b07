// The out-of-line parts of bulk updates by key and batched writes: their statements and errors.
#include "ender/bulk.hpp"
#include "ender/detail/relation_keys.hpp"

namespace ender::detail {

void check_update_many(const table_info& t, std::span<const std::size_t> set_columns) {
    if (t.primary_key.empty()) no_primary_key(t);
    if (t.inheritance)
        throw usage_error(
            "0A000",
            "update_many does not support table \"" + t.name + "\" of an inheritance hierarchy", "",
            "Update its objects with update(), or by predicate with update_where.");
    for (auto c : set_columns)
        for (const auto& k : t.primary_key)
            if (t.columns[c].name == k)
                throw usage_error(
                    "42P10",
                    "update_many cannot change column \"" + k + "\" of table \"" + t.name + "\"",
                    "Rows are matched by their primary key, which it writes.",
                    "Name only columns outside the primary key.");
}

std::string update_by_key_statement(const table_info& t, std::span<const std::size_t> key_columns,
                                    std::span<const std::size_t> set_columns, std::size_t rows) {
    std::string set, source, names, where;
    std::size_t n = 0;
    auto column = [&](std::size_t c) {
        ++n;
        if (!rows)
            source += (n > 1 ? ", $" : "$") + std::to_string(n) + "::" + t.columns[c].type + "[]";
        names += (n > 1 ? ", c" : "c") + std::to_string(n);
        return "ender_new.c" + std::to_string(n);
    };
    for (auto c : key_columns)
        where += (where.empty() ? "" : " AND ") + qualified_column("ender_row", t.columns[c].name) +
                 " = " + column(c);
    for (auto c : set_columns)
        set += (set.empty() ? "" : ", ") + quote_ident(t.columns[c].name) + " = " + column(c);
    for (const auto& c : t.columns)
        if (c.on_update) set += ", " + quote_ident(c.name) + " = " + *c.on_update;
    if (rows) {
        // VALUES rows of placeholders, each cast to its column's type.
        std::size_t p = 0;
        for (std::size_t r = 0; r < rows; ++r) {
            source += r ? ", (" : "(VALUES (";
            for (std::size_t j = 0; j < n; ++j) {
                auto c =
                    j < key_columns.size() ? key_columns[j] : set_columns[j - key_columns.size()];
                source += (j ? ", $" : "$") + std::to_string(++p) + "::" + t.columns[c].type;
            }
            source += ")";
        }
        source += ")";
    } else {
        source = "unnest(" + source + ")";
    }
    if (int s = t.soft_delete_column(); s >= 0)
        where +=
            " AND " + qualified_column("ender_row", t.columns[std::size_t(s)].name) + " IS NULL";
    return "UPDATE " + t.qualified() + " AS ender_row SET " + set + " FROM " + source +
           " AS ender_new (" + names + ") WHERE " + where;
}

void check_batched(const session& db, const table_info& t, std::size_t size) {
    if (t.primary_key.size() != 1)
        throw usage_error("42P10",
                          "batched writes need a one-column primary key, and table \"" + t.name +
                              "\" has " + std::to_string(t.primary_key.size()),
                          "Batches follow the primary key's order, resuming after the last key.",
                          "Run update_where or delete_where without in_batches.");
    if (size == 0)
        throw usage_error("22023", "a batch must hold at least one key", "",
                          "Set in_batches::size to the number of keys per batch.");
    if (db.in_transaction())
        throw usage_error("25001", "batched writes cannot run inside a transaction",
                          "Each batch commits on its own, so that a stopped run keeps the "
                          "batches it did.",
                          "Call it outside the transaction.");
}

fragment in_batch(const table_info& t, const fragment& where) {
    const auto& key = quote_ident(t.primary_key.at(0));
    fragment f;
    f.sql(key).sql(" IN (SELECT ").sql(key).sql(" FROM ender_batch) AND (").append(where).sql(")");
    return f;
}

fragment batch_statement(const table_info& t, const fragment& where, const param* after,
                         std::size_t size, const fragment& write) {
    const auto& key = quote_ident(t.primary_key.at(0));
    fragment f("WITH ender_batch AS (SELECT ");
    f.sql(key).sql(" FROM ").sql(t.qualified()).sql(" WHERE (").append(where).sql(")");
    if (after) f.sql(" AND ").sql(key).sql(" > ").bind(*after);
    f.sql(" ORDER BY ").sql(key).sql(" LIMIT ").sql(std::to_string(size));
    f.sql("), ender_done AS (").append(write).sql(") SELECT (SELECT count(*) FROM ender_done), ");
    f.sql("(SELECT count(*) FROM ender_batch), (SELECT ").sql(key);
    f.sql(" FROM ender_batch ORDER BY ").sql(key).sql(" DESC LIMIT 1)");
    return f;
}

}  // namespace ender::detail
