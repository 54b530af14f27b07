// Phase 1 of the schema diff (diff_planner.hpp): drops of what depends on changing objects
// (event triggers, triggers, policies, views, constraints, indexes, defaults that call a dropped
// function, functions whose result changes).
#include "diff_planner.hpp"

#include "error.hpp"
#include "online_forms.hpp"

#include <algorithm>

namespace ender::engine::diff_detail {

void diff_planner::drop_dependents() {
    // A kept sequence owned by a column or table that goes, and given another owner (or none)
    // by the target, is released first: dropping its owner would take it along.
    for (const auto& s : from_.sequences) {
        const sequence_def* target = find_id(to_.sequences, s.id);
        if (!s.owned_by || !target || target->owned_by == s.owned_by) continue;
        const table_def* owner = to_table(s.owned_by->first);
        if (owner && find_named(owner->columns, s.owned_by->second)) continue;
        add(drops_, "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY NONE",
            "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY " + qualified(s.owned_by->first) +
                "." + quote_ident(s.owned_by->second),
            "sequence", qualified(s.id));
        released_sequences_.insert(s.id);
    }
    for (const auto& e : from_.event_triggers) {
        const event_trigger_def* t = find_named(to_.event_triggers, e.name);
        if (!t || t->event != e.event || t->function != e.function || t->tags != e.tags)
            add(drops_, "DROP EVENT TRIGGER " + quote_ident(e.name), {}, "event trigger",
                quote_ident(e.name));
    }
    for (const auto& t : from_.tables) {
        if (dropped_tables_.count(t.id)) continue;
        const table_def* target = to_table(t.id);
        drop_triggers(t.id, t.triggers, target->triggers);
        for (const auto& p : t.policies) {
            const policy_def* d = find_named(target->policies, p.name);
            if (!d || !same_policy(*d, p))
                add(drops_, "DROP POLICY " + quote_ident(p.name) + " ON " + qualified(t.id),
                    policy_sql(t.id, p), "policy", quote_ident(p.name) + " ON " + qualified(t.id));
        }
    }
    for (const auto& v : from_.views)
        if (const view_def* target = to_view(v.id); target && !rebuilt_views_.count(v.id))
            drop_triggers(v.id, v.triggers, target->triggers);
    // Views, dependents first: each after the rebuilt views that read it.
    std::vector<const view_def*> pending;
    std::map<qualified_name, std::size_t> index;
    for (const auto& v : from_.views)
        if (rebuilt_views_.count(v.id) && index.emplace(v.id, pending.size()).second)
            pending.push_back(&v);
    std::vector<std::vector<std::size_t>> before(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i)
        for (const auto& d : pending[i]->depends_on)
            if (auto found = index.find(d); found != index.end() && found->second != i)
                before[found->second].push_back(i);
    std::vector<std::size_t> cycle;
    const auto order = pass_order(before, cycle);
    if (!cycle.empty()) {
        std::string names;
        for (std::size_t i : cycle)
            names += (names.empty() ? "" : ", ") + qualified(pending[i]->id);
        throw error(sqlstate::invalid_object_definition,
                    "the views of the current snapshot document depend on each other in a cycle",
                    "None of these can be dropped first: " + names + ".",
                    "Fix the depends_on lists of these views in the document.");
    }
    for (std::size_t n : order) {
        const view_def& v = *pending[n];
        std::string recreate = create_view_sql(v);
        for (const auto& i : v.indexes) recreate += ";\n" + i.definition;
        for (const auto& g : v.triggers) recreate += ";\n" + g.definition;
        if (v.comment)
            recreate +=
                ";\n" + comment_sql(std::string(v.materialized ? "MATERIALIZED VIEW " : "VIEW ") +
                                        qualified(v.id),
                                    v.comment);
        for (const auto& [column, comment] : v.column_comments)
            if (comment)
                recreate +=
                    ";\n" +
                    comment_sql("COLUMN " + qualified(v.id) + "." + quote_ident(column), comment);
        recreate = with_privileges(recreate, relation_grant(v.id), v.privileges);
        add(drops_, drop_view_sql(v), recreate, v.materialized ? "materialized view" : "view",
            qualified(v.id), {hazard::access_exclusive});
    }
    // Constraints and indexes that go or change: foreign keys first.
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& t : from_.tables) {
            if (dropped_tables_.count(t.id)) continue;
            const table_def* target = to_table(t.id);
            for (const auto& c : t.constraints) {
                if ((c.type == "foreign key") != (pass == 0)) continue;
                const constraint_def* d = find_named(target->constraints, c.name);
                if (d && d->definition == c.definition && d->deferrable == c.deferrable &&
                    d->deferred == c.deferred && (d->valid == c.valid || (d->valid && !c.valid)) &&
                    !rebuilt_foreign_keys_.count({t.id, c.name}))
                    continue;  // unchanged, or only to be validated (done later)
                add(drops_,
                    "ALTER TABLE " + qualified(t.id) + " DROP CONSTRAINT " + quote_ident(c.name),
                    "ALTER TABLE " + qualified(t.id) + " ADD CONSTRAINT " + quote_ident(c.name) +
                        " " + c.definition,
                    "constraint", quote_ident(c.name) + " ON " + qualified(t.id),
                    {hazard::access_exclusive});
            }
        }
    // `dropped_online`: an index gone from the target gets drop_index as its online form.
    auto drop_indexes = [&](const qualified_name& owner, const std::vector<index_def>& indexes,
                            const std::vector<index_def>* target, bool dropped_online) {
        for (const auto& i : indexes) {
            const index_def* d = target ? find_named(*target, i.name) : nullptr;
            if (d && d->definition == i.definition && !rebuilt_indexes_.count({owner, i.name}))
                continue;
            std::string name = qualified({owner.schema, i.name});
            add(drops_, std::string("DROP INDEX ") + (online_ ? "CONCURRENTLY " : "") + name,
                i.definition, "index", name,
                online_ ? std::vector<std::string>{}
                        : std::vector<std::string>{hazard::access_exclusive},
                !online_);
            if (!d && dropped_online)
                drops_.back().online_operation = online_form::drop_index(owner.schema, i.name);
        }
    };
    for (const auto& t : from_.tables)
        if (!dropped_tables_.count(t.id)) {
            bool saved = online_;
            online_ = online_ && !t.partitioned;  // no DROP INDEX CONCURRENTLY there
            drop_indexes(t.id, t.indexes, &to_table(t.id)->indexes, !t.partitioned);
            online_ = saved;
        }
    for (const auto& v : from_.views)
        if (v.materialized && !rebuilt_views_.count(v.id))
            drop_indexes(v.id, v.indexes, &to_view(v.id)->indexes, false);
    for (const auto& [table, column] : unbound_defaults_) {
        const column_def* c = find_named(find_id(from_.tables, table)->columns, column);
        std::string alter =
            "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote_ident(column);
        add(drops_, alter + " DROP DEFAULT", alter + " SET DEFAULT " + *c->default_expr, "column",
            qualified(table) + "." + quote_ident(column));
    }
    drop_recreated_catalog_objects();
    // A removed function goes here, not last, when a new overload of its name comes: a
    // default set again by name would otherwise be ambiguous between the two.
    for (const auto& f : from_.functions) {
        if (to_function(f) || unbound_defaults_.empty()) continue;
        bool overloaded =
            std::any_of(to_.functions.begin(), to_.functions.end(),
                        [&](const function_def& g) { return g.id == f.id && !from_function(g); });
        if (!overloaded) continue;
        add(drops_, "DROP " + function_kind_sql(f) + " " + function_signature(f), f.definition,
            f.kind == "procedure" ? "procedure" : "function", function_signature(f));
        early_dropped_functions_.insert(key(f));
    }
    // Functions whose result, argument names or kind change cannot be replaced in place.
    for (const auto& f : from_.functions)
        if (const function_def* g = to_function(f); g && must_recreate(f, *g))
            add(drops_, "DROP " + function_kind_sql(f) + " " + function_signature(f),
                with_privileges(f.definition, function_grant(f), f.privileges), "function",
                function_signature(f));
}

// Triggers of a kept table or view that go or change are dropped before anything else.
void diff_planner::drop_triggers(const qualified_name& owner,
                                 const std::vector<trigger_def>& triggers,
                                 const std::vector<trigger_def>& target) {
    for (const auto& g : triggers) {
        const trigger_def* d = find_named(target, g.name);
        if (!d || d->definition != g.definition || calls_dropped_function(g.definition))
            add(drops_, "DROP TRIGGER " + quote_ident(g.name) + " ON " + qualified(owner),
                g.definition, "trigger", quote_ident(g.name) + " ON " + qualified(owner));
    }
}

}  // namespace ender::engine::diff_detail
