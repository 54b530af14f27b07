// Queries over mapped models: typed expressions over member pointers (comparisons, &&, ||, !,
// in, like, is_null, aggregates, exists), select builders with joins, grouping, ordering and
// paging, raw rows mapped to models, explain, and insert/get/update/remove of objects.
#pragma once

#include "ender/detail/fragment.hpp"
#include "ender/detail/load_plan.hpp"
#include "ender/model.hpp"
#include "ender/session.hpp"

#include <array>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace ender {

// An SQL expression whose value reads as the C++ type V (bool for conditions).
template <class V>
struct expr {
    using value_type = V;
    detail::fragment f;
};

namespace detail {
template <class T>
struct is_expr : std::false_type {};
template <class V>
struct is_expr<expr<V>> : std::true_type {};

template <class T>
struct is_time_point : std::false_type {};
template <class C, class D>
struct is_time_point<std::chrono::time_point<C, D>> : std::true_type {};

template <class T>
using value_base = strip_optional_t<std::decay_t<T>>;

// Whether a column or expression of type A can be compared with a value of type B.
template <class A, class B>
concept comparable =
    std::is_same_v<A, B> ||(std::is_arithmetic_v<A>&& std::is_arithmetic_v<B> &&
                            !std::is_same_v<A, bool> && !std::is_same_v<B, bool>) ||
    (std::is_same_v<A, std::string> && std::is_convertible_v<B, std::string_view>) ||
    (std::is_same_v<A, decimal> && std::is_arithmetic_v<B> && !std::is_same_v<B, bool>) ||
    (is_time_point<A>::value && is_time_point<B>::value);

// The operand's SQL: an expression's own, or a bound parameter for a value.
template <class B>
fragment operand(const B& b) {
    if constexpr (is_expr<B>::value)
        return b.f;
    else
        return fragment().bind(to_param(b));
}
template <class B>
struct operand_type {
    using type = value_base<B>;
};
template <class V>
struct operand_type<expr<V>> {
    using type = value_base<V>;
};
template <>
struct operand_type<const char*> {
    using type = const char*;
};
template <class B>
using operand_t = typename operand_type<std::decay_t<B>>::type;

inline fragment binary_op(const fragment& l, std::string_view op, const fragment& r) {
    fragment f("(");
    f.append(l).sql(" ").sql(op).sql(" ").append(r).sql(")");
    return f;
}
}  // namespace detail

// col(&hero::age): the column mapping a member, usable in expressions. col<hero>(&mixin::m)
// names a column of an embedded mixin.
// col<manager>(&employee::name) names an inherited column of a subtype (inheritance.hpp).
namespace detail {
template <class T, class C, class M>
expr<M> column_expr(M C::*member) {
    const auto& m = model_of<T>();
    auto i = m.column_index(member);
    return expr<M>{
        fragment(quote_ident(m.info.qualifier(i)) + "." + quote_ident(m.info.columns[i].name))};
}
}  // namespace detail
template <class T, class M>
requires mapped_model<T> expr<M> col(M T::*member) {
    return detail::column_expr<T>(member);
}
template <class Model, class Mixin, class M>
requires(mapped_model<Model> && !std::is_same_v<Model, Mixin>) expr<M> col(M Mixin::*member) {
    return detail::column_expr<Model>(member);
}

#define ENDER_COMPARISON(OP, SQL)                                                       \
    template <class A, class B>                                                         \
    requires detail::comparable<detail::value_base<A>, detail::operand_t<B>> expr<bool> \
    operator OP(const expr<A>& l, const B& r) {                                         \
        return {detail::binary_op(l.f, SQL, detail::operand(r))};                       \
    }
ENDER_COMPARISON(==, "=")
ENDER_COMPARISON(!=, "<>")
ENDER_COMPARISON(<, "<")
ENDER_COMPARISON(<=, "<=")
ENDER_COMPARISON(>, ">")
ENDER_COMPARISON(>=, ">=")
#undef ENDER_COMPARISON

