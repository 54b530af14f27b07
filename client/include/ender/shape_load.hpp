// Relationships of read shapes: a member of a shape (an ender::ref or ender::many of a read shape
// of the related model) bound to a relationship of the shape's model, loaded with selectin:
//
//   struct team_read { std::int64_t id{}; std::string name; };
//   struct hero_read { std::int64_t id{}; std::string name; ender::ref<team_read> team; };
//   inline auto ender_shape(ender::tag<hero_read>) {
//       return ender::shape<hero_read, hero>(ender::field(&hero_read::id, &hero::id),
//                                            ender::field(&hero_read::name, &hero::name))
//           .relationship(&hero_read::team, &hero::team);
//   }
//   db.select<hero_read>().with(&hero_read::team).all();  // 2 statements
//
// The select of the owners carries the relationship's key columns after the shape's fields; the
// related shapes are read by one statement per batch of 10,000 distinct keys (an array
// parameter per key column), soft-deleted rows left out as the related shape leaves them out.
#pragma once

#include "ender/load.hpp"
#include "ender/shape.hpp"

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace ender {

namespace detail {
// The relationship of shape S held by member `member` (of type X: ref<RS> or many<RS>).
template <class S, class X>
struct shape_member_relation : shape_relation<S> {
    X S::*member{};
};

// Member `member` of S (over model From) loads From's relationship `model_member` (of type R).
template <class S, class X, class From, class R>
struct shape_relation_of : shape_member_relation<S, X> {
    using RS = typename relation_member<X>::element;  // the related read shape
    using P = typename relation_member<R>::element;   // the related model
    R From::*model_member{};

    load_key key() const { return find_relation<From>(model_member).key_columns(); }
    std::string key_list() const override {
        const auto& t = model_of<From>().info;
        std::string list;
        for (auto c : key().owner)
            list += (list.empty() ? "" : ", ") + qualified_column(t.name, t.columns[c].name);
        return list;
    }
    std::size_t key_width() const override { return key().owner.size(); }

    void load(session& db, std::span<S* const> owners, const result& r,
              std::size_t first) const override {
        auto k = key();
        std::vector<std::size_t> at(k.owner.size());
        for (std::size_t j = 0; j < at.size(); ++j) at[j] = j;
        // The owners' distinct keys, each owner's slot (none for a NULL key).
        key_set keys;
        for (std::size_t j = 0; j < at.size(); ++j) keys.types.push_back(r.column_type(first + j));
        std::vector<std::uint32_t> slot_of(owners.size(), UINT32_MAX);
        std::string buf;
        for (std::size_t i = 0; i < owners.size(); ++i) {
            start((*owners[i]).*this->member);
            buf.clear();
            if (!row_key(r, i, at, first, buf)) continue;
            auto [it, fresh] = keys.slots.try_emplace(buf, std::uint32_t(keys.keys.size()));
            if (fresh) keys.keys.push_back(buf);
            slot_of[i] = it->second;
        }
        // The related shapes of each key slot.
        std::vector<std::vector<std::shared_ptr<RS>>> found(keys.keys.size());
        const std::size_t width =
            std::tuple_size_v<typename std::decay_t<decltype(shape_of<RS>())>::member_types>;
        for (std::size_t from = 0; from < keys.keys.size(); from += batch) {
            auto part = std::span<const std::string>(keys.keys).subspan(
                from, std::min(batch, keys.keys.size() - from));
            auto f = statement(k, key_arrays(part, keys.types));
            auto rows = db.run(f.text(), f.params());
            rows.check_width(width + at.size());
            for (std::size_t row = 0; row < rows.size(); ++row) {
                buf.clear();
                if (!row_key(rows, row, at, width, buf)) continue;
                auto slot = keys.slots.find(buf);
                if (slot == keys.slots.end()) continue;
                auto object = std::make_shared<RS>();
                shape_of<RS>().read(*object, rows, row);
                found[slot->second].push_back(std::move(object));
            }
        }
        for (std::size_t i = 0; i < owners.size(); ++i)
            if (slot_of[i] != UINT32_MAX) attach((*owners[i]).*this->member, found[slot_of[i]]);
    }

private:
    static constexpr std::size_t batch = 10000;
    // SELECT <RS's fields>, <P's key columns> FROM <RS's model> ... WHERE <key> = ANY($n).
    fragment statement(const load_key& k, std::vector<param> arrays) const {
        const auto& def = shape_of<RS>();
        if (!def.base.group_by.empty())
            throw usage_error("0A000", "a grouped read shape cannot be loaded as a relationship",
                              "Its rows are groups, not objects of its model.",
                              "Declare the relationship's shape without group_by.");
        const auto& t = model_of<P>().info;
        auto list = def.select_list();
        std::vector<std::string> columns;
        for (auto c : k.related) {
            columns.push_back(qualified_column(t.name, t.columns[c].name));
            list.sql(", ").sql(columns.back());
        }
        auto types = column_types<P>(k.related);
        fragment condition;
        if (columns.size() == 1) {
            condition.sql(columns[0]).sql(" = ANY(").bind(arrays[0]).sql("::" + types[0] + "[])");
        } else {
            std::string row;
            for (const auto& c : columns) row += (row.empty() ? "(" : ", ") + c;
            condition.sql(row + ") IN (SELECT * FROM unnest(");
            for (std::size_t j = 0; j < arrays.size(); ++j)
                condition.sql(j ? ", " : "").bind(arrays[j]).sql("::" + types[j] + "[]");
            condition.sql("))");
        }
        auto c = def.base;
        c.where.push_back(condition);
        return c.render(list);
    }
    template <class T>
    static void start(ref<T>& r) {
        relation_access::start(r);
    }
    template <class T>
    static void start(many<T>& m) {
        relation_access::start(m);
    }
    // A ref gets the key's object (shared by the owners of one key), a many a copy of them all.
    static void attach(ref<RS>& r, const std::vector<std::shared_ptr<RS>>& objects) {
        if (!objects.empty()) relation_access::set(r, objects.front());
    }
    static void attach(many<RS>& m, const std::vector<std::shared_ptr<RS>>& objects) {
        auto& items = relation_access::items(m);
        items.reserve(objects.size());
        for (const auto& o : objects) items.push_back(*o);
    }
};
}  // namespace detail

template <class S, class From, class... M>
template <class X, class R>
shape_def<S, From, M...> shape_def<S, From, M...>::relationship(X S::*member,
                                                                R From::*model_member) const {
    static_assert(detail::relation_member<R>::value,
                  "ender::shape::relationship: the model's member is not a relationship (an "
                  "ender::ref<T> or ender::many<T> mapped with belongs_to, has_one or has_many)");
    static_assert(detail::relation_member<X>::value,
                  "ender::shape::relationship: the shape's member must be an ender::ref<Shape> or "
                  "an ender::many<Shape> of a read shape of the related model");
    if constexpr (detail::relation_member<R>::value && detail::relation_member<X>::value) {
        using RS = typename detail::relation_member<X>::element;
        using P = typename detail::relation_member<R>::element;
        static_assert(detail::is_ref<X>::value == detail::is_ref<R>::value,
                      "ender::shape::relationship: a parent or single child (ender::ref) loads "
                      "into an ender::ref, children (ender::many) into an ender::many");
        if constexpr (!detail::is_ref<R>::value) {
            static_assert(
                std::is_void_v<typename R::link_type> && std::is_void_v<typename X::link_type>,
                "ender::shape::relationship: a many-to-many relationship cannot load "
                "into a read shape; select the model to load it");
        }
        static_assert(read_shape<RS>,
                      "ender::shape::relationship: the member's element is not a read shape "
                      "(declare ender_shape for it)");
        if constexpr (read_shape<RS>) {
            using source = typename std::decay_t<decltype(shape_of<RS>())>::source_type;
            static_assert(std::is_same_v<source, P>,
                          "ender::shape::relationship: the member's read shape must be a shape "
                          "of the relationship's related model");
        }
    }
    auto r = std::make_shared<detail::shape_relation_of<S, X, From, R>>();
    r->member = member;
    r->model_member = model_member;
    auto d = *this;
    d.relations.push_back(std::move(r));
    return d;
}

template <class S>
template <class X>
shape_query<S>& shape_query<S>::with(X S::*member) {
    static_assert(detail::relation_member<X>::value,
                  "ender::shape_query::with: the member is not a relationship of the read shape "
                  "(an ender::ref or ender::many bound with relationship() in its ender_shape)");
    for (const auto& r : shape_of<S>().relations)
        if (auto* typed = dynamic_cast<const detail::shape_member_relation<S, X>*>(r.get());
            typed && typed->member == member) {
            loads_.push_back(r);
            return *this;
        }
    throw usage_error("42P17", "the member is not a declared relationship of the read shape", "",
                      "Bind it with .relationship(member, &Model::relationship) in the shape's "
                      "ender_shape.");
}

}  // namespace ender
