// Tests of engine/diff.hpp without a server. Types: enums (added in place or rebuilt), domains and
// composite types.
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
// Enums

TEST(diff_types, create_and_drop_enum) {
    json to = empty_document();
    add(to, "enums", enum_json("public", "mood", {"sad", "ok", "it's fine"}));
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "CREATE TYPE \"public\".\"mood\" AS ENUM ('sad', 'ok', 'it''s fine')");
    EXPECT_EQ(s[0].reverse_sql, "DROP TYPE \"public\".\"mood\"");
    EXPECT_EQ(s[0].object_kind, "type");
    steps back = plan(to, empty_document());
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].sql, "DROP TYPE \"public\".\"mood\"");
    EXPECT_EQ(back[0].reverse_sql, s[0].sql);
}

TEST(diff_types, enum_values_are_added_in_place_each_in_its_own_transaction) {
    json from = empty_document();
    add(from, "enums", enum_json("public", "mood", {"sad", "happy"}));
    json to = empty_document();
    add(to, "enums", enum_json("public", "mood", {"sad", "it's ok", "happy", "ecstatic"}));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'it''s ok' BEFORE 'happy'");
    EXPECT_EQ(s[1].sql, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ecstatic'");
    for (const auto& step : s) {
        EXPECT_FALSE(step.in_transaction);  // a new value cannot be used before it commits
        EXPECT_EQ(step.object_kind, "type");
        EXPECT_EQ(step.object_name, "\"public\".\"mood\"");
    }
    json first = empty_document();
    add(first, "enums", enum_json("public", "mood", {"meh", "sad", "happy"}));
    EXPECT_EQ(sql_of(plan(from, first)),
              strings{"ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh' BEFORE 'sad'"});
}

// BUG (reported): two new labels in a row: the first is placed BEFORE the second, which does
// not exist yet ("ok" BEFORE "happy" when both are new): PostgreSQL refuses it ("happy" is
// not an existing enum label).
TEST(diff_types, consecutive_new_enum_values_refer_only_to_existing_labels) {
    json from = empty_document();
    add(from, "enums", enum_json("public", "mood", {"sad"}));
    json to = empty_document();
    add(to, "enums", enum_json("public", "mood", {"sad", "ok", "happy"}));
    std::set<std::string> existing{"'sad'"};
    for (const auto& step : plan(from, to)) {
        auto before = step.sql.find(" BEFORE ");
        if (before != std::string::npos) {
            EXPECT_TRUE(existing.count(step.sql.substr(before + 8))) << step.sql;
        }
        auto value = step.sql.find("ADD VALUE ");
        ASSERT_NE(value, std::string::npos);
        existing.insert(step.sql.substr(value + 10, step.sql.find('\'', value + 11) - value - 9));
    }
}

// An enum with a label removed or moved, and a table, a check and a view that use it.
json mood_doc(const strings& labels) {
    json doc = team_and_hero();
    add(doc, "enums", enum_json("public", "mood", labels));
    json& hero = table_of(doc, "hero");
    add_column(hero, "feeling", "public.mood")["default"] = "'ok'::public.mood";
    add(hero, "constraints",
        constraint_json("hero_feeling_check", "check", "CHECK ((feeling <> 'sad'::public.mood))"));
    json& v = add_view(doc, "public", "feelings", " SELECT hero.feeling\n   FROM public.hero;");
    v["depends_on"] = {{{"schema", "public"}, {"name", "hero"}}};
    return doc;
}

TEST(diff_types, enum_with_labels_removed_or_reordered_is_rebuilt_and_its_columns_recast) {
    for (strings labels : {strings{"ok", "sad"}, strings{"ok", "sad", "happy"}}) {
        json from = mood_doc({"sad", "ok", "happy"});
        json to = mood_doc(labels);
        steps s = plan(from, to);
        std::string alter = "ALTER TABLE \"public\".\"hero\"";
        strings expected{
            "DROP VIEW \"public\".\"feelings\"",
            alter + " DROP CONSTRAINT \"hero_feeling_check\"",
            "ALTER TYPE \"public\".\"mood\" RENAME TO \"mood__ender_old\"",
            enum_sql_for_test(labels),
            alter + " ALTER COLUMN \"feeling\" DROP DEFAULT",
            alter +
                " ALTER COLUMN \"feeling\" TYPE public.mood USING \"feeling\"::text::public.mood",
            alter + " ALTER COLUMN \"feeling\" SET DEFAULT 'ok'::public.mood",
            alter +
                " ADD CONSTRAINT \"hero_feeling_check\" CHECK ((feeling <> 'sad'::public.mood)) "
                "NOT VALID",
            alter + " VALIDATE CONSTRAINT \"hero_feeling_check\"",
            "CREATE VIEW \"public\".\"feelings\" AS\n SELECT hero.feeling\n   FROM public.hero",
            "DROP TYPE \"public\".\"mood__ender_old\""};
        EXPECT_EQ(sql_of(s), expected);
        const diff_step& rename = step_with(s, "RENAME TO");
        EXPECT_EQ(rename.reverse_sql,
                  "ALTER TYPE \"public\".\"mood__ender_old\" RENAME TO \"mood\"");
        EXPECT_EQ(step_with(s, "USING \"feeling\"::text").hazards,
                  (strings{hazard::rewrites_table, hazard::access_exclusive, hazard::can_fail}));
    }
}

TEST(diff_types, removing_enum_labels_used_by_a_domain_is_refused) {
    json from = empty_document();
    add(from, "enums", enum_json("public", "mood", {"sad", "ok"}));
    add(from, "domains", domain_json("public", "calm", "public.mood"));
    json to = from;
    to["enums"][0]["labels"] = {"ok"};
    EXPECT_ENGINE_ERROR(
        plan(from, to), unsupported,
        "cannot diff removing enum labels used by a domain of \"public\".\"calm\" yet",
        {.detail = "will not guess it", .hint = "Write this step of the migration by hand."});
}

// BUG (reported): a rebuilt enum's columns are found by comparing their type text with
// schema + "." + name unquoted; format_type quotes names that need it ("My Schema"."Mood")
// and writes arrays as public.mood[], so such columns are not recast and the final
// DROP TYPE of the old enum fails (other objects depend on it).
TEST(diff_types, enum_rebuild_recasts_columns_of_quoted_names_and_arrays) {
    json from = empty_document();
    add(from, "enums", enum_json("My Schema", "Mood", {"sad", "ok"}));
    add(from, "enums", enum_json("public", "mood", {"sad", "ok"}));
    json& t = add_table(from, "public", "hero");
    add_column(t, "feeling", "\"My Schema\".\"Mood\"");
    add_column(t, "feelings", "public.mood[]");
    json to = from;
    to["enums"][0]["labels"] = {"ok"};
    to["enums"][1]["labels"] = {"ok"};
    steps s = plan(from, to);
    EXPECT_GE(position_of(s, "ALTER COLUMN \"feeling\" TYPE"), 0)
        << ::testing::PrintToString(sql_of(s));
    EXPECT_GE(position_of(s, "ALTER COLUMN \"feelings\" TYPE"), 0)
        << ::testing::PrintToString(sql_of(s));
}

TEST(diff_types, enum_is_created_before_and_dropped_after_the_table_using_it) {
    json doc = empty_document();
    add(doc, "enums", enum_json("public", "mood", {"sad", "ok"}));
    json& t = add_table(doc, "public", "hero");
    add_column(t, "feeling", "mood")["default"] = "'ok'::mood";
    steps up = plan(empty_document(), doc);
    EXPECT_LT(position_of(up, "CREATE TYPE"), position_of(up, "CREATE TABLE"));
    steps down = plan(doc, empty_document());
    EXPECT_LT(position_of(down, "DROP TABLE"), position_of(down, "DROP TYPE"));
}

// ---------------------------------------------------------------------------------------
// Domains and composite types

TEST(diff_types, create_domain_before_its_table_and_drop_it_after) {
    json doc = empty_document();
    add(doc, "domains", posint());
    add_column(add_table(doc, "public", "hero"), "age", "posint");
    steps up = plan(empty_document(), doc);
    ASSERT_EQ(up.size(), 2u);
    EXPECT_EQ(up[0].sql,
              "CREATE DOMAIN \"public\".\"posint\" AS integer DEFAULT 1 NOT NULL CONSTRAINT "
              "\"positive\" CHECK ((VALUE > 0))");
    EXPECT_EQ(up[0].reverse_sql, "DROP DOMAIN \"public\".\"posint\"");
    EXPECT_EQ(up[0].object_kind, "domain");
    steps down = plan(doc, empty_document());
    ASSERT_EQ(down.size(), 2u);
    EXPECT_EQ(down[0].sql, "DROP TABLE \"public\".\"hero\"");
    EXPECT_EQ(down[1].sql, "DROP DOMAIN \"public\".\"posint\"");
    EXPECT_EQ(down[1].reverse_sql, up[0].sql);
}

TEST(diff_types, alter_domain) {
    json from = empty_document();
    add(from, "domains", posint());
    json to = from;
    json& d = to["domains"][0];
    d["default"] = "2";
    d["not_null"] = false;
    d["constraints"][0]["definition"] = "CHECK ((VALUE >= 1))";
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s), (strings{"ALTER DOMAIN \"public\".\"posint\" SET DEFAULT 2",
                                  "ALTER DOMAIN \"public\".\"posint\" DROP NOT NULL",
                                  "ALTER DOMAIN \"public\".\"posint\" DROP CONSTRAINT \"positive\"",
                                  "ALTER DOMAIN \"public\".\"posint\" ADD CONSTRAINT \"positive\" "
                                  "CHECK ((VALUE >= 1))"}));
    EXPECT_EQ(s[3].hazards, strings{hazard::can_fail});
    steps back = plan(to, from);
    EXPECT_EQ(step_with(back, "SET NOT NULL").hazards, strings{hazard::can_fail});
    json no_default = from;
    no_default["domains"][0]["default"] = nullptr;
    EXPECT_EQ(sql_of(plan(from, no_default)),
              strings{"ALTER DOMAIN \"public\".\"posint\" DROP DEFAULT"});
}

