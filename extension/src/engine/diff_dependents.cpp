// Phase 4 of the schema diff (diff_planner.hpp): views, triggers, policies, table settings,
// ownerships and comments, once what they use exists; then privileges.
#include "diff_planner.hpp"

#include "error.hpp"
#include "privileges.hpp"

#include <algorithm>
#include <cctype>

namespace ender::engine::diff_detail {

void diff_planner::create_views_and_dependents() {
    // Views in dependency order: each after the views it reads.
    std::set<qualified_name> done;
    std::vector<const view_def*> todo;
    for (const auto& v : to_.views) {
        bool existed = find_id(from_.views, v.id) != nullptr;
        if (!existed || rebuilt_views_.count(v.id))
            todo.push_back(&v);
        else
            done.insert(v.id);
    }
    // Each view after the views to create that it reads (those that exist stay).
    std::map<qualified_name, std::size_t> index;
    for (std::size_t i = 0; i < todo.size(); ++i) index.emplace(todo[i]->id, i);
    std::vector<std::vector<std::size_t>> before(todo.size());
    for (std::size_t i = 0; i < todo.size(); ++i)
        for (const auto& d : todo[i]->depends_on)
            if (auto found = index.find(d); found != index.end() && !done.count(d))
                before[i].push_back(found->second);
    std::vector<std::size_t> cycle;
    const auto order = pass_order(before, cycle);
    if (!cycle.empty()) {
        std::string names;
        for (std::size_t i : cycle) names += (names.empty() ? "" : ", ") + qualified(todo[i]->id);
        throw error(sqlstate::invalid_object_definition,
                    "the views of the target snapshot document depend on each other in a cycle",
                    "None of these can be created first: " + names + ".",
                    "Fix the depends_on lists of these views in the document.");
    }
    for (std::size_t i : order) {
        const view_def* v = todo[i];
        add(late_, create_view_sql(*v), drop_view_sql(*v),
            v->materialized ? "materialized view" : "view", qualified(v->id));
        create_indexes(v->id, v->indexes, nullptr, &late_);
        for (const auto& g : v->triggers)
            add(late_, g.definition,
                "DROP TRIGGER " + quote_ident(g.name) + " ON " + qualified(v->id), "trigger",
                quote_ident(g.name) + " ON " + qualified(v->id));
    }
    for (const auto& v : to_.views) {
        const view_def* old = find_id(from_.views, v.id);
        if (v.materialized && old && !rebuilt_views_.count(v.id))
            create_indexes(v.id, v.indexes, &old->indexes, &late_);
        if (old && !rebuilt_views_.count(v.id)) create_triggers(v.id, v.triggers, &old->triggers);
        std::string kind = v.materialized ? "MATERIALIZED VIEW " : "VIEW ";
        if (!old || rebuilt_views_.count(v.id) ? v.comment.has_value() : old->comment != v.comment)
            add(late_, comment_sql(kind + qualified(v.id), v.comment), {}, "comment",
                qualified(v.id));
        for (const auto& [column, comment] : v.column_comments) {
            opt_text before;
            if (old && !rebuilt_views_.count(v.id))
                for (const auto& [c, text] : old->column_comments)
                    if (c == column) before = text;
            if (before != comment)
                add(late_,
                    comment_sql("COLUMN " + qualified(v.id) + "." + quote_ident(column), comment),
                    {}, "comment", qualified(v.id));
        }
    }
    for (const auto& t : to_.tables) {
        const table_def* old = from_table(t.id);
        std::string alter = "ALTER TABLE " + qualified(t.id);
        create_triggers(t.id, t.triggers, old ? &old->triggers : nullptr);
        for (const auto& p : t.policies) {
            const policy_def* o = old ? find_named(old->policies, p.name) : nullptr;
            if (!o || !same_policy(*o, p)) {
                add(late_, policy_sql(t.id, p),
                    "DROP POLICY " + quote_ident(p.name) + " ON " + qualified(t.id), "policy",
                    quote_ident(p.name) + " ON " + qualified(t.id), {hazard::authorization});
                if (p.comment)
                    add(late_,
                        comment_sql("POLICY " + quote_ident(p.name) + " ON " + qualified(t.id),
                                    p.comment),
                        {}, "comment", qualified(t.id));
            }
        }
        if ((old ? old->row_security : false) != t.row_security)
            add(late_, alter + (t.row_security ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY",
                {}, "table", qualified(t.id), {hazard::authorization});
        if ((old ? old->force_row_security : false) != t.force_row_security)
            add(late_,
                alter + (t.force_row_security ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY", {},
                "table", qualified(t.id), {hazard::authorization});
        if ((old ? old->replica_identity : std::string("default")) != t.replica_identity) {
            std::string identity = t.replica_identity;
            for (char& ch : identity)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            if (t.replica_identity.rfind("index ", 0) == 0)
                identity = "USING INDEX " + t.replica_identity.substr(6);
            add(late_, alter + " REPLICA IDENTITY " + identity, {}, "table", qualified(t.id));
        }
        comments_for_table(t, old);
    }
    for (const auto& s : to_.sequences) {
        const sequence_def* old = find_id(from_.sequences, s.id);
        if ((old ? old->owned_by : std::nullopt) != s.owned_by &&
            (s.owned_by || !released_sequences_.count(s.id)))
            add(late_,
                "ALTER SEQUENCE " + qualified(s.id) + " OWNED BY " +
                    (s.owned_by
                         ? qualified(s.owned_by->first) + "." + quote_ident(s.owned_by->second)
                         : std::string("NONE")),
                {}, "sequence", qualified(s.id));
        if ((old ? old->comment : std::nullopt) != s.comment)
            add(late_, comment_sql("SEQUENCE " + qualified(s.id), s.comment), {}, "comment",
                qualified(s.id));
    }
    for (const auto& e : to_.event_triggers) {
        const event_trigger_def* o = find_named(from_.event_triggers, e.name);
        bool recreate = !o || o->event != e.event || o->function != e.function || o->tags != e.tags;
        if (recreate) {
            std::string sql = "CREATE EVENT TRIGGER " + quote_ident(e.name) + " ON " + e.event;
            if (!e.tags.empty()) {
                sql += " WHEN TAG IN (";
                for (std::size_t i = 0; i < e.tags.size(); ++i)
                    sql += (i ? ", " : "") + quote_literal(e.tags[i]);
                sql += ")";
            }
            add(late_, sql + " EXECUTE FUNCTION " + e.function + "()",
                "DROP EVENT TRIGGER " + quote_ident(e.name), "event trigger", quote_ident(e.name));
        }
        if (recreate ? e.enabled != "origin" : o->enabled != e.enabled)
            add(late_, "ALTER EVENT TRIGGER " + quote_ident(e.name) + " " + enabled_sql(e.enabled),
                {}, "event trigger", quote_ident(e.name));
        if ((o ? o->comment : std::nullopt) != e.comment)
            add(late_, comment_sql("EVENT TRIGGER " + quote_ident(e.name), e.comment), {},
                "comment", quote_ident(e.name));
    }
    for (const auto& e : to_.extensions) {
        const extension_def* o = find_named(from_.extensions, e.name);
        if (o ? o->comment != e.comment : e.comment.has_value())
            add(late_, comment_sql("EXTENSION " + quote_ident(e.name), e.comment), {}, "comment",
                quote_ident(e.name));
    }
    for (const auto& s : to_.schemas) {
        const schema_def* o = find_named(from_.schemas, s.name);
        if ((o ? o->comment : std::nullopt) != s.comment)
            add(late_, comment_sql("SCHEMA " + quote_ident(s.name), s.comment), {}, "comment",
                quote_ident(s.name));
    }
    auto type_comments = [&](const auto& items, const auto& old_items, const char* kind) {
        for (const auto& t : items) {
            opt_text before;
            if (const auto* o = find_id(old_items, t.id)) before = o->comment;
            if (before != t.comment)
                add(late_, comment_sql(std::string(kind) + " " + qualified(t.id), t.comment), {},
                    "comment", qualified(t.id));
        }
    };
    type_comments(to_.enums, from_.enums, "TYPE");
    for (const auto& c : to_.collations) {
        const collation_def* o = find_id(from_.collations, c.id);
        if (o && o->comment != c.comment)  // a new collation gets its comment when created
            add(late_, comment_sql("COLLATION " + qualified(c.id), c.comment), {}, "comment",
                qualified(c.id));
    }
    type_comments(to_.domains, from_.domains, "DOMAIN");
    type_comments(to_.composite_types, from_.composite_types, "TYPE");
    type_comments(to_.range_types, from_.range_types, "TYPE");
    for (const auto& d : to_.domains)
        for (const auto& c : d.constraints) {
            opt_text before;
            if (const auto* o = find_id(from_.domains, d.id))
                if (auto* oc = find_named(o->constraints, c.name);
                    oc && oc->definition == c.definition)
                    before = oc->comment;
            if (before != c.comment)
                add(late_,
                    comment_sql(
                        "CONSTRAINT " + quote_ident(c.name) + " ON DOMAIN " + qualified(d.id),
                        c.comment),
                    {}, "comment", qualified(d.id));
        }
    for (const auto& c : to_.composite_types)
        for (const auto& a : c.attributes) {
            opt_text before;
            if (const auto* o = find_id(from_.composite_types, c.id))
                if (auto* oa = find_named(o->attributes, a.name)) before = oa->comment;
            if (before != a.comment)
                add(late_,
                    comment_sql("COLUMN " + qualified(c.id) + "." + quote_ident(a.name), a.comment),
                    {}, "comment", qualified(c.id));
        }
    for (const auto& f : to_.functions) {
        opt_text before;
        if (const function_def* o = from_function(f); o && !must_recreate(*o, f))
            before = o->comment;
        if (before != f.comment)
            add(late_, comment_sql(function_kind_sql(f) + " " + function_signature(f), f.comment),
                {}, "comment", function_signature(f));
    }
}

// New and changed triggers of a table or view, and their enabled state (tables only: views'
// triggers are always enabled), once what they call and watch exists.
void diff_planner::create_triggers(const qualified_name& owner,
                                   const std::vector<trigger_def>& triggers,
                                   const std::vector<trigger_def>* old) {
    for (const auto& g : triggers) {
        const trigger_def* o = old ? find_named(*old, g.name) : nullptr;
        if (o && calls_dropped_function(o->definition)) o = nullptr;  // dropped above
        std::string what = quote_ident(g.name) + " ON " + qualified(owner);
        if (!o || o->definition != g.definition)
            add(late_, g.definition,
                "DROP TRIGGER " + quote_ident(g.name) + " ON " + qualified(owner), "trigger", what);
        if ((!o || o->definition != g.definition) ? g.enabled != "origin" : o->enabled != g.enabled)
            add(late_,
                "ALTER TABLE " + qualified(owner) + " " + enabled_sql(g.enabled) + " TRIGGER " +
                    quote_ident(g.name),
                {}, "trigger", what);
    }
}

void diff_planner::comments_for_table(const table_def& t, const table_def* old) {
    if ((old ? old->comment : std::nullopt) != t.comment)
        add(late_, comment_sql("TABLE " + qualified(t.id), t.comment), {}, "comment",
            qualified(t.id));
    for (const auto& c : t.columns) {
        const column_def* o = old ? find_named(old->columns, c.name) : nullptr;
        bool recreated = o && o->generated != c.generated;
        if (((o && !recreated) ? o->comment : std::nullopt) != c.comment)
            add(late_,
                comment_sql("COLUMN " + qualified(t.id) + "." + quote_ident(c.name), c.comment), {},
                "comment", qualified(t.id));
    }
    for (const auto& c : t.constraints) {
        const constraint_def* o = old ? find_named(old->constraints, c.name) : nullptr;
        bool kept = o && o->definition == c.definition;
        if ((kept ? o->comment : std::nullopt) != c.comment)
            add(late_,
                comment_sql("CONSTRAINT " + quote_ident(c.name) + " ON " + qualified(t.id),
                            c.comment),
                {}, "comment", qualified(t.id));
    }
    for (const auto& i : t.indexes) {
        const index_def* o = old ? find_named(old->indexes, i.name) : nullptr;
        bool kept = o && o->definition == i.definition;
        if ((kept ? o->comment : std::nullopt) != i.comment)
            add(late_, comment_sql("INDEX " + qualified({t.id.schema, i.name}), i.comment), {},
                "comment", qualified(t.id));
    }
    for (const auto& g : t.triggers) {
        const trigger_def* o = old ? find_named(old->triggers, g.name) : nullptr;
        bool kept = o && o->definition == g.definition;
        if ((kept ? o->comment : std::nullopt) != g.comment)
            add(late_,
                comment_sql("TRIGGER " + quote_ident(g.name) + " ON " + qualified(t.id), g.comment),
                {}, "comment", qualified(t.id));
    }
}

// Privileges, when the target lists them: what each object has now (or gets by default
// when it is created or recreated) against what the target lists.
void diff_planner::grant_and_revoke() {
    if (!to_.privileges) return;
    if (!from_.privileges)
        throw error(sqlstate::invalid_parameter_value, "the live snapshot does not list privileges",
                    "The target lists privileges (\"privileges\": true), so the live schema "
                    "must be read with them.",
                    "Take the live snapshot with ender_snapshot(privileges => true).");
    auto change = [&](const grant_target& target, const privilege_list* before,
                      const privilege_list& after) {
        for (auto& s :
             privilege_steps(target, before ? *before : default_privileges(target.on), after))
            late_.push_back(std::move(s));
    };
    for (const auto& s : to_.schemas) {
        const schema_def* o = find_named(from_.schemas, s.name);
        change(schema_grant(s.name), o ? &o->privileges : nullptr, s.privileges);
    }
    auto types = [&](const auto& items, const auto& old_items, const char* kind,
                     bool rebuilt_enums) {
        for (const auto& t : items) {
            const auto* o = find_id(old_items, t.id);
            if (rebuilt_enums && rebuilt_enums_.count(t.id)) o = nullptr;  // created anew
            change(relation_grant(t.id, kind), o ? &o->privileges : nullptr, t.privileges);
        }
    };
    types(to_.enums, from_.enums, "TYPE", true);
    types(to_.domains, from_.domains, "DOMAIN", false);
    types(to_.composite_types, from_.composite_types, "TYPE", false);
    types(to_.range_types, from_.range_types, "TYPE", false);
    types(to_.sequences, from_.sequences, "SEQUENCE", false);
    for (const auto& t : to_.tables) {
        const table_def* old = from_table(t.id);
        change(relation_grant(t.id), old ? &old->privileges : nullptr, t.privileges);
        for (const auto& c : t.columns) {
            const column_def* o = old ? find_named(old->columns, c.name) : nullptr;
            if (o && o->generated != c.generated) o = nullptr;  // dropped and added again
            change(column_grant(t.id, c.name), o ? &o->privileges : nullptr, c.privileges);
        }
    }
    for (const auto& v : to_.views) {
        const view_def* old = find_id(from_.views, v.id);
        if (rebuilt_views_.count(v.id)) old = nullptr;
        change(relation_grant(v.id), old ? &old->privileges : nullptr, v.privileges);
    }
    for (const auto& f : to_.functions) {
        const function_def* old = from_function(f);
        if (old && must_recreate(*old, f)) old = nullptr;
        change(function_grant(f), old ? &old->privileges : nullptr, f.privileges);
    }
}

}  // namespace ender::engine::diff_detail
