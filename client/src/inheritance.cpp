// Inheritance: the tables of each style, the FROM of subtype selects, the statement that reads
// a whole hierarchy, and the joined style's two-table writes.
#include "ender/inheritance.hpp"

namespace ender::detail {

namespace {

std::string style_name(inheritance_info::style_t s) {
    switch (s) {
        case inheritance_info::single:
            return "single_table";
        case inheritance_info::joined:
            return "joined_table";
        case inheritance_info::concrete:
            break;
    }
    return "concrete_table";
}

std::string column_list(const table_info& t, const std::string& alias, std::size_t from,
                        std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i)
        out +=
            (out.empty() ? "" : ", ") + quote_ident(alias) + "." + quote_ident(t.columns[i].name);
    return out;
}

// "a.k1 = b.k1 AND a.k2 = b.k2" over a primary key.
std::string key_join(const std::vector<std::string>& key, const std::string& a,
                     const std::string& b) {
    std::string out;
    for (const auto& k : key)
        out += (out.empty() ? "" : " AND ") + quote_ident(a) + "." + quote_ident(k) + " = " +
               quote_ident(b) + "." + quote_ident(k);
    return out;
}

}  // namespace

void make_subtype(inheritance_info::style_t style, const table_info& base, const table_info& own,
                  const std::string& identity, table_info& out) {
    if (!base.polymorphic)
        throw usage_error("42P17", "table \"" + base.name + "\" is not the base of a hierarchy", "",
                          "Declare its subtypes in its mapping with ender::polymorphic_on or "
                          "ender::polymorphic_union.");
    bool concrete = style == inheritance_info::concrete;
    if (concrete == base.polymorphic->discriminator.has_value())
        throw usage_error(
            "42P17",
            "subtype \"" + identity + "\" is declared with ender::" + style_name(style) +
                " but its base \"" + base.name + "\" is " +
                (concrete ? "a single-table or joined-table base" : "a concrete base"),
            "Single-table and joined-table bases name a discriminator column "
            "(ender::polymorphic_on); concrete bases do not (ender::polymorphic_union).",
            "Declare every subtype of a hierarchy in the style its base declares.");
    if (style == inheritance_info::joined && base.primary_key.empty())
        throw usage_error("42P10", "table \"" + base.name + "\" has no primary key", "",
                          "A joined-table subtype's table references its base's primary key.");
    out = base;
    out.polymorphic.reset();
    out.relation_keys.clear();  // the base's relationships imply keys on the base's table
    out.comment = own.comment;
    out.renamed_from.reset();
    std::size_t inherited = base.columns.size();
    out.columns.insert(out.columns.end(), own.columns.begin(), own.columns.end());
    inheritance_info inh;
    inh.style = style;
    inh.base_schema = base.schema;
    inh.base_name = base.name;
    inh.base_columns = inherited;
    inh.discriminator = base.polymorphic->discriminator;
    inh.identity = identity;
    auto physical = std::make_shared<table_info>(own);
    switch (style) {
        case inheritance_info::single:
            // Its own columns, added to the base's table; rows of other types leave them NULL.
            physical->schema = base.schema;
            physical->name = base.name;
            physical->comment.reset();
            for (auto& c : physical->columns) c.not_null = false;
            break;
        case inheritance_info::joined: {
            out.name = own.name;
            out.schema = own.schema;
            // The base's key (a plain copy: the base numbers the rows), then its own columns.
            std::vector<column_info> key;
            for (const auto& k : base.primary_key) {
                auto c = base.columns[std::size_t(base.find(k))];
                c.identity.reset();
                c.default_sql.reset();
                c.serial = false;
                c.server_generated = false;
                c.comment.reset();
                c.renamed_from.reset();
                c.not_null = true;
                key.push_back(std::move(c));
            }
            physical->columns.insert(physical->columns.begin(), key.begin(), key.end());
            physical->primary_key = base.primary_key;
            physical->primary_key_name.reset();
            foreign_key_info fk;
            fk.columns = base.primary_key;
            fk.target = [t = key_target{base.schema, base.name, base.primary_key}] { return t; };
            fk.on_delete = "cascade";
            physical->foreign_keys.insert(physical->foreign_keys.begin(), std::move(fk));
            break;
        }
        case inheritance_info::concrete:
            // A full table: the base's columns, keys and constraints, then its own.
            out.name = own.name;
            out.schema = own.schema;
            out.primary_key_name.reset();
            out.uniques.insert(out.uniques.end(), own.uniques.begin(), own.uniques.end());
            out.checks.insert(out.checks.end(), own.checks.begin(), own.checks.end());
            out.foreign_keys.insert(out.foreign_keys.end(), own.foreign_keys.begin(),
                                    own.foreign_keys.end());
            out.indexes.insert(out.indexes.end(), own.indexes.begin(), own.indexes.end());
            out.relation_keys = own.relation_keys;
            physical = std::make_shared<table_info>(out);
            break;
    }
    inh.physical = std::move(physical);
    out.inheritance = std::move(inh);
}

