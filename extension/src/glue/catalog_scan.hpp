// Reading catalog rows straight from the catalogs (systable scans), for the snapshot's tables
// (catalog_tables.cpp): no SQL statement, executor, sort or result copy between the catalog and
// the reader. Every scan uses the statement's snapshot, as the SPI queries beside them do.
#pragma once
#include "pg.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_description.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
}

#include "catalog_rows.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace ender::glue::catalog {

// Calls `each(tuple, desc)` for the rows of the open catalog `rel` whose column `column` (the
// first column of index `index`) equals `key`, in the index's order. The tuple is valid until
// `each` returns. Called inside pg_guard.
template <typename F>
void scan_by_oid(Relation rel, Oid index, AttrNumber column, Oid key, F&& each) {
    ScanKeyData k;
    ScanKeyInit(&k, column, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(key));
    SysScanDesc scan = systable_beginscan(rel, index, true, GetActiveSnapshot(), 1, &k);
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) each(tuple, RelationGetDescr(rel));
    systable_endscan(scan);
}

// The comments (pg_description) of relations, their columns and constraints, read in one pass
// over the catalog instead of one index probe per object.
class descriptions {
public:
    // Called inside pg_guard.
    void load();
    // The comment of an object, or nullptr (valid while this lives).
    const char* of(Oid catalog, Oid object, int sub = 0) const {
        auto found = texts_.find(key{catalog, object, sub});
        return found == texts_.end() ? nullptr : found->second.c_str();
    }

private:
    struct key {
        Oid catalog, object;
        int sub;
        bool operator==(const key&) const = default;
    };
    struct hash {
        std::size_t operator()(const key& k) const noexcept {
            return std::hash<std::uint64_t>{}((static_cast<std::uint64_t>(k.object) << 32) ^
                                              (static_cast<std::uint64_t>(k.catalog) << 16) ^
                                              static_cast<std::uint32_t>(k.sub));
        }
    };
    std::unordered_map<key, std::string, hash> texts_;
};

// Adds the columns of `table` (number > 0, not dropped) to `names`, from the open pg_attribute.
// Called inside pg_guard.
void load_column_names(Relation attributes, Oid table, column_store& names);

}  // namespace ender::glue::catalog
