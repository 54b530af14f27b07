// Bulk writes: insert_many through COPY ... FROM STDIN (FORMAT binary), with the new ids when
// asked; update_where / delete_where by predicate; upsert (INSERT ... ON CONFLICT) of one object
// or many.
//
//   db.insert_many(heroes);                        // one COPY, however many rows
//   db.insert_many(heroes, ender::returning_ids);  // + one statement for the ids
//   db.update_where(ender::patch<hero>().set(&hero::age, 30), ender::col(&hero::team_id) == 7);
//   db.delete_where<hero>(ender::col(&hero::age) > 200);
//   db.upsert(h, &hero::name);                     // ON CONFLICT (name) DO UPDATE SET ...
#pragma once

#include "ender/query.hpp"

#include <span>

namespace ender {

// insert_many(objects, returning_ids): also fills the objects' primary keys.
struct returning_ids_t {};
inline constexpr returning_ids_t returning_ids{};

namespace detail {

// Whether every column of T has a binary encoder (COPY binary needs them all).
template <class T>
constexpr bool copies_binary() {
    bool all = true;
    using columns = std::decay_t<decltype(model_of<T>().columns)>;
    [&]<class... C>(std::tuple<C...>*) {
        ((all = all && sends_binary<strip_optional_t<typename C::member_type>>()), ...);
    }(static_cast<columns*>(nullptr));
    return all;
}

// The columns insert_many sends: all but the server-generated ones, and but those with a
// server default that no object sets (an optional that is empty in every object).
template <class T>
std::vector<std::size_t> bulk_columns(std::span<const T* const> objects, bool with_key) {
    const auto& m = model_of<T>();
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < m.info.columns.size(); ++i) {
        const auto& c = m.info.columns[i];
        bool key = with_key && m.info.primary_key.size() == 1 && m.info.primary_key[0] == c.name;
        if (c.server_generated && !key) continue;
        if (c.default_sql && !key) {
            bool any = false;
            for (const T* o : objects)
                if (!column_is_null(*o, i)) {
                    any = true;
                    break;
                }
            if (!any) continue;
        }
        out.push_back(i);
    }
    return out;
}

// One row of a binary COPY: the field count, then each field's length and bytes.
template <class T>
void copy_row(const T& obj, std::span<const std::size_t> columns, std::string& out) {
    put_int<std::int16_t>(out, static_cast<std::int16_t>(columns.size()));
    std::size_t next = 0;
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        if (next == columns.size() || columns[next] != i) return;
        ++next;
        using M = typename std::decay_t<decltype(c)>::member_type;
        const auto& v = c.access.get(obj);
        const strip_optional_t<M>* value;
        if constexpr (is_optional_v<M>) {
            if (!v) {
                put_int<std::int32_t>(out, -1);
                return;
            }
            value = &*v;
        } else {
            value = &v;
        }
        if constexpr (sends_binary<strip_optional_t<M>>()) {
            auto at = out.size();
            put_int<std::int32_t>(out, 0);
            type_traits<strip_optional_t<M>>::encode(*value, out);
            auto length = static_cast<std::int32_t>(out.size() - at - 4);
            for (int b = 0; b < 4; ++b)
                out[at + std::size_t(b)] = static_cast<char>((length >> (24 - 8 * b)) & 0xff);
        }
    });
}

std::string column_list(const table_info& t, std::span<const std::size_t> columns);
// The statement that takes `n` values of the single-column primary key's sequence.
std::string next_ids_statement(const table_info& t);
[[noreturn]] void no_sequence_key(const table_info& t);
// Binds the listed columns of an object as one row of a VALUES list: "(...)".
template <class T>
void bind_row(fragment& f, const T& obj, std::span<const std::size_t> columns) {
    f.sql("(");
    for (std::size_t j = 0; j < columns.size(); ++j) {
        f.sql(j ? ", " : "");
        bind_columns(f, obj, columns[j]);
    }
    f.sql(")");
}
// "ON CONFLICT (a, b) DO UPDATE SET c = EXCLUDED.c, ..." for the sent columns that are not
// the conflict target (DO NOTHING when there are none).
std::string on_conflict(const table_info& t, std::span<const std::size_t> sent,
                        const std::vector<std::string>& target);
