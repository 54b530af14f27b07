// Renames declared in a target document (see renames.hpp). A copy of the live snapshot is
// renamed step by step, so that later lookups (a column of a renamed table, a table of a
// renamed schema) find the objects under the names they have by then.
#include "renames.hpp"

#include "error.hpp"
#include "online_forms.hpp"

#include <functional>
#include <map>

namespace ender::engine {
namespace {

using spelling = std::function<std::string(const std::string&)>;

class renamer {
public:
    renamer(const snapshot& live, const snapshot& target) : model_(live), target_(target) {}

    std::vector<diff_step> run() {
        // The identity columns' sequences, by the names they have before the renames.
        std::vector<std::pair<std::size_t, std::string>> identities;  // table index, sequence
        std::vector<std::size_t> columns;
        for (std::size_t i = 0; i < model_.tables.size(); ++i)
            for (std::size_t j = 0; j < model_.tables[i].columns.size(); ++j) {
                const column_def& c = model_.tables[i].columns[j];
                if (!c.identity || c.inherited) continue;
                identities.emplace_back(i, identity_sequence(model_.tables[i].id, c.name).name);
                columns.push_back(j);
            }
        schemas();
        relations_and_types();
        functions();
        parts();
        for (std::size_t k = 0; k < identities.size(); ++k)
            identity_renames(model_.tables[identities[k].first], columns[k], identities[k].second);
        return std::move(steps_);
    }

private:
    snapshot model_;  // the live schema, renamed as the steps go
    const snapshot& target_;
    std::vector<diff_step> steps_;

    // The live item that the target item `name` (renamed from `from`) must be renamed from, or
    // nullptr when there is nothing to do: no rename, or a rename applied before (the new name
    // exists). `live(name)` and `target(name)` find an item of the same kind and scope; `what`
    // spells one for messages ("column \"a\" of \"public\".\"t\"").
    template <typename T, typename U>
    T* old_item(const opt_rename& from, const std::string& name,
                const std::function<T*(const std::string&)>& live,
                const std::function<const U*(const std::string&)>& target, const spelling& what) {
        if (!from || from->name == name) return nullptr;
        const U* other = target(from->name);
        if (other && other->renamed_from && other->renamed_from->name == name)
            throw error(sqlstate::feature_not_supported,
                        "cannot swap the names of " + what(from->name) + " and " + what(name),
                        "At " + from->path + ": each of the two is renamed from the other.",
                        "Rename one of them through a third name in a migration written by hand.");
        if (live(name)) return nullptr;
        T* old = live(from->name);
        if (!old)
            throw error(sqlstate::invalid_parameter_value,
                        "cannot rename " + what(from->name) + ": it does not exist",
                        "At " + from->path + ": the live schema has neither " + what(from->name) +
                            " nor " + what(name) + ".",
                        "Correct the old name, or remove renamed_from if the object is new.");
        return old;
    }

    // A renamed table or identity column keeps its sequence's name, which a table made afresh
    // with the new names would not have: the sequence is renamed too (PostgreSQL's own name for
    // it, told from the names; not when a listed sequence has the old name, which is not it).
    void identity_renames(const table_def& t, std::size_t column, const std::string& before) {
        const qualified_name now = identity_sequence(t.id, t.columns[column].name);
        const qualified_name old{t.id.schema, before};
        if (now.name == before || by_id(model_.sequences, old)) return;
        add("ALTER SEQUENCE " + qualified(old) + " RENAME TO " + quote_ident(now.name),
            "ALTER SEQUENCE " + qualified(now) + " RENAME TO " + quote_ident(before), "sequence",
            qualified(now), true);
    }

    void add(std::string sql, std::string reverse, std::string kind, std::string name, bool locks) {
        steps_.push_back({std::move(sql),
                          std::move(reverse),
                          std::move(kind),
                          std::move(name),
                          locks ? std::vector<std::string>{hazard::access_exclusive}
                                : std::vector<std::string>{},
                          true,
                          {}});
    }

