// Relationships between models, declared once in the mapping: has_many, belongs_to, has_one and
// many_to_many (through a link model that may carry columns), self-referential and with composite
// keys. The related objects live in ender::many<T> (a loaded collection) and ender::ref<T> (a
// shared parent); reading one that was not loaded throws, it never runs a hidden query.
//
//   struct team { std::int64_t id{}; std::string name; ender::many<hero> heroes; };
//   struct hero { std::int64_t id{}; std::optional<std::int64_t> team_id; ender::ref<team> team; };
//   ender::table<team>("team", ..., ender::has_many(&team::heroes, &hero::team_id));
//   ender::table<hero>("hero", ..., ender::belongs_to(&hero::team, &hero::team_id));
//
// Loading them is load.hpp's (select<T>().with(...), db.load(objects, ...)).
#pragma once

#include "ender/bulk.hpp"
#include "ender/detail/load_plan.hpp"
#include "ender/query.hpp"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ender {

namespace detail {
// The name of a relationship ("team.heroes"), made when first asked for: the related model's
// mapping may not be built yet when this one is.
struct relation_label {
    std::function<std::string()> make;
    std::string name() const { return make ? make() : std::string("(unnamed)"); }
};
[[noreturn]] void relation_not_loaded(const relation_label* label, std::string_view kind);
[[noreturn]] void relation_empty(const relation_label* label);
struct relation_access;
template <class Link>
struct link_store {
    std::vector<Link> items;
};
template <>
struct link_store<void> {};
}  // namespace detail

// The parent (many-to-one) or the single child (one-to-one) of an object: shared between all
// the objects that reference it, so a team loaded for 10,000 heroes exists once.
template <class T>
class ref {
public:
    using element_type = T;
    ref() = default;
    // A reference set by hand (loaded): to an object, or to none.
    ref(std::shared_ptr<T> object) : p_(std::move(object)), loaded_(true) {}

    // Whether the relationship was loaded (an empty one is loaded too).
    bool loaded() const noexcept { return loaded_; }
    // Whether there is an object (false for a NULL foreign key); throws when not loaded.
    bool has_value() const {
        check();
        return p_ != nullptr;
    }
    explicit operator bool() const { return has_value(); }
    // The object; throws when not loaded, or when there is none.
    T* get() const {
        check();
        if (!p_) detail::relation_empty(label_);
        return p_.get();
    }
    T& operator*() const { return *get(); }
    T* operator->() const { return get(); }
    const std::shared_ptr<T>& shared() const {
        check();
        return p_;
    }
    // Back to not loaded.
    void reset() noexcept {
        p_.reset();
        loaded_ = false;
    }

private:
    friend struct detail::relation_access;
    void check() const {
        if (!loaded_) detail::relation_not_loaded(label_, "ender::ref");
    }
    std::shared_ptr<T> p_;
    bool loaded_ = false;
    const detail::relation_label* label_ = nullptr;
};

// The children of an object (one-to-many, many-to-many). With a Link model, link(i) is the
// link row of item i (its own columns: a hero's power level).
template <class T, class Link = void>
class many {
public:
    using value_type = T;
    using link_type = Link;
    using iterator = typename std::vector<T>::iterator;
    using const_iterator = typename std::vector<T>::const_iterator;

    many() = default;
    // A collection set by hand (loaded), e.g. new children to insert with their parent.
    many(std::vector<T> items) : items_(std::move(items)), loaded_(true) {}
    many(std::initializer_list<T> items) : items_(items), loaded_(true) {}

    bool loaded() const noexcept { return loaded_; }
    // Everything below throws when the relationship was not loaded.
    std::size_t size() const { return items().size(); }
    bool empty() const { return items().empty(); }
    iterator begin() { return items().begin(); }
    iterator end() { return items().end(); }
    const_iterator begin() const { return items().begin(); }
    const_iterator end() const { return items().end(); }
    T& operator[](std::size_t i) { return items()[i]; }
    const T& operator[](std::size_t i) const { return items()[i]; }
    std::vector<T>& items() {
        check();
        return items_;
    }
    const std::vector<T>& items() const {
        check();
        return items_;
    }
    template <class L = Link>
    requires(!std::is_void_v<L>) const L& link(std::size_t i) const {
        check();
        return links_.items.at(i);
    }
    template <class L = Link>
    requires(!std::is_void_v<L>) const std::vector<L>& links() const {
        check();
        return links_.items;
    }
    // Back to not loaded.
    void reset() noexcept {
        items_.clear();
        if constexpr (!std::is_void_v<Link>) links_.items.clear();
        loaded_ = false;
    }

private:
    friend struct detail::relation_access;
    void check() const {
        if (!loaded_) detail::relation_not_loaded(label_, "ender::many");
    }
    std::vector<T> items_;
    [[no_unique_address]] detail::link_store<Link> links_;
    bool loaded_ = false;
    const detail::relation_label* label_ = nullptr;
};