inline expr<bool> operator&&(const expr<bool>& l, const expr<bool>& r) {
    return {detail::binary_op(l.f, "AND", r.f)};
}
inline expr<bool> operator||(const expr<bool>& l, const expr<bool>& r) {
    return {detail::binary_op(l.f, "OR", r.f)};
}
inline expr<bool> operator!(const expr<bool>& e) {
    detail::fragment f("(NOT ");
    f.append(e.f).sql(")");
    return {f};
}

// e IS NULL / IS NOT NULL.
template <class V>
expr<bool> is_null(const expr<V>& e) {
    detail::fragment f("(");
    f.append(e.f).sql(" IS NULL)");
    return {f};
}
template <class V>
expr<bool> is_not_null(const expr<V>& e) {
    detail::fragment f("(");
    f.append(e.f).sql(" IS NOT NULL)");
    return {f};
}

// e = ANY($1): one array parameter, however many values.
template <class V, class B>
requires detail::comparable<detail::value_base<V>, detail::value_base<B>> expr<bool> in(
    const expr<V>& e, const std::vector<B>& values) {
    detail::fragment f("(");
    f.append(e.f).sql(" = ANY(").bind(detail::make_param(values)).sql("))");
    return {f};
}
template <class V, class B>
expr<bool> in(const expr<V>& e, std::initializer_list<B> values) {
    return in(e, std::vector<B>(values));
}

namespace detail {
template <class V>
expr<bool> pattern(const expr<V>& e, std::string_view op, std::string_view pattern) {
    static_assert(std::is_same_v<value_base<V>, std::string>,
                  "ender: like/ilike apply to text columns only");
    fragment f("(");
    f.append(e.f).sql(" ").sql(op).sql(" ").bind(to_param(pattern)).sql(")");
    return {f};
}
}  // namespace detail
template <class V>
expr<bool> like(const expr<V>& e, std::string_view pattern) {
    return detail::pattern(e, "LIKE", pattern);
}
template <class V>
expr<bool> ilike(const expr<V>& e, std::string_view pattern) {
    return detail::pattern(e, "ILIKE", pattern);
}

// Aggregates, typed as PostgreSQL types their results.
inline expr<std::int64_t> count() {
    return {detail::fragment("count(*)")};
}
template <class V>
expr<std::int64_t> count(const expr<V>& e) {
    detail::fragment f("count(");
    f.append(e.f).sql(")");
    return {f};
}
namespace detail {
template <class R, class V>
expr<R> aggregate(std::string_view name, const expr<V>& e) {
    fragment f(name);
    f.sql("(").append(e.f).sql(")");
    return {f};
}
template <class B>
using sum_t = std::conditional_t<std::is_same_v<B, std::int16_t> || std::is_same_v<B, std::int32_t>,
                                 std::int64_t,
                                 std::conditional_t<std::is_same_v<B, std::int64_t>, decimal, B>>;
template <class B>
using avg_t = std::conditional_t<std::is_integral_v<B>, decimal, B>;
}  // namespace detail
template <class V>
expr<std::optional<detail::sum_t<detail::value_base<V>>>> sum(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::sum_t<detail::value_base<V>>>>("sum", e);
}
template <class V>
expr<std::optional<detail::avg_t<detail::value_base<V>>>> avg(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::avg_t<detail::value_base<V>>>>("avg", e);
}
template <class V>
expr<std::optional<detail::value_base<V>>> min(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::value_base<V>>>("min", e);
}
template <class V>
expr<std::optional<detail::value_base<V>>> max(const expr<V>& e) {
    return detail::aggregate<std::optional<detail::value_base<V>>>("max", e);
}

// ORDER BY terms.
struct order_term {
    detail::fragment f;
};
template <class V>
order_term asc(const expr<V>& e) {
    return {detail::fragment().append(e.f).sql(" ASC")};
}
template <class V>
order_term desc(const expr<V>& e) {
    return {detail::fragment().append(e.f).sql(" DESC")};
}
template <class T, class M>
order_term asc(M T::*member) {
    return asc(col(member));
}
template <class T, class M>
order_term desc(M T::*member) {
    return desc(col(member));
}

namespace detail {
// The clauses every select shares.
struct clauses {
    std::string from;
    fragment joins;
    std::vector<fragment> where;
    std::vector<fragment> group_by;
    std::vector<fragment> having;
    std::vector<fragment> order_by;
    std::optional<std::int64_t> limit, offset;

