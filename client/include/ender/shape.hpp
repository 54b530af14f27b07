// Read shapes: a plain struct declared once as a projection of a model, each member bound to a
// column or to an expression (an aggregate, a window function, a scalar subquery), and selected
// with the same builder as models: db.select<hero_read>().where(...).order_by(...).all().
//
//   struct hero_read { std::int64_t id{}; std::string name; std::optional<std::string> team; };
//   inline auto ender_shape(ender::tag<hero_read>) {     // found by argument-dependent lookup
//       return ender::shape<hero_read, hero>(
//                  ender::field(&hero_read::id, &hero::id),       // named after the column
//                  ender::field(&hero_read::name, &hero::name),
//                  ender::field("team", &hero_read::team, ender::col(&team::name)))
//           .left_join<team>(ender::col(&team::id) == ender::col(&hero::team_id));
//   }
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/detail/model_sql.hpp"
#include "ender/detail/row_access.hpp"
#include "ender/expression.hpp"
#include "ender/model.hpp"
#include "ender/select.hpp"
#include "ender/session.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ender {

// One member of a read shape: its column name in the statement and the expression it reads.
template <class S, class M>
struct shape_field {
    using member_type = M;
    M S::*member;
    std::string name;
    detail::fragment f;
};

namespace detail {
// A relationship of read shape S (shape_load.hpp): a member of S loaded from a relationship of
// S's model, into read shapes of the related model.
template <class S>
struct shape_relation {
    virtual ~shape_relation() = default;
    // The owner's key columns, which a select of S that loads the relationship adds to its list.
    virtual std::string key_list() const = 0;
    virtual std::size_t key_width() const = 0;
    // Loads the relationship of `owners`; row i of `r` (the select of S) is owners[i]'s, its key
    // in the columns from `first`.
    virtual void load(session& db, std::span<S* const> owners, const result& r,
                      std::size_t first) const = 0;
};
// Whether a member of type M holds a value of type V: the same type, or an std::optional of it
// (a nullable expression needs an optional member).
template <class M, class V>
concept holds = std::is_same_v<M, V> || std::is_same_v<M, std::optional<V>>;
}  // namespace detail

// field("heroes", &team_stats::heroes, ender::count(col(&hero::id))): a member bound to an
// expression, under a column name of its own.
template <class S, class M, class V>
shape_field<S, M> field(std::string name, M S::*member, const expr<V>& e) {
    static_assert(detail::holds<M, V>,
                  "ender::field: the member's type is neither the expression's type nor an "
                  "std::optional of it");
    return {member, std::move(name), e.f};
}
// field(&hero_read::name, &hero::name): a member bound to a model's column, named after it.
template <class S, class M, class T, class N>
requires mapped_model<T> shape_field<S, M> field(M S::*member, N T::*column) {
    static_assert(detail::holds<M, N>,
                  "ender::field: the member's type is neither the column's type nor an "
                  "std::optional of it");
    return {member, model_of<T>().column_name(column), col(column).f};
}

// The declaration of read shape S over model From (ender::shape<S, From>(fields...)), with the
// joins and grouping every select of it needs.
template <class S, class From, class... M>
class shape_def {
public:
    using shape_type = S;
    using source_type = From;
    using member_types = std::tuple<M...>;
    std::tuple<shape_field<S, M>...> fields;
    detail::clauses base;
    std::vector<std::shared_ptr<const detail::shape_relation<S>>> relations;

    // relationship(&hero_read::squad, &hero::team): member `squad` of S (an ender::ref or
    // ender::many of a read shape of the related model) loads the model's relationship `team`
    // when a select asks for it (with(&hero_read::squad); shape_load.hpp).
    template <class X, class R>
    shape_def relationship(X S::*member, R From::*model_member) const;

    template <class U>
    shape_def join(const expr<bool>& on) const {
        return joined<U>(" JOIN ", on);
    }
    template <class U>
    shape_def left_join(const expr<bool>& on) const {
        return joined<U>(" LEFT JOIN ", on);
    }
    template <class... G>
    shape_def group_by(const expr<G>&... e) const {
        auto d = *this;
        (d.base.group_by.push_back(e.f), ...);
        return d;
    }

    // expression AS "name", ... (the select of S over its model).
    detail::fragment select_list() const {
        detail::fragment list;
        std::apply(
            [&](const auto&... f) {
                ((list.sql(list.empty() ? "" : ", ")
                      .append(f.f)
                      .sql(" AS ")
                      .sql(detail::quote_ident(f.name))),
                 ...);
            },
            fields);
        return list;
    }
    // "relation"."name", ... (the select of S from a CTE with S's columns).
    std::string list_from(std::string_view relation) const {
        std::string list;
        for (const auto& n : names())
            list += (list.empty() ? "" : ", ") + detail::quote_ident(relation) + "." +
                    detail::quote_ident(n);
        return list;
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        std::apply([&](const auto&... f) { (out.push_back(f.name), ...); }, fields);
        return out;
    }
    // The column name of member `p`.
    template <class N>
    std::string name_of(N S::*p) const {
        std::string found;
        std::apply(
            [&](const auto&... f) {
                (
                    [&] {
                        if constexpr (std::is_same_v<
                                          typename std::decay_t<decltype(f)>::member_type, N>)
                            if (f.member == p) found = f.name;
                    }(),
                    ...);
            },
            fields);
        if (found.empty())
            throw usage_error("42703", "the member is not a field of the read shape", "",
                              "Add ender::field(...) for it to the shape's ender_shape.");
        return found;
    }
    // Row `row` of a result whose columns are S's fields, in order.
    void read(S& s, const result& r, std::size_t row) const {
        std::size_t i = 0;
        std::apply([&](const auto&... f) { ((s.*(f.member) = r.get_unchecked<M>(row, i++)), ...); },
                   fields);
    }

private:
    template <class U>
    shape_def joined(std::string_view kind, const expr<bool>& on) const {
        auto d = *this;
        d.base.joins.sql(kind).sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return d;
    }
};

