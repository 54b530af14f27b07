// Reading catalog rows straight from the catalogs (catalog_scan.hpp).
#include "catalog_scan.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
}

namespace ender::glue::catalog {

void descriptions::load() {
    Relation rel = table_open(DescriptionRelationId, AccessShareLock);
    SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, GetActiveSnapshot(), 0, nullptr);
    HeapTuple tuple;
    while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
        auto* form = reinterpret_cast<Form_pg_description>(GETSTRUCT(tuple));
        if (form->classoid != RelationRelationId && form->classoid != ConstraintRelationId)
            continue;
        bool null = false;
        Datum comment =
            heap_getattr(tuple, Anum_pg_description_description, RelationGetDescr(rel), &null);
        if (null) continue;
        texts_.insert_or_assign(key{form->classoid, form->objoid, form->objsubid},
                                std::string(TextDatumGetCString(comment)));
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
}

void load_column_names(Relation attributes, Oid table, column_store& names) {
    scan_by_oid(attributes, AttributeRelidNumIndexId, Anum_pg_attribute_attrelid, table,
                [&](HeapTuple tuple, TupleDesc) {
                    auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tuple));
                    if (a->attnum > 0 && !a->attisdropped)
                        names.add(table, a->attnum, NameStr(a->attname), a->atttypid,
                                  a->attcollation);
                });
}

}  // namespace ender::glue::catalog
