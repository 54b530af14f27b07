// Bulk updates by key and batched writes: update_many (one UPDATE ... FROM unnest(...) for any
// number of objects, writing only the fields named), and update_where / delete_where in batches
// of keys that each commit, resumable from the last key done (backfills and purges).
//
//   db.update_many(heroes, &hero::age);                      // one statement, 100,000 rows
//   auto p = db.update_where(ender::patch<hero>().set(&hero::age, 0), col(&hero::age) < 0,
//                            ender::in_batches<std::int64_t>{.size = 5000});
//   db.delete_where<hero>(col(&hero::age) > 200, ender::in_batches<std::int64_t>{
//                             .size = 5000, .after = saved_key, .progress = report});
#pragma once

#include "ender/bulk.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ender {

// Where a batched update_where / delete_where stands: after each batch (to the progress
// callback) and when it returns.
template <class K>
struct batch_progress {
    std::uint64_t batches = 0;  // batches committed by this call
    std::uint64_t rows = 0;     // rows changed by them
    std::optional<K> last_key;  // the greatest key of the batches done: resume after it
    bool finished = false;      // no matching key is left after last_key
};

// update_where / delete_where in batches of `size` keys, in primary-key order, each batch its own
// statement committed on its own; `after` starts past a key (a stopped run's last_key);
// `progress` is called after each batch and stops the run by returning false.
template <class K>
struct in_batches {
    std::size_t size = 1000;
    std::optional<K> after;
    std::function<bool(const batch_progress<K>&)> progress;
};

namespace detail {

// "UPDATE t AS ender_row SET a = ender_new.c2, ... FROM unnest($1::k[], $2::a[]) AS ender_new
// (c1, c2) WHERE ender_row.k = ender_new.c1" (`rows` set: FROM (VALUES ...) for text-only types,
// with `rows` rows of placeholders); on_update columns set, soft-deleted rows skipped.
std::string update_by_key_statement(const table_info& t, std::span<const std::size_t> key_columns,
                                    std::span<const std::size_t> set_columns, std::size_t rows = 0);
// Throws unless update_many can write these columns of t (a key, a model without inheritance).
void check_update_many(const table_info& t, std::span<const std::size_t> set_columns);
// Throws when a batched write is called in a transaction (it commits per batch).
void check_batched(const session& db, const table_info& t, std::size_t size);
// The statement of one batch: WITH ender_batch AS (the next `size` keys matching `where` after
// the last key), ender_done AS (`write` of those rows) SELECT rows changed, keys in the batch,
// the batch's greatest key.
fragment batch_statement(const table_info& t, const fragment& where, const param* after,
                         std::size_t size, const fragment& write);
// "<key> IN (SELECT <key> FROM ender_batch) AND (<where>)".
fragment in_batch(const table_info& t, const fragment& where);

// Appends one binary array element (int32 length + bytes, or -1 for NULL).
template <class M>
void append_element(std::string& out, const M& v, bool& has_null) {
    if constexpr (is_optional_v<M>) {
        if (!v) {
            put_int<std::int32_t>(out, -1);
            has_null = true;
            return;
        }
        append_element(out, *v, has_null);
    } else {
        auto at = out.size();
        put_int<std::int32_t>(out, 0);
        type_traits<M>::encode(v, out);
        auto length = static_cast<std::int32_t>(out.size() - at - 4);
        for (int b = 0; b < 4; ++b)
            out[at + std::size_t(b)] = static_cast<char>((length >> (24 - 8 * b)) & 0xff);
    }
}

// One binary array parameter of column `column` of every object.
template <class T>
param column_array(std::span<const T* const> objects, std::size_t column) {
    param p;
    p.binary = true;  // the type comes from the cast in the statement
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        using V = strip_optional_t<M>;
        if constexpr (sends_binary<V>()) {
            if (i != column) return;
            std::string body;
            bool has_null = false;
            for (const T* o : objects) append_element(body, c.access.get(*o), has_null);
            put_int<std::int32_t>(p.bytes, 1);  // dimensions
            put_int<std::int32_t>(p.bytes, has_null ? 1 : 0);
            put_int<oid>(p.bytes, type_traits<V>::type_oid);
            put_int<std::int32_t>(p.bytes, static_cast<std::int32_t>(objects.size()));
            put_int<std::int32_t>(p.bytes, 1);  // lower bound
            p.bytes += body;
        }
    });
    return p;
}

