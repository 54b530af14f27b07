// Reading the catalog rows of a snapshot's tables (catalog_rows.hpp).
#include "catalog_rows.hpp"

namespace ender::glue::catalog {

// Runs `sql` with `oids` as its one oid[] parameter; the rows stay until SPI_finish.
SPITupleTable* query(const char* sql, Datum oids) {
    SPITupleTable* rows = nullptr;
    glue::pg_guard([&] {
        Oid types[1] = {OIDARRAYOID};
        Datum values[1] = {oids};
        int rc = SPI_execute_with_args(sql, 1, types, values, nullptr, true, 0);
        if (rc != SPI_OK_SELECT)
            elog(ERROR, "ender could not read the catalogs: %s", SPI_result_code_string(rc));
        rows = SPI_tuptable;
    });
    return rows;
}

// An oid[] of `oids`.
Datum oid_array(const std::vector<Oid>& oids) {
    Datum result = 0;
    glue::pg_guard([&] {
        Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * (oids.size() + 1)));
        for (std::size_t i = 0; i < oids.size(); ++i) items[i] = ObjectIdGetDatum(oids[i]);
        result = PointerGetDatum(construct_array(items, static_cast<int>(oids.size()), OIDOID,
                                                 sizeof(Oid), true, TYPALIGN_INT));
    });
    return result;
}

const char* enabled_word(char c) {
    switch (c) {
        case 'O':
            return "origin";
        case 'D':
            return "disabled";
        case 'R':
            return "replica";
        case 'A':
            return "always";
    }
    return nullptr;
}

const char* action_word(char c) {
    switch (c) {
        case 'a':
            return "no action";
        case 'r':
            return "restrict";
        case 'c':
            return "cascade";
        case 'n':
            return "set null";
        case 'd':
            return "set default";
    }
    return nullptr;
}

const char* constraint_word(char c) {
    switch (c) {
        case 'p':
            return "primary key";
        case 'u':
            return "unique";
        case 'f':
            return "foreign key";
        case 'c':
            return "check";
        case 'x':
            return "exclusion";
    }
    return nullptr;
}

const char* command_word(char c) {
    switch (c) {
        case 'r':
            return "select";
        case 'a':
            return "insert";
        case 'w':
            return "update";
        case 'd':
            return "delete";
    }
    return "all";
}

}  // namespace ender::glue::catalog
