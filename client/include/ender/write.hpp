// Writing objects: insert (of a whole object or a patch), update, remove (soft when mapped),
// and get by primary key; the statements they send, written once per model where they can be.
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/detail/model_sql.hpp"
#include "ender/model.hpp"
#include "ender/select.hpp"
#include "ender/session.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ender {

// A partial set of a model's fields: the create shape (insert(patch) leaves the rest to the
// server's defaults) and the update shape (update(patch, key) changes only these).
template <class T>
class patch {
public:
    template <class M, class V>
    requires std::is_assignable_v<M&, V&&> patch& set(M T::*member, V&& value) {
        draft_.*member = std::forward<V>(value);
        auto i = model_of<T>().column_index(member);
        for (auto c : columns_)
            if (c == i) return *this;
        columns_.push_back(i);
        return *this;
    }
    const T& draft() const noexcept { return draft_; }
    const std::vector<std::size_t>& columns() const noexcept { return columns_; }

private:
    T draft_{};
    std::vector<std::size_t> columns_;
};

namespace detail {
// Parameters for the listed columns of an object, in the order listed.
template <class T>
void bind_columns(fragment& f, const T& obj, std::size_t column) {
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        if (i == column) f.bind(make_param(c.access.get(obj)));
    });
}
template <class T>
bool column_is_null(const T& obj, std::size_t column) {
    bool null = false;
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        if constexpr (is_optional_v<M>)
            if (i == column) null = !c.access.get(obj).has_value();
    });
    return null;
}
template <class T>
fragment key_condition(const T& obj) {
    const auto& m = model_of<T>();
    fragment f;
    bool first = true;
    for (const auto& k : m.info.primary_key) {
        f.sql(first ? "" : " AND ").sql(quote_ident(k)).sql(" = ");
        bind_columns(f, obj, std::size_t(m.info.find(k)));
        first = false;
    }
    return f;
}
std::string returning_list(const table_info& t);
[[noreturn]] void no_primary_key(const table_info& t);
[[noreturn]] void row_not_found(const table_info& t, std::string_view what);
[[noreturn]] void not_soft_deletable(const table_info& t);
[[noreturn]] void nothing_to_restore(const table_info& t);
template <class T>
void remove_row(session& db, T& object, removal mode);
template <class T>
bool set_deleted_at(session& db, T& object, std::string_view value, std::string_view was);
template <class T>
std::optional<std::chrono::sys_time<std::chrono::microseconds>> deletion_stamp_of(session& db,
                                                                                  const T& object);
[[noreturn]] void wrong_key_count(const table_info& t, std::size_t given);

// The columns [lo, hi) of the model (a joined subtype writes two tables: its base's columns,
// then its own); `discriminator` is a single-table or joined model's type column, always
// sent with the model's identity.
struct column_range {
    std::size_t lo, hi;
};
// The discriminator column of a model that writes one (a subtype, or a base with an
// identity), with the value it writes; nullopt otherwise.
std::optional<std::pair<std::size_t, std::string>> discriminator_value(const table_info& t);
// WITH ender_base AS (<base>), ender_own AS (<own>) SELECT <the model's columns> FROM both.
fragment joined_write(const table_info& t, const fragment& base, const fragment& own);
// The base table of a joined subtype (which its deletes go to), the model's own otherwise.
std::string write_target(const table_info& t);
// `where` and, for a subtype sharing rows with other types (single, joined), the condition
// that the row is of this subtype: writes never touch a row of another type.
fragment guarded(const table_info& t, const fragment& where);

template <class T>
bool is_joined() {
    const auto& i = model_of<T>().info.inheritance;
    return i && i->style == inheritance_info::joined;
}

template <class T>
void insert_values(const T& obj, const std::vector<std::size_t>* only, column_range range,
                   fragment& names, fragment& values, bool& first) {
    const auto& m = model_of<T>();
    auto type = discriminator_value(m.info);
    for (std::size_t i = range.lo; i < range.hi; ++i) {
        const auto& c = m.info.columns[i];
        bool typed = type && type->first == i;
        if (typed) {
        } else if (only) {
            bool listed = false;
            for (auto o : *only) listed = listed || o == i;
            if (!listed) continue;
        } else if (c.server_generated || (c.default_sql && column_is_null(obj, i))) {
            continue;
        }
        names.sql(first ? "" : ", ").sql(quote_ident(c.name));
        values.sql(first ? "" : ", ");
        if (typed)
            values.bind(make_param(type->second));
        else
            bind_columns(values, obj, i);
        first = false;
    }
}

