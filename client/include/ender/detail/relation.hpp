// The base of the four relationship kinds (relation<O, M>) and what their loads share: the
// options of a step, the joined tail, the by-keys select, the load of refs.
#pragma once

#include "ender/detail/load_paths.hpp"
#include "ender/detail/relation_keys.hpp"
#include "ender/query.hpp"
#include "ender/related.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ender::detail {

// A model's columns qualified with `alias`, for joined loads.
std::string aliased_columns(const table_info& t, const std::string& alias);
[[noreturn]] void not_joinable(const relation_label& label);
[[noreturn]] void not_a_tree(const relation_label& label);
[[noreturn]] void not_for_shapes(const relation_label& label);
// WITH RECURSIVE over a self-referential table: the rows below the keys ($1...), every depth.
std::string tree_statement(const table_info& t, std::span<const std::size_t> key_columns,
                           std::span<const std::size_t> parent_columns,
                           const std::string& select_list, const std::string& soft_delete);

// The options of one step of a load path.
struct load_options {
    std::size_t batch = 10000;  // keys per query
    bool joined = false;
    bool with_deleted = false;  // soft-deleted related rows too
};

// The rows a load of T sees: not soft-deleted ones, unless asked (and only T's own type).
template <class T>
const std::string& load_filter(bool with_deleted) {
    return with_deleted ? type_filter<T>() : soft_delete_filter<T>();
}

// A pointer to an object in hand that does not own it: a back-populated reference to the owner
// that loaded it (the owner holds the object, so owning it back would be a cycle).
template <class O>
std::shared_ptr<O> unowned(O* object) {
    return std::shared_ptr<O>(std::shared_ptr<O>(), object);
}

// The joins a query carries for the joined steps that follow its step in a load path (or begin
// it, for the select itself): the parents or single children of the objects it reads, read from
// the same rows.
template <class O>
struct joined_tail {
    std::string columns;  // the joined models' columns (empty: nothing joined)
    std::string joins;    // " LEFT JOIN ... ON ..."
    std::size_t width = 0;
    // Attaches the joined objects: row i of the result belongs to rows[i] (nullptr: to none).
    std::function<void(std::span<O* const> rows, const result&, std::size_t first)> attach;
};

// Throws unless the result has T's columns and the joined ones.
template <class T>
void check_joined_width(const result& r, const joined_tail<T>& tail, std::size_t before = 0) {
    r.check_width(before + model_of<T>().info.columns.size() + tail.width);
}

// SELECT <T's columns>[, <joined columns>] FROM <T> [<joins>] WHERE <key condition>
// [AND not soft-deleted].
template <class T>
std::string select_by_keys(std::span<const std::size_t> key_columns,
                           std::span<const std::string> key_types, const joined_tail<T>& tail,
                           bool with_deleted) {
    const auto& table = model_of<T>().info.name;
    std::string sql = "SELECT " + model_columns<T>() +
                      (tail.columns.empty() ? "" : ", " + tail.columns) + " FROM " + from_of<T>() +
                      tail.joins + " WHERE " +
                      keys_condition(column_names<T>(key_columns, table), key_types);
    if (const auto& f = load_filter<T>(with_deleted); !f.empty()) sql += " AND " + f;
    return sql;
}

// A step's undo (step_queries::undo): the owners' relationship back to not loaded.
template <class O, class M>
std::function<void()> unload(const std::vector<O*>& owners, M O::*member) {
    return [owners, member] {
        for (O* o : owners) ((*o).*member).reset();
    };
}

// Owners whose relationship is not loaded yet (a loaded one is never loaded again).
template <class O, class M>
std::vector<O*> unloaded(std::span<O* const> owners, M O::*member) {
    std::vector<O*> out;
    out.reserve(owners.size());
    for (O* o : owners)
        if (!((*o).*member).loaded()) out.push_back(o);
    return out;
}

// The key a load matches on: the owner's columns that hold it (collected from the owners) and
// the related rows' columns that hold the same values.
struct load_key {
    std::vector<std::size_t> owner, related;
};

// has_many, has_one: the children's `keys` (members of C) reference the owner's primary key.
template <class O, class C, class... F>
load_key children_key(const std::tuple<F C::*...>& keys, const relation_label& label) {
    load_key k{key_positions(model_of<O>().info, label), member_positions<C>(keys)};
    check_key_types(model_of<C>().info, k.related, model_of<O>().info, k.owner, label);
    return k;
}

// belongs_to: the owner's `keys` reference the parent's primary key.
template <class O, class P, class... F>
load_key parent_key(const std::tuple<F O::*...>& keys, const relation_label& label) {
    load_key k{member_positions<O>(keys), key_positions(model_of<P>().info, label)};
    check_key_types(model_of<O>().info, k.owner, model_of<P>().info, k.related, label);
    return k;
}

// The owners a load starts from (begin_load).
template <class O>
struct begun_load {
    std::vector<O*> owners;  // their relationship was not loaded; now it is, and empty
    load_key key;
    std::shared_ptr<key_set> keys;       // the owners' distinct keys (none when all are NULL)
    std::vector<std::uint32_t> slot_of;  // each owner's key slot, UINT32_MAX for a NULL key
};

// What every kind's load does first: takes the owners whose relationship is not loaded yet
// (none: nullopt, nothing to do), then their key (`key_of()`: the columns, their types checked,
// only when there is something to load), collects the owners' keys and marks the relationship
// of each loaded and empty (the step's undo makes it not loaded again).
template <class O, class M, class KeyOf>
std::optional<begun_load<O>> begin_load(std::span<O* const> owners, M O::*member,
                                        const relation_label& label, KeyOf key_of) {
    auto todo = unloaded(owners, member);
    if (todo.empty()) return std::nullopt;
    begun_load<O> b{std::move(todo), key_of(), std::make_shared<key_set>(), {}};
    b.slot_of = collect_keys(b.owners, b.key.owner, *b.keys, label);
    for (O* o : b.owners) relation_access::start((*o).*member);
    return b;
}