    fragment render(const fragment& select_list) const;
    // The same clauses without ORDER BY, LIMIT and OFFSET, for count().
    clauses unordered() const {
        auto c = *this;
        c.order_by.clear();
        c.limit.reset();
        c.offset.reset();
        return c;
    }
    // SELECT count(*) FROM (statement) AS counted.
    static fragment count_of(const fragment& statement) {
        fragment f("SELECT count(*) FROM (");
        return f.append(statement).sql(") AS counted");
    }
};

// The FROM item of a model: its table; for a joined subtype, its table joined to the base's;
// for a concrete subtype, its table with its inherited columns also named as the base's
// (so col(&base::member) filters every kind of subtype query).
std::string subtype_from(const table_info& t);
template <class T>
const std::string& from_of() {
    static const std::string from = [] {
        const auto& m = model_of<T>();
        if (m.info.inheritance) return subtype_from(m.info);
        return m.info.qualified() + " AS " + quote_ident(m.info.name);
    }();
    return from;
}

// The select list of a model: every column, qualified, cast to text where the type asks
// (built once per model).
template <class T>
const std::string& model_columns() {
    static const std::string list = [] {
        const auto& m = model_of<T>();
        std::string out;
        for (std::size_t i = 0; i < m.info.columns.size(); ++i) {
            const auto& c = m.info.columns[i];
            if (!out.empty()) out += ", ";
            out += quote_ident(m.info.qualifier(i)) + "." + quote_ident(c.name);
            if (c.select_as_text) out += "::text";
        }
        return out;
    }();
    return list;
}

// Fills columns [first, first + width) of a row into a model (the result's shape was checked
// by the caller: check_model_width).
template <class T>
void read_model(T& obj, const result& r, std::size_t row, std::size_t first) {
    const auto& m = model_of<T>();
    m.for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        c.access.get(obj) = r.get_unchecked<M>(row, first + i);
    });
    for (const auto& relation : m.relations) relation->stamp(obj);
}
template <class T>
void check_model_width(const result& r) {
    r.check_width(model_of<T>().info.columns.size());
}
// The first row of a statement that returns one (RETURNING, a key lookup) into `obj`.
template <class T>
void read_one(T& obj, const result& r) {
    check_model_width<T>(r);
    if (r.empty())
        throw usage_error("02000", "the statement returned no row", "",
                          "A row trigger or rule may have suppressed the change.");
    read_model(obj, r, 0, 0);
}

// "table.kind = 'manager'" for a single-table subtype (inheritance.hpp), else empty.
std::string type_condition(const table_info& t);
template <class T>
const std::string& type_filter() {
    static const std::string filter = type_condition(model_of<T>().info);
    return filter;
}
// The rows a select of T sees by default: "table.deleted_at IS NULL" for a model with the
// soft-delete mixin, and a single-table subtype's type filter; empty when none applies.
template <class T>
const std::string& soft_delete_filter() {
    static const std::string filter = [] {
        const auto& m = model_of<T>();
        std::string out = type_filter<T>();
        int i = m.info.soft_delete_column();
        if (i < 0) return out;
        return (out.empty() ? "" : out + " AND ") + quote_ident(m.info.qualifier(std::size_t(i))) +
               "." + quote_ident(m.info.columns[std::size_t(i)].name) + " IS NULL";
    }();
    return filter;
}
}  // namespace detail

namespace detail {
// where, order_by, limit, offset and first(): what the selects of whole models (select_query,
// polymorphic_query) share.
template <class Self>
class model_clauses {
public:
    Self& where(const expr<bool>& condition) {
        c_.where.push_back(condition.f);
        return self();
    }
    Self& order_by(const order_term& o) {
        c_.order_by.push_back(o.f);
        return self();
    }
    template <class V>
    Self& order_by(const expr<V>& e) {
        return order_by(asc(e));
    }
    Self& limit(std::int64_t n) {
        c_.limit = n;
        return self();
    }
    Self& offset(std::int64_t n) {
        c_.offset = n;
        return self();
    }
    // The first row of all() (LIMIT 1), or none.
    auto first() const {
        Self q = static_cast<const Self&>(*this);
        static_cast<model_clauses&>(q).c_.limit = 1;
        auto rows = q.all();
        using row = typename decltype(rows)::value_type;
        if (rows.empty()) return std::optional<row>();
        return std::optional<row>(std::move(rows.front()));
    }

protected:
    Self& self() { return static_cast<Self&>(*this); }
    clauses c_;
};
}  // namespace detail