// ender::shape<hero_read, hero>(field(...), ...): read shape S over model From.
template <class S, class From, class... M>
shape_def<S, From, M...> shape(shape_field<S, M>... fields) {
    static_assert(mapped_model<From>, "ender::shape<S, From>: From is not a mapped model");
    shape_def<S, From, M...> d{{std::move(fields)...}, {}, {}};
    d.base.from = detail::from_of<From>();
    const auto& filter = detail::soft_delete_filter<From>();
    if (!filter.empty()) d.base.where.push_back(detail::fragment(filter));
    return d;
}

// The declaration of S, built once.
template <class S>
const auto& shape_of() {
    static_assert(read_shape<S>,
                  "ender: this struct is not a read shape; declare "
                  "ender_shape(ender::tag<S>) returning ender::shape<S, Model>(...)");
    static const auto s = ender_shape(tag<S>{});
    return s;
}

// A select of read shape S (db.select<S>()): the shape's joins and grouping, then where,
// order_by, limit, offset, more joins, group_by and having; all(), first(), one(), count(),
// exists(), explain().
template <class S>
class shape_query : public detail::model_clauses<shape_query<S>>,
                    public detail::row_access<shape_query<S>> {
    using detail::model_clauses<shape_query<S>>::c_;
    friend class detail::row_access<shape_query<S>>;
    friend struct detail::clause_access;

public:
    explicit shape_query(session* db = nullptr) : db_(db) {
        c_ = shape_of<S>().base;
        list_ = shape_of<S>().select_list();
    }

    template <class U>
    shape_query& join(const expr<bool>& on) {
        return add_join(" JOIN ", detail::from_of<U>(), on);
    }
    template <class U>
    shape_query& left_join(const expr<bool>& on) {
        return add_join(" LEFT JOIN ", detail::from_of<U>(), on);
    }
    // JOIN a common table expression (cte.hpp) named in the statement's WITH.
    template <class R>
    shape_query& join(const cte<R>& c, const expr<bool>& on) {
        return add_join(" JOIN ", c.from_item(), on);
    }
    // Rows of the common table expression `c`, whose columns are S's (cte.hpp), instead of the
    // shape's model: "c"."name", ... FROM "c".
    shape_query& from(const cte<S>& c) {
        from_cte_ = true;
        auto with = c_.with;
        c_ = detail::clauses{};
        c_.with = with;
        c_.from = c.from_item();
        list_ = detail::fragment(shape_of<S>().list_from(c.name()));
        return *this;
    }
    template <class... G>
    shape_query& group_by(const expr<G>&... e) {
        (c_.group_by.push_back(e.f), ...);
        return *this;
    }
    shape_query& having(const expr<bool>& condition) {
        c_.having.push_back(condition.f);
        return *this;
    }

    // Loads a relationship of the shape (declared with relationship() in its ender_shape) with
    // the rows: one more statement per relationship (shape_load.hpp).
    template <class X>
    shape_query& with(X S::*member);

    detail::fragment statement() const { return c_.render(list_); }
    std::string sql() const { return statement().text(); }
    std::vector<S> all() const {
        // With loads, the list carries each relationship's key columns after the fields.
        auto list = list_;
        std::size_t width =
            std::tuple_size_v<typename std::decay_t<decltype(shape_of<S>())>::member_types>;
        for (const auto& l : loads_) {
            list.sql(", ").sql(l->key_list());
            width += l->key_width();
        }
        if (!loads_.empty()) check_loadable();
        auto f = c_.render(list);
        auto r = detail::bound_session(db_).run(f.text(), f.params());
        r.check_width(width);
        std::vector<S> out(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) shape_of<S>().read(out[i], r, i);
        if (loads_.empty()) return out;
        std::vector<S*> owners;
        owners.reserve(out.size());
        for (auto& o : out) owners.push_back(&o);
        std::size_t at = width;
        for (const auto& l : loads_) at -= l->key_width();
        for (const auto& l : loads_) {
            l->load(*db_, owners, r, at);
            at += l->key_width();
        }
        return out;
    }

private:
    // A select read from a CTE has no model columns to take keys from; a grouped one has no
    // row per object.
    void check_loadable() const {
        if (from_cte_)
            throw usage_error("0A000",
                              "a read shape read from a common table expression cannot load "
                              "relationships",
                              "Its rows do not carry the model's keys.",
                              "Select the shape from its model to load them.");
        if (!c_.group_by.empty())
            throw usage_error("0A000", "a grouped read shape cannot load relationships",
                              "Its rows are groups, not objects of its model.",
                              "Load the relationships of a shape without group_by.");
    }
    shape_query& add_join(std::string_view kind, std::string_view item, const expr<bool>& on) {
        c_.joins.sql(kind).sql(item).sql(" ON ").append(on.f);
        return *this;
    }
    session* db_;
    detail::fragment list_;
    bool from_cte_ = false;
    std::vector<std::shared_ptr<const detail::shape_relation<S>>> loads_;
};

}  // namespace ender
