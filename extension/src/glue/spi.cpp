// Internal queries over ender's own tables (see spi.hpp).
#include "spi.hpp"

#include "guard.hpp"

#include <exception>
#include <stdexcept>
#include <unordered_map>

namespace ender::glue {

namespace {

// A one-dimensional text[] of `items` (NULL elements allowed). Called inside pg_guard.
ArrayType* text_array(const std::vector<text_cell>& items) {
    const int count = static_cast<int>(items.size());
    Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * (count + 1)));
    bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * (count + 1)));
    for (int i = 0; i < count; ++i) {
        const auto& item = items[i];
        nulls[i] = !item;
        elements[i] =
            item ? PointerGetDatum(cstring_to_text_with_len(item->data(), item->size())) : 0;
    }
    int dims[1] = {count};
    int lbs[1] = {1};
    return construct_md_array(elements, nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT);
}

std::unordered_map<const char*, SPIPlanPtr>& plan_cache() {
    static std::unordered_map<const char*, SPIPlanPtr> plans;
    return plans;
}
// Binds `params` and runs `execute(values, nulls)` (an SPI call), returning its rows as text.
template <typename F>
std::vector<text_row> execute_bound(std::initializer_list<sql_param> params, F&& execute) {
    constexpr int max_params = 12;
    Datum values[max_params];
    char nulls[max_params + 1] = {};
    std::vector<text_row> rows;
    pg_guard([&] {
        int i = 0;
        for (const auto& p : params) {
            if (p.is_array()) {
                values[i] = PointerGetDatum(text_array(p.items()));
                nulls[i] = ' ';
            } else {
                const auto& t = p.text();
                values[i] = t ? PointerGetDatum(cstring_to_text_with_len(t->data(), t->size())) : 0;
                nulls[i] = t ? ' ' : 'n';
            }
            ++i;
        }
        int rc = execute(values, nulls);
        if (rc < 0) elog(ERROR, "ender statement failed: %s", SPI_result_code_string(rc));
        const uint64 count = SPI_processed;
        if (count == 0 || !SPI_tuptable) return;
        TupleDesc desc = SPI_tuptable->tupdesc;
        rows.reserve(count);
        for (uint64 r = 0; r < count; ++r) {
            HeapTuple tuple = SPI_tuptable->vals[r];
            rows.emplace_back();
            rows.back().reserve(desc->natts);
            for (int c = 1; c <= desc->natts; ++c) {
                char* value = SPI_getvalue(tuple, desc, c);
                if (value) {
                    rows.back().emplace_back(std::in_place, value);
                    pfree(value);
                } else {
                    rows.back().emplace_back(std::nullopt);
                }
            }
        }
        SPI_freetuptable(SPI_tuptable);
    });
    return rows;
}

}  // namespace

sql_param::sql_param(std::vector<std::string> items) : is_array_(true) {
    items_.reserve(items.size());
    for (auto& item : items) items_.emplace_back(std::move(item));
}

std::vector<text_row> run_cached(const char* sql, std::initializer_list<sql_param> params) {
    constexpr int max_params = 12;
    const int nargs = static_cast<int>(params.size());
    if (nargs > max_params) throw std::logic_error("too many parameters for run_cached");

    auto& plans = plan_cache();
    auto cached = plans.find(sql);
    SPIPlanPtr plan = cached == plans.end() ? nullptr : cached->second;
    if (!plan) {
        pg_guard([&] {
            Oid types[max_params];
            int i = 0;
            for (const auto& p : params) types[i++] = p.is_array() ? TEXTARRAYOID : TEXTOID;
            plan = SPI_prepare(sql, nargs, types);
            if (!plan)
                elog(ERROR, "SPI_prepare failed for ender statement: %s",
                     SPI_result_code_string(SPI_result));
            SPI_keepplan(plan);
        });
        plans.emplace(sql, plan);
    }

    return execute_bound(params, [&](Datum* values, const char* nulls) {
        return SPI_execute_plan(plan, values, nulls, false, 0);
    });
}

std::vector<text_row> run_uncached(const std::string& sql,
                                   std::initializer_list<sql_param> params) {
    constexpr int max_params = 12;
    const int nargs = static_cast<int>(params.size());
    if (nargs > max_params) throw std::logic_error("too many parameters for run_uncached");
    Oid types[max_params];
    int i = 0;
    for (const auto& p : params) types[i++] = p.is_array() ? TEXTARRAYOID : TEXTOID;
    return execute_bound(params, [&](Datum* values, const char* nulls) {
        return SPI_execute_with_args(sql.c_str(), nargs, types, values, nulls, false, 0);
    });
}

pinned_search_path::pinned_search_path(bool snapshot_settings)
    : exceptions_(std::uncaught_exceptions()), snapshot_settings_(snapshot_settings) {
    push();
}

pinned_search_path::~pinned_search_path() {
    if (std::uncaught_exceptions() > exceptions_) return;  // the abort restores it
    try {
        pop();
    } catch (...) {
    }
}

void pinned_search_path::push() {
    pg_guard([&] {
        nest_level_ = NewGUCNestLevel();
        set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                          GUC_ACTION_SAVE, true, 0, false);
        if (!snapshot_settings_) return;
        static constexpr const char* settings[][2] = {{"datestyle", "ISO, YMD"},
                                                      {"intervalstyle", "postgres"},
                                                      {"extra_float_digits", "3"},
                                                      {"bytea_output", "hex"},
                                                      {"jit", "off"}};
        for (const auto& s : settings)
            set_config_option(s[0], s[1], PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                              false);
    });
}

void pinned_search_path::pop() {
    if (nest_level_ < 0) return;
    pg_guard([&] { AtEOXact_GUC(true, nest_level_); });
    nest_level_ = -1;
}

pinned_search_path::released::released(pinned_search_path& pinned)
    : pinned_(pinned), exceptions_(std::uncaught_exceptions()) {
    pinned_.pop();
}

pinned_search_path::released::~released() {
    if (std::uncaught_exceptions() > exceptions_) return;
    try {
        pinned_.push();
    } catch (...) {
    }
}

spi_scope::spi_scope(bool nonatomic) : exceptions_(std::uncaught_exceptions()) {
    pg_guard([&] {
        if (SPI_connect_ext(nonatomic ? SPI_OPT_NONATOMIC : 0) != SPI_OK_CONNECT)
            elog(ERROR, "SPI_connect failed");
    });
    open_ = true;
}

spi_scope::~spi_scope() {
    if (std::uncaught_exceptions() > exceptions_) return;  // the abort closes it
    try {
        finish();
    } catch (...) {
    }
}

void spi_scope::finish() {
    if (!open_) return;
    open_ = false;
    pg_guard([] { SPI_finish(); });
}

namespace {
void append_quoted(std::string& out, const std::string& item) {
    out += '"';
    for (char c : item) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}
}  // namespace

std::string array_literal(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        append_quoted(out, items[i]);
    }
    out += '}';
    return out;
}

}  // namespace ender::glue
