// Tests of engine/diff.hpp without a server. Sequences: created, altered, dropped, and their
// owners.
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
// Sequences

TEST(diff_sequences, create_sequence_and_its_owner) {
    json to = team_and_hero();
    add_column(table_of(to, "hero"), "ticket", "bigint")["default"] =
        "nextval('public.ticket_seq'::regclass)";
    json& q = add(to, "sequences", ticket_seq());
    q["owned_by"] = {{"schema", "public"}, {"table", "hero"}, {"column", "ticket"}};
    json from = to;
    from["sequences"] = json::array();
    erase_named(table_of(from, "hero")["columns"], "ticket");
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql,
              "CREATE SEQUENCE \"public\".\"ticket_seq\" AS bigint INCREMENT BY 5 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 NO CYCLE");
    EXPECT_EQ(s[0].reverse_sql, "DROP SEQUENCE \"public\".\"ticket_seq\"");
    EXPECT_EQ(s[0].object_kind, "sequence");
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"ticket\" bigint DEFAULT "
              "nextval('public.ticket_seq'::regclass)");
    EXPECT_EQ(s[2].sql,
              "ALTER SEQUENCE \"public\".\"ticket_seq\" OWNED BY \"public\".\"hero\".\"ticket\"");
}

TEST(diff_sequences, a_name_freed_by_a_removed_sequence_or_enum_is_renamed_aside_first) {
    // Relations and types share one namespace: the new table "counter" and the new table
    // "status" (whose row type is called status) need the names first.
    json from = empty_document();
    add(from, "sequences", sequence_json("public", "counter"));
    add(from, "enums", enum_json("public", "status", {"active"}));
    json to = empty_document();
    add_column(add_table(to, "public", "counter"), "n", "bigint", false);
    add_column(add_table(to, "public", "status"), "code", "text", false);
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 6u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "ALTER SEQUENCE \"public\".\"counter\" RENAME TO \"counter__ender_old\"");
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER SEQUENCE \"public\".\"counter__ender_old\" RENAME TO \"counter\"");
    EXPECT_EQ(s[1].sql, "ALTER TYPE \"public\".\"status\" RENAME TO \"status__ender_old\"");
    EXPECT_EQ(s[2].sql.rfind("CREATE TABLE \"public\".\"counter\"", 0), 0u);
    EXPECT_EQ(s[4].sql, "DROP SEQUENCE \"public\".\"counter__ender_old\"");
    EXPECT_EQ(s[4].reverse_sql->rfind("CREATE SEQUENCE \"public\".\"counter__ender_old\"", 0), 0u);
    EXPECT_EQ(s[5].sql, "DROP TYPE \"public\".\"status__ender_old\"");
}

TEST(diff_sequences, a_name_freed_by_an_identity_sequence_is_freed_before_it_is_taken) {
    // An identity column's sequence holds "table_column_seq" (the longer part shortened to
    // fit 63 bytes): the identity goes first when a new table takes that name.
    const std::string long_table(60, 't');
    json from = empty_document();
    json& hero = add_table(from, "public", "hero");
    add_column(hero, "id", "integer", true);
    add_column(hero, "n", "integer", true)["identity"] = "by default";
    add_column(hero, "m", "integer", true)["identity"] = "always";
    add_column(add_table(from, "public", long_table), "id", "integer", true)["identity"] = "always";
    json to = empty_document();
    json& kept = add_table(to, "public", "hero");
    add_column(kept, "id", "integer", true);
    add_column(kept, "m", "integer", true);
    add_column(add_table(to, "public", "hero_n_seq"), "id", "integer", true);
    add_column(add_table(to, "public", "hero_m_seq"), "id", "integer", true);
    add_column(add_table(to, "public", long_table), "id", "integer", true);
    add_column(add_table(to, "public", std::string(56, 't') + "_id_seq"), "id", "integer", true);
    steps s = plan(from, to);
    const int created = position_of(s, "CREATE TABLE \"public\".\"hero_n_seq\"");
    const int drop_n =
        position_of(s, "ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"n\" DROP IDENTITY");
    const int drop_m =
        position_of(s, "ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"m\" DROP IDENTITY");
    const int drop_long = position_of(s, "ALTER COLUMN \"id\" DROP IDENTITY");
    ASSERT_TRUE(drop_n >= 0 && drop_m >= 0 && drop_long >= 0)
        << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(drop_n, created);
    EXPECT_LT(drop_m, created);
    EXPECT_LT(drop_long, created);
    EXPECT_FALSE(s[drop_n].reverse_sql);  // the sequence would start again
    // The kept column's DROP IDENTITY moved there, it is not planned twice.
    EXPECT_EQ(
        std::count_if(s.begin(), s.end(),
                      [](const diff_step& x) { return x.sql.ends_with("\"m\" DROP IDENTITY"); }),
        1);
    EXPECT_GT(position_of(s, "DROP COLUMN \"n\""), drop_n);
}

