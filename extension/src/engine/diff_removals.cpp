// Phase 5 of the schema diff (diff_planner.hpp): removal of what nothing uses any more
// (functions, tables, sequences, types, extensions, schemas).
#include "diff_planner.hpp"

#include "privileges.hpp"

#include <algorithm>

namespace ender::engine::diff_detail {

// Whether the target gives the name of a removed table to another relation or type (a view,
// sequence, index or type): the table must then be gone before that is created.
bool diff_planner::dropped_table_name_reused() const {
    auto reused = [&](const qualified_name& id) { return dropped_tables_.count(id) > 0; };
    auto any_reused = [&](const auto& items) {
        return std::any_of(items.begin(), items.end(), [&](const auto& x) { return reused(x.id); });
    };
    if (any_reused(to_.views) || any_reused(to_.sequences) || any_reused(to_.composite_types) ||
        any_reused(to_.enums) || any_reused(to_.domains))
        return true;
    for (const auto& t : to_.tables)
        for (const auto& i : t.indexes)
            if (reused({t.id.schema, i.name})) return true;
    return false;
}

void diff_planner::remove_unused() {
    // Removed functions that read a removed table go first, then the tables (in one
    // statement, which settles foreign keys and inheritance among them), then the rest.
    // When the target reuses a removed table's name for another kind of object, these go at
    // the end of the drops instead, before anything is created.
    std::vector<diff_step>& table_drops = dropped_table_name_reused() ? drops_ : final_;
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
        for (const auto& s : from_.sequences)
            if (s.owned_by && dropped_tables_.count(s.owned_by->first))  // they go with the table
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
            if (s.owned_by && dropped_tables_.count(s.owned_by->first))
                rest += "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY " +
                        qualified(s.owned_by->first) + "." + quote_ident(s.owned_by->second) +
                        ";\n";
        creates = strip_semicolon(creates + keys + foreign_keys + rest);
        add(table_drops, "DROP TABLE " + names, creates, "table", names,
            {hazard::deletes_data, hazard::access_exclusive});
    }
    remove_catalog_objects();
    drop_functions(false);
    for (const auto& s : from_.sequences) {
        bool kept = find_id(to_.sequences, s.id) != nullptr;
        if (kept || dropped_sequences_.count(s.id)) continue;
        // A sequence owned by a dropped table or column goes with it.
        bool goes_with_table = false;
        if (s.owned_by) {
            const table_def* owner = to_table(s.owned_by->first);
            goes_with_table = dropped_tables_.count(s.owned_by->first) ||
                              (owner && !find_named(owner->columns, s.owned_by->second));
        }
        if (!goes_with_table)
            add(final_, "DROP SEQUENCE " + qualified(s.id),
                with_privileges("CREATE SEQUENCE " + qualified(s.id) + sequence_options(s),
                                relation_grant(s.id, "SEQUENCE"), s.privileges),
                "sequence", qualified(s.id));
    }
    for (const auto& d : from_.domains) {
        bool kept = find_id(to_.domains, d.id) != nullptr;
        if (!kept)
            add(final_, "DROP DOMAIN " + qualified(d.id),
                with_privileges(domain_sql(d), relation_grant(d.id, "DOMAIN"), d.privileges),
                "domain", qualified(d.id));
    }
    for (const auto& c : from_.composite_types) {
        bool kept = find_id(to_.composite_types, c.id) != nullptr;
        if (!kept)
            add(final_, "DROP TYPE " + qualified(c.id),
                with_privileges(composite_sql(c), relation_grant(c.id, "TYPE"), c.privileges),
                "type", qualified(c.id));
    }
    for (const auto& id : rebuilt_enums_)
        add(final_, "DROP TYPE " + qualified({id.schema, old_enum_name(id)}), {}, "type",
            qualified(id));
    for (const auto& e : from_.enums) {
        bool kept = find_id(to_.enums, e.id) != nullptr;
        if (!kept)
            add(final_, "DROP TYPE " + qualified(e.id),
                with_privileges(enum_sql(e), relation_grant(e.id, "TYPE"), e.privileges), "type",
                qualified(e.id));
    }
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
