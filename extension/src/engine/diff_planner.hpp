// The schema diff's planner (diff.hpp's diff()), private to the diff: one class, diff_planner,
// whose phases are defined in one file per phase group, in the order run() calls them:
//   diff.cpp             run(), analyse() (what is rebuilt) and the helpers below;
//   diff_drops.cpp       1. drops of what depends on changing objects;
//   diff_types.cpp       2. schemas, extensions, types, sequences, functions;
//   diff_tables.cpp      3. tables, columns, parents, constraints, indexes;
//   diff_conversions.cpp    the USING expressions of a column's type change;
//   diff_recreate.cpp    tables created anew for a new partition key (in 1, 3 and 5);
//   diff_dependents.cpp  4. views, triggers, policies, table settings, comments, privileges;
//   diff_removals.cpp    5. removal of what nothing uses any more;
//   diff_objects.cpp     aggregates, operators, casts and text search objects, in 1, 2, 4, 5.
// The SQL text of each object comes from diff_ddl.hpp. Included by nothing outside the diff.
#pragma once
#include "cpp_only.hpp"

#include "diff.hpp"
#include "diff_ddl.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ender::engine::diff_detail {

using namespace ddl;

// The user type a column type names, as format_type spells it (public.mood,
// "My Schema"."Mood"[], public.address[]): schema and name, quotes undone, array brackets
// dropped. Types without a schema (built-in ones) give nothing.
std::optional<qualified_name> named_type(std::string_view spelling);

// Raises 0A000: the diff does not generate this change of `object` yet.
[[noreturn]] void unsupported(const std::string& what, const std::string& object);

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
    for (const auto& item : items)
        if (item.name == name) return &item;
    return nullptr;
}

// Two policies are the same whatever name the target says one had before.
bool same_policy(policy_def a, policy_def b);

// Items 0..n-1 in the order repeated passes over the list would take them, each pass taking, in
// list order, every item whose prerequisites (`before[i]`: indices) are taken already. Linear in
// the items and prerequisites, plus a sort (view_order.cpp); `left` gets the items a cycle
// keeps from ever being taken, in list order.
std::vector<std::size_t> pass_order(const std::vector<std::vector<std::size_t>>& before,
                                    std::vector<std::size_t>& left);

class diff_planner {
public:
    diff_planner(const snapshot& from, const snapshot& to, const diff_options& options)
        : from_(from),
          to_(to),
          online_(options.online),
          column_order_(options.column_order),
          volatility_(options.function_volatility),
          cast_exists_(options.cast_exists) {}

    std::vector<diff_step> run();

private:
    const snapshot& from_;
    const snapshot& to_;
    bool online_;
    bool column_order_;
    const std::map<std::string, char>& volatility_;
    const std::function<bool(const std::string&, const std::string&)>& cast_exists_;
    std::vector<diff_step> drops_, early_, tables_, keys_, late_, final_;
    std::set<qualified_name> rebuilt_views_;  // dropped and created again
    // The columns of kept tables that are dropped or retyped (a view that reads one is rebuilt).
    std::map<qualified_name, std::set<std::string>> changed_columns_;
    std::set<qualified_name> dropped_tables_, dropped_sequences_;
    std::set<qualified_name> released_sequences_;  // OWNED BY NONE before their owner goes
    std::set<std::pair<qualified_name, std::string>> dropped_functions_;     // removed or recreated
    std::set<std::pair<qualified_name, std::string>> rebuilt_foreign_keys_;  // table, constraint
    std::set<std::pair<qualified_name, std::string>> unbound_defaults_;      // table, column
    std::set<std::pair<qualified_name, std::string>>
        early_dropped_functions_;                                       // name, argument types
    std::set<std::pair<qualified_name, std::string>> rebuilt_indexes_;  // table, index
    std::set<qualified_name> rebuilt_enums_;
    // Aggregates, operators, casts and text search objects dropped and created again, as
    // COMMENT ON names them ("AGGREGATE \"s\".\"a\"(integer)").
    std::set<std::string> recreated_objects_;
    // Partitioned tables whose partition key changes, with their partitions (at any depth):
    // dropped and created anew, their rows kept aside in between (diff_recreate.cpp).
    std::set<qualified_name> recreated_, rekeyed_roots_;
    // Whether a column or domain type (or an array of it) is an enum being rebuilt.
    bool of_rebuilt_enum(const std::string& type) const {
        auto named = named_type(type);
        return named && rebuilt_enums_.count(*named);
    }

