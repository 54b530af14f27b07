// Common table expressions: WITH (MATERIALIZED / NOT MATERIALIZED) and WITH RECURSIVE, each
// with the columns of a read shape R, usable as the main query's source (select<R>().from(c),
// select(...).from(c), join(c, on)) in one statement:
//   ender::cte<chain_link> chain("chain");
//   chain.recursive(db.select<chain_link>().where(col(&employee::id) == boss),
//                   ender::subquery(col(&employee::id), ..., chain.col(&chain_link::depth) + 1)
//                       .from<employee>().join(chain, col(&employee::manager_id) == ...));
//   auto rows = ender::with(db, chain).select<chain_link>().from(chain).all();
// A body selects R's columns in order, each of the member's type (or its std::optional's):
// anything else does not compile. A body may also modify data (cte_write.hpp).
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/expression.hpp"
#include "ender/select.hpp"
#include "ender/session.hpp"
#include "ender/shape.hpp"

#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ender {

// A data-modifying statement returning read shape R's fields, and an INSERT ... SELECT after a
// WITH (cte_write.hpp).
template <class R>
class returning;
template <class T, class... M>
class insert_select;

namespace detail {
struct clause_access {
    template <class Q>
    static clauses& of(Q& q) {
        return q.c_;
    }
};

// Whether a query selects the columns of read shape R: a select of R, or of expressions whose
// types the members hold, in order.
template <class Members, class Q>
struct selects_members : std::false_type {};
template <class... M, class... V>
requires(sizeof...(M) == sizeof...(V)) struct selects_members<std::tuple<M...>, projection<V...>>
    : std::bool_constant<(holds<M, V> && ...)> {
};
template <class R, class Q>
concept body_of = std::is_same_v<Q, shape_query<R>> || std::is_same_v<Q, returning<R>> ||
    selects_members<typename std::decay_t<decltype(shape_of<R>())>::member_types, Q>::value;
}  // namespace detail

// A common table expression named `name` whose columns are read shape R's.
template <class R>
class cte {
public:
    explicit cte(std::string name) : name_(std::move(name)) {}

    // AS (body).
    template <class Q>
    cte& as(const Q& body) {
        static_assert(detail::body_of<R, Q>,
                      "ender::cte<R>: the body must select R's fields, in order, of their types");
        body_ = body.statement();
        recursive_ = false;
        return *this;
    }
    // WITH RECURSIVE: AS (base UNION ALL step); the step names this CTE (col(), join(), from()).
    template <class B, class S>
    cte& recursive(const B& base, const S& step) {
        static_assert(detail::body_of<R, B> && detail::body_of<R, S>,
                      "ender::cte<R>: the base and the step must select R's fields, in order, of "
                      "their types");
        body_ = base.statement();
        body_.sql(" UNION ALL ").append(step.statement());
        recursive_ = true;
        return *this;
    }
    cte& materialized() {
        materialized_ = " MATERIALIZED";
        return *this;
    }
    cte& not_materialized() {
        materialized_ = " NOT MATERIALIZED";
        return *this;
    }

    // A column of the CTE: "name"."column".
    template <class M>
    expr<M> col(M R::*member) const {
        return {detail::fragment(from_item() + "." +
                                 detail::quote_ident(shape_of<R>().name_of(member)))};
    }
    const std::string& name() const noexcept { return name_; }
    std::string from_item() const { return detail::quote_ident(name_); }
    bool is_recursive() const noexcept { return recursive_; }
    // "name" ("column", ...) AS [NOT] [MATERIALIZED] (body).
    detail::fragment definition() const {
        if (body_.empty())
            throw usage_error("55000", "common table expression \"" + name_ + "\" has no body", "",
                              "Give it one with as(query) or recursive(base, step).");
        detail::fragment f(from_item());
        f.sql(" (");
        bool first = true;
        for (const auto& n : shape_of<R>().names()) {
            f.sql(first ? "" : ", ").sql(detail::quote_ident(n));
            first = false;
        }
        f.sql(") AS").sql(materialized_).sql(" (").append(body_).sql(")");
        return f;
    }

private:
    std::string name_;
    std::string materialized_;
    detail::fragment body_;
    bool recursive_ = false;
};

// The WITH clause of one statement, and the selects that read its CTEs (ender::with).
class with_clause {
public:
    template <class... R>
    with_clause(session& db, const cte<R>&... ctes) : db_(&db) {
        bool recursive = (ctes.is_recursive() || ...);
        prefix_.sql(recursive ? "WITH RECURSIVE " : "WITH ");
        bool first = true;
        ((prefix_.sql(first ? "" : ", ").append(ctes.definition()), first = false), ...);
        prefix_.sql(" ");
    }
    // A select of model or read shape T (read from a CTE with .from(c) or join(c, on)).
    template <class T>
    auto select() const {
        auto q = db_->select<T>();
        detail::clause_access::of(q).with = prefix_;
        return q;
    }
    // A select of expressions (.from(c) reads a CTE).
    template <class... V>
    projection<V...> select(const expr<V>&... exprs) const {
        auto q = db_->select(exprs...);
        detail::clause_access::of(q).with = prefix_;
        return q;
    }
    // INSERT INTO T (members...) SELECT ... after the WITH (cte_write.hpp).
    template <class T, class... M>
    insert_select<T, M...> insert_into(M T::*... members) const;

private:
    session* db_;
    detail::fragment prefix_;
};

// WITH ctes...: the selects of with(db, a, b).select...() see the CTEs a and b.
template <class... R>
with_clause with(session& db, const cte<R>&... ctes) {
    return with_clause(db, ctes...);
}

}  // namespace ender
