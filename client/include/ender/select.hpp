// Selects: of whole models (select_query: where, joins, ordering, paging, eager loads), of
// expressions (projection: rows as tuples), exists() subqueries, and session::select/explain.
// Every kind has first(), one(), count(), exists() and explain() (detail/row_access.hpp).
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/detail/load_paths.hpp"
#include "ender/detail/model_sql.hpp"
#include "ender/detail/row_access.hpp"
#include "ender/expression.hpp"
#include "ender/model.hpp"
#include "ender/session.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ender {

// A common table expression with the columns of read shape R (cte.hpp), and the select of a
// read shape (shape.hpp): named here so that every select can read from one.
template <class R>
class cte;
template <class S>
class shape_query;
// A struct declared as a read shape: ender_shape(ender::tag<S>) found by argument-dependent
// lookup (shape.hpp).
template <class S>
concept read_shape = requires {
    ender_shape(tag<S>{});
};

namespace detail {
// What db.select<T>() returns: the select of a read shape or of a model.
template <class T>
struct select_of {
    using type = std::conditional_t<read_shape<T>, shape_query<T>, select_query<T>>;
};
// Lets the headers that extend selects (cte.hpp) reach a query's clauses.
struct clause_access;

// The clauses every select shares.
struct clauses {
    fragment with;  // WITH ... (cte.hpp), before SELECT
    std::string from;
    fragment joins;
    std::vector<fragment> where;
    std::vector<fragment> group_by;
    std::vector<fragment> having;
    std::vector<fragment> order_by;
    std::optional<std::int64_t> limit, offset;

    fragment render(const fragment& select_list) const;
    // The same clauses without ORDER BY, LIMIT and OFFSET, for count().
    clauses unordered() const {
        auto c = *this;
        c.order_by.clear();
        c.limit.reset();
        c.offset.reset();
        return c;
    }
    // SELECT count(*) FROM (statement) AS counted.
    static fragment count_of(const fragment& statement) {
        fragment f("SELECT count(*) FROM (");
        return f.append(statement).sql(") AS counted");
    }
};
}  // namespace detail

namespace detail {
// where, order_by, limit, offset and first(): what the selects of whole models (select_query,
// polymorphic_query) share.
template <class Self>
class model_clauses {
public:
    Self& where(const expr<bool>& condition) {
        c_.where.push_back(condition.f);
        return self();
    }
    Self& order_by(const order_term& o) {
        c_.order_by.push_back(o.f);
        return self();
    }
    template <class V>
    Self& order_by(const expr<V>& e) {
        return order_by(asc(e));
    }
    Self& limit(std::int64_t n) {
        c_.limit = n;
        return self();
    }
    Self& offset(std::int64_t n) {
        c_.offset = n;
        return self();
    }
    // The first row of all() (LIMIT 1), or none.
    auto first() const {
        Self q = static_cast<const Self&>(*this);
        static_cast<model_clauses&>(q).c_.limit = 1;
        auto rows = q.all();
        using row = typename decltype(rows)::value_type;
        if (rows.empty()) return std::optional<row>();
        return std::optional<row>(std::move(rows.front()));
    }

protected:
    Self& self() { return static_cast<Self&>(*this); }
    clauses c_;
};
}  // namespace detail