// A select of whole models, built fluently and run with all(), first(), one(), count().
template <class T>
class select_query : public detail::model_clauses<select_query<T>> {
    using detail::model_clauses<select_query<T>>::c_;

public:
    explicit select_query(session* db = nullptr) : db_(db) {
        static_assert(mapped_model<T>, "ender::select: the struct is not a mapped model");
        c_.from = detail::from_of<T>();
    }

    template <class U>
    select_query& join(const expr<bool>& on) {
        return add_join<U>("JOIN", on);
    }
    template <class U>
    select_query& left_join(const expr<bool>& on) {
        return add_join<U>("LEFT JOIN", on);
    }
    // Include soft-deleted rows.
    select_query& with_deleted() {
        with_deleted_ = true;
        return *this;
    }

    // Loads relationships with the objects (load.hpp): a path of relationship members, each
    // step of the model the step before loads; with() may be called several times.
    template <class... P>
    select_query& with(const P&... path);

    // The statement with its parameters (without the joins of joined loads).
    detail::fragment statement() const { return statement(false); }
    std::string sql() const { return statement().text(); }

    std::vector<T> all() const {
        auto r = run(statement(true));
        std::size_t width = model_of<T>().info.columns.size();
        for (const auto& j : joined_) width += j.width;
        r.check_width(width);
        std::vector<T> out(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) detail::read_model(out[i], r, i, 0);
        if (joined_.empty() && loads_.empty()) return out;
        std::vector<T*> owners;
        owners.reserve(out.size());
        for (auto& o : out) owners.push_back(&o);
        std::size_t at = model_of<T>().info.columns.size();
        for (const auto& j : joined_) {
            j.attach(owners, r, at);
            at += j.width;
        }
        std::vector<detail::path_planner> paths;
        for (const auto& load : loads_) paths.push_back(load(owners));
        detail::run_loads(*db_, std::move(paths));
        return out;
    }
    std::int64_t count() const {
        auto q = *this;
        q.c_ = c_.unordered();
        return run(detail::clauses::count_of(q.statement())).template get<std::int64_t>(0, 0);
    }

private:
    detail::fragment statement(bool with_joined) const {
        auto c = c_;
        const auto& f = with_deleted_ ? detail::type_filter<T>() : detail::soft_delete_filter<T>();
        if (!f.empty()) c.where.insert(c.where.begin(), detail::fragment(f));
        detail::fragment list(detail::model_columns<T>());
        if (with_joined)
            for (const auto& j : joined_) {
                list.sql(", ").sql(j.columns);
                c.joins.sql(j.join);
            }
        return c.render(list);
    }
    template <class U>
    select_query& add_join(std::string_view kind, const expr<bool>& on) {
        c_.joins.sql(" ").sql(kind).sql(" ").sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return *this;
    }
    result run(const detail::fragment& f) const {
        if (!db_)
            throw usage_error("55000", "the query is not bound to a session", "",
                              "Build it with db.select<T>() to run it.");
        return db_->run(f.text(), f.params());
    }
    session* db_;
    bool with_deleted_ = false;
    // Eager loads: the joined steps that begin a path read from the select's own rows (their
    // columns, joins and attach); every path then runs after the select, its steps side by side
    // with the other paths' (detail::run_loads).
    struct joined_load {
        std::string columns, join;
        std::size_t width;
        std::function<void(std::span<T* const>, const result&, std::size_t)> attach;
    };
    std::vector<joined_load> joined_;
    std::size_t joined_aliases_ = 0;
    std::vector<std::function<detail::path_planner(const std::vector<T*>&)>> loads_;
};

// An unbound select, for exists() subqueries.
template <class T>
select_query<T> select() {
    return select_query<T>(nullptr);
}

