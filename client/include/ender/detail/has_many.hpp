// has_many: a one-to-many relationship, the children's key referencing the owner's primary key;
// loaded by keys in batches, or (self-referential) as a whole tree in one recursive statement.
#pragma once

#include "ender/detail/cascade.hpp"
#include "ender/detail/graph_insert.hpp"
#include "ender/detail/relation.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ender::detail {

// has_many: the children hold the key (fks) that references the owner's primary key.
template <class O, class C, class... F>
struct has_many_relation : relation<O, many<C>> {
    using owner = O;
    using related = C;
    static constexpr bool holds_children = true;
    std::tuple<F C::*...> keys;

    load_key key_columns() const override { return children_key<O, C>(keys, this->label); }

    step_queries queries_for(std::span<O* const> owners, const load_options& o,
                             const joined_tail<C>& tail) const override {
        auto load = begin_load(owners, this->member, this->label,
                               [&] { return children_key<O, C>(keys, this->label); });
        if (!load || load->keys->keys.empty()) return {};
        auto& [todo, key, k, slot_of] = *load;
        auto& child_columns = key.related;
        step_queries w;
        w.undo = unload(todo, this->member);
        w.statements = key_batches(
            select_by_keys<C>(child_columns, column_types<C>(child_columns), tail, o.with_deleted),
            *k, o.batch);
        // The children of each result attached as it arrives; the owners that share a key get
        // a copy of the first one's children at the end.
        auto st = std::make_shared<collection_load<O>>(std::move(todo), slot_of, k);
        auto count = std::make_shared<std::vector<std::uint32_t>>(st->todo.size());
        w.attach = [member = this->member, st, count, child_columns = std::move(child_columns),
                    tail](const result& r) {
            auto& [todo, keys, slots, lookup] = *st;
            check_joined_width(r, tail);
            // First the number of children of each owner, so each vector is allocated once
            // (and the children do not move while the joined objects are attached).
            std::vector<std::uint32_t> row_owner(r.size(), UINT32_MAX);
            for (std::size_t row = 0; row < r.size(); ++row) {
                auto slot = lookup.find(r, row, child_columns, 0);
                if (slot == key_lookup::none) continue;
                row_owner[row] = slots.first[slot];
                ++(*count)[row_owner[row]];
            }
            for (auto i : row_owner)
                if (i != UINT32_MAX && (*count)[i]) {
                    auto& items = relation_access::items((*todo[i]).*member);
                    items.reserve(items.size() + (*count)[i]);
                    (*count)[i] = 0;
                }
            std::vector<C*> rows(r.size(), nullptr);
            model_reader<C> reader(r, 0);
            for (std::size_t row = 0; row < r.size(); ++row) {
                if (row_owner[row] == UINT32_MAX) continue;
                auto& items = relation_access::items((*todo[row_owner[row]]).*member);
                rows[row] = &items.emplace_back();
                reader.read(*rows[row], row);
            }
            if (tail.attach) tail.attach(rows, r, model_of<C>().info.columns.size());
        };
        w.finish = [this, st] {
            st->copy_shared(this->member);
            loaded(st->todo);
        };
        return w;
    }

