// The online operation lines the diff proposes (see online_forms.hpp).
#include "online_forms.hpp"

#include "diff.hpp"

#include <cctype>
#include <string_view>

namespace ender::engine {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// The index just after the parenthesised group that opens at s[open], quotes and nested
// parentheses respected; npos when it does not close.
std::size_t after_group(std::string_view s, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            std::size_t end = s.find(c, i + 1);
            if (end == std::string_view::npos) return end;
            i = end;  // a doubled quote reads as two quoted runs: the same result
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '.' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// "ON DELETE CASCADE ON UPDATE SET NULL" as pg_get_constraintdef writes a foreign key's tail
// (ON UPDATE first): the two actions in the operation's order (ON DELETE first); nothing when
// the tail holds anything else (MATCH FULL, SET NULL (columns), DEFERRABLE...).
std::optional<std::string> foreign_key_actions(std::string_view tail) {
    std::string on_delete, on_update;
    while (true) {
        while (!tail.empty() && tail.front() == ' ') tail.remove_prefix(1);
        if (tail.empty()) break;
        std::string* action = starts_with(tail, "ON DELETE ")   ? &on_delete
                              : starts_with(tail, "ON UPDATE ") ? &on_update
                                                                : nullptr;
        if (!action) return std::nullopt;
        tail.remove_prefix(10);
        bool known = false;
        for (std::string_view a : {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"})
            if (starts_with(tail, a) && (tail.size() == a.size() || tail[a.size()] == ' ')) {
                *action = std::string(tail.substr(0, a.size()));
                tail.remove_prefix(a.size());
                known = true;
                break;
            }
        if (!known) return std::nullopt;
    }
    return (on_delete.empty() ? "" : " ON DELETE " + on_delete) +
           (on_update.empty() ? "" : " ON UPDATE " + on_update);
}

// FOREIGN KEY (cols) REFERENCES [schema.]table (cols) [ON DELETE action] [ON UPDATE action].
std::optional<std::string> foreign_key(const constraint_def& c) {
    std::string_view d = c.definition;
    const std::string_view head = "FOREIGN KEY ", refs = " REFERENCES ";
    if (!starts_with(d, head)) return std::nullopt;
    std::size_t local_end = after_group(d, head.size());
    if (local_end == std::string_view::npos || !starts_with(d.substr(local_end), refs))
        return std::nullopt;
    std::size_t table_start = local_end + refs.size(), open = table_start;
    for (bool quoted = false; open < d.size() && (quoted || d[open] != '('); ++open)
        if (d[open] == '"') quoted = !quoted;
    std::size_t ref_end = open < d.size() ? after_group(d, open) : std::string_view::npos;
    if (ref_end == std::string_view::npos) return std::nullopt;
    auto actions = foreign_key_actions(d.substr(ref_end));
    if (!actions) return std::nullopt;
    std::string table = c.references ? qualified(*c.references)
                                     : std::string(d.substr(table_start, open - table_start));
    return std::string(d.substr(0, local_end)) + " REFERENCES " + table + " " +
           std::string(d.substr(open, ref_end - open)) + *actions;
}

}  // namespace

bool is_simple_key(const constraint_def& c) {
    const std::string& d = c.definition;
    bool shape = (c.type == "primary key" && d.rfind("PRIMARY KEY (", 0) == 0) ||
                 (c.type == "unique" && d.rfind("UNIQUE (", 0) == 0);
    return shape && !c.deferrable && d.back() == ')' && d.find(')') == d.size() - 1;
}

namespace online_form {

std::vector<std::string> called_functions(std::string_view e) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (e[i] == '\'') {  // a literal: skipped (a doubled quote reads as two literals)
            std::size_t end = e.find('\'', i + 1);
            if (end == std::string_view::npos) break;
            i = end;
        } else if (e[i] == '(' && i > 0 && (name_char(e[i - 1]) || e[i - 1] == '"')) {
            std::size_t start = i;  // back over the name: plain and quoted parts, dots
            while (start > 0) {
                if (e[start - 1] == '"') {
                    std::size_t open = e.rfind('"', start - 2);
                    if (open == std::string_view::npos || start < 2) break;
                    start = open;
                } else if (name_char(e[start - 1])) {
                    --start;
                } else {
                    break;
                }
            }
            out.emplace_back(e.substr(start, i - start));
        }
    }
    return out;
}

std::string alter_column(const qualified_name& table, const std::string& column,
                         const std::string& new_type, const std::string& up,
                         const std::string& down) {
    return "alter_column " + qualified(table) + " " + quote_ident(column) + " TYPE " + new_type +
           " USING (" + up + ") DOWN (" + down + ")";
}

std::string rename_column(const qualified_name& table, const std::string& from,
                          const std::string& to) {
    return "rename_column " + qualified(table) + " " + quote_ident(from) + " TO " + quote_ident(to);
}

std::optional<std::string> add_column(const qualified_name& table, const column_def& c,
                                      const std::map<std::string, char>& volatility) {
    if (!c.not_null || c.identity || c.generated || c.collation) return std::nullopt;
    if (c.default_expr) {
        bool rewrites = false;  // a volatile call: ADD COLUMN would rewrite the table
        for (const auto& f : called_functions(*c.default_expr)) {
            auto known = volatility.find(f);
            rewrites = rewrites || known == volatility.end() || known->second == 'v';
        }
        if (!rewrites) return std::nullopt;
    }
    std::string line =
        "add_column " + qualified(table) + " " + quote_ident(c.name) + " " + c.type + " NOT NULL";
    if (c.default_expr) line += " DEFAULT (" + *c.default_expr + ")";
    return line + " BACKFILL (" + (c.default_expr ? *c.default_expr : "NULL") + ")";
}

std::string set_not_null(const qualified_name& table, const std::string& column) {
    return "set_not_null " + qualified(table) + " " + quote_ident(column);
}

std::optional<std::string> add_constraint(const qualified_name& table, const constraint_def& c) {
    if (!c.valid || c.deferrable) return std::nullopt;
    const std::string head = qualified(table) + " " + quote_ident(c.name) + " ";
    const std::string& d = c.definition;
    if (is_simple_key(c))
        return (c.type == "primary key" ? "add_primary_key " : "add_unique ") + head +
               d.substr(d.find('('));
    if (c.type == "check" && d.rfind("CHECK (", 0) == 0 && after_group(d, 6) == d.size())
        return "add_constraint " + head + d;
    if (c.type == "foreign key")
        if (auto fk = foreign_key(c)) return "add_constraint " + head + *fk;
    return std::nullopt;
}

std::optional<std::string> create_index(const qualified_name& table, const index_def& i) {
    const std::string& d = i.definition;
    std::size_t using_at = d.find(" USING ");
    if (i.unique || !starts_with(d, "CREATE INDEX ") || using_at == std::string::npos)
        return std::nullopt;
    std::string tail = d.substr(using_at + 1);  // USING method (keys) [INCLUDE] [WITH] [WHERE]
    std::size_t where = tail.find(" WHERE ", after_group(tail, tail.find('(')));
    if (where != std::string::npos) {
        std::string predicate = tail.substr(where + 7);
        if (!starts_with(predicate, "(") || after_group(predicate, 0) != predicate.size())
            tail = tail.substr(0, where) + " WHERE (" + predicate + ")";
    }
    return "create_index " + quote_ident(i.name) + " ON " + qualified(table) + " " + tail;
}

std::string drop_index(const std::string& schema, const std::string& name) {
    return "drop_index " + qualified({schema, name});
}

}  // namespace online_form
}  // namespace ender::engine