// EXISTS (subquery).
template <class T>
expr<bool> exists(const select_query<T>& q) {
    detail::fragment f("EXISTS (");
    f.append(q.statement()).sql(")");
    return {f};
}

// A select of expressions (columns, aggregates): rows are tuples of their types.
template <class... V>
class projection {
public:
    projection(session& db, expr<V>... exprs) : db_(&db) {
        bool first = true;
        ((list_.sql(first ? "" : ", ").append(exprs.f), first = false), ...);
    }
    template <class T>
    projection& from() {
        c_.from = detail::from_of<T>();
        return *this;
    }
    template <class U>
    projection& join(const expr<bool>& on) {
        c_.joins.sql(" JOIN ").sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return *this;
    }
    template <class U>
    projection& left_join(const expr<bool>& on) {
        c_.joins.sql(" LEFT JOIN ").sql(detail::from_of<U>()).sql(" ON ").append(on.f);
        return *this;
    }
    projection& where(const expr<bool>& condition) {
        c_.where.push_back(condition.f);
        return *this;
    }
    template <class... G>
    projection& group_by(const expr<G>&... e) {
        (c_.group_by.push_back(e.f), ...);
        return *this;
    }
    projection& having(const expr<bool>& condition) {
        c_.having.push_back(condition.f);
        return *this;
    }
    projection& order_by(const order_term& o) {
        c_.order_by.push_back(o.f);
        return *this;
    }
    projection& limit(std::int64_t n) {
        c_.limit = n;
        return *this;
    }
    projection& offset(std::int64_t n) {
        c_.offset = n;
        return *this;
    }
    detail::fragment statement() const { return c_.render(list_); }
    std::string sql() const { return statement().text(); }
    std::vector<std::tuple<V...>> all() const {
        auto f = statement();
        auto r = db_->run(f.text(), f.params());
        std::vector<std::tuple<V...>> out;
        out.reserve(r.size());
        for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.template tuple<V...>(i));
        return out;
    }

private:
    session* db_;
    detail::fragment list_;
    detail::clauses c_;
};

template <class... V>
projection<V...> select(session& db, const expr<V>&... exprs) {
    return projection<V...>(db, exprs...);
}

// A partial set of a model's fields: the create shape (insert(patch) leaves the rest to the
// server's defaults) and the update shape (update(patch, key) changes only these).
template <class T>
class patch {
public:
    template <class M, class V>
    requires std::is_assignable_v<M&, V&&> patch& set(M T::*member, V&& value) {
        draft_.*member = std::forward<V>(value);
        auto i = model_of<T>().column_index(member);
        for (auto c : columns_)
            if (c == i) return *this;
        columns_.push_back(i);
        return *this;
    }
    const T& draft() const noexcept { return draft_; }
    const std::vector<std::size_t>& columns() const noexcept { return columns_; }

private:
    T draft_{};
    std::vector<std::size_t> columns_;
};

namespace detail {
// Parameters for the listed columns of an object, in the order listed.
template <class T>
void bind_columns(fragment& f, const T& obj, std::size_t column) {
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        if (i == column) f.bind(make_param(c.access.get(obj)));
    });
}
template <class T>
bool column_is_null(const T& obj, std::size_t column) {
    bool null = false;
    model_of<T>().for_each([&](const auto& c, std::size_t i) {
        using M = typename std::decay_t<decltype(c)>::member_type;
        if constexpr (is_optional_v<M>)
            if (i == column) null = !c.access.get(obj).has_value();
    });
    return null;
}
template <class T>
fragment key_condition(const T& obj) {
    const auto& m = model_of<T>();
    fragment f;
    bool first = true;
    for (const auto& k : m.info.primary_key) {
        f.sql(first ? "" : " AND ").sql(quote_ident(k)).sql(" = ");
        bind_columns(f, obj, std::size_t(m.info.find(k)));
        first = false;
    }
    return f;
}
std::string returning_list(const table_info& t);
[[noreturn]] void no_primary_key(const table_info& t);
[[noreturn]] void row_not_found(const table_info& t, std::string_view what);
[[noreturn]] void wrong_key_count(const table_info& t, std::size_t given);