    // Whether a type (or an array of it) is an enum of either document.
    bool is_enum(const std::string& type) const {
        auto named = named_type(type);
        return named && (find_id(from_.enums, *named) || find_id(to_.enums, *named));
    }

    // The name an object is renamed to while it waits to be dropped: an enum being rebuilt, or
    // a removed type or sequence whose name a new object takes.
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

    // A table whose partition tree is created anew (recreated_) is not in the live schema as
    // far as the target is concerned.
    const table_def* from_table(const qualified_name& id) const {
        return recreated_.count(id) ? nullptr : find_id(from_.tables, id);
    }
    const table_def* to_table(const qualified_name& id) const { return find_id(to_.tables, id); }
    const view_def* to_view(const qualified_name& id) const { return find_id(to_.views, id); }

    // The phases, in the order run() calls them.
    void analyse();                      // diff.cpp
    void recreate_tables();              // diff_recreate.cpp
    void copy_rows_back();               // diff_recreate.cpp
    std::string set_rows_aside() const;  // diff_recreate.cpp
    bool reads_changed_column(const view_def& v, const qualified_name& relation) const;
    void drop_dependents();             // diff_drops.cpp
    void create_types_and_functions();  // diff_types.cpp
    void create_range_types();          // diff_ranges.cpp, in create_types_and_functions()
    void change_tables();               // diff_tables.cpp
    void create_tables();               // diff_tables.cpp
    void change_table(const table_def& old, const table_def& t);
    void change_column(const table_def& old, const table_def& t, const column_def& c,
                       const std::string& alter);
    void create_views_and_dependents();  // diff_dependents.cpp
    void grant_and_revoke();             // diff_dependents.cpp
    void remove_unused();                // diff_removals.cpp
    // diff_objects.cpp: aggregates, operators, casts, text search objects
    void analyse_catalog_objects();         // in analyse()
    void drop_recreated_catalog_objects();  // in drop_dependents(), before functions go
    void create_catalog_objects();          // after create_types_and_functions()
    void comment_catalog_objects();         // after create_views_and_dependents()
    void remove_catalog_objects();          // in remove_unused(), after the tables

    // diff_drops.cpp
    void drop_triggers(const qualified_name& owner, const std::vector<trigger_def>& triggers,
                       const std::vector<trigger_def>& target);
    // diff_types.cpp
    std::optional<std::string> stored_column(const qualified_name& type) const;
    std::optional<std::string> stored_inside_composite(const qualified_name& type) const;
    // diff_removals.cpp
    bool dropped_table_name_reused(const std::set<qualified_name>& claimed) const;
    std::set<qualified_name> claimed_names() const;
    void free_identity_names(const std::set<qualified_name>& claimed);
    opt_text rename_aside(const qualified_name& id, const std::string& kind,
                          const std::set<qualified_name>& claimed, bool reversible);
    // diff_conversions.cpp
    struct retype_sql {
        std::string up;  // the USING expression of the change
        opt_text down;   // the one back, when there is one
    };
    retype_sql retype_expressions(const qualified_name& table, const column_def& c,
                                  const column_def& old) const;
    bool casts(const std::string& from, const snapshot& from_doc, const std::string& to,
               const snapshot& to_doc) const;
    // diff_tables.cpp
    void add_columns_freed_by_parent(const table_def& parent, const std::string& column);
    void drop_owned_sequences(const qualified_name& table, const std::string& column);
    void leave_parents(const table_def& old, const table_def& t);
    void join_parents(const table_def& old, const table_def& t);
    void add_constraint(const table_def& t, const constraint_def& c);
    static const constraint_def* primary_key(const table_def& t);
    static bool has_key(const table_def& t);
    static bool in_key(const table_def& t, const std::string& column);
    void create_indexes(const qualified_name& owner, const std::vector<index_def>& indexes,
                        const std::vector<index_def>* old, std::vector<diff_step>* group = nullptr);
    // diff_dependents.cpp
    void create_triggers(const qualified_name& owner, const std::vector<trigger_def>& triggers,
                         const std::vector<trigger_def>* old);
    void comments_for_table(const table_def& t, const table_def* old);
};

}  // namespace ender::engine::diff_detail