    void schemas() {
        for (const auto& s : target_.schemas) {
            auto* old = old_item<schema_def, schema_def>(
                s.renamed_from, s.name,
                [&](const std::string& n) { return named(model_.schemas, n); },
                [&](const std::string& n) { return named(target_.schemas, n); },
                [](const std::string& n) { return "schema " + quote_ident(n); });
            if (!old) continue;
            std::string from = old->name;
            add("ALTER SCHEMA " + quote_ident(from) + " RENAME TO " + quote_ident(s.name),
                "ALTER SCHEMA " + quote_ident(s.name) + " RENAME TO " + quote_ident(from), "schema",
                quote_ident(s.name), false);
            old->name = s.name;
            auto move = [&](auto& items) {
                for (auto& item : items)
                    if (item.id.schema == from) item.id.schema = s.name;
            };
            move(model_.tables), move(model_.views), move(model_.sequences), move(model_.enums);
            move(model_.domains), move(model_.composite_types), move(model_.functions);
        }
    }

    // Objects named by schema and name: `alter` is the ALTER command for a live item.
    template <typename T>
    void rename_qualified(std::vector<T>& live, const std::vector<T>& target, const char* kind,
                          const std::function<std::string(const T&)>& alter, bool locks) {
        for (const auto& t : target) {
            const std::string& schema = t.id.schema;
            auto* old = old_item<T, T>(
                t.renamed_from, t.id.name,
                [&](const std::string& n) -> T* {
                    for (auto& item : live)
                        if (item.id == qualified_name{schema, n}) return &item;
                    return nullptr;
                },
                [&](const std::string& n) -> const T* {
                    for (const auto& item : target)
                        if (item.id == qualified_name{schema, n}) return &item;
                    return nullptr;
                },
                [&](const std::string& n) {
                    return std::string(kind) + " " + qualified({schema, n});
                });
            if (!old) continue;
            std::string command = alter(*old);
            add(command + " " + qualified(old->id) + " RENAME TO " + quote_ident(t.id.name),
                command + " " + qualified(t.id) + " RENAME TO " + quote_ident(old->id.name), kind,
                qualified(t.id), locks);
            old->id.name = t.id.name;
        }
    }

    void relations_and_types() {
        rename_qualified<table_def>(
            model_.tables, target_.tables, "table", [](const table_def&) { return "ALTER TABLE"; },
            true);
        rename_qualified<view_def>(
            model_.views, target_.views, "view",
            [](const view_def& v) {
                return v.materialized ? "ALTER MATERIALIZED VIEW" : "ALTER VIEW";
            },
            true);
        rename_qualified<sequence_def>(
            model_.sequences, target_.sequences, "sequence",
            [](const sequence_def&) { return "ALTER SEQUENCE"; }, true);
        rename_qualified<enum_def>(
            model_.enums, target_.enums, "type", [](const enum_def&) { return "ALTER TYPE"; },
            false);
        rename_qualified<domain_def>(
            model_.domains, target_.domains, "domain",
            [](const domain_def&) { return "ALTER DOMAIN"; }, false);
        rename_qualified<composite_def>(
            model_.composite_types, target_.composite_types, "type",
            [](const composite_def&) { return "ALTER TYPE"; }, false);
    }

    // Functions keep their argument types: the old function is the one with the old name and
    // the same argument types.
    void functions() {
        for (const auto& f : target_.functions) {
            auto same = [&](const function_def& g, const std::string& n) {
                return g.id == qualified_name{f.id.schema, n} &&
                       g.argument_types == f.argument_types;
            };
            std::string kind = f.kind == "procedure" ? "procedure" : "function";
            auto* old = old_item<function_def, function_def>(
                f.renamed_from, f.id.name,
                [&](const std::string& n) -> function_def* {
                    for (auto& g : model_.functions)
                        if (same(g, n)) return &g;
                    return nullptr;
                },
                [&](const std::string& n) -> const function_def* {
                    for (const auto& g : target_.functions)
                        if (same(g, n)) return &g;
                    return nullptr;
                },
                [&](const std::string& n) {
                    return kind + " " + qualified({f.id.schema, n}) + "(" + f.argument_types + ")";
                });
            if (!old) continue;
            std::string command = kind == "procedure" ? "ALTER PROCEDURE " : "ALTER FUNCTION ";
            add(command + qualified(old->id) + "(" + old->arguments + ") RENAME TO " +
                    quote_ident(f.id.name),
                command + qualified(f.id) + "(" + f.arguments + ") RENAME TO " +
                    quote_ident(old->id.name),
                kind, qualified(f.id) + "(" + f.arguments + ")", false);
            old->id.name = f.id.name;
        }
    }

