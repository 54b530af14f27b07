// Eager loading of relationships (relationship.hpp): the only way they are ever filled.
//
//   db.select<team>().with(&team::heroes, &hero::powers).all();  // 3 queries, whatever the count
//   db.select<hero>().with(ender::joined(&hero::team)).all();    // 1 query, teams shared
//   db.load(teams, &team::heroes);                               // onto objects in hand
//   db.select<category>().with(ender::depth(&category::children, 3)).all();
//
// selectin (the default): one query per relationship level, the keys of all the owners sent as
// one binary array ("= ANY($1)"), split in batches of 10,000 keys (.batch(n)); the rows are
// attached to their owners through a hash of the keys. joined: a LEFT JOIN in the select itself,
// for belongs_to and has_one, as the first step of a path.
#pragma once

#include "ender/relationship.hpp"

#include <unordered_set>

namespace ender {

// One step of a load path: a relationship member and how to load it.
template <class P>
struct load_step {
    P member;
    detail::load_options options;
    std::size_t depth = 1;
    // Keys per query (10,000 by default; 0: all in one query).
    load_step batch(std::size_t keys) const {
        auto c = *this;
        c.options.batch = keys;
        return c;
    }
};

namespace detail {
template <class P>
struct member_pointer;
template <class O, class M>
struct member_pointer<M O::*> {
    using owner = O;
    using type = M;
};
template <class P>
concept relationship_pointer =
    std::is_member_object_pointer_v<P> && relation_member<typename member_pointer<P>::type>::value;

template <class S>
struct step_of {
    using pointer = S;
};
template <class P>
struct step_of<load_step<P>> {
    using pointer = P;
};
template <class S>
using step_pointer = typename step_of<S>::pointer;

template <class P>
load_step<P> as_step(const P& member) {
    return {member, {}, 1};
}
template <class P>
load_step<P> as_step(const load_step<P>& step) {
    return step;
}

template <class Owner, class S, class... Rest>
constexpr bool check_path() {
    using P = step_pointer<S>;
    static_assert(relationship_pointer<P>,
                  "ender::with: the member is not a relationship: declare it as ender::many<T> or "
                  "ender::ref<T> and map it with has_many, belongs_to, has_one or many_to_many");
    if constexpr (relationship_pointer<P>) {
        using O = typename member_pointer<P>::owner;
        static_assert(std::is_same_v<O, Owner>,
                      "ender::with: each step of a path must be a relationship of the model the "
                      "step before it loads");
        if constexpr (sizeof...(Rest) > 0)
            return check_path<typename relation_member<typename member_pointer<P>::type>::element,
                              Rest...>();
    }
    return true;
}

// The relationship declared on O for this member.
template <class O, class M>
const relation<O, M>& find_relation(M O::*member) {
    const auto& m = model_of<O>();
    for (const auto& r : m.relations)
        if (auto* typed = dynamic_cast<const relation<O, M>*>(r.get());
            typed && typed->member == member)
            return *typed;
    throw usage_error(
        "42P17", "the member is not a declared relationship of table \"" + m.info.name + "\"", "",
        "Declare it in the model's ender_model with has_many, belongs_to, "
        "has_one or many_to_many.");
}

// The related objects of a set of owners, each once (parents are shared between owners).
template <class O, class C, class L>
std::vector<C*> related(std::span<O* const> owners, many<C, L> O::*member) {
    std::vector<C*> out;
    for (O* o : owners)
        for (auto& c : relation_access::items((*o).*member)) out.push_back(&c);
    return out;
}
template <class O, class C>
std::vector<C*> related(std::span<O* const> owners, ref<C> O::*member) {
    std::vector<C*> out;
    std::unordered_set<C*> seen;
    for (O* o : owners)
        if (C* c = relation_access::pointer((*o).*member).get(); c && seen.insert(c).second)
            out.push_back(c);
    return out;
}

[[noreturn]] void joined_not_first();

// Loads a path of relationships from `owners`: each step one query per batch of keys.
template <class O, class S, class... Rest>
void run_path(session& db, std::vector<O*> owners, const S& step, const Rest&... rest) {
    if (step.options.joined) joined_not_first();
    const auto& r = find_relation<O>(step.member);
    using M = typename member_pointer<decltype(step.member)>::type;
    if (step.depth == 0) {  // tree(): every depth in one statement
        r.load_tree(db, owners, step.options);
        if constexpr (sizeof...(Rest) > 0 &&
                      std::is_same_v<typename relation_member<M>::element, O>) {
            std::vector<O*> nodes;
            for (auto level = related<O>(owners, step.member); !level.empty();
                 level = related<O>(level, step.member))
                nodes.insert(nodes.end(), level.begin(), level.end());
            run_path(db, std::move(nodes), rest...);
        }
        return;
    }
    r.load(db, owners, step.options);
    if constexpr (std::is_same_v<typename relation_member<M>::element, O>) {
        for (std::size_t level = 1; level < step.depth; ++level) {
            owners = related<O>(owners, step.member);
            r.load(db, owners, step.options);
        }
    }
    if constexpr (sizeof...(Rest) > 0) run_path(db, related<O>(owners, step.member), rest...);
}
}  // namespace detail

// selectin(&team::heroes).batch(500): a selectin step with options.
template <class P>
requires detail::relationship_pointer<P> load_step<P> selectin(P member) {
    return {member, {}, 1};
}

// joined(&hero::team): the parent (or single child) read by a LEFT JOIN in the select itself.
template <class O, class T>
load_step<ref<T> O::*> joined(ref<T> O::*member) {
    load_step<ref<T> O::*> s{member, {}, 1};
    s.options.joined = true;
    return s;
}

template <class P>
void joined(P) {
    static_assert(detail::always_false<P>,
                  "ender::joined: only a belongs_to or has_one relationship (an ender::ref<T> "
                  "member) can be joined; collections load with selectin");
}

// depth(&category::children, 3): a self-referential relationship loaded `levels` deep, one
// query per level; the rest of the path continues from the deepest level.
template <class O, class L>
load_step<many<O, L> O::*> depth(many<O, L> O::*member, std::size_t levels) {
    return {member, {}, levels};
}

// tree(&category::children): a self-referential has_many loaded to every depth in one
// statement (WITH RECURSIVE; a cycle in the data stops there); the rest of the path continues
// from every node of the trees.
template <class O, class L>
load_step<many<O, L> O::*> tree(many<O, L> O::*member) {
    return {member, {}, 0};
}

template <class T>
template <class... P>
select_query<T>& select_query<T>::with(const P&... path) {
    static_assert(sizeof...(P) > 0, "ender::with: name at least one relationship");
    static_assert(detail::check_path<T, P...>());
    auto steps = std::tuple(detail::as_step(path)...);
    const auto& first = std::get<0>(steps);
    if (!first.options.joined) {
        loads_.push_back([steps](session& db, std::vector<T*>& owners) {
            std::apply([&](const auto&... s) { detail::run_path<T>(db, owners, s...); }, steps);
        });
        return *this;
    }
    const auto& r = detail::find_relation<T>(first.member);
    std::string alias = "ender_joined_" + std::to_string(joined_.size() + 1);
    auto [columns, join] = r.joined_sql(alias);
    joined_.push_back(
        {columns, join, r.joined_width(),
         [&r, steps](session& db, std::vector<T*>& owners, const result& rows, std::size_t at) {
             r.attach_joined(owners, rows, at);
             std::apply(
                 [&](const auto& head, const auto&... rest) {
                     if constexpr (sizeof...(rest) > 0)
                         detail::run_path(db, detail::related<T>(owners, head.member), rest...);
                 },
                 steps);
         }});
    return *this;
}

template <class T, class... P>
void session::load(std::vector<T>& objects, const P&... path) {
    static_assert(detail::check_path<T, P...>());
    std::vector<T*> owners;
    owners.reserve(objects.size());
    for (auto& o : objects) owners.push_back(&o);
    detail::run_path<T>(*this, std::move(owners), detail::as_step(path)...);
}

template <class T, class... P>
void session::load(T& object, const P&... path) {
    static_assert(detail::check_path<T, P...>());
    detail::run_path<T>(*this, std::vector<T*>{&object}, detail::as_step(path)...);
}

}  // namespace ender
