// Eager loading of relationships (relationship.hpp): the only way they are ever filled.
//
//   db.select<team>().with(&team::heroes, &hero::powers).all();  // 3 queries, whatever the count
//   db.select<hero>().with(ender::joined(&hero::team)).all();    // 1 query, teams shared
//   db.select<team>().with(ender::joined(&team::heroes)).all();  // 1 query, teams de-duplicated
//   db.load(teams, &team::heroes);                               // onto objects in hand
//   db.select<category>().with(ender::depth(&category::children, 3)).all();
//
// selectin (the default): one query per relationship level, the keys of all the owners sent as
// one binary array ("= ANY($1)"), split in batches of 10,000 keys (.batch(n)); the rows are
// attached to their owners through a hash of the keys. joined: a LEFT JOIN, for belongs_to and
// has_one, in the statement that reads the step's owners (the select, or the selectin statement
// of the step before); for a has_many as the first step of a select, in the select. The queries
// of one level of every path are made first (detail::step_queries) and sent together in one
// pipeline (detail::run_loads), their results attached as they arrive.
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
    // Soft-deleted related rows too (they are left out by default).
    load_step with_deleted() const {
        auto c = *this;
        c.options.with_deleted = true;
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
                  "ender::with: the member is not a relationship: declare it as ender::many<T>, "
                  "ender::shared_many<T> or ender::ref<T> and map it with has_many, belongs_to, "
                  "has_one or many_to_many");
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
template <class O, class C, class L>
std::vector<C*> related(std::span<O* const> owners, shared_many<C, L> O::*member) {
    std::vector<C*> out;
    std::unordered_set<C*> seen;
    for (O* o : owners)
        for (const auto& c : relation_access::items((*o).*member))
            if (seen.insert(c.get()).second) out.push_back(c.get());
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

template <class M>
struct is_ref : std::false_type {};
template <class T>
struct is_ref<ref<T>> : std::true_type {};

// The joins for the joined steps at the head of `steps` (none when the first is not joined),
// read from objects of O known in the query as `owner_alias`; `aliases` numbers the joined
// tables of the query.
template <class O>
joined_tail<O> joined_tail_of(const std::string&, std::size_t&) {
    return {};
}
template <class O, class S, class... Rest>
joined_tail<O> joined_tail_of(const std::string& owner_alias, std::size_t& aliases, const S& step,
                              const Rest&... rest) {
    joined_tail<O> tail;
    using M = typename member_pointer<decltype(step.member)>::type;
    if constexpr (is_ref<M>::value) {  // collections are never joined
        if (!step.options.joined || step.depth != 1) return tail;
        using P = typename relation_member<M>::element;
        const auto& r = find_relation<O>(step.member);
        std::string alias = "ender_joined_" + std::to_string(++aliases);
        std::tie(tail.columns, tail.joins) = r.joined_sql(alias, owner_alias);
        tail.width = r.joined_width();
        auto next = joined_tail_of<P>(alias, aliases, rest...);
        if (!next.columns.empty()) tail.columns += ", " + next.columns;
        tail.joins += next.joins;
        tail.width += next.width;
        tail.attach = [&r, member = step.member, next = std::move(next)](
                          std::span<O* const> rows, const result& res, std::size_t first) {
            r.attach_joined(rows, res, first);
            if (!next.attach) return;
            std::vector<P*> below(rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i)
                if (rows[i]) below[i] = relation_access::pointer((*rows[i]).*member).get();
            next.attach(below, res, first + r.joined_width());
        };
    }
    return tail;
}

// The rows of a select whose rows repeat their object (a joined collection): each row's object,
// numbered in the order of its first row, found by T's primary key.
template <class T>
std::vector<std::uint32_t> distinct_rows(const result& r) {
    static const relation_label label{[] { return model_of<T>().info.name; }};
    auto key = key_positions(model_of<T>().info, label);
    key_map seen;
    std::string buf;
    std::vector<std::uint32_t> object_of(r.size());
    for (std::size_t row = 0; row < r.size(); ++row) {
        buf.clear();
        row_key(r, row, key, 0, buf);
        object_of[row] = seen.try_emplace(buf, std::uint32_t(seen.size())).first->second;
    }
    return object_of;
}

// The walk of a load path from the objects `owners_of()` returns (the step before's):
// `level` counts the levels of a depth() step done so far.
template <class O, class S, class... Rest>
path_walker walk_path(std::function<std::vector<O*>()> owners_of, std::size_t level, const S& step,
                      const Rest&... rest) {
    return [=](path_step& out) {
        auto owners = owners_of();
        if (owners.empty()) return false;
        using M = typename member_pointer<decltype(step.member)>::type;
        using E = typename relation_member<M>::element;
        const auto& r = find_relation<O>(step.member);
        auto member = step.member;
        std::function<std::vector<E*>()> below = [owners, member] {
            return related<O>(std::span<O* const>(owners), member);
        };
        if (step.depth == 0) {  // tree(): every depth in one statement
            out.queries = r.tree_queries_for(owners, step.options);
            if constexpr (sizeof...(Rest) > 0 && std::is_same_v<E, O>)
                out.next = walk_path<O>(
                    [owners, member] {
                        std::vector<O*> nodes;
                        for (auto at = related<O>(std::span<O* const>(owners), member); !at.empty();
                             at = related<O>(std::span<O* const>(at), member))
                            nodes.insert(nodes.end(), at.begin(), at.end());
                        return nodes;
                    },
                    1, rest...);
            return true;
        }
        bool last_level = level >= step.depth;
        joined_tail<E> tail;
        std::size_t aliases = 0;
        if constexpr (sizeof...(Rest) > 0)
            if (last_level) tail = joined_tail_of<E>(model_of<E>().info.name, aliases, rest...);
        out.queries = r.queries_for(owners, step.options, tail);
        // A joined step finds its objects loaded by the query of the step before.
        out.queries.ready = step.options.joined;
        if constexpr (std::is_same_v<E, O>)
            if (!last_level) {
                out.next = walk_path<O>(below, level + 1, step, rest...);
                return true;
            }
        if constexpr (sizeof...(Rest) > 0) out.next = walk_path<E>(below, 1, rest...);
        return true;
    };
}

// A path's walk from objects in hand.
template <class O, class... S>
path_walker walk_from(const std::vector<O*>& owners, const S&... steps) {
    return walk_path<O>([owners] { return owners; }, 1, as_step(steps)...);
}
}  // namespace detail

