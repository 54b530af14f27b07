// The schema diff (see diff.hpp). Steps come out in five groups, each ordered by the
// dependencies the documents record (view dependencies, partition and inheritance parents,
// foreign keys after the keys they reference):
//   1. drops of what depends on changing objects (triggers, policies, views, constraints,
//      indexes, functions whose result changes) and of removed tables;
//   2. creation of schemas, extensions and types, sequences, functions;
//   3. tables: creation, then column changes, then constraints and indexes;
//   4. views, triggers, policies, table settings, ownerships, comments, privileges;
//   5. removal of what nothing uses any more (functions, sequences, types, schemas...).
#include "diff.hpp"

#include "error.hpp"
#include "online_forms.hpp"
#include "privileges.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace ender::engine {

std::string qualified(const qualified_name& n) {
    return quote_ident(n.schema) + "." + quote_ident(n.name);
}

namespace {

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

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
    for (const auto& item : items)
        if (item.name == name) return &item;
    return nullptr;
}

// The first `bytes` bytes of `s`, cut back to a whole UTF-8 character.
std::string truncate_utf8(const std::string& s, std::size_t bytes) {
    if (s.size() <= bytes) return s;
    while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
    return s.substr(0, bytes);
}

std::string strip_semicolon(std::string s) {
    while (!s.empty() && (s.back() == ';' || s.back() == ' ' || s.back() == '\n')) s.pop_back();
    return s;
}

std::string comment_sql(const std::string& target, const opt_text& comment) {
    return "COMMENT ON " + target + " IS " + (comment ? quote_literal(*comment) : "NULL");
}

std::string function_signature(const function_def& f) {
    return qualified(f.id) + "(" + f.arguments + ")";
}

std::string function_kind_sql(const function_def& f) {
    return f.kind == "procedure" ? "PROCEDURE" : "FUNCTION";
}

// How GRANT names each kind of object.
grant_target schema_grant(const std::string& name) {
    return {"SCHEMA " + quote_ident(name), "", quote_ident(name)};
}
grant_target relation_grant(const qualified_name& id, const char* kind = "TABLE") {
    return {std::string(kind) + " " + qualified(id), "", qualified(id)};
}
grant_target column_grant(const qualified_name& table, const std::string& column) {
    return {"TABLE " + qualified(table), column, qualified(table) + "." + quote_ident(column)};
}
grant_target function_grant(const function_def& f) {
    return {function_kind_sql(f) + " " + function_signature(f), "", function_signature(f)};
}

// Two policies are the same whatever name the target says one had before.
bool same_policy(policy_def a, policy_def b) {
    a.renamed_from.reset();
    b.renamed_from.reset();
    return a == b;
}

std::string column_sql(const column_def& c) {
    std::string out = quote_ident(c.name) + " " + c.type;
    if (c.collation) out += " COLLATE " + *c.collation;
    if (c.generated) out += " GENERATED ALWAYS AS (" + *c.generated + ") STORED";
    if (c.identity)
        out += " GENERATED " + std::string(*c.identity == "always" ? "ALWAYS" : "BY DEFAULT") +
               " AS IDENTITY";
    if (c.default_expr) out += " DEFAULT " + *c.default_expr;
    if (c.not_null && !c.identity) out += " NOT NULL";
    return out;
}

std::string enabled_sql(const std::string& enabled) {
    if (enabled == "disabled") return "DISABLE";
    if (enabled == "replica") return "ENABLE REPLICA";
    if (enabled == "always") return "ENABLE ALWAYS";
    return "ENABLE";
}

std::string policy_sql(const qualified_name& table, const policy_def& p) {
    std::string out = "CREATE POLICY " + quote_ident(p.name) + " ON " + qualified(table) + " AS " +
                      (p.permissive ? "PERMISSIVE" : "RESTRICTIVE") + " FOR ";
    std::string command = p.command;
    for (char& ch : command) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out += command + " TO ";
    for (std::size_t i = 0; i < p.roles.size(); ++i)
        out += (i ? ", " : "") +
               (p.roles[i] == "public" ? std::string("PUBLIC") : quote_ident(p.roles[i]));
    if (p.roles.empty()) out += "PUBLIC";
    if (p.using_expr) out += " USING (" + *p.using_expr + ")";
    if (p.with_check) out += " WITH CHECK (" + *p.with_check + ")";
    return out;
}

std::string create_view_sql(const view_def& v) {
    std::string out = std::string("CREATE ") + (v.materialized ? "MATERIALIZED " : "") + "VIEW " +
                      qualified(v.id);
    if (!v.options.empty()) {
        out += " WITH (";
        for (std::size_t i = 0; i < v.options.size(); ++i) out += (i ? ", " : "") + v.options[i];
        out += ")";
    }
    return out + " AS\n" + strip_semicolon(v.definition);
}

std::string drop_view_sql(const view_def& v) {
    return std::string("DROP ") + (v.materialized ? "MATERIALIZED " : "") + "VIEW " +
           qualified(v.id);
}

std::string sequence_options(const sequence_def& s) {
    return " AS " + s.type + " INCREMENT BY " + std::to_string(s.increment) + " MINVALUE " +
           std::to_string(s.min) + " MAXVALUE " + std::to_string(s.max) + " START WITH " +
           std::to_string(s.start) + " CACHE " + std::to_string(s.cache) +
           (s.cycle ? " CYCLE" : " NO CYCLE");
}