// A select of whole models, built fluently and run with all(), first(), one(), count().
template <class T>
class select_query : public detail::model_clauses<select_query<T>>,
                     public detail::row_access<select_query<T>> {
    using detail::model_clauses<select_query<T>>::c_;
    friend class detail::row_access<select_query<T>>;
    friend struct detail::clause_access;

public:
    explicit select_query(session* db = nullptr) : db_(db) {
        static_assert(mapped_model<T>, "ender::select: the struct is not a mapped model");
        c_.from = detail::from_of<T>();
    }

    template <class U>
    select_query& join(const expr<bool>& on) {
        return add_join<U>("JOIN", on);
    }
    template <class U>
    select_query& left_join(const expr<bool>& on) {
        return add_join<U>("LEFT JOIN", on);
    }
    // JOIN a common table expression (cte.hpp) named in the statement's WITH.
    template <class R>
    select_query& join(const cte<R>& c, const expr<bool>& on) {
        c_.joins.sql(" JOIN ").sql(c.from_item()).sql(" ON ").append(on.f);
        return *this;
    }
    // Include soft-deleted rows.
    select_query& with_deleted() {
        with_deleted_ = true;
        return *this;
    }

    // Loads relationships with the objects (load.hpp): a path of relationship members, each
    // step of the model the step before loads; with() may be called several times.
    template <class... P>
    select_query& with(const P&... path);

    // The statement with its parameters (without the joins of joined loads).
    detail::fragment statement() const { return statement(false); }
    std::string sql() const { return statement().text(); }

    std::vector<T> all() const {
        if (distinct_ && (c_.limit || c_.offset))
            throw usage_error("0A000",
                              "a joined collection cannot be loaded by a select with a limit or "
                              "an offset",
                              "The limit would count the joined rows (an object once for each "
                              "of its children), not the objects.",
                              "Load the collection with selectin (the default) instead.");
        auto r = run(statement(true));
        std::size_t width = model_of<T>().info.columns.size();
        for (const auto& j : joined_) width += j.width;
        r.check_width(width);
        // Each row's object: one per row, or with a joined collection one per distinct key.
        std::vector<std::uint32_t> object_of;
        std::size_t count = r.size();
        if (distinct_) {
            object_of = distinct_(r);
            count = 0;
            for (auto o : object_of) count = std::max<std::size_t>(count, o + 1);
        }
        auto object = [&](std::size_t row) { return distinct_ ? object_of[row] : row; };
        std::vector<T> out(count);
        detail::model_reader<T> reader(r, 0);
        for (std::size_t i = 0, next = 0; i < r.size(); ++i)
            if (object(i) == next) reader.read(out[next++], i);  // its first row
        if (joined_.empty() && loads_.empty()) return out;
        std::vector<T*> owners;
        owners.reserve(out.size());
        for (auto& o : out) owners.push_back(&o);
        if (!joined_.empty()) {
            // The object of every row, and of its first row only (the others: none), which
            // joined refs attach to.
            std::vector<T*> every(r.size()), first(r.size(), nullptr);
            for (std::size_t i = 0, next = 0; i < r.size(); ++i) {
                every[i] = owners[object(i)];
                if (object(i) == next) {
                    first[i] = every[i];
                    ++next;
                }
            }
            std::size_t at = model_of<T>().info.columns.size();
            for (const auto& j : joined_) {
                j.attach(j.repeats ? every : first, r, at);
                at += j.width;
            }
        }
        std::vector<detail::path_walker> paths;
        for (const auto& load : loads_) paths.push_back(load(owners));
        detail::run_loads(*db_, std::move(paths));
        return out;
    }

private:
    detail::fragment statement(bool with_joined) const {
        auto c = c_;
        const auto& f = with_deleted_ ? detail::type_filter<T>() : detail::soft_delete_filter<T>();
        if (!f.empty()) c.where.insert(c.where.begin(), detail::fragment(f));
        detail::fragment list(detail::model_columns<T>());
        if (with_joined)
            for (const auto& j : joined_) {
                list.sql(", ").sql(j.columns);
                c.joins.sql(j.join);
            }
        return c.render(list);
    }
    template <class U>
    select_query& add_join(std::string_view kind, const expr<bool>& on) {
        c_.joins.sql(" ").sql(kind).sql(" ").sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return *this;
    }
    result run(const detail::fragment& f) const {
        return detail::bound_session(db_).run(f.text(), f.params());
    }
    session* db_;
    bool with_deleted_ = false;
    // Eager loads: the joined steps that begin a path read from the select's own rows (their
    // columns, joins and attach); every path then runs after the select, its steps side by side
    // with the other paths' (detail::run_loads).
    struct joined_load {
        std::string columns, join;
        std::size_t width;
        std::function<void(std::span<T* const>, const result&, std::size_t)> attach;
        bool repeats;  // a collection: attached from every row of its owner
    };
    std::vector<joined_load> joined_;
    // With a joined collection: each row's object, numbered by first row (detail::distinct_rows).
    std::function<std::vector<std::uint32_t>(const result&)> distinct_;
    std::size_t joined_aliases_ = 0;
    std::vector<std::function<detail::path_walker(const std::vector<T*>&)>> loads_;
};

