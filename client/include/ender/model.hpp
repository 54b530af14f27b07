// Models: plain structs mapped once, through member pointers, to a table — columns, keys,
// defaults, constraints, indexes, comments, mixins and validation hooks. The options are in
// column_options.hpp (one column) and table_options.hpp (several columns, the table).
//
//   struct hero { std::int64_t id{}; std::string name; std::optional<int> age; };
//   inline auto ender_model(ender::tag<hero>) {          // found by argument-dependent lookup
//       return ender::table<hero>("hero",
//           ender::column("id", &hero::id, ender::primary_key(), ender::identity()),
//           ender::column("name", &hero::name, ender::index()),
//           ender::column("age", &hero::age, ender::check("age >= 0")));
//   }
#pragma once

#include "ender/column_options.hpp"
#include "ender/detail/table_info.hpp"
#include "ender/error.hpp"
#include "ender/table_options.hpp"
#include "ender/types.hpp"

#include <chrono>
#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ender {
class session;

namespace detail {

template <class T>
struct enum_of {
    static std::optional<enum_info> get() {
        using base = strip_optional_t<T>;
        if constexpr (mapped_enum<base>) {
            const auto& m = type_traits<base>::mapping();
            enum_info e{m.schema, m.name, {}};
            for (const auto& [value, label] : m.labels) e.labels.push_back(label);
            return e;
        } else {
            return std::nullopt;
        }
    }
};
template <class E>
struct enum_of<std::vector<E>> : enum_of<E> {};

template <class T>
constexpr bool selects_as_text() {
    using base = strip_optional_t<T>;
    if constexpr (requires { type_traits<base>::select_as_text; })
        return type_traits<base>::select_as_text;
    else
        return false;
}

// The member a column reads and writes: a member of the model, or a member of a mixin
// struct embedded in it.
template <class T, class M>
struct direct_access {
    M T::*member;
    M& get(T& obj) const { return obj.*member; }
    const M& get(const T& obj) const { return obj.*member; }
    template <class C, class N>
    bool is(N C::*p) const {
        if constexpr (std::is_same_v<C, T> && std::is_same_v<N, M>)
            return p == member;
        else
            return false;
    }
};
template <class T, class Mid, class M>
struct nested_access {
    Mid T::*outer;
    M Mid::*inner;
    M& get(T& obj) const { return (obj.*outer).*inner; }
    const M& get(const T& obj) const { return (obj.*outer).*inner; }
    template <class C, class N>
    bool is(N C::*p) const {
        if constexpr (std::is_same_v<C, Mid> && std::is_same_v<N, M>)
            return p == inner;
        else
            return false;
    }
};
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Columns and tables.

template <class T, class M, class Access = detail::direct_access<T, M>>
struct column_def {
    using model_type = T;
    using member_type = M;
    Access access;
    detail::column_info info;
    std::vector<std::function<void(detail::column_info&, detail::table_info&, const std::string&)>>
        options;
    // Field options' checks of the member's value before writes (the reason a value is refused,
    // or nothing), and their normalisers (field_options.hpp).
    std::vector<std::function<std::optional<std::string>(const M&)>> value_checks;
    std::vector<std::function<void(M&)>> normalizers;
};

// column("name", &hero::name, options...): one column of the model. Nullability comes from
// std::optional; the SQL type from the member's type (or db_type()).
template <class T, class M, class... Opts>
auto column(std::string name, M T::*member, Opts... options) {
    static_assert(mapped_type<M>,
                  "ender::column: the member's type has no PostgreSQL mapping; specialize "
                  "ender::type_traits for it");
    static_assert((std::is_base_of_v<detail::column_option, Opts> && ...),
                  "ender::column: an option here must be a column option");
    auto check_reference = []<class O>(const O*) {
        if constexpr (requires { typename O::referenced_type; })
            static_assert(
                std::is_same_v<strip_optional_t<M>, strip_optional_t<typename O::referenced_type>>,
                "ender::references: a foreign key column must have the type of the "
                "column it references");
    };
    (check_reference(static_cast<const Opts*>(nullptr)), ...);
    (void)check_reference;
    column_def<T, M> c;
    c.access.member = member;
    c.info.name = std::move(name);
    c.info.type = type_traits<strip_optional_t<M>>::sql_name();
    c.info.not_null = !is_optional_v<M>;
    c.info.select_as_text = detail::selects_as_text<M>();
    c.info.enum_type = detail::enum_of<M>::get();
    (c.options.push_back([o = options](detail::column_info& ci, detail::table_info& t,
                                       const std::string& n) { o.apply(ci, t, n); }),
     ...);
    auto hooks = [&c]<class O>(const O& o) {
        if constexpr (requires(const M& v) { o.check_value(v); })
            c.value_checks.push_back([o](const M& v) { return o.check_value(v); });
        if constexpr (requires(M & v) { o.normalize_value(v); })
            c.normalizers.push_back([o](M& v) { o.normalize_value(v); });
    };
    (hooks(options), ...);
    (void)hooks;
    return c;
}

// embed(&hero::stamps): the columns of a mixin struct (mapped with its own ender_model, e.g.
// ender::timestamps) become columns of this table.
template <class T, class Mid>
struct embedded {
    Mid T::*outer;
};
template <class T, class Mid>
embedded<T, Mid> embed(Mid T::*outer) {
    return {outer};
}

// A struct with a mapping: ender_model(ender::tag<T>) found by argument-dependent lookup.
template <class T>
concept mapped_model = requires {
    ender_model(tag<T>{});
};

// The mapping of T, built once.
template <class T>
const auto& model_of() {
    static_assert(mapped_model<T>,
                  "ender: this struct is not mapped; declare ender_model(ender::tag<T>) returning "
                  "ender::table<T>(...) next to it");
    static const auto m = ender_model(tag<T>{});
    return m;
}

namespace detail {
template <class T, class Mid>
auto embedded_columns(const embedded<T, Mid>& e) {
    const auto& mixin = model_of<Mid>();
    return std::apply(
        [&](const auto&... c) {
            return std::tuple(
                column_def<T, typename std::decay_t<decltype(c)>::member_type,
                           nested_access<T, Mid, typename std::decay_t<decltype(c)>::member_type>>{
                    {e.outer, c.access.member},
                    c.info,
                    c.options,
                    c.value_checks,
                    c.normalizers}...);
        },
        mixin.columns);
}
}  // namespace detail

namespace detail {
template <class T, class Item>
auto columns_of(const Item& item) {
    if constexpr (requires {
                      typename Item::model_type;
                      typename Item::member_type;
                  }) {
        static_assert(std::is_same_v<typename Item::model_type, T>,
                      "ender::table<T>: a column maps a member of another struct");
        return std::tuple<Item>(item);
    } else if constexpr (requires { item.outer; }) {
        return embedded_columns<T>(item);
    } else {
        static_assert(std::is_base_of_v<table_option, Item>,
                      "ender::table<T>: expected columns, embed() or table options");
        return std::tuple<>();
    }
}
}  // namespace detail

namespace detail {
// A relationship declared on model T (relationship.hpp): has_many, belongs_to, has_one,
// many_to_many. Stamps its name on the objects read, so that reading it unloaded can say
// which relationship it is.
template <class T>
struct relation_of {
    virtual ~relation_of() = default;
    virtual void stamp(T& object) const = 0;
    // session::insert_graph: inserts the new objects this relationship holds for `owners`, and
    // links them (relationship.hpp). Relationships it does not follow do nothing.
    virtual void insert_below(session&, std::span<T* const> /*owners*/) const {}
    // Whether removing an owner removes this relationship's children (ender::cascade).
    virtual bool cascades() const { return false; }
    // session::remove: removes the children of `owners` as the relationship's cascade says
    // (soft: soft-deletes those with the soft-delete mixin, leaves the others).
    virtual void remove_children(session&, std::span<T* const> /*owners*/, bool /*soft*/) const {}
    // session::restore: restores the children of `owners` that this cascading relationship
    // soft-deleted with them: those whose deleted_at is the owners' `stamp`.
    virtual void restore_children(
        session&, std::span<T* const> /*owners*/,
        std::chrono::sys_time<std::chrono::microseconds> /*stamp*/) const {}
};
}  // namespace detail

template <class T>
struct validation_hook {
    std::string column;
    std::function<void(const T&)> run;
    std::vector<std::string> other_columns;  // a cross-field validator's other columns
};
// A normaliser of a column's value (field_options.hpp), run before the validation hooks.
template <class T>
struct normalize_hook {
    std::string column;
    std::function<void(T&)> run;
};

namespace detail {
// The subtypes a base model declares (polymorphic_on / polymorphic_union, inheritance.hpp):
// the type of the option that has them, or void.
template <class... Items>
struct hierarchy_of {
    using type = void;
};
template <class Item, class... Rest>
struct hierarchy_of<Item, Rest...> {
    using type = std::conditional_t < requires { typename Item::hierarchy; }
    , Item, typename hierarchy_of<Rest...>::type > ;
};
}  // namespace detail

// The mapping of T: made by ender::table<T>(...) and returned by ender_model(ender::tag<T>).
// Hierarchy is the base of an inheritance hierarchy's declaration (inheritance.hpp), or void.
template <class T, class Columns, class Hierarchy = void>
class table_def {
public:
    using model_type = T;
    using hierarchy = Hierarchy;
    Columns columns;
    detail::table_info info;
    std::vector<validation_hook<T>> validators;
    std::vector<std::shared_ptr<const detail::relation_of<T>>> relations;
    std::vector<normalize_hook<T>> normalizers;