// The columns [lo, hi) of the model (a joined subtype writes two tables: its base's columns,
// then its own); `discriminator` is a single-table or joined model's type column, always
// sent with the model's identity.
struct column_range {
    std::size_t lo, hi;
};
// The discriminator column of a model that writes one (a subtype, or a base with an
// identity), with the value it writes; nullopt otherwise.
std::optional<std::pair<std::size_t, std::string>> discriminator_value(const table_info& t);
// WITH ender_base AS (<base>), ender_own AS (<own>) SELECT <the model's columns> FROM both.
fragment joined_write(const table_info& t, const fragment& base, const fragment& own);
// The base table of a joined subtype (which its deletes go to), the model's own otherwise.
std::string write_target(const table_info& t);
// `where` and, for a subtype sharing rows with other types (single, joined), the condition
// that the row is of this subtype: writes never touch a row of another type.
fragment guarded(const table_info& t, const fragment& where);

template <class T>
bool is_joined() {
    const auto& i = model_of<T>().info.inheritance;
    return i && i->style == inheritance_info::joined;
}

template <class T>
void insert_values(const T& obj, const std::vector<std::size_t>* only, column_range range,
                   fragment& names, fragment& values, bool& first) {
    const auto& m = model_of<T>();
    auto type = discriminator_value(m.info);
    for (std::size_t i = range.lo; i < range.hi; ++i) {
        const auto& c = m.info.columns[i];
        bool typed = type && type->first == i;
        if (typed) {
        } else if (only) {
            bool listed = false;
            for (auto o : *only) listed = listed || o == i;
            if (!listed) continue;
        } else if (c.server_generated || (c.default_sql && column_is_null(obj, i))) {
            continue;
        }
        names.sql(first ? "" : ", ").sql(quote_ident(c.name));
        values.sql(first ? "" : ", ");
        if (typed)
            values.bind(make_param(type->second));
        else
            bind_columns(values, obj, i);
        first = false;
    }
}

template <class T>
fragment insert_statement(const T& obj, const std::vector<std::size_t>* only) {
    const auto& m = model_of<T>();
    fragment names, values;
    bool first = true;
    if (is_joined<T>()) {
        // The base's row, then the subtype's with the key the base's got: one statement.
        const auto& inh = *m.info.inheritance;
        insert_values(obj, only, {0, inh.base_columns}, names, values, first);
        fragment base("INSERT INTO ");
        base.sql(qualified_name(inh.base_schema, inh.base_name));
        if (first)
            base.sql(" DEFAULT VALUES");
        else
            base.sql(" (").append(names).sql(") VALUES (").append(values).sql(")");
        base.sql(" RETURNING *");
        fragment own_names, own_values;
        for (const auto& k : m.info.primary_key) {
            own_names.sql(own_names.empty() ? "" : ", ").sql(quote_ident(k));
            own_values.sql(own_values.empty() ? "" : ", ").sql("ender_base." + quote_ident(k));
        }
        bool own_first = m.info.primary_key.empty();
        insert_values(obj, only, {inh.base_columns, m.info.columns.size()}, own_names, own_values,
                      own_first);
        fragment own("INSERT INTO ");
        own.sql(m.info.qualified()).sql(" (").append(own_names).sql(") SELECT ");
        own.append(own_values).sql(" FROM ender_base RETURNING *");
        return joined_write(m.info, base, own);
    }
    insert_values(obj, only, {0, m.info.columns.size()}, names, values, first);
    fragment f("INSERT INTO ");
    f.sql(m.info.qualified());
    if (first)
        f.sql(" DEFAULT VALUES");
    else
        f.sql(" (").append(names).sql(") VALUES (").append(values).sql(")");
    f.sql(" RETURNING ").sql(returning_list(m.info));
    return f;
}

