// The readers of the live snapshot (live_snapshot.hpp), one per kind of object the document
// lists: each reads its catalogs into the engine's structures, in the document's order, with the
// same values ender._snapshot_json writes (extension/snapshot.sql; the tables:
// catalog_tables.hpp). Each needs an SPI connection and the settings the snapshot pins; `schemas`
// is the oid[] of the schemas read.
#pragma once
#include "pg.hpp"

#include "../engine/snapshot.hpp"
#include "catalog_rows.hpp"

#include <unordered_map>
#include <vector>

namespace ender::glue::catalog {

// Types (live_types.cpp).
void read_collations(Datum schemas, std::vector<engine::collation_def>& out);
// The enums, domains and composite types of `s`.
void read_types(Datum schemas, engine::snapshot& s);

// Relations other than tables (live_relations.cpp).
void read_views(Datum schemas, std::vector<engine::view_def>& out);
void read_sequences(Datum schemas, std::vector<engine::sequence_def>& out);

// Functions and what calls them (live_routines.cpp).
void read_functions(Datum schemas, std::vector<engine::function_def>& out);
void read_event_triggers(Datum schemas, std::vector<engine::event_trigger_def>& out);

// Objects read by one query each, and the lists that belong to them (read by a second query whose
// rows come ordered by their owner's oid): index(oid) is the owner's place in the document.
class owners {
public:
    void add(Oid oid) {
        index_.emplace(oid, oids_.size());
        oids_.push_back(oid);
    }
    std::size_t index(Oid oid) const { return index_.at(oid); }
    bool empty() const { return oids_.empty(); }
    // Calls each(i, row) for every row of `sql` ($1: the owners' oids; column 1: the owner).
    template <typename F>
    void each_of(const char* sql, F&& each) const {
        if (oids_.empty()) return;
        for_each_row(query(sql, oid_array(oids_)), [&](const row& r) { each(index(r.oid(1)), r); });
    }

private:
    std::vector<Oid> oids_;
    std::unordered_map<Oid, std::size_t> index_;
};

// A text column that the document requires (never NULL in practice) as a string.
inline std::string text_of(const row& r, int column) {
    const char* s = r.str(column);
    return s ? s : "";
}

}  // namespace ender::glue::catalog