std::string enum_sql(const enum_def& e) {
    std::string out = "CREATE TYPE " + qualified(e.id) + " AS ENUM (";
    for (std::size_t i = 0; i < e.labels.size(); ++i)
        out += (i ? ", " : "") + quote_literal(e.labels[i]);
    return out + ")";
}

std::string domain_sql(const domain_def& d) {
    std::string out = "CREATE DOMAIN " + qualified(d.id) + " AS " + d.type;
    if (d.collation) out += " COLLATE " + *d.collation;
    if (d.default_expr) out += " DEFAULT " + *d.default_expr;
    if (d.not_null) out += " NOT NULL";
    for (const auto& c : d.constraints) {
        if (!c.valid) continue;  // CREATE DOMAIN takes no NOT VALID: added after, below
        out += " CONSTRAINT " + quote_ident(c.name) + " " + c.definition;
    }
    for (const auto& c : d.constraints)
        if (!c.valid)
            out += ";\nALTER DOMAIN " + qualified(d.id) + " ADD CONSTRAINT " + quote_ident(c.name) +
                   " " + c.definition;
    return out;
}

std::string composite_sql(const composite_def& c) {
    std::string out = "CREATE TYPE " + qualified(c.id) + " AS (";
    for (std::size_t i = 0; i < c.attributes.size(); ++i) {
        const auto& a = c.attributes[i];
        out += (i ? ", " : "") + quote_ident(a.name) + " " + a.type;
        if (a.collation) out += " COLLATE " + *a.collation;
    }
    return out + ")";
}

std::string create_table_sql(const table_def& t) {
    std::string out =
        std::string("CREATE ") + (t.unlogged ? "UNLOGGED " : "") + "TABLE " + qualified(t.id);
    if (t.partition_of) {
        out += " PARTITION OF " + qualified({t.partition_of->schema, t.partition_of->table}) + " " +
               t.partition_of->bound;
    } else {
        out += " (";
        bool first = true;
        for (const auto& c : t.columns) {
            if (c.inherited) continue;  // comes from the parent
            out += std::string(first ? "\n    " : ",\n    ") + column_sql(c);
            first = false;
        }
        out += "\n)";
        if (!t.inherits.empty()) {
            out += " INHERITS (";
            for (std::size_t i = 0; i < t.inherits.size(); ++i)
                out += (i ? ", " : "") + qualified(t.inherits[i]);
            out += ")";
        }
    }
    if (t.partition_key) out += " PARTITION BY " + *t.partition_key;
    return out;
}

// An index definition to run: pg_get_indexdef writes "ON ONLY" for a partitioned table's
// index, which would build nothing on the partitions; without it they get theirs.
std::string index_sql(std::string definition) {
    auto at = definition.find(" ON ONLY ");
    if (at != std::string::npos) definition.replace(at, 9, " ON ");
    return definition;
}

// "CREATE [UNIQUE] INDEX name ON ..." as "CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...".
std::string index_sql(std::string definition);

std::string concurrently(const std::string& index_definition) {
    for (const char* prefix : {"CREATE UNIQUE INDEX ", "CREATE INDEX "}) {
        std::string p(prefix);
        if (index_definition.compare(0, p.size(), p) == 0)
            return p + "CONCURRENTLY " + index_definition.substr(p.size());
    }
    return index_definition;
}

class planner {
public:
    planner(const snapshot& from, const snapshot& to, const diff_options& options)
        : from_(from), to_(to), online_(options.online) {}

    std::vector<diff_step> run() {
        analyse();
        drop_dependents();
        create_types_and_functions();
        change_tables();
        create_views_and_dependents();
        grant_and_revoke();
        remove_unused();
        std::vector<diff_step> out;
        for (auto* group : {&drops_, &early_, &tables_, &keys_, &late_, &final_})
            for (auto& s : *group) out.push_back(std::move(s));
        return out;
    }

private:
    const snapshot& from_;
    const snapshot& to_;
    bool online_;
    std::vector<diff_step> drops_, early_, tables_, keys_, late_, final_;
    std::set<qualified_name> rebuilt_views_;   // dropped and created again
    std::set<qualified_name> changed_tables_;  // a column dropped or retyped
    std::set<qualified_name> dropped_tables_, dropped_sequences_;
    std::set<std::pair<qualified_name, std::string>> dropped_functions_;     // removed or recreated
    std::set<std::pair<qualified_name, std::string>> rebuilt_foreign_keys_;  // table, constraint
    std::set<std::pair<qualified_name, std::string>> unbound_defaults_;      // table, column
    std::set<std::pair<qualified_name, std::string>>
        early_dropped_functions_;                                       // name, argument types
    std::set<std::pair<qualified_name, std::string>> rebuilt_indexes_;  // table, index
    std::set<qualified_name> rebuilt_enums_;
    // Whether a column or domain type (or an array of it) is an enum being rebuilt.
    bool of_rebuilt_enum(const std::string& type) const {
        auto named = named_type(type);
        return named && rebuilt_enums_.count(*named);
    }

    static std::string old_enum_name(const qualified_name& e) {
        return truncate_utf8(e.name, 50) + "__ender_old";
    }

    static std::pair<qualified_name, std::string> key(const function_def& f) {
        return {f.id, f.argument_types};
    }
    const function_def* to_function(const function_def& f) const {
        for (const auto& g : to_.functions)
            if (key(g) == key(f)) return &g;
        return nullptr;
    }
    const function_def* from_function(const function_def& f) const {
        for (const auto& g : from_.functions)
            if (key(g) == key(f)) return &g;
        return nullptr;
    }
    // A function that cannot be replaced in place: its result or argument names change.
    static bool must_recreate(const function_def& a, const function_def& b) {
        return a.result != b.result || a.arguments != b.arguments || a.kind != b.kind;
    }
    // Whether a trigger's definition calls a function that is dropped.
    bool calls_dropped_function(const std::string& definition) const {
        for (const auto& [id, types] : dropped_functions_)
            if (definition.find(id.schema + "." + id.name + "(") != std::string::npos) return true;
        return false;
    }