// "OVERRIDING SYSTEM VALUE " when the columns sent include a GENERATED ALWAYS identity (an
// INSERT must say so to write it; COPY writes it as it is).
std::string overriding(const table_info& t, std::span<const std::size_t> columns);
// Multi-row INSERTs of `objects` (batches within the 65,535 parameters of a statement), each
// followed by `suffix`; returns the rows changed.
template <class T>
std::uint64_t insert_values(session& db, std::span<const T* const> objects,
                            std::span<const std::size_t> columns, const std::string& suffix) {
    const auto& m = model_of<T>();
    std::size_t per_statement =
        std::max<std::size_t>(1, 65535 / std::max<std::size_t>(1, columns.size()));
    std::uint64_t changed = 0;
    for (std::size_t at = 0; at < objects.size(); at += per_statement) {
        fragment f("INSERT INTO ");
        f.sql(m.info.qualified()).sql(" (").sql(column_list(m.info, columns)).sql(") ");
        f.sql(overriding(m.info, columns)).sql("VALUES ");
        auto end = std::min(objects.size(), at + per_statement);
        for (std::size_t i = at; i < end; ++i) {
            f.sql(i > at ? ", " : "");
            bind_row(f, *objects[i], columns);
        }
        f.sql(suffix);
        changed += db.run(f.text(), f.params()).affected_rows();
    }
    return changed;
}

// Sends the listed columns of the objects in one COPY ... FROM STDIN (FORMAT binary), or in
// multi-row INSERTs when a column's type has no binary form.
template <class T>
void copy_objects(session& db, std::span<const T* const> objects,
                  const std::vector<std::size_t>& columns) {
    const auto& m = model_of<T>();
    if constexpr (!copies_binary<T>()) {
        insert_values(db, objects, columns, "");
    } else {
        std::string sql = "COPY " + m.info.qualified() + " (" + column_list(m.info, columns) +
                          ") FROM STDIN (FORMAT binary)";
        std::size_t next = 0;
        db.copy_in(sql, [&](std::string& chunk) {
            if (next == 0) {
                chunk.append("PGCOPY\n\377\r\n\0", 11);
                put_int<std::int32_t>(chunk, 0);  // flags
                put_int<std::int32_t>(chunk, 0);  // header extension
            }
            // About 1 MB per message.
            while (next < objects.size() && chunk.size() < (1u << 20))
                copy_row(*objects[next++], columns, chunk);
            if (next == objects.size()) {
                put_int<std::int16_t>(chunk, -1);  // trailer
                ++next;
            }
            return !chunk.empty();
        });
    }
}

// Inserts the objects (validated) in one COPY; with `ids`, their primary keys are taken from
// the key's sequence first (one statement) and sent with the rows.
template <class T>
void insert_objects(session& db, std::span<T* const> objects, bool ids) {
    const auto& m = model_of<T>();
    for (T* o : objects) {
        m.normalize(*o);
        m.validate(*o);
    }
    if (objects.empty()) return;
    std::span<const T* const> all(objects.data(), objects.size());
    if (!ids) return copy_objects(db, all, bulk_columns(all, false));
    if (m.info.primary_key.size() != 1) no_sequence_key(m.info);
    auto key = static_cast<std::size_t>(m.info.find(m.info.primary_key[0]));
    auto taken = db.exec(next_ids_statement(m.info), static_cast<std::int64_t>(objects.size()));
    m.for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        if constexpr (std::is_integral_v<strip_optional_t<M>>)
            if (i == key)
                for (std::size_t row = 0; row < objects.size(); ++row)
                    c.access.get(*objects[row]) =
                        static_cast<strip_optional_t<M>>(taken.template get<std::int64_t>(row, 0));
    });
    copy_objects(db, all, bulk_columns(all, true));
}