// A relationship declared on O whose member has type M (many<...> or ref<...>).
template <class O, class M>
struct relation : relation_of<O> {
    using related_type = typename relation_member<M>::element;
    M O::*member{};
    relation_label label;
    // has_many, has_one: what removing an owner does to its children.
    ender::cascade cascade_mode = ender::cascade::none;
    // back_populates(): the related objects' reference to their owner, set by a load to the
    // owner that loaded them (the inverse has_one of a belongs_to, the belongs_to of a has_many
    // or has_one).
    ref<O> related_type::*back = nullptr;
    void stamp(O& object) const override { relation_access::label(object.*member, &label); }
    bool cascades() const override { return cascade_mode != ender::cascade::none; }
    // The load of the relationship of the owners that do not have it loaded yet (they count as
    // loaded from here on, so that another path does not load them again): one query per batch
    // of keys, carrying the joins of `tail`.
    virtual step_queries queries_for(std::span<O* const> owners, const load_options& o,
                                     const joined_tail<related_type>& tail) const = 0;
    // Joined loads (many-to-one, one-to-one): the select list and the LEFT JOIN, from the owner
    // read as `owner_alias`.
    virtual std::pair<std::string, std::string> joined_sql(
        const std::string& /*alias*/, const std::string& /*owner_alias*/) const {
        not_joinable(label);
    }
    virtual std::size_t joined_width() const { return 0; }
    // Attaches the objects of a joined load: row i of `r` belongs to owners[i] (none when null).
    virtual void attach_joined(std::span<O* const>, const result&, std::size_t) const {
        not_joinable(label);
    }
    // The owner's and the related model's columns that hold the relationship's key, for loads
    // into read shapes (shape_load.hpp): has_many, has_one and belongs_to.
    virtual load_key key_columns() const { not_for_shapes(label); }
    // A self-referential has_many loaded to every depth in one recursive statement.
    virtual step_queries tree_queries_for(std::span<O* const>, const load_options&) const {
        not_a_tree(label);
    }
};

// The load of one object for each key (`sql`, rows whose related key columns hold the key): the
// shared parents of belongs_to, the single children of has_one. Each owner's ref is set to the
// object of its key slot (none for a NULL key); until then it is loaded and empty.
template <class O, class X>
step_queries load_refs(begun_load<O> load, ref<X> O::*member, const std::string& sql,
                       std::size_t batch, joined_tail<X> tail, ref<O> X::*back) {
    step_queries w;
    w.undo = unload(load.owners, member);
    if (load.keys->keys.empty()) return w;
    w.statements = key_batches(sql, *load.keys, batch);
    // Each result's objects read as it arrives; the owners' refs set at the end.
    auto objects = std::make_shared<std::vector<std::shared_ptr<X>>>(load.keys->keys.size());
    w.attach = [objects, k = load.keys, lookup = std::make_shared<key_lookup>(*load.keys),
                columns = std::move(load.key.related), tail = std::move(tail)](const result& r) {
        check_joined_width(r, tail);
        std::vector<X*> rows(r.size(), nullptr);
        model_reader<X> reader(r, 0);
        for (std::size_t row = 0; row < r.size(); ++row) {
            auto slot = lookup->find(r, row, columns, 0);
            if (slot == key_lookup::none) continue;
            auto& object = (*objects)[slot];
            if (!object) {
                object = std::make_shared<X>();
                reader.read(*object, row);
            }
            rows[row] = object.get();
        }
        if (tail.attach) tail.attach(rows, r, model_of<X>().info.columns.size());
    };
    w.finish = [objects, owners = std::move(load.owners), member, slot_of = std::move(load.slot_of),
                back] {
        for (std::size_t i = 0; i < owners.size(); ++i)
            if (slot_of[i] != UINT32_MAX)
                relation_access::set((*owners[i]).*member, (*objects)[slot_of[i]]);
        // One-to-one: the object loaded for an owner refers back to it.
        if (back)
            for (O* o : owners)
                if (X* x = relation_access::pointer((*o).*member).get())
                    relation_access::set((*x).*back, unowned(o));
    };
    return w;
}

// "alias.a = owner.x AND alias.b = owner.y [AND alias.deleted_at IS NULL]": the ON of a joined
// load of table `joined` (columns `joined_columns`) from `owner`'s `owner_columns`, the owner
// read as `owner_alias`.
std::string join_condition(const table_info& joined, std::span<const std::size_t> joined_columns,
                           const std::string& alias, const table_info& owner,
                           const std::string& owner_alias,
                           std::span<const std::size_t> owner_columns);

// The select list and LEFT JOIN of a joined load of the rows of C whose `keys` reference the
// primary key of the owner O, read as `owner_alias` (has_one, has_many).
template <class O, class C, class... F>
std::pair<std::string, std::string> children_join(const std::tuple<F C::*...>& keys,
                                                  const relation_label& label,
                                                  const std::string& alias,
                                                  const std::string& owner_alias) {
    const auto& c = model_of<C>().info;
    auto on = join_condition(c, member_positions<C>(keys), alias, model_of<O>().info, owner_alias,
                             key_positions(model_of<O>().info, label));
    return {aliased_columns(c, alias),
            " LEFT JOIN " + c.qualified() + " AS " + quote_ident(alias) + " ON " + on};
}

template <class>
inline constexpr bool always_false = false;

}  // namespace ender::detail
