// Tests of engine/renames.hpp without a server: which ALTER ... RENAME steps a target's
// "renamed_from" fields give (SQL, reverse, kind, hazards, order), renames applied before,
// old names that do not exist (with the document path), swaps, and that the rest of the diff
// ignores the field.
#include "engine/renames.hpp"

#include "engine/diff.hpp"
#include "engine/error.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;
using steps = std::vector<diff_step>;

steps renames(const json& live, const json& target) {
    return rename_steps(parse(live), parse(target));
}

// Schema app with table hero (id, name; key hero_pkey, index hero_name, trigger, policy),
// a view, a sequence, types and a function.
json live_document() {
    json doc = empty_document();
    add(doc, "schemas", schema_json("app"));
    json& hero = add_table(doc, "app", "hero");
    add_column(hero, "id", "integer", true);
    add_column(hero, "name", "text");
    add(hero, "constraints", constraint_json("hero_pkey", "primary key", "PRIMARY KEY (id)"));
    add(hero, "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON app.hero USING btree (name)"));
    add(hero, "triggers",
        trigger_json("hero_touch",
                     "CREATE TRIGGER hero_touch BEFORE UPDATE ON app.hero FOR EACH ROW EXECUTE "
                     "FUNCTION app.touch()"));
    add(hero, "policies", policy_json("hero_all", "all"));
    add_view(doc, "app", "names", " SELECT hero.name\n   FROM app.hero;");
    add(doc, "sequences", sequence_json("app", "ticket"));
    add(doc, "enums", enum_json("app", "mood", {"sad", "happy"}));
    json& d = add(doc, "domains", domain_json("app", "posint", "integer"));
    add(d, "constraints", domain_constraint_json("positive", "CHECK ((VALUE > 0))"));
    add(doc, "composite_types", composite_json("app", "address", {attribute_json("town", "text")}));
    add(doc, "functions",
        function_json("app", "shout", "t text", "text",
                      "CREATE OR REPLACE FUNCTION app.shout(t text) ...", "text"));
    return doc;
}

TEST(renames, none_without_renamed_from) {
    json live = live_document();
    EXPECT_TRUE(renames(live, live).empty());
    json target = live;
    target["tables"][0]["renamed_from"] = nullptr;  // null: no rename
    EXPECT_TRUE(renames(live, target).empty());
}

TEST(renames, table_renamed_with_its_reverse_and_lock) {
    json live = live_document();
    json target = live;
    json& hero = table_of(target, "hero");
    hero["name"] = "person";
    hero["renamed_from"] = "hero";
    steps s = renames(live, target);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"app\".\"hero\" RENAME TO \"person\"");
    EXPECT_EQ(s[0].reverse_sql, "ALTER TABLE \"app\".\"person\" RENAME TO \"hero\"");
    EXPECT_EQ(s[0].object_kind, "table");
    EXPECT_EQ(s[0].object_name, "\"app\".\"person\"");
    EXPECT_EQ(s[0].hazards, (strings{hazard::access_exclusive}));
    EXPECT_TRUE(s[0].in_transaction);
}

TEST(renames, an_identity_sequence_follows_its_table_and_column) {
    json live = live_document();
    json& id = table_of(live, "hero")["columns"][0];
    id["identity"] = "always";
    const std::string column = id["name"];
    json target = live;
    json& hero = table_of(target, "hero");
    hero["name"] = "person";
    hero["renamed_from"] = "hero";
    hero["columns"][0]["name"] = "key";
    hero["columns"][0]["renamed_from"] = column;
    steps s = renames(live, target);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[2].sql,
              "ALTER SEQUENCE \"app\".\"hero_" + column + "_seq\" RENAME TO \"person_key_seq\"");
    EXPECT_EQ(s[2].reverse_sql,
              "ALTER SEQUENCE \"app\".\"person_key_seq\" RENAME TO \"hero_" + column + "_seq\"");
    // A listed sequence of that name is not the identity's: left alone.
    add(live, "sequences", sequence_json("app", "hero_" + column + "_seq"));
    add(target, "sequences", sequence_json("app", "hero_" + column + "_seq"));
    EXPECT_EQ(renames(live, target).size(), 2u);
}