    // `create` followed by the GRANTs and REVOKEs that give the new object `privileges`, when
    // the live snapshot lists them (the reverse of a drop).
    std::string with_privileges(const std::string& create, const grant_target& target,
                                const privilege_list& privileges) const {
        if (!from_.privileges) return create;
        std::string grants = restore_privileges(target, privileges);
        return grants.empty() ? create : strip_semicolon(create) + ";\n" + strip_semicolon(grants);
    }

    void add(std::vector<diff_step>& group, std::string sql, opt_text reverse, std::string kind,
             std::string name, std::vector<std::string> hazards = {}, bool in_transaction = true) {
        group.push_back({std::move(sql),
                         std::move(reverse),
                         std::move(kind),
                         std::move(name),
                         std::move(hazards),
                         in_transaction,
                         {}});
    }

    // Gives the steps of `group` from `first` on (one change) its online operation, if any.
    static void online_form_of(std::vector<diff_step>& group, std::size_t first,
                               const opt_text& operation) {
        for (std::size_t i = first; i < group.size(); ++i) group[i].online_operation = operation;
    }

    struct name_hash {
        std::size_t operator()(const qualified_name& n) const {
            std::size_t h = std::hash<std::string>{}(n.schema);
            return h ^
                   (std::hash<std::string>{}(n.name) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
        }
    };
    // Hash indexes of the documents' long lists, by list, built on first use.
    mutable std::unordered_map<const void*,
                               std::unordered_map<qualified_name, const void*, name_hash>>
        id_indexes_;

    // The item of `items` whose id is `id`, or nullptr. Long lists are looked up through a hash
    // index: linear lookups made the diff of a 2,000-table schema quadratic.
    template <typename T>
    const T* find_id(const std::vector<T>& items, const qualified_name& id) const {
        if (items.size() < 16) {
            for (const auto& item : items)
                if (item.id == id) return &item;
            return nullptr;
        }
        auto& index = id_indexes_[&items];
        if (index.empty())
            for (const auto& item : items)
                index.emplace(item.id, &item);  // the first of equal ids, as a scan finds
        auto it = index.find(id);
        return it == index.end() ? nullptr : static_cast<const T*>(it->second);
    }

    const table_def* from_table(const qualified_name& id) const {
        return find_id(from_.tables, id);
    }
    const table_def* to_table(const qualified_name& id) const { return find_id(to_.tables, id); }
    const view_def* to_view(const qualified_name& id) const { return find_id(to_.views, id); }

