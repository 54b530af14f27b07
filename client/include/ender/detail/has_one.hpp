// has_one: a one-to-one relationship, the child's (unique) key referencing the owner's primary
// key; loaded by keys or joined.
#pragma once

#include "ender/detail/cascade.hpp"
#include "ender/detail/graph_insert.hpp"
#include "ender/detail/relation.hpp"

#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ender::detail {

// has_one: like has_many, with at most one child (the key is unique).
template <class O, class C, class... F>
struct has_one_relation : relation<O, ref<C>> {
    using owner = O;
    using related = C;
    static constexpr bool holds_children = true;
    std::tuple<F C::*...> keys;

    load_key key_columns() const override { return children_key<O, C>(keys, this->label); }

    step_queries queries_for(std::span<O* const> owners, const load_options& o,
                             const joined_tail<C>& tail) const override {
        auto load = begin_load(owners, this->member, this->label,
                               [&] { return children_key<O, C>(keys, this->label); });
        if (!load) return {};
        const auto& child_columns = load->key.related;
        auto sql =
            select_by_keys<C>(child_columns, column_types<C>(child_columns), tail, o.with_deleted);
        return load_refs(std::move(*load), this->member, sql, o.batch, tail, this->back);
    }

    // insert_graph: as has_many's, for the one child.
    void insert_below(session& db, std::span<O* const> owners) const override {
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto child_columns = member_positions<C>(keys);
        std::vector<C*> fresh, linked;
        for (O* o : owners) {
            const auto& m = (*o).*this->member;
            if (!m.loaded() || !relation_access::pointer(m)) continue;
            C& c = *relation_access::pointer(m);
            copy_key(c, child_columns, *o, owner_columns);
            (is_new(c) ? fresh : linked).push_back(&c);
        }
        insert_children(db, fresh, linked, child_columns, this->label);
    }

    std::pair<std::string, std::string> joined_sql(const std::string& alias,
                                                   const std::string& owner_alias) const override {
        return children_join<O, C>(keys, this->label, alias, owner_alias);
    }
    std::size_t joined_width() const override { return model_of<C>().info.columns.size(); }
    void attach_joined(std::span<O* const> owners, const result& r,
                       std::size_t first) const override {
        auto key = key_positions(model_of<C>().info, this->label);
        std::string buf;
        model_reader<C> reader(r, first);
        for (std::size_t row = 0; row < owners.size(); ++row) {
            if (!owners[row]) continue;
            auto& m = (*owners[row]).*this->member;
            buf.clear();
            if (!row_key(r, row, key, first, buf)) {
                relation_access::set(m, nullptr);
                continue;
            }
            auto c = std::make_shared<C>();
            reader.read(*c, row);
            if (this->back) relation_access::set((*c).*(this->back), unowned(owners[row]));
            relation_access::set(m, std::move(c));
        }
    }

    void remove_children(session& db, std::span<O* const> owners, bool soft) const override {
        remove_children_of<O, C>(db, owners, keys, soft, this->label);
    }
    void restore_children(session& db, std::span<O* const> owners,
                          deletion_stamp stamp) const override {
        restore_children_of<O, C>(db, owners, keys, stamp, this->label);
    }
};

}  // namespace ender::detail