    // Items named within a parent (columns, constraints, ...): `live` is the parent's list in
    // the model, or nullptr when the parent does not exist there. `sql(from, to)` renames one.
    template <typename T>
    void rename_parts(
        std::vector<T>* live, const std::vector<T>& target, const spelling& what,
        const std::function<std::string(const std::string&, const std::string&)>& sql,
        const char* kind, const spelling& object_name, bool locks, bool (*skip)(const T&) = nullptr,
        const std::function<std::string(const std::string&, const std::string&)>& online = {}) {
        for (const auto& t : target) {
            if (skip && skip(t)) continue;
            auto* old = old_item<T, T>(
                t.renamed_from, t.name,
                [&](const std::string& n) { return live ? named(*live, n) : nullptr; },
                [&](const std::string& n) { return named(target, n); }, what);
            if (!old) continue;
            add(sql(old->name, t.name), sql(t.name, old->name), kind, object_name(t.name), locks);
            if (online) steps_.back().online_operation = online(old->name, t.name);
            old->name = t.name;
        }
    }

    void parts() {
        // Every table is looked up once: by a map, not a scan (a 2,000-table schema).
        std::map<qualified_name, table_def*> live_tables;
        for (auto& t : model_.tables) live_tables.emplace(t.id, &t);
        for (const auto& t : target_.tables) {
            auto found = live_tables.find(t.id);
            table_def* live = found == live_tables.end() ? nullptr : found->second;
            std::string table = qualified(t.id);
            auto of_table = [&](const char* kind) {
                return [kind, table](const std::string& n) {
                    return std::string(kind) + " " + quote_ident(n) + " of " + table;
                };
            };
            auto on_table = [table](const std::string& n) {
                return quote_ident(n) + " ON " + table;
            };
            std::string alter = "ALTER TABLE " + table;
            // An inherited column is renamed with its parent's.
            rename_parts<column_def>(
                live ? &live->columns : nullptr, t.columns, of_table("column"),
                [&](const std::string& a, const std::string& b) {
                    return alter + " RENAME COLUMN " + quote_ident(a) + " TO " + quote_ident(b);
                },
                "column", [table](const std::string& n) { return table + "." + quote_ident(n); },
                true, [](const column_def& c) { return c.inherited; },
                [&](const std::string& a, const std::string& b) {
                    return online_form::rename_column(t.id, a, b);
                });
            rename_parts<constraint_def>(
                live ? &live->constraints : nullptr, t.constraints, of_table("constraint"),
                [&](const std::string& a, const std::string& b) {
                    return alter + " RENAME CONSTRAINT " + quote_ident(a) + " TO " + quote_ident(b);
                },
                "constraint", on_table, true);
            if (live)
                rename_same<constraint_def>(
                    live->constraints, t.constraints,
                    [](const constraint_def& a, const constraint_def& b) {
                        return a.type == b.type && a.definition == b.definition &&
                               a.deferrable == b.deferrable && a.deferred == b.deferred;
                    },
                    [&](const std::string& a, const std::string& b) {
                        return alter + " RENAME CONSTRAINT " + quote_ident(a) + " TO " +
                               quote_ident(b);
                    },
                    "constraint", on_table, true);
            index_renames(t.id, live ? &live->indexes : nullptr, t.indexes);
            trigger_renames(t.id, live ? &live->triggers : nullptr, t.triggers);
            rename_parts<policy_def>(
                live ? &live->policies : nullptr, t.policies, of_table("policy"),
                [&](const std::string& a, const std::string& b) {
                    return "ALTER POLICY " + quote_ident(a) + " ON " + table + " RENAME TO " +
                           quote_ident(b);
                },
                "policy", on_table, false);
        }
        for (const auto& v : target_.views) {
            view_def* live = by_id(model_.views, v.id);
            index_renames(v.id, live ? &live->indexes : nullptr, v.indexes);
            trigger_renames(v.id, live ? &live->triggers : nullptr, v.triggers);
        }
        for (const auto& c : target_.composite_types) {
            composite_def* live = by_id(model_.composite_types, c.id);
            std::string type = qualified(c.id);
            rename_parts<column_def>(
                live ? &live->attributes : nullptr, c.attributes,
                [type](const std::string& n) {
                    return "attribute " + quote_ident(n) + " of " + type;
                },
                [type](const std::string& a, const std::string& b) {
                    return "ALTER TYPE " + type + " RENAME ATTRIBUTE " + quote_ident(a) + " TO " +
                           quote_ident(b);
                },
                "type", [type](const std::string&) { return type; }, false);
        }
        for (const auto& d : target_.domains) {
            domain_def* live = by_id(model_.domains, d.id);
            std::string domain = qualified(d.id);
            rename_parts<constraint_def>(
                live ? &live->constraints : nullptr, d.constraints,
                [domain](const std::string& n) {
                    return "constraint " + quote_ident(n) + " of " + domain;
                },
                [domain](const std::string& a, const std::string& b) {
                    return "ALTER DOMAIN " + domain + " RENAME CONSTRAINT " + quote_ident(a) +
                           " TO " + quote_ident(b);
                },
                "domain", [domain](const std::string&) { return domain; }, false);
        }
    }

