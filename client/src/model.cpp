// The out-of-line parts of model mapping and queries: table descriptions, clause rendering,
// and the errors of object writes.
#include "ender/query.hpp"

namespace ender {

namespace detail {

std::string action_sql(action a) {
    switch (a) {
        case action::restrict:
            return "restrict";
        case action::cascade:
            return "cascade";
        case action::set_null:
            return "set null";
        case action::set_default:
            return "set default";
        case action::no_action:
            break;
    }
    return "no action";
}

std::string table_info::qualified() const {
    return qualified_name(schema, name);
}

int table_info::find(std::string_view column) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == column) return int(i);
    return -1;
}

int table_info::soft_delete_column() const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].soft_delete) return int(i);
    return -1;
}

std::string returning_list(const table_info& t) {
    std::string out;
    for (const auto& c : t.columns) {
        if (!out.empty()) out += ", ";
        out += quote_ident(c.name);
        if (c.select_as_text) out += "::text";
    }
    return out;
}

void no_primary_key(const table_info& t) {
    throw usage_error("42P10", "table \"" + t.name + "\" has no primary key", "",
                      "Declare one with ender::primary_key() to get, update or remove objects.");
}

void row_not_found(const table_info& t, std::string_view what) {
    throw_error(
        "P0002", "no row of table \"" + t.name + "\" has the object's primary key",
        "The " + std::string(what) + " changed nothing: the row was deleted, or never inserted.");
}

void not_soft_deletable(const table_info& t) {
    throw usage_error("0A000", "table \"" + t.name + "\" has no soft-delete column",
                      "restore() clears deleted_at, which only a model with the soft-delete "
                      "mixin has.",
                      "Embed ender::soft_delete in the model, or insert the object again.");
}

void nothing_to_restore(const table_info& t) {
    throw_error("P0002",
                "no soft-deleted row of table \"" + t.name + "\" has the object's primary key",
                "The restore changed nothing: the row is not deleted, or does not exist.");
}

void wrong_key_count(const table_info& t, std::size_t given) {
    throw usage_error("42P10", "table \"" + t.name + "\" has a primary key of " +
                                   std::to_string(t.primary_key.size()) + " columns, " +
                                   std::to_string(given) + " values were given");
}

fragment clauses::render(const fragment& select_list) const {
    fragment f(with);
    f.sql("SELECT ").append(select_list);
    if (!from.empty()) f.sql(" FROM ").sql(from);
    f.append(joins);
    auto list = [&](const std::vector<fragment>& items, std::string_view head,
                    std::string_view separator) {
        for (std::size_t i = 0; i < items.size(); ++i) f.sql(i ? separator : head).append(items[i]);
    };
    list(where, " WHERE ", " AND ");
    list(group_by, " GROUP BY ", ", ");
    list(having, " HAVING ", " AND ");
    list(order_by, " ORDER BY ", ", ");
    if (limit) f.sql(" LIMIT ").bind(make_param(*limit));
    if (offset) f.sql(" OFFSET ").bind(make_param(*offset));
    return f;
}

}  // namespace detail
}  // namespace ender
