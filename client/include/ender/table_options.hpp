// Table options of models (model.hpp): the schema, keys and indexes over several members,
// composite foreign keys and validators, given after the columns of ender::table<T>(...).
#pragma once

#include "ender/column_options.hpp"
#include "ender/detail/table_info.hpp"
#include "ender/error.hpp"

#include <concepts>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ender {

// in_schema("app"): the table's schema (public otherwise).
struct schema_option : detail::table_option {
    std::string name;
    template <class Table>
    void apply_table(Table& t) const {
        t.info.schema = name;
    }
};
inline schema_option in_schema(std::string name) {
    return {{}, std::move(name)};
}

// Table-level keys and indexes over several members: primary_key(&a::x, &a::y),
// unique_constraint(&a::x, &a::y), index(&a::x, &a::y).where("y > 0"), index_on("lower(name)").
template <class... P>
struct key_option : detail::table_option {
    enum kind_t { primary, unique, index } kind = index;
    std::tuple<P...> members;
    std::optional<std::string> name_;
    std::optional<std::string> predicate_;
    std::vector<detail::index_key> expressions;
    bool unique_index = false;
    bool descending_ = false;
    key_option name(std::string n) const {
        auto c = *this;
        c.name_ = std::move(n);
        return c;
    }
    key_option where(std::string p) const {
        auto c = *this;
        c.predicate_ = std::move(p);
        return c;
    }
    key_option desc() const {
        auto c = *this;
        c.descending_ = true;
        return c;
    }

    template <class Table>
    void apply_table(Table& t) const {
        std::vector<std::string> names;
        std::apply([&](auto... p) { (names.push_back(t.column_name(p)), ...); }, members);
        if (kind == primary) {
            t.info.primary_key = names;
            t.info.primary_key_name = name_;
        } else if (kind == unique) {
            t.info.uniques.push_back({name_, names, std::nullopt});
        } else {
            detail::index_info i;
            i.name = name_;
            for (auto& n : names) i.keys.push_back({n, false, descending_});
            for (auto& e : expressions) i.keys.push_back(e);
            i.unique = unique_index;
            i.predicate = predicate_;
            t.info.indexes.push_back(std::move(i));
        }
    }
};
namespace detail {
template <class... P>
key_option<P...> make_key(typename key_option<P...>::kind_t kind, P... members) {
    key_option<P...> k;
    k.kind = kind;
    k.members = {members...};
    return k;
}
}  // namespace detail
template <class P1, class P2, class... P>
requires std::is_member_object_pointer_v<P1> key_option<P1, P2, P...> primary_key(P1 a, P2 b,
                                                                                  P... rest) {
    return detail::make_key(key_option<P1, P2, P...>::primary, a, b, rest...);
}
// (Not named unique(): argument-dependent lookup would find std::unique for members of
// standard types.)
template <class P1, class P2, class... P>
requires std::is_member_object_pointer_v<P1> key_option<P1, P2, P...> unique_constraint(P1 a, P2 b,
                                                                                        P... rest) {
    return detail::make_key(key_option<P1, P2, P...>::unique, a, b, rest...);
}
template <class P1, class... P>
requires std::is_member_object_pointer_v<P1> key_option<P1, P...> index(P1 a, P... rest) {
    return detail::make_key(key_option<P1, P...>::index, a, rest...);
}
template <class P1, class... P>
requires std::is_member_object_pointer_v<P1> key_option<P1, P...> unique_index(P1 a, P... rest) {
    auto k = detail::make_key(key_option<P1, P...>::index, a, rest...);
    k.unique_index = true;
    return k;
}
// An index on an expression, written as the catalog prints it ("lower(name)").
inline key_option<> index_on(std::string expression) {
    key_option<> k;
    k.expressions.push_back({std::move(expression), true, false});
    return k;
}
inline key_option<> unique_index_on(std::string expression) {
    auto k = index_on(std::move(expression));
    k.unique_index = true;
    return k;
}

// foreign_key(&hero::a, &hero::b).references(&team::x, &team::y): a composite foreign key.
template <class... P>
struct foreign_key_option : detail::table_option {
    std::tuple<P...> members;
    std::function<detail::key_target()> target;
    action on_delete_ = action::no_action;
    action on_update_ = action::no_action;
    std::optional<std::string> name_;
    template <class... Q>
    foreign_key_option references(Q... referenced) const;
    foreign_key_option on_delete(action a) const {
        auto c = *this;
        c.on_delete_ = a;
        return c;
    }
    foreign_key_option on_update(action a) const {
        auto c = *this;
        c.on_update_ = a;
        return c;
    }
    foreign_key_option name(std::string n) const {
        auto c = *this;
        c.name_ = std::move(n);
        return c;
    }
    template <class Table>
    void apply_table(Table& t) const {
        detail::foreign_key_info fk;
        std::apply([&](auto... p) { (fk.columns.push_back(t.column_name(p)), ...); }, members);
        fk.name = name_;
        fk.target = target;
        fk.on_delete = detail::action_sql(on_delete_);
        fk.on_update = detail::action_sql(on_update_);
        t.info.foreign_keys.push_back(std::move(fk));
    }
};
template <class... P>
requires(std::is_member_object_pointer_v<P>&&...)
    foreign_key_option<P...> foreign_key(P... members) {
    foreign_key_option<P...> f;
    f.members = {members...};
    return f;
}

// validate(&hero::age, predicate, "reason"): runs before every insert and update; a false
// result throws ender::validation_error naming the column.
template <class T, class M, class F>
struct validator : detail::table_option {
    M T::*member;
    F predicate;
    std::string reason;
    template <class Table>
    void apply_table(Table& t) const {
        auto name = t.column_name(member);
        auto table_name = t.info.name;
        t.validators.push_back(
            {name,
             [m = member, p = predicate, r = reason, name, table_name](const T& obj) {
                 if (!p(obj.*m)) throw validation_error(table_name, name, r);
             },
             {}});
    }
};
template <class T, class M, class F>
requires std::predicate<F, const M&> validator<T, M, F> validate(M T::*member, F predicate,
                                                                 std::string reason) {
    return {{}, member, std::move(predicate), std::move(reason)};
}

}  // namespace ender
