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

// Scopes for the SPI connection and the pinned search_path. Each undoes what it did when it
// ends normally; when an exception leaves it, it does nothing: the error aborts the
// (sub)transaction, which closes the SPI connection and restores the settings itself (undoing
// them first could close an outer connection or a GUC level the abort has already unwound).

// Pins search_path to "pg_catalog, pg_temp" for the scope. User migration SQL runs inside a
// caller_path() scope, which gives it the caller's own search_path and pins it again after.
// With `snapshot_settings`, also the other settings ender._snapshot_json runs under: DateStyle,
// IntervalStyle, extra_float_digits and bytea_output (what the deparsers' output depends on),
// and no JIT (compiling its catalog queries took longer than running them).
class pinned_search_path {
public:
    explicit pinned_search_path(bool snapshot_settings = false);
    ~pinned_search_path();
    pinned_search_path(const pinned_search_path&) = delete;
    pinned_search_path& operator=(const pinned_search_path&) = delete;

    class released {
    public:
        explicit released(pinned_search_path& pinned);
        ~released();
        released(const released&) = delete;
        released& operator=(const released&) = delete;

    private:
        pinned_search_path& pinned_;
        int exceptions_;
    };
    // The caller's search_path while the returned scope lives.
    [[nodiscard]] released caller_path() { return released(*this); }

private:
    void push();
    void pop();
    int nest_level_ = -1;
    int exceptions_;
    bool snapshot_settings_;
};

// An SPI connection for the scope of a function body; nonatomic allows SPI_commit (CALL).
// finish() ends it early: before a result is made in the caller's memory context.
class spi_scope {
public:
    explicit spi_scope(bool nonatomic = false);
    ~spi_scope();
    spi_scope(const spi_scope&) = delete;
    spi_scope& operator=(const spi_scope&) = delete;
    void finish();

private:
    bool open_ = false;
    int exceptions_;
};

// Formats names as a text[] literal ({"a","b"}), for a text[] held in a text column.
std::string array_literal(const std::vector<std::string>& items);

}  // namespace ender::glue
