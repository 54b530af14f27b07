// Inserting a graph (session::insert_graph): the objects, then level by level the new objects
// of their loaded relationships, a bounded number of statements per level.
#pragma once

#include "ender/bulk.hpp"
#include "ender/detail/relation_keys.hpp"
#include "ender/model.hpp"
#include "ender/session.hpp"

#include <concepts>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace ender {

namespace detail {

// Whether insert_graph inserts the object: its one-column key is numbered by the server and not
// set yet (0 or empty). An object whose key the server does not number is new too (insert_new).
template <class T>
bool is_new(const T& obj) {
    const auto& info = model_of<T>().info;
    if (info.primary_key.size() != 1) return true;
    auto key = static_cast<std::size_t>(info.find(info.primary_key[0]));
    if (!info.columns[key].server_generated) return true;
    bool unset = true;
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        using V = strip_optional_t<M>;
        if constexpr (std::equality_comparable<V>) {
            if (i != key) return;
            const auto& v = c.access.get(obj);
            if constexpr (is_optional_v<M>)
                unset = !v || *v == V{};
            else
                unset = v == V{};
        }
    });
    return unset;
}

// Whether T's key is taken from a sequence (identity or serial): insert_graph reads the new
// ids that way.
template <class T>
bool has_sequence_key() {
    const auto& info = model_of<T>().info;
    if (info.primary_key.size() != 1) return false;
    const auto& key = info.columns[static_cast<std::size_t>(info.find(info.primary_key[0]))];
    return key.serial || key.identity.has_value();
}

// Sets `to`'s columns `to_columns` to the values of `from`'s `from_columns` (a foreign key from
// the key it references).
template <class To, class From>
void copy_key(To& to, std::span<const std::size_t> to_columns, const From& from,
              std::span<const std::size_t> from_columns) {
    for (std::size_t j = 0; j < to_columns.size(); ++j) {
        param p;
        model_of<From>().for_each([&](const auto& c, std::size_t i) {
            if (i == from_columns[j]) p = make_param(c.access.get(from));
        });
        model_of<To>().for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            if (i != to_columns[j]) return;
            if constexpr (is_optional_v<M>) {
                if (p.null) return c.access.get(to).reset();
            }
            if (!p.null && p.binary)
                c.access.get(to) = decode_field<strip_optional_t<M>>(p.bytes, p.type);
        });
    }
}

// "UPDATE t SET fk = ender_new.c2 FROM unnest($1, $2) AS ender_new (c1, c2) WHERE t.pk =
// ender_new.c1": points persistent children at their owners, keys and foreign keys in arrays.
std::string relink_statement(const table_info& t, std::span<const std::size_t> key_columns,
                             std::span<const std::size_t> foreign_columns);

template <class T>
void insert_below(session& db, std::span<T* const> objects);

// The new objects of a level below the top: one COPY, their ids taken from the key's sequence
// first; objects whose key is not numbered by the server are inserted unless a row has their
// key (ON CONFLICT DO NOTHING: that row is left as it is).
template <class T>
void insert_new(session& db, const std::vector<T*>& objects) {
    if (objects.empty()) return;
    if (has_sequence_key<T>()) return insert_objects<T>(db, objects, true);
    for (const T* o : objects) model_of<T>().validate(*o);
    std::span<const T* const> all(objects.data(), objects.size());
    insert_values<T>(db, all, bulk_columns<T>(all, false), " ON CONFLICT DO NOTHING");
}

// The children of one relationship of a level: the new ones inserted (one COPY, their ids from
// the key's sequence first), the persistent ones pointed at their owner (one UPDATE), then the
// level below them.
template <class C>
void insert_children(session& db, const std::vector<C*>& fresh, const std::vector<C*>& linked,
                     std::span<const std::size_t> child_columns, const relation_label& label) {
    insert_new<C>(db, fresh);
    if (!linked.empty()) {
        auto key = key_positions(model_of<C>().info, label);
        std::vector<std::size_t> columns(key);
        columns.insert(columns.end(), child_columns.begin(), child_columns.end());
        std::vector<std::string> keys(linked.size());
        std::vector<oid> types;
        for (std::size_t i = 0; i < linked.size(); ++i)
            object_key(*linked[i], columns, keys[i], types, label);
        db.run(relink_statement(model_of<C>().info, key, child_columns), key_arrays(keys, types));
    }
    std::vector<C*> all(fresh);
    all.insert(all.end(), linked.begin(), linked.end());
    insert_below<C>(db, all);
}

template <class T>
void insert_below(session& db, std::span<T* const> objects) {
    if (objects.empty()) return;
    for (const auto& r : model_of<T>().relations) r->insert_below(db, objects);
}

template <class T>
void insert_graph(session& db, std::span<T* const> objects) {
    std::optional<transaction> tx;
    if (!db.in_transaction()) tx.emplace(db.begin());
    std::vector<T*> fresh;
    for (T* o : objects)
        if (is_new(*o)) fresh.push_back(o);
    if (fresh.size() == 1)
        db.insert(*fresh[0]);  // RETURNING: defaults read back too
    else
        insert_objects<T>(db, fresh, has_sequence_key<T>());
    insert_below<T>(db, objects);
    if (tx) tx->commit();
}

}  // namespace detail

template <class T>
struct detail::include_ender_relationship_hpp {};

template <class T>
requires detail::with_relationship_hpp<T>
void session::insert_graph(T& object) {
    static_assert(mapped_model<T>, "ender::session::insert_graph: T is not a mapped model");
    T* one[] = {&object};
    detail::insert_graph<T>(*this, one);
}

template <class T>
requires detail::with_relationship_hpp<T>
void session::insert_graph(std::vector<T>& objects) {
    static_assert(mapped_model<T>, "ender::session::insert_graph: T is not a mapped model");
    detail::insert_graph<T>(*this, detail::pointers_to(objects));
}

}  // namespace ender