namespace detail {

template <class M>
struct relation_member : std::false_type {};
template <class T>
struct relation_member<ref<T>> : std::true_type {
    using element = T;
};
template <class T, class L>
struct relation_member<many<T, L>> : std::true_type {
    using element = T;
};

// What loaders do to many<> and ref<> members.
struct relation_access {
    template <class T>
    static void label(ref<T>& r, const relation_label* l) noexcept {
        r.label_ = l;
    }
    template <class T, class L>
    static void label(many<T, L>& m, const relation_label* l) noexcept {
        m.label_ = l;
    }
    template <class T>
    static void set(ref<T>& r, std::shared_ptr<T> p) {
        r.p_ = std::move(p);
        r.loaded_ = true;
    }
    template <class T>
    static void set(ref<T>& r, std::nullptr_t) {
        r.p_.reset();
        r.loaded_ = true;
    }
    // Marks the collection loaded and empty; returns its items to fill.
    template <class T, class L>
    static std::vector<T>& start(many<T, L>& m) {
        m.reset();
        m.loaded_ = true;
        return m.items_;
    }
    template <class T, class L>
    static std::vector<T>& items(many<T, L>& m) noexcept {
        return m.items_;
    }
    template <class T, class L>
    static std::vector<L>& links(many<T, L>& m) noexcept {
        return m.links_.items;
    }
    template <class T>
    static const std::shared_ptr<T>& pointer(const ref<T>& r) noexcept {
        return r.p_;
    }
};

// ---- keys: each column's binary value as int32 length + bytes, so that keys taken from
// objects and keys read from binary results compare as bytes.

struct key_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
using key_map = std::unordered_map<std::string, std::uint32_t, key_hash, std::equal_to<>>;

// The key of a result row (the listed columns); false when one is NULL.
bool row_key(const result& r, std::size_t row, std::span<const std::size_t> columns,
             std::size_t first, std::string& out);
// Appends one column's value to a key; false for NULL.
bool append_key_part(const param& p, std::string& out, oid& type, const relation_label& label);
// The parameters for a batch of keys: one binary array per key column.
std::vector<param> key_arrays(std::span<const std::string> keys, std::span<const oid> types);
// "a = ANY($1::bigint[])", or "(a, b) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))".
std::string keys_condition(std::span<const std::string> columns,
                           std::span<const std::string> types);
// The column positions of T's primary key (which relationships reference).
std::vector<std::size_t> key_positions(const table_info& t, const relation_label& label);
// Throws unless both sides of a relationship have as many columns of the same types.
void check_key_types(const table_info& from, std::span<const std::size_t> from_columns,
                     const table_info& to, std::span<const std::size_t> to_columns,
                     const relation_label& label);
std::string qualified_column(const std::string& table, const std::string& column);
// A model's columns qualified with `alias`, for joined loads.
std::string aliased_columns(const table_info& t, const std::string& alias);
[[noreturn]] void not_joinable(const relation_label& label);
[[noreturn]] void not_a_tree(const relation_label& label);
// WITH RECURSIVE over a self-referential table: the rows below the keys ($1...), every depth.
std::string tree_statement(const table_info& t, std::span<const std::size_t> key_columns,
                           std::span<const std::size_t> parent_columns,
                           const std::string& select_list, const std::string& soft_delete);

// The object's key (values of the listed columns); false when one is NULL.
template <class T>
bool object_key(const T& obj, std::span<const std::size_t> columns, std::string& out,
                std::vector<oid>& types, const relation_label& label) {
    types.resize(columns.size());
    bool present = true;
    for (std::size_t j = 0; j < columns.size() && present; ++j)
        model_of<T>().for_each([&](const auto& c, std::size_t i) {
            if (i == columns[j])
                present = append_key_part(make_param(c.access.get(obj)), out, types[j], label);
        });
    return present;
}

template <class T, class... F>
std::vector<std::size_t> member_positions(const std::tuple<F T::*...>& members) {
    std::vector<std::size_t> out;
    std::apply([&](auto... m) { (out.push_back(model_of<T>().column_index(m)), ...); }, members);
    return out;
}

template <class T>
std::vector<std::string> column_names(std::span<const std::size_t> positions,
                                      const std::string& qualifier) {
    std::vector<std::string> out;
    for (auto p : positions)
        out.push_back(qualified_column(qualifier, model_of<T>().info.columns[p].name));
    return out;
}
template <class T>
std::vector<std::string> column_types(std::span<const std::size_t> positions) {
    std::vector<std::string> out;
    for (auto p : positions) out.push_back(model_of<T>().info.columns[p].type);
    return out;
}

// The distinct keys of a set of objects, and which object has which.
struct key_set {
    std::vector<std::string> keys;  // distinct, in first-seen order
    std::vector<oid> types;
    key_map slots;  // key -> its index in keys
};

// Finds the key slot of result rows. Keys of one fixed-width column of at most 8 bytes (the
// integer keys nearly every table has) go through a flat open-addressing table of words;
// others through the key_set's map of byte strings.
class key_lookup {
public:
    static constexpr std::uint32_t none = UINT32_MAX;
    explicit key_lookup(const key_set& k);
    // The slot of the key in `columns` (from `first`) of row `row`, or none.
    std::uint32_t find(const result& r, std::size_t row, std::span<const std::size_t> columns,
                       std::size_t first) {
        if (width_ == 0) {
            buf_.clear();
            if (!row_key(r, row, columns, first, buf_)) return none;
            auto it = k_.slots.find(std::string_view(buf_));
            return it == k_.slots.end() ? none : it->second;
        }
        auto c = first + columns[0];
        if (r.is_null(row, c)) return none;
        auto f = r.field(row, c);
        if (f.size() != width_) return none;
        std::uint64_t w = 0;
        std::memcpy(&w, f.data(), width_);
        for (auto i = spread(w);; i = (i + 1) & mask_) {
            if (slots_[i] == none) return none;
            if (words_[i] == w) return slots_[i];
        }
    }

private:
    // MurmurHash3's finalizer: every bit of the word moves every bit of the slot (the words
    // hold big-endian values, so a small integer's bits are all at the top).
    std::size_t spread(std::uint64_t w) const noexcept {
        w ^= w >> 33;
        w *= 0xff51afd7ed558ccdull;
        w ^= w >> 33;
        w *= 0xc4ceb9fe1a85ec53ull;
        w ^= w >> 33;
        return static_cast<std::size_t>(w) & mask_;
    }
    const key_set& k_;
    std::size_t width_ = 0;  // 0: the map of byte strings
    std::size_t mask_ = 0;
    std::vector<std::uint64_t> words_;
    std::vector<std::uint32_t> slots_;
    std::string buf_;
};

// Collects the distinct keys of `objects` (the listed columns) into k; returns each object's
// key slot, UINT32_MAX for a NULL key.
template <class T>
std::vector<std::uint32_t> collect_keys(const std::vector<T*>& objects,
                                        std::span<const std::size_t> columns, key_set& k,
                                        const relation_label& label) {
    std::vector<std::uint32_t> slot_of(objects.size(), UINT32_MAX);
    std::string buf;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        buf.clear();
        if (!object_key(*objects[i], columns, buf, k.types, label)) continue;
        auto [it, fresh] = k.slots.try_emplace(buf, std::uint32_t(k.keys.size()));
        if (fresh) k.keys.push_back(buf);
        slot_of[i] = it->second;
    }
    return slot_of;
}