    // After a load: each child refers back to its owner (back_populates), and under
    // delete_orphans the collection remembers the keys it was loaded with.
    void loaded(std::span<O* const> owners) const {
        if (!this->back && this->cascade_mode != ender::cascade::delete_orphans) return;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            auto& items = relation_access::items(m);
            if (this->back)
                for (auto& c : items) relation_access::set(c.*(this->back), unowned(o));
            if (this->cascade_mode == ender::cascade::delete_orphans)
                relation_access::loaded_keys(m, keys_of(items, this->label));
        }
    }

    void remove_children(session& db, std::span<O* const> owners, bool soft) const override {
        remove_children_of<O, C>(db, owners, keys, soft, this->label);
    }
    void restore_children(session& db, std::span<O* const> owners,
                          deletion_stamp stamp) const override {
        restore_children_of<O, C>(db, owners, keys, stamp, this->label);
    }

    // Joined (ender::joined on a collection, the first step of a select): the children by a
    // LEFT JOIN, the owner's row repeated for each.
    std::pair<std::string, std::string> joined_sql(const std::string& alias,
                                                   const std::string& owner_alias) const override {
        return children_join<O, C>(keys, this->label, alias, owner_alias);
    }
    std::size_t joined_width() const override { return model_of<C>().info.columns.size(); }
    // Row i holds a child of owners[i] (the same owner on several rows), or none when the
    // joined key is NULL (an owner without children); every owner's collection is loaded.
    void attach_joined(std::span<O* const> owners, const result& r,
                       std::size_t first) const override {
        auto key = member_positions<C>(keys);
        model_reader<C> reader(r, first);
        std::vector<O*> started;  // each owner once
        for (std::size_t row = 0; row < owners.size(); ++row) {
            if (!owners[row]) continue;
            auto& m = (*owners[row]).*this->member;
            if (!m.loaded()) {
                relation_access::start(m);
                started.push_back(owners[row]);
            }
            if (r.is_null(row, first + key[0])) continue;
            reader.read(relation_access::items(m).emplace_back(), row);
        }
        loaded(started);
    }

    // insert_graph: each child's key set to its owner's; new children inserted, persistent
    // ones pointed at their owner.
    void insert_below(session& db, std::span<O* const> owners) const override {
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto child_columns = member_positions<C>(keys);
        bool orphans = this->cascade_mode == ender::cascade::delete_orphans;
        if (orphans) remove_orphans(db, owners, this->member, this->label);
        std::vector<C*> fresh, linked;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            if (!m.loaded()) continue;
            for (auto& c : relation_access::items(m)) {
                copy_key(c, child_columns, *o, owner_columns);
                (is_new(c) ? fresh : linked).push_back(&c);
            }
        }
        insert_children(db, fresh, linked, child_columns, this->label);
        if (orphans)  // what the next save compares with
            for (O* o : owners)
                if (auto& m = (*o).*this->member; m.loaded())
                    relation_access::loaded_keys(m,
                                                 keys_of(relation_access::items(m), this->label));
    }

    // The whole subtree of each owner in one WITH RECURSIVE statement (CYCLE stops at a
    // cycle), then attached top-down: each node's children grouped by their key in O(rows).
    step_queries tree_queries_for(std::span<O* const> owners,
                                  const load_options& o) const override {
        if constexpr (!std::is_same_v<O, C>) {
            return relation<O, many<C>>::tree_queries_for(owners, o);
        } else {
            auto load = begin_load(owners, this->member, this->label,
                                   [&] { return children_key<O, C>(keys, this->label); });
            if (!load || load->keys->keys.empty()) return {};
            const auto& t = model_of<O>().info;
            auto& [todo, key, k, slot_of] = *load;
            auto& key_columns = key.owner;
            auto& child_columns = key.related;
            step_queries w;
            w.undo = unload(todo, this->member);
            w.statements =
                key_batches(tree_statement(t, key_columns, child_columns, model_columns<C>(),
                                           load_filter<C>(o.with_deleted)),
                            *k, o.batch);
            // A node's children may come in any batch: the results are kept until the last.
            auto kept = std::make_shared<std::vector<result>>();
            w.attach = [kept](const result& r) { kept->push_back(r); };
            w.finish = [this, member = this->member, label = &this->label, todo = std::move(todo),
                        k = k, key_columns = std::move(key_columns),
                        child_columns = std::move(child_columns), kept] {
                const auto& results = *kept;
                // Rows grouped by the key they hang from (their parent's).
                key_map group_of;
                std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> groups;
                std::string buf;
                for (std::uint32_t which = 0; which < results.size(); ++which) {
                    const auto& r = results[which];
                    check_model_width<C>(r);
                    for (std::size_t row = 0; row < r.size(); ++row) {
                        buf.clear();
                        if (!row_key(r, row, child_columns, 0, buf)) continue;
                        auto [it, fresh] = group_of.try_emplace(buf, std::uint32_t(groups.size()));
                        if (fresh) groups.emplace_back();
                        groups[it->second].emplace_back(which, std::uint32_t(row));
                    }
                }
                std::vector<model_reader<C>> readers;
                readers.reserve(results.size());
                for (const auto& r : results) readers.emplace_back(r, 0);
                // Top-down: fill a node's children completely before going below them, so the
                // nodes' addresses never change.
                std::vector<std::pair<O*, std::string>> stack;
                auto types = k->types;
                for (O* owner : todo) {
                    buf.clear();
                    if (object_key(*owner, key_columns, buf, types, *label))
                        stack.emplace_back(owner, buf);
                }
                std::vector<O*> nodes;
                while (!stack.empty()) {
                    auto [node, key] = std::move(stack.back());
                    stack.pop_back();
                    auto& items = relation_access::start((*node).*member);
                    nodes.push_back(node);
                    auto g = group_of.find(std::string_view(key));
                    if (g == group_of.end()) continue;
                    // Each group is attached once: a cycle in the data ends here.
                    const auto rows = std::move(groups[g->second]);
                    group_of.erase(g);
                    items.resize(rows.size());
                    for (std::size_t i = 0; i < rows.size(); ++i) {
                        const auto& r = results[rows[i].first];
                        readers[rows[i].first].read(items[i], rows[i].second);
                        buf.clear();
                        if (row_key(r, rows[i].second, key_columns, 0, buf))
                            stack.emplace_back(&items[i], buf);
                    }
                }
                loaded(nodes);
            };
            return w;
        }
    }
};

}  // namespace ender::detail