template <class T>
fragment insert_statement(const T& obj, const std::vector<std::size_t>* only) {
    const auto& m = model_of<T>();
    fragment names, values;
    bool first = true;
    if (is_joined<T>()) {
        // The base's row, then the subtype's with the key the base's got: one statement.
        const auto& inh = *m.info.inheritance;
        insert_values(obj, only, {0, inh.base_columns}, names, values, first);
        fragment base("INSERT INTO ");
        base.sql(qualified_name(inh.base_schema, inh.base_name));
        if (first)
            base.sql(" DEFAULT VALUES");
        else
            base.sql(" (").append(names).sql(") VALUES (").append(values).sql(")");
        base.sql(" RETURNING *");
        fragment own_names, own_values;
        for (const auto& k : m.info.primary_key) {
            own_names.sql(own_names.empty() ? "" : ", ").sql(quote_ident(k));
            own_values.sql(own_values.empty() ? "" : ", ").sql("ender_base." + quote_ident(k));
        }
        bool own_first = m.info.primary_key.empty();
        insert_values(obj, only, {inh.base_columns, m.info.columns.size()}, own_names, own_values,
                      own_first);
        fragment own("INSERT INTO ");
        own.sql(m.info.qualified()).sql(" (").append(own_names).sql(") SELECT ");
        own.append(own_values).sql(" FROM ender_base RETURNING *");
        return joined_write(m.info, base, own);
    }
    insert_values(obj, only, {0, m.info.columns.size()}, names, values, first);
    fragment f("INSERT INTO ");
    f.sql(m.info.qualified());
    if (first)
        f.sql(" DEFAULT VALUES");
    else
        f.sql(" (").append(names).sql(") VALUES (").append(values).sql(")");
    f.sql(" RETURNING ").sql(returning_list(m.info));
    return f;
}

template <class T>
fragment update_of(const T& obj, const std::vector<std::size_t>* only, const fragment& where,
                   const std::string& table, column_range range) {
    const auto& m = model_of<T>();
    fragment f("UPDATE ");
    f.sql(table).sql(" SET ");
    bool first = true;
    auto type = discriminator_value(m.info);  // a row's type never changes
    for (std::size_t i = range.lo; i < range.hi; ++i) {
        const auto& c = m.info.columns[i];
        if (type && type->first == i) continue;
        bool key = false;
        for (const auto& k : m.info.primary_key) key = key || k == c.name;
        if (c.on_update) {
            f.sql(first ? "" : ", ").sql(quote_ident(c.name)).sql(" = ").sql(*c.on_update);
            first = false;
            continue;
        }
        if (only) {
            bool listed = false;
            for (auto o : *only) listed = listed || o == i;
            if (!listed) continue;
        } else if (key || c.server_generated || c.soft_delete) {
            continue;
        }
        f.sql(first ? "" : ", ").sql(quote_ident(c.name)).sql(" = ");
        bind_columns(f, obj, i);
        first = false;
    }
    if (first)
        f.sql(quote_ident(m.info.primary_key.at(0)))
            .sql(" = ")
            .sql(quote_ident(m.info.primary_key.at(0)));
    f.sql(" WHERE ").append(where);
    if (auto s = m.info.soft_delete_column();
        s >= 0 && std::size_t(s) >= range.lo && std::size_t(s) < range.hi)
        f.sql(" AND ").sql(quote_ident(m.info.columns[std::size_t(s)].name)).sql(" IS NULL");
    return f;
}

