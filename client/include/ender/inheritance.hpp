// Inheritance: a C++ class hierarchy mapped to tables in the three ways SQLAlchemy offers —
// single-table, joined-table and concrete — and read back polymorphically, each row as the
// struct of its own type (docs/inheritance.md).
//
//   struct employee { std::int64_t id{}; std::string name; std::string kind; };
//   struct manager : employee { std::optional<std::string> budget; };
//   struct engineer : employee { std::string language; };
//
//   ender::table<employee>("employee", column(...)...,
//       ender::polymorphic_on<employee, manager, engineer>(&employee::kind));
//   ender::single_table<manager, employee>("manager", column("budget", &manager::budget));
//   ender::joined_table<engineer, employee>("engineer", column("language", &engineer::language));
//
//   std::vector<std::variant<employee, manager, engineer>> all =
//       db.select_polymorphic<employee>().where(col(&employee::name) == "Ann").all();
//   std::vector<manager> managers = db.select<manager>().all();
//   ender::has_many(&company::staff, &employee::company_id)  // many<std::variant<...>>
#pragma once

#include "ender/load.hpp"

#include <variant>

namespace ender {

namespace detail {
// An inherited member, read and written through the subtype: the base's own access to its
// part of the object.
template <class D, class B, class M, class Inner>
struct base_access {
    Inner inner;
    M& get(D& obj) const { return inner.get(static_cast<B&>(obj)); }
    const M& get(const D& obj) const { return inner.get(static_cast<const B&>(obj)); }
    template <class C, class N>
    bool is(N C::*p) const {
        return inner.is(p);
    }
};

// A relationship declared on the base, stamped on the base part of a subtype's objects.
template <class D, class B>
struct inherited_relation : relation_of<D> {
    std::shared_ptr<const relation_of<B>> of_base;
    void stamp(D& object) const override { of_base->stamp(static_cast<B&>(object)); }
};

template <class T>
struct is_variant : std::false_type {};
template <class... T>
struct is_variant<std::variant<T...>> : std::true_type {};
}  // namespace detail

// The subtypes of a base, declared on the base's mapping (below). The types listed are the
// alternatives of the polymorphic results, in that order; list the base itself when rows of
// the base type exist (it then has an identity: its table's name, or .identity("...")).
template <class B, class... Ts>
struct polymorphic_option : detail::table_option {
    using hierarchy = polymorphic_option;
    using base = B;
    using variant = std::variant<Ts...>;
    static constexpr bool base_listed = (std::is_same_v<B, Ts> || ...);
    std::string B::*discriminator = nullptr;  // none: a concrete hierarchy
    std::optional<std::string> identity_;