template <class T>
fragment update_of(const T& obj, const std::vector<std::size_t>* only, const fragment& where,
                   const std::string& table, column_range range) {
    const auto& m = model_of<T>();
    fragment f("UPDATE ");
    f.sql(table).sql(" SET ");
    bool first = true;
    auto type = discriminator_value(m.info);  // a row's type never changes
    for (std::size_t i = range.lo; i < range.hi; ++i) {
        const auto& c = m.info.columns[i];
        if (type && type->first == i) continue;
        bool key = false;
        for (const auto& k : m.info.primary_key) key = key || k == c.name;
        if (c.on_update) {
            f.sql(first ? "" : ", ").sql(quote_ident(c.name)).sql(" = ").sql(*c.on_update);
            first = false;
            continue;
        }
        if (only) {
            bool listed = false;
            for (auto o : *only) listed = listed || o == i;
            if (!listed) continue;
        } else if (key || c.server_generated || c.soft_delete) {
            continue;
        }
        f.sql(first ? "" : ", ").sql(quote_ident(c.name)).sql(" = ");
        bind_columns(f, obj, i);
        first = false;
    }
    if (first)
        f.sql(quote_ident(m.info.primary_key.at(0)))
            .sql(" = ")
            .sql(quote_ident(m.info.primary_key.at(0)));
    f.sql(" WHERE ").append(where);
    if (auto s = m.info.soft_delete_column();
        s >= 0 && std::size_t(s) >= range.lo && std::size_t(s) < range.hi)
        f.sql(" AND ").sql(quote_ident(m.info.columns[std::size_t(s)].name)).sql(" IS NULL");
    return f;
}

template <class T>
fragment update_statement(const T& obj, const std::vector<std::size_t>* only, const fragment& where,
                          bool returning = true) {
    const auto& m = model_of<T>();
    if (is_joined<T>()) {
        // Both rows in one statement; the model's columns read back from both.
        const auto& inh = *m.info.inheritance;
        // The base's row only when the subtype's exists: a row of another type is left as is.
        auto base =
            update_of(obj, only, guarded(m.info, where),
                      qualified_name(inh.base_schema, inh.base_name), {0, inh.base_columns});
        auto own = update_of(obj, only, where, m.info.qualified(),
                             {inh.base_columns, m.info.columns.size()});
        return joined_write(m.info, base.sql(" RETURNING *"), own.sql(" RETURNING *"));
    }
    auto f = update_of(obj, only, guarded(m.info, where), m.info.qualified(),
                       {0, m.info.columns.size()});
    if (returning) f.sql(" RETURNING ").sql(returning_list(m.info));
    return f;
}

template <class T, class... K>
fragment key_values(const K&... key) {
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) no_primary_key(m.info);
    if (m.info.primary_key.size() != sizeof...(K)) wrong_key_count(m.info, sizeof...(K));
    fragment f;
    std::size_t i = 0;
    auto add = [&](const auto& k) {
        f.sql(i ? " AND " : "")
            .sql(quote_ident(m.info.primary_key[i]))
            .sql(" = ")
            .bind(to_param(k));
        ++i;
    };
    (add(key), ...);
    return f;
}

// Raw rows into a model, columns matched by name.
template <class T>
requires mapped_model<T>
struct row_reader<T> {
    const result& r;
    std::vector<int> positions;  // result column of each model column, or -1
    explicit row_reader(const result& res) : r(res) {
        const auto& m = model_of<T>();
        positions.assign(m.info.columns.size(), -1);
        for (std::size_t i = 0; i < r.columns(); ++i) {
            int c = m.info.find(r.column_name(i));
            if (c < 0)
                throw usage_error("42703",
                                  "column \"" + r.column_name(i) +
                                      "\" of the result is not a column of table \"" + m.info.name +
                                      "\"",
                                  "", "Select only the model's columns, or read into a tuple.");
            positions[std::size_t(c)] = int(i);
        }
    }
    T read(std::size_t row) const {
        T obj{};
        model_of<T>().for_each([&](const auto& c, std::size_t i) {
            using M = typename std::decay_t<decltype(c)>::member_type;
            if (positions[i] >= 0) c.access.get(obj) = r.get<M>(row, std::size_t(positions[i]));
        });
        return obj;
    }
};
}  // namespace detail

// ---- session members for models

template <class T>
select_query<T> session::select() {
    static_assert(mapped_model<T>,
                  "ender::session::select<T>: T is not a mapped model (declare ender_model)");
    return select_query<T>(this);
}

