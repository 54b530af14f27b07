// Tests of engine/diff.hpp without a server. Comments, schemas and extensions, triggers, policies,
// table settings and event triggers.
#include "engine/diff.hpp"

#include "diff_helpers.hpp"
#include "engine/error.hpp"
#include "engine/snapshot.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;

// ---------------------------------------------------------------------------------------
// Comments

TEST(diff_dependents, comments_on_every_kind_of_object_quote_their_text) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    add(table_of(from, "hero"), "triggers",
        trigger_json("hero_touch",
                     "CREATE TRIGGER hero_touch BEFORE UPDATE ON public.hero FOR EACH ROW EXECUTE "
                     "FUNCTION public.touch()"));
    add(from, "schemas", schema_json("public"));
    add(from, "sequences", ticket_seq());
    add(from, "enums", enum_json("public", "mood", {"ok"}));
    add(from, "domains", posint());
    add(from, "functions", add_function());
    json to = from;
    json& hero = table_of(to, "hero");
    hero["comment"] = "the hero's table";
    named(hero, "columns", "name")["comment"] = "what they're called";
    named(hero, "constraints", "hero_pkey")["comment"] = "key";
    named(hero, "indexes", "hero_name")["comment"] = "by name";
    named(hero, "triggers", "hero_touch")["comment"] = "touch";
    to["schemas"][0]["comment"] = "standard public schema";
    to["sequences"][0]["comment"] = "tickets";
    to["enums"][0]["comment"] = "moods";
    to["domains"][0]["comment"] = "positive";
    to["domains"][0]["constraints"][0]["comment"] = "> 0";
    to["functions"][0]["comment"] = "a + b";
    steps s = plan(from, to);
    std::set<std::string> expected = {
        "COMMENT ON TABLE \"public\".\"hero\" IS 'the hero''s table'",
        "COMMENT ON COLUMN \"public\".\"hero\".\"name\" IS 'what they''re called'",
        "COMMENT ON CONSTRAINT \"hero_pkey\" ON \"public\".\"hero\" IS 'key'",
        "COMMENT ON INDEX \"public\".\"hero_name\" IS 'by name'",
        "COMMENT ON TRIGGER \"hero_touch\" ON \"public\".\"hero\" IS 'touch'",
        "COMMENT ON SCHEMA \"public\" IS 'standard public schema'",
        "COMMENT ON SEQUENCE \"public\".\"ticket_seq\" IS 'tickets'",
        "COMMENT ON TYPE \"public\".\"mood\" IS 'moods'",
        "COMMENT ON DOMAIN \"public\".\"posint\" IS 'positive'",
        "COMMENT ON CONSTRAINT \"positive\" ON DOMAIN \"public\".\"posint\" IS '> 0'",
        "COMMENT ON FUNCTION \"public\".\"add\"(a integer, b integer) IS 'a + b'",
    };
    std::vector<std::string> got = sql_of(s);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), expected);
    EXPECT_EQ(got.size(), expected.size());
    for (const auto& step : s) {
        EXPECT_EQ(step.object_kind, "comment");
        EXPECT_TRUE(step.hazards.empty());
    }
    // And back: every comment removed with IS NULL.
    for (const auto& step : plan(to, from))
        EXPECT_NE(step.sql.find(" IS NULL"), std::string::npos) << step.sql;
    EXPECT_EQ(plan(to, from).size(), expected.size());
}

TEST(diff_dependents, comments_come_after_what_they_describe) {
    json to = team_and_hero();
    table_of(to, "hero")["comment"] = "heroes";
    named(table_of(to, "hero"), "constraints", "hero_pkey")["comment"] = "key";
    json from = team_and_hero();
    erase_named(from["tables"], "hero");
    steps s = plan(from, to);
    EXPECT_LT(position_of(s, "ADD CONSTRAINT \"hero_pkey\""),
              position_of(s, "COMMENT ON CONSTRAINT"));
    EXPECT_LT(position_of(s, "CREATE TABLE"), position_of(s, "COMMENT ON TABLE"));
}

// ---------------------------------------------------------------------------------------
// Schemas and extensions

