// The declarations the public has_many/belongs_to/has_one/many_to_many return: table options
// that add the relation to the model and the key it implies to the table.
#pragma once

#include "ender/detail/many_to_many.hpp"
#include "ender/model.hpp"

#include <memory>
#include <optional>
#include <string>
#include <tuple>

namespace ender::detail {

// The part of a relationship declaration every kind shares: its name and ON DELETE action.
template <class Self>
struct relation_declaration : table_option {
    std::optional<std::string> name_;
    action on_delete_ = action::no_action;
    // The relationship's name in errors ("team.heroes"); the related table's name by default.
    Self name(std::string n) const {
        auto c = static_cast<const Self&>(*this);
        c.name_ = std::move(n);
        return c;
    }
    // ON DELETE of the foreign key the relationship implies.
    Self on_delete(action a) const {
        auto c = static_cast<const Self&>(*this);
        c.on_delete_ = a;
        return c;
    }

protected:
    template <class O, class Related>
    relation_label make_label() const {
        return {[n = name_] {
            return model_of<O>().info.name + "." + (n ? *n : model_of<Related>().info.name);
        }};
    }
    // The key the relationship implies: `from`'s columns reference `to`'s primary key.
    template <class From, class To, class... F>
    relation_key make_key(std::tuple<F From::*...> members, bool unique) const {
        relation_key k;
        k.from = [members] {
            const auto& m = model_of<From>();
            key_target t{m.info.schema, m.info.name, {}};
            std::apply([&](auto... p) { (t.columns.push_back(m.column_name(p)), ...); }, members);
            return t;
        };
        k.to = [] {
            const auto& m = model_of<To>();
            return key_target{m.info.schema, m.info.name, m.info.primary_key};
        };
        k.on_delete = action_sql(on_delete_);
        k.unique = unique;
        return k;
    }
};

// has_many, belongs_to and has_one: a relation whose key columns (From's) reference To's
// primary key.
template <class Relation, class From, class To, bool Unique>
struct keyed_declaration : relation_declaration<keyed_declaration<Relation, From, To, Unique>> {
    using owner = typename Relation::owner;
    using related = typename Relation::related;
    decltype(Relation::member) member{};
    decltype(Relation::keys) keys;
    ender::cascade cascade_ = ender::cascade::none;
    ref<owner> related::*back_ = nullptr;
    // The related objects' reference to the owner (the inverse relationship): a load sets it to
    // the owner that loaded them, with no query (SQLAlchemy's back_populates).
    keyed_declaration back_populates(ref<owner> related::*inverse) const {
        auto c = *this;
        c.back_ = inverse;
        return c;
    }
    // What removing the owner does to the children (has_many, has_one).
    keyed_declaration cascade(ender::cascade what) const {
        static_assert(Relation::holds_children,
                      "ender::cascade: only has_many and has_one have children to remove");
        auto c = *this;
        c.cascade_ = what;
        return c;
    }
    template <class Table>
    void apply_table(Table& t) const {
        auto r = std::make_shared<Relation>();
        r->member = member;
        r->keys = keys;
        r->back = back_;
        r->cascade_mode = cascade_;
        r->label =
            this->template make_label<typename Relation::owner, typename Relation::related>();
        t.relations.push_back(r);
        t.info.relation_keys.push_back(this->template make_key<From, To>(keys, Unique));
    }
};

// The link model's columns: A and B are tuples of members of L (owner side, target side).
template <class L, class A, class B>
struct via_declaration {
    A owner_keys;
    B target_keys;
};

template <class O, class M, class L, class A, class B>
struct many_to_many_declaration : relation_declaration<many_to_many_declaration<O, M, L, A, B>> {
    using C = typename M::value_type;
    using Link = typename M::link_type;
    M O::*member;
    via_declaration<L, A, B> via;
    shared_many<O, Link> C::*inverse = nullptr;
    // The targets' collection of their owners (shared_many on both sides): a load sets it to the
    // owners that loaded each target, with no query of its own.
    many_to_many_declaration back_populates(shared_many<O, Link> C::*back) const {
        static_assert(is_shared_many<M>::value,
                      "ender::many_to_many: back_populates needs shared objects: declare the "
                      "collection as ender::shared_many<T> (an ender::many<T> holds a copy of "
                      "each target per owner)");
        auto c = *this;
        c.inverse = back;
        return c;
    }
    template <class Table>
    void apply_table(Table& t) const {
        auto r = std::make_shared<many_to_many_relation<O, M, L, A, B>>();
        r->member = member;
        r->owner_keys = via.owner_keys;
        r->target_keys = via.target_keys;
        r->inverse = inverse;
        r->label = this->template make_label<O, C>();
        t.relations.push_back(r);
        t.info.relation_keys.push_back(this->template make_key<L, O>(via.owner_keys, false));
        t.info.relation_keys.push_back(this->template make_key<L, C>(via.target_keys, false));
    }
};

template <class Relation, class From, class To, bool Unique, class M, class... K>
auto declare(M member, K... keys) {
    keyed_declaration<Relation, From, To, Unique> d;
    d.member = member;
    d.keys = {keys...};
    return d;
}

}  // namespace ender::detail