TEST(diff_sequences, a_name_an_identity_sequence_takes_is_freed_first) {
    json from = empty_document();
    add(from, "sequences", sequence_json("public", "hero_id_seq"));
    add_column(add_table(from, "public", "hero"), "id", "integer", true);
    json to = empty_document();
    add_column(add_table(to, "public", "hero"), "id", "integer", true)["identity"] = "by default";
    steps s = plan(from, to);
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s[0].sql,
              "ALTER SEQUENCE \"public\".\"hero_id_seq\" RENAME TO \"hero_id_seq__ender_old\"");
    EXPECT_LT(0, position_of(s, "ADD GENERATED BY DEFAULT AS IDENTITY"));
}

TEST(diff_sequences, alter_sequence_and_its_reverse) {
    json from = empty_document();
    add(from, "sequences", ticket_seq());
    json to = from;
    to["sequences"][0]["increment"] = -1;
    to["sequences"][0]["min"] = -100;
    to["sequences"][0]["cycle"] = true;
    to["sequences"][0]["type"] = "integer";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "ALTER SEQUENCE \"public\".\"ticket_seq\" AS integer INCREMENT BY -1 MINVALUE -100 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 CYCLE");
    // The reverse raises MINVALUE again: a value below it moves to the start (see below).
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER SEQUENCE \"public\".\"ticket_seq\" AS bigint MINVALUE -100 MAXVALUE "
              "9223372036854775807;\nSELECT pg_catalog.setval('\"public\".\"ticket_seq\"', 100, "
              "false) FROM \"public\".\"ticket_seq\" WHERE last_value < 1 OR last_value > "
              "9223372036854775807;\n"
              "ALTER SEQUENCE \"public\".\"ticket_seq\" AS bigint INCREMENT BY 5 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 NO CYCLE");
}

TEST(diff_sequences, a_narrower_range_moves_a_current_value_outside_it_to_the_start) {
    json from = empty_document();
    add(from, "sequences", sequence_json("public", "q"));
    json to = from;
    to["sequences"][0]["min"] = 1000;
    to["sequences"][0]["start"] = 1000;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "ALTER SEQUENCE \"public\".\"q\" AS bigint MINVALUE 1 MAXVALUE 9223372036854775807;\n"
              "SELECT pg_catalog.setval('\"public\".\"q\"', 1000, false) FROM \"public\".\"q\" "
              "WHERE last_value < 1000 OR last_value > 9223372036854775807;\n"
              "ALTER SEQUENCE \"public\".\"q\" AS bigint INCREMENT BY 1 MINVALUE 1000 "
              "MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1 NO CYCLE");
    // The reverse widens the range: nothing to move.
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER SEQUENCE \"public\".\"q\" AS bigint INCREMENT BY 1 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE");

    // A lower MAXVALUE narrows too; the widening step spans both ranges.
    json lower = from;
    lower["sequences"][0]["max"] = 50;
    lower["sequences"][0]["type"] = "integer";
    steps t = plan(to, lower);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].sql.substr(0, t[0].sql.find(';')),
              "ALTER SEQUENCE \"public\".\"q\" AS bigint MINVALUE 1 MAXVALUE 9223372036854775807");
    EXPECT_NE(t[0].sql.find("setval('\"public\".\"q\"', 1, false) FROM \"public\".\"q\" WHERE "
                            "last_value < 1 OR last_value > 50;"),
              std::string::npos)
        << t[0].sql;
}

