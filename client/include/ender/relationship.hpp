// Relationships between models, declared once in the mapping: has_many, belongs_to, has_one and
// many_to_many (through a link model that may carry columns), self-referential and with composite
// keys. The related objects live in ender::many<T> (a loaded collection) and ender::ref<T> (a
// shared parent); reading one that was not loaded throws, it never runs a hidden query.
//
//   struct team { std::int64_t id{}; std::string name; ender::many<hero> heroes; };
//   struct hero { std::int64_t id{}; std::optional<std::int64_t> team_id; ender::ref<team> team; };
//   ender::table<team>("team", ..., ender::has_many(&team::heroes, &hero::team_id));
//   ender::table<hero>("hero", ..., ender::belongs_to(&hero::team, &hero::team_id));
//
// Loading them is load.hpp's (select<T>().with(...), db.load(objects, ...)).
#pragma once

#include "ender/related.hpp"
#include "ender/detail/relation_keys.hpp"
#include "ender/detail/relation.hpp"
#include "ender/detail/graph_insert.hpp"
#include "ender/detail/has_many.hpp"
#include "ender/detail/belongs_to.hpp"
#include "ender/detail/has_one.hpp"
#include "ender/detail/many_to_many.hpp"
#include "ender/detail/relation_declaration.hpp"

#include <tuple>
#include <type_traits>

namespace ender {

// has_many(&team::heroes, &hero::team_id): the heroes whose team_id is the team's primary key
// (one member per key column, in the primary key's order, for composite keys).
template <class O, class C, class L, class F, class... Fs>
auto has_many(many<C, L> O::*member, F C::*key, Fs C::*... more_keys) {
    static_assert(std::is_void_v<L>,
                  "ender::has_many: a collection with a link model is many_to_many's");
    return detail::declare<detail::has_many_relation<O, C, F, Fs...>, C, O, false>(member, key,
                                                                                   more_keys...);
}

// belongs_to(&hero::team, &hero::team_id): the team whose primary key is the hero's team_id.
template <class O, class P, class F, class... Fs>
auto belongs_to(ref<P> O::*member, F O::*key, Fs O::*... more_keys) {
    return detail::declare<detail::belongs_to_relation<O, P, F, Fs...>, O, P, false>(member, key,
                                                                                     more_keys...);
}

// has_one(&hero::passport, &passport::hero_id): the one passport whose hero_id is the hero's
// primary key (a unique index on hero_id comes with it).
template <class O, class C, class F, class... Fs>
auto has_one(ref<C> O::*member, F C::*key, Fs C::*... more_keys) {
    return detail::declare<detail::has_one_relation<O, C, F, Fs...>, C, O, true>(member, key,
                                                                                 more_keys...);
}

// via(&hero_power::hero_id, &hero_power::power_id): the link model of a many-to-many
// relationship, its column referencing the owner, then the target's.
template <class L, class A, class B>
detail::via_declaration<L, std::tuple<A L::*>, std::tuple<B L::*>> via(A L::*owner_key,
                                                                       B L::*target_key) {
    return {std::tuple<A L::*>(owner_key), std::tuple<B L::*>(target_key)};
}

// keys(&link::country, &link::code): the columns of one side of a link model that reference a
// composite primary key, in the key's order (for via()).
template <class L, class... A>
std::tuple<A L::*...> keys(A L::*... members) {
    static_assert(sizeof...(A) > 0, "ender::keys: name the key's columns");
    return {members...};
}

// via(keys(&link::a1, &link::a2), keys(&link::b1, &link::b2)): a link model whose sides
// reference composite keys.
template <class L, class... A, class... B>
detail::via_declaration<L, std::tuple<A L::*...>, std::tuple<B L::*...>> via(
    std::tuple<A L::*...> owner_keys, std::tuple<B L::*...> target_keys) {
    return {owner_keys, target_keys};
}

// many_to_many(&hero::powers, via<hero_power>(...)): the powers linked to the hero. With
// ender::many<power, hero_power>, each power's link row is readable (powers.link(i)).
template <class O, class C, class Link, class L, class A, class B>
auto many_to_many(many<C, Link> O::*member, detail::via_declaration<L, A, B> link) {
    static_assert(std::is_void_v<Link> || std::is_same_v<Link, L>,
                  "ender::many_to_many: the collection's link type must be the via<> model");
    detail::many_to_many_declaration<O, many<C, Link>, L, A, B> d;
    d.member = member;
    d.via = link;
    return d;
}

// many_to_many(&student::courses, via(...)).back_populates(&course::students): the same over an
// ender::shared_many<course>: a course linked to several loaded students is one object, and
// (back_populates) its students collection holds those students.
template <class O, class C, class Link, class L, class A, class B>
auto many_to_many(shared_many<C, Link> O::*member, detail::via_declaration<L, A, B> link) {
    static_assert(std::is_void_v<Link> || std::is_same_v<Link, L>,
                  "ender::many_to_many: the collection's link type must be the via<> model");
    detail::many_to_many_declaration<O, shared_many<C, Link>, L, A, B> d;
    d.member = member;
    d.via = link;
    return d;
}

}  // namespace ender