// For collections: the first owner of each key slot, and (owner, first owner) pairs for the
// owners that share a key with an earlier one (they get a copy of its children).
struct slot_owners {
    std::vector<std::uint32_t> first;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> copies;
    slot_owners(const std::vector<std::uint32_t>& slot_of, std::size_t slots)
        : first(slots, UINT32_MAX) {
        for (std::uint32_t i = 0; i < slot_of.size(); ++i) {
            if (slot_of[i] == UINT32_MAX) continue;
            auto& f = first[slot_of[i]];
            if (f == UINT32_MAX)
                f = i;
            else
                copies.emplace_back(i, f);
        }
    }
};

// The statements of a selectin load: `sql` (with the key condition's $1..$n) once per batch of
// keys.
std::vector<pipelined> key_batches(const std::string& sql, const key_set& k, std::size_t batch);

// The options of one step of a load path.
struct load_options {
    std::size_t batch = 10000;  // keys per query
    bool joined = false;
};

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
                           std::span<const std::string> key_types, const joined_tail<T>& tail) {
    const auto& table = model_of<T>().info.name;
    std::string sql = "SELECT " + model_columns<T>() +
                      (tail.columns.empty() ? "" : ", " + tail.columns) + " FROM " + from_of<T>() +
                      tail.joins + " WHERE " +
                      keys_condition(column_names<T>(key_columns, table), key_types);
    if (const auto& f = soft_delete_filter<T>(); !f.empty()) sql += " AND " + f;
    return sql;
}

// A step's undo (load_work::undo): the owners' relationship back to not loaded.
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

// ---- inserting a graph (session::insert_graph): the objects, then level by level the new
// objects of their loaded relationships, a bounded number of statements per level.

// Whether insert_graph inserts the object: its one-column key is numbered by the server and not
// set yet (0 or empty). An object whose key the server does not number is new too (insert_new).
template <class T>
bool is_new(const T& obj) {
    const auto& info = model_of<T>().info;
    if (info.primary_key.size() != 1) return true;
    auto key = static_cast<std::size_t>(info.find(info.primary_key[0]));
    if (!info.columns[key].server_generated) return true;
    bool unset = true;
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        using V = strip_optional_t<M>;
        if constexpr (std::equality_comparable<V>) {
            if (i != key) return;
            const auto& v = c.access.get(obj);
            if constexpr (is_optional_v<M>)
                unset = !v || *v == V{};
            else
                unset = v == V{};
        }
    });
    return unset;
}

// Whether T's key is taken from a sequence (identity or serial): insert_graph reads the new
// ids that way.
template <class T>
bool has_sequence_key() {
    const auto& info = model_of<T>().info;
    if (info.primary_key.size() != 1) return false;
    const auto& key = info.columns[static_cast<std::size_t>(info.find(info.primary_key[0]))];
    return key.serial || key.identity.has_value();
}

// Sets `to`'s columns `to_columns` to the values of `from`'s `from_columns` (a foreign key from
// the key it references).
template <class To, class From>
void copy_key(To& to, std::span<const std::size_t> to_columns, const From& from,
              std::span<const std::size_t> from_columns) {
    for (std::size_t j = 0; j < to_columns.size(); ++j) {
        param p;
        model_of<From>().for_each([&](const auto& c, std::size_t i) {
            if (i == from_columns[j]) p = make_param(c.access.get(from));
        });
        model_of<To>().for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            if (i != to_columns[j]) return;
            if constexpr (is_optional_v<M>) {
                if (p.null) return c.access.get(to).reset();
            }
            if (!p.null && p.binary)
                c.access.get(to) = decode_field<strip_optional_t<M>>(p.bytes, p.type);
        });
    }
}

// "UPDATE t SET fk = ender_new.c2 FROM unnest($1, $2) AS ender_new (c1, c2) WHERE t.pk =
// ender_new.c1": points persistent children at their owners, keys and foreign keys in arrays.
std::string relink_statement(const table_info& t, std::span<const std::size_t> key_columns,
                             std::span<const std::size_t> foreign_columns);

template <class T>
void insert_below(session& db, std::span<T* const> objects);

// The new objects of a level below the top: one COPY, their ids taken from the key's sequence
// first; objects whose key is not numbered by the server are inserted unless a row has their
// key (ON CONFLICT DO NOTHING: that row is left as it is).
template <class T>
void insert_new(session& db, const std::vector<T*>& objects) {
    if (objects.empty()) return;
    if (has_sequence_key<T>()) return insert_objects<T>(db, objects, true);
    for (const T* o : objects) model_of<T>().validate(*o);
    std::span<const T* const> all(objects.data(), objects.size());
    insert_values<T>(db, all, bulk_columns<T>(all, false), " ON CONFLICT DO NOTHING");
}

