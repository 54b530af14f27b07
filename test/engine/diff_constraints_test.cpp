// Tests of engine/diff.hpp without a server. Constraints: keys, checks and foreign keys, online and
// plain, and their order.
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
// Constraints

TEST(diff_constraints, constraints_on_a_new_table_are_added_plainly_keys_first) {
    json from = team_and_hero();
    erase_named(from["tables"], "hero");
    json to = team_and_hero();
    json& hero = table_of(to, "hero");
    add(hero, "constraints", hero_team_fkey());
    add(hero, "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    for (bool online : {true, false}) {
        steps s = plan(from, to, online);
        ASSERT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
        EXPECT_EQ(s[0].sql.rfind("CREATE TABLE \"public\".\"hero\"", 0), 0u);
        EXPECT_EQ(s[1].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY (id)");
        EXPECT_EQ(s[1].hazards, (strings{hazard::access_exclusive, hazard::builds_index}));
        EXPECT_EQ(s[1].reverse_sql,
                  "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_pkey\"");
        EXPECT_EQ(s[1].object_kind, "constraint");
        EXPECT_EQ(s[1].object_name, "\"hero_pkey\" ON \"public\".\"hero\"");
        EXPECT_EQ(s[2].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK ((name "
                  "<> ''::text))");
        EXPECT_EQ(s[2].hazards, strings{hazard::access_exclusive});
        EXPECT_EQ(s[3].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN "
                  "KEY (team_id) REFERENCES public.team(id)");
        EXPECT_EQ(s[3].hazards, strings{hazard::blocks_writes});  // SHARE ROW EXCLUSIVE
        for (const auto& step : s) EXPECT_TRUE(step.in_transaction);
    }
}

TEST(diff_constraints, foreign_key_on_an_existing_table_online_is_added_not_valid_then_validated) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "hero"), "constraints", hero_team_fkey());
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) REFERENCES public.team(id) NOT VALID");
    EXPECT_EQ(s[0].hazards, strings{hazard::blocks_writes});
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_team_id_fkey\"");
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_team_id_fkey\"");
    EXPECT_EQ(s[1].hazards, strings{hazard::can_fail});
    EXPECT_TRUE(s[0].in_transaction && s[1].in_transaction);

    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 1u);
    EXPECT_EQ(offline[0].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) REFERENCES public.team(id)");
    EXPECT_EQ(offline[0].hazards, (strings{hazard::blocks_writes, hazard::can_fail}));
}

TEST(diff_constraints, check_on_an_existing_table_online_is_added_not_valid_then_validated) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK "
                       "((name <> ''::text)) NOT VALID",
                       "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_name_check\""}));
    EXPECT_EQ(sql_of(plan(from, to, false)),
              strings{"ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK "
                      "((name <> ''::text))"});
}

TEST(diff_constraints, deferrable_foreign_key_gets_not_valid_after_its_attributes) {
    json from = team_and_hero();
    json to = from;
    json fk = hero_team_fkey();
    fk["definition"] =
        "FOREIGN KEY (team_id) REFERENCES public.team(id) DEFERRABLE INITIALLY DEFERRED";
    fk["deferrable"] = true;
    fk["deferred"] = true;
    add(table_of(to, "hero"), "constraints", fk);
    EXPECT_EQ(step_with(plan(from, to), "ADD CONSTRAINT").sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) "
              "REFERENCES public.team(id) DEFERRABLE INITIALLY DEFERRED NOT VALID");
}

TEST(diff_constraints, constraint_not_valid_in_the_target_is_added_as_it_is) {
    json from = team_and_hero();
    json to = from;
    json adult = constraint_json("adult", "check", "CHECK ((id >= 18)) NOT VALID");
    adult["valid"] = false;
    add(table_of(to, "hero"), "constraints", adult);
    for (bool online : {true, false}) {
        steps s = plan(from, to, online);
        ASSERT_EQ(s.size(), 1u);
        EXPECT_EQ(s[0].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"adult\" CHECK ((id >= 18)) NOT "
                  "VALID");
        EXPECT_EQ(s[0].hazards,
                  strings{hazard::access_exclusive});  // existing rows are not checked
    }
}