template <class T>
fragment update_statement(const T& obj, const std::vector<std::size_t>* only, const fragment& where,
                          bool returning = true) {
    const auto& m = model_of<T>();
    if (is_joined<T>()) {
        // Both rows in one statement; the model's columns read back from both.
        const auto& inh = *m.info.inheritance;
        // The base's row only when the subtype's exists: a row of another type is left as is.
        auto base =
            update_of(obj, only, guarded(m.info, where),
                      qualified_name(inh.base_schema, inh.base_name), {0, inh.base_columns});
        auto own = update_of(obj, only, where, m.info.qualified(),
                             {inh.base_columns, m.info.columns.size()});
        return joined_write(m.info, base.sql(" RETURNING *"), own.sql(" RETURNING *"));
    }
    auto f = update_of(obj, only, guarded(m.info, where), m.info.qualified(),
                       {0, m.info.columns.size()});
    if (returning) f.sql(" RETURNING ").sql(returning_list(m.info));
    return f;
}

template <class T, class... K>
fragment key_values(const K&... key) {
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) no_primary_key(m.info);
    if (m.info.primary_key.size() != sizeof...(K)) wrong_key_count(m.info, sizeof...(K));
    fragment f;
    std::size_t i = 0;
    auto add = [&](const auto& k) {
        f.sql(i ? " AND " : "")
            .sql(quote_ident(m.info.primary_key[i]))
            .sql(" = ")
            .bind(to_param(k));
        ++i;
    };
    (add(key), ...);
    return f;
}
}  // namespace detail

// ---- session members for models

template <class T>
struct detail::include_ender_query_hpp {};

template <class T, class... K>
requires detail::defined_by<detail::include_ender_query_hpp, T> std::optional<T> session::get(
    const K&... key) {
    static_assert(mapped_model<T>, "ender::session::get<T>: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.size() != sizeof...(K)) {
        if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
        detail::wrong_key_count(m.info, sizeof...(K));
    }
    // The statement is the same for every call: built once per model (the hot path).
    static const std::string sql = [&] {
        auto q = select_query<T>(nullptr);
        std::vector<detail::param> placeholders(sizeof...(K));
        detail::fragment where;
        for (std::size_t i = 0; i < sizeof...(K); ++i) {
            where.sql(i ? " AND " : "")
                .sql(detail::quote_ident(
                         m.info.qualifier(std::size_t(m.info.find(m.info.primary_key[i])))) +
                     "." + detail::quote_ident(m.info.primary_key[i]))
                .sql(" = ")
                .bind(placeholders[i]);
        }
        q.where(expr<bool>{where});
        return q.statement().text();
    }();
    std::array<detail::param, sizeof...(K)> params{detail::to_param(key)...};
    auto r = run(sql, params);
    if (r.empty()) return std::nullopt;
    T object{};
    detail::read_one(object, r);
    return object;
}

template <class T>
requires(!detail::is_patch<T>::value &&
         detail::defined_by<detail::include_ender_query_hpp, T>) void session::insert(T& object) {
    static_assert(mapped_model<T>, "ender::session::insert: T is not a mapped model");
    model_of<T>().normalize(object);
    model_of<T>().validate(object);
    auto f = detail::insert_statement(object, nullptr);
    auto r = run(f.text(), f.params());
    detail::read_one(object, r);
}

template <class T>
requires detail::defined_by<detail::include_ender_query_hpp, T> T
session::insert(const patch<T>& values) {
    const auto& m = model_of<T>();
    T draft = values.draft();
    m.normalize(draft, &values.columns());
    m.validate(draft, &values.columns());
    auto f = detail::insert_statement(draft, &values.columns());
    auto r = run(f.text(), f.params());
    T object{};
    detail::read_one(object, r);
    return object;
}