TEST(diff_types, domain_base_type_change_is_refused) {
    json from = empty_document();
    add(from, "domains", posint());
    json to = from;
    to["domains"][0]["type"] = "bigint";
    EXPECT_ENGINE_ERROR(plan(from, to), unsupported,
                        "cannot diff the base type of \"public\".\"posint\" yet",
                        {.hint = "Write this step of the migration by hand."});
    json collated = from;
    collated["domains"][0]["collation"] = "\"C\"";
    EXPECT_ENGINE_ERROR(plan(from, collated), unsupported,
                        "cannot diff the base type of \"public\".\"posint\" yet");
}

// BUG (reported): a NOT VALID domain check (pg_get_constraintdef writes "CHECK (...) NOT VALID")
// is put inside CREATE DOMAIN, where NOT VALID is a syntax error.
TEST(diff_types, domain_with_a_not_valid_check_is_created_then_constrained) {
    json to = empty_document();
    json d = domain_json("public", "posint", "integer");
    json c = domain_constraint_json("positive", "CHECK ((VALUE > 0)) NOT VALID");
    c["valid"] = false;
    add(d, "constraints", c);
    add(to, "domains", d);
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    // CREATE DOMAIN takes no NOT VALID check: the domain comes first, the check after it.
    const std::string& sql = s[0].sql;
    std::size_t end_of_create = sql.find(";\n");
    ASSERT_NE(end_of_create, std::string::npos) << sql;
    EXPECT_EQ(sql.substr(0, end_of_create).find("NOT VALID"), std::string::npos) << sql;
    EXPECT_EQ(sql.substr(end_of_create + 2),
              "ALTER DOMAIN \"public\".\"posint\" ADD CONSTRAINT \"positive\" CHECK ((VALUE > 0)) "
              "NOT VALID");
}