// EXISTS (subquery): exists(db.select<hero>().where(...)).
template <class T>
expr<bool> exists(const select_query<T>& q) {
    detail::fragment f("EXISTS (");
    f.append(q.statement()).sql(")");
    return {f};
}

// A select of expressions (columns, aggregates): rows are tuples of their types.
template <class... V>
class projection : public detail::row_access<projection<V...>> {
    friend class detail::row_access<projection<V...>>;
    friend struct detail::clause_access;

public:
    projection(session& db, expr<V>... exprs) : projection(exprs...) { db_ = &db; }
    // Unbound: a subquery (subquery.hpp), or a part of a CTE (cte.hpp).
    explicit projection(expr<V>... exprs) {
        bool first = true;
        ((list_.sql(first ? "" : ", ").append(exprs.f), first = false), ...);
    }
    template <class T>
    projection& from() {
        c_.from = detail::from_of<T>();
        return *this;
    }
    // FROM a common table expression (cte.hpp) named in the statement's WITH.
    template <class R>
    projection& from(const cte<R>& c) {
        c_.from = c.from_item();
        return *this;
    }
    template <class R>
    projection& join(const cte<R>& c, const expr<bool>& on) {
        c_.joins.sql(" JOIN ").sql(c.from_item()).sql(" ON ").append(on.f);
        return *this;
    }
    template <class U>
    projection& join(const expr<bool>& on) {
        c_.joins.sql(" JOIN ").sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return *this;
    }
    template <class U>
    projection& left_join(const expr<bool>& on) {
        c_.joins.sql(" LEFT JOIN ").sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return *this;
    }
    projection& where(const expr<bool>& condition) {
        c_.where.push_back(condition.f);
        return *this;
    }
    template <class... G>
    projection& group_by(const expr<G>&... e) {
        (c_.group_by.push_back(e.f), ...);
        return *this;
    }
    projection& having(const expr<bool>& condition) {
        c_.having.push_back(condition.f);
        return *this;
    }
    projection& order_by(const order_term& o) {
        c_.order_by.push_back(o.f);
        return *this;
    }
    projection& limit(std::int64_t n) {
        c_.limit = n;
        return *this;
    }
    projection& offset(std::int64_t n) {
        c_.offset = n;
        return *this;
    }
    detail::fragment statement() const { return c_.render(list_); }
    std::string sql() const { return statement().text(); }
    std::vector<std::tuple<V...>> all() const {
        auto f = statement();
        auto r = detail::bound_session(db_).run(f.text(), f.params());
        std::vector<std::tuple<V...>> out;
        out.reserve(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.template tuple<V...>(i));
        return out;
    }
    // The first row (LIMIT 1), or none.
    std::optional<std::tuple<V...>> first() const {
        auto q = *this;
        q.c_.limit = 1;
        auto rows = q.all();
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    }

private:
    session* db_ = nullptr;
    detail::fragment list_;
    detail::clauses c_;
};

template <class... V>
projection<V...> session::select(const expr<V>&... exprs) {
    return projection<V...>(*this, exprs...);
}

template <class T>
typename detail::select_of<T>::type session::select() {
    if constexpr (read_shape<T>) {
        return shape_query<T>(this);
    } else {
        static_assert(mapped_model<T>,
                      "ender::session::select<T>: T is not a mapped model (declare ender_model) "
                      "nor a read shape (declare ender_shape)");
        return select_query<T>(this);
    }
}

template <class T>
std::string session::explain(const select_query<T>& query, bool analyze) {
    return detail::explain_statement(*this, query.statement(), analyze);
}

}  // namespace ender
