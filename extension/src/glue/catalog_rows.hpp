// Reading the catalog rows of a snapshot's tables (catalog_tables.cpp): one SPI row and its
// typed columns, the queries' oid[] parameter, and the words of the catalogs' one-letter codes.
#pragma once
#include "pg.hpp"

#include "../engine/json_text.hpp"
#include "../engine/snapshot.hpp"
#include "guard.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace ender::glue::catalog {

using engine::json_text;

// What index and constraint definitions need of a table column.
struct column_info {
    std::string name;
    Oid type = InvalidOid;
    Oid collation = InvalidOid;
};

// A C string that may be absent as an optional string.
inline engine::opt_text optional(const char* s) {
    return s ? engine::opt_text(s) : std::nullopt;
}

// The columns of tables by table and number.
class column_store {
public:
    // Called inside pg_guard.
    void add(Oid table, int number, const char* name, Oid type, Oid collation) {
        auto& columns = tables_[table];
        if (columns.size() <= static_cast<std::size_t>(number)) columns.resize(number + 1);
        auto& c = columns[number];
        c.name = name;
        c.type = type;
        c.collation = collation;
    }
    bool has(Oid table) const { return tables_.count(table) != 0; }
    const std::vector<column_info>& of(Oid table) { return tables_[table]; }

private:
    std::unordered_map<Oid, std::vector<column_info>> tables_;
};

// One row of an SPI result, deformed once (heap_getattr per column walks the tuple from its
// start for every column after a text one: 10% of a 2,000-table snapshot). Called inside
// pg_guard only (detoasting may raise an error).
class row {
public:
    static constexpr int max_columns = 32;
    row(HeapTuple tuple, TupleDesc desc) {
        if (desc->natts > max_columns) elog(ERROR, "a catalog query returns too many columns");
        heap_deform_tuple(tuple, desc, values_, nulls_);
    }
    // A row put together by a reader from catalog tuples (catalog_scan.hpp), numbered as the
    // query it stands for would number its columns.
    row(const Datum* values, const bool* nulls, int count) {
        if (count > max_columns) elog(ERROR, "a catalog row has too many columns");
        for (int i = 0; i < count; ++i) {
            values_[i] = values[i];
            nulls_[i] = nulls[i];
        }
    }

    bool is_null(int column) const { return nulls_[column - 1]; }
    Oid oid(int column) const { return DatumGetObjectId(datum(column)); }
    bool boolean(int column) const { return DatumGetBool(datum(column)); }
    char character(int column) const { return DatumGetChar(datum(column)); }
    int number(int column) const { return DatumGetInt16(datum(column)); }
    int32 integer(int column) const { return DatumGetInt32(datum(column)); }
    long long bigint(int column) const { return DatumGetInt64(datum(column)); }
    // A text column, or nullptr when NULL (palloc'd in the SPI context).
    const char* str(int column) const {
        const bool null = nulls_[column - 1];
        const Datum d = values_[column - 1];
        return null ? nullptr : text_to_cstring(DatumGetTextPP(d));
    }
    // A text column as an optional string.
    engine::opt_text opt(int column) const { return optional(str(column)); }
    // A text[] column written as a JSON array.
    void strings(int column, json_text& out) const {
        Datum* items = nullptr;
        bool* nulls = nullptr;
        const int count = text_items(column, items, nulls);
        out.begin_array();
        for (int i = 0; i < count; ++i)
            if (nulls[i])
                out.null();
            else
                out.value(text_to_cstring(DatumGetTextPP(items[i])));
        out.end_array();
    }
    // A text[] column as strings (NULL elements as empty strings; none when the array is NULL).
    std::vector<std::string> strings(int column) const {
        Datum* items = nullptr;
        bool* nulls = nullptr;
        const int count = text_items(column, items, nulls);
        std::vector<std::string> out;
        out.reserve(count);
        for (int i = 0; i < count; ++i)
            out.emplace_back(nulls[i] ? "" : text_to_cstring(DatumGetTextPP(items[i])));
        return out;
    }

    // An int2[] of column numbers written as the names of those columns (`names` by number);
    // numbers with no name (an expression's 0) are left out, and no name at all is null.
    void column_names(int column, const std::vector<column_info>& names, json_text& out) const {
        const bool null = nulls_[column - 1];
        const Datum d = values_[column - 1];
        Datum* items = nullptr;
        bool* nulls = nullptr;
        int count = 0;
        if (!null)
            deconstruct_array(DatumGetArrayTypeP(d), INT2OID, 2, true, TYPALIGN_SHORT, &items,
                              &nulls, &count);
        auto named = [&](int i) {
            const int n = DatumGetInt16(items[i]);
            return !nulls[i] && n > 0 && static_cast<std::size_t>(n) < names.size() &&
                   !names[n].name.empty();
        };
        bool any = false;
        for (int i = 0; i < count && !any; ++i) any = named(i);
        if (!any) {
            out.null();
            return;
        }
        out.begin_array();
        for (int i = 0; i < count; ++i)
            if (named(i)) out.value(names[DatumGetInt16(items[i])].name);
        out.end_array();
    }

    // The elements of an int2[] or oid[] column (palloc'd; `count` set).
    Datum* elements(int column, Oid type, int& count) const {
        const bool null = nulls_[column - 1];
        const Datum d = values_[column - 1];
        Datum* items = nullptr;
        bool* nulls = nullptr;
        count = 0;
        if (!null)
            deconstruct_array(DatumGetArrayTypeP(d), type, type == INT2OID ? 2 : 4, true,
                              type == INT2OID ? TYPALIGN_SHORT : TYPALIGN_INT, &items, &nulls,
                              &count);
        return items;
    }

private:
    Datum datum(int column) const { return values_[column - 1]; }
    // The elements of a text[] column (none when it is NULL).
    int text_items(int column, Datum*& items, bool*& nulls) const {
        int count = 0;
        if (!nulls_[column - 1])
            deconstruct_array(DatumGetArrayTypeP(values_[column - 1]), TEXTOID, -1, false,
                              TYPALIGN_INT, &items, &nulls, &count);
        return count;
    }
    Datum values_[max_columns];
    bool nulls_[max_columns];
};

// Runs `sql` with `oids` as its one oid[] parameter; the rows stay until SPI_finish.
SPITupleTable* query(const char* sql, Datum oids);

// An oid[] of `oids`.
Datum oid_array(const std::vector<Oid>& oids);

// Calls `each(row)` for every row of `rows` inside pg_guard: `each` may only write into objects
// that live outside it.
template <typename F>
void for_each_row(SPITupleTable* rows, F&& each) {
    glue::pg_guard([&] {
        for (uint64 r = 0; r < rows->numvals; ++r) each(row(rows->vals[r], rows->tupdesc));
    });
}

// The words the snapshot document uses for the catalogs' codes: tgenabled (nullptr when
// unknown), confupdtype/confdeltype (nullptr when unknown), contype (nullptr when unknown) and
// polcmd ("all" for '*').
const char* enabled_word(char c);
const char* action_word(char c);
const char* constraint_word(char c);
const char* command_word(char c);

}  // namespace ender::glue::catalog