// The children of one relationship of a level: the new ones inserted (one COPY, their ids from
// the key's sequence first), the persistent ones pointed at their owner (one UPDATE), then the
// level below them.
template <class C>
void insert_children(session& db, const std::vector<C*>& fresh, const std::vector<C*>& linked,
                     std::span<const std::size_t> child_columns, const relation_label& label) {
    insert_new<C>(db, fresh);
    if (!linked.empty()) {
        auto key = key_positions(model_of<C>().info, label);
        std::vector<std::size_t> columns(key);
        columns.insert(columns.end(), child_columns.begin(), child_columns.end());
        std::vector<std::string> keys(linked.size());
        std::vector<oid> types;
        for (std::size_t i = 0; i < linked.size(); ++i)
            object_key(*linked[i], columns, keys[i], types, label);
        db.run(relink_statement(model_of<C>().info, key, child_columns), key_arrays(keys, types));
    }
    std::vector<C*> all(fresh);
    all.insert(all.end(), linked.begin(), linked.end());
    insert_below<C>(db, all);
}

template <class T>
void insert_below(session& db, std::span<T* const> objects) {
    if (objects.empty()) return;
    for (const auto& r : model_of<T>().relations) r->insert_below(db, objects);
}

template <class T>
void insert_graph(session& db, std::span<T* const> objects) {
    std::optional<transaction> tx;
    if (!db.in_transaction()) tx.emplace(db.begin());
    std::vector<T*> fresh;
    for (T* o : objects)
        if (is_new(*o)) fresh.push_back(o);
    if (fresh.size() == 1)
        db.insert(*fresh[0]);  // RETURNING: defaults read back too
    else
        insert_objects<T>(db, fresh, has_sequence_key<T>());
    insert_below<T>(db, objects);
    if (tx) tx->commit();
}

