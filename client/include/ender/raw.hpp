// Raw SQL that is checked: :name parameters bound from name/value pairs or from a mapped
// struct's members, and the result's columns checked against the row type when the statement
// is prepared (PQdescribePrepared), before any row is read.
//
//   auto rows = ender::query_named<hero>(db, "SELECT * FROM hero WHERE age > :min_age",
//                                        {{"min_age", 30}});
#pragma once

#include "ender/detail/model_sql.hpp"
#include "ender/expression.hpp"
#include "ender/model.hpp"
#include "ender/session.hpp"

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ender {

// A named argument: {"min_age", 30} or ender::arg("min_age", 30).
struct named_arg {
    std::string name;
    detail::param value;
    template <detail::bindable T>
    named_arg(std::string n, const T& v) : name(std::move(n)), value(detail::to_param(v)) {}
};
template <detail::bindable T>
named_arg arg(std::string name, const T& value) {
    return named_arg(std::move(name), value);
}

// SQL whose :name placeholders are numbered $1, $2... (a name used twice is one parameter);
// names in order of first use. Quoted text, quoted identifiers, dollar-quoted bodies, comments
// and :: casts are left as they are.
struct named_sql {
    std::string text;
    std::vector<std::string> names;
};
named_sql parse_named(std::string_view sql);

namespace detail {
// The parameters of `parsed` from the arguments; ender::usage_error 42P02 for a name the SQL
// uses that no argument has, 42P02 too for an argument the SQL does not use, 42P08 for a name
// given twice.
std::vector<param> bind_named(const named_sql& parsed, std::span<const named_arg> args,
                              bool extra_allowed);
// Throws ender::usage_error 42804 (a type) or 42P10 (a count or a name) naming the column.
[[noreturn]] void result_mismatch(std::string_view sqlstate, const std::string& message,
                                  const std::string& detail);
std::string type_name(oid type);

// Whether a column of type `column` reads into T, as its decode() accepts it. Types whose OID
// is not fixed (enums, types read as text) and arrays are not checked here.
template <class T>
bool accepts_column(oid column) {
    using B = strip_optional_t<T>;
    if constexpr (std::is_integral_v<B> && !std::is_same_v<B, bool>)
        return column == 20 || column == 21 || column == 23;
    else if constexpr (std::is_floating_point_v<B>)
        return column == 700 || column == 701;
    else if constexpr (std::is_same_v<B, std::string>)
        return is_text_like(column);
    else if constexpr (std::is_same_v<B, nlohmann::json>)
        return column == 3802 || column == 114;
    else if constexpr (is_time_point<B>::value)
        return column == type_traits<B>::type_oid || column == 1184 || column == 1114;
    else if constexpr (selects_as_text<B>() || type_traits<B>::type_oid == 0 || requires {
                           typename B::value_type;
                           typename B::allocator_type;
                       })
        return true;
    else
        return column == type_traits<B>::type_oid;
}

template <class T>
void check_column(const std::vector<result_column>& cols, std::size_t i, const std::string& what) {
    if (!accepts_column<T>(cols[i].type))
        result_mismatch(
            "42804",
            "column \"" + cols[i].name + "\" of the result has type " + type_name(cols[i].type) +
                ", which " + what + " cannot hold",
            "The row type expects " + type_traits<strip_optional_t<T>>::sql_name() + " there.");
}

// Checks the described columns against Row: a tuple by position (count and types), a mapped
// model by name (every column of the model, no other, types), a single mapped type (one
// column of its type).
template <class Row>
void check_result(const std::vector<result_column>& cols) {
    auto count = [&](std::size_t wanted) {
        if (cols.size() != wanted)
            result_mismatch("42P10",
                            "the statement returns " + std::to_string(cols.size()) + " column" +
                                (cols.size() == 1 ? "" : "s") + ", the row type has " +
                                std::to_string(wanted),
                            "");
    };
    if constexpr (is_tuple<Row>::value) {
        [&]<class... Ts>(std::tuple<Ts...>*) {
            count(sizeof...(Ts));
            std::size_t i = 0;
            ((check_column<Ts>(cols, i, "tuple element " + std::to_string(i + 1)), ++i), ...);
        }(static_cast<Row*>(nullptr));
    } else if constexpr (mapped_model<Row>) {
        const auto& m = model_of<Row>();
        for (const auto& c : cols)
            if (m.info.find(c.name) < 0)
                result_mismatch("42P10",
                                "column \"" + c.name + "\" of the result is not a column of \"" +
                                    m.info.name + "\"",
                                "");
        m.for_each([&](const auto& c, std::size_t) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            for (std::size_t i = 0; i < cols.size(); ++i)
                if (cols[i].name == c.info.name)
                    return check_column<M>(cols, i, "\"" + m.info.name + "." + c.info.name + "\"");
            result_mismatch("42P10",
                            "column \"" + c.info.name + "\" of \"" + m.info.name +
                                "\" is missing from the result",
                            "Select every column of the row type, or read into a tuple.");
        });
    } else {
        count(1);
        check_column<Row>(cols, 0, "the row type");
    }
}

template <class Row>
std::vector<Row> read_rows(const result& r) {
    std::vector<Row> rows;
    rows.reserve(r.size());
    if constexpr (is_tuple<Row>::value) {
        [&]<class... Ts>(std::tuple<Ts...>*) {
            for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(r.template tuple<Ts...>(i));
        }(static_cast<Row*>(nullptr));
    } else if constexpr (mapped_model<Row>) {
        row_reader<Row> reader(r);
        for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(reader.read(i));
    } else {
        for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(r.template get<Row>(i, 0));
    }
    return rows;
}

template <class Row>
std::vector<Row> run_checked(session& db, const std::string& sql, std::span<const param> ps) {
    check_result<Row>(db.describe(sql, ps));
    return read_rows<Row>(db.run(sql, ps));
}
}  // namespace detail

// Rows of raw SQL with $1, $2... parameters, the result's columns checked against Row first.
template <class Row, detail::bindable... A>
std::vector<Row> query_checked(session& db, std::string_view sql, const A&... params) {
    std::vector<detail::param> ps;
    (ps.push_back(detail::to_param(params)), ...);
    return detail::run_checked<Row>(db, std::string(sql), ps);
}

// Rows of raw SQL with :name parameters from name/value pairs; the result's columns are
// checked against Row (a tuple, a mapped model or a single mapped type) before a row is read.
template <class Row>
std::vector<Row> query_named(session& db, std::string_view sql,
                             std::initializer_list<named_arg> args) {
    auto parsed = parse_named(sql);
    auto ps = detail::bind_named(parsed, std::span(args.begin(), args.size()), false);
    return detail::run_checked<Row>(db, parsed.text, ps);
}

// The same with :name parameters from the members of `values`, a struct mapped with
// ender::table<S>("", column("name", &S::member)...) (a table name is not needed: it is never
// created); members the SQL does not use are left out.
template <class Row, class S>
requires mapped_model<S> std::vector<Row> query_named(session& db, std::string_view sql,
                                                      const S& values) {
    std::vector<named_arg> args;
    model_of<S>().for_each(
        [&](const auto& c, std::size_t) { args.emplace_back(c.info.name, c.access.get(values)); });
    auto parsed = parse_named(sql);
    return detail::run_checked<Row>(db, parsed.text, detail::bind_named(parsed, args, true));
}

}  // namespace ender
