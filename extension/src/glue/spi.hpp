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

// Runs one of ender's own statements (a string literal: its address keys the plan cache).
// Every parameter is text; the statement casts it where it needs another type.
std::vector<text_row> run_internal(const char* sql, std::initializer_list<text_cell> params = {});

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

// Formats strings as a text[] literal ({"a","b"}; NULL for an empty optional), for array
// parameters.
std::string array_literal(const std::vector<std::string>& items);
std::string array_literal(const std::vector<text_cell>& items);

}  // namespace ender::glue