// A relationship declared on O whose member has type M (many<...> or ref<...>).
template <class O, class M>
struct relation : relation_of<O> {
    using related_type = typename relation_member<M>::element;
    M O::*member{};
    relation_label label;
    void stamp(O& object) const override { relation_access::label(object.*member, &label); }
    // The load of the relationship of the owners that do not have it loaded yet (they count as
    // loaded from here on, so that another path does not load them again): one query per batch
    // of keys, carrying the joins of `tail`.
    virtual load_work plan(std::span<O* const> owners, const load_options& o,
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
    // A self-referential has_many loaded to every depth in one recursive statement.
    virtual load_work plan_tree(std::span<O* const>, const load_options&) const {
        not_a_tree(label);
    }
};

// The load of one object for each key (`sql`, rows whose `columns` hold the key): the shared
// parents of belongs_to, the single children of has_one. Each owner's ref is set to the object
// of its key slot (none for a NULL key); until then it is loaded and empty.
template <class O, class X>
load_work load_refs(std::vector<O*> owners, ref<X> O::*member, const std::string& sql,
                    std::shared_ptr<const key_set> k, std::vector<std::uint32_t> slot_of,
                    std::vector<std::size_t> columns, std::size_t batch, joined_tail<X> tail) {
    for (O* o : owners) relation_access::set((*o).*member, nullptr);
    load_work w;
    w.undo = unload(owners, member);
    if (k->keys.empty()) return w;
    w.statements = key_batches(sql, *k, batch);
    w.attach = [owners = std::move(owners), member, k, slot_of = std::move(slot_of),
                columns = std::move(columns), tail = std::move(tail)](auto results) {
        std::vector<std::shared_ptr<X>> objects(k->keys.size());
        key_lookup lookup(*k);
        std::vector<X*> rows;
        for (const auto& r : results) {
            check_joined_width(r, tail);
            rows.assign(r.size(), nullptr);
            for (std::size_t row = 0; row < r.size(); ++row) {
                auto slot = lookup.find(r, row, columns, 0);
                if (slot == key_lookup::none) continue;
                if (!objects[slot]) {
                    objects[slot] = std::make_shared<X>();
                    read_model(*objects[slot], r, row, 0);
                }
                rows[row] = objects[slot].get();
            }
            if (tail.attach) tail.attach(rows, r, model_of<X>().info.columns.size());
        }
        for (std::size_t i = 0; i < owners.size(); ++i)
            if (slot_of[i] != UINT32_MAX)
                relation_access::set((*owners[i]).*member, objects[slot_of[i]]);
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

// has_many: the children hold the key (fks) that references the owner's primary key.
template <class O, class C, class... F>
struct has_many_relation : relation<O, many<C>> {
    using owner = O;
    using related = C;
    std::tuple<F C::*...> keys;

    load_work plan(std::span<O* const> owners, const load_options& o,
                   const joined_tail<C>& tail) const override {
        auto todo = unloaded(owners, this->member);
        if (todo.empty()) return {};
        const auto& label = this->label;
        auto owner_columns = key_positions(model_of<O>().info, label);
        auto child_columns = member_positions<C>(keys);
        check_key_types(model_of<C>().info, child_columns, model_of<O>().info, owner_columns,
                        label);
        for (O* owner : todo) relation_access::start((*owner).*this->member);
        auto k = std::make_shared<key_set>();
        auto slot_of = collect_keys(todo, owner_columns, *k, label);
        if (k->keys.empty()) return {};
        load_work w;
        w.undo = unload(todo, this->member);
        w.statements = key_batches(
            select_by_keys<C>(child_columns, column_types<C>(child_columns), tail), *k, o.batch);
        w.attach = [member = this->member, todo = std::move(todo), k, slot_of = std::move(slot_of),
                    child_columns = std::move(child_columns), tail](auto results) {
            slot_owners slots(slot_of, k->keys.size());
            std::vector<std::uint32_t> count(todo.size());
            key_lookup lookup(*k);
            std::vector<C*> rows;
            for (const auto& r : results) {
                check_joined_width(r, tail);
                // First the number of children of each owner, so each vector is allocated once
                // (and the children do not move while the joined objects are attached).
                std::vector<std::uint32_t> row_owner(r.size(), UINT32_MAX);
                for (std::size_t row = 0; row < r.size(); ++row) {
                    auto slot = lookup.find(r, row, child_columns, 0);
                    if (slot == key_lookup::none) continue;
                    row_owner[row] = slots.first[slot];
                    ++count[row_owner[row]];
                }
                for (std::uint32_t i = 0; i < todo.size(); ++i)
                    if (count[i]) {
                        auto& items = relation_access::items((*todo[i]).*member);
                        items.reserve(items.size() + count[i]);
                        count[i] = 0;
                    }
                rows.assign(r.size(), nullptr);
                for (std::size_t row = 0; row < r.size(); ++row) {
                    if (row_owner[row] == UINT32_MAX) continue;
                    auto& items = relation_access::items((*todo[row_owner[row]]).*member);
                    rows[row] = &items.emplace_back();
                    read_model(*rows[row], r, row, 0);
                }
                if (tail.attach) tail.attach(rows, r, model_of<C>().info.columns.size());
            }
            for (auto [to, from] : slots.copies)
                relation_access::items((*todo[to]).*member) =
                    relation_access::items((*todo[from]).*member);
        };
        return w;
    }

    // insert_graph: each child's key set to its owner's; new children inserted, persistent
    // ones pointed at their owner.
    void insert_below(session& db, std::span<O* const> owners) const override {
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto child_columns = member_positions<C>(keys);
        std::vector<C*> fresh, linked;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            if (!m.loaded()) continue;
            for (auto& c : relation_access::items(m)) {
                copy_key(c, child_columns, *o, owner_columns);
                (is_new(c) ? fresh : linked).push_back(&c);
            }
        }
        insert_children(db, fresh, linked, child_columns, this->label);
    }

    // The whole subtree of each owner in one WITH RECURSIVE statement (CYCLE stops at a
    // cycle), then attached top-down: each node's children grouped by their key in O(rows).
    load_work plan_tree(std::span<O* const> owners, const load_options& o) const override {
        if constexpr (!std::is_same_v<O, C>) {
            return relation<O, many<C>>::plan_tree(owners, o);
        } else {
            auto todo = unloaded(owners, this->member);
            if (todo.empty()) return {};
            const auto& label = this->label;
            const auto& t = model_of<O>().info;
            auto key_columns = key_positions(t, label);
            auto child_columns = member_positions<C>(keys);
            check_key_types(t, child_columns, t, key_columns, label);
            auto k = std::make_shared<key_set>();
            collect_keys(todo, key_columns, *k, label);
            for (O* owner : todo) relation_access::start((*owner).*this->member);
            if (k->keys.empty()) return {};
            load_work w;
            w.undo = unload(todo, this->member);
            w.statements = key_batches(tree_statement(t, key_columns, child_columns,
                                                      model_columns<C>(), soft_delete_filter<C>()),
                                       *k, o.batch);
            w.attach = [member = this->member, label = &this->label, todo = std::move(todo), k,
                        key_columns = std::move(key_columns),
                        child_columns = std::move(child_columns)](auto results) {
                // Rows grouped by the key they hang from (their parent's).
                key_map group_of;
                std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> groups;
                std::string buf;
                for (std::uint32_t which = 0; which < results.size(); ++which) {
                    const auto& r = results[which];
                    check_model_width<C>(r);
                    for (std::size_t row = 0; row < r.size(); ++row) {
                        buf.clear();
                        if (!row_key(r, row, child_columns, 0, buf)) continue;
                        auto [it, fresh] = group_of.try_emplace(buf, std::uint32_t(groups.size()));
                        if (fresh) groups.emplace_back();
                        groups[it->second].emplace_back(which, std::uint32_t(row));
                    }
                }
                // Top-down: fill a node's children completely before going below them, so the
                // nodes' addresses never change.
                std::vector<std::pair<O*, std::string>> stack;
                auto types = k->types;
                for (O* owner : todo) {
                    buf.clear();
                    if (object_key(*owner, key_columns, buf, types, *label))
                        stack.emplace_back(owner, buf);
                }
                while (!stack.empty()) {
                    auto [node, key] = std::move(stack.back());
                    stack.pop_back();
                    auto& items = relation_access::start((*node).*member);
                    auto g = group_of.find(std::string_view(key));
                    if (g == group_of.end()) continue;
                    // Each group is attached once: a cycle in the data ends here.
                    const auto rows = std::move(groups[g->second]);
                    group_of.erase(g);
                    items.resize(rows.size());
                    for (std::size_t i = 0; i < rows.size(); ++i) {
                        const auto& r = results[rows[i].first];
                        read_model(items[i], r, rows[i].second, 0);
                        buf.clear();
                        if (row_key(r, rows[i].second, key_columns, 0, buf))
                            stack.emplace_back(&items[i], buf);
                    }
                }
            };
            return w;
        }
    }
};

// belongs_to: the owner holds the key (fks) that references the parent's primary key.
template <class O, class P, class... F>
struct belongs_to_relation : relation<O, ref<P>> {
    using owner = O;
    using related = P;
    std::tuple<F O::*...> keys;

    load_work plan(std::span<O* const> owners, const load_options& o,
                   const joined_tail<P>& tail) const override {
        auto todo = unloaded(owners, this->member);
        if (todo.empty()) return {};
        auto owner_columns = member_positions<O>(keys);
        auto parent_columns = key_positions(model_of<P>().info, this->label);
        check_key_types(model_of<O>().info, owner_columns, model_of<P>().info, parent_columns,
                        this->label);
        auto k = std::make_shared<key_set>();
        auto slot_of = collect_keys(todo, owner_columns, *k, this->label);
        auto sql = select_by_keys<P>(parent_columns, column_types<O>(owner_columns), tail);
        return load_refs(std::move(todo), this->member, sql, std::move(k), std::move(slot_of),
                         std::move(parent_columns), o.batch, tail);
    }

    std::pair<std::string, std::string> joined_sql(const std::string& alias,
                                                   const std::string& owner_alias) const override {
        const auto& p = model_of<P>().info;
        auto on = join_condition(p, key_positions(p, this->label), alias, model_of<O>().info,
                                 owner_alias, member_positions<O>(keys));
        return {aliased_columns(p, alias),
                " LEFT JOIN " + p.qualified() + " AS " + quote_ident(alias) + " ON " + on};
    }
    std::size_t joined_width() const override { return model_of<P>().info.columns.size(); }
    void attach_joined(std::span<O* const> owners, const result& r,
                       std::size_t first) const override {
        // Parents deduplicated by key: one object however many owners reference it.
        auto parent_columns = key_positions(model_of<P>().info, this->label);
        key_map seen;
        std::vector<std::shared_ptr<P>> parents;
        std::string buf;
        for (std::size_t row = 0; row < owners.size(); ++row) {
            if (!owners[row]) continue;
            auto& m = (*owners[row]).*this->member;
            buf.clear();
            if (!row_key(r, row, parent_columns, first, buf)) {
                relation_access::set(m, nullptr);
                continue;
            }
            auto [it, fresh] = seen.try_emplace(buf, std::uint32_t(parents.size()));
            if (fresh) read_model(*parents.emplace_back(std::make_shared<P>()), r, row, first);
            relation_access::set(m, parents[it->second]);
        }
    }
};

// has_one: like has_many, with at most one child (the key is unique).
template <class O, class C, class... F>
struct has_one_relation : relation<O, ref<C>> {
    using owner = O;
    using related = C;
    std::tuple<F C::*...> keys;

    load_work plan(std::span<O* const> owners, const load_options& o,
                   const joined_tail<C>& tail) const override {
        auto todo = unloaded(owners, this->member);
        if (todo.empty()) return {};
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto child_columns = member_positions<C>(keys);
        check_key_types(model_of<C>().info, child_columns, model_of<O>().info, owner_columns,
                        this->label);
        auto k = std::make_shared<key_set>();
        auto slot_of = collect_keys(todo, owner_columns, *k, this->label);
        auto sql = select_by_keys<C>(child_columns, column_types<C>(child_columns), tail);
        return load_refs(std::move(todo), this->member, sql, std::move(k), std::move(slot_of),
                         std::move(child_columns), o.batch, tail);
    }

    // insert_graph: as has_many's, for the one child.
    void insert_below(session& db, std::span<O* const> owners) const override {
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto child_columns = member_positions<C>(keys);
        std::vector<C*> fresh, linked;
        for (O* o : owners) {
            const auto& m = (*o).*this->member;
            if (!m.loaded() || !relation_access::pointer(m)) continue;
            C& c = *relation_access::pointer(m);
            copy_key(c, child_columns, *o, owner_columns);
            (is_new(c) ? fresh : linked).push_back(&c);
        }
        insert_children(db, fresh, linked, child_columns, this->label);
    }

    std::pair<std::string, std::string> joined_sql(const std::string& alias,
                                                   const std::string& owner_alias) const override {
        const auto& c = model_of<C>().info;
        auto on = join_condition(c, member_positions<C>(keys), alias, model_of<O>().info,
                                 owner_alias, key_positions(model_of<O>().info, this->label));
        return {aliased_columns(c, alias),
                " LEFT JOIN " + c.qualified() + " AS " + quote_ident(alias) + " ON " + on};
    }
    std::size_t joined_width() const override { return model_of<C>().info.columns.size(); }
    void attach_joined(std::span<O* const> owners, const result& r,
                       std::size_t first) const override {
        auto key = key_positions(model_of<C>().info, this->label);
        std::string buf;
        for (std::size_t row = 0; row < owners.size(); ++row) {
            if (!owners[row]) continue;
            auto& m = (*owners[row]).*this->member;
            buf.clear();
            if (!row_key(r, row, key, first, buf)) {
                relation_access::set(m, nullptr);
                continue;
            }
            auto c = std::make_shared<C>();
            read_model(*c, r, row, first);
            relation_access::set(m, std::move(c));
        }
    }
};

// many_to_many: rows of the link model L join the owner (its columns owner_keys reference the
// owner's primary key) to the target (target_keys, the target's): A and B are tuples of members
// of L, one per key column.
template <class O, class C, class Link, class L, class A, class B>
struct many_to_many_relation : relation<O, many<C, Link>> {
    A owner_keys{};
    B target_keys{};

    load_work plan(std::span<O* const> owners, const load_options& o,
                   const joined_tail<C>& tail) const override {
        auto todo = unloaded(owners, this->member);
        if (todo.empty()) return {};
        const auto& label = this->label;
        const auto& link = model_of<L>().info;
        const auto& target = model_of<C>().info;
        auto owner_columns = key_positions(model_of<O>().info, label);
        auto target_columns = key_positions(target, label);
        auto link_owner = member_positions<L>(owner_keys);
        auto link_target = member_positions<L>(target_keys);
        check_key_types(link, link_owner, model_of<O>().info, owner_columns, label);
        check_key_types(link, link_target, target, target_columns, label);
        for (O* owner : todo) relation_access::start((*owner).*this->member);
        auto k = std::make_shared<key_set>();
        auto slot_of = collect_keys(todo, owner_columns, *k, label);
        if (k->keys.empty()) return {};
        // SELECT link.owner_keys, <target>, [<link>], [<joined>] FROM link JOIN target ON ...
        // [joins] WHERE keys
        constexpr bool with_link = !std::is_void_v<Link>;
        std::string sql = "SELECT ", on;
        for (auto c : link_owner) sql += qualified_column(link.name, link.columns[c].name) + ", ";
        sql += model_columns<C>();
        if constexpr (with_link) sql += ", " + model_columns<L>();
        if (!tail.columns.empty()) sql += ", " + tail.columns;
        for (std::size_t j = 0; j < target_columns.size(); ++j)
            on += (j ? " AND " : "") +
                  qualified_column(target.name, target.columns[target_columns[j]].name) + " = " +
                  qualified_column(link.name, link.columns[link_target[j]].name);
        sql += " FROM " + from_of<L>() + " JOIN " + from_of<C>() + " ON " + on + tail.joins +
               " WHERE " +
               keys_condition(column_names<L>(link_owner, link.name), column_types<L>(link_owner));
        if (const auto& f = soft_delete_filter<C>(); !f.empty()) sql += " AND " + f;
        load_work w;
        w.undo = unload(todo, this->member);
        w.statements = key_batches(sql, *k, o.batch);
        w.attach = [member = this->member, todo = std::move(todo), k, slot_of = std::move(slot_of),
                    tail, n = link_owner.size()](auto results) {
            slot_owners slots(slot_of, k->keys.size());
            const auto target_width = model_of<C>().info.columns.size();
            std::size_t width =
                n + target_width + (with_link ? model_of<L>().info.columns.size() : 0);
            std::vector<std::size_t> key_column(n);
            for (std::size_t j = 0; j < n; ++j) key_column[j] = j;
            key_lookup lookup(*k);
            std::vector<std::pair<std::uint32_t, std::uint32_t>> placed;  // owner, item
            std::vector<C*> rows;
            for (const auto& r : results) {
                r.check_width(width + tail.width);
                placed.assign(r.size(), {UINT32_MAX, 0});
                for (std::size_t row = 0; row < r.size(); ++row) {
                    auto slot = lookup.find(r, row, key_column, 0);
                    if (slot == key_lookup::none) continue;
                    auto owner = slots.first[slot];
                    auto& m = (*todo[owner]).*member;
                    placed[row] = {owner, std::uint32_t(relation_access::items(m).size())};
                    read_model(relation_access::items(m).emplace_back(), r, row, n);
                    if constexpr (with_link)
                        read_model(relation_access::links(m).emplace_back(), r, row,
                                   n + target_width);
                }
                if (!tail.attach) continue;
                // The items are in place now: their addresses no longer change.
                rows.assign(r.size(), nullptr);
                for (std::size_t row = 0; row < r.size(); ++row)
                    if (placed[row].first != UINT32_MAX)
                        rows[row] = &relation_access::items((*todo[placed[row].first]).*
                                                            member)[placed[row].second];
                tail.attach(rows, r, width);
            }
            for (auto [to, from] : slots.copies) {
                auto& dst = (*todo[to]).*member;
                auto& src = (*todo[from]).*member;
                relation_access::items(dst) = relation_access::items(src);
                if constexpr (with_link) relation_access::links(dst) = relation_access::links(src);
            }
        };
        return w;
    }

    // insert_graph: the new targets inserted (each once), then a link row for every owner and
    // target unless it exists (ON CONFLICT DO NOTHING): a loaded link keeps its columns.
    void insert_below(session& db, std::span<O* const> owners) const override {
        std::vector<C*> fresh, targets;
        std::unordered_set<C*> seen;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            if (!m.loaded()) continue;
            for (auto& c : relation_access::items(m))
                if (seen.insert(&c).second) {
                    targets.push_back(&c);
                    if (is_new(c)) fresh.push_back(&c);
                }
        }
        insert_new<C>(db, fresh);
        detail::insert_below<C>(db, targets);
        auto owner_columns = key_positions(model_of<O>().info, this->label);
        auto target_columns = key_positions(model_of<C>().info, this->label);
        auto link_owner = member_positions<L>(owner_keys);
        auto link_target = member_positions<L>(target_keys);
        std::vector<L> links;
        for (O* o : owners) {
            auto& m = (*o).*this->member;
            if (!m.loaded()) continue;
            auto& items = relation_access::items(m);
            for (std::size_t i = 0; i < items.size(); ++i) {
                auto& l = links.emplace_back();
                if constexpr (!std::is_void_v<Link>)
                    if (i < relation_access::links(m).size()) l = relation_access::links(m)[i];
                copy_key(l, link_owner, *o, owner_columns);
                copy_key(l, link_target, items[i], target_columns);
            }
        }
        if (links.empty()) return;
        auto pointers = pointers_to(links);
        std::span<const L* const> all(pointers.data(), pointers.size());
        insert_values<L>(db, all, bulk_columns<L>(all, false), " ON CONFLICT DO NOTHING");
    }
};

// The part of a relationship declaration every kind shares: its name and ON DELETE action.
template <class Self>
struct relation_declaration : table_option {
    std::optional<std::string> name_;
    action on_delete_ = action::no_action;
    // The relationship's name in errors ("team.heroes"); the related table's name by default.
    Self name(std::string n) const {
        auto c = static_cast<const Self&>(*this);
        c.name_ = std::move(n);
        return c;
    }
    // ON DELETE of the foreign key the relationship implies.
    Self on_delete(action a) const {
        auto c = static_cast<const Self&>(*this);
        c.on_delete_ = a;
        return c;
    }

protected:
    template <class O, class Related>
    relation_label make_label() const {
        return {[n = name_] {
            return model_of<O>().info.name + "." + (n ? *n : model_of<Related>().info.name);
        }};
    }
    // The key the relationship implies: `from`'s columns reference `to`'s primary key.
    template <class From, class To, class... F>
    relation_key make_key(std::tuple<F From::*...> members, bool unique) const {
        relation_key k;
        k.from = [members] {
            const auto& m = model_of<From>();
            key_target t{m.info.schema, m.info.name, {}};
            std::apply([&](auto... p) { (t.columns.push_back(m.column_name(p)), ...); }, members);
            return t;
        };
        k.to = [] {
            const auto& m = model_of<To>();
            return key_target{m.info.schema, m.info.name, m.info.primary_key};
        };
        k.on_delete = action_sql(on_delete_);
        k.unique = unique;
        return k;
    }
};

// has_many, belongs_to and has_one: a relation whose key columns (From's) reference To's
// primary key.
template <class Relation, class From, class To, bool Unique>
struct keyed_declaration : relation_declaration<keyed_declaration<Relation, From, To, Unique>> {
    decltype(Relation::member) member{};
    decltype(Relation::keys) keys;
    template <class Table>
    void apply_table(Table& t) const {
        auto r = std::make_shared<Relation>();
        r->member = member;
        r->keys = keys;
        r->label =
            this->template make_label<typename Relation::owner, typename Relation::related>();
        t.relations.push_back(r);
        t.info.relation_keys.push_back(this->template make_key<From, To>(keys, Unique));
    }
};

// The link model's columns: A and B are tuples of members of L (owner side, target side).
template <class L, class A, class B>
struct via_declaration {
    A owner_keys;
    B target_keys;
};

template <class O, class C, class Link, class L, class A, class B>
struct many_to_many_declaration
    : relation_declaration<many_to_many_declaration<O, C, Link, L, A, B>> {
    many<C, Link> O::*member;
    via_declaration<L, A, B> via;
    template <class Table>
    void apply_table(Table& t) const {
        auto r = std::make_shared<many_to_many_relation<O, C, Link, L, A, B>>();
        r->member = member;
        r->owner_keys = via.owner_keys;
        r->target_keys = via.target_keys;
        r->label = this->template make_label<O, C>();
        t.relations.push_back(r);
        t.info.relation_keys.push_back(this->template make_key<L, O>(via.owner_keys, false));
        t.info.relation_keys.push_back(this->template make_key<L, C>(via.target_keys, false));
    }
};

template <class Relation, class From, class To, bool Unique, class M, class... K>
auto declare(M member, K... keys) {
    keyed_declaration<Relation, From, To, Unique> d;
    d.member = member;
    d.keys = {keys...};
    return d;
}

template <class>
inline constexpr bool always_false = false;
}  // namespace detail

