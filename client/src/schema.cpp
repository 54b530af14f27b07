// ender::schema: the tables of a set of models, with the tables of their subtypes and the
// foreign keys and indexes their relationships need, and the naming convention and extensions
// its documents carry (schema_snapshot.cpp, schema_ddl.cpp).
#include "ender/schema.hpp"

#include "naming_convention.hpp"

#include <algorithm>
#include <set>

namespace ender {

void schema::add_table(const detail::table_info& t) {
    if (t.inheritance)
        subtypes_.push_back(t);
    else if (!t.polymorphic || t.polymorphic->discriminator || t.polymorphic->identity)
        tables_.push_back(t);  // an abstract concrete base has no table
}

void schema::add_subtypes() {
    for (const auto& sub : subtypes_) {
        const auto& own = *sub.inheritance->physical;
        if (sub.inheritance->style != detail::inheritance_info::single) {
            tables_.push_back(own);
            continue;
        }
        auto base = std::find_if(tables_.begin(), tables_.end(), [&](const auto& t) {
            return t.schema == own.schema && t.name == own.name;
        });
        if (base == tables_.end())
            throw usage_error("42P01",
                              "single-table subtype \"" + sub.inheritance->identity +
                                  "\" needs its base \"" + own.name + "\" in the schema",
                              "", "List the base model in ender::schema::of<...>() too.");
        auto& t = *base;
        for (const auto& c : own.columns) {
            // Two subtypes may share a column (the same name and type): it is added once.
            int at = t.find(c.name);
            if (at < 0)
                t.columns.push_back(c);
            else if (t.columns[std::size_t(at)].type != c.type)
                throw usage_error("42701",
                                  "column \"" + c.name + "\" of table \"" + t.name +
                                      "\" is mapped with two types",
                                  "Subtype \"" + sub.inheritance->identity + "\" maps it as " +
                                      c.type + ", another model as " +
                                      t.columns[std::size_t(at)].type + ".",
                                  "Give the column the same type everywhere, or another name.");
        }
        t.uniques.insert(t.uniques.end(), own.uniques.begin(), own.uniques.end());
        t.checks.insert(t.checks.end(), own.checks.begin(), own.checks.end());
        t.foreign_keys.insert(t.foreign_keys.end(), own.foreign_keys.begin(),
                              own.foreign_keys.end());
        t.indexes.insert(t.indexes.end(), own.indexes.begin(), own.indexes.end());
        t.relation_keys.insert(t.relation_keys.end(), own.relation_keys.begin(),
                               own.relation_keys.end());
    }
    subtypes_.clear();
}

void schema::add_relation_keys() {
    std::vector<detail::relation_key> keys;
    for (const auto& t : tables_)
        keys.insert(keys.end(), t.relation_keys.begin(), t.relation_keys.end());
    // Keys declared from both sides (has_many and belongs_to) are one foreign key, with the
    // ON DELETE action either side gives; a foreign key the models declare is left as it is.
    std::set<std::pair<const detail::table_info*, std::size_t>> added;
    for (const auto& k : keys) {
        auto from = k.from();
        auto holder = std::find_if(tables_.begin(), tables_.end(), [&](const auto& t) {
            return t.schema == from.schema && t.name == from.table;
        });
        if (holder == tables_.end()) continue;  // the table is not part of this schema
        auto& t = *holder;
        auto to = k.to();
        auto same = std::find_if(t.foreign_keys.begin(), t.foreign_keys.end(), [&](auto& fk) {
            if (fk.columns != from.columns) return false;
            auto target = fk.target();
            return target.schema == to.schema && target.table == to.table;
        });
        if (same == t.foreign_keys.end()) {
            detail::foreign_key_info fk;
            fk.columns = from.columns;
            fk.target = [to] { return to; };
            fk.on_delete = k.on_delete;
            added.insert({&t, t.foreign_keys.size()});
            t.foreign_keys.push_back(std::move(fk));
        } else if (added.count({&t, std::size_t(same - t.foreign_keys.begin())}) &&
                   same->on_delete == "no action") {
            same->on_delete = k.on_delete;
        }
        // An index (or key) whose leading columns are the key's serves the loads and the
        // referenced side's deletes; add one only when none does. One-to-one keys need a
        // unique one on exactly their columns.
        auto serves = [&](const std::vector<std::string>& columns, bool unique) {
            if (k.unique) return unique && columns == from.columns;
            return columns.size() >= from.columns.size() &&
                   std::equal(from.columns.begin(), from.columns.end(), columns.begin());
        };
        bool indexed = serves(t.primary_key, true) ||
                       std::any_of(t.uniques.begin(), t.uniques.end(),
                                   [&](auto& u) { return serves(u.columns, true); }) ||
                       std::any_of(t.indexes.begin(), t.indexes.end(), [&](auto& i) {
                           std::vector<std::string> columns;
                           for (const auto& key : i.keys) {
                               if (key.expression) break;
                               columns.push_back(key.text);
                           }
                           return !i.predicate && serves(columns, i.unique);
                       });
        if (!indexed) {
            detail::index_info i;
            for (const auto& c : from.columns) i.keys.push_back({c});
            i.unique = k.unique;
            t.indexes.push_back(std::move(i));
        }
    }
}

schema& schema::with_naming(naming_convention convention) {
    for (const auto* templ : {&convention.primary_key, &convention.unique, &convention.check,
                              &convention.foreign_key, &convention.index})
        detail::check_naming_template(*templ);
    naming_ = std::move(convention);
    return *this;
}

schema& schema::with_extension(extension_info e) {
    extensions_.push_back(std::move(e));
    return *this;
}

}  // namespace ender