TEST(renames, identity_sequence_names_are_postgresql_s) {
    EXPECT_EQ(identity_sequence({"s", "hero"}, "id"), (qualified_name{"s", "hero_id_seq"}));
    // Shortened to 63 bytes, the longer part first, never inside a character.
    EXPECT_EQ(identity_sequence({"s", std::string(60, 't')}, "id").name,
              std::string(56, 't') + "_id_seq");
    EXPECT_EQ(identity_sequence({"s", std::string(55, 't') + "\xc3\xa9"}, "id").name,
              std::string(55, 't') + "_id_seq");
}

TEST(renames, applied_before_when_the_new_name_exists) {
    json live = live_document();
    table_of(live, "hero")["name"] = "person";
    json target = live;
    table_of(target, "person")["renamed_from"] = "hero";
    EXPECT_TRUE(renames(live, target).empty());
    // and the diff treats renamed_from as no difference at all
    EXPECT_TRUE(diff(parse(live), parse(target), {}).empty());
}

TEST(renames, an_old_name_that_does_not_exist_is_an_error_naming_the_path) {
    json live = live_document();
    json target = live;
    json& hero = table_of(target, "hero");
    hero["name"] = "person";
    hero["renamed_from"] = "heroes";
    EXPECT_ENGINE_ERROR(
        renames(live, target), "22023", "cannot rename table \"app\".\"heroes\": it does not exist",
        {.detail = "At $.tables[0].renamed_from: the live schema has neither table "
                   "\"app\".\"heroes\" nor "
                   "table \"app\".\"person\".",
         .hint = "Correct the old name, or remove renamed_from if the object is new."});
    json column = live;
    named(table_of(column, "hero"), "columns", "name")["renamed_from"] = "nick";
    named(table_of(column, "hero"), "columns", "name")["name"] = "full_name";
    EXPECT_ENGINE_ERROR(renames(live, column), "22023",
                        "cannot rename column \"nick\" of \"app\".\"hero\": it does not exist",
                        {.detail = "At $.tables[0].columns[1].renamed_from:"});
}

TEST(renames, a_column_of_a_new_table_cannot_be_renamed) {
    json live = live_document();
    json target = live;
    json& fresh = add_table(target, "app", "fresh");
    add_column(fresh, "a", "integer")["renamed_from"] = "b";
    EXPECT_ENGINE_ERROR(renames(live, target), "22023",
                        "cannot rename column \"b\" of \"app\".\"fresh\"",
                        {.detail = "At $.tables[1].columns[0].renamed_from:"});
}

TEST(renames, swapping_two_names_is_refused) {
    json live = empty_document();
    add_column(add_table(live, "public", "a"), "x", "integer");
    add_column(add_table(live, "public", "b"), "x", "integer");
    json target = live;
    table_of(target, "a")["renamed_from"] = "b";
    table_of(target, "b")["renamed_from"] = "a";
    EXPECT_ENGINE_ERROR(
        renames(live, target), "0A000",
        "cannot swap the names of table \"public\".\"b\" and table \"public\".\"a\"",
        {.detail = "At $.tables[0].renamed_from: each of the two is renamed from the other."});
}

TEST(renames, bad_renamed_from_values_name_their_path) {
    json doc = live_document();
    doc["tables"][0]["renamed_from"] = 42;
    EXPECT_ENGINE_ERROR(
        parse_snapshot(doc.dump()), "22023", "invalid snapshot document",
        {.detail =
             "At $.tables[0].renamed_from: expected the old name (a non-empty string) or null."});
    doc["tables"][0]["renamed_from"] = "";
    EXPECT_ENGINE_ERROR(parse_snapshot(doc.dump()), "22023", "invalid snapshot document",
                        {.detail = "At $.tables[0].renamed_from:"});
}