// has_many(&team::heroes, &hero::team_id): the heroes whose team_id is the team's primary key
// (one member per key column, in the primary key's order, for composite keys).
template <class O, class C, class L, class F, class... Fs>
auto has_many(many<C, L> O::*member, F C::*key, Fs C::*... more_keys) {
    static_assert(std::is_void_v<L>,
                  "ender::has_many: a collection with a link model is many_to_many's");
    return detail::declare<detail::has_many_relation<O, C, F, Fs...>, C, O, false>(member, key,
                                                                                   more_keys...);
}

// belongs_to(&hero::team, &hero::team_id): the team whose primary key is the hero's team_id.
template <class O, class P, class F, class... Fs>
auto belongs_to(ref<P> O::*member, F O::*key, Fs O::*... more_keys) {
    return detail::declare<detail::belongs_to_relation<O, P, F, Fs...>, O, P, false>(member, key,
                                                                                     more_keys...);
}

// has_one(&hero::passport, &passport::hero_id): the one passport whose hero_id is the hero's
// primary key (a unique index on hero_id comes with it).
template <class O, class C, class F, class... Fs>
auto has_one(ref<C> O::*member, F C::*key, Fs C::*... more_keys) {
    return detail::declare<detail::has_one_relation<O, C, F, Fs...>, C, O, true>(member, key,
                                                                                 more_keys...);
}