    // Which tables lose or retype columns, and so which views must be rebuilt around them.
    void analyse() {
        for (const auto& t : from_.tables) {
            const table_def* target = to_table(t.id);
            if (!target) {
                dropped_tables_.insert(t.id);
                continue;
            }
            for (const auto& c : t.columns) {
                const column_def* d = find_named(target->columns, c.name);
                if (!d || d->type != c.type || d->collation != c.collation ||
                    d->generated != c.generated)
                    changed_tables_.insert(t.id);
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
                    changed_tables_.insert(t.id);
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
                const constraint_def* d =
                    target ? find_named(target->constraints, c.name) : nullptr;
                if (!d || d->definition != c.definition) rekeyed.insert(t.id);
            }
        }
        for (const auto& t : from_.tables)
            for (const auto& c : t.constraints)
                if (c.type == "foreign key" && c.references && rekeyed.count(*c.references) &&
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
                if (changed_tables_.count(dep) || dropped_tables_.count(dep))
                    rebuilt_views_.insert(v.id);
        }
        // Views over rebuilt views are rebuilt too.
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto& v : from_.views)
                if (!rebuilt_views_.count(v.id))
                    for (const auto& dep : v.depends_on)
                        if (rebuilt_views_.count(dep) && rebuilt_views_.insert(v.id).second)
                            grew = true;
        }
    }

    void drop_dependents() {
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
                        policy_sql(t.id, p), "policy",
                        quote_ident(p.name) + " ON " + qualified(t.id));
            }
        }
        for (const auto& v : from_.views)
            if (const view_def* target = to_view(v.id); target && !rebuilt_views_.count(v.id))
                drop_triggers(v.id, v.triggers, target->triggers);
        // Views, dependents first.
        std::set<qualified_name> pending = rebuilt_views_;
        while (!pending.empty()) {
            bool progress = false;
            for (const auto& v : from_.views) {
                if (!pending.count(v.id)) continue;
                bool needed = false;
                for (const auto& other : from_.views)
                    if (pending.count(other.id) && other.id != v.id &&
                        std::find(other.depends_on.begin(), other.depends_on.end(), v.id) !=
                            other.depends_on.end())
                        needed = true;
                if (needed) continue;
                std::string recreate = create_view_sql(v);
                for (const auto& i : v.indexes) recreate += ";\n" + i.definition;
                for (const auto& g : v.triggers) recreate += ";\n" + g.definition;
                if (v.comment)
                    recreate +=
                        ";\n" +
                        comment_sql(std::string(v.materialized ? "MATERIALIZED VIEW " : "VIEW ") +
                                        qualified(v.id),
                                    v.comment);
                for (const auto& [column, comment] : v.column_comments)
                    if (comment)
                        recreate += ";\n" + comment_sql("COLUMN " + qualified(v.id) + "." +
                                                            quote_ident(column),
                                                        comment);
                recreate = with_privileges(recreate, relation_grant(v.id), v.privileges);
                add(drops_, drop_view_sql(v), recreate,
                    v.materialized ? "materialized view" : "view", qualified(v.id),
                    {hazard::access_exclusive});
                pending.erase(v.id);
                progress = true;
            }
            if (!progress) throw error(sqlstate::internal_error, "view dependencies form a cycle");
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
                        d->deferred == c.deferred &&
                        (d->valid == c.valid || (d->valid && !c.valid)) &&
                        !rebuilt_foreign_keys_.count({t.id, c.name}))
                        continue;  // unchanged, or only to be validated (done later)
                    add(drops_,
                        "ALTER TABLE " + qualified(t.id) + " DROP CONSTRAINT " +
                            quote_ident(c.name),
                        "ALTER TABLE " + qualified(t.id) + " ADD CONSTRAINT " +
                            quote_ident(c.name) + " " + c.definition,
                        "constraint", quote_ident(c.name) + " ON " + qualified(t.id),
                        {hazard::access_exclusive});
                }
            }
        auto drop_indexes = [&](const qualified_name& owner, const std::vector<index_def>& indexes,
                                const std::vector<index_def>* target) {
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
            }
        };
        for (const auto& t : from_.tables)
            if (!dropped_tables_.count(t.id)) {
                bool saved = online_;
                online_ = online_ && !t.partitioned;  // no DROP INDEX CONCURRENTLY there
                drop_indexes(t.id, t.indexes, &to_table(t.id)->indexes);
                online_ = saved;
            }
        for (const auto& v : from_.views)
            if (v.materialized && !rebuilt_views_.count(v.id))
                drop_indexes(v.id, v.indexes, &to_view(v.id)->indexes);
        for (const auto& [table, column] : unbound_defaults_) {
            const column_def* c = find_named(find_id(from_.tables, table)->columns, column);
            std::string alter =
                "ALTER TABLE " + qualified(table) + " ALTER COLUMN " + quote_ident(column);
            add(drops_, alter + " DROP DEFAULT", alter + " SET DEFAULT " + *c->default_expr,
                "column", qualified(table) + "." + quote_ident(column));
        }
        // A removed function goes here, not last, when a new overload of its name comes: a
        // default set again by name would otherwise be ambiguous between the two.
        for (const auto& f : from_.functions) {
            if (to_function(f) || unbound_defaults_.empty()) continue;
            bool overloaded = std::any_of(
                to_.functions.begin(), to_.functions.end(),
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

    void create_types_and_functions() {
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
                    "ALTER EXTENSION " + quote_ident(e.name) + " UPDATE TO " +
                        quote_literal(e.version),
                    "ALTER EXTENSION " + quote_ident(e.name) + " UPDATE TO " +
                        quote_literal(old->version),
                    "extension", quote_ident(e.name));
            if (old && old->schema != e.schema)
                add(early_,
                    "ALTER EXTENSION " + quote_ident(e.name) + " SET SCHEMA " +
                        quote_ident(e.schema),
                    {}, "extension", quote_ident(e.name));
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
                    "ALTER TYPE " + qualified(e.id) + " RENAME TO " +
                        quote_ident(old_enum_name(e.id)),
                    "ALTER TYPE " + qualified({e.id.schema, old_enum_name(e.id)}) + " RENAME TO " +
                        quote_ident(e.id.name),
                    "type", qualified(e.id));
                add(early_, enum_sql(e), "DROP TYPE " + qualified(e.id), "type", qualified(e.id));
                continue;
            }
            for (std::size_t i = 0; i < e.labels.size(); ++i) {
                if (std::find(old->labels.begin(), old->labels.end(), e.labels[i]) !=
                    old->labels.end())
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
                add(early_, domain_sql(d), "DROP DOMAIN " + qualified(d.id), "domain",
                    qualified(d.id));
                continue;
            }
            if (old->type != d.type || old->collation != d.collation)
                unsupported("the base type", qualified(d.id));
            std::string alter = "ALTER DOMAIN " + qualified(d.id);
            if (old->default_expr != d.default_expr)
                add(early_,
                    alter + (d.default_expr ? " SET DEFAULT " + *d.default_expr : " DROP DEFAULT"),
                    {}, "domain", qualified(d.id));
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
                std::any_of(d.constraints.begin(), d.constraints.end(),
                            [&](const constraint_def& c) {
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
                    add(early_,
                        alter + " ADD CONSTRAINT " + quote_ident(c.name) + " " + c.definition, {},
                        "domain", qualified(d.id), {hazard::can_fail});
            }
        }
        for (const auto& c : to_.composite_types) {
            const composite_def* old = find_id(from_.composite_types, c.id);
            if (!old) {
                add(early_, composite_sql(c), "DROP TYPE " + qualified(c.id), "type",
                    qualified(c.id));
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
                        "ALTER TYPE " + qualified(c.id) + " DROP ATTRIBUTE " + quote_ident(a.name),
                        {}, "type", qualified(c.id), {hazard::deletes_data});
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
                        "ALTER TYPE " + qualified(c.id) + " ALTER ATTRIBUTE " +
                            quote_ident(a.name) + " TYPE " + a.type +
                            (a.collation ? " COLLATE " + *a.collation : ""),
                        {}, "type", qualified(c.id));
                }
            }
        }
        for (const auto& s : to_.sequences) {
            const sequence_def* old = find_id(from_.sequences, s.id);
            if (!old)
                add(early_, "CREATE SEQUENCE " + qualified(s.id) + sequence_options(s),
                    "DROP SEQUENCE " + qualified(s.id), "sequence", qualified(s.id));
            else if (old->type != s.type || old->start != s.start ||
                     old->increment != s.increment || old->min != s.min || old->max != s.max ||
                     old->cache != s.cache || old->cycle != s.cycle)
                add(early_, "ALTER SEQUENCE " + qualified(s.id) + sequence_options(s),
                    "ALTER SEQUENCE " + qualified(s.id) + sequence_options(*old), "sequence",
                    qualified(s.id));
        }
        // Functions before the tables whose defaults and checks may call them; their bodies
        // are checked when they run (as pg_dump does), not against tables created later.
        for (const auto& f : to_.functions) {
            const function_def* old = from_function(f);
            if (old && must_recreate(*old, f)) old = nullptr;  // dropped above
            if (old && old->definition == f.definition) continue;
            std::string reverse =
                old ? old->definition
                    : "DROP " + function_kind_sql(f) + " " + function_signature(f);
            add(early_, "SET LOCAL check_function_bodies = off;\n" + strip_semicolon(f.definition),
                reverse, f.kind == "procedure" ? "procedure" : "function", function_signature(f));
        }
    }

    void change_tables() {
        // New tables: parents before partitions and children, at any depth (sub-partitions).
        std::map<qualified_name, int> depth;
        std::function<int(const table_def&)> depth_of = [&](const table_def& t) {
            if (auto known = depth.find(t.id); known != depth.end()) return known->second;
            depth[t.id] = 0;  // a cycle (impossible in a catalog) cannot recurse forever
            std::vector<qualified_name> parents = t.inherits;
            if (t.partition_of) parents.push_back({t.partition_of->schema, t.partition_of->table});
            int d = 0;
            for (const auto& p : parents)
                if (const table_def* parent = to_table(p)) d = std::max(d, depth_of(*parent) + 1);
            return depth[t.id] = d;
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

        for (const auto& t : to_.tables) {
            const table_def* old = from_table(t.id);
            if (!old) continue;
            if (old->partition_key != t.partition_key)
                unsupported("the partition key", qualified(t.id));
            leave_parents(*old, t);
            std::string alter = "ALTER TABLE " + qualified(t.id);
            if (old->unlogged != t.unlogged)
                add(tables_, alter + (t.unlogged ? " SET UNLOGGED" : " SET LOGGED"), {}, "table",
                    qualified(t.id), {hazard::rewrites_table, hazard::access_exclusive});
            for (const auto& c : t.columns) {
                if (c.inherited) continue;  // changed on the parent
                const column_def* o = find_named(old->columns, c.name);
                column_def unbound;  // the column once its default was dropped (see analyse)
                if (o && unbound_defaults_.count({t.id, c.name})) {
                    unbound = *o;
                    unbound.default_expr.reset();
                    o = &unbound;
                }
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
                    add(tables_, alter + " ADD COLUMN " + column_sql(c),
                        alter + " DROP COLUMN " + col, "column", what, hazards);
                    if (!o && has_key(*old))
                        tables_.back().online_operation = online_form::add_column(t.id, c);
                    continue;
                }
                if (of_rebuilt_enum(o->type) && o->type == c.type) {
                    if (o->default_expr)
                        add(tables_, alter + " ALTER COLUMN " + col + " DROP DEFAULT", {}, "column",
                            what);
                    add(tables_,
                        alter + " ALTER COLUMN " + col + " TYPE " + c.type + " USING " + col +
                            "::text::" + c.type,
                        {}, "column", what,
                        {hazard::rewrites_table, hazard::access_exclusive, hazard::can_fail});
                    if (c.default_expr)
                        add(tables_,
                            alter + " ALTER COLUMN " + col + " SET DEFAULT " + *c.default_expr, {},
                            "column", what);
                    continue;
                }
                bool retype = o->type != c.type || o->collation != c.collation;
                // The default goes first when it is removed, or when the column is retyped (the
                // old default may not cast to the new type, and an identity cannot coexist with
                // one); the new default, if any, is set after the other changes.
                bool drop_default = o->default_expr && (!c.default_expr || retype);
                bool set_default =
                    c.default_expr && (o->default_expr != c.default_expr || drop_default);
                const std::size_t first = tables_.size();
                if (drop_default)
                    add(tables_, alter + " ALTER COLUMN " + col + " DROP DEFAULT",
                        alter + " ALTER COLUMN " + col + " SET DEFAULT " + *o->default_expr,
                        "column", what);
                opt_text retype_online;
                if (retype) {
                    add(tables_,
                        alter + " ALTER COLUMN " + col + " TYPE " + c.type +
                            (c.collation ? " COLLATE " + *c.collation : "") + " USING " + col +
                            "::" + c.type,
                        alter + " ALTER COLUMN " + col + " TYPE " + o->type +
                            (o->collation ? " COLLATE " + *o->collation : "") + " USING " + col +
                            "::" + o->type,
                        "column", what,
                        {hazard::rewrites_table, hazard::access_exclusive, hazard::can_fail});
                    // The online form keeps the collation: a type change only, off the key.
                    if (o->type != c.type && o->collation == c.collation && !c.identity &&
                        !c.generated && has_key(*old) && !in_key(*old, c.name))
                        retype_online = online_form::alter_column(t.id, c.name, c.type, o->type);
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
                        add(tables_, alter + " ALTER COLUMN " + col + " DROP IDENTITY", {},
                            "column", what);
                    else if (!o->identity)
                        add(tables_,
                            alter + " ALTER COLUMN " + col + " ADD GENERATED " +
                                (*c.identity == "always" ? "ALWAYS" : "BY DEFAULT") +
                                " AS IDENTITY",
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
                    if (o->default_expr == c.default_expr)
                        tables_.back().online_operation = retype_online;
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
                            alter + " ADD CONSTRAINT " + check + " CHECK (" + col +
                                " IS NOT NULL) NOT VALID",
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
                        online_form_of(tables_, first_not_null,
                                       online_form::set_not_null(t.id, c.name));
                }
            }
            // ADD COLUMN puts a column back last (and empty): the reverse of a drop exists only
            // for the last column, where it restores the table's shape.
            for (const auto& o : old->columns)
                if (!o.inherited && !find_named(t.columns, o.name))
                    add(tables_, alter + " DROP COLUMN " + quote_ident(o.name),
                        &o == &old->columns.back()
                            ? opt_text{alter + " ADD COLUMN " + column_sql(o)}
                            : opt_text{},
                        "column", qualified(t.id) + "." + quote_ident(o.name),
                        {hazard::deletes_data, hazard::access_exclusive});
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
                    bool same = o && o->definition == c.definition &&
                                o->deferrable == c.deferrable && o->deferred == c.deferred;
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

    // A kept table column (as "table.column") whose type is `type` or an array of it.
    std::optional<std::string> stored_column(const qualified_name& type) const {
        for (const auto& t : from_.tables)
            if (!dropped_tables_.count(t.id))
                for (const auto& c : t.columns)
                    if (!c.inherited && named_type(c.type) == type)
                        return qualified(t.id) + "." + quote_ident(c.name);
        return std::nullopt;
    }
    // A kept table column storing a composite type with an attribute of type `type`.
    std::optional<std::string> stored_inside_composite(const qualified_name& type) const {
        for (const auto& c : from_.composite_types)
            for (const auto& a : c.attributes)
                if (named_type(a.type) == type)
                    if (auto column = stored_column(c.id)) return column;
        return std::nullopt;
    }

    // Triggers of a kept table or view that go or change are dropped before anything else.
    void drop_triggers(const qualified_name& owner, const std::vector<trigger_def>& triggers,
                       const std::vector<trigger_def>& target) {
        for (const auto& g : triggers) {
            const trigger_def* d = find_named(target, g.name);
            if (!d || d->definition != g.definition || calls_dropped_function(g.definition))
                add(drops_, "DROP TRIGGER " + quote_ident(g.name) + " ON " + qualified(owner),
                    g.definition, "trigger", quote_ident(g.name) + " ON " + qualified(owner));
        }
    }

    // New and changed triggers of a table or view, and their enabled state (tables only: views'
    // triggers are always enabled), once what they call and watch exists.
    void create_triggers(const qualified_name& owner, const std::vector<trigger_def>& triggers,
                         const std::vector<trigger_def>* old) {
        for (const auto& g : triggers) {
            const trigger_def* o = old ? find_named(*old, g.name) : nullptr;
            if (o && calls_dropped_function(o->definition)) o = nullptr;  // dropped above
            std::string what = quote_ident(g.name) + " ON " + qualified(owner);
            if (!o || o->definition != g.definition)
                add(late_, g.definition,
                    "DROP TRIGGER " + quote_ident(g.name) + " ON " + qualified(owner), "trigger",
                    what);
            if ((!o || o->definition != g.definition) ? g.enabled != "origin"
                                                      : o->enabled != g.enabled)
                add(late_,
                    "ALTER TABLE " + qualified(owner) + " " + enabled_sql(g.enabled) + " TRIGGER " +
                        quote_ident(g.name),
                    {}, "trigger", what);
        }
    }

    // A column becoming an identity column first loses the sequence it owned (a serial's), so
    // the identity's own sequence can take the usual name.
    void drop_owned_sequences(const qualified_name& table, const std::string& column) {
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
    void leave_parents(const table_def& old, const table_def& t) {
        const std::string name = qualified(t.id);
        if (old.partition_of && old.partition_of != t.partition_of) {
            // Not CONCURRENTLY: that form leaves a CHECK constraint copying the bound behind,
            // under a name of the server's choosing, and is refused next to a default partition.
            const std::string parent =
                qualified({old.partition_of->schema, old.partition_of->table});
            add(early_, "ALTER TABLE " + parent + " DETACH PARTITION " + name,
                "ALTER TABLE " + parent + " ATTACH PARTITION " + name + " " +
                    old.partition_of->bound,
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
    void join_parents(const table_def& old, const table_def& t) {
        const std::string name = qualified(t.id);
        if (t.partition_of && old.partition_of != t.partition_of) {
            const qualified_name parent_id{t.partition_of->schema, t.partition_of->table};
            const std::string parent = qualified(parent_id);
            // DETACH undoes ATTACH only when the parent has no index: the partition keeps the
            // indexes ATTACH built on it.
            const table_def* p = to_table(parent_id);
            bool indexed = p && (!p->indexes.empty() ||
                                 std::any_of(p->constraints.begin(), p->constraints.end(),
                                             [](const constraint_def& c) {
                                                 return c.type == "primary key" ||
                                                        c.type == "unique" || c.type == "exclusion";
                                             }));
            add(tables_,
                "ALTER TABLE " + parent + " ATTACH PARTITION " + name + " " + t.partition_of->bound,
                indexed ? opt_text{}
                        : opt_text{"ALTER TABLE " + parent + " DETACH PARTITION " + name},
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

    void add_constraint(const table_def& t, const constraint_def& c) {
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
        std::vector<std::string> hazards{hazard::access_exclusive};
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
    static const constraint_def* primary_key(const table_def& t) {
        for (const auto& c : t.constraints)
            if (c.type == "primary key" && is_simple_key(c)) return &c;
        return nullptr;
    }
    static bool has_key(const table_def& t) { return !t.partitioned && primary_key(t); }
    static bool in_key(const table_def& t, const std::string& column) {
        const constraint_def* key = primary_key(t);
        const std::string& d = key->definition;
        std::string columns = ", " + d.substr(d.find('(') + 1, d.size() - d.find('(') - 2) + ",";
        return columns.find(" " + column + ",") != std::string::npos ||
               columns.find(" " + quote_ident(column) + ",") != std::string::npos;
    }

    void create_indexes(const qualified_name& owner, const std::vector<index_def>& indexes,
                        const std::vector<index_def>* old,
                        std::vector<diff_step>* group = nullptr) {
        for (const auto& i : indexes) {
            const index_def* o = old ? find_named(*old, i.name) : nullptr;
            if (rebuilt_indexes_.count({owner, i.name})) o = nullptr;  // dropped above
            if (o && o->definition == i.definition) continue;
            std::string name = qualified({owner.schema, i.name});
            const table_def* table = to_table(owner);
            // A new table or view has no rows to wait for; a partitioned table cannot build
            // its index concurrently.
            bool concurrent = online_ && old != nullptr && !(table && table->partitioned);
            add(group ? *group : keys_,
                concurrent ? concurrently(index_sql(i.definition)) : index_sql(i.definition),
                "DROP INDEX " + name, "index", name,
                concurrent
                    ? std::vector<std::string>{hazard::builds_index}
                    : std::vector<std::string>{hazard::builds_index, hazard::access_exclusive},
                !concurrent);
        }
    }

    void create_views_and_dependents() {
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
        std::set<qualified_name> waiting;
        for (const view_def* v : todo) waiting.insert(v->id);
        while (!todo.empty()) {
            bool progress = false;
            for (auto it = todo.begin(); it != todo.end();) {
                const view_def* v = *it;
                bool ready = std::none_of(
                    v->depends_on.begin(), v->depends_on.end(),
                    [&](const qualified_name& d) { return waiting.count(d) && !done.count(d); });
                if (!ready) {
                    ++it;
                    continue;
                }
                add(late_, create_view_sql(*v), drop_view_sql(*v),
                    v->materialized ? "materialized view" : "view", qualified(v->id));
                create_indexes(v->id, v->indexes, nullptr, &late_);
                for (const auto& g : v->triggers)
                    add(late_, g.definition,
                        "DROP TRIGGER " + quote_ident(g.name) + " ON " + qualified(v->id),
                        "trigger", quote_ident(g.name) + " ON " + qualified(v->id));
                done.insert(v->id);
                it = todo.erase(it);
                progress = true;
            }
            if (!progress) throw error(sqlstate::internal_error, "view dependencies form a cycle");
        }
        for (const auto& v : to_.views) {
            const view_def* old = find_id(from_.views, v.id);
            if (v.materialized && old && !rebuilt_views_.count(v.id))
                create_indexes(v.id, v.indexes, &old->indexes, &late_);
            if (old && !rebuilt_views_.count(v.id))
                create_triggers(v.id, v.triggers, &old->triggers);
            std::string kind = v.materialized ? "MATERIALIZED VIEW " : "VIEW ";
            if (!old || rebuilt_views_.count(v.id) ? v.comment.has_value()
                                                   : old->comment != v.comment)
                add(late_, comment_sql(kind + qualified(v.id), v.comment), {}, "comment",
                    qualified(v.id));
            for (const auto& [column, comment] : v.column_comments) {
                opt_text before;
                if (old && !rebuilt_views_.count(v.id))
                    for (const auto& [c, text] : old->column_comments)
                        if (c == column) before = text;
                if (before != comment)
                    add(late_,
                        comment_sql("COLUMN " + qualified(v.id) + "." + quote_ident(column),
                                    comment),
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
                add(late_,
                    alter + (t.row_security ? " ENABLE" : " DISABLE") + " ROW LEVEL SECURITY", {},
                    "table", qualified(t.id), {hazard::authorization});
            if ((old ? old->force_row_security : false) != t.force_row_security)
                add(late_,
                    alter + (t.force_row_security ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY",
                    {}, "table", qualified(t.id), {hazard::authorization});
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
            if ((old ? old->owned_by : std::nullopt) != s.owned_by)
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
            bool recreate =
                !o || o->event != e.event || o->function != e.function || o->tags != e.tags;
            if (recreate) {
                std::string sql = "CREATE EVENT TRIGGER " + quote_ident(e.name) + " ON " + e.event;
                if (!e.tags.empty()) {
                    sql += " WHEN TAG IN (";
                    for (std::size_t i = 0; i < e.tags.size(); ++i)
                        sql += (i ? ", " : "") + quote_literal(e.tags[i]);
                    sql += ")";
                }
                add(late_, sql + " EXECUTE FUNCTION " + e.function + "()",
                    "DROP EVENT TRIGGER " + quote_ident(e.name), "event trigger",
                    quote_ident(e.name));
            }
            if (recreate ? e.enabled != "origin" : o->enabled != e.enabled)
                add(late_,
                    "ALTER EVENT TRIGGER " + quote_ident(e.name) + " " + enabled_sql(e.enabled), {},
                    "event trigger", quote_ident(e.name));
            if ((o ? o->comment : std::nullopt) != e.comment)
                add(late_, comment_sql("EVENT TRIGGER " + quote_ident(e.name), e.comment), {},
                    "comment", quote_ident(e.name));
        }
        for (const auto& e : to_.extensions) {
            const extension_def* o = find_named(from_.extensions, e.name);
            if (o ? o->comment != e.comment : e.comment.has_value())
                add(late_, comment_sql("EXTENSION " + quote_ident(e.name), e.comment), {},
                    "comment", quote_ident(e.name));
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
                    add(late_, comment_sql(std::string(kind) + " " + qualified(t.id), t.comment),
                        {}, "comment", qualified(t.id));
            }
        };
        type_comments(to_.enums, from_.enums, "TYPE");
        type_comments(to_.domains, from_.domains, "DOMAIN");
        type_comments(to_.composite_types, from_.composite_types, "TYPE");
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
                        comment_sql("COLUMN " + qualified(c.id) + "." + quote_ident(a.name),
                                    a.comment),
                        {}, "comment", qualified(c.id));
            }
        for (const auto& f : to_.functions) {
            opt_text before;
            if (const function_def* o = from_function(f); o && !must_recreate(*o, f))
                before = o->comment;
            if (before != f.comment)
                add(late_,
                    comment_sql(function_kind_sql(f) + " " + function_signature(f), f.comment), {},
                    "comment", function_signature(f));
        }
    }

    // Privileges, when the target lists them: what each object has now (or gets by default
    // when it is created or recreated) against what the target lists.
    void grant_and_revoke() {
        if (!to_.privileges) return;
        if (!from_.privileges)
            throw error(sqlstate::invalid_parameter_value,
                        "the live snapshot does not list privileges",
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

    void comments_for_table(const table_def& t, const table_def* old) {
        if ((old ? old->comment : std::nullopt) != t.comment)
            add(late_, comment_sql("TABLE " + qualified(t.id), t.comment), {}, "comment",
                qualified(t.id));
        for (const auto& c : t.columns) {
            const column_def* o = old ? find_named(old->columns, c.name) : nullptr;
            bool recreated = o && o->generated != c.generated;
            if (((o && !recreated) ? o->comment : std::nullopt) != c.comment)
                add(late_,
                    comment_sql("COLUMN " + qualified(t.id) + "." + quote_ident(c.name), c.comment),
                    {}, "comment", qualified(t.id));
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
                    comment_sql("TRIGGER " + quote_ident(g.name) + " ON " + qualified(t.id),
                                g.comment),
                    {}, "comment", qualified(t.id));
        }
    }

    void remove_unused() {
        // Removed functions that read a removed table go first, then the tables (in one
        // statement, which settles foreign keys and inheritance among them), then the rest.
        auto drop_functions = [&](bool over_dropped_tables) {
            for (const auto& f : from_.functions) {
                if (to_function(f) || early_dropped_functions_.count(key(f))) continue;
                bool reads_dropped = std::any_of(
                    f.depends_on.begin(), f.depends_on.end(),
                    [&](const qualified_name& r) { return dropped_tables_.count(r) > 0; });
                if (reads_dropped != over_dropped_tables) continue;
                add(final_, "DROP " + function_kind_sql(f) + " " + function_signature(f),
                    with_privileges(f.definition, function_grant(f), f.privileges),
                    f.kind == "procedure" ? "procedure" : "function", function_signature(f));
            }
        };
        drop_functions(true);
        if (!dropped_tables_.empty()) {
            std::string names, creates, keys, foreign_keys, rest;
            for (const auto& s : from_.sequences)
                if (s.owned_by &&
                    dropped_tables_.count(s.owned_by->first))  // they go with the table
                    creates += "CREATE SEQUENCE " + qualified(s.id) + sequence_options(s) + ";\n";
            for (const auto& t : from_.tables) {
                if (!dropped_tables_.count(t.id)) continue;
                names += (names.empty() ? "" : ", ") + qualified(t.id);
                creates += create_table_sql(t) + ";\n";
                for (const auto& c : t.constraints)
                    (c.type == "foreign key" ? foreign_keys : keys) +=
                        "ALTER TABLE " + qualified(t.id) + " ADD CONSTRAINT " +
                        quote_ident(c.name) + " " + c.definition + ";\n";
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
                        rest += comment_sql(
                                    "CONSTRAINT " + quote_ident(c.name) + " ON " + qualified(t.id),
                                    c.comment) +
                                ";\n";
                for (const auto& i : t.indexes)
                    if (i.comment)
                        rest +=
                            comment_sql("INDEX " + qualified({t.id.schema, i.name}), i.comment) +
                            ";\n";
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
            add(final_, "DROP TABLE " + names, creates, "table", names,
                {hazard::deletes_data, hazard::access_exclusive});
        }
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
                    with_privileges(enum_sql(e), relation_grant(e.id, "TYPE"), e.privileges),
                    "type", qualified(e.id));
        }
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
                            (s.comment
                                 ? ";\n" + comment_sql("SCHEMA " + quote_ident(s.name), s.comment)
                                 : std::string()),
                        schema_grant(s.name), s.privileges),
                    "schema", quote_ident(s.name));
    }
};

}  // namespace

std::vector<diff_step> diff(const snapshot& from, const snapshot& to, const diff_options& options) {
    return planner(from, to, options).run();
}

}  // namespace ender::engine