    // Constraints and indexes that the target names differently from a live one with the
    // very same definition (a naming convention changed, a name given where there was none):
    // renamed, never dropped and rebuilt. Not a guess from a similar shape: the two are the
    // same object, only the name differs. Each live item is renamed at most once, and only
    // when neither name is taken on the other side.
    template <typename T>
    void rename_same(std::vector<T>& live, const std::vector<T>& target,
                     const std::function<bool(const T&, const T&)>& same,
                     const std::function<std::string(const std::string&, const std::string&)>& sql,
                     const char* kind, const spelling& object_name, bool locks) {
        for (const auto& t : target) {
            if (named(live, t.name)) continue;
            for (auto& old : live) {
                if (named(target, old.name) || !same(old, t)) continue;
                add(sql(old.name, t.name), sql(t.name, old.name), kind, object_name(t.name), locks);
                rename_item(old, t);
                break;
            }
        }
    }

    static void rename_item(constraint_def& old, const constraint_def& t) { old.name = t.name; }
    static void rename_item(index_def& old, const index_def& t) {
        old.name = t.name;
        old.definition = t.definition;  // it holds the name
    }

    // An index's definition with its own name left out, to compare two indexes' shapes.
    static std::string index_shape(const index_def& i) {
        std::string d = i.definition;
        std::string named = "INDEX " + quote_ident_as_needed(i.name) + " ON ";
        if (auto at = d.find(named); at != std::string::npos)
            d.replace(at, named.size(), "INDEX ON ");
        return d;
    }

    void index_renames(const qualified_name& owner, std::vector<index_def>* live,
                       const std::vector<index_def>& target) {
        std::string schema = owner.schema, table = qualified(owner);
        auto sql = [schema](const std::string& a, const std::string& b) {
            return "ALTER INDEX " + qualified({schema, a}) + " RENAME TO " + quote_ident(b);
        };
        auto name = [schema](const std::string& n) { return qualified({schema, n}); };
        rename_parts<index_def>(
            live, target,
            [table](const std::string& n) { return "index " + quote_ident(n) + " of " + table; },
            sql, "index", name, true);
        if (live)
            rename_same<index_def>(
                *live, target,
                [](const index_def& a, const index_def& b) {
                    return a.unique == b.unique && index_shape(a) == index_shape(b);
                },
                sql, "index", name, true);
    }

    void trigger_renames(const qualified_name& owner, std::vector<trigger_def>* live,
                         const std::vector<trigger_def>& target) {
        std::string table = qualified(owner);
        rename_parts<trigger_def>(
            live, target,
            [table](const std::string& n) { return "trigger " + quote_ident(n) + " of " + table; },
            [table](const std::string& a, const std::string& b) {
                return "ALTER TRIGGER " + quote_ident(a) + " ON " + table + " RENAME TO " +
                       quote_ident(b);
            },
            "trigger", [table](const std::string& n) { return quote_ident(n) + " ON " + table; },
            false);
    }

    // The item of the model's `items` called `id`, or nullptr.
    template <typename T>
    static T* by_id(std::vector<T>& items, const qualified_name& id) {
        for (auto& item : items)
            if (item.id == id) return &item;
        return nullptr;
    }
    template <typename T>
    static T* named(std::vector<T>& items, const std::string& name) {
        for (auto& item : items)
            if (item.name == name) return &item;
        return nullptr;
    }
    template <typename T>
    static const T* named(const std::vector<T>& items, const std::string& name) {
        for (const auto& item : items)
            if (item.name == name) return &item;
        return nullptr;
    }
};

}  // namespace

std::vector<diff_step> rename_steps(const snapshot& live, const snapshot& target) {
    return renamer(live, target).run();
}

}  // namespace ender::engine