std::string subtype_from(const table_info& t) {
    const auto& inh = *t.inheritance;
    std::string from = t.qualified() + " AS " + quote_ident(t.name);
    switch (inh.style) {
        case inheritance_info::single:
            break;
        case inheritance_info::joined:
            from += " JOIN " + qualified_name(inh.base_schema, inh.base_name) + " AS " +
                    quote_ident(inh.base_name) + " ON " +
                    key_join(t.primary_key, inh.base_name, t.name);
            break;
        case inheritance_info::concrete:
            // The inherited columns also under the base's name (a lateral subquery the planner
            // pulls up), so that col(&base::member) reads the same on every query.
            from += " CROSS JOIN LATERAL (SELECT " + column_list(t, t.name, 0, inh.base_columns) +
                    ") AS " + quote_ident(inh.base_name);
            break;
    }
    return from;
}

std::string type_condition(const table_info& t) {
    if (!t.inheritance || t.inheritance->style != inheritance_info::single) return {};
    return quote_ident(t.name) + "." + quote_ident(*t.inheritance->discriminator) + " = " +
           quote_literal(t.inheritance->identity);
}

std::optional<std::pair<std::size_t, std::string>> discriminator_value(const table_info& t) {
    if (t.inheritance && t.inheritance->discriminator)
        return std::pair(std::size_t(t.find(*t.inheritance->discriminator)),
                         t.inheritance->identity);
    if (t.polymorphic && t.polymorphic->discriminator && t.polymorphic->identity)
        return std::pair(std::size_t(t.find(*t.polymorphic->discriminator)),
                         *t.polymorphic->identity);
    return std::nullopt;
}

fragment joined_write(const table_info& t, const fragment& base, const fragment& own) {
    fragment f("WITH ender_base AS (");
    f.append(base).sql("), ender_own AS (").append(own).sql(") SELECT ");
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const auto& c = t.columns[i];
        f.sql(i ? ", " : "")
            .sql(i < t.inheritance->base_columns ? "ender_base." : "ender_own.")
            .sql(quote_ident(c.name));
        if (c.select_as_text) f.sql("::text");
    }
    return f.sql(" FROM ender_base, ender_own");
}

std::string write_target(const table_info& t) {
    if (t.inheritance && t.inheritance->style == inheritance_info::joined)
        return qualified_name(t.inheritance->base_schema, t.inheritance->base_name);
    return t.qualified();
}

fragment guarded(const table_info& t, const fragment& where) {
    if (!t.inheritance || t.inheritance->style == inheritance_info::concrete) return where;
    fragment f(where);
    const auto& inh = *t.inheritance;
    if (inh.style == inheritance_info::single) return f.sql(" AND ").sql(type_condition(t));
    return f.sql(" AND EXISTS (SELECT FROM ")
        .sql(t.qualified())
        .sql(" AS ender_own WHERE ")
        .sql(key_join(t.primary_key, "ender_own", inh.base_name))
        .sql(")");
}

