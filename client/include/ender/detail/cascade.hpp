// Cascades of removal (ender::cascade): the children of removed owners removed with them, level
// by level, and the orphans of a delete-orphan collection removed when its owner is saved.
#pragma once

#include "ender/bulk.hpp"
#include "ender/detail/model_sql.hpp"
#include "ender/detail/relation_keys.hpp"

#include <chrono>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace ender::detail {

// The keys of C's objects (their primary keys), for a collection loaded under delete_orphans.
template <class C>
std::shared_ptr<const key_set> keys_of(std::vector<C>& items, const relation_label& label) {
    auto k = std::make_shared<key_set>();
    collect_keys(pointers_to(items), key_positions(model_of<C>().info, label), *k, label);
    return k;
}

// Removes the rows of C whose `columns` hold one of `keys`: first their own children, for C's
// cascading relationships (the rows read in one statement), then the rows in one statement.
// Soft: the rows of a soft-deletable C get deleted_at set; those of another C are left as they are.
template <class C>
void remove_rows(session& db, std::span<const std::size_t> columns, const key_set& keys,
                 bool soft) {
    const auto& m = model_of<C>();
    int deleted_at = m.info.soft_delete_column();
    if (keys.keys.empty() || (soft && deleted_at < 0)) return;
    auto condition =
        keys_condition(column_names<C>(columns, m.info.name), column_types<C>(columns));
    auto params = key_arrays(keys.keys, keys.types);
    const auto& alive = soft_delete_filter<C>();
    bool deeper = false;
    for (const auto& r : m.relations) deeper = deeper || r->cascades();
    if (deeper) {
        std::string sql = "SELECT " + model_columns<C>() + " FROM " + from_of<C>() + " WHERE " +
                          condition + (soft ? " AND " + alive : "");
        auto found = db.run(sql, params);
        check_model_width<C>(found);
        std::vector<C> rows(found.size());
        for (std::size_t i = 0; i < rows.size(); ++i) read_model(rows[i], found, i, 0);
        auto owners = pointers_to(rows);
        for (const auto& r : m.relations)
            if (r->cascades()) r->remove_children(db, owners, soft);
    }
    std::string target = m.info.qualified() + " AS " + quote_ident(m.info.name);
    if (soft)
        db.run("UPDATE " + target + " SET " +
                   quote_ident(m.info.columns[std::size_t(deleted_at)].name) + " = now() WHERE " +
                   condition + " AND " + alive,
               params);
    else
        db.run("DELETE FROM " + target + " WHERE " + condition, params);
}

// The owners' primary keys, each once.
template <class O>
key_set primary_keys_of(std::span<O* const> owners, const relation_label& label) {
    key_set k;
    collect_keys(std::vector<O*>(owners.begin(), owners.end()),
                 key_positions(model_of<O>().info, label), k, label);
    return k;
}

// has_many, has_one: the children whose `keys` reference one of the owners, removed.
template <class O, class C, class... F>
void remove_children_of(session& db, std::span<O* const> owners, const std::tuple<F C::*...>& keys,
                        bool soft, const relation_label& label) {
    remove_rows<C>(db, member_positions<C>(keys), primary_keys_of(owners, label), soft);
}

// The deleted_at a soft removal gives an owner and the children it cascades to (now(): one per
// transaction, and the removal is one transaction).
using deletion_stamp = std::chrono::sys_time<std::chrono::microseconds>;

// Restores the rows of C whose `columns` hold one of `keys` and whose deleted_at is `stamp` (soft-
// deleted with their owner): first their own such children, for C's cascading relationships
// (the rows read in one statement), then the rows in one statement. A C without the soft-delete
// mixin was left as it was by the removal, and is now.
template <class C>
void restore_rows(session& db, std::span<const std::size_t> columns, const key_set& keys,
                  deletion_stamp stamp) {
    const auto& m = model_of<C>();
    int deleted_at = m.info.soft_delete_column();
    if (keys.keys.empty() || deleted_at < 0) return;
    auto params = key_arrays(keys.keys, keys.types);
    params.push_back(make_param(stamp));
    const auto& column = m.info.columns[std::size_t(deleted_at)].name;
    auto condition =
        keys_condition(column_names<C>(columns, m.info.name), column_types<C>(columns)) + " AND " +
        qualified_column(m.info.name, column) + " = $" + std::to_string(params.size());
    bool deeper = false;
    for (const auto& r : m.relations) deeper = deeper || r->cascades();
    if (deeper) {
        auto found =
            db.run("SELECT " + model_columns<C>() + " FROM " + from_of<C>() + " WHERE " + condition,
                   params);
        check_model_width<C>(found);
        std::vector<C> rows(found.size());
        for (std::size_t i = 0; i < rows.size(); ++i) read_model(rows[i], found, i, 0);
        auto owners = pointers_to(rows);
        for (const auto& r : m.relations)
            if (r->cascades()) r->restore_children(db, owners, stamp);
    }
    db.run("UPDATE " + m.info.qualified() + " AS " + quote_ident(m.info.name) + " SET " +
               quote_ident(column) + " = NULL WHERE " + condition,
           params);
}

// has_many, has_one: the children whose `keys` reference one of the owners and that were
// soft-deleted with them, restored.
template <class O, class C, class... F>
void restore_children_of(session& db, std::span<O* const> owners, const std::tuple<F C::*...>& keys,
                         deletion_stamp stamp, const relation_label& label) {
    restore_rows<C>(db, member_positions<C>(keys), primary_keys_of(owners, label), stamp);
}

// delete_orphans, when the owners are saved: the children loaded in their collections that are
// in none of them now are removed (soft-deleted when C has the mixin).
template <class O, class C>
void remove_orphans(session& db, std::span<O* const> owners, many<C> O::*member,
                    const relation_label& label) {
    auto key = key_positions(model_of<C>().info, label);
    key_set now, orphans;
    std::vector<C*> items;
    for (O* o : owners) {
        auto& m = (*o).*member;
        if (!m.loaded()) continue;
        for (auto& c : relation_access::items(m)) items.push_back(&c);
    }
    collect_keys(items, key, now, label);
    // The keys present, looked up by value (collect_keys gives an integer key's map back: loads
    // find those through key_lookup).
    key_map present;
    for (const auto& k : now.keys) present.try_emplace(k, 0);
    for (O* o : owners) {
        const auto& loaded = relation_access::loaded_keys((*o).*member);
        if (!loaded || !((*o).*member).loaded()) continue;
        orphans.types = loaded->types;
        for (const auto& k : loaded->keys)
            if (!present.contains(k) &&
                orphans.slots.try_emplace(k, std::uint32_t(orphans.keys.size())).second)
                orphans.keys.push_back(k);
    }
    remove_rows<C>(db, key, orphans, model_of<C>().info.soft_delete_column() >= 0);
}

}  // namespace ender::detail
