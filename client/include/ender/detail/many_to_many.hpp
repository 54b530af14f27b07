// many_to_many: owners and targets joined by the rows of a link model (which may carry columns
// of its own, readable as many<T, Link>::link(i)).
#pragma once

#include "ender/detail/graph_insert.hpp"
#include "ender/detail/relation.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>
#include <type_traits>
#include <unordered_set>

namespace ender::detail {

template <class M>
struct is_shared_many : std::false_type {};
template <class T, class L>
struct is_shared_many<shared_many<T, L>> : std::true_type {};

// An item of a collection: the object itself (many) or the one it points at (shared_many).
template <class C>
C& item_object(C& item) {
    return item;
}
template <class C>
C& item_object(std::shared_ptr<C>& item) {
    return *item;
}

// many_to_many: rows of the link model L join the owner (its columns owner_keys reference the
// owner's primary key) to the target (target_keys, the target's): A and B are tuples of members
// of L, one per key column. M is the owner's collection: many<C, Link> (each owner its own copy
// of the targets) or shared_many<C, Link> (one object per target, `inverse` back-populated).
template <class O, class M, class L, class A, class B>
struct many_to_many_relation : relation<O, M> {
    using C = typename M::value_type;
    using Link = typename M::link_type;
    static constexpr bool shared = is_shared_many<M>::value;
    A owner_keys{};
    B target_keys{};
    // shared_many: the targets' collection of the owners that loaded them (back_populates).
    shared_many<O, Link> C::*inverse = nullptr;

    step_queries queries_for(std::span<O* const> owners, const load_options& o,
                             const joined_tail<C>& tail) const override {
        const auto& label = this->label;
        const auto& link = model_of<L>().info;
        const auto& target = model_of<C>().info;
        std::vector<std::size_t> target_columns, link_target;
        // The owner's key is held by the link rows' owner_keys; the target's key by target_keys.
        auto load = begin_load(owners, this->member, label, [&] {
            load_key key{key_positions(model_of<O>().info, label), {}};
            target_columns = key_positions(target, label);
            key.related = member_positions<L>(owner_keys);
            link_target = member_positions<L>(target_keys);
            check_key_types(link, key.related, model_of<O>().info, key.owner, label);
            check_key_types(link, link_target, target, target_columns, label);
            return key;
        });
        if (!load || load->keys->keys.empty()) return {};
        auto& [todo, key, k, slot_of] = *load;
        const auto& link_owner = key.related;
        // SELECT link.owner_keys, <target>, [<link>], [<joined>] FROM link JOIN target ON ...
        // [joins] WHERE keys
        constexpr bool with_link = !std::is_void_v<Link>;
        std::string sql = "SELECT ", on;
        for (auto c : link_owner) sql += qualified_column(link.name, link.columns[c].name) + ", ";
        sql += model_columns<C>();
        if constexpr (with_link) sql += ", " + model_columns<L>();
        if (!tail.columns.empty()) sql += ", " + tail.columns;
        for (std::size_t j = 0; j < target_columns.size(); ++j)
            on += (j ? " AND " : "") +
                  qualified_column(target.name, target.columns[target_columns[j]].name) + " = " +
                  qualified_column(link.name, link.columns[link_target[j]].name);
        sql += " FROM " + from_of<L>() + " JOIN " + from_of<C>() + " ON " + on + tail.joins +
               " WHERE " +
               keys_condition(column_names<L>(link_owner, link.name), column_types<L>(link_owner));
        if (const auto& f = soft_delete_filter<C>(); !f.empty()) sql += " AND " + f;
        step_queries w;
        w.undo = unload(todo, this->member);
        w.statements = key_batches(sql, *k, o.batch);
        // Each result attached as it arrives; the owners that share a key get a copy of the
        // first one's items at the end.
        auto st = std::make_shared<collection_load<O>>(std::move(todo), slot_of, k);
        if constexpr (shared) {
            w.attach = shared_attach(st, tail, link_owner.size(), target_columns);
            w.finish = [this, st] {
                st->copy_shared(this->member);
                back_populate(st->todo);
            };
        } else {
            w.attach = copied_attach(st, tail, link_owner.size());
            w.finish = [member = this->member, st] { st->copy_shared(member); };
        }
        return w;
    }

    // many: each result's rows attached as it arrives, a copy of the target for each owner.
    std::function<void(const result&)> copied_attach(std::shared_ptr<collection_load<O>> st,
                                                     const joined_tail<C>& tail,
                                                     std::size_t n) const {
        constexpr bool with_link = !std::is_void_v<Link>;
        return [member = this->member, st, tail, n](const result& r) {
            const auto target_width = model_of<C>().info.columns.size();
            std::size_t width =
                n + target_width + (with_link ? model_of<L>().info.columns.size() : 0);
            std::vector<std::size_t> key_column(n);
            for (std::size_t j = 0; j < n; ++j) key_column[j] = j;
            r.check_width(width + tail.width);
            std::vector<std::pair<O*, std::size_t>> placed(r.size());  // owner, item
            model_reader<C> read_target(r, n);
            std::optional<model_reader<L>> read_link;
            if constexpr (with_link) read_link.emplace(r, n + target_width);
            for (std::size_t row = 0; row < r.size(); ++row) {
                O* owner = st->owner_of(r, row, key_column);
                if (!owner) continue;
                auto& m = (*owner).*member;
                placed[row] = {owner, relation_access::items(m).size()};
                read_target.read(relation_access::items(m).emplace_back(), row);
                if constexpr (with_link)
                    read_link->read(relation_access::links(m).emplace_back(), row);
            }
            if (!tail.attach) return;
            // The items are in place now: their addresses no longer change.
            std::vector<C*> rows(r.size(), nullptr);
            for (std::size_t row = 0; row < r.size(); ++row)
                if (auto [owner, item] = placed[row]; owner)
                    rows[row] = &relation_access::items((*owner).*member)[item];
            tail.attach(rows, r, width);
        };
    }