TEST(diff_types, composite_types) {
    json from = empty_document();
    json& address = add(from, "composite_types", composite_json("public", "address"));
    add(address, "attributes", attribute_json("street", "text"));
    add(address, "attributes", attribute_json("city", "text"))["collation"] = "\"C\"";
    steps created = plan(empty_document(), from);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(
        created[0].sql,
        "CREATE TYPE \"public\".\"address\" AS (\"street\" text, \"city\" text COLLATE \"C\")");
    EXPECT_EQ(created[0].reverse_sql, "DROP TYPE \"public\".\"address\"");

    json to = from;
    json& attributes = to["composite_types"][0]["attributes"];
    attributes.erase(0);  // street
    attributes[0]["type"] = "character varying(80)";
    attributes.push_back(attribute_json("zip", "text"));
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TYPE \"public\".\"address\" DROP ATTRIBUTE \"street\"",
                       "ALTER TYPE \"public\".\"address\" ALTER ATTRIBUTE \"city\" TYPE character "
                       "varying(80) COLLATE \"C\"",
                       "ALTER TYPE \"public\".\"address\" ADD ATTRIBUTE \"zip\" text"}));
    EXPECT_EQ(step_with(plan(from, to), "DROP ATTRIBUTE").hazards, strings{hazard::deletes_data});
    steps dropped = plan(from, empty_document());
    ASSERT_EQ(dropped.size(), 1u);
    EXPECT_EQ(dropped[0].sql, "DROP TYPE \"public\".\"address\"");
    EXPECT_EQ(dropped[0].reverse_sql, created[0].sql);
}

