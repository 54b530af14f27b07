// The names PostgreSQL would choose for what the models leave unnamed, and the definitions of
// keys, constraints and indexes spelled as its deparsers print them (schema_resolve.hpp).
#include "schema_resolve.hpp"

#include "naming_convention.hpp"

#include "engine/quote.hpp"

#include <algorithm>
#include <map>

namespace ender::detail {

namespace {

using nlohmann::json;

using engine::max_identifier;
using engine::truncate_utf8;

// PostgreSQL's makeObjectName: name1_name2_label, trimming the longer part to fit 63 bytes.
std::string object_name(std::string name1, std::string name2, const std::string& label) {
    std::size_t overhead = label.size() + 1 + (name2.empty() ? 0 : 1);
    std::size_t avail = max_identifier - overhead;
    std::size_t n1 = name1.size(), n2 = name2.size();
    while (n1 + n2 > avail) {
        if (n1 > n2)
            --n1;
        else
            --n2;
    }
    std::string out = truncate_utf8(name1, n1);
    if (!name2.empty()) out += "_" + truncate_utf8(name2, n2);
    return out + "_" + label;
}

// The names already taken in each schema, so that a second default name gets a number as
// PostgreSQL's ChooseRelationName / ChooseConstraintName do.
struct name_registry {
    std::map<std::string, std::set<std::string>> relations, constraints;
    std::string choose(std::set<std::string>& taken, const std::string& name1,
                       const std::string& name2, const std::string& label) {
        std::string name = object_name(name1, name2, label);
        for (int pass = 1; taken.count(name); ++pass)
            name = object_name(name1, name2, label + std::to_string(pass));
        taken.insert(name);
        return name;
    }
};

// The columns quoted, with ", " between them.
std::string quoted_list(const std::vector<std::string>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quote_ident(c);
    return out;
}

// The columns an expression names (identifiers outside string literals), in table order.
std::vector<std::string> columns_in(const std::string& expression, const table_info& t) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < expression.size();) {
        char c = expression[i];
        if (c == '\'') {
            for (++i; i < expression.size() && expression[i] != '\''; ++i) {
            }
            ++i;
        } else if (c == '"') {
            std::string id;
            for (++i; i < expression.size(); ++i) {
                if (expression[i] == '"') {
                    if (i + 1 < expression.size() && expression[i + 1] == '"') {
                        id += '"';
                        ++i;
                        continue;
                    }
                    break;
                }
                id += expression[i];
            }
            ++i;
            seen.insert(id);
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::string id;
            while (i < expression.size() &&
                   (std::isalnum(static_cast<unsigned char>(expression[i])) ||
                    expression[i] == '_' || expression[i] == '$'))
                id += expression[i++];
            // a function name or a type after :: is not a column
            if (i < expression.size() && expression[i] == '(') continue;
            seen.insert(id);
        } else {
            ++i;
        }
    }
    std::vector<std::string> out;
    for (const auto& c : t.columns)
        if (seen.count(c.name)) out.push_back(c.name);
    return out;
}

// The column name PostgreSQL gives an index key expression: the function's name, or "expr".
std::string expression_label(const std::string& e) {
    std::size_t i = 0;
    while (i < e.size() && (std::isalnum(static_cast<unsigned char>(e[i])) || e[i] == '_')) ++i;
    if (i > 0 && i < e.size() && e[i] == '(' && !std::isdigit(static_cast<unsigned char>(e[0])))
        return e.substr(0, i);
    return "expr";
}

}  // namespace

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

