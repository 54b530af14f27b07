// ender::result: the rows of one statement (a shared libpq result), read by position, with the
// checks that a row, a column or a width exists.
#include "ender/session.hpp"

#include "session_impl.hpp"

#include <libpq-fe.h>

namespace ender {

namespace {
const PGresult* raw(const std::shared_ptr<pg_result>& r) {
    return r.get();
}
}  // namespace

std::size_t result::size() const noexcept {
    return static_cast<std::size_t>(PQntuples(raw(r_)));
}
std::size_t result::columns() const noexcept {
    return static_cast<std::size_t>(PQnfields(raw(r_)));
}
std::string result::column_name(std::size_t column) const {
    const char* n = PQfname(raw(r_), static_cast<int>(column));
    return n ? n : "";
}
std::optional<std::size_t> result::find_column(std::string_view name) const {
    for (std::size_t i = 0; i < columns(); ++i)
        if (name == PQfname(raw(r_), static_cast<int>(i))) return i;
    return std::nullopt;
}
oid result::column_type(std::size_t column) const noexcept {
    return PQftype(raw(r_), static_cast<int>(column));
}
bool result::is_null(std::size_t row, std::size_t column) const noexcept {
    return PQgetisnull(raw(r_), static_cast<int>(row), static_cast<int>(column)) != 0;
}
std::string_view result::field(std::size_t row, std::size_t column) const noexcept {
    auto* r = raw(r_);
    int ri = static_cast<int>(row), ci = static_cast<int>(column);
    return {PQgetvalue(r, ri, ci), static_cast<std::size_t>(PQgetlength(r, ri, ci))};
}
void result::row_fields(std::size_t row, std::size_t first,
                        std::span<field_ref> out) const noexcept {
    auto* r = raw(r_);
    int ri = static_cast<int>(row);
    for (std::size_t i = 0; i < out.size(); ++i) {
        int ci = static_cast<int>(first + i);
        // A NULL has length 0: only then is PQgetisnull needed to tell it from an empty value.
        int length = PQgetlength(r, ri, ci);
        out[i].bytes = {PQgetvalue(r, ri, ci), static_cast<std::size_t>(length)};
        out[i].null = length == 0 && PQgetisnull(r, ri, ci);
    }
}
std::uint64_t result::affected_rows() const {
    const char* n = PQcmdTuples(const_cast<PGresult*>(raw(r_)));
    return n && *n ? std::stoull(n) : 0;
}
void result::check_position(std::size_t row, std::size_t column) const {
    if (row >= size() || column >= columns())
        throw usage_error("22023",
                          "row " + std::to_string(row) + ", column " + std::to_string(column) +
                              " is outside the result",
                          "The result has " + std::to_string(size()) + " rows and " +
                              std::to_string(columns()) + " columns.");
}
void result::check_width(std::size_t wanted) const {
    if (wanted != columns())
        throw usage_error("42601",
                          "the statement returns " + std::to_string(columns()) +
                              " columns, the row type has " + std::to_string(wanted),
                          "A tuple row type needs one element per result column, in order.");
}
void result::null_into_non_optional(std::size_t column) const {
    throw data_error("22004",
                     "column \"" + column_name(column) +
                         "\" is null and cannot be read into a "
                         "non-optional type",
                     "", "Read the column into std::optional<T>.");
}

}  // namespace ender
