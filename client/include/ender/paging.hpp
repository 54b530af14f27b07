// Keyset pagination: pages in a sort given as text ("-created_at"), completed with the primary
// key so the order is total, each page the rows after the last one's keys, (a, b) > ($1, $2);
// an opaque cursor carries those keys from one request to the next.
#pragma once

#include "ender/ordering.hpp"
#include "ender/select.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ender {

namespace detail {
// One key of a cursor: the column's name and its value as a bound parameter.
struct cursor_key {
    std::string name;
    param value;
};
// The cursor text of the keys (URL-safe base64, no padding).
std::string encode_cursor(std::span<const cursor_key> keys);
// The keys of a cursor; throws ender::usage_error 22023 when the text is not one encode_cursor
// made for these columns (names and parameter types).
std::vector<cursor_key> decode_cursor(std::string_view cursor,
                                      std::span<const cursor_key> expected);
// Throws ender::usage_error 22023 (a page size below 1) or 0A000 (a nullable key column).
void check_page_size(std::int64_t size);
[[noreturn]] void nullable_page_key(const table_info& t, const std::string& column);
// The condition "the row comes after these values" for key columns in `order`: a row-value
// comparison when every key has the same direction, nested OR/AND otherwise.
fragment after_keys(const std::vector<std::string>& columns, const std::vector<bool>& descending,
                    const std::vector<param>& values);
}  // namespace detail

// One page of rows and the cursor of the next page (none after the last page).
template <class T>
struct page {
    std::vector<T> rows;
    std::optional<std::string> next;
};

// keyset<hero> pages("-age,name"): the pages of select<hero>() in that order. The sort names
// columns of T (checked as sort_by does); the primary key columns it does not name are added
// after it, in the direction of its last key. Key columns must be NOT NULL.
template <class T>
class keyset {
public:
    explicit keyset(std::string_view spec) : keyset(parse_sort(spec)) {}
    explicit keyset(std::span<const sort_key> keys) {
        const auto& m = model_of<T>();
        std::vector<std::string> allowed;
        for (const auto& c : m.info.columns) allowed.push_back(c.name);
        auto add = [&](const std::string& name, bool descending) {
            int i = m.info.find(name);
            if (i < 0) detail::unknown_sort_column(name, allowed);
            for (auto k : index_) {
                if (k == std::size_t(i)) return;
            }
            if (!m.info.columns[std::size_t(i)].not_null) detail::nullable_page_key(m.info, name);
            index_.push_back(std::size_t(i));
            descending_.push_back(descending);
            columns_.push_back(detail::column_sql(m.info, std::size_t(i)));
        };
        for (const auto& k : keys) add(k.name, k.descending);
        bool last = descending_.empty() ? false : descending_.back();
        for (const auto& k : m.info.primary_key) add(k, last);
    }

    // ORDER BY the keys.
    order_term order() const {
        order_term o;
        for (std::size_t i = 0; i < columns_.size(); ++i)
            o.f.sql(i ? ", " : "").sql(detail::order_sql(columns_[i], {"", descending_[i]}));
        return o;
    }
    // The rows after the one the cursor was made from.
    expr<bool> after(std::string_view cursor) const {
        auto keys = detail::decode_cursor(cursor, cursor_keys(nullptr));
        std::vector<detail::param> values;
        for (auto& k : keys) values.push_back(std::move(k.value));
        return {detail::after_keys(columns_, descending_, values)};
    }
    // The cursor of a row: its key values, to resume after it.
    std::string cursor(const T& row) const { return detail::encode_cursor(cursor_keys(&row)); }

    // The page of `size` rows of `query` after `cursor` (the first page without one), and the
    // next page's cursor when there are more rows. The query keeps its conditions and joins; its
    // order is this keyset's. One statement (LIMIT size + 1).
    ender::page<T> page(select_query<T> query, std::optional<std::string_view> cursor,
                        std::int64_t size) const {
        detail::check_page_size(size);
        query.order_by(order()).limit(size + 1);
        if (cursor) query.where(after(*cursor));
        ender::page<T> p{query.all(), std::nullopt};
        if (p.rows.size() > std::size_t(size)) {
            p.rows.pop_back();
            p.next = this->cursor(p.rows.back());
        }
        return p;
    }

private:
    // The key columns' names with the row's values (or typed placeholders without a row).
    std::vector<detail::cursor_key> cursor_keys(const T* row) const {
        const auto& m = model_of<T>();
        std::vector<detail::cursor_key> keys(index_.size());
        m.for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            for (std::size_t k = 0; k < index_.size(); ++k) {
                if (index_[k] != i) continue;
                keys[k].name = c.info.name;
                keys[k].value =
                    row ? detail::make_param(c.access.get(*row)) : detail::make_param(M{});
            }
        });
        return keys;
    }
    std::vector<std::size_t> index_;
    std::vector<bool> descending_;
    std::vector<std::string> columns_;
};

}  // namespace ender