TEST(diff_sequences, drop_sequence_after_the_tables) {
    json from = team_and_hero();
    add(from, "sequences", ticket_seq());
    json to = from;
    to["sequences"] = json::array();
    erase_named(to["tables"], "hero");
    steps s = plan(from, to);
    int drop = position_of(s, "DROP SEQUENCE \"public\".\"ticket_seq\"");
    ASSERT_GE(drop, 0);
    EXPECT_LT(position_of(s, "DROP TABLE"), drop);
    EXPECT_EQ(s[static_cast<std::size_t>(drop)].reverse_sql,
              "CREATE SEQUENCE \"public\".\"ticket_seq\" AS bigint INCREMENT BY 5 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 NO CYCLE");
}

TEST(diff_sequences, sequence_owned_by_a_dropped_table_goes_with_it) {
    json from = team_and_hero();
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "id"}};
    json to = from;
    to["sequences"] = json::array();
    erase_named(to["tables"], "hero");
    steps s = plan(from, to);
    EXPECT_EQ(position_of(s, "DROP SEQUENCE"), -1) << ::testing::PrintToString(sql_of(s));
    EXPECT_GE(position_of(s, "DROP TABLE"), 0);
}

TEST(diff_sequences, kept_sequence_is_released_before_its_owner_table_is_dropped) {
    json from = team_and_hero();
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "id"}};
    json to = from;
    to["sequences"][0]["owned_by"] = nullptr;
    erase_named(to["tables"], "hero");
    steps s = plan(from, to);
    int release = position_of(s, "ALTER SEQUENCE \"public\".\"ticket_seq\" OWNED BY NONE");
    ASSERT_GE(release, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(release, position_of(s, "DROP TABLE")) << ::testing::PrintToString(sql_of(s));
}

// A kept sequence owned by a column that goes, and owned by another column in the target, is
// released before the column is dropped (which would take it along), and owned again after.
TEST(diff_sequences, kept_sequence_is_released_before_its_owner_column_is_dropped) {
    json from = team_and_hero();
    add_column(table_of(from, "hero"), "ticket", "bigint");
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "ticket"}};
    json to = team_and_hero();
    add(to, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "id"}};
    steps s = plan(from, to);
    int release = position_of(s, "ALTER SEQUENCE \"public\".\"ticket_seq\" OWNED BY NONE");
    int drop_column = position_of(s, "DROP COLUMN \"ticket\"");
    int owned = position_of(s, "OWNED BY \"public\".\"hero\".\"id\"");
    ASSERT_GE(release, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(release, drop_column) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(drop_column, owned) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(position_of(s, "DROP SEQUENCE"), -1);
}

// BUG (reported): dropping a column drops the sequence it owns; the diff then drops the
// sequence again and PostgreSQL fails ("sequence "ticket_seq" does not exist").
TEST(diff_sequences, sequence_owned_by_a_dropped_column_is_not_dropped_twice) {
    json from = team_and_hero();
    add_column(table_of(from, "hero"), "ticket", "bigint");
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "ticket"}};
    json to = team_and_hero();
    steps s = plan(from, to);
    int drop_column = position_of(s, "DROP COLUMN \"ticket\"");
    int drop_sequence = position_of(s, "DROP SEQUENCE");
    ASSERT_GE(drop_column, 0);
    EXPECT_TRUE(drop_sequence == -1 || drop_sequence < drop_column)
        << ::testing::PrintToString(sql_of(s));
}

}  // namespace
}  // namespace ender::engine
