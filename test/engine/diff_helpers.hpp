// Helpers shared by the diff tests (diff_*_test.cpp): a plan from one snapshot document to
// another, and what the tests look for in it.
#pragma once

#include "engine/diff.hpp"
#include "snapshot_builders.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace ender::engine::testing {

using steps = std::vector<diff_step>;

inline constexpr const char* unsupported = "0A000";

// The plan from one document to another.
inline steps plan(const json& from, const json& to, bool online = true) {
    diff_options options;
    options.online = online;
    return diff(parse(from), parse(to), options);
}

// Removes the element called `name` from a list.
inline void erase_named(json& list, const std::string& name) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i]["name"] == name) return list.erase(i);
    throw std::runtime_error("nothing called " + name);
}

// A foreign key hero.team_id -> team.id, as the document describes it.
inline json hero_team_fkey() {
    json fk = constraint_json("hero_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    return fk;
}

// A view over team.
inline json team_names_view(const std::string& schema = "public",
                            const std::string& name = "team_names") {
    json v = view_json(schema, name, " SELECT team.id,\n    team.name\n   FROM public.team;");
    v["columns"] = {{{"name", "id"}, {"comment", nullptr}},
                    {{"name", "name"}, {"comment", nullptr}}};
    v["depends_on"] = {{{"schema", "public"}, {"name", "team"}}};
    return v;
}

// CREATE TYPE "public"."mood" AS ENUM (...) for these labels.
inline std::string enum_sql_for_test(const strings& labels) {
    std::string out = "CREATE TYPE \"public\".\"mood\" AS ENUM (";
    for (std::size_t i = 0; i < labels.size(); ++i)
        out += (i ? ", " : "") + quote_literal(labels[i]);
    return out + ")";
}

inline bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// Whether `text` is well-formed UTF-8 (what the server accepts in a UTF8 database).
inline bool valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80           ? 1
                        : (c >> 5) == 0x6  ? 2
                        : (c >> 4) == 0xe  ? 3
                        : (c >> 3) == 0x1e ? 4
                                           : 0;
        if (n == 0 || i + n > text.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
        i += n;
    }
    return true;
}

// public.add(a integer, b integer) RETURNS integer, in SQL.
inline json add_function() {
    return function_json("public", "add", "a integer, b integer", "integer",
                         "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS "
                         "integer\n LANGUAGE sql\n"
                         "RETURN (a + b)\n",
                         "integer, integer");
}

// public.ticket_seq, with a start, increment and cache of its own.
inline json ticket_seq() {
    json q = sequence_json("public", "ticket_seq");
    q["start"] = 100;
    q["increment"] = 5;
    q["cache"] = 10;
    return q;
}

// The domain public.posint: integer, NOT NULL, DEFAULT 1, CHECK (VALUE > 0).
inline json posint() {
    json d = domain_json("public", "posint", "integer");
    d["not_null"] = true;
    d["default"] = "1";
    add(d, "constraints", domain_constraint_json("positive", "CHECK ((VALUE > 0))"));
    return d;
}

}  // namespace ender::engine::testing