TEST(diff_constraints, constraint_that_only_becomes_valid_is_validated_in_place) {
    json from = team_and_hero();
    json adult = constraint_json("adult", "check", "CHECK ((id >= 18))");
    adult["valid"] = false;
    add(table_of(from, "hero"), "constraints", adult);
    json to = from;
    named(table_of(to, "hero"), "constraints", "adult")["valid"] = true;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"adult\"");
    EXPECT_EQ(s[0].hazards, strings{hazard::can_fail});
}

TEST(diff_constraints,
     primary_key_on_an_existing_table_online_is_built_concurrently_then_attached) {
    json from = team_and_hero();
    table_of(from, "hero")["constraints"] = json::array();
    json to = team_and_hero();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(
        s[0].sql,
        "CREATE UNIQUE INDEX CONCURRENTLY \"hero_pkey\" ON \"public\".\"hero\" USING btree (id)");
    EXPECT_FALSE(s[0].in_transaction);
    EXPECT_EQ(s[0].hazards, (strings{hazard::builds_index, hazard::can_fail}));
    EXPECT_EQ(s[0].object_kind, "index");
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero_pkey\"");
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY USING "
              "INDEX \"hero_pkey\"");
    EXPECT_TRUE(s[1].in_transaction);
    EXPECT_EQ(s[1].hazards, strings{hazard::access_exclusive});
    EXPECT_EQ(s[1].reverse_sql, "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_pkey\"");
    // Undone in reverse order, dropping the constraint drops its index: the index's own
    // reverse must not fail then.
    EXPECT_EQ(s[0].reverse_sql, "DROP INDEX IF EXISTS \"public\".\"hero_pkey\"");

    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 1u);
    EXPECT_EQ(offline[0].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY (id)");
    EXPECT_EQ(offline[0].hazards,
              (strings{hazard::access_exclusive, hazard::can_fail, hazard::builds_index}));
    EXPECT_TRUE(offline[0].in_transaction);
}

TEST(diff_constraints, unique_and_composite_keys_online) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "team"), "constraints",
        constraint_json("team_name_key", "unique", "UNIQUE (name)"));
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_team_name_key", "unique", "UNIQUE (team_id, name)"));
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s),
              (strings{"CREATE UNIQUE INDEX CONCURRENTLY \"team_name_key\" ON \"public\".\"team\" "
                       "USING btree (name)",
                       "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE "
                       "USING INDEX \"team_name_key\"",
                       "CREATE UNIQUE INDEX CONCURRENTLY \"hero_team_name_key\" ON "
                       "\"public\".\"hero\" USING btree (team_id, name)",
                       "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_name_key\" "
                       "UNIQUE USING INDEX \"hero_team_name_key\""}));
}

TEST(diff_constraints, keys_an_index_cannot_back_are_added_plainly_even_online) {
    json from = team_and_hero();
    auto only_step = [&](json constraint) {
        json to = from;
        add(table_of(to, "team"), "constraints", std::move(constraint));
        steps s = plan(from, to);
        if (s.size() != 1)
            throw std::runtime_error("expected one step: " + ::testing::PrintToString(sql_of(s)));
        return s[0];
    };
    json deferrable = constraint_json("team_name_key", "unique", "UNIQUE (name) DEFERRABLE");
    deferrable["deferrable"] = true;
    diff_step d = only_step(deferrable);
    EXPECT_EQ(d.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE (name) "
              "DEFERRABLE");
    EXPECT_EQ(d.hazards,
              (strings{hazard::access_exclusive, hazard::can_fail, hazard::builds_index}));
    EXPECT_TRUE(d.in_transaction);

    diff_step include =
        only_step(constraint_json("team_name_key", "unique", "UNIQUE (name) INCLUDE (id)"));
    EXPECT_EQ(include.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE (name) "
              "INCLUDE (id)");

    diff_step nulls =
        only_step(constraint_json("team_name_key", "unique", "UNIQUE NULLS NOT DISTINCT (name)"));
    EXPECT_EQ(nulls.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE NULLS NOT "
              "DISTINCT (name)");

    diff_step exclusion = only_step(
        constraint_json("team_no_overlap", "exclusion", "EXCLUDE USING gist (name WITH =)"));
    EXPECT_EQ(exclusion.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_no_overlap\" EXCLUDE USING "
              "gist (name WITH =)");
    EXPECT_EQ(exclusion.hazards,
              (strings{hazard::access_exclusive, hazard::can_fail, hazard::builds_index}));
}