// BUG (reported): attribute order is part of a composite type (the document keeps it), but a
// reordering gives no step, and an attribute added in the middle is appended: the result never
// matches the target, and no error says so.
TEST(diff_types, composite_attribute_order_is_refused) {
    json from = empty_document();
    json& address = add(from, "composite_types", composite_json("public", "address"));
    add(address, "attributes", attribute_json("street", "text"));
    add(address, "attributes", attribute_json("city", "text"));
    json to = from;
    std::swap(to["composite_types"][0]["attributes"][0], to["composite_types"][0]["attributes"][1]);
    EXPECT_ENGINE_ERROR(plan(from, to), unsupported,
                        "cannot diff the order of attributes of \"public\".\"address\" yet");
    // Adding and dropping around the kept ones is fine.
    json grown = from;
    grown["composite_types"][0]["attributes"] = {attribute_json("zip", "text"),
                                                 attribute_json("street", "text"),
                                                 attribute_json("city", "text")};
    EXPECT_EQ(plan(from, grown).size(), 1u);
}

TEST(diff_types, composite_types_and_domains_stored_in_tables_change_only_where_postgresql_can) {
    json from = empty_document();
    add(from, "domains", domain_json("public", "zip", "text"));
    add(from, "composite_types",
        composite_json("public", "address",
                       {attribute_json("street", "text"), attribute_json("zip", "public.zip")}));
    add_column(add_table(from, "public", "hero"), "homes", "public.address[]");
    // Attributes are added and dropped in place ...
    json grown = from;
    grown["composite_types"][0]["attributes"] = {attribute_json("zip", "public.zip"),
                                                 attribute_json("city", "text")};
    EXPECT_EQ(sql_of(plan(from, grown)),
              (strings{"ALTER TYPE \"public\".\"address\" DROP ATTRIBUTE \"street\"",
                       "ALTER TYPE \"public\".\"address\" ADD ATTRIBUTE \"city\" text"}));
    // ... but stored values cannot be retyped or checked against a new domain check.
    json retyped = from;
    retyped["composite_types"][0]["attributes"][0]["type"] = "character varying(80)";
    EXPECT_ENGINE_ERROR(
        plan(from, retyped), unsupported,
        "cannot diff the type of attribute \"street\" of a composite type stored in column "
        "\"public\".\"hero\".\"homes\" of \"public\".\"address\" yet");
    json checked = from;
    add(checked["domains"][0], "constraints",
        domain_constraint_json("zip_digits", "CHECK ((VALUE ~ '^[0-9]+$'::text))"));
    EXPECT_ENGINE_ERROR(
        plan(from, checked), unsupported,
        "cannot diff a new check on a domain stored inside a composite type (column "
        "\"public\".\"hero\".\"homes\") of \"public\".\"zip\" yet");
    // Without a stored value, both are plain ALTERs.
    for (json* doc : {&from, &retyped, &checked}) (*doc)["tables"] = json::array();
    EXPECT_EQ(plan(from, retyped).size(), 1u);
    EXPECT_EQ(plan(from, checked).size(), 1u);
}

}  // namespace
}  // namespace ender::engine