    // shared_many: each result's rows attached as it arrives, one object per target key (the
    // owners linked to a target share it, whichever batch they come in).
    std::function<void(const result&)> shared_attach(
        std::shared_ptr<collection_load<O>> st, const joined_tail<C>& tail, std::size_t n,
        std::vector<std::size_t> target_columns) const {
        auto seen = std::make_shared<key_map>();
        auto objects = std::make_shared<std::vector<std::shared_ptr<C>>>();
        return [member = this->member, st, tail, n, target_columns = std::move(target_columns),
                seen, objects](const result& r) {
            const auto target_width = model_of<C>().info.columns.size();
            constexpr bool with_link = !std::is_void_v<Link>;
            std::size_t width =
                n + target_width + (with_link ? model_of<L>().info.columns.size() : 0);
            std::vector<std::size_t> key_column(n);
            for (std::size_t j = 0; j < n; ++j) key_column[j] = j;
            r.check_width(width + tail.width);
            model_reader<C> read_target(r, n);
            std::optional<model_reader<L>> read_link;
            if constexpr (with_link) read_link.emplace(r, n + target_width);
            std::vector<C*> fresh(r.size(), nullptr);  // the rows that read a new target
            std::string buf;
            for (std::size_t row = 0; row < r.size(); ++row) {
                O* owner = st->owner_of(r, row, key_column);
                if (!owner) continue;
                buf.clear();
                row_key(r, row, target_columns, n, buf);
                auto [at, is_new] = seen->try_emplace(buf, std::uint32_t(objects->size()));
                if (is_new) {
                    fresh[row] = objects->emplace_back(std::make_shared<C>()).get();
                    read_target.read(*fresh[row], row);
                }
                auto& m = (*owner).*member;
                relation_access::items(m).push_back((*objects)[at->second]);
                if constexpr (with_link)
                    read_link->read(relation_access::links(m).emplace_back(), row);
            }
            if (tail.attach) tail.attach(fresh, r, width);
        };
    }

    // back_populates: each target's inverse collection holds the owners that loaded it (the
    // owners themselves, not owned) and their link rows, in the owners' order.
    void back_populate(std::span<O* const> owners) const {
        if constexpr (shared) {
            if (!inverse) return;
            std::unordered_set<C*> started;
            for (O* o : owners) {
                auto& m = (*o).*this->member;
                auto& items = relation_access::items(m);
                for (std::size_t i = 0; i < items.size(); ++i) {
                    auto& back = (*items[i]).*inverse;
                    if (started.insert(items[i].get()).second) relation_access::start(back);
                    relation_access::items(back).push_back(unowned(o));
                    if constexpr (!std::is_void_v<Link>)
                        relation_access::links(back).push_back(relation_access::links(m)[i]);
                }
            }
        }
    }

    // insert_graph: the new targets inserted (each once), then a link row for every owner and
    // target unless it exists (ON CONFLICT DO NOTHING): a loaded link keeps its columns.
    void insert_below(session& db, std::span<O* const> owners) const override {
        std::vector<C*> fresh, targets;
        std::unordered_set<C*> seen;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            if (!m.loaded()) continue;
            for (auto& item : relation_access::items(m))
                if (C& c = item_object(item); seen.insert(&c).second) {
                    targets.push_back(&c);
                    if (is_new(c)) fresh.push_back(&c);
                }
        }
        insert_new<C>(db, fresh);
        detail::insert_below<C>(db, targets);
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto target_columns = key_positions(model_of<C>().info, this->label);
        auto link_owner = member_positions<L>(owner_keys);
        auto link_target = member_positions<L>(target_keys);
        std::vector<L> links;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            if (!m.loaded()) continue;
            auto& items = relation_access::items(m);
            for (std::size_t i = 0; i < items.size(); ++i) {
                auto& l = links.emplace_back();
                if constexpr (!std::is_void_v<Link>)
                    if (i < relation_access::links(m).size()) l = relation_access::links(m)[i];
                copy_key(l, link_owner, *o, owner_columns);
                copy_key(l, link_target, item_object(items[i]), target_columns);
            }
        }
        if (links.empty()) return;
        auto pointers = pointers_to(links);
        std::span<const L* const> all(pointers.data(), pointers.size());
        insert_values<L>(db, all, bulk_columns<L>(all, false), " ON CONFLICT DO NOTHING");
    }
};

}  // namespace ender::detail
