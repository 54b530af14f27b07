// Builders shared by the snapshot and diff tests: snapshot documents as JSON, in the shape
// ender_snapshot() writes (every key present), and helpers to look at a plan.
#pragma once

#include "engine/diff.hpp"
#include "engine/error.hpp"
#include "engine/snapshot.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ender::engine {

// Shows a step field by field when an assertion on it fails (found by ADL).
inline void PrintTo(const diff_step& s, std::ostream* out) {
    *out << "{sql " << ::testing::PrintToString(s.sql) << ", reverse "
         << (s.reverse_sql ? ::testing::PrintToString(*s.reverse_sql) : std::string("(none)"))
         << ", kind " << s.object_kind << ", name " << s.object_name << ", hazards "
         << ::testing::PrintToString(s.hazards) << ", in_transaction " << s.in_transaction << "}";
}

}  // namespace ender::engine

namespace ender::engine::testing {

using json = nlohmann::json;
using strings = std::vector<std::string>;

// ---------------------------------------------------------------------------------------
// Documents (JSON), as ender_snapshot() writes them: every key present, null when empty.

// The smallest valid document: the format, the version and every top-level list, empty.
inline json empty_document() {
    json doc = {{"format", "ender-snapshot"}, {"version", 1}};
    for (const char* list : {"schemas", "extensions", "enums", "domains", "composite_types",
                             "sequences", "tables", "views", "functions", "event_triggers"})
        doc[list] = json::array();
    return doc;
}

inline json schema_json(const std::string& name, json comment = nullptr) {
    return {{"name", name}, {"comment", std::move(comment)}};
}

inline json extension_json(const std::string& name, const std::string& schema,
                           const std::string& version) {
    return {{"name", name}, {"schema", schema}, {"version", version}, {"comment", nullptr}};
}

inline json enum_json(const std::string& schema, const std::string& name, const strings& labels) {
    return {{"schema", schema}, {"name", name}, {"labels", labels}, {"comment", nullptr}};
}

inline json domain_constraint_json(const std::string& name, const std::string& definition) {
    return {{"name", name}, {"definition", definition}, {"valid", true}, {"comment", nullptr}};
}

inline json domain_json(const std::string& schema, const std::string& name,
                        const std::string& type) {
    return {{"schema", schema},
            {"name", name},
            {"type", type},
            {"not_null", false},
            {"default", nullptr},
            {"collation", nullptr},
            {"constraints", json::array()},
            {"comment", nullptr}};
}

inline json attribute_json(const std::string& name, const std::string& type) {
    return {{"name", name}, {"type", type}, {"collation", nullptr}, {"comment", nullptr}};
}

inline json composite_json(const std::string& schema, const std::string& name,
                           json attributes = json::array()) {
    return {{"schema", schema},
            {"name", name},
            {"attributes", std::move(attributes)},
            {"comment", nullptr}};
}

inline json sequence_json(const std::string& schema, const std::string& name) {
    return {{"schema", schema},
            {"name", name},
            {"type", "bigint"},
            {"start", 1},
            {"increment", 1},
            {"min", 1},
            {"max", 9223372036854775807LL},
            {"cache", 1},
            {"cycle", false},
            {"owned_by", nullptr},
            {"comment", nullptr}};
}

inline json column_json(const std::string& name, const std::string& type, bool not_null = false) {
    return {{"name", name},         {"type", type},         {"not_null", not_null},
            {"default", nullptr},   {"generated", nullptr}, {"identity", nullptr},
            {"collation", nullptr}, {"comment", nullptr},   {"inherited", false}};
}

// A constraint with the extra keys the real document has and the parser ignores.
inline json constraint_json(const std::string& name, const std::string& type,
                            const std::string& definition) {
    return {{"name", name},
            {"type", type},
            {"definition", definition},
            {"valid", true},
            {"deferrable", false},
            {"deferred", false},
            {"columns", json::array()},
            {"references", nullptr},
            {"comment", nullptr}};
}

inline json index_json(const std::string& name, const std::string& definition,
                       bool unique = false) {
    return {{"name", name},      {"definition", definition}, {"unique", unique},
            {"method", "btree"}, {"predicate", nullptr},     {"nulls_not_distinct", false},
            {"comment", nullptr}};
}

inline json trigger_json(const std::string& name, const std::string& definition) {
    return {
        {"name", name}, {"definition", definition}, {"enabled", "origin"}, {"comment", nullptr}};
}

inline json policy_json(const std::string& name, const std::string& command) {
    return {{"name", name},       {"command", command},
            {"permissive", true}, {"roles", strings{"public"}},
            {"using", nullptr},   {"with_check", nullptr},
            {"comment", nullptr}};
}

inline json table_json(const std::string& schema, const std::string& name) {
    return {{"schema", schema},
            {"name", name},
            {"partitioned", false},
            {"unlogged", false},
            {"columns", json::array()},
            {"constraints", json::array()},
            {"indexes", json::array()},
            {"triggers", json::array()},
            {"policies", json::array()},
            {"partition_key", nullptr},
            {"partition_of", nullptr},
            {"inherits", json::array()},
            {"row_security", false},
            {"force_row_security", false},
            {"replica_identity", "default"},
            {"comment", nullptr}};
}

inline json view_json(const std::string& schema, const std::string& name,
                      const std::string& definition) {
    return {{"schema", schema},
            {"name", name},
            {"materialized", false},
            {"definition", definition},
            {"options", json::array()},
            {"columns", json::array()},
            {"indexes", json::array()},
            {"triggers", json::array()},
            {"depends_on", json::array()},
            {"functions", json::array()},
            {"comment", nullptr}};
}

// `arguments` as pg_get_function_identity_arguments writes them ("a integer, b integer"),
// `argument_types` as oidvectortypes does ("integer, integer").
inline json function_json(const std::string& schema, const std::string& name,
                          const std::string& arguments, json result, const std::string& definition,
                          const std::string& argument_types = "") {
    return {{"schema", schema},
            {"name", name},
            {"kind", "function"},
            {"arguments", arguments},
            {"argument_types", argument_types},
            {"result", std::move(result)},
            {"language", "sql"},
            {"definition", definition},
            {"depends_on", json::array()},
            {"comment", nullptr}};
}

inline json event_trigger_json(const std::string& name, const std::string& event,
                               const std::string& function) {
    return {{"name", name},    {"event", event},      {"function", function},
            {"tags", nullptr}, {"enabled", "origin"}, {"comment", nullptr}};
}

// Appends `item` to the list `key` of `parent` and returns the element now in the document.
inline json& add(json& parent, const char* key, json item) {
    parent[key].push_back(std::move(item));
    return parent[key].back();
}
inline json& add_table(json& doc, const std::string& schema, const std::string& name) {
    return add(doc, "tables", table_json(schema, name));
}
inline json& add_column(json& table, const std::string& name, const std::string& type,
                        bool not_null = false) {
    return add(table, "columns", column_json(name, type, not_null));
}
inline json& add_view(json& doc, const std::string& schema, const std::string& name,
                      const std::string& definition) {
    return add(doc, "views", view_json(schema, name, definition));
}

// A realistic document: what ender_snapshot(ARRAY['snap']) returns for the fixture of
// sql/snapshot.sql (expected/snapshot.out), plus an extension and an event trigger.
inline json realistic_document() {
    json doc = empty_document();
    add(doc, "schemas", schema_json("snap", "the snapshot fixture"));
    add(doc, "extensions", extension_json("pgcrypto", "snap", "1.3"));
    add(doc, "enums", enum_json("snap", "mood", {"sad", "ok", "happy"}));
    json& posint = add(doc, "domains", domain_json("snap", "posint", "integer"));
    posint["not_null"] = true;
    posint["default"] = "1";
    add(posint, "constraints", domain_constraint_json("positive", "CHECK ((VALUE > 0))"));
    json& address = add(doc, "composite_types", composite_json("snap", "address"));
    add(address, "attributes", attribute_json("street", "text"));
    add(address, "attributes", attribute_json("city", "text"))["collation"] = "\"C\"";
    json& ticket = add(doc, "sequences", sequence_json("snap", "ticket_seq"));
    ticket["start"] = 100;
    ticket["increment"] = 5;
    ticket["cache"] = 10;
    ticket["owned_by"] = {{"schema", "snap"}, {"table", "hero"}, {"column", "ticket"}};

    json& hero = add_table(doc, "snap", "hero");
    add_column(hero, "age", "snap.posint");
    add_column(hero, "created", "timestamp with time zone", true)["default"] = "now()";
    add_column(hero, "double_score", "numeric")["generated"] = "(score * (2)::numeric)";
    json& email = add_column(hero, "email", "text");
    email["collation"] = "\"C\"";
    email["comment"] = "contact";
    add_column(hero, "feeling", "snap.mood")["default"] = "'ok'::snap.mood";
    add_column(hero, "home", "snap.address");
    add_column(hero, "id", "bigint", true)["identity"] = "by default";
    add_column(hero, "name", "text", true);
    add_column(hero, "score", "numeric(10,2)")["default"] = "0";
    add_column(hero, "team_id", "bigint");
    add_column(hero, "ticket", "integer")["default"] = "nextval('snap.ticket_seq'::regclass)";
    json& adult =
        add(hero, "constraints",
            constraint_json("adult", "check", "CHECK (((age)::integer >= 18)) NOT VALID"));
    adult["valid"] = false;
    adult["columns"] = {"age"};
    add(hero, "constraints",
        constraint_json("hero_pkey", "primary key", "PRIMARY KEY (id)"))["columns"] = {"id"};
    add(hero, "constraints",
        constraint_json("hero_score_check", "check", "CHECK ((score >= (0)::numeric))"));
    json& fk =
        add(hero, "constraints",
            constraint_json("hero_team_id_fkey", "foreign key",
                            "FOREIGN KEY (team_id) REFERENCES snap.team(id) ON DELETE SET NULL "
                            "DEFERRABLE INITIALLY DEFERRED"));
    fk["deferrable"] = true;
    fk["deferred"] = true;
    fk["references"] = {{"schema", "snap"},  {"table", "team"},         {"columns", {"id"}},
                        {"match", "simple"}, {"on_delete", "set null"}, {"on_update", "no action"}};
    json& hero_email = add(hero, "indexes",
                           index_json("hero_email",
                                      "CREATE UNIQUE INDEX hero_email ON snap.hero USING btree "
                                      "(lower(email)) WHERE (email IS NOT NULL)",
                                      true));
    hero_email["predicate"] = "(email IS NOT NULL)";
    add(hero, "indexes",
        index_json("hero_name_incl",
                   "CREATE INDEX hero_name_incl ON snap.hero USING btree (name DESC NULLS LAST) "
                   "INCLUDE (age)"));
    add(hero, "indexes",
        index_json("hero_team",
                   "CREATE INDEX hero_team ON snap.hero USING hash (team_id)"))["method"] = "hash";
    add(hero, "triggers",
        trigger_json("hero_touch",
                     "CREATE TRIGGER hero_touch BEFORE UPDATE ON snap.hero FOR EACH ROW EXECUTE "
                     "FUNCTION snap.touch()"));
    add(hero, "policies", policy_json("own", "select"))["using"] = "(name = CURRENT_USER)";
    hero["row_security"] = true;
    hero["replica_identity"] = "full";

    json& measurement = add_table(doc, "snap", "measurement");
    measurement["partitioned"] = true;
    measurement["partition_key"] = "RANGE (at)";
    add_column(measurement, "at", "date", true);
    add_column(measurement, "v", "integer");
    json& m2026 = add_table(doc, "snap", "measurement_2026");
    m2026["partition_of"] = {{"schema", "snap"},
                             {"table", "measurement"},
                             {"bound", "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"}};
    add_column(m2026, "at", "date", true);
    add_column(m2026, "v", "integer");

    json& team = add_table(doc, "snap", "team");
    add_column(team, "id", "bigint", true)["identity"] = "always";
    add_column(team, "name", "text", true);
    add(team, "constraints", constraint_json("team_name_key", "unique", "UNIQUE (name)"));
    add(team, "constraints", constraint_json("team_pkey", "primary key", "PRIMARY KEY (id)"));

    json& adults = add_view(
        doc, "snap", "adults",
        " SELECT hero.id,\n    hero.name\n   FROM snap.hero\n  WHERE ((hero.age)::integer >= 18);");
    adults["options"] = {"security_invoker=true"};
    adults["columns"] = {{{"name", "id"}, {"comment", nullptr}},
                         {{"name", "name"}, {"comment", nullptr}}};
    adults["depends_on"] = {{{"schema", "snap"}, {"name", "hero"}}};
    json& sizes = add_view(
        doc, "snap", "team_sizes",
        " SELECT hero.team_id,\n    count(*) AS n\n   FROM snap.hero\n  GROUP BY hero.team_id;");
    sizes["materialized"] = true;
    sizes["columns"] = {{{"name", "team_id"}, {"comment", nullptr}},
                        {{"name", "n"}, {"comment", nullptr}}};
    sizes["depends_on"] = {{{"schema", "snap"}, {"name", "hero"}}};
    add(sizes, "indexes",
        index_json("team_sizes_n", "CREATE INDEX team_sizes_n ON snap.team_sizes USING btree (n)"));

    add(doc, "functions",
        function_json("snap", "add", "a integer, b integer", "integer",
                      "CREATE OR REPLACE FUNCTION snap.add(a integer, b integer DEFAULT 1)\n "
                      "RETURNS integer\n LANGUAGE sql\n"
                      " IMMUTABLE\nRETURN (a + b)\n",
                      "integer, integer"));
    json& log_ddl = add(
        doc, "functions",
        function_json(
            "snap", "log_ddl", "", "event_trigger",
            "CREATE OR REPLACE FUNCTION snap.log_ddl()\n RETURNS event_trigger\n LANGUAGE plpgsql\n"
            "AS $function$ BEGIN RAISE NOTICE 'ddl'; END $function$\n"));
    log_ddl["language"] = "plpgsql";
    json& noop = add(doc, "functions",
                     function_json("snap", "noop", "", nullptr,
                                   "CREATE OR REPLACE PROCEDURE snap.noop()\n LANGUAGE sql\nAS "
                                   "$procedure$ SELECT 1 $procedure$\n"));
    noop["kind"] = "procedure";
    json& touch =
        add(doc, "functions",
            function_json(
                "snap", "touch", "", "trigger",
                "CREATE OR REPLACE FUNCTION snap.touch()\n RETURNS trigger\n LANGUAGE plpgsql\n"
                "AS $function$ BEGIN NEW.created := now(); RETURN NEW; END $function$\n"));
    touch["language"] = "plpgsql";
    add(doc, "event_triggers",
        event_trigger_json("log_ddl", "ddl_command_end", "snap.log_ddl"))["tags"] = {"CREATE TABLE",
                                                                                     "ALTER TABLE"};
    return doc;
}

// The table `name` of a document (in any schema), to change it.
// team (id, name) with its primary key, and hero (id, name, team_id) with its primary key.
inline json team_and_hero() {
    json doc = empty_document();
    json& team = add_table(doc, "public", "team");
    add_column(team, "id", "integer", true);
    add_column(team, "name", "text");
    add(team, "constraints", constraint_json("team_pkey", "primary key", "PRIMARY KEY (id)"));
    json& hero = add_table(doc, "public", "hero");
    add_column(hero, "id", "bigint", true);
    add_column(hero, "name", "text", true)["default"] = "'x'::text";
    add_column(hero, "team_id", "integer");
    add(hero, "constraints", constraint_json("hero_pkey", "primary key", "PRIMARY KEY (id)"));
    return doc;
}

inline json& table_of(json& doc, const std::string& name) {
    for (auto& t : doc["tables"])
        if (t["name"] == name) return t;
    throw std::runtime_error("no table " + name);
}

// The element called `name` in the list `key` of `parent`.
inline json& named(json& parent, const char* key, const std::string& name) {
    for (auto& item : parent[key])
        if (item["name"] == name) return item;
    throw std::runtime_error(std::string("nothing called ") + name + " in " + key);
}

// ---------------------------------------------------------------------------------------
// Reading documents and looking at plans.

inline qualified_name qn(std::string schema, std::string name) {
    qualified_name n;
    n.schema = std::move(schema);
    n.name = std::move(name);
    return n;
}

// Parses a document; a refusal fails the test with its detail (the path), not just "invalid".
inline snapshot parse(const json& doc) {
    try {
        return parse_snapshot(doc.dump());
    } catch (const error& e) {
        throw std::runtime_error(std::string(e.what()) + ": " + e.detail());
    }
}

inline strings sql_of(const std::vector<diff_step>& steps) {
    strings out;
    for (const auto& s : steps) out.push_back(s.sql);
    return out;
}

// The position of the first step whose SQL contains `fragment`, or -1.
inline int position_of(const std::vector<diff_step>& steps, const std::string& fragment) {
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i].sql.find(fragment) != std::string::npos) return static_cast<int>(i);
    return -1;
}

// The first step whose SQL contains `fragment` (the test fails if there is none).
inline const diff_step& step_with(const std::vector<diff_step>& steps,
                                  const std::string& fragment) {
    int i = position_of(steps, fragment);
    if (i < 0) throw std::runtime_error("no step contains " + fragment);
    return steps[static_cast<std::size_t>(i)];
}

}  // namespace ender::engine::testing