// selectin(&team::heroes).batch(500): a selectin step with options.
template <class P>
requires detail::relationship_pointer<P> load_step<P> selectin(P member) {
    return {member, {}, 1};
}

// joined(&hero::team): the parent (or single child) read by a LEFT JOIN in the query that
// reads the objects it starts from: the select itself for the first step of a path, the
// query of the step before for a later one (joined steps in a row chain their joins). Objects
// in hand (db.load) have no such query: their first step loads with selectin.
template <class O, class T>
load_step<ref<T> O::*> joined(ref<T> O::*member) {
    load_step<ref<T> O::*> s{member, {}, 1};
    s.options.joined = true;
    return s;
}

// joined(&team::heroes): a has_many collection read by a LEFT JOIN in the select itself, as
// SQLAlchemy's joinedload: one statement, each owner's row repeated for each of its children,
// the owners de-duplicated by primary key (in the order of their first row), the children
// attached in the order of the rows; owners without children kept, with an empty collection.
// Only as the first step of a path given to select<T>().with() (elsewhere it loads with
// selectin), and not with limit() or offset(), which would count the joined rows.
template <class O, class T>
load_step<many<T> O::*> joined(many<T> O::*member) {
    load_step<many<T> O::*> s{member, {}, 1};
    s.options.joined = true;
    return s;
}

