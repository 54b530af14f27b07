// Internal queries over ender's own tables: SPI with cached plans, text parameters and text
// results, always run with search_path pinned to pg_catalog (see pinned_search_path).
#pragma once
#include "pg.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace ender::glue {

using text_cell = std::optional<std::string>;
using text_row = std::vector<text_cell>;

// A parameter of an internal statement: text (possibly NULL), or text[] passed as an array
// Datum (no literal to format and parse again).
class sql_param {
public:
    sql_param(std::string value) : text_(std::move(value)) {}
    sql_param(text_cell value) : text_(std::move(value)) {}
    sql_param(std::vector<std::string> items);
    sql_param(std::vector<text_cell> items) : items_(std::move(items)), is_array_(true) {}

    bool is_array() const noexcept { return is_array_; }
    const text_cell& text() const noexcept { return text_; }
    const std::vector<text_cell>& items() const noexcept { return items_; }

private:
    text_cell text_;
    std::vector<text_cell> items_;
    bool is_array_ = false;
};

// The two differ only in caching. run_cached: one of ender's own statements, a string literal
// whose address keys a plan cache (prepared on first use, kept for the backend's life).
// Parameters are text or text[]; the statement casts them where it needs another type.
std::vector<text_row> run_cached(const char* sql, std::initializer_list<sql_param> params = {});

// run_uncached: a statement built at run time, planned on every call; the same parameters and
// results.
std::vector<text_row> run_uncached(const std::string& sql,
                                   std::initializer_list<sql_param> params = {});

// Pins search_path to "pg_catalog, pg_temp" until pop(); user migration SQL runs between a
// pop and the next push, so it sees the caller's own search_path.
class pinned_search_path {
public:
    void push();
    void pop();

private:
    int nest_level_ = -1;
};

// An SPI connection for the duration of a function body; nonatomic allows SPI_commit (CALL).
void spi_connect(bool nonatomic = false);
void spi_finish();

// Formats names as a text[] literal ({"a","b"}), for a text[] held in a text column.
std::string array_literal(const std::vector<std::string>& items);

}  // namespace ender::glue