template <class T, class... K>
std::optional<T> session::get(const K&... key) {
    static_assert(mapped_model<T>, "ender::session::get<T>: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.size() != sizeof...(K)) {
        if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
        detail::wrong_key_count(m.info, sizeof...(K));
    }
    // The statement is the same for every call: built once per model (the hot path).
    static const std::string sql = [&] {
        auto q = select_query<T>(nullptr);
        std::vector<detail::param> placeholders(sizeof...(K));
        detail::fragment where;
        for (std::size_t i = 0; i < sizeof...(K); ++i) {
            where.sql(i ? " AND " : "")
                .sql(detail::quote_ident(
                         m.info.qualifier(std::size_t(m.info.find(m.info.primary_key[i])))) +
                     "." + detail::quote_ident(m.info.primary_key[i]))
                .sql(" = ")
                .bind(placeholders[i]);
        }
        q.where(expr<bool>{where});
        return q.statement().text();
    }();
    std::array<detail::param, sizeof...(K)> params{detail::to_param(key)...};
    auto r = run(sql, params);
    if (r.empty()) return std::nullopt;
    T object{};
    detail::read_one(object, r);
    return object;
}

template <class T>
requires(!detail::is_patch<T>::value) void session::insert(T& object) {
    static_assert(mapped_model<T>, "ender::session::insert: T is not a mapped model");
    model_of<T>().validate(object);
    auto f = detail::insert_statement(object, nullptr);
    auto r = run(f.text(), f.params());
    detail::read_one(object, r);
}

template <class T>
T session::insert(const patch<T>& values) {
    model_of<T>().validate(values.draft(), &values.columns());
    auto f = detail::insert_statement(values.draft(), &values.columns());
    auto r = run(f.text(), f.params());
    T object{};
    detail::read_one(object, r);
    return object;
}

template <class T>
void session::update(T& object) {
    static_assert(mapped_model<T>, "ender::session::update: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
    m.validate(object);
    auto f = detail::update_statement(object, nullptr, detail::key_condition(object));
    auto r = run(f.text(), f.params());
    if (r.empty()) detail::row_not_found(m.info, "update");
    detail::read_one(object, r);
}

template <class T, class... K>
std::optional<T> session::update(const patch<T>& values, const K&... key) {
    const auto& m = model_of<T>();
    m.validate(values.draft(), &values.columns());
    auto f =
        detail::update_statement(values.draft(), &values.columns(), detail::key_values<T>(key...));
    auto r = run(f.text(), f.params());
    if (r.empty()) return std::nullopt;
    T object{};
    detail::read_one(object, r);
    return object;
}

template <class T>
void session::remove(T& object, removal mode) {
    static_assert(mapped_model<T>, "ender::session::remove: T is not a mapped model");
    const auto& m = model_of<T>();
    if (m.info.primary_key.empty()) detail::no_primary_key(m.info);
    int soft = m.info.soft_delete_column();
    if (soft >= 0 && mode == removal::soft_when_mapped) {
        const auto& name = detail::quote_ident(m.info.columns[std::size_t(soft)].name);
        detail::fragment f("UPDATE ");
        f.sql(m.info.qualified()).sql(" SET ").sql(name).sql(" = now() WHERE ");
        f.append(detail::key_condition(object)).sql(" AND ").sql(name).sql(" IS NULL RETURNING ");
        f.sql(detail::returning_list(m.info));
        auto r = run(f.text(), f.params());
        if (r.empty()) detail::row_not_found(m.info, "remove");
        detail::read_one(object, r);
        return;
    }
    detail::fragment f("DELETE FROM ");
    f.sql(detail::write_target(m.info)).sql(" WHERE ");
    f.append(detail::guarded(m.info, detail::key_condition(object)));
    if (run(f.text(), f.params()).affected_rows() == 0) detail::row_not_found(m.info, "remove");
}

template <class T>
std::string session::explain(const select_query<T>& query, bool analyze) {
    auto f = detail::fragment(analyze ? "EXPLAIN (ANALYZE, FORMAT TEXT) " : "EXPLAIN ");
    f.append(query.statement());
    auto r = run(f.text(), f.params());
    std::string plan;
    for (std::size_t i = 0; i < r.size(); ++i) plan += r.get<std::string>(i, 0) + "\n";
    return plan;
}

}  // namespace ender