    // The base's discriminator value (its table's name by default).
    polymorphic_option identity(std::string value) const {
        auto c = *this;
        c.identity_ = std::move(value);
        return c;
    }
    template <class Table>
    void apply_table(Table& t) const {
        static_assert(std::is_same_v<typename Table::model_type, B>,
                      "ender::polymorphic_on: the first type is the model being mapped");
        detail::polymorphic_info p;
        if (discriminator) p.discriminator = t.column_name(discriminator);
        if (base_listed) p.identity = identity_ ? *identity_ : t.info.name;
        t.info.polymorphic = p;
    }
};

// polymorphic_on<employee, manager, engineer>(&employee::kind): the base of a single-table or
// joined-table hierarchy; `kind` (text) says which type each row is.
template <class B, class... Ts, class C>
polymorphic_option<B, Ts...> polymorphic_on(std::string C::*discriminator) {
    static_assert(std::is_same_v<B, C>,
                  "ender::polymorphic_on: the discriminator must be a member of the base");
    static_assert(sizeof...(Ts) > 0, "ender::polymorphic_on: list the types of the hierarchy");
    polymorphic_option<B, Ts...> o;
    o.discriminator = discriminator;
    return o;
}

// polymorphic_union<employee, manager, engineer>(): the base of a concrete hierarchy (one full
// table per type, read together through UNION ALL). Leave the base out of the list for an
// abstract base, which has no table.
template <class B, class... Ts>
polymorphic_option<B, Ts...> polymorphic_union() {
    static_assert(sizeof...(Ts) > 0, "ender::polymorphic_union: list the types of the hierarchy");
    return {};
}

// polymorphic_identity("mgr"): a subtype's discriminator value, when not its name.
struct polymorphic_identity_option : detail::table_option {
    std::string value;
};
inline polymorphic_identity_option polymorphic_identity(std::string value) {
    polymorphic_identity_option o;
    o.value = std::move(value);
    return o;
}

// The polymorphic result type of a base: std::variant of the types its mapping lists.
template <class B>
using polymorphic_t = typename std::decay_t<decltype(ender_model(tag<B>{}))>::hierarchy::variant;

namespace detail {
// The subtype's table_info (read view, physical table) from its base's and its own mapping.
void make_subtype(inheritance_info::style_t style, const table_info& base, const table_info& own,
                  const std::string& identity, table_info& out);

template <class D, class B, class... Items>
auto subtype_table(inheritance_info::style_t style, std::string name, Items... items) {
    static_assert(std::is_class_v<B> && std::is_base_of_v<B, D> && !std::is_same_v<B, D>,
                  "ender: a subtype must derive from its base (struct manager : employee)");
    static_assert(!std::is_void_v<typename std::decay_t<decltype(model_of<B>())>::hierarchy>,
                  "ender: the base's mapping must declare its subtypes with "
                  "ender::polymorphic_on or ender::polymorphic_union");
    const auto& base = model_of<B>();
    auto inherited = std::apply(
        [](const auto&... c) {
            return std::tuple(
                column_def<D, typename std::decay_t<decltype(c)>::member_type,
                           base_access<D, B, typename std::decay_t<decltype(c)>::member_type,
                                       decltype(c.access)>>{
                    {c.access}, c.info, c.options, c.value_checks, c.normalizers}...);
        },
        base.columns);
    std::string identity = name;
    auto take_identity = [&](const auto& item) {
        if constexpr (std::is_same_v<std::decay_t<decltype(item)>, polymorphic_identity_option>)
            identity = item.value;
    };
    (take_identity(items), ...);
    auto own = table<D>(std::move(name), items...);
    auto cols = std::tuple_cat(inherited, own.columns);
    table_def<D, decltype(cols)> t{cols, {}, {}, {}, {}};
    make_subtype(style, base.info, own.info, identity, t.info);
    for (const auto& v : base.validators)
        t.validators.push_back({v.column, [run = v.run](const D& d) { run(d); }, v.other_columns});
    t.validators.insert(t.validators.end(), own.validators.begin(), own.validators.end());
    for (const auto& n : base.normalizers)
        t.normalizers.push_back({n.column, [run = n.run](D& d) { run(d); }});
    t.normalizers.insert(t.normalizers.end(), own.normalizers.begin(), own.normalizers.end());
    for (const auto& r : base.relations) {
        auto adapted = std::make_shared<inherited_relation<D, B>>();
        adapted->of_base = r;
        t.relations.push_back(adapted);
    }
    t.relations.insert(t.relations.end(), own.relations.begin(), own.relations.end());
    return t;
}
}  // namespace detail

// single_table<manager, employee>("manager", columns...): manager's rows live in employee's
// table, with kind = 'manager'; its own columns are added to that table, nullable.
template <class D, class B, class... Items>
auto single_table(std::string identity, Items... items) {
    return detail::subtype_table<D, B>(detail::inheritance_info::single, std::move(identity),
                                       items...);
}
// joined_table<engineer, employee>("engineer", columns...): a table of its own holding the
// base's primary key (a foreign key to the base, ON DELETE CASCADE) and its own columns.
template <class D, class B, class... Items>
auto joined_table(std::string table, Items... items) {
    return detail::subtype_table<D, B>(detail::inheritance_info::joined, std::move(table),
                                       items...);
}
// concrete_table<engineer, employee>("engineer", columns...): a full table of its own, with
// the base's columns and constraints and its own.
template <class D, class B, class... Items>
auto concrete_table(std::string table, Items... items) {
    return detail::subtype_table<D, B>(detail::inheritance_info::concrete, std::move(table),
                                       items...);
}

namespace detail {
// The statement that reads a hierarchy: its SELECT list and FROM (without WHERE), and where
// each type's own columns are in the row.
struct polymorphic_layout {
    std::string list, from;  // SELECT list, FROM ... AS base
    std::size_t width = 0;
    std::size_t discriminator = 0;        // the column holding each row's type
    std::vector<std::string> identities;  // of each alternative, in order
    std::vector<std::size_t> offsets;     // where each alternative's own columns start
};
polymorphic_layout make_layout(const table_info& base, const std::vector<const table_info*>& types);

template <class B>
const polymorphic_layout& layout_of() {
    using V = polymorphic_t<B>;
    static const polymorphic_layout layout = [] {
        std::vector<const table_info*> types;
        [&]<class... Ts>(std::variant<Ts...>*) {
            static_assert((std::is_base_of_v<B, Ts> && ...),
                          "ender: every type a hierarchy lists must derive from its base");
            (types.push_back(&model_of<Ts>().info), ...);
        }(static_cast<V*>(nullptr));
        return make_layout(model_of<B>().info, types);
    }();
    return layout;
}

[[noreturn]] void unknown_identity(const table_info& base, std::string_view value);

// Row `row` as the alternative its discriminator names.
template <class B>
polymorphic_t<B> read_polymorphic(const result& r, std::size_t row) {
    using V = polymorphic_t<B>;
    const auto& l = layout_of<B>();
    auto value = r.get_unchecked<std::string>(row, l.discriminator);
    std::size_t which = 0;
    while (which < l.identities.size() && l.identities[which] != value) ++which;
    if (which == l.identities.size()) unknown_identity(model_of<B>().info, value);
    V out;
    std::size_t base_width = model_of<B>().info.columns.size();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                if (I != which) return;
                using T = std::variant_alternative_t<I, V>;
                auto& obj = out.template emplace<I>();
                const auto& m = model_of<T>();
                m.for_each([&](const auto& c, std::size_t i) {
                    using M = typename std::decay_t<decltype(c)>::member_type;
                    auto at = i < base_width ? i : l.offsets[I] + (i - base_width);
                    c.access.get(obj) = r.get_unchecked<M>(row, at);
                });
                for (const auto& relation : m.relations) relation->stamp(obj);
            }(),
            ...);
    }
    (std::make_index_sequence<std::variant_size_v<V>>{});
    return out;
}
}  // namespace detail