std::vector<resolved_table> resolve(const std::vector<detail::table_info>& tables,
                                    const naming_convention& naming) {
    name_registry names;
    // The convention's name for an unnamed object (a number added when it is taken, as
    // PostgreSQL does), or nothing when the convention leaves this kind to PostgreSQL.
    auto conventional = [](const std::string& templ, const detail::naming_subject& subject,
                           std::set<std::string>& taken) -> std::optional<std::string> {
        if (templ.empty()) return std::nullopt;
        std::string base = detail::apply_naming_template(templ, subject), name = base;
        for (int pass = 1; taken.count(name); ++pass)
            name = detail::apply_naming_template(templ + std::to_string(pass), subject);
        return name;
    };
    std::vector<resolved_table> out;
    for (const auto& t : tables) names.relations[t.schema].insert(t.name);
    for (const auto& t : tables) {
        resolved_table r{&t, {}, {}, {}, {}};
        auto& relations = names.relations[t.schema];
        for (const auto& c : t.columns) {
            r.defaults.push_back(c.default_sql);
            if (!c.serial) continue;
            auto seq = names.choose(relations, t.name, c.name, "seq");
            r.sequences.push_back({seq, c.name, c.type});
            r.defaults.back() =
                "nextval(" + quote_literal(qualified_name(t.schema, seq)) + "::regclass)";
        }
        auto& constraints = names.constraints[t.schema];
        auto take = [&](const std::optional<std::string>& given, const std::string& name2,
                        const std::string& label, bool index_backed, const std::string& templ,
                        const detail::naming_subject& subject) {
            std::string name;
            auto& taken = index_backed ? relations : constraints;
            if (given) {
                name = *given;
            } else if (auto named = conventional(templ, subject, taken)) {
                name = *named;
                taken.insert(name);
            } else {
                name = names.choose(taken, t.name, name2, label);
            }
            constraints.insert(name);
            if (index_backed) relations.insert(name);
            return name;
        };
        if (!t.primary_key.empty())
            r.constraints.push_back({take(t.primary_key_name, "", "pkey", true, naming.primary_key,
                                          {t.name, t.primary_key, {}, {}}),
                                     "primary key",
                                     "PRIMARY KEY (" + quoted_list(t.primary_key) + ")",
                                     t.primary_key, nullptr, std::nullopt});
        for (const auto& u : t.uniques)
            r.constraints.push_back({take(u.name, joined(u.columns, "_"), "key", true,
                                          naming.unique, {t.name, u.columns, {}, {}}),
                                     "unique", "UNIQUE (" + quoted_list(u.columns) + ")", u.columns,
                                     nullptr, u.comment});
        for (const auto& c : t.checks) {
            auto cols = columns_in(c.expression, t);
            detail::naming_subject subject{
                t.name, cols, {}, cols.empty() ? "expr" : joined(cols, "_")};
            r.constraints.push_back({take(c.name, cols.size() == 1 ? cols[0] : "", "check", false,
                                          naming.check, subject),
                                     "check", "CHECK ((" + c.expression + "))", cols, nullptr,
                                     c.comment});
        }
        for (const auto& i : t.indexes) {
            std::vector<std::string> labels;
            std::string keys;
            for (const auto& k : i.keys) {
                labels.push_back(k.expression ? expression_label(k.text) : k.text);
                if (!keys.empty()) keys += ", ";
                keys += k.expression ? k.text : quote_ident(k.text);
                if (k.descending) keys += " DESC";
            }
            std::string name;
            if (i.name)
                name = *i.name;
            else if (auto named = conventional(naming.index, {t.name, labels, {}, {}}, relations))
                name = *named;
            else
                name = names.choose(relations, t.name, joined(labels, "_"), "idx");
            relations.insert(name);
            std::string def = std::string("CREATE ") + (i.unique ? "UNIQUE " : "") + "INDEX " +
                              quote_ident(name) + " ON " + t.qualified() + " USING " + i.method +
                              " (" + keys + ")";
            std::optional<std::string> predicate;
            if (i.predicate) {
                predicate = "(" + *i.predicate + ")";
                def += " WHERE " + *predicate;
            }
            r.indexes.push_back({name, def, i.unique, predicate, i.method, i.comment});
        }
        out.push_back(std::move(r));
    }
    // Foreign keys last: their targets may be any of the tables.
    for (auto& r : out) {
        const auto& t = *r.t;
        auto& constraints = names.constraints[t.schema];
        for (const auto& fk : t.foreign_keys) {
            auto target = fk.target();
            std::string name;
            if (fk.name)
                name = *fk.name;
            else if (auto named = conventional(naming.foreign_key,
                                               {t.name, fk.columns, target.table, {}}, constraints))
                name = *named;
            else
                name = names.choose(constraints, t.name, joined(fk.columns, "_"), "fkey");
            constraints.insert(name);
            std::string def = "FOREIGN KEY (" + quoted_list(fk.columns) + ") REFERENCES " +
                              qualified_name(target.schema, target.table) + "(" +
                              quoted_list(target.columns) + ")";
            if (fk.on_update != "no action") def += " ON UPDATE " + upper(fk.on_update);
            if (fk.on_delete != "no action") def += " ON DELETE " + upper(fk.on_delete);
            json refs = {{"match", "simple"},         {"table", target.table},
                         {"schema", target.schema},   {"columns", target.columns},
                         {"on_delete", fk.on_delete}, {"on_update", fk.on_update}};
            r.constraints.push_back({name, "foreign key", def, fk.columns, refs, fk.comment});
        }
    }
    return out;
}

std::vector<detail::enum_info> enums_of(const std::vector<detail::table_info>& tables) {
    std::map<std::pair<std::string, std::string>, detail::enum_info> found;
    for (const auto& t : tables)
        for (const auto& c : t.columns)
            if (c.enum_type)
                found.emplace(std::pair(c.enum_type->schema, c.enum_type->name), *c.enum_type);
    std::vector<detail::enum_info> out;
    out.reserve(found.size());
    for (auto& [key, e] : found) out.push_back(e);
    return out;
}

std::set<std::string> schemas_of(const std::vector<detail::table_info>& tables) {
    std::set<std::string> s{"public"};
    for (const auto& t : tables) s.insert(t.schema);
    for (const auto& e : enums_of(tables)) s.insert(e.schema);
    return s;
}

}  // namespace ender::detail
