// Phase 2 of the schema diff (diff_planner.hpp): creation and change of schemas, extensions,
// enums, domains, range types (diff_ranges.cpp), composite types, sequences and functions.
#include "diff_planner.hpp"

#include <algorithm>

namespace ender::engine::diff_detail {

void diff_planner::create_types_and_functions() {
    for (const auto& s : to_.schemas)
        if (!find_named(from_.schemas, s.name))
            add(early_, "CREATE SCHEMA " + quote_ident(s.name),
                "DROP SCHEMA " + quote_ident(s.name), "schema", quote_ident(s.name));
    for (const auto& e : to_.extensions) {
        const extension_def* old = find_named(from_.extensions, e.name);
        if (!old)
            add(early_,
                "CREATE EXTENSION " + quote_ident(e.name) + " SCHEMA " + quote_ident(e.schema) +
                    " VERSION " + quote_literal(e.version),
                "DROP EXTENSION " + quote_ident(e.name), "extension", quote_ident(e.name));
        if (old && old->version != e.version)
            add(early_,
                "ALTER EXTENSION " + quote_ident(e.name) + " UPDATE TO " + quote_literal(e.version),
                "ALTER EXTENSION " + quote_ident(e.name) + " UPDATE TO " +
                    quote_literal(old->version),
                "extension", quote_ident(e.name));
        if (old && old->schema != e.schema)
            add(early_,
                "ALTER EXTENSION " + quote_ident(e.name) + " SET SCHEMA " + quote_ident(e.schema),
                {}, "extension", quote_ident(e.name));
    }
    // A collation cannot be altered: a changed one is dropped and created again, which the
    // server refuses while a column uses it (the columns would have to move off it first).
    for (const auto& c : to_.collations) {
        const collation_def* old = find_id(from_.collations, c.id);
        if (old) {
            collation_def same = *old;
            same.comment = c.comment;
            if (same == c) continue;  // a comment alone is set with the others
            add(early_, "DROP COLLATION " + qualified(c.id), collation_sql(*old), "collation",
                qualified(c.id));
        }
        add(early_, collation_sql(c), "DROP COLLATION " + qualified(c.id), "collation",
            qualified(c.id));
    }
    for (const auto& e : to_.enums) {
        const enum_def* old = find_id(from_.enums, e.id);
        if (!old) {
            add(early_, enum_sql(e), "DROP TYPE " + qualified(e.id), "type", qualified(e.id));
            continue;
        }
        if (old->labels == e.labels) continue;
        // Only additions can be made in place (the old labels appear in order); otherwise the
        // type is rebuilt: renamed away, created anew, its columns recast, the old one dropped.
        if (rebuilt_enums_.count(e.id)) {
            add(early_,
                "ALTER TYPE " + qualified(e.id) + " RENAME TO " + quote_ident(old_enum_name(e.id)),
                "ALTER TYPE " + qualified({e.id.schema, old_enum_name(e.id)}) + " RENAME TO " +
                    quote_ident(e.id.name),
                "type", qualified(e.id));
            add(early_, enum_sql(e), "DROP TYPE " + qualified(e.id), "type", qualified(e.id));
            continue;
        }
        for (std::size_t i = 0; i < e.labels.size(); ++i) {
            if (std::find(old->labels.begin(), old->labels.end(), e.labels[i]) != old->labels.end())
                continue;
            // Before the next label that exists already; after the last one otherwise.
            std::string where;
            for (std::size_t j = i + 1; j < e.labels.size() && where.empty(); ++j)
                if (std::find(old->labels.begin(), old->labels.end(), e.labels[j]) !=
                    old->labels.end())
                    where = " BEFORE " + quote_literal(e.labels[j]);
            // A value added in a transaction cannot be used before it commits: its own step.
            add(early_,
                "ALTER TYPE " + qualified(e.id) + " ADD VALUE " + quote_literal(e.labels[i]) +
                    where,
                {}, "type", qualified(e.id), {}, false);
        }
    }
    for (const auto& d : to_.domains) {
        const domain_def* old = find_id(from_.domains, d.id);
        if (!old) {
            add(early_, domain_sql(d), "DROP DOMAIN " + qualified(d.id), "domain", qualified(d.id));
            continue;
        }
        if (old->type != d.type || old->collation != d.collation)
            unsupported("the base type", qualified(d.id));
        std::string alter = "ALTER DOMAIN " + qualified(d.id);
        if (old->default_expr != d.default_expr)
            add(early_,
                alter + (d.default_expr ? " SET DEFAULT " + *d.default_expr : " DROP DEFAULT"), {},
                "domain", qualified(d.id));
        if (old->not_null != d.not_null)
            add(early_, alter + (d.not_null ? " SET NOT NULL" : " DROP NOT NULL"), {}, "domain",
                qualified(d.id),
                d.not_null ? std::vector<std::string>{hazard::can_fail}
                           : std::vector<std::string>{});
        for (const auto& c : old->constraints) {
            const constraint_def* n = find_named(d.constraints, c.name);
            if (!n || n->definition != c.definition)
                add(early_, alter + " DROP CONSTRAINT " + quote_ident(c.name), {}, "domain",
                    qualified(d.id));
        }
        // PostgreSQL cannot check stored composite values against a new domain check.
        bool checks_added =
            (d.not_null && !old->not_null) ||
            std::any_of(d.constraints.begin(), d.constraints.end(), [&](const constraint_def& c) {
                const constraint_def* o = find_named(old->constraints, c.name);
                return c.valid && (!o || o->definition != c.definition);
            });
        if (checks_added)
            if (auto column = stored_inside_composite(d.id))
                unsupported("a new check on a domain stored inside a composite type (column " +
                                *column + ")",
                            qualified(d.id));
        for (const auto& c : d.constraints) {
            const constraint_def* o = find_named(old->constraints, c.name);
            if (!o || o->definition != c.definition)
                add(early_, alter + " ADD CONSTRAINT " + quote_ident(c.name) + " " + c.definition,
                    {}, "domain", qualified(d.id), {hazard::can_fail});
        }
    }
    create_range_types();  // over enums and domains; composite types may hold ranges
    for (const auto& c : to_.composite_types) {
        const composite_def* old = find_id(from_.composite_types, c.id);
        if (!old) {
            add(early_, composite_sql(c), "DROP TYPE " + qualified(c.id), "type", qualified(c.id));
            continue;
        }
        // ALTER TYPE cannot reorder attributes: kept ones must keep their order.
        std::vector<std::string> kept_before, kept_after;
        for (const auto& a : old->attributes)
            if (find_named(c.attributes, a.name)) kept_before.push_back(a.name);
        for (const auto& a : c.attributes)
            if (find_named(old->attributes, a.name)) kept_after.push_back(a.name);
        if (kept_before != kept_after) unsupported("the order of attributes", qualified(c.id));
        for (const auto& a : old->attributes)
            if (!find_named(c.attributes, a.name))
                add(early_,
                    "ALTER TYPE " + qualified(c.id) + " DROP ATTRIBUTE " + quote_ident(a.name), {},
                    "type", qualified(c.id), {hazard::deletes_data});
        for (const auto& a : c.attributes) {
            const column_def* o = find_named(old->attributes, a.name);
            if (!o)
                add(early_,
                    "ALTER TYPE " + qualified(c.id) + " ADD ATTRIBUTE " + quote_ident(a.name) +
                        " " + a.type + (a.collation ? " COLLATE " + *a.collation : ""),
                    {}, "type", qualified(c.id));
            else if (o->type != a.type || o->collation != a.collation) {
                if (auto column = stored_column(c.id))
                    unsupported("the type of attribute " + quote_ident(a.name) +
                                    " of a composite type stored in column " + *column,
                                qualified(c.id));
                add(early_,
                    "ALTER TYPE " + qualified(c.id) + " ALTER ATTRIBUTE " + quote_ident(a.name) +
                        " TYPE " + a.type + (a.collation ? " COLLATE " + *a.collation : ""),
                    {}, "type", qualified(c.id));
            }
        }
    }
    for (const auto& s : to_.sequences) {
        const sequence_def* old = find_id(from_.sequences, s.id);
        if (!old)
            add(early_, "CREATE SEQUENCE " + qualified(s.id) + sequence_options(s),
                "DROP SEQUENCE " + qualified(s.id), "sequence", qualified(s.id));
        else if (old->type != s.type || old->start != s.start || old->increment != s.increment ||
                 old->min != s.min || old->max != s.max || old->cache != s.cache ||
                 old->cycle != s.cycle)
            add(early_, alter_sequence_sql(*old, s), alter_sequence_sql(s, *old), "sequence",
                qualified(s.id));
    }
    // Functions before the tables whose defaults and checks may call them; their bodies
    // are checked when they run (as pg_dump does), not against tables created later.
    for (const auto& f : to_.functions) {
        const function_def* old = from_function(f);
        if (old && must_recreate(*old, f)) old = nullptr;  // dropped above
        if (old && old->definition == f.definition) continue;
        std::string reverse =
            old ? old->definition : "DROP " + function_kind_sql(f) + " " + function_signature(f);
        add(early_, "SET LOCAL check_function_bodies = off;\n" + strip_semicolon(f.definition),
            reverse, f.kind == "procedure" ? "procedure" : "function", function_signature(f));
    }
}

// A kept table column (as "table.column") whose type is `type` or an array of it.
std::optional<std::string> diff_planner::stored_column(const qualified_name& type) const {
    for (const auto& t : from_.tables)
        if (!dropped_tables_.count(t.id))
            for (const auto& c : t.columns)
                if (!c.inherited && named_type(c.type) == type)
                    return qualified(t.id) + "." + quote_ident(c.name);
    return std::nullopt;
}

// A kept table column storing a composite type with an attribute of type `type`.
std::optional<std::string> diff_planner::stored_inside_composite(const qualified_name& type) const {
    for (const auto& c : from_.composite_types)
        for (const auto& a : c.attributes)
            if (named_type(a.type) == type)
                if (auto column = stored_column(c.id)) return column;
    return std::nullopt;
}

}  // namespace ender::engine::diff_detail
