// The out-of-line parts of relationships: keys as bytes, key arrays as binary parameters, the
// SQL of a key condition, and the errors of reading or declaring relationships wrongly.
#include "ender/load.hpp"

#include "ender/detail/wire.hpp"

#include <algorithm>
#include <cstring>

namespace ender::detail {

void relation_not_loaded(const relation_label* label, std::string_view kind) {
    std::string name = label ? "\"" + label->name() + "\"" : "(" + std::string(kind) + ")";
    throw usage_error("55000", "relationship " + name + " is not loaded",
                      "ender never loads a relationship behind your back: reading one that was "
                      "not loaded would be a hidden query.",
                      "Load it with select<T>().with(&T::member) or db.load(objects, &T::member).");
}

void relation_empty(const relation_label* label) {
    std::string name = label ? "\"" + label->name() + "\"" : "(ender::ref)";
    throw usage_error("55000", "relationship " + name + " has no object",
                      "The foreign key is NULL, or no row has its value.",
                      "Test it with has_value() before reading it.");
}

void not_joinable(const relation_label& label) {
    throw usage_error(
        "0A000", "relationship \"" + label.name() + "\" cannot be loaded with a join",
        "A join loads a parent (belongs_to), a single child (has_one) or the children of a "
        "has_many; a many-to-many goes through its link table.",
        "Load it with selectin (the default) instead of ender::joined.");
}

void not_for_shapes(const relation_label& label) {
    throw usage_error("0A000",
                      "relationship \"" + label.name() + "\" cannot be loaded into a read shape",
                      "A read shape loads a parent (belongs_to), a single child (has_one) or the "
                      "children of a has_many.",
                      "Select the model to load a many-to-many relationship.");
}

void not_a_tree(const relation_label& label) {
    throw usage_error("0A000", "relationship \"" + label.name() + "\" cannot be loaded as a tree",
                      "A tree load follows a has_many from a model to the same model.",
                      "Use ender::depth(member, levels) or a path for other relationships.");
}

std::string tree_statement(const table_info& t, std::span<const std::size_t> key_columns,
                           std::span<const std::size_t> parent_columns,
                           const std::string& select_list, const std::string& soft_delete) {
    std::vector<std::string> parents, types;
    std::string join, cycle;
    for (std::size_t j = 0; j < parent_columns.size(); ++j) {
        const auto& parent = t.columns[parent_columns[j]];
        const auto& key = t.columns[key_columns[j]];
        parents.push_back(qualified_column(t.name, parent.name));
        types.push_back(parent.type);
        join += (j ? " AND " : "") + qualified_column(t.name, parent.name) + " = ender_tree." +
                quote_ident(key.name);
        cycle += (j ? ", " : "") + quote_ident(key.name);
    }
    std::string from = t.qualified() + " AS " + quote_ident(t.name);
    std::string filter = soft_delete.empty() ? "" : " AND " + soft_delete;
    return "WITH RECURSIVE ender_tree AS (SELECT " + quote_ident(t.name) + ".* FROM " + from +
           " WHERE " + keys_condition(parents, types) + filter + " UNION ALL SELECT " +
           quote_ident(t.name) + ".* FROM " + from + " JOIN ender_tree ON " + join + filter +
           ") CYCLE " + cycle + " SET ender_cycle USING ender_path SELECT " + select_list +
           " FROM ender_tree AS " + quote_ident(t.name) + " WHERE NOT ender_cycle";
}

bool append_key_part(const param& p, std::string& out, oid& type, const relation_label& label) {
    if (p.null) return false;
    if (!p.binary)
        throw usage_error(
            "0A000",
            "the key of relationship \"" + label.name() + "\" has a type without a binary form",
            "Related rows are matched by the binary values of their keys.",
            "Use integer, text, uuid or another type with a binary mapping for keys.");
    put_int<std::int32_t>(out, static_cast<std::int32_t>(p.bytes.size()));
    out += p.bytes;
    type = p.type;
    return true;
}

std::size_t key_lookup::word_width(const key_set& k) {
    if (k.types.size() != 1 || k.keys.empty()) return 0;
    std::size_t width = k.keys[0].size() - 4;
    if (width == 0 || width > 8) return 0;
    for (const auto& key : k.keys)
        if (key.size() != width + 4) return 0;
    return width;
}

key_lookup::key_lookup(const key_set& k) : k_(k), width_(word_width(k)) {
    if (width_ == 0) return;
    std::size_t capacity = 16;
    while (capacity < 2 * k.keys.size()) capacity *= 2;
    mask_ = capacity - 1;
    words_.assign(capacity, 0);
    slots_.assign(capacity, none);
    for (std::uint32_t slot = 0; slot < k.keys.size(); ++slot) {
        std::uint64_t w = 0;
        std::memcpy(&w, k.keys[slot].data() + 4, width_);
        auto i = spread(w);
        while (slots_[i] != none && words_[i] != w) i = (i + 1) & mask_;
        words_[i] = w;
        slots_[i] = slot;
    }
}

bool row_key(const result& r, std::size_t row, std::span<const std::size_t> columns,
             std::size_t first, std::string& out) {
    for (auto c : columns) {
        if (r.is_null(row, first + c)) return false;
        auto f = r.field(row, first + c);
        put_int<std::int32_t>(out, static_cast<std::int32_t>(f.size()));
        out += f;
    }
    return true;
}

std::vector<param> key_arrays(std::span<const std::string> keys, std::span<const oid> types) {
    std::vector<param> out(types.size());
    for (std::size_t j = 0; j < types.size(); ++j) {
        auto& p = out[j];
        p.binary = true;                    // the type comes from the cast in the statement
        put_int<std::int32_t>(p.bytes, 1);  // dimensions
        put_int<std::int32_t>(p.bytes, 0);  // no NULL
        put_int<oid>(p.bytes, types[j]);
        put_int<std::int32_t>(p.bytes, static_cast<std::int32_t>(keys.size()));
        put_int<std::int32_t>(p.bytes, 1);  // lower bound
    }
    for (const auto& key : keys) {
        // Each part is already an array element: int32 length + bytes.
        std::size_t at = 0;
        for (std::size_t j = 0; j < types.size(); ++j) {
            auto length = get_int<std::int32_t>(key.data() + at);
            std::size_t part = 4 + static_cast<std::size_t>(length);
            out[j].bytes.append(key, at, part);
            at += part;
        }
    }
    return out;
}

std::vector<pipelined> key_batches(const std::string& sql, const key_set& k, std::size_t batch) {
    if (batch == 0) batch = k.keys.size();
    std::vector<pipelined> out;
    for (std::size_t at = 0; at < k.keys.size(); at += batch) {
        auto n = std::min(batch, k.keys.size() - at);
        out.push_back({sql, key_arrays(std::span(k.keys).subspan(at, n), k.types)});
    }
    return out;
}

void run_loads(session& db, std::vector<path_walker> paths) {
    while (!paths.empty()) {
        std::vector<path_walker> walking = std::move(paths);
        paths.clear();
        std::vector<path_step> round;
        for (std::size_t i = 0; i < walking.size(); ++i) {
            path_step step;
            if (!walking[i](step)) continue;
            if (step.queries.ready && step.queries.statements.empty()) {
                // Its objects came with the step before: the next step joins this round.
                if (step.next) walking.push_back(std::move(step.next));
                continue;
            }
            round.push_back(std::move(step));
        }
        std::vector<pipelined> statements;
        std::vector<step_queries*> step_of;  // the step each statement belongs to
        for (auto& step : round)
            for (auto& s : step.queries.statements) {
                statements.push_back(std::move(s));
                step_of.push_back(&step.queries);
            }
        try {
            // Each result attached as it arrives and released: the round never holds them all.
            db.run_pipeline(statements, [&](std::size_t i, const result& r) {
                if (step_of[i]->attach) step_of[i]->attach(r);
            });
            for (auto& step : round)
                if (step.queries.finish) step.queries.finish();
        } catch (...) {
            for (auto& step : round)
                if (step.queries.undo) step.queries.undo();
            throw;
        }
        for (auto& step : round)
            if (step.next) paths.push_back(std::move(step.next));
    }
}

std::string relink_statement(const table_info& t, std::span<const std::size_t> key_columns,
                             std::span<const std::size_t> foreign_columns) {
    std::string set, arrays, names, where;
    std::size_t n = 0;
    auto column = [&](std::size_t c) {
        ++n;
        arrays += (n > 1 ? ", $" : "$") + std::to_string(n) + "::" + t.columns[c].type + "[]";
        names += (n > 1 ? ", c" : "c") + std::to_string(n);
        return "ender_new.c" + std::to_string(n);
    };
    for (auto c : key_columns)
        where += (where.empty() ? "" : " AND ") +
                 qualified_column("ender_child", t.columns[c].name) + " = " + column(c);
    for (auto c : foreign_columns)
        set += (set.empty() ? "" : ", ") + quote_ident(t.columns[c].name) + " = " + column(c);
    return "UPDATE " + t.qualified() + " AS ender_child SET " + set + " FROM unnest(" + arrays +
           ") AS ender_new (" + names + ") WHERE " + where;
}

std::string keys_condition(std::span<const std::string> columns,
                           std::span<const std::string> types) {
    if (columns.size() == 1) return columns[0] + " = ANY($1::" + types[0] + "[])";
    std::string left, arrays;
    for (std::size_t j = 0; j < columns.size(); ++j) {
        left += (j ? ", " : "") + columns[j];
        arrays += (j ? ", $" : "$") + std::to_string(j + 1) + "::" + types[j] + "[]";
    }
    return "(" + left + ") IN (SELECT * FROM unnest(" + arrays + "))";
}

std::vector<std::size_t> key_positions(const table_info& t, const relation_label& label) {
    if (t.primary_key.empty())
        throw usage_error("42P10",
                          "relationship \"" + label.name() + "\" references table \"" + t.name +
                              "\", which has no primary key",
                          "", "Declare the table's primary key with ender::primary_key().");
    std::vector<std::size_t> out;
    for (const auto& k : t.primary_key) out.push_back(static_cast<std::size_t>(t.find(k)));
    return out;
}

void check_key_types(const table_info& from, std::span<const std::size_t> from_columns,
                     const table_info& to, std::span<const std::size_t> to_columns,
                     const relation_label& label) {
    bool same = from_columns.size() == to_columns.size();
    for (std::size_t j = 0; same && j < from_columns.size(); ++j)
        same = from.columns[from_columns[j]].type == to.columns[to_columns[j]].type;
    if (same) return;
    auto list = [](const table_info& t, std::span<const std::size_t> columns) {
        std::string out;
        for (auto c : columns)
            out += (out.empty() ? "" : ", ") + t.columns[c].name + " " + t.columns[c].type;
        return out;
    };
    throw usage_error("42804",
                      "the key of relationship \"" + label.name() +
                          "\" does not match the key it "
                          "references",
                      "Table \"" + from.name + "\" has (" + list(from, from_columns) +
                          "), table \"" + to.name + "\" has (" + list(to, to_columns) + ").",
                      "Give the referencing columns the types of the referenced primary key, one "
                      "column for each, in its order.");
}

std::string qualified_column(const std::string& table, const std::string& column) {
    return quote_ident(table) + "." + quote_ident(column);
}

std::string join_condition(const table_info& joined, std::span<const std::size_t> joined_columns,
                           const std::string& alias, const table_info& owner,
                           const std::string& owner_alias,
                           std::span<const std::size_t> owner_columns) {
    relation_label label{[&] { return owner.name + "." + joined.name; }};
    check_key_types(joined, joined_columns, owner, owner_columns, label);
    std::string on;
    for (std::size_t j = 0; j < joined_columns.size(); ++j)
        on += (j ? " AND " : "") + qualified_column(alias, joined.columns[joined_columns[j]].name) +
              " = " + qualified_column(owner_alias, owner.columns[owner_columns[j]].name);
    if (int s = joined.soft_delete_column(); s >= 0)
        on += " AND " + qualified_column(alias, joined.columns[std::size_t(s)].name) + " IS NULL";
    return on;
}

std::string aliased_columns(const table_info& t, const std::string& alias) {
    std::string out;
    for (const auto& c : t.columns) {
        if (!out.empty()) out += ", ";
        out += qualified_column(alias, c.name);
        if (c.select_as_text) out += "::text";
    }
    return out;
}

}  // namespace ender::detail