template <class P>
void joined(P) {
    static_assert(detail::always_false<P>,
                  "ender::joined: only a belongs_to, has_one or has_many relationship (an "
                  "ender::ref<T> or ender::many<T> member) can be joined; a collection with link "
                  "rows (many_to_many) loads with selectin");
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

// path(&team::heroes, &hero::powers): one load path among several given to db.load, which
// loads them side by side (the steps of the same level share one round trip).
template <class... S>
struct load_path {
    std::tuple<S...> steps;
};
template <class... S>
load_path<S...> path(const S&... steps) {
    static_assert(sizeof...(S) > 0, "ender::path: name at least one relationship");
    return {std::tuple<S...>(steps...)};
}

template <class T>
template <class... P>
select_query<T>& select_query<T>::with(const P&... path) {
    static_assert(sizeof...(P) > 0, "ender::with: name at least one relationship");
    static_assert(detail::check_path<T, P...>());
    auto steps = std::tuple(detail::as_step(path)...);
    const auto& first = std::get<0>(steps);
    using M = typename detail::member_pointer<decltype(first.member)>::type;
    if constexpr (!detail::is_ref<M>::value) {
        // A joined collection: the select's rows repeat each owner (distinct_ finds them).
        if (first.options.joined && first.depth == 1) {
            const auto& r = detail::find_relation<T>(first.member);
            std::string alias = "ender_joined_" + std::to_string(++joined_aliases_);
            auto [columns, joins] = r.joined_sql(alias, model_of<T>().info.name);
            joined_.push_back({columns, joins, r.joined_width(),
                               [&r](std::span<T* const> rows, const result& res, std::size_t at) {
                                   r.attach_joined(rows, res, at);
                               },
                               true});
            distinct_ = detail::distinct_rows<T>;
        }
    } else {
        auto tail = std::apply(
            [&](const auto&... s) {
                return detail::joined_tail_of<T>(model_of<T>().info.name, joined_aliases_, s...);
            },
            steps);
        if (tail.attach)
            joined_.push_back({tail.columns, tail.joins, tail.width, tail.attach, false});
    }
    loads_.push_back([steps](const std::vector<T*>& owners) {
        return std::apply([&](const auto&... s) { return detail::walk_from<T>(owners, s...); },
                          steps);
    });
    return *this;
}

namespace detail {
template <class S>
struct is_load_path : std::false_type {};
template <class... S>
struct is_load_path<load_path<S...>> : std::true_type {};

template <class T, class... P>
void load_paths(session& db, std::vector<T*> owners, const P&... paths) {
    if constexpr ((is_load_path<P>::value && ...)) {
        std::vector<path_walker> walkers;
        (std::apply(
             [&](const auto&... s) {
                 static_assert(check_path<T, std::decay_t<decltype(s)>...>());
                 walkers.push_back(walk_from<T>(owners, s...));
             },
             paths.steps),
         ...);
        run_loads(db, std::move(walkers));
    } else {
        static_assert(!(is_load_path<P>::value || ...),
                      "ender::load: give either one path of relationships, or several "
                      "ender::path(...)");
        static_assert(check_path<T, P...>());
        run_loads(db, {walk_from<T>(owners, paths...)});
    }
}
}  // namespace detail

template <class T>
struct detail::include_ender_load_hpp {};

template <class T, class... P>
requires detail::defined_by<detail::include_ender_load_hpp, T>
void session::load(std::vector<T>& objects, const P&... path) {
    std::vector<T*> owners;
    owners.reserve(objects.size());
    for (auto& o : objects) owners.push_back(&o);
    detail::load_paths<T>(*this, std::move(owners), path...);
}

template <class T, class... P>
requires detail::defined_by<detail::include_ender_load_hpp, T>
void session::load(T& object, const P&... path) {
    detail::load_paths<T>(*this, std::vector<T*>{&object}, path...);
}

}  // namespace ender