    // The name of the column mapping member `p` (a member of T or of an embedded mixin).
    template <class C, class N>
    std::string column_name(N C::*p) const {
        std::string found;
        std::apply(
            [&](const auto&... c) { ((c.access.is(p) ? (found = c.info.name, 0) : 0), ...); },
            columns);
        if (found.empty())
            throw usage_error("42703",
                              "the member is not mapped to a column of table \"" + info.name + "\"",
                              "", "Add ender::column(...) for it to the model's ender_model.");
        return found;
    }
    // The position of the column mapping `p`.
    template <class C, class N>
    std::size_t column_index(N C::*p) const {
        return static_cast<std::size_t>(info.find(column_name(p)));
    }
    // Calls f(column_def, index) for every column.
    template <class F>
    void for_each(F&& f) const {
        std::size_t i = 0;
        std::apply([&](const auto&... c) { (f(c, i++), ...); }, columns);
    }
    // Runs the validation hooks (all, or those of the listed columns).
    // A hook of several columns runs only when all of them are listed.
    void validate(const T& obj, const std::vector<std::size_t>* only = nullptr) const {
        for (const auto& v : validators) {
            bool listed = this->listed(v.column, only);
            for (const auto& other : v.other_columns) listed = listed && this->listed(other, only);
            if (listed) v.run(obj);
        }
    }
    // Runs the normalisers (all, or those of the listed columns): before validate().
    void normalize(T& obj, const std::vector<std::size_t>* only = nullptr) const {
        for (const auto& n : normalizers)
            if (listed(n.column, only)) n.run(obj);
    }

private:
    bool listed(const std::string& column, const std::vector<std::size_t>* only) const {
        if (!only) return true;
        for (auto i : *only)
            if (info.columns[i].name == column) return true;
        return false;
    }
};

namespace detail {
// The validation hooks and normalisers of a column's field options (field_options.hpp).
template <class Table, class Column>
void add_value_hooks(Table& t, const Column& c) {
    using T = typename Table::model_type;
    for (const auto& check : c.value_checks)
        t.validators.push_back(
            {c.info.name,
             [a = c.access, check, table = t.info.name, column = c.info.name](const T& obj) {
                 if (auto why = check(a.get(obj))) throw validation_error(table, column, *why);
             },
             {}});
    for (const auto& n : c.normalizers)
        t.normalizers.push_back({c.info.name, [a = c.access, n](T& obj) { n(a.get(obj)); }});
}
}  // namespace detail

template <class T, class... Items>
auto table(std::string name, Items... items) {
    static_assert(std::is_class_v<T>, "ender::table<T>: T must be a struct");
    auto cols = std::tuple_cat(detail::columns_of<T>(items)...);
    table_def<T, decltype(cols), typename detail::hierarchy_of<Items...>::type> t{
        cols, {}, {}, {}, {}};
    t.info.name = std::move(name);
    std::apply(
        [&](auto&... c) {
            (t.info.columns.push_back(c.info), ...);
            std::size_t i = 0;
            (
                [&] {
                    for (auto& o : c.options) o(t.info.columns[i], t.info, c.info.name);
                    ++i;
                }(),
                ...);
        },
        t.columns);
    for (const auto& key : t.info.primary_key)
        t.info.columns[std::size_t(t.info.find(key))].not_null = true;
    std::apply([&](const auto&... c) { (detail::add_value_hooks(t, c), ...); }, t.columns);
    auto apply_table = [&](const auto& item) {
        if constexpr (requires { item.apply_table(t); }) item.apply_table(t);
    };
    (apply_table(items), ...);
    return t;
}

template <class R, class M>
void references_option<R, M>::apply(detail::column_info&, detail::table_info& t,
                                    const std::string& column) const {
    detail::foreign_key_info fk;
    fk.name = name_;
    fk.columns = {column};
    fk.target = [m = member] {
        const auto& r = model_of<R>();
        return detail::key_target{r.info.schema, r.info.name, {r.column_name(m)}};
    };
    fk.on_delete = detail::action_sql(on_delete_);
    fk.on_update = detail::action_sql(on_update_);
    t.foreign_keys.push_back(std::move(fk));
}

template <class... P>
template <class... Q>
foreign_key_option<P...> foreign_key_option<P...>::references(Q... referenced) const {
    static_assert(sizeof...(Q) == sizeof...(P),
                  "ender::foreign_key: as many referenced columns as referencing ones");
    auto c = *this;
    c.target = [=] {
        detail::key_target k;
        auto add = [&]<class C, class N>(N C::*p) {
            const auto& r = model_of<C>();
            k.schema = r.info.schema;
            k.table = r.info.name;
            k.columns.push_back(r.column_name(p));
        };
        (add(referenced), ...);
        return k;
    };
    return c;
}

// ---------------------------------------------------------------------------------------------
// Mixins: embed them with ender::embed(&model::member).

// created_at and updated_at, set by the server (now()) on insert, updated_at on every update.
struct timestamps {
    std::chrono::sys_time<std::chrono::microseconds> created_at{};
    std::chrono::sys_time<std::chrono::microseconds> updated_at{};
};
inline auto ender_model(tag<timestamps>) {
    return table<timestamps>(
        "",
        column("created_at", &timestamps::created_at, server_default("now()"), server_generated()),
        column("updated_at", &timestamps::updated_at, server_default("now()"), server_generated(),
               on_update("now()")));
}

// deleted_at: remove() sets it instead of deleting; select() and get() skip such rows unless
// asked (select().with_deleted()); remove(obj, ender::hard_delete) deletes.
struct soft_delete {
    std::optional<std::chrono::sys_time<std::chrono::microseconds>> deleted_at;
};
inline auto ender_model(tag<soft_delete>) {
    return table<soft_delete>("",
                              column("deleted_at", &soft_delete::deleted_at, soft_delete_marker()));
}

}  // namespace ender
