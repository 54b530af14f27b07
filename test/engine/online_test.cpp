// Tests of engine/online.hpp: the "-- ender:online" operation line and the SQL of each phase.
#include "engine/online.hpp"

#include "engine/revision.hpp"
#include "error_matchers.hpp"

#include <gtest/gtest.h>

namespace ender::engine {
namespace {

online_table account() {
    return {"public",
            "account",
            {{"id", "bigint", true, std::nullopt},
             {"balance", "integer", true, "0"},
             {"note", "text", false, std::nullopt}},
            {"id"}};
}

TEST(online, parses_alter_column) {
    auto op = parse_online_operation(
        "alter_column public.account balance TYPE numeric(12, 2) USING (balance::numeric(12,2)) "
        "DOWN (round(balance)::integer)");
    EXPECT_EQ(op.kind, "alter_column");
    EXPECT_EQ(op.schema, "public");
    EXPECT_EQ(op.table, "account");
    EXPECT_EQ(op.column, "balance");
    EXPECT_EQ(op.type, "numeric(12, 2)");
    EXPECT_EQ(op.up, "balance::numeric(12,2)");
    EXPECT_EQ(op.down, "round(balance)::integer");
}

TEST(online, quoted_names_keep_case_and_plain_names_fold) {
    auto op = parse_online_operation(
        "ALTER_COLUMN \"My Table\" \"Col\"\"x\" type double precision using (\"Col\"\"x\" * 1.0) "
        "down ((\"Col\"\"x\")::int)");
    EXPECT_FALSE(op.schema);
    EXPECT_EQ(op.table, "My Table");
    EXPECT_EQ(op.column, "Col\"x");
    EXPECT_EQ(op.type, "double precision");
    EXPECT_EQ(op.down, "(\"Col\"\"x\")::int");
}

TEST(online, parentheses_inside_strings_do_not_end_an_expression) {
    auto op = parse_online_operation(
        "alter_column t c type text using (c || ')') down (replace(c, ')', ''))");
    EXPECT_EQ(op.up, "c || ')'");
    EXPECT_EQ(op.down, "replace(c, ')', '')");
}

TEST(online, malformed_lines_are_syntax_errors) {
    EXPECT_ENGINE_ERROR(parse_online_operation("rename_table a b"), "0A000",
                        "online operation \"rename_table\" is not supported");
    EXPECT_ENGINE_ERROR(parse_online_operation("alter_column t c using (c) down (c)"), "42601",
                        "expected type");
    EXPECT_ENGINE_ERROR(parse_online_operation("alter_column t c type int down (c)"), "42601",
                        "expected using (expression)");
    EXPECT_ENGINE_ERROR(parse_online_operation("alter_column t c type int using (c"), "42601",
                        "unbalanced parentheses in the USING expression");
    EXPECT_ENGINE_ERROR(parse_online_operation("alter_column t c type int using (c)"), "42601",
                        "expected down");
    EXPECT_ENGINE_ERROR(parse_online_operation("alter_column t c type int using () down (c)"),
                        "42601", "empty USING expression");
    EXPECT_ENGINE_ERROR(parse_online_operation("alter_column t c type int using (c) down (c) x"),
                        "42601", "unexpected text after the DOWN expression");
}

TEST(online, migration_file_keeps_the_line_and_checks_it) {
    auto r = parse_migration(
        "-- ender:revision a1\n-- ender:online alter_column t c type bigint using (c) down "
        "(c::int)\n-- ender:upgrade\n");
    ASSERT_TRUE(r.online);
    EXPECT_EQ(*r.online, "alter_column t c type bigint using (c) down (c::int)");
    EXPECT_EQ(parse_migration(render_migration(r)), r);
    auto plain = r;
    plain.online.reset();
    EXPECT_NE(canonical_content(r), canonical_content(plain));
    EXPECT_ENGINE_ERROR(parse_migration("-- ender:revision a1\n-- ender:online alter_column t c "
                                        "type bigint\n-- ender:upgrade\n"),
                        "42601", "expected using", {.detail = "at line 2 of"});
}

TEST(online, plan_renders_every_phase) {
    auto op = parse_online_operation(
        "alter_column account balance type bigint using (balance::bigint) down (balance::integer)");
    auto p = plan_online("r1", op, account());
    ASSERT_FALSE(p.expand.empty());
    EXPECT_EQ(p.expand[0], "ALTER TABLE \"public\".\"account\" ADD COLUMN \"_ender_new_balance\" bigint");
    EXPECT_EQ(p.expand[1], "ALTER TABLE \"public\".\"account\" ADD CONSTRAINT \"_ender_balance_not_null\" "
                           "CHECK (\"_ender_new_balance\" IS NOT NULL) NOT VALID");
    EXPECT_EQ(p.expand.back(),
              "CREATE VIEW \"ender_r1\".\"account\" WITH (security_invoker = true) AS SELECT \"id\", "
              "\"_ender_new_balance\" AS \"balance\", \"note\" FROM \"public\".\"account\"");
    EXPECT_NE(p.backfill_scan_next.find("WHERE (\"id\") > (($2::text[])[1]::bigint)"), std::string::npos);
    EXPECT_NE(p.backfill_update_next.find("(\"id\") > (($1::text[])[1]::bigint)"), std::string::npos);
    EXPECT_EQ(p.backfill_update_first.find("$1"), std::string::npos);
    EXPECT_EQ(p.validate.size(), 1u);
    EXPECT_EQ(p.contract.back(), "ALTER TABLE \"public\".\"account\" DROP CONSTRAINT \"_ender_balance_not_null\"");
    EXPECT_NE(std::find(p.contract.begin(), p.contract.end(),
                        "ALTER TABLE \"public\".\"account\" ALTER COLUMN \"balance\" SET DEFAULT 0"),
              p.contract.end());
    EXPECT_EQ(p.rollback.back(), "ALTER TABLE \"public\".\"account\" DROP COLUMN IF EXISTS \"_ender_new_balance\"");
}

TEST(online, plan_refuses_what_it_cannot_do) {
    auto op = parse_online_operation("alter_column account nope type bigint using (nope) down (nope)");
    EXPECT_ENGINE_ERROR(plan_online("r1", op, account()), "42703",
                        "column \"nope\" of relation \"public.account\" does not exist");
    op = parse_online_operation("alter_column account id type int using (id) down (id)");
    EXPECT_ENGINE_ERROR(plan_online("r1", op, account()), "0A000", "part of the primary key");
    auto keyless = account();
    keyless.key.clear();
    op = parse_online_operation("alter_column account note type varchar using (note) down (note)");
    EXPECT_ENGINE_ERROR(plan_online("r1", op, keyless), "0A000", "has no primary key");
}

}  // namespace
}  // namespace ender::engine