TEST(diff_dependents, schemas_and_extensions_are_created_first_and_dropped_last) {
    json doc = empty_document();
    add(doc, "schemas", schema_json("app"));
    add(doc, "extensions", extension_json("pgcrypto", "app", "1.3"));
    add(doc, "enums", enum_json("app", "mood", {"ok"}));
    add(doc, "sequences", sequence_json("app", "q"));
    add(doc, "functions",
        function_json(
            "app", "f", "", "integer",
            "CREATE OR REPLACE FUNCTION app.f()\n RETURNS integer\n LANGUAGE sql\nRETURN 1\n"));
    add_column(add_table(doc, "app", "hero"), "feeling", "app.mood");
    json& v = add_view(doc, "app", "v", " SELECT hero.feeling\n   FROM app.hero;");
    v["depends_on"] = {{{"schema", "app"}, {"name", "hero"}}};

    steps up = plan(empty_document(), doc);
    ASSERT_GE(up.size(), 7u);
    EXPECT_EQ(up[0].sql, "CREATE SCHEMA \"app\"");
    EXPECT_EQ(up[0].reverse_sql, "DROP SCHEMA \"app\"");
    EXPECT_EQ(up[0].object_kind, "schema");
    EXPECT_EQ(up[1].sql, "CREATE EXTENSION \"pgcrypto\" SCHEMA \"app\" VERSION '1.3'");
    EXPECT_EQ(up[1].reverse_sql, "DROP EXTENSION \"pgcrypto\"");
    EXPECT_EQ(up[1].object_kind, "extension");

    steps down = plan(doc, empty_document());
    ASSERT_GE(down.size(), 7u);
    const diff_step& last = down[down.size() - 1];
    const diff_step& before_last = down[down.size() - 2];
    EXPECT_EQ(before_last.sql, "DROP EXTENSION \"pgcrypto\"");
    EXPECT_EQ(before_last.reverse_sql,
              "CREATE EXTENSION \"pgcrypto\" SCHEMA \"app\" VERSION '1.3'");
    EXPECT_EQ(last.sql, "DROP SCHEMA \"app\"");
    EXPECT_EQ(last.reverse_sql, "CREATE SCHEMA \"app\"");
    EXPECT_LT(position_of(down, "DROP VIEW"), position_of(down, "DROP TABLE"));
    EXPECT_LT(position_of(down, "DROP TABLE"), position_of(down, "DROP TYPE"));
}

TEST(diff_dependents, extension_update_and_move) {
    json from = empty_document();
    add(from, "extensions", extension_json("pgcrypto", "public", "1.2"));
    json newer = from;
    newer["extensions"][0]["version"] = "1.3";
    steps s = plan(from, newer);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER EXTENSION \"pgcrypto\" UPDATE TO '1.3'");
    EXPECT_EQ(s[0].reverse_sql, "ALTER EXTENSION \"pgcrypto\" UPDATE TO '1.2'");
    json moved = from;
    moved["extensions"][0]["schema"] = "Ext Schema";
    EXPECT_EQ(sql_of(plan(from, moved)),
              strings{"ALTER EXTENSION \"pgcrypto\" SET SCHEMA \"Ext Schema\""});
}

// BUG (reported): when an extension changes version and schema at once, only the UPDATE is
// emitted (else-if): the schema move is lost and the diff never converges.
TEST(diff_dependents, extension_updated_and_moved_at_once) {
    json from = empty_document();
    add(from, "extensions", extension_json("pgcrypto", "public", "1.2"));
    json to = empty_document();
    add(to, "extensions", extension_json("pgcrypto", "ext", "1.3"));
    steps s = plan(from, to);
    EXPECT_GE(position_of(s, "UPDATE TO '1.3'"), 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_GE(position_of(s, "SET SCHEMA \"ext\""), 0) << ::testing::PrintToString(sql_of(s));
}

// ---------------------------------------------------------------------------------------
// Triggers, policies, table settings, event triggers

TEST(diff_dependents, triggers_created_after_their_function_and_recreated_when_changed) {
    json from = team_and_hero();
    json to = from;
    add(to, "functions",
        function_json(
            "public", "touch", "", "trigger",
            "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\n"
            "AS $function$ BEGIN RETURN NEW; END $function$\n"));
    std::string definition =
        "CREATE TRIGGER hero_touch BEFORE UPDATE ON public.hero FOR EACH ROW EXECUTE FUNCTION "
        "public.touch()";
    add(table_of(to, "hero"), "triggers", trigger_json("hero_touch", definition));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_NE(s[0].sql.find("CREATE OR REPLACE FUNCTION public.touch()"), std::string::npos);
    EXPECT_EQ(s[1].sql, definition);
    EXPECT_EQ(s[1].reverse_sql, "DROP TRIGGER \"hero_touch\" ON \"public\".\"hero\"");
    EXPECT_EQ(s[1].object_kind, "trigger");
    EXPECT_EQ(s[1].object_name, "\"hero_touch\" ON \"public\".\"hero\"");

    json changed = to;
    std::string insert =
        "CREATE TRIGGER hero_touch BEFORE INSERT ON public.hero FOR EACH ROW EXECUTE FUNCTION "
        "public.touch()";
    named(table_of(changed, "hero"), "triggers", "hero_touch")["definition"] = insert;
    steps c = plan(to, changed);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].sql, "DROP TRIGGER \"hero_touch\" ON \"public\".\"hero\"");
    EXPECT_EQ(c[0].reverse_sql, definition);
    EXPECT_EQ(c[1].sql, insert);

    json disabled = to;
    named(table_of(disabled, "hero"), "triggers", "hero_touch")["enabled"] = "disabled";
    EXPECT_EQ(sql_of(plan(to, disabled)),
              strings{"ALTER TABLE \"public\".\"hero\" DISABLE TRIGGER \"hero_touch\""});
    json replica = to;
    named(table_of(replica, "hero"), "triggers", "hero_touch")["enabled"] = "replica";
    EXPECT_EQ(sql_of(plan(disabled, replica)),
              strings{"ALTER TABLE \"public\".\"hero\" ENABLE REPLICA TRIGGER \"hero_touch\""});
}