TEST(diff_constraints, foreign_key_is_added_after_the_key_it_references) {
    // On new tables: the referencing table sorts first.
    json to = empty_document();
    json& a = add_table(to, "public", "a_hero");
    add_column(a, "team_id", "integer");
    json fk = constraint_json("a_hero_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.z_team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "z_team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    add(a, "constraints", fk);
    json& z = add_table(to, "public", "z_team");
    add_column(z, "id", "integer", true);
    add(z, "constraints", constraint_json("z_team_pkey", "primary key", "PRIMARY KEY (id)"));
    for (bool online : {true, false}) {
        steps s = plan(empty_document(), to, online);
        int key = position_of(s, "ADD CONSTRAINT \"z_team_pkey\""),
            reference = position_of(s, "ADD CONSTRAINT \"a_hero_team_id_fkey\"");
        ASSERT_GE(key, 0);
        EXPECT_LT(key, reference) << ::testing::PrintToString(sql_of(s));
        EXPECT_LT(position_of(s, "CREATE TABLE \"public\".\"z_team\""), reference);
    }
    // On existing tables, online: the key's index and constraint come before the foreign key.
    json from = to;
    table_of(from, "a_hero")["constraints"] = json::array();
    table_of(from, "z_team")["constraints"] = json::array();
    steps s = plan(from, to);
    int attach = position_of(s, "ADD CONSTRAINT \"z_team_pkey\" PRIMARY KEY USING INDEX");
    ASSERT_GE(attach, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(attach, position_of(s, "ADD CONSTRAINT \"a_hero_team_id_fkey\""));
}

TEST(diff_constraints, dropped_constraints_foreign_keys_before_keys) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "constraints", hero_team_fkey());
    json to = team_and_hero();
    table_of(to, "team")["constraints"] = json::array();
    table_of(to, "hero")["constraints"] = json::array();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_team_id_fkey\"");
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) REFERENCES public.team(id)");
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
    EXPECT_TRUE(position_of(s, "DROP CONSTRAINT \"team_pkey\"") > 0);
    EXPECT_TRUE(position_of(s, "DROP CONSTRAINT \"hero_pkey\"") > 0);
}

TEST(diff_constraints, changed_constraint_is_dropped_then_added_again) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    json to = from;
    named(table_of(to, "hero"), "constraints", "hero_name_check")["definition"] =
        "CHECK ((length(name) > 1))";
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_name_check\"",
                       "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK "
                       "((length(name) > 1)) NOT VALID",
                       "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_name_check\""}));
}

TEST(diff_constraints, foreign_keys_are_dropped_and_added_again_around_a_changed_key) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "constraints", hero_team_fkey());
    json to = from;
    named(table_of(to, "team"), "constraints", "team_pkey")["definition"] =
        "PRIMARY KEY (id) WITH (fillfactor='90')";
    steps s = plan(from, to);
    EXPECT_EQ(
        sql_of(s),
        (strings{"ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_team_id_fkey\"",
                 "ALTER TABLE \"public\".\"team\" DROP CONSTRAINT \"team_pkey\"",
                 "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_pkey\" PRIMARY KEY (id) "
                 "WITH (fillfactor='90')",
                 "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
                 "(team_id) "
                 "REFERENCES public.team(id) NOT VALID",
                 "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_team_id_fkey\""}));
}

}  // namespace
}  // namespace ender::engine
