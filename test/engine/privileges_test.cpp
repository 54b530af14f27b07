// Tests of privileges without a server: how documents carry them (only with "privileges":
// true), and the GRANT/REVOKE steps the diff makes from them (engine/privileges.hpp), with
// their reverses, the defaults of new and recreated objects, and the reverses of drops.
#include "engine/privileges.hpp"

#include "engine/diff.hpp"
#include "engine/error.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;
using steps = std::vector<diff_step>;

json grant(const std::string& grantee, const std::string& privilege, bool grantable = false) {
    return {{"grantee", grantee}, {"privilege", privilege}, {"grantable", grantable}};
}

// Adds "privileges": [] to every object that carries them, and the top-level flag.
json with_privileges(json doc) {
    doc["privileges"] = true;
    for (const char* list :
         {"schemas", "enums", "domains", "composite_types", "sequences", "tables", "views"})
        for (auto& item : doc[list]) item["privileges"] = json::array();
    for (auto& t : doc["tables"])
        for (auto& c : t["columns"]) c["privileges"] = json::array();
    for (auto& f : doc["functions"]) f["privileges"] = {grant("PUBLIC", "EXECUTE")};
    return doc;
}

// Table public.hero (id, name) and function public.add(a integer), privileges listed.
json hero_document() {
    json doc = empty_document();
    add(doc, "schemas", schema_json("public"));
    json& hero = add_table(doc, "public", "hero");
    add_column(hero, "id", "integer", true);
    add_column(hero, "name", "text");
    add(doc, "functions",
        function_json("public", "add", "a integer", "integer",
                      "CREATE OR REPLACE FUNCTION public.add(a integer) ...", "integer"));
    return with_privileges(doc);
}

steps plan(const json& from, const json& to) {
    return diff(parse(from), parse(to), {});
}

TEST(privileges, read_only_when_the_document_says_so) {
    json doc = hero_document();
    table_of(doc, "hero")["privileges"] = {grant("pg_monitor", "SELECT"),
                                           grant("PUBLIC", "INSERT", true)};
    snapshot s = parse(doc);
    EXPECT_TRUE(s.privileges);
    // sorted, whatever order the document has
    EXPECT_EQ(s.tables[0].privileges,
              (privilege_list{{"PUBLIC", "INSERT", true}, {"pg_monitor", "SELECT", false}}));
    json without = doc;
    without.erase("privileges");
    snapshot w = parse(without);
    EXPECT_FALSE(w.privileges);
    EXPECT_TRUE(w.tables[0].privileges.empty());
    json off = doc;
    off["privileges"] = false;
    EXPECT_TRUE(parse(off).tables[0].privileges.empty());
}

TEST(privileges, required_and_checked_when_listed) {
    json doc = hero_document();
    table_of(doc, "hero").erase("privileges");
    EXPECT_ENGINE_ERROR(parse_snapshot(doc.dump()), "22023", "invalid snapshot document",
                        {.detail = "At $.tables[0]: missing field \"privileges\"."});
    doc = hero_document();
    table_of(doc,
             "hero")["columns"][1]["privileges"] = {{{"grantee", "x"}, {"privilege", "SELECT"}}};
    EXPECT_ENGINE_ERROR(
        parse_snapshot(doc.dump()), "22023", "invalid snapshot document",
        {.detail = "At $.tables[0].columns[1].privileges[0]: missing field \"grantable\"."});
    doc = hero_document();
    doc["privileges"] = "yes";
    EXPECT_ENGINE_ERROR(parse_snapshot(doc.dump()), "22023", "invalid snapshot document",
                        {.detail = "At $.privileges: expected true or false."});
}

TEST(privileges, grant_revoke_and_grant_options_with_their_reverses) {
    json from = hero_document();
    table_of(from, "hero")["privileges"] = {
        grant("pg_monitor", "SELECT"), grant("reader", "SELECT", true), grant("writer", "INSERT")};
    json to = hero_document();
    table_of(to, "hero")["privileges"] = {grant("PUBLIC", "SELECT"), grant("reader", "SELECT"),
                                          grant("writer", "INSERT", true)};
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s),
              (strings{
                  "REVOKE SELECT ON TABLE \"public\".\"hero\" FROM \"pg_monitor\"",
                  "GRANT SELECT ON TABLE \"public\".\"hero\" TO PUBLIC",
                  "REVOKE GRANT OPTION FOR SELECT ON TABLE \"public\".\"hero\" FROM \"reader\"",
                  "GRANT INSERT ON TABLE \"public\".\"hero\" TO \"writer\" WITH GRANT OPTION",
              }));
    EXPECT_EQ(s[0].reverse_sql, "GRANT SELECT ON TABLE \"public\".\"hero\" TO \"pg_monitor\"");
    EXPECT_EQ(s[1].reverse_sql, "REVOKE SELECT ON TABLE \"public\".\"hero\" FROM PUBLIC");
    EXPECT_EQ(s[2].reverse_sql,
              "GRANT SELECT ON TABLE \"public\".\"hero\" TO \"reader\" WITH GRANT OPTION");
    EXPECT_EQ(s[3].reverse_sql,
              "REVOKE GRANT OPTION FOR INSERT ON TABLE \"public\".\"hero\" FROM \"writer\"");
    for (const auto& step : s) {
        EXPECT_EQ(step.hazards, (strings{hazard::authorization}));
        EXPECT_EQ(step.object_kind, "privilege");
        EXPECT_EQ(step.object_name, "\"public\".\"hero\"");
    }
}