// via(&hero_power::hero_id, &hero_power::power_id): the link model of a many-to-many
// relationship, its column referencing the owner, then the target's.
template <class L, class A, class B>
detail::via_declaration<L, std::tuple<A L::*>, std::tuple<B L::*>> via(A L::*owner_key,
                                                                       B L::*target_key) {
    return {std::tuple<A L::*>(owner_key), std::tuple<B L::*>(target_key)};
}

// keys(&link::country, &link::code): the columns of one side of a link model that reference a
// composite primary key, in the key's order (for via()).
template <class L, class... A>
std::tuple<A L::*...> keys(A L::*... members) {
    static_assert(sizeof...(A) > 0, "ender::keys: name the key's columns");
    return {members...};
}

// via(keys(&link::a1, &link::a2), keys(&link::b1, &link::b2)): a link model whose sides
// reference composite keys.
template <class L, class... A, class... B>
detail::via_declaration<L, std::tuple<A L::*...>, std::tuple<B L::*...>> via(
    std::tuple<A L::*...> owner_keys, std::tuple<B L::*...> target_keys) {
    return {owner_keys, target_keys};
}

// many_to_many(&hero::powers, via<hero_power>(...)): the powers linked to the hero. With
// ender::many<power, hero_power>, each power's link row is readable (powers.link(i)).
template <class O, class C, class Link, class L, class A, class B>
auto many_to_many(many<C, Link> O::*member, detail::via_declaration<L, A, B> link) {
    static_assert(std::is_void_v<Link> || std::is_same_v<Link, L>,
                  "ender::many_to_many: the collection's link type must be the via<> model");
    detail::many_to_many_declaration<O, C, Link, L, A, B> d;
    d.member = member;
    d.via = link;
    return d;
}

template <class T>
void session::insert_graph(T& object) {
    static_assert(mapped_model<T>, "ender::session::insert_graph: T is not a mapped model");
    T* one[] = {&object};
    detail::insert_graph<T>(*this, one);
}

template <class T>
void session::insert_graph(std::vector<T>& objects) {
    static_assert(mapped_model<T>, "ender::session::insert_graph: T is not a mapped model");
    detail::insert_graph<T>(*this, detail::pointers_to(objects));
}

}  // namespace ender
