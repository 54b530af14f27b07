// Phase 3 of the schema diff (diff_planner.hpp): tables created, their columns changed, their
// parents left and joined, then constraints and indexes.
#include "diff_planner.hpp"

#include "interrupts.hpp"
#include "online_forms.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

namespace ender::engine::diff_detail {

namespace {

// The type modifier of a format_type spelling: "character varying(20)" gives ("character
// varying", "20"); no modifier gives an empty one.
std::pair<std::string, std::string> split_modifier(const std::string& type) {
    auto open = type.find('(');
    if (open == std::string::npos || type.back() != ')') return {type, ""};
    return {type.substr(0, open), type.substr(open + 1, type.size() - open - 2)};
}

// Whether ALTER COLUMN TYPE from `from` to `to` keeps every stored value as it is, so that
// PostgreSQL rewrites nothing (ATColumnChangeRequiresRewrite): varchar to text or to an
// unbounded or longer varchar, text to unbounded varchar, a numeric of more digits with the
// same scale or unconstrained, a longer or unbounded bit varying.
bool binary_coercible(const std::string& from, const std::string& to) {
    static const std::string varchar = "character varying", bits = "bit varying";
    auto [from_base, from_mod] = split_modifier(from);
    auto [to_base, to_mod] = split_modifier(to);
    // A modifier's number; a document's type may hold anything there ("varchar(x)", digits
    // past long long): -1, which no comparison below takes for a coercion.
    auto digits = [](const std::string& s) -> long long {
        long long n = 0;
        const char* end = s.data() + s.size();
        const char* begin = s.data();
        while (begin != end && *begin == ' ') ++begin;
        if (s.empty()) return 0;
        auto [at, ec] = std::from_chars(begin, end, n);
        return ec == std::errc() && at == end && n >= 0 ? n : -1;
    };
    auto at_least = [&](const std::string& a, const std::string& b) {
        return digits(b) >= 0 && digits(a) >= digits(b);
    };
    if (from_base == varchar || from_base == "text")
        return to == "text" || to == varchar ||
               (from_base == varchar && to_base == varchar && !from_mod.empty() &&
                !to_mod.empty() && at_least(to_mod, from_mod));
    if (from_base == bits && to_base == bits)
        return to_mod.empty() || (!from_mod.empty() && at_least(to_mod, from_mod));
    if (from_base == "numeric" && to_base == "numeric") {
        if (to_mod.empty()) return true;
        if (from_mod.empty()) return false;
        auto comma_of = [](const std::string& m) { return m.find(','); };
        auto precision = [&](const std::string& m) { return digits(m.substr(0, comma_of(m))); };
        auto scale = [&](const std::string& m) {
            auto c = comma_of(m);
            return c == std::string::npos ? 0 : digits(m.substr(c + 1));
        };
        return scale(to_mod) >= 0 && scale(to_mod) == scale(from_mod) && precision(from_mod) >= 0 &&
               precision(to_mod) >= precision(from_mod);
    }
    return false;
}

}  // namespace

void diff_planner::change_tables() {
    create_tables();
    copy_rows_back();
    for (const auto& t : to_.tables) {
        poll_interrupts();
        if (const table_def* old = from_table(t.id)) change_table(*old, t);
    }

    // Existing tables join their new parents once every column is in its final shape.
    for (const auto& t : to_.tables)
        if (const table_def* old = from_table(t.id)) join_parents(*old, t);

    // Constraints: keys first (foreign keys need them), then checks, then foreign keys.
    for (int pass = 0; pass < 3; ++pass)
        for (const auto& t : to_.tables) {
            const table_def* old = from_table(t.id);
            for (const auto& c : t.constraints) {
                int rank = c.type == "foreign key" ? 2 : (c.type == "check" ? 1 : 0);
                if (rank != pass) continue;
                const constraint_def* o = old ? find_named(old->constraints, c.name) : nullptr;
                if (rebuilt_foreign_keys_.count({t.id, c.name})) o = nullptr;  // dropped above
                bool same = o && o->definition == c.definition && o->deferrable == c.deferrable &&
                            o->deferred == c.deferred;
                std::string alter = "ALTER TABLE " + qualified(t.id);
                std::string name = quote_ident(c.name);
                std::string what = name + " ON " + qualified(t.id);
                if (same && o->valid == c.valid) continue;
                if (same && !o->valid && c.valid) {
                    add(keys_, alter + " VALIDATE CONSTRAINT " + name, {}, "constraint", what,
                        {hazard::can_fail});
                    continue;
                }
                add_constraint(t, c);
            }
        }
    for (const auto& t : to_.tables) {
        const table_def* old = from_table(t.id);
        create_indexes(t.id, t.indexes, old ? &old->indexes : nullptr);
    }
}

// New tables: parents before partitions and children, at any depth (sub-partitions).
void diff_planner::create_tables() {
    std::map<qualified_name, int> depth;
    auto parents_of = [&](const table_def& t) {
        std::vector<const table_def*> out;
        for (const auto& p : t.inherits)
            if (const table_def* parent = to_table(p)) out.push_back(parent);
        if (t.partition_of)
            if (const table_def* parent = to_table({t.partition_of->schema, t.partition_of->table}))
                out.push_back(parent);
        return out;
    };
    // Without recursion (an inheritance chain of any length in a document): a table's depth
    // once its parents' are known. A cycle (impossible in a catalog) ends: a table being
    // walked counts as depth 0.
    auto depth_of = [&](const table_def& root) {
        std::vector<std::pair<const table_def*, bool>> stack{{&root, false}};
        while (!stack.empty()) {
            auto [t, expanded] = stack.back();
            if (!expanded) {
                if (depth.count(t->id)) {
                    stack.pop_back();
                    continue;
                }
                depth[t->id] = 0;
                stack.back().second = true;
                for (const table_def* parent : parents_of(*t))
                    if (!depth.count(parent->id)) stack.push_back({parent, false});
                continue;
            }
            int d = 0;
            for (const table_def* parent : parents_of(*t)) d = std::max(d, depth[parent->id] + 1);
            depth[t->id] = d;
            stack.pop_back();
        }
        return depth[root.id];
    };
    std::vector<const table_def*> fresh;
    for (const auto& t : to_.tables)
        if (!from_table(t.id)) fresh.push_back(&t);
    std::stable_sort(fresh.begin(), fresh.end(), [&](const table_def* a, const table_def* b) {
        return depth_of(*a) < depth_of(*b);
    });
    for (const table_def* t : fresh)
        add(tables_, create_table_sql(*t), "DROP TABLE " + qualified(t->id), "table",
            qualified(t->id));
}

// An existing table's own changes: logging, columns added, changed and dropped.
void diff_planner::change_table(const table_def& old, const table_def& t) {
    leave_parents(old, t);
    std::string alter = "ALTER TABLE " + qualified(t.id);
    if (old.unlogged != t.unlogged)
        add(tables_, alter + (t.unlogged ? " SET UNLOGGED" : " SET LOGGED"), {}, "table",
            qualified(t.id), {hazard::rewrites_table, hazard::access_exclusive});
    for (const auto& c : t.columns)
        if (!c.inherited) change_column(old, t, c, alter);  // inherited: changed on the parent
    // ADD COLUMN puts a column back last (and empty): the reverse of a drop exists only
    // for the last column, where it restores the table's shape.
    for (const auto& o : old.columns)
        if (!o.inherited && !find_named(t.columns, o.name)) {
            add(tables_, alter + " DROP COLUMN " + quote_ident(o.name),
                &o == &old.columns.back() ? opt_text{alter + " ADD COLUMN " + column_sql(o)}
                                          : opt_text{},
                "column", qualified(t.id) + "." + quote_ident(o.name),
                {hazard::deletes_data, hazard::access_exclusive});
            add_columns_freed_by_parent(t, o.name);
        }
}

// After `parent` dropped `column` (the last step): the children whose copy of it came only
// from the parent lost it with the drop; those the target gives a column of that name of their
// own get it back here, last (the server has no form that turns an inherited column into a
// local one). The drop's reverse then cannot put the children's columns back in place.
void diff_planner::add_columns_freed_by_parent(const table_def& parent, const std::string& column) {
    for (const auto& child : from_.tables) {
        const column_def* c = find_named(child.columns, column);
        if (c && c->inherited &&
            std::find(child.inherits.begin(), child.inherits.end(), parent.id) !=
                child.inherits.end())
            tables_.back().reverse_sql.reset();
    }
    for (const auto& child : to_.tables) {
        if (std::find(child.inherits.begin(), child.inherits.end(), parent.id) ==
            child.inherits.end())
            continue;
        const table_def* before = from_table(child.id);
        const column_def* c = find_named(child.columns, column);
        const column_def* was = before ? find_named(before->columns, column) : nullptr;
        if (!c || c->inherited || !was || !was->inherited) continue;
        const std::string alter = "ALTER TABLE " + qualified(child.id);
        add(tables_, alter + " ADD COLUMN " + column_sql(*c),
            alter + " DROP COLUMN " + quote_ident(column), "column",
            qualified(child.id) + "." + quote_ident(column), {hazard::access_exclusive});
    }
}

// One column of an existing table: added, retyped, its default, identity and nullability.
void diff_planner::change_column(const table_def& old, const table_def& t, const column_def& c,
                                 const std::string& alter) {
    const column_def* o = find_named(old.columns, c.name);
    column_def unbound;  // the column once its default was dropped (see analyse)
    if (o && unbound_defaults_.count({t.id, c.name})) {
        unbound = *o;
        unbound.default_expr.reset();
        o = &unbound;
    }
    // A column that only came from a parent and is the table's own in the target: when the
    // parent drops it, add_columns_freed_by_parent adds it back after that drop.
    if (o && o->inherited && !c.inherited) return;
    std::string col = quote_ident(c.name);
    std::string what = qualified(t.id) + "." + col;
    if (!o || o->generated != c.generated) {
        if (o)
            add(tables_, alter + " DROP COLUMN " + col, {}, "column", what,
                {hazard::deletes_data, hazard::access_exclusive});
        std::vector<std::string> hazards{hazard::access_exclusive};
        if (c.generated) hazards.push_back(hazard::rewrites_table);
        if (c.not_null && !c.default_expr && !c.identity && !c.generated)
            hazards.push_back(hazard::can_fail);
        add(tables_, alter + " ADD COLUMN " + column_sql(c), alter + " DROP COLUMN " + col,
            "column", what, hazards);
        if (!o && has_key(old))
            tables_.back().online_operation = online_form::add_column(t.id, c, volatility_);
        return;
    }
    if (of_rebuilt_enum(o->type) && o->type == c.type) {
        if (o->default_expr)
            add(tables_, alter + " ALTER COLUMN " + col + " DROP DEFAULT", {}, "column", what);
        add(tables_,
            alter + " ALTER COLUMN " + col + " TYPE " + c.type + " USING " + col +
                "::text::" + c.type,
            {}, "column", what,
            {hazard::rewrites_table, hazard::access_exclusive, hazard::can_fail});
        if (c.default_expr)
            add(tables_, alter + " ALTER COLUMN " + col + " SET DEFAULT " + *c.default_expr, {},
                "column", what);
        return;
    }
    bool retype = o->type != c.type || o->collation != c.collation;
    // The default goes first when it is removed, or when the column is retyped (the
    // old default may not cast to the new type, and an identity cannot coexist with
    // one); the new default, if any, is set after the other changes.
    bool drop_default = o->default_expr && (!c.default_expr || retype);
    bool set_default = c.default_expr && (o->default_expr != c.default_expr || drop_default);
    const std::size_t first = tables_.size();
    if (drop_default)
        add(tables_, alter + " ALTER COLUMN " + col + " DROP DEFAULT",
            alter + " ALTER COLUMN " + col + " SET DEFAULT " + *o->default_expr, "column", what);
    opt_text retype_online;
    if (retype) {
        // The conversion the target declares, else a plain cast (diff_conversions.cpp).
        const retype_sql how = retype_expressions(t.id, c, *o);
        add(tables_,
            alter + " ALTER COLUMN " + col + " TYPE " + c.type +
                (c.collation ? " COLLATE " + *c.collation : "") + " USING " + how.up,
            how.down ? opt_text{alter + " ALTER COLUMN " + col + " TYPE " + o->type +
                                (o->collation ? " COLLATE " + *o->collation : "") + " USING " +
                                *how.down}
                     : opt_text{},
            "column", what,
            o->collation == c.collation && binary_coercible(o->type, c.type)
                ? std::vector<std::string>{hazard::access_exclusive}
                : std::vector<std::string>{hazard::rewrites_table, hazard::access_exclusive,
                                           hazard::can_fail});
        // The online form keeps the collation: a type change only, off the key.
        if (o->type != c.type && o->collation == c.collation && !c.identity && !c.generated &&
            has_key(old) && !in_key(old, c.name) && how.down)
            retype_online = online_form::alter_column(t.id, c.name, c.type, how.up, *how.down);
        // The operation carries the default over: the steps that drop it for the
        // plain ALTER, and set it again unchanged, are part of the change.
        online_form_of(tables_, first, retype_online);
    }
    if (c.identity && !o->identity && !o->not_null)
        add(tables_, alter + " ALTER COLUMN " + col + " SET NOT NULL",
            alter + " ALTER COLUMN " + col + " DROP NOT NULL", "column", what,
            {hazard::access_exclusive, hazard::can_fail});
    if (c.identity && !o->identity) drop_owned_sequences(t.id, c.name);
    if (o->identity != c.identity) {
        if (!c.identity)
            add(tables_, alter + " ALTER COLUMN " + col + " DROP IDENTITY", {}, "column", what);
        else if (!o->identity)
            add(tables_,
                alter + " ALTER COLUMN " + col + " ADD GENERATED " +
                    (*c.identity == "always" ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY",
                {}, "column", what);
        else
            add(tables_,
                alter + " ALTER COLUMN " + col + " SET GENERATED " +
                    (*c.identity == "always" ? "ALWAYS" : "BY DEFAULT"),
                {}, "column", what);
    }
    if (set_default) {
        add(tables_, alter + " ALTER COLUMN " + col + " SET DEFAULT " + *c.default_expr,
            alter + " ALTER COLUMN " + col +
                (drop_default || !o->default_expr ? " DROP DEFAULT"
                                                  : " SET DEFAULT " + *o->default_expr),
            "column", what);
        if (o->default_expr == c.default_expr) tables_.back().online_operation = retype_online;
    }
    bool old_not_null = o->not_null, new_not_null = c.not_null;
    if (old_not_null != new_not_null && !(c.identity && new_not_null)) {
        const std::size_t first_not_null = tables_.size();
        if (!new_not_null) {
            add(tables_, alter + " ALTER COLUMN " + col + " DROP NOT NULL",
                alter + " ALTER COLUMN " + col + " SET NOT NULL", "column", what);
        } else if (online_) {
            // A validated check lets SET NOT NULL skip its full-table scan under lock.
            std::string check = quote_ident(truncate_utf8(c.name, 40) + "_not_null");
            add(tables_,
                alter + " ADD CONSTRAINT " + check + " CHECK (" + col + " IS NOT NULL) NOT VALID",
                {}, "column", what);
            add(tables_, alter + " VALIDATE CONSTRAINT " + check, {}, "column", what,
                {hazard::can_fail});
            add(tables_, alter + " ALTER COLUMN " + col + " SET NOT NULL",
                alter + " ALTER COLUMN " + col + " DROP NOT NULL", "column", what,
                {hazard::access_exclusive});
            add(tables_, alter + " DROP CONSTRAINT " + check, {}, "column", what);
        } else {
            add(tables_, alter + " ALTER COLUMN " + col + " SET NOT NULL",
                alter + " ALTER COLUMN " + col + " DROP NOT NULL", "column", what,
                {hazard::access_exclusive, hazard::can_fail});
        }
        if (new_not_null && !t.partitioned)
            online_form_of(tables_, first_not_null, online_form::set_not_null(t.id, c.name));
    }
}

// A column becoming an identity column first loses the sequence it owned (a serial's), so
// the identity's own sequence can take the usual name.
void diff_planner::drop_owned_sequences(const qualified_name& table, const std::string& column) {
    for (const auto& s : from_.sequences)
        if (s.owned_by && s.owned_by->first == table && s.owned_by->second == column &&
            !find_id(to_.sequences, s.id)) {
            add(tables_, "DROP SEQUENCE " + qualified(s.id),
                "CREATE SEQUENCE " + qualified(s.id) + sequence_options(s), "sequence",
                qualified(s.id));
            dropped_sequences_.insert(s.id);
        }
}

// An existing table leaves its old partitioned parent or inheritance parents first, before
// any change to a parent could cascade to it. DETACH and NO INHERIT keep the rows and make
// the columns the table's own.
void diff_planner::leave_parents(const table_def& old, const table_def& t) {
    const std::string name = qualified(t.id);
    if (old.partition_of && old.partition_of != t.partition_of) {
        // Not CONCURRENTLY: that form leaves a CHECK constraint copying the bound behind,
        // under a name of the server's choosing, and is refused next to a default partition.
        const std::string parent = qualified({old.partition_of->schema, old.partition_of->table});
        add(early_, "ALTER TABLE " + parent + " DETACH PARTITION " + name,
            "ALTER TABLE " + parent + " ATTACH PARTITION " + name + " " + old.partition_of->bound,
            "table", name, {hazard::access_exclusive});
    }
    // NO INHERIT cannot be undone exactly when columns came only from the parent: INHERIT
    // leaves them the table's own.
    bool has_inherited_columns = std::any_of(old.columns.begin(), old.columns.end(),
                                             [](const column_def& c) { return c.inherited; });
    for (const auto& parent : old.inherits)
        if (std::find(t.inherits.begin(), t.inherits.end(), parent) == t.inherits.end())
            add(early_, "ALTER TABLE " + name + " NO INHERIT " + qualified(parent),
                has_inherited_columns
                    ? opt_text{}
                    : opt_text{"ALTER TABLE " + name + " INHERIT " + qualified(parent)},
                "table", name, {hazard::access_exclusive});
}

// An existing table becomes a partition (ATTACH scans it for rows outside the bound) or
// starts inheriting (its columns stay its own, so the document must not ask for columns
// that come only from the parent: that needs the table created anew).
void diff_planner::join_parents(const table_def& old, const table_def& t) {
    const std::string name = qualified(t.id);
    if (t.partition_of && old.partition_of != t.partition_of) {
        const qualified_name parent_id{t.partition_of->schema, t.partition_of->table};
        const std::string parent = qualified(parent_id);
        // DETACH undoes ATTACH only when the parent has no index: the partition keeps the
        // indexes ATTACH built on it.
        const table_def* p = to_table(parent_id);
        bool indexed =
            p &&
            (!p->indexes.empty() ||
             std::any_of(p->constraints.begin(), p->constraints.end(), [](const constraint_def& c) {
                 return c.type == "primary key" || c.type == "unique" || c.type == "exclusion";
             }));
        add(tables_,
            "ALTER TABLE " + parent + " ATTACH PARTITION " + name + " " + t.partition_of->bound,
            indexed ? opt_text{} : opt_text{"ALTER TABLE " + parent + " DETACH PARTITION " + name},
            "table", name, {hazard::access_exclusive, hazard::can_fail});
    }
    bool new_parent = false;
    for (const auto& parent : t.inherits)
        if (std::find(old.inherits.begin(), old.inherits.end(), parent) == old.inherits.end()) {
            new_parent = true;
            add(tables_, "ALTER TABLE " + name + " INHERIT " + qualified(parent),
                "ALTER TABLE " + name + " NO INHERIT " + qualified(parent), "table", name,
                {hazard::access_exclusive});
        }
    if (new_parent)
        for (const auto& c : t.columns) {
            const column_def* o = find_named(old.columns, c.name);
            if (c.inherited && o && !o->inherited)
                unsupported("column " + quote_ident(c.name) + " becoming inherited-only", name);
        }
}

void diff_planner::add_constraint(const table_def& t, const constraint_def& c) {
    std::string alter = "ALTER TABLE " + qualified(t.id);
    std::string name = quote_ident(c.name);
    std::string what = name + " ON " + qualified(t.id);
    std::string drop = alter + " DROP CONSTRAINT " + name;
    bool existing_table = from_table(t.id) != nullptr;
    // A partitioned table takes neither a concurrent index build nor NOT VALID keys.
    bool online = online_ && existing_table && !t.partitioned;
    const std::size_t first = keys_.size();
    opt_text operation =
        existing_table && !t.partitioned ? online_form::add_constraint(t.id, c) : opt_text{};
    if (online && is_simple_key(c)) {
        // Build the index without blocking writes, then attach it as the constraint.
        std::string columns = c.definition.substr(c.definition.find('('));
        add(keys_,
            "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + qualified(t.id) +
                " USING btree " + columns,
            "DROP INDEX IF EXISTS " + qualified({t.id.schema, c.name}), "index",
            qualified({t.id.schema, c.name}), {hazard::builds_index, hazard::can_fail}, false);
        add(keys_,
            alter + " ADD CONSTRAINT " + name +
                (c.type == "primary key" ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + name,
            drop, "constraint", what, {hazard::access_exclusive});
        online_form_of(keys_, first, operation);
        return;
    }
    bool validate_later = online && c.valid && (c.type == "foreign key" || c.type == "check");
    std::string definition = c.definition;
    if (validate_later) definition += " NOT VALID";
    // A foreign key takes SHARE ROW EXCLUSIVE on both tables (writes wait, reads go on); the
    // glue's classifier, which sees which tables are new, has the last word.
    std::vector<std::string> hazards{c.type == "foreign key" ? hazard::blocks_writes
                                                             : hazard::access_exclusive};
    if (!validate_later && existing_table && c.valid) hazards.push_back(hazard::can_fail);
    if (c.type == "primary key" || c.type == "unique" || c.type == "exclusion")
        hazards.push_back(hazard::builds_index);
    add(keys_, alter + " ADD CONSTRAINT " + name + " " + definition, drop, "constraint", what,
        hazards);
    if (validate_later)
        add(keys_, alter + " VALIDATE CONSTRAINT " + name, {}, "constraint", what,
            {hazard::can_fail});
    online_form_of(keys_, first, operation);
}

// Whether a table has a primary key (an online backfill walks it), and whether `column` is
// part of it.
const constraint_def* diff_planner::primary_key(const table_def& t) {
    for (const auto& c : t.constraints)
        if (c.type == "primary key" && is_simple_key(c)) return &c;
    return nullptr;
}
bool diff_planner::has_key(const table_def& t) {
    return !t.partitioned && primary_key(t);
}
bool diff_planner::in_key(const table_def& t, const std::string& column) {
    const constraint_def* key = primary_key(t);
    const std::string& d = key->definition;
    std::string columns = ", " + d.substr(d.find('(') + 1, d.size() - d.find('(') - 2) + ",";
    return columns.find(" " + column + ",") != std::string::npos ||
           columns.find(" " + quote_ident(column) + ",") != std::string::npos;
}

void diff_planner::create_indexes(const qualified_name& owner,
                                  const std::vector<index_def>& indexes,
                                  const std::vector<index_def>* old,
                                  std::vector<diff_step>* group) {
    for (const auto& i : indexes) {
        const index_def* o = old ? find_named(*old, i.name) : nullptr;
        if (rebuilt_indexes_.count({owner, i.name})) o = nullptr;  // dropped above
        if (o && o->definition == i.definition) continue;
        std::string name = qualified({owner.schema, i.name});
        const table_def* table = to_table(owner);
        // A new table or view has no rows to wait for; a partitioned table cannot build
        // its index concurrently.
        bool concurrent = online_ && old != nullptr && !(table && table->partitioned);
        auto& steps = group ? *group : keys_;
        // A plain build takes SHARE on an existing table: writes wait until the end of the
        // transaction, reads go on. Nobody else sees a table created in the same diff.
        std::vector<std::string> hazards{hazard::builds_index};
        if (!concurrent && old) hazards.insert(hazards.begin(), hazard::blocks_writes);
        add(steps, concurrent ? concurrently(index_sql(i.definition)) : index_sql(i.definition),
            "DROP INDEX " + name, "index", name, hazards, !concurrent);
        // A new index on an existing table (not one rebuilt or redefined).
        if (old && table && !table->partitioned && !o && !find_named(*old, i.name))
            steps.back().online_operation = online_form::create_index(owner, i);
    }
}

}  // namespace ender::engine::diff_detail