polymorphic_layout make_layout(const table_info& base,
                               const std::vector<const table_info*>& types) {
    polymorphic_layout l;
    const auto& alias = base.name;
    std::size_t inherited = base.columns.size();
    bool concrete = !base.polymorphic->discriminator;
    auto cast = [](const column_info& c) { return c.select_as_text ? "::text" : ""; };
    for (const auto& c : base.columns)
        l.list +=
            (l.list.empty() ? "" : ", ") + quote_ident(alias) + "." + quote_ident(c.name) + cast(c);
    l.width = inherited;
    // Concrete: each table's row as the union's row (the other types' columns NULL).
    std::vector<std::string> branches(types.size());
    std::string joins;
    for (std::size_t j = 0; j < types.size(); ++j) {
        const auto& t = *types[j];
        if (&t == &base) {
            l.identities.push_back(*base.polymorphic->identity);
            l.offsets.push_back(inherited);
            continue;
        }
        if (!t.inheritance || t.inheritance->base_name != base.name ||
            t.inheritance->base_schema != base.schema)
            throw usage_error("42P17",
                              "table \"" + t.name + "\" is listed as a subtype of \"" + base.name +
                                  "\" but is not mapped as one",
                              "",
                              "Map it with ender::single_table, ender::joined_table or "
                              "ender::concrete_table and this base.");
        l.identities.push_back(t.inheritance->identity);
        l.offsets.push_back(l.width);
        for (std::size_t i = inherited; i < t.columns.size(); ++i) {
            const auto& c = t.columns[i];
            std::string name = concrete ? "ender_" + std::to_string(l.width) : c.name;
            std::string qualifier =
                t.inheritance->style == inheritance_info::joined ? t.name : alias;
            l.list += ", " + quote_ident(qualifier) + "." + quote_ident(name) + cast(c);
            ++l.width;
        }
        if (t.inheritance->style == inheritance_info::joined)
            joins += " LEFT JOIN " + t.qualified() + " AS " + quote_ident(t.name) + " ON " +
                     key_join(t.primary_key, t.name, alias);
    }
    if (!concrete) {
        l.list += ", " + quote_ident(alias) + "." + quote_ident(*base.polymorphic->discriminator);
        l.discriminator = l.width++;
        l.from = base.qualified() + " AS " + quote_ident(alias) + joins;
        return l;
    }
    l.list += ", " + quote_ident(alias) + ".ender_type";
    l.discriminator = l.width++;
    std::string from;
    for (std::size_t j = 0; j < types.size(); ++j) {
        const auto& t = *types[j];
        std::string branch = "SELECT ";
        for (std::size_t i = 0; i < inherited; ++i)
            branch += (i ? ", " : "") + quote_ident(t.columns[i].name);
        for (std::size_t k = 0; k < types.size(); ++k) {
            const auto& other = *types[k];
            if (&other == &base) continue;
            for (std::size_t i = inherited; i < other.columns.size(); ++i) {
                std::string name = "ender_" + std::to_string(l.offsets[k] + i - inherited);
                branch += ", " +
                          (k == j ? quote_ident(other.columns[i].name)
                                  : "NULL::" + other.columns[i].type) +
                          " AS " + quote_ident(name);
            }
        }
        branch +=
            ", " + quote_literal(l.identities[j]) + "::text AS ender_type FROM " + t.qualified();
        from += (from.empty() ? "" : " UNION ALL ") + branch;
    }
    l.from = "(" + from + ") AS " + quote_ident(alias);
    return l;
}

void unknown_identity(const table_info& base, std::string_view value) {
    throw data_error("22000",
                     "a row of hierarchy \"" + base.name + "\" has type \"" + std::string(value) +
                         "\", which its mapping does not list",
                     "The polymorphic_on declaration lists the types the rows may have.",
                     "List the type there, or filter such rows out.");
}

}  // namespace ender::detail