// The base part of a polymorphic object, whichever type it is: base_of<employee>(v).name.
template <class B, class... Ts>
const B& base_of(const std::variant<Ts...>& v) {
    return std::visit([](const auto& x) -> const B& { return x; }, v);
}

// A select over a whole hierarchy: every row, as the type it is. One statement whatever the
// style (single: the base's table; joined: the base LEFT JOIN each subtype's table; concrete:
// UNION ALL of the tables). Its filters (where, from model_clauses) name the base's columns,
// col(&employee::name); single and joined hierarchies may also filter on a subtype's own.
// all(), first(), one(), count(), exists() and explain() as every select.
template <class B>
class polymorphic_query : public detail::model_clauses<polymorphic_query<B>>,
                          public detail::row_access<polymorphic_query<B>> {
    using detail::model_clauses<polymorphic_query<B>>::c_;
    friend class detail::row_access<polymorphic_query<B>>;

public:
    using value_type = polymorphic_t<B>;
    explicit polymorphic_query(session& db) : db_(&db) {}

    detail::fragment statement() const {
        auto c = c_;
        c.from = detail::layout_of<B>().from;
        return c.render(detail::fragment(detail::layout_of<B>().list));
    }
    std::string sql() const { return statement().text(); }

    std::vector<value_type> all() const {
        auto f = statement();
        auto r = db_->run(f.text(), f.params());
        r.check_width(detail::layout_of<B>().width);
        std::vector<value_type> out;
        out.reserve(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(detail::read_polymorphic<B>(r, i));
        return out;
    }

private:
    session* db_;
};

template <class B>
polymorphic_query<B> session::select_polymorphic() {
    static_assert(!std::is_void_v<typename std::decay_t<decltype(model_of<B>())>::hierarchy>,
                  "ender::select_polymorphic<T>: T's mapping declares no subtypes "
                  "(ender::polymorphic_on or ender::polymorphic_union)");
    return polymorphic_query<B>(*this);
}

namespace detail {
// has_many to the base of a hierarchy: the children of every owner, each as its own type, in
// one statement per batch of keys whatever the number of subtypes.
template <class O, class B, class F>
struct polymorphic_has_many_relation : relation<O, many<polymorphic_t<B>>> {
    using owner = O;
    using related = B;
    F B::*key{};

    // A polymorphic collection ends a load path: nothing is joined to it (`tail` is empty).
    step_queries queries_for(std::span<O* const> owners, const load_options& o,
                             const joined_tail<polymorphic_t<B>>& /*tail*/) const override {
        auto todo = unloaded(owners, this->member);
        if (todo.empty()) return {};
        const auto& label = this->label;
        const auto& base = model_of<B>().info;
        auto owner_columns = key_positions(model_of<O>().info, label);
        std::vector<std::size_t> child_columns{model_of<B>().column_index(key)};
        check_key_types(base, child_columns, model_of<O>().info, owner_columns, label);
        for (O* owner : todo) relation_access::start((*owner).*this->member);
        auto k = std::make_shared<key_set>();
        auto slot_of = collect_keys(todo, owner_columns, *k, label);
        if (k->keys.empty()) return {};
        const auto& l = layout_of<B>();
        step_queries w;
        w.undo = unload(todo, this->member);
        w.statements = key_batches("SELECT " + l.list + " FROM " + l.from + " WHERE " +
                                       keys_condition(column_names<B>(child_columns, base.name),
                                                      column_types<B>(child_columns)),
                                   *k, o.batch);
        auto st = std::make_shared<collection_load<O>>(std::move(todo), slot_of, k);
        w.attach = [member = this->member, st, child_columns = std::move(child_columns),
                    width = l.width](const result& r) {
            r.check_width(width);
            for (std::size_t row = 0; row < r.size(); ++row)
                if (O* owner = st->owner_of(r, row, child_columns))
                    relation_access::items((*owner).*member).push_back(read_polymorphic<B>(r, row));
        };
        w.finish = [member = this->member, st] { st->copy_shared(member); };
        return w;
    }
};

// The table of type T of B's hierarchy that holds the base's columns: its own for a concrete
// subtype, the base's otherwise.
template <class B, class T>
key_target table_holding_base_columns() {
    const auto& t = model_of<T>().info;
    if (t.inheritance && t.inheritance->style == inheritance_info::concrete)
        return {t.schema, t.name, {}};
    return {model_of<B>().info.schema, model_of<B>().info.name, {}};
}

template <class O, class B, class F>
struct polymorphic_has_many_declaration
    : relation_declaration<polymorphic_has_many_declaration<O, B, F>> {
    many<polymorphic_t<B>> O::*member{};
    F B::*key{};
    template <class Table>
    void apply_table(Table& t) const {
        auto r = std::make_shared<polymorphic_has_many_relation<O, B, F>>();
        r->member = member;
        r->key = key;
        r->label = this->template make_label<O, B>();
        t.relations.push_back(r);
        // The foreign key on every table holding the base's columns (each concrete table;
        // the schema merges the copies a single or joined hierarchy gives).
        [&]<class... Ts>(std::variant<Ts...>*) {
            (
                [&] {
                    auto k = this->template make_key<B, O>(std::tuple<F B::*>(key), false);
                    k.from = [key = key] {
                        auto target = table_holding_base_columns<B, Ts>();
                        target.columns = {model_of<B>().column_name(key)};
                        return target;
                    };
                    t.info.relation_keys.push_back(std::move(k));
                }(),
                ...);
        }(static_cast<polymorphic_t<B>*>(nullptr));
    }
};
}  // namespace detail

// has_many(&company::staff, &employee::company_id) with staff an
// ender::many<std::variant<...>> (the base's polymorphic_t): the children of every type.
template <class O, class B, class F, class... Ts>
auto has_many(many<std::variant<Ts...>> O::*member, F B::*key) {
    static_assert(std::is_same_v<std::variant<Ts...>, polymorphic_t<B>>,
                  "ender::has_many: a collection of a hierarchy holds the base's polymorphic_t "
                  "(the std::variant of the types its polymorphic_on lists, in that order)");
    detail::polymorphic_has_many_declaration<O, B, F> d;
    d.member = member;
    d.key = key;
    return d;
}

}  // namespace ender