TEST(diff_dependents, policies_and_row_security_change_authorization) {
    json from = team_and_hero();
    json to = from;
    json& hero = table_of(to, "hero");
    hero["row_security"] = true;
    hero["force_row_security"] = true;
    json& own = add(hero, "policies", policy_json("own", "select"));
    own["using"] = "(name = CURRENT_USER)";
    json& admins = add(hero, "policies", policy_json("Admins' \"edit\"", "update"));
    admins["permissive"] = false;
    admins["roles"] = {"Admins", "reader"};
    admins["with_check"] = "true";
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s),
              (strings{"CREATE POLICY \"own\" ON \"public\".\"hero\" AS PERMISSIVE FOR SELECT TO "
                       "PUBLIC USING ((name = CURRENT_USER))",
                       "CREATE POLICY \"Admins' \"\"edit\"\"\" ON \"public\".\"hero\" AS "
                       "RESTRICTIVE FOR UPDATE TO \"Admins\", \"reader\" WITH CHECK (true)",
                       "ALTER TABLE \"public\".\"hero\" ENABLE ROW LEVEL SECURITY",
                       "ALTER TABLE \"public\".\"hero\" FORCE ROW LEVEL SECURITY"}));
    for (const auto& step : s) EXPECT_EQ(step.hazards, strings{hazard::authorization}) << step.sql;
    EXPECT_EQ(s[0].reverse_sql, "DROP POLICY \"own\" ON \"public\".\"hero\"");

    steps back = plan(to, from);
    EXPECT_EQ(step_with(back, "DROP POLICY \"own\"").reverse_sql, s[0].sql);
    EXPECT_GE(position_of(back, "ALTER TABLE \"public\".\"hero\" DISABLE ROW LEVEL SECURITY"), 0);
    EXPECT_GE(position_of(back, "ALTER TABLE \"public\".\"hero\" NO FORCE ROW LEVEL SECURITY"), 0);
}

TEST(diff_dependents, replica_identity) {
    json from = team_and_hero();
    json full = from;
    table_of(full, "hero")["replica_identity"] = "full";
    EXPECT_EQ(sql_of(plan(from, full)),
              strings{"ALTER TABLE \"public\".\"hero\" REPLICA IDENTITY FULL"});
    EXPECT_EQ(sql_of(plan(full, from)),
              strings{"ALTER TABLE \"public\".\"hero\" REPLICA IDENTITY DEFAULT"});
    json by_index = from;
    table_of(by_index, "hero")["replica_identity"] =
        "index \"Hero Key\"";  // the snapshot quotes the name
    EXPECT_EQ(sql_of(plan(from, by_index)),
              strings{"ALTER TABLE \"public\".\"hero\" REPLICA IDENTITY USING INDEX \"Hero Key\""});
}

TEST(diff_dependents, event_triggers) {
    json to = empty_document();
    json& e = add(to, "event_triggers",
                  event_trigger_json("log ddl", "ddl_command_end", "public.log_ddl"));
    e["tags"] = {"CREATE TABLE", "ALTER TABLE"};
    e["enabled"] = "disabled";
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "CREATE EVENT TRIGGER \"log ddl\" ON ddl_command_end WHEN TAG IN ('CREATE TABLE', "
              "'ALTER TABLE') "
              "EXECUTE FUNCTION public.log_ddl()");
    EXPECT_EQ(s[0].reverse_sql, "DROP EVENT TRIGGER \"log ddl\"");
    EXPECT_EQ(s[1].sql, "ALTER EVENT TRIGGER \"log ddl\" DISABLE");
    EXPECT_EQ(sql_of(plan(to, empty_document())), strings{"DROP EVENT TRIGGER \"log ddl\""});
}

}  // namespace
}  // namespace ender::engine