TEST(privileges, every_kind_of_object_is_named_as_grant_wants_it) {
    json from = hero_document();
    add(from, "sequences", sequence_json("public", "ticket"))["privileges"] = json::array();
    add(from, "enums",
        enum_json("public", "mood", {"a"}))["privileges"] = {grant("PUBLIC", "USAGE")};
    add(from, "domains",
        domain_json("public", "posint", "integer"))["privileges"] = {grant("PUBLIC", "USAGE")};
    add(from, "composite_types",
        composite_json("public", "pair"))["privileges"] = {grant("PUBLIC", "USAGE")};
    add_view(from, "public", "v", " SELECT 1;")["privileges"] = json::array();
    json to = from;
    to["schemas"][0]["privileges"] = {grant("pg_monitor", "USAGE")};
    named(table_of(to, "hero"), "columns", "name")["privileges"] = {grant("pg_monitor", "UPDATE")};
    to["sequences"][0]["privileges"] = {grant("pg_monitor", "USAGE")};
    to["enums"][0]["privileges"] = json::array();
    to["domains"][0]["privileges"] = json::array();
    to["composite_types"][0]["privileges"] = json::array();
    to["views"][0]["privileges"] = {grant("pg_monitor", "SELECT")};
    to["functions"][0]["privileges"] = json::array();
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{
                  "GRANT USAGE ON SCHEMA \"public\" TO \"pg_monitor\"",
                  "REVOKE USAGE ON TYPE \"public\".\"mood\" FROM PUBLIC",
                  "REVOKE USAGE ON DOMAIN \"public\".\"posint\" FROM PUBLIC",
                  "REVOKE USAGE ON TYPE \"public\".\"pair\" FROM PUBLIC",
                  "GRANT USAGE ON SEQUENCE \"public\".\"ticket\" TO \"pg_monitor\"",
                  "GRANT UPDATE (\"name\") ON TABLE \"public\".\"hero\" TO \"pg_monitor\"",
                  "GRANT SELECT ON TABLE \"public\".\"v\" TO \"pg_monitor\"",
                  "REVOKE EXECUTE ON FUNCTION \"public\".\"add\"(a integer) FROM PUBLIC",
              }));
}

TEST(privileges, new_objects_start_from_what_postgresql_gives_them) {
    json from = with_privileges(empty_document());
    json to = hero_document();
    to["schemas"] = json::array();
    steps s = plan(from, to);
    // A new table has no privileges but its owner's; a new function has EXECUTE for PUBLIC,
    // which the target keeps: no privilege step at all.
    for (const auto& step : s) EXPECT_NE(step.object_kind, "privilege") << step.sql;
    to["functions"][0]["privileges"] = {grant("pg_monitor", "EXECUTE")};
    s = plan(from, to);
    EXPECT_NE(
        position_of(s, "REVOKE EXECUTE ON FUNCTION \"public\".\"add\"(a integer) FROM PUBLIC"), -1);
    EXPECT_NE(
        position_of(s, "GRANT EXECUTE ON FUNCTION \"public\".\"add\"(a integer) TO \"pg_monitor\""),
        -1);
    EXPECT_GT(position_of(s, "GRANT EXECUTE"), position_of(s, "CREATE OR REPLACE FUNCTION"));
}

TEST(privileges, a_rebuilt_view_gets_its_grants_again_and_its_drop_restores_them) {
    json from = hero_document();
    json& v = add_view(from, "public", "names", " SELECT hero.name\n   FROM public.hero;");
    v["depends_on"] = {{{"schema", "public"}, {"name", "hero"}}};
    v["privileges"] = {grant("pg_monitor", "SELECT")};
    json to = from;
    to["views"][0]["definition"] = " SELECT hero.name\n   FROM public.hero\n  WHERE (hero.id > 0);";
    steps s = plan(from, to);
    const diff_step& drop = step_with(s, "DROP VIEW");
    EXPECT_NE(
        drop.reverse_sql->find("GRANT SELECT ON TABLE \"public\".\"names\" TO \"pg_monitor\""),
        std::string::npos)
        << *drop.reverse_sql;
    EXPECT_GT(position_of(s, "GRANT SELECT ON TABLE \"public\".\"names\" TO \"pg_monitor\""),
              position_of(s, "CREATE VIEW"));
}

TEST(privileges, the_reverse_of_a_dropped_table_grants_again) {
    json from = hero_document();
    table_of(from, "hero")["privileges"] = {grant("pg_monitor", "SELECT")};
    named(table_of(from, "hero"), "columns",
          "name")["privileges"] = {grant("pg_monitor", "UPDATE")};
    json to = from;
    to["tables"] = json::array();
    steps s = plan(from, to);
    const diff_step& drop = step_with(s, "DROP TABLE");
    EXPECT_NE(drop.reverse_sql->find(
                  "GRANT SELECT ON TABLE \"public\".\"hero\" TO \"pg_monitor\";\n"
                  "GRANT UPDATE (\"name\") ON TABLE \"public\".\"hero\" TO \"pg_monitor\""),
              std::string::npos)
        << *drop.reverse_sql;
}

TEST(privileges, ignored_when_the_target_does_not_list_them) {
    json from = hero_document();
    table_of(from, "hero")["privileges"] = {grant("pg_monitor", "SELECT")};
    json to = from;
    to.erase("privileges");
    EXPECT_TRUE(plan(from, to).empty());
}

TEST(privileges, a_target_with_privileges_needs_a_live_snapshot_with_them) {
    json from = hero_document();
    from.erase("privileges");
    EXPECT_ENGINE_ERROR(
        plan(from, hero_document()), "22023", "the live snapshot does not list privileges",
        {.hint = "Take the live snapshot with ender_snapshot(privileges => true)."});
}

}  // namespace
}  // namespace ender::engine
