// The schema diff (see diff.hpp). Steps come out in five groups, each ordered by the
// dependencies the documents record (view dependencies, partition and inheritance parents,
// foreign keys after the keys they reference):
//   1. drops of what depends on changing objects (triggers, policies, views, constraints,
//      indexes, functions whose result changes) and of removed tables;
//   2. creation of schemas, extensions and types, sequences, functions;
//   3. tables: creation, then column changes, then constraints and indexes;
//   4. views, triggers, policies, table settings, ownerships, comments, privileges;
//   5. removal of what nothing uses any more (functions, sequences, types, schemas...).
#include "diff_planner.hpp"

#include "error.hpp"
#include "interrupts.hpp"

#include <algorithm>

namespace ender::engine {

namespace diff_detail {

// The user type a column type names, as format_type spells it (public.mood,
// "My Schema"."Mood"[], public.address[]): schema and name, quotes undone, array brackets
// dropped. Types without a schema (built-in ones) give nothing.
std::optional<qualified_name> named_type(std::string_view spelling) {
    std::vector<std::string> parts(1);
    std::size_t i = 0;
    while (i < spelling.size()) {
        char c = spelling[i];
        if (c == '"') {
            for (++i; i < spelling.size(); ++i) {
                if (spelling[i] == '"') {
                    if (i + 1 < spelling.size() && spelling[i + 1] == '"')
                        ++i;
                    else
                        break;
                }
                parts.back() += spelling[i];
            }
            ++i;
        } else if (c == '.') {
            parts.emplace_back();
            ++i;
        } else if (c == '[' || c == '(') {
            break;
        } else {
            parts.back() += c;
            ++i;
        }
    }
    if (parts.size() != 2) return std::nullopt;
    return qualified_name{parts[0], parts[1]};
}

[[noreturn]] void unsupported(const std::string& what, const std::string& object) {
    throw error(sqlstate::feature_not_supported, "cannot diff " + what + " of " + object + " yet",
                "ender_diff does not generate this change yet, and will not guess it.",
                "Write this step of the migration by hand.");
}

// Two policies are the same whatever name the target says one had before.
bool same_policy(policy_def a, policy_def b) {
    a.renamed_from.reset();
    b.renamed_from.reset();
    return a == b;
}

std::vector<diff_step> diff_planner::run() {
    analyse();
    drop_dependents();
    create_types_and_functions();
    create_catalog_objects();
    change_tables();
    create_views_and_dependents();
    comment_catalog_objects();
    grant_and_revoke();
    remove_unused();
    std::vector<diff_step> out;
    for (auto* group : {&drops_, &early_, &tables_, &keys_, &late_, &final_})
        for (auto& s : *group) out.push_back(std::move(s));
    return out;
}

// Which columns are dropped or retyped, and so which views must be rebuilt around them: those
// that read one (and the views over those).
void diff_planner::analyse() {
    recreate_tables();
    for (const auto& t : from_.tables) {
        poll_interrupts();
        const table_def* target = to_table(t.id);
        if (!target || recreated_.count(t.id)) {
            dropped_tables_.insert(t.id);
            continue;
        }
        for (const auto& c : t.columns) {
            const column_def* d = find_named(target->columns, c.name);
            if (!d || d->type != c.type || d->collation != c.collation ||
                d->generated != c.generated)
                changed_columns_[t.id].insert(c.name);
        }
    }
    for (const auto& e : from_.enums)
        for (const auto& t : to_.enums) {
            if (t.id != e.id || t.labels == e.labels) continue;
            std::size_t k = 0;
            for (const auto& label : t.labels)
                if (k < e.labels.size() && label == e.labels[k]) ++k;
            if (k != e.labels.size()) rebuilt_enums_.insert(e.id);
        }
    for (const auto& d : to_.domains)
        if (of_rebuilt_enum(d.type))
            unsupported("removing enum labels used by a domain", qualified(d.id));
    for (const auto& t : from_.tables)
        for (const auto& c : t.columns)
            if (of_rebuilt_enum(c.type) && !dropped_tables_.count(t.id))
                changed_columns_[t.id].insert(c.name);
    // Checks and indexes that name a rebuilt enum would compare against the old type:
    // they go before the recast and come back after it.
    for (const auto& id : rebuilt_enums_)
        for (const auto& t : from_.tables) {
            if (dropped_tables_.count(t.id)) continue;
            for (const auto& c : t.constraints)
                if (c.definition.find(id.name) != std::string::npos)
                    rebuilt_foreign_keys_.insert({t.id, c.name});
            for (const auto& i : t.indexes)
                if (i.definition.find(id.name) != std::string::npos)
                    rebuilt_indexes_.insert({t.id, i.name});
        }
    for (const auto& f : from_.functions) {
        const function_def* target = to_function(f);
        if (!target || must_recreate(f, *target)) dropped_functions_.insert(key(f));
    }
    analyse_catalog_objects();
    // Defaults that call a dropped function go before it and are set again after: the
    // text may stay the same while it binds to the new function.
    for (const auto& t : from_.tables)
        if (!dropped_tables_.count(t.id))
            for (const auto& c : t.columns)
                if (c.default_expr && calls_dropped_function(*c.default_expr))
                    unbound_defaults_.insert({t.id, c.name});
    // Foreign keys that depend on a key being dropped or changed go and come back with it.
    std::set<qualified_name> rekeyed;
    for (const auto& t : from_.tables) {
        const table_def* target = to_table(t.id);
        for (const auto& c : t.constraints) {
            if (c.type != "primary key" && c.type != "unique") continue;
            const constraint_def* d = target ? find_named(target->constraints, c.name) : nullptr;
            if (!d || d->definition != c.definition) rekeyed.insert(t.id);
        }
    }
    for (const auto& t : from_.tables)
        for (const auto& c : t.constraints)
            if (c.type == "foreign key" && c.references &&
                (rekeyed.count(*c.references) || recreated_.count(*c.references)) &&
                !dropped_tables_.count(t.id))
                rebuilt_foreign_keys_.insert({t.id, c.name});
    for (const auto& v : from_.views) {
        const view_def* target = to_view(v.id);
        if (!target || target->definition != v.definition || target->options != v.options ||
            target->materialized != v.materialized)
            rebuilt_views_.insert(v.id);
        for (const auto& f : v.functions)
            if (dropped_functions_.count(f)) rebuilt_views_.insert(v.id);
        for (const auto& dep : v.depends_on)
            if (dropped_tables_.count(dep) || reads_changed_column(v, dep))
                rebuilt_views_.insert(v.id);
    }
    // Views over rebuilt views are rebuilt too, at any depth (one walk over the readers).
    std::map<qualified_name, std::vector<const qualified_name*>> readers;
    for (const auto& v : from_.views)
        for (const auto& dep : v.depends_on) readers[dep].push_back(&v.id);
    std::vector<qualified_name> walk(rebuilt_views_.begin(), rebuilt_views_.end());
    while (!walk.empty()) {
        qualified_name id = std::move(walk.back());
        walk.pop_back();
        if (auto found = readers.find(id); found != readers.end())
            for (const qualified_name* reader : found->second)
                if (rebuilt_views_.insert(*reader).second) walk.push_back(*reader);
    }
}

// Whether view `v` reads a column of `relation` that is dropped or retyped. A view whose
// document does not list the columns it reads of `relation` may read any of them.
bool diff_planner::reads_changed_column(const view_def& v, const qualified_name& relation) const {
    auto changed = changed_columns_.find(relation);
    if (changed == changed_columns_.end()) return false;
    auto read = v.columns_read.find(relation);
    if (read == v.columns_read.end()) return true;
    return std::any_of(read->second.begin(), read->second.end(),
                       [&](const std::string& c) { return changed->second.count(c) > 0; });
}

}  // namespace diff_detail

std::vector<diff_step> diff(const snapshot& from, const snapshot& to, const diff_options& options) {
    return diff_detail::diff_planner(from, to, options).run();
}

// A kept table's columns after the diff: the kept ones in their order, then those it adds
// (new ones, and those recreated for a changed generation expression) in the target's order.
// Tables with parents or partitions of one are left out: their order comes from the parent.
std::vector<unmade_difference> unmade_differences(const snapshot& from, const snapshot& to) {
    std::map<qualified_name, const table_def*> live;
    for (const auto& t : from.tables) live.emplace(t.id, &t);
    auto names = [](const std::vector<std::string>& columns) {
        std::string out;
        for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quote_ident(c);
        return out;
    };
    auto inherits = [](const table_def& x) {
        return !x.inherits.empty() || x.partition_of ||
               std::any_of(x.columns.begin(), x.columns.end(),
                           [](const column_def& c) { return c.inherited; });
    };
    std::vector<unmade_difference> out;
    for (const auto& t : to.tables) {
        auto found = live.find(t.id);
        if (found == live.end()) continue;
        const table_def& old = *found->second;
        if (inherits(old) || inherits(t)) continue;
        std::vector<std::string> after, target;
        for (const auto& o : old.columns)
            if (const column_def* c = diff_detail::find_named(t.columns, o.name);
                c && c->generated == o.generated)
                after.push_back(o.name);
        for (const auto& c : t.columns) {
            target.push_back(c.name);
            const column_def* o = diff_detail::find_named(old.columns, c.name);
            if (!o || o->generated != c.generated) after.push_back(c.name);
        }
        if (after != target)
            out.push_back({t.id, qualified(t.id),
                           "column order of table " + qualified(t.id) + " differs from the target",
                           "After the diff its columns are " + names(after) + "; the target has " +
                               names(target) + "."});
    }
    return out;
}

}  // namespace ender::engine
