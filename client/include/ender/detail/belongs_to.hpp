// belongs_to: a many-to-one relationship, the owner's key referencing the parent's primary key;
// loaded by keys or joined, each parent shared by the owners that reference it.
#pragma once

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

// belongs_to: the owner holds the key (fks) that references the parent's primary key.
template <class O, class P, class... F>
struct belongs_to_relation : relation<O, ref<P>> {
    using owner = O;
    using related = P;
    static constexpr bool holds_children = false;
    std::tuple<F O::*...> keys;

    load_key key_columns() const override { return parent_key<O, P>(keys, this->label); }

    step_queries queries_for(std::span<O* const> owners, const load_options& o,
                             const joined_tail<P>& tail) const override {
        auto load = begin_load(owners, this->member, this->label,
                               [&] { return parent_key<O, P>(keys, this->label); });
        if (!load) return {};
        auto sql = select_by_keys<P>(load->key.related, column_types<O>(load->key.owner), tail,
                                     o.with_deleted);
        return load_refs(std::move(*load), this->member, sql, o.batch, tail, this->back);
    }

    std::pair<std::string, std::string> joined_sql(const std::string& alias,
                                                   const std::string& owner_alias) const override {
        const auto& p = model_of<P>().info;
        auto on = join_condition(p, key_positions(p, this->label), alias, model_of<O>().info,
                                 owner_alias, member_positions<O>(keys));
        return {aliased_columns(p, alias),
                " LEFT JOIN " + p.qualified() + " AS " + quote_ident(alias) + " ON " + on};
    }
    std::size_t joined_width() const override { return model_of<P>().info.columns.size(); }
    void attach_joined(std::span<O* const> owners, const result& r,
                       std::size_t first) const override {
        // Parents deduplicated by key: one object however many owners reference it.
        auto parent_columns = key_positions(model_of<P>().info, this->label);
        key_map seen;
        std::vector<std::shared_ptr<P>> parents;
        std::string buf;
        model_reader<P> reader(r, first);
        for (std::size_t row = 0; row < owners.size(); ++row) {
            if (!owners[row]) continue;
            auto& m = (*owners[row]).*this->member;
            buf.clear();
            if (!row_key(r, row, parent_columns, first, buf)) {
                relation_access::set(m, nullptr);
                continue;
            }
            auto [it, fresh] = seen.try_emplace(buf, std::uint32_t(parents.size()));
            if (fresh) reader.read(*parents.emplace_back(std::make_shared<P>()), row);
            relation_access::set(m, parents[it->second]);
            if (this->back)  // one-to-one: the parent's has_one is this owner
                relation_access::set((*parents[it->second]).*(this->back), unowned(owners[row]));
        }
    }
};

}  // namespace ender::detail
