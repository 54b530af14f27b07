// A mapped model's SQL: its FROM item and select list (built once per model), its default
// filter (soft delete, subtype), and reading result rows into it (by position or by name).
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/model.hpp"
#include "ender/session.hpp"

#include <array>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ender::detail {

// The FROM item of a model: its table; for a joined subtype, its table joined to the base's;
// for a concrete subtype, its table with its inherited columns also named as the base's
// (so col(&base::member) filters every kind of subtype query).
std::string subtype_from(const table_info& t);
template <class T>
const std::string& from_of() {
    static const std::string from = [] {
        const auto& m = model_of<T>();
        if (m.info.inheritance) return subtype_from(m.info);
        return m.info.qualified() + " AS " + quote_ident(m.info.name);
    }();
    return from;
}

// The select list of a model: every column, qualified, cast to text where the type asks
// (built once per model).
template <class T>
const std::string& model_columns() {
    static const std::string list = [] {
        const auto& m = model_of<T>();
        std::string out;
        for (std::size_t i = 0; i < m.info.columns.size(); ++i) {
            const auto& c = m.info.columns[i];
            if (!out.empty()) out += ", ";
            out += quote_ident(m.info.qualifier(i)) + "." + quote_ident(c.name);
            if (c.select_as_text) out += "::text";
        }
        return out;
    }();
    return list;
}

// Reads rows of a result into models of T, the model's columns from result column `first` on
// (the result's shape was checked by the caller: check_model_width). The plan is made once per
// result: each column's type read and checked against its member's type; then each row's fields
// are fetched in one call and decoded by the member's type, no allocation but the values'.
template <class T>
class model_reader {
public:
    static constexpr std::size_t width =
        std::tuple_size_v<std::decay_t<decltype(model_of<T>().columns)>>;

    model_reader(const result& r, std::size_t first) : r_(r), first_(first) {
        model_of<T>().for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            types_[i] = r.column_type(first + i);
            check_field_type<strip_optional_t<M>>(types_[i]);
        });
    }
    void read(T& obj, std::size_t row) {
        r_.row_fields(row, first_, fields_);
        const auto& m = model_of<T>();
        m.for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            auto& out = c.access.get(obj);
            const auto& f = fields_[i];
            if constexpr (is_optional_v<M>) {
                if (f.null)
                    out.reset();
                else
                    out.emplace(read_field<strip_optional_t<M>>(f.bytes, types_[i]));
            } else {
                if (f.null) r_.get_unchecked<M>(row, first_ + i);  // throws: a NULL
                out = read_field<M>(f.bytes, types_[i]);
            }
        });
        for (const auto& relation : m.relations) relation->stamp(obj);
    }

private:
    const result& r_;
    std::size_t first_;
    std::array<oid, width> types_{};
    std::array<result::field_ref, width> fields_{};
};

// Fills one row's columns [first, first + width) into a model (reading many rows, keep one
// model_reader instead).
template <class T>
void read_model(T& obj, const result& r, std::size_t row, std::size_t first) {
    model_reader<T>(r, first).read(obj, row);
}
template <class T>
void check_model_width(const result& r) {
    r.check_width(model_of<T>().info.columns.size());
}
// The first row of a statement that returns one (RETURNING, a key lookup) into `obj`.
template <class T>
void read_one(T& obj, const result& r) {
    check_model_width<T>(r);
    if (r.empty())
        throw usage_error("02000", "the statement returned no row", "",
                          "A row trigger or rule may have suppressed the change.");
    read_model(obj, r, 0, 0);
}

// "table.kind = 'manager'" for a single-table subtype (inheritance.hpp), else empty.
std::string type_condition(const table_info& t);
template <class T>
const std::string& type_filter() {
    static const std::string filter = type_condition(model_of<T>().info);
    return filter;
}
// The rows a select of T sees by default: "table.deleted_at IS NULL" for a model with the
// soft-delete mixin, and a single-table subtype's type filter; empty when none applies.
template <class T>
const std::string& soft_delete_filter() {
    static const std::string filter = [] {
        const auto& m = model_of<T>();
        std::string out = type_filter<T>();
        int i = m.info.soft_delete_column();
        if (i < 0) return out;
        return (out.empty() ? "" : out + " AND ") + quote_ident(m.info.qualifier(std::size_t(i))) +
               "." + quote_ident(m.info.columns[std::size_t(i)].name) + " IS NULL";
    }();
    return filter;
}

// Raw rows into a model, columns matched by name.
template <class T>
requires mapped_model<T>
struct row_reader<T> {
    const result& r;
    std::vector<int> positions;  // result column of each model column, or -1
    explicit row_reader(const result& res) : r(res) {
        const auto& m = model_of<T>();
        positions.assign(m.info.columns.size(), -1);
        for (std::size_t i = 0; i < r.columns(); ++i) {
            int c = m.info.find(r.column_name(i));
            if (c < 0)
                throw usage_error("42703",
                                  "column \"" + r.column_name(i) +
                                      "\" of the result is not a column of table \"" + m.info.name +
                                      "\"",
                                  "", "Select only the model's columns, or read into a tuple.");
            positions[std::size_t(c)] = int(i);
        }
    }
    T read(std::size_t row) const {
        T obj{};
        model_of<T>().for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            if (positions[i] >= 0) c.access.get(obj) = r.get<M>(row, std::size_t(positions[i]));
        });
        return obj;
    }
};

}  // namespace ender::detail