template <class T>
std::vector<T*> pointers_to(std::vector<T>& objects) {
    std::vector<T*> out;
    out.reserve(objects.size());
    for (auto& o : objects) out.push_back(&o);
    return out;
}
// The objects, or normalised copies of them (in `copies`) when the model has normalisers
// (field_options.hpp): the objects are const.
template <class Model, class T>
const std::vector<T>& normalized(const Model& m, const std::vector<T>& objects,
                                 std::vector<T>& copies) {
    if (m.normalizers.empty()) return objects;
    copies = objects;
    for (auto& o : copies) m.normalize(o);
    return copies;
}
template <class T>
std::vector<const T*> pointers_to(const std::vector<T>& objects) {
    std::vector<const T*> out;
    out.reserve(objects.size());
    for (const auto& o : objects) out.push_back(&o);
    return out;
}
}  // namespace detail

template <class T>
struct detail::include_ender_bulk_hpp {};

template <class T>
requires detail::defined_by<detail::include_ender_bulk_hpp, T>
void session::insert_many(const std::vector<T>& objects) {
    static_assert(mapped_model<T>, "ender::session::insert_many: T is not a mapped model");
    const auto& m = model_of<T>();
    std::vector<T> copies;
    const auto& rows = detail::normalized(m, objects, copies);
    for (const auto& o : rows) m.validate(o);
    if (rows.empty()) return;
    auto all = detail::pointers_to(rows);
    detail::copy_objects<T>(*this, all, detail::bulk_columns<T>(all, false));
}

template <class T>
requires detail::defined_by<detail::include_ender_bulk_hpp, T>
void session::insert_many(std::vector<T>& objects, returning_ids_t) {
    static_assert(mapped_model<T>, "ender::session::insert_many: T is not a mapped model");
    detail::insert_objects<T>(*this, detail::pointers_to(objects), true);
}

template <class T>
requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t session::update_where(
    const patch<T>& values, const expr<bool>& where) {
    const auto& m = model_of<T>();
    T draft = values.draft();
    m.normalize(draft, &values.columns());
    m.validate(draft, &values.columns());
    auto f = detail::update_statement(draft, &values.columns(), where.f, false);
    return run(f.text(), f.params()).affected_rows();
}

template <class T>
requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t session::delete_where(
    const expr<bool>& where) {
    static_assert(mapped_model<T>, "ender::session::delete_where<T>: T is not a mapped model");
    detail::fragment f("DELETE FROM ");
    f.sql(model_of<T>().info.qualified()).sql(" WHERE ").append(where.f);
    return run(f.text(), f.params()).affected_rows();
}

template <class T, class... M>
requires detail::defined_by<detail::include_ender_bulk_hpp, T>
void session::upsert(T& object, M T::*... conflict) {
    static_assert(sizeof...(M) > 0, "ender::upsert: name the conflict target's columns");
    const auto& m = model_of<T>();
    m.normalize(object);
    m.validate(object);
    std::vector<std::string> target{m.column_name(conflict)...};
    const T* one[] = {&object};
    auto columns = detail::bulk_columns<T>(one, false);
    std::string suffix = " " + detail::on_conflict(m.info, columns, target);
    suffix += " RETURNING " + detail::returning_list(m.info);
    detail::fragment f("INSERT INTO ");
    f.sql(m.info.qualified()).sql(" (").sql(detail::column_list(m.info, columns)).sql(") ");
    f.sql(detail::overriding(m.info, columns)).sql("VALUES ");
    detail::bind_row(f, object, columns);
    f.sql(suffix);
    auto r = run(f.text(), f.params());
    if (!r.empty()) detail::read_one(object, r);  // DO NOTHING returns no row
}

template <class T, class... M>
requires detail::defined_by<detail::include_ender_bulk_hpp, T> std::uint64_t session::upsert_many(
    const std::vector<T>& objects, M T::*... conflict) {
    static_assert(sizeof...(M) > 0, "ender::upsert_many: name the conflict target's columns");
    const auto& m = model_of<T>();
    std::vector<T> copies;
    const auto& rows = detail::normalized(m, objects, copies);
    for (const auto& o : rows) m.validate(o);
    if (rows.empty()) return 0;
    std::vector<std::string> target{m.column_name(conflict)...};
    auto all = detail::pointers_to(rows);
    auto columns = detail::bulk_columns<T>(all, false);
    return detail::insert_values<T>(*this, all, columns,
                                    " " + detail::on_conflict(m.info, columns, target));
}

}  // namespace ender

#include "ender/bulk_update.hpp"