// Every kind at once: the schema first, then what it holds (under the new schema name), then
// the parts of renamed tables (under the new table name).
TEST(renames, every_kind_in_order_under_the_names_it_has_by_then) {
    json live = live_document();
    json target = live;
    auto rename = [](json& item, const std::string& to) {
        item["renamed_from"] = item["name"];
        item["name"] = to;
    };
    auto move = [](json& doc) {
        for (const char* list :
             {"tables", "views", "sequences", "enums", "domains", "composite_types", "functions"})
            for (auto& item : doc[list]) item["schema"] = "game";
    };
    rename(target["schemas"][0], "game");
    move(target);
    json& hero = table_of(target, "hero");
    rename(hero, "person");
    rename(named(hero, "columns", "name"), "full name");
    rename(named(hero, "constraints", "hero_pkey"), "person_pkey");
    rename(named(hero, "indexes", "hero_name"), "person_name");
    rename(named(hero, "triggers", "hero_touch"), "person_touch");
    rename(named(hero, "policies", "hero_all"), "person_all");
    rename(target["views"][0], "Names");
    rename(target["sequences"][0], "tickets");
    rename(target["enums"][0], "feeling");
    rename(target["domains"][0], "positive");
    rename(target["domains"][0]["constraints"][0], "above_zero");
    rename(target["composite_types"][0], "place");
    rename(target["composite_types"][0]["attributes"][0], "city");
    rename(target["functions"][0], "yell");
    steps s = renames(live, target);
    EXPECT_EQ(
        sql_of(s),
        (strings{
            "ALTER SCHEMA \"app\" RENAME TO \"game\"",
            "ALTER TABLE \"game\".\"hero\" RENAME TO \"person\"",
            "ALTER VIEW \"game\".\"names\" RENAME TO \"Names\"",
            "ALTER SEQUENCE \"game\".\"ticket\" RENAME TO \"tickets\"",
            "ALTER TYPE \"game\".\"mood\" RENAME TO \"feeling\"",
            "ALTER DOMAIN \"game\".\"posint\" RENAME TO \"positive\"",
            "ALTER TYPE \"game\".\"address\" RENAME TO \"place\"",
            "ALTER FUNCTION \"game\".\"shout\"(t text) RENAME TO \"yell\"",
            "ALTER TABLE \"game\".\"person\" RENAME COLUMN \"name\" TO \"full name\"",
            "ALTER TABLE \"game\".\"person\" RENAME CONSTRAINT \"hero_pkey\" TO \"person_pkey\"",
            "ALTER INDEX \"game\".\"hero_name\" RENAME TO \"person_name\"",
            "ALTER TRIGGER \"hero_touch\" ON \"game\".\"person\" RENAME TO \"person_touch\"",
            "ALTER POLICY \"hero_all\" ON \"game\".\"person\" RENAME TO \"person_all\"",
            "ALTER TYPE \"game\".\"place\" RENAME ATTRIBUTE \"town\" TO \"city\"",
            "ALTER DOMAIN \"game\".\"positive\" RENAME CONSTRAINT \"positive\" TO \"above_zero\"",
        }));
    // Each reverse renames back, so running them in reverse order restores every name.
    EXPECT_EQ(s[0].reverse_sql, "ALTER SCHEMA \"game\" RENAME TO \"app\"");
    EXPECT_EQ(s[1].reverse_sql, "ALTER TABLE \"game\".\"person\" RENAME TO \"hero\"");
    EXPECT_EQ(s[7].reverse_sql, "ALTER FUNCTION \"game\".\"yell\"(t text) RENAME TO \"shout\"");
    EXPECT_EQ(s[8].reverse_sql,
              "ALTER TABLE \"game\".\"person\" RENAME COLUMN \"full name\" TO \"name\"");
    EXPECT_EQ(s[8].object_name, "\"game\".\"person\".\"full name\"");
    EXPECT_EQ(s[10].reverse_sql, "ALTER INDEX \"game\".\"person_name\" RENAME TO \"hero_name\"");
    // Applied once, the same document gives no renames.
    EXPECT_TRUE(renames(target, target).empty());
}

TEST(renames, materialized_views_procedures_and_odd_names) {
    json live = empty_document();
    json& v = add_view(live, "public", "counts", " SELECT 1;");
    v["materialized"] = true;
    json& p = add(live, "functions",
                  function_json("public", "noop", "", nullptr,
                                "CREATE OR REPLACE PROCEDURE public.noop() ..."));
    p["kind"] = "procedure";
    json target = live;
    target["views"][0]["name"] = "Zählung \"x\"";
    target["views"][0]["renamed_from"] = "counts";
    target["functions"][0]["name"] = "do nothing";
    target["functions"][0]["renamed_from"] = "noop";
    steps s = renames(live, target);
    EXPECT_EQ(
        sql_of(s),
        (strings{"ALTER MATERIALIZED VIEW \"public\".\"counts\" RENAME TO \"Zählung \"\"x\"\"\"",
                 "ALTER PROCEDURE \"public\".\"noop\"() RENAME TO \"do nothing\""}));
    EXPECT_EQ(s[1].object_kind, "procedure");
    EXPECT_TRUE(s[1].hazards.empty());
}