template <class T>
requires detail::defined_by<detail::include_ender_query_hpp, T>
void session::update(T& object) {
    static_assert(mapped_model<T>, "ender::session::update: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
    m.normalize(object);
    m.validate(object);
    auto f = detail::update_statement(object, nullptr, detail::key_condition(object));
    auto r = run(f.text(), f.params());
    if (r.empty()) detail::row_not_found(m.info, "update");
    detail::read_one(object, r);
}

template <class T, class... K>
requires detail::defined_by<detail::include_ender_query_hpp, T> std::optional<T> session::update(
    const patch<T>& values, const K&... key) {
    const auto& m = model_of<T>();
    T draft = values.draft();
    m.normalize(draft, &values.columns());
    m.validate(draft, &values.columns());
    auto f = detail::update_statement(draft, &values.columns(), detail::key_values<T>(key...));
    auto r = run(f.text(), f.params());
    if (r.empty()) return std::nullopt;
    T object{};
    detail::read_one(object, r);
    return object;
}

template <class T>
requires detail::defined_by<detail::include_ender_query_hpp, T>
void session::remove(T& object, removal mode) {
    static_assert(mapped_model<T>, "ender::session::remove: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
    int soft = m.info.soft_delete_column();
    // The children of cascading relationships first, in the same transaction.
    std::optional<transaction> tx;
    for (const auto& r : m.relations) {
        if (!r->cascades()) continue;
        if (!tx && !in_transaction()) tx.emplace(begin());
        T* one[] = {&object};
        r->remove_children(*this, one, soft >= 0 && mode == removal::soft_when_mapped);
    }
    detail::remove_row(*this, object, mode);
    if (tx) tx->commit();
}

template <class T>
requires detail::defined_by<detail::include_ender_query_hpp, T>
void session::restore(T& object) {
    static_assert(mapped_model<T>, "ender::session::restore: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
    if (m.info.soft_delete_column() < 0) detail::not_soft_deletable(m.info);
    // The children that cascading relationships soft-deleted with the object first (those whose
    // deleted_at is its own), in the same transaction.
    std::optional<transaction> tx;
    std::optional<std::chrono::sys_time<std::chrono::microseconds>> stamp;
    for (const auto& r : m.relations) {
        if (!r->cascades()) continue;
        if (!tx && !in_transaction()) tx.emplace(begin());
        if (!stamp && !(stamp = detail::deletion_stamp_of(*this, object)))
            detail::nothing_to_restore(m.info);
        T* one[] = {&object};
        r->restore_children(*this, one, *stamp);
    }
    if (!detail::set_deleted_at(*this, object, "NULL", "IS NOT NULL"))
        detail::nothing_to_restore(m.info);
    if (tx) tx->commit();
}

namespace detail {
// UPDATE of the object's deleted_at to `value` where it `was` so ("IS NULL"), the object read
// back; false when no row was.
template <class T>
bool set_deleted_at(session& db, T& object, std::string_view value, std::string_view was) {
    const auto& m = model_of<T>();
    const auto& name = quote_ident(m.info.columns[std::size_t(m.info.soft_delete_column())].name);
    fragment f("UPDATE ");
    f.sql(m.info.qualified()).sql(" SET ").sql(name).sql(" = ").sql(value).sql(" WHERE ");
    f.append(key_condition(object)).sql(" AND ").sql(name).sql(" ").sql(was);
    f.sql(" RETURNING ").sql(returning_list(m.info));
    auto r = db.run(f.text(), f.params());
    if (r.empty()) return false;
    read_one(object, r);
    return true;
}

// The object's row's deleted_at; none when the row is not deleted (or not there).
template <class T>
std::optional<std::chrono::sys_time<std::chrono::microseconds>> deletion_stamp_of(session& db,
                                                                                  const T& object) {
    const auto& m = model_of<T>();
    const auto& name = quote_ident(m.info.columns[std::size_t(m.info.soft_delete_column())].name);
    fragment f("SELECT ");
    f.sql(name).sql(" FROM ").sql(m.info.qualified()).sql(" WHERE ");
    f.append(key_condition(object)).sql(" AND ").sql(name).sql(" IS NOT NULL");
    auto r = db.run(f.text(), f.params());
    if (r.empty()) return std::nullopt;
    return r.get<std::chrono::sys_time<std::chrono::microseconds>>(0, 0);
}

// The row of remove(): deleted_at set (soft), or deleted.
template <class T>
void remove_row(session& db, T& object, removal mode) {
    const auto& m = model_of<T>();
    if (m.info.soft_delete_column() >= 0 && mode == removal::soft_when_mapped) {
        if (!set_deleted_at(db, object, "now()", "IS NULL")) row_not_found(m.info, "remove");
        return;
    }
    detail::fragment f("DELETE FROM ");
    f.sql(detail::write_target(m.info)).sql(" WHERE ");
    f.append(detail::guarded(m.info, detail::key_condition(object)));
    if (db.run(f.text(), f.params()).affected_rows() == 0) detail::row_not_found(m.info, "remove");
}
}  // namespace detail

}  // namespace ender
