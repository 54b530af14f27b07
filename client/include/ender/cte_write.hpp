// Data-modifying common table expressions: a DELETE or UPDATE whose RETURNING list is read shape
// R's fields, as the body of a cte<R>, and INSERT INTO ... SELECT as the statement after the
// WITH, so that moving rows is one statement:
//   ender::cte<hero_row> moved("moved");
//   moved.as(ender::delete_returning<hero_row>(col(&hero::age) > 40));
//   ender::with(db, moved)
//       .insert_into(&archived::id, &archived::name)
//       .select(ender::subquery(moved.col(&hero_row::id), moved.col(&hero_row::name)).from(moved));
// (WITH moved (id, name) AS (DELETE FROM public.hero WHERE ... RETURNING hero.id AS id, ...)
//  INSERT INTO public.archived (id, name) SELECT moved.id, moved.name FROM moved)
#pragma once

#include "ender/cte.hpp"
#include "ender/write.hpp"

#include <cstdint>
#include <tuple>
#include <type_traits>

namespace ender {

// A data-modifying statement that returns read shape R's fields: the body of a cte<R>.
template <class R>
class returning {
public:
    explicit returning(detail::fragment f) : f_(std::move(f)) {}
    const detail::fragment& statement() const noexcept { return f_; }

private:
    detail::fragment f_;
};

namespace detail {
template <class R>
using shape_source = typename std::decay_t<decltype(shape_of<R>())>::source_type;

// RETURNING <R's fields>: R's expressions read the modified table's columns only.
template <class R>
fragment returning_fields() {
    const auto& def = shape_of<R>();
    if (!def.base.joins.empty() || !def.base.group_by.empty())
        throw usage_error("0A000",
                          "a read shape with joins or grouping cannot be the returning list of a "
                          "data-modifying statement",
                          "RETURNING reads the rows the statement modifies.",
                          "Use a read shape whose fields are columns of the model.");
    fragment f(" RETURNING ");
    return f.append(def.select_list());
}
}  // namespace detail

// DELETE FROM <R's model> WHERE where RETURNING <R's fields> (a hard delete, as delete_where).
template <class R>
returning<R> delete_returning(const expr<bool>& where) {
    using T = detail::shape_source<R>;
    detail::fragment f("DELETE FROM ");
    f.sql(model_of<T>().info.qualified()).sql(" WHERE ").append(where.f);
    return returning<R>(f.append(detail::returning_fields<R>()));
}

// UPDATE <R's model> SET <the patch's fields> WHERE where RETURNING <R's fields>; the patch is
// normalised and validated as update_where's.
template <class R, class T>
returning<R> update_returning(const patch<T>& values, const expr<bool>& where) {
    static_assert(std::is_same_v<T, detail::shape_source<R>>,
                  "ender::update_returning<R>: the patch must be of R's model");
    if (detail::is_joined<T>())
        throw usage_error("0A000",
                          "a model of a joined-table hierarchy cannot be updated in a common "
                          "table expression",
                          "Its update is itself a statement with common table expressions.",
                          "Update it with update_where.");
    const auto& m = model_of<T>();
    T draft = values.draft();
    m.normalize(draft, &values.columns());
    m.validate(draft, &values.columns());
    auto f = detail::update_statement(draft, &values.columns(), where.f, false);
    return returning<R>(f.append(detail::returning_fields<R>()));
}

namespace detail {
// Whether query Q selects values that the members M hold, in order.
template <class Q, class... M>
concept selects_into = selects_members<std::tuple<M...>, Q>::value;
template <class S, class... M>
concept shape_into =
    std::is_same_v<typename std::decay_t<decltype(shape_of<S>())>::member_types, std::tuple<M...>>;
}  // namespace detail

// INSERT INTO T (the members' columns) SELECT ...: the statement after a WITH.
template <class T, class... M>
class insert_select {
public:
    insert_select(session& db, detail::fragment with, M T::*... members)
        : db_(&db), with_(std::move(with)) {
        static_assert(mapped_model<T>, "ender::insert_into: T is not a mapped model");
        static_assert(sizeof...(M) > 0, "ender::insert_into: name the columns to insert");
        ((columns_ +=
          (columns_.empty() ? "" : ", ") + detail::quote_ident(model_of<T>().column_name(members))),
         ...);
    }
    // Runs INSERT ... SELECT (a select of expressions of the members' types, in order: an
    // ender::subquery(...).from(cte), or a select of a read shape with the members' types);
    // returns the number of rows inserted.
    template <class Q>
    std::uint64_t select(const Q& query) const {
        static_assert(detail::selects_into<Q, M...> || is_shape_query<Q>::value,
                      "ender::insert_into: the select must return values of the columns' types, "
                      "in order");
        auto f = with_;
        f.sql("INSERT INTO ").sql(model_of<T>().info.qualified()).sql(" (").sql(columns_);
        f.sql(") ").append(query.statement());
        return db_->run(f.text(), f.params()).affected_rows();
    }

private:
    template <class Q>
    struct is_shape_query : std::false_type {};
    template <class S>
    struct is_shape_query<shape_query<S>> : std::bool_constant<detail::shape_into<S, M...>> {};
    session* db_;
    detail::fragment with_;
    std::string columns_;
};

template <class T, class... M>
insert_select<T, M...> with_clause::insert_into(M T::*... members) const {
    return insert_select<T, M...>(*db_, prefix_, members...);
}

}  // namespace ender