// Whether every listed member's type has a binary form (then the arrays of update_many).
template <class T, class... M>
constexpr bool binary_members() {
    return (sends_binary<strip_optional_t<M>>() && ...);
}

// update_many: the key columns and `set` of the objects, as arrays in one statement, or as
// VALUES rows (65,535 parameters per statement) when a type has no binary form.
template <class T, bool Binary>
std::uint64_t update_objects(session& db, std::span<const T* const> objects,
                             const std::vector<std::size_t>& set) {
    const auto& m = model_of<T>();
    check_update_many(m.info, set);
    if (objects.empty()) return 0;
    std::vector<std::size_t> key;
    for (const auto& k : m.info.primary_key) key.push_back(std::size_t(m.info.find(k)));
    std::vector<std::size_t> columns(key);
    columns.insert(columns.end(), set.begin(), set.end());
    if constexpr (Binary) {
        std::vector<param> arrays;
        for (auto c : columns) arrays.push_back(column_array(objects, c));
        return db.run(update_by_key_statement(m.info, key, set), arrays).affected_rows();
    } else {
        std::size_t per_statement = std::max<std::size_t>(1, 65535 / columns.size());
        std::uint64_t changed = 0;
        for (std::size_t at = 0; at < objects.size(); at += per_statement) {
            auto n = std::min(per_statement, objects.size() - at);
            fragment f;
            for (std::size_t i = at; i < at + n; ++i)
                for (auto c : columns) bind_columns(f, *objects[i], c);
            changed +=
                db.run(update_by_key_statement(m.info, key, set, n), f.params()).affected_rows();
        }
        return changed;
    }
}

// Runs `statement(after)` batch after batch until no key is left or `progress` says stop.
template <class T, class K, class Statement>
batch_progress<K> run_batches(session& db, const in_batches<K>& b, Statement statement) {
    batch_progress<K> p;
    p.last_key = b.after;
    while (true) {
        std::optional<param> after;
        if (p.last_key) after = make_param(*p.last_key);
        auto f = statement(after ? &*after : nullptr);
        auto r = db.run(f.text(), f.params());
        auto taken = r.template get<std::int64_t>(0, 1);
        if (taken == 0) {
            p.finished = true;
            return p;
        }
        ++p.batches;
        p.rows += std::uint64_t(r.template get<std::int64_t>(0, 0));
        p.last_key = r.template get<K>(0, 2);
        p.finished = std::uint64_t(taken) < b.size;
        if (b.progress && !b.progress(p)) return p;
        if (p.finished) return p;
    }
}

}  // namespace detail

template <class T, class... M>
requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t session::update_many(
    const std::vector<T>& objects, M T::*... fields) {
    static_assert(mapped_model<T>, "ender::session::update_many: T is not a mapped model");
    static_assert(sizeof...(M) > 0, "ender::update_many: name the fields to write");
    const auto& m = model_of<T>();
    for (const auto& o : objects) m.validate(o);
    std::vector<std::size_t> set{m.column_index(fields)...};
    auto all = detail::pointers_to(objects);
    return detail::update_objects<T, detail::binary_members<T, M...>()>(
        *this, std::span<const T* const>(all), set);
}

template <class T, class K>
requires detail::defined_by<detail::include_ender_bulk_hpp, T> batch_progress<K>
session::update_where(const patch<T>& values, const expr<bool>& where, const in_batches<K>& b) {
    const auto& m = model_of<T>();
    m.validate(values.draft(), &values.columns());
    detail::check_batched(*this, m.info, b.size);
    return detail::run_batches<T>(*this, b, [&](const detail::param* after) {
        auto write = detail::update_statement(values.draft(), &values.columns(),
                                              detail::in_batch(m.info, where.f), false);
        return detail::batch_statement(m.info, where.f, after, b.size, write.sql(" RETURNING 1"));
    });
}

template <class T, class K>
requires detail::defined_by<detail::include_ender_bulk_hpp, T> batch_progress<K>
session::delete_where(const expr<bool>& where, const in_batches<K>& b) {
    static_assert(mapped_model<T>, "ender::session::delete_where<T>: T is not a mapped model");
    const auto& m = model_of<T>();
    detail::check_batched(*this, m.info, b.size);
    return detail::run_batches<T>(*this, b, [&](const detail::param* after) {
        detail::fragment write("DELETE FROM ");
        write.sql(m.info.qualified()).sql(" WHERE ").append(detail::in_batch(m.info, where.f));
        return detail::batch_statement(m.info, where.f, after, b.size, write.sql(" RETURNING 1"));
    });
}

}  // namespace ender
