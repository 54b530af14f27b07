// Phase 5 of the schema diff (diff_planner.hpp): removal of what nothing uses any more
// (functions, tables, sequences, types, extensions, schemas).
#include "diff_planner.hpp"

#include "privileges.hpp"

#include <algorithm>

namespace ender::engine::diff_detail {

namespace {

// The names a table holds in its schema's one namespace of relations and types (pg_class and
// pg_type, which a table's row type joins): its own, its indexes', its keys' (each key is an
// index of the constraint's name) and its identity columns' sequences'.
template <typename F>
void table_names(const table_def& t, F&& each) {
    each(t.id);
    for (const auto& i : t.indexes) each(qualified_name{t.id.schema, i.name});
    for (const auto& c : t.constraints)
        if (c.type == "primary key" || c.type == "unique" || c.type == "exclusion")
            each(qualified_name{t.id.schema, c.name});
    for (const auto& c : t.columns)
        if (c.identity && !c.inherited) each(identity_sequence(t.id, c.name));
}

}  // namespace

// The names the target's relations and types hold (tables with their indexes and keys, views
// and their indexes, sequences, enums, domains, composite and range types). A removed object
// holding one of them must be gone, or renamed aside, before anything is created.
std::set<qualified_name> diff_planner::claimed_names() const {
    std::set<qualified_name> out;
    auto claim = [&](const qualified_name& n) { out.insert(n); };
    for (const auto& t : to_.tables) table_names(t, claim);
    for (const auto& v : to_.views) {
        claim(v.id);
        for (const auto& i : v.indexes) claim({v.id.schema, i.name});
    }
    for (const auto& x : to_.sequences) claim(x.id);
    for (const auto& x : to_.enums) claim(x.id);
    for (const auto& x : to_.domains) claim(x.id);
    for (const auto& x : to_.composite_types) claim(x.id);
    for (const auto& x : to_.range_types) {
        claim(x.id);
        if (x.multirange) claim({x.id.schema, *x.multirange});
    }
    return out;
}

// Whether the target gives a name a removed table holds (its own, an index's, a key's, a
// sequence's it owns) to another object: the tables must then be gone before anything is
// created.
bool diff_planner::dropped_table_name_reused(const std::set<qualified_name>& claimed) const {
    bool reused = false;
    auto check = [&](const qualified_name& n) { reused = reused || claimed.count(n) > 0; };
    for (const auto& t : from_.tables)
        if (dropped_tables_.count(t.id)) table_names(t, check);
    for (const auto& s : from_.sequences)
        if (s.owned_by && dropped_tables_.count(s.owned_by->first)) check(s.id);
    return reused;
}

// A kept table's identity column that goes, or stops being one, drops its sequence; when the
// target gives the sequence's name to another object, the identity is dropped first, before
// anything is created (the column itself goes later, where it went). No reverse: the sequence
// would start again from its first value.
void diff_planner::free_identity_names(const std::set<qualified_name>& claimed) {
    for (const auto& t : from_.tables) {
        const table_def* target = to_table(t.id);
        if (!target || dropped_tables_.count(t.id)) continue;
        for (const auto& c : t.columns) {
            const column_def* d = find_named(target->columns, c.name);
            if (!c.identity || c.inherited || (d && d->identity) ||
                !claimed.count(identity_sequence(t.id, c.name)))
                continue;
            const std::string drop = "ALTER TABLE " + qualified(t.id) + " ALTER COLUMN " +
                                     quote_ident(c.name) + " DROP IDENTITY";
            // The column kept: its own DROP IDENTITY moves here.
            tables_.erase(std::remove_if(tables_.begin(), tables_.end(),
                                         [&](const diff_step& s) { return s.sql == drop; }),
                          tables_.end());
            add(drops_, drop, {}, "column", qualified(t.id) + "." + quote_ident(c.name));
        }
    }
}

// A removed type or sequence whose name the target gives to another object is renamed aside
// first (a drop could not go first: columns may still use it until they change). Returns the
// name to drop it by, or nothing when its name is free. `reversible`: whether renaming it back
// undoes the step (not when columns move to the new object of its name, whose reverse names
// that object).
opt_text diff_planner::rename_aside(const qualified_name& id, const std::string& kind,
                                    const std::set<qualified_name>& claimed, bool reversible) {
    if (!claimed.count(id)) return std::nullopt;
    const qualified_name aside{id.schema, old_enum_name(id)};
    add(drops_, "ALTER " + kind + " " + qualified(id) + " RENAME TO " + quote_ident(aside.name),
        reversible ? opt_text{"ALTER " + kind + " " + qualified(aside) + " RENAME TO " +
                              quote_ident(id.name)}
                   : opt_text{},
        kind == "SEQUENCE" ? "sequence" : (kind == "DOMAIN" ? "domain" : "type"), qualified(id));
    return qualified(aside);
}

void diff_planner::remove_unused() {
    // Removed functions that read a removed table go first, then the tables (in one
    // statement, which settles foreign keys and inheritance among them), then the rest.
    // When the target reuses a removed table's name for another kind of object, these go at
    // the end of the drops instead, before anything is created.
    const std::set<qualified_name> claimed = claimed_names();
    free_identity_names(claimed);
    std::vector<diff_step>& table_drops = dropped_table_name_reused(claimed) ? drops_ : final_;
    auto drop_functions = [&](bool over_dropped_tables) {
        for (const auto& f : from_.functions) {
            if (to_function(f) || early_dropped_functions_.count(key(f))) continue;
            bool reads_dropped =
                std::any_of(f.depends_on.begin(), f.depends_on.end(),
                            [&](const qualified_name& r) { return dropped_tables_.count(r) > 0; });
            if (reads_dropped != over_dropped_tables) continue;
            add(over_dropped_tables ? table_drops : final_,
                "DROP " + function_kind_sql(f) + " " + function_signature(f),
                with_privileges(f.definition, function_grant(f), f.privileges),
                f.kind == "procedure" ? "procedure" : "function", function_signature(f));
        }
    };
    drop_functions(true);
    if (!dropped_tables_.empty()) {
        std::string names, creates, keys, foreign_keys, rest;
        // Sequences owned by the tables go with them, but for those the target keeps: they are
        // let go first when the tables go before anything is created (else the target's new
        // owner has taken them by then).
        auto owned_by_dropped = [&](const sequence_def& s) {
            return s.owned_by && dropped_tables_.count(s.owned_by->first);
        };
        for (const auto& s : from_.sequences) {
            const sequence_def* kept = find_id(to_.sequences, s.id);
            if (!owned_by_dropped(s) || !kept || &table_drops != &drops_) continue;
            add(drops_, "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY NONE",
                "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY " + qualified(s.owned_by->first) +
                    "." + quote_ident(s.owned_by->second),
                "sequence", qualified(s.id));
            // The same owner in the target (a table created anew): owned again once it exists.
            if (kept->owned_by == s.owned_by)
                add(late_,
                    "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY " +
                        qualified(s.owned_by->first) + "." + quote_ident(s.owned_by->second),
                    "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY NONE", "sequence",
                    qualified(s.id));
        }
        for (const auto& s : from_.sequences)
            if (owned_by_dropped(s) && !find_id(to_.sequences, s.id))
                creates += "CREATE SEQUENCE " + qualified(s.id) + sequence_options(s) + ";\n";
        for (const auto& t : from_.tables) {
            if (!dropped_tables_.count(t.id)) continue;
            names += (names.empty() ? "" : ", ") + qualified(t.id);
            creates += create_table_sql(t) + ";\n";
            for (const auto& c : t.constraints)
                (c.type == "foreign key" ? foreign_keys : keys) +=
                    "ALTER TABLE " + qualified(t.id) + " ADD CONSTRAINT " + quote_ident(c.name) +
                    " " + c.definition + ";\n";
            for (const auto& i : t.indexes) rest += index_sql(i.definition) + ";\n";
            for (const auto& g : t.triggers) rest += g.definition + ";\n";
            for (const auto& p : t.policies) rest += policy_sql(t.id, p) + ";\n";
            if (t.row_security)
                rest += "ALTER TABLE " + qualified(t.id) + " ENABLE ROW LEVEL SECURITY;\n";
            if (t.force_row_security)
                rest += "ALTER TABLE " + qualified(t.id) + " FORCE ROW LEVEL SECURITY;\n";
            if (t.comment) rest += comment_sql("TABLE " + qualified(t.id), t.comment) + ";\n";
            for (const auto& c : t.columns)
                if (c.comment && !c.inherited)
                    rest += comment_sql("COLUMN " + qualified(t.id) + "." + quote_ident(c.name),
                                        c.comment) +
                            ";\n";
            for (const auto& c : t.constraints)
                if (c.comment)
                    rest +=
                        comment_sql("CONSTRAINT " + quote_ident(c.name) + " ON " + qualified(t.id),
                                    c.comment) +
                        ";\n";
            for (const auto& i : t.indexes)
                if (i.comment)
                    rest +=
                        comment_sql("INDEX " + qualified({t.id.schema, i.name}), i.comment) + ";\n";
            if (from_.privileges) {
                rest += restore_privileges(relation_grant(t.id), t.privileges);
                for (const auto& c : t.columns)
                    rest += restore_privileges(column_grant(t.id, c.name), c.privileges);
            }
        }
        for (const auto& s : from_.sequences)
            if (owned_by_dropped(s) && !find_id(to_.sequences, s.id))
                rest += "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY " +
                        qualified(s.owned_by->first) + "." + quote_ident(s.owned_by->second) +
                        ";\n";
        creates = strip_semicolon(creates + keys + foreign_keys + rest);
        // Tables created anew for a new partition key set their rows aside first (no reverse:
        // the rows are copied back into the new tables).
        const std::string aside = set_rows_aside();
        add(table_drops, aside + "DROP TABLE " + names,
            aside.empty() ? opt_text{creates} : opt_text{}, "table", names,
            {hazard::deletes_data, hazard::access_exclusive});
    }
    remove_catalog_objects();
    drop_functions(false);
    for (const auto& s : from_.sequences) {
        bool kept = find_id(to_.sequences, s.id) != nullptr;
        if (kept || dropped_sequences_.count(s.id)) continue;
        // A sequence owned by a dropped table or column goes with it.
        // (a dropped table's: gone already, its name freed with it).
        if (s.owned_by && dropped_tables_.count(s.owned_by->first)) continue;
        bool goes_with_table = false;
        if (s.owned_by) {
            const table_def* owner = to_table(s.owned_by->first);
            goes_with_table = owner && !find_named(owner->columns, s.owned_by->second);
        }
        // Renamed aside, it is dropped (or goes with its column) under that name, and its
        // reverse creates it there, for the rename's reverse to give the name back.
        sequence_def old = s;
        if (rename_aside(s.id, "SEQUENCE", claimed, true)) old.id.name = old_enum_name(s.id);
        if (!goes_with_table)
            add(final_, "DROP SEQUENCE " + qualified(old.id),
                with_privileges("CREATE SEQUENCE " + qualified(old.id) + sequence_options(old),
                                relation_grant(old.id, "SEQUENCE"), old.privileges),
                "sequence", qualified(s.id));
    }
    // The same for types; renaming one back does not undo the step when a column moved off it.
    auto drop_types = [&](const auto& removed, const auto& kept, const char* kind,
                          const auto& create_sql) {
        for (const auto& t : removed) {
            if (find_id(kept, t.id)) continue;
            auto old = t;
            if (rename_aside(t.id, kind, claimed, !stored_column(t.id)))
                old.id.name = old_enum_name(t.id);
            add(final_, std::string("DROP ") + kind + " " + qualified(old.id),
                with_privileges(create_sql(old), relation_grant(old.id, kind), old.privileges),
                std::string_view(kind) == "DOMAIN" ? "domain" : "type", qualified(t.id));
        }
    };
    drop_types(from_.domains, to_.domains, "DOMAIN",
               [](const domain_def& d) { return domain_sql(d); });
    drop_types(from_.composite_types, to_.composite_types, "TYPE",
               [](const composite_def& c) { return composite_sql(c); });
    if (to_.range_types_listed)  // a document without the list leaves them alone
        drop_types(from_.range_types, to_.range_types, "TYPE",
                   [](const range_def& r) { return range_sql(r); });
    for (const auto& id : rebuilt_enums_)
        add(final_, "DROP TYPE " + qualified({id.schema, old_enum_name(id)}), {}, "type",
            qualified(id));
    drop_types(from_.enums, to_.enums, "TYPE", [](const enum_def& e) { return enum_sql(e); });
    for (const auto& c : from_.collations)
        if (to_.collations_listed && !find_id(to_.collations, c.id))
            add(final_, "DROP COLLATION " + qualified(c.id), collation_sql(c), "collation",
                qualified(c.id));
    for (const auto& e : from_.extensions)
        if (!find_named(to_.extensions, e.name))
            add(final_, "DROP EXTENSION " + quote_ident(e.name),
                "CREATE EXTENSION " + quote_ident(e.name) + " SCHEMA " + quote_ident(e.schema) +
                    " VERSION " + quote_literal(e.version),
                "extension", quote_ident(e.name));
    for (const auto& s : from_.schemas)
        if (!find_named(to_.schemas, s.name))
            add(final_, "DROP SCHEMA " + quote_ident(s.name),
                with_privileges(
                    "CREATE SCHEMA " + quote_ident(s.name) +
                        (s.comment ? ";\n" + comment_sql("SCHEMA " + quote_ident(s.name), s.comment)
                                   : std::string()),
                    schema_grant(s.name), s.privileges),
                "schema", quote_ident(s.name));
}

}  // namespace ender::engine::diff_detail