TEST(renames, inherited_columns_follow_their_parent) {
    json live = empty_document();
    add_column(add_table(live, "public", "parent"), "a", "integer");
    json& child = add_table(live, "public", "child");
    child["inherits"] = {{{"schema", "public"}, {"table", "parent"}}};
    add_column(child, "a", "integer")["inherited"] = true;
    json target = live;
    for (const char* t : {"parent", "child"}) {
        json& c = named(table_of(target, t), "columns", "a");
        c["name"] = "b";
        c["renamed_from"] = "a";
    }
    EXPECT_EQ(sql_of(renames(live, target)),
              (strings{"ALTER TABLE \"public\".\"parent\" RENAME COLUMN \"a\" TO \"b\""}));
}

TEST(renames, functions_are_matched_with_their_argument_types) {
    json live = empty_document();
    add(live, "functions", function_json("public", "f", "a integer", "integer", "...", "integer"));
    add(live, "functions", function_json("public", "f", "a text", "text", "...", "text"));
    json target = live;
    target["functions"][1]["name"] = "g";
    target["functions"][1]["renamed_from"] = "f";
    EXPECT_EQ(sql_of(renames(live, target)),
              (strings{"ALTER FUNCTION \"public\".\"f\"(a text) RENAME TO \"g\""}));
}

// A naming convention changed: the key and the index keep their definitions under new names.
TEST(renames, same_definition_under_another_name_is_renamed_without_renamed_from) {
    json live = live_document();
    json target = live;
    json& hero = table_of(target, "hero");
    hero["constraints"][0]["name"] = "pk_hero";
    hero["indexes"][0]["name"] = "ix_hero_name";
    hero["indexes"][0]["definition"] = "CREATE INDEX ix_hero_name ON app.hero USING btree (name)";
    steps s = renames(live, target);
    EXPECT_EQ(
        sql_of(s),
        (strings{"ALTER TABLE \"app\".\"hero\" RENAME CONSTRAINT \"hero_pkey\" TO \"pk_hero\"",
                 "ALTER INDEX \"app\".\"hero_name\" RENAME TO \"ix_hero_name\""}));
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[1].reverse_sql, "ALTER INDEX \"app\".\"ix_hero_name\" RENAME TO \"hero_name\"");
    EXPECT_EQ(s[0].object_name, "\"pk_hero\" ON \"app\".\"hero\"");
}

TEST(renames, another_definition_or_a_name_taken_on_both_sides_is_not_renamed) {
    json live = live_document();
    json& live_hero = table_of(live, "hero");
    add(live_hero, "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    json target = live;
    json& hero = table_of(target, "hero");
    // Another column: a different index, not a rename.
    hero["indexes"][0]["name"] = "ix_hero_id";
    hero["indexes"][0]["definition"] = "CREATE INDEX ix_hero_id ON app.hero USING btree (id)";
    // A unique index of the same keys is not the plain index renamed.
    add(hero, "indexes",
        index_json("ux_hero_name",
                   "CREATE UNIQUE INDEX ux_hero_name ON app.hero USING btree (name)"));
    hero["indexes"][1]["unique"] = true;
    // The check keeps its name and a copy appears under another: nothing to rename.
    add(hero, "constraints",
        constraint_json("ck_hero_name", "check", "CHECK ((name <> ''::text))"));
    EXPECT_TRUE(renames(live, target).empty());
}

TEST(renames, the_diff_ignores_renamed_from) {
    json live = live_document();
    json target = live;
    for (const char* list : {"schemas", "tables", "views", "sequences", "enums", "domains",
                             "composite_types", "functions"})
        for (auto& item : target[list]) item["renamed_from"] = "gone";
    json& hero = table_of(target, "hero");
    for (const char* part : {"columns", "constraints", "indexes", "triggers", "policies"})
        for (auto& item : hero[part]) item["renamed_from"] = "gone";
    EXPECT_TRUE(renames(live, target).empty());  // every new name exists: applied before
    EXPECT_TRUE(diff(parse(live), parse(target), {}).empty());
}

}  // namespace
}  // namespace ender::engine
