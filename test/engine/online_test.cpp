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

TEST(online, parses_every_other_kind) {
    auto op = parse_online_operation("rename_column s.\"T\" old TO \"New\"");
    EXPECT_EQ(op.schema, "s");
    EXPECT_EQ(op.table, "T");
    EXPECT_EQ(op.column, "old");
    EXPECT_EQ(op.new_name, "New");
    op = parse_online_operation(
        "ADD_COLUMN t score numeric(10, 2) not null default (0) backfill (qty * 1.5)");
    EXPECT_EQ(op.type, "numeric(10, 2)");
    EXPECT_EQ(op.default_expr, "0");
    EXPECT_EQ(op.backfill, "qty * 1.5");
    op = parse_online_operation("add_column t c text NOT NULL BACKFILL ('x')");
    EXPECT_FALSE(op.default_expr);
    op = parse_online_operation("set_not_null t c");
    EXPECT_EQ(op.column, "c");
    op = parse_online_operation("add_unique t t_a_b_key (a, \"B\")");
    EXPECT_EQ(op.constraint, "t_a_b_key");
    EXPECT_EQ(op.columns, (std::vector<std::string>{"a", "B"}));
    op = parse_online_operation("add_primary_key t t_pkey (id)");
    EXPECT_EQ(op.kind, "add_primary_key");
    op = parse_online_operation("add_constraint t t_check CHECK (a > (b + 1))");
    EXPECT_EQ(op.check, "a > (b + 1)");
    op = parse_online_operation(
        "add_constraint t t_fk FOREIGN KEY (a, b) REFERENCES s.p (x, y) on update set null on "
        "delete no action");
    EXPECT_EQ(op.ref_schema, "s");
    EXPECT_EQ(op.ref_table, "p");
    EXPECT_EQ(op.ref_columns, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(op.on_delete, "NO ACTION");
    EXPECT_EQ(op.on_update, "SET NULL");
}

TEST(online, malformed_lines_of_other_kinds_are_syntax_errors) {
    EXPECT_ENGINE_ERROR(parse_online_operation("rename_column t a b"), "42601", "expected to");
    EXPECT_ENGINE_ERROR(parse_online_operation("add_column t c int BACKFILL (1)"), "42601",
                        "expected not null");
    EXPECT_ENGINE_ERROR(parse_online_operation("add_column t c int NOT NULL"), "42601",
                        "expected backfill");
    EXPECT_ENGINE_ERROR(parse_online_operation("add_unique t k ()"), "42601",
                        "expected a column name");
    EXPECT_ENGINE_ERROR(
        parse_online_operation("add_constraint t k FOREIGN KEY (a) REFERENCES p (a) "
                               "ON DELETE CASCADE ON DELETE CASCADE"),
        "42601", "ON DELETE is given twice");
}

TEST(online, unique_key_is_built_concurrently_and_attached_at_contract) {
    auto op = parse_online_operation("add_unique account account_note_key (note)");
    auto p = render_phase_sql("r1", op, account());
    EXPECT_EQ(p.build_index,
              "CREATE UNIQUE INDEX CONCURRENTLY \"account_note_key\" ON \"public\".\"account\" "
              "(\"note\")");
    EXPECT_EQ(p.drop_invalid_index,
              "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"account_note_key\"");
    EXPECT_EQ(p.contract.front(),
              "ALTER TABLE \"public\".\"account\" ADD CONSTRAINT \"account_note_key\" "
              "UNIQUE USING INDEX \"account_note_key\"");
    EXPECT_TRUE(p.backfill_scan_first.empty());
    // A primary key over a nullable column proves NOT NULL through a validated check first.
    auto keyless = account();
    keyless.key.clear();
    op = parse_online_operation("add_primary_key account account_pkey (note)");
    p = render_phase_sql("r1", op, keyless);
    EXPECT_EQ(p.validate,
              (std::vector<std::string>{"ALTER TABLE \"public\".\"account\" VALIDATE CONSTRAINT "
                                        "\"_ender_note_not_null\""}));
    EXPECT_NE(p.pending_rows.find("_ender_row.ctid"), std::string::npos);
    EXPECT_ENGINE_ERROR(render_phase_sql("r1", op, account()), "55000",
                        "already has a primary key");
}

TEST(online, create_index_reads_every_part_of_the_line) {
    auto op = parse_online_operation(
        "create_index \"Note Idx\" ON s.account USING gin (lower(note) text_ops, (a + 1)) "
        "INCLUDE (b, \"C\") WITH (fastupdate = off) WHERE (note <> 'x)')");
    EXPECT_EQ(op.kind, "create_index");
    EXPECT_EQ(op.index, "Note Idx");
    EXPECT_EQ(op.schema, "s");
    EXPECT_EQ(op.table, "account");
    EXPECT_EQ(op.index_definition,
              "USING \"gin\" (lower(note) text_ops, (a + 1)) INCLUDE (\"b\", \"C\") "
              "WITH (fastupdate = off) WHERE (note <> 'x)')");
    op = parse_online_operation("CREATE_INDEX i on T (a)");
    EXPECT_EQ(op.index, "i");
    EXPECT_FALSE(op.schema);
    EXPECT_EQ(op.table, "t");
    EXPECT_EQ(op.index_definition, "(a)");
    op = parse_online_operation("drop_index s.\"I\"");
    EXPECT_EQ(op.kind, "drop_index");
    EXPECT_EQ(op.schema, "s");
    EXPECT_EQ(op.index, "I");
    EXPECT_EQ(op.table, "");
}

TEST(online, malformed_index_lines_are_syntax_errors) {
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i t (a)"), "42601", "expected on");
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i ON t"), "42601",
                        "expected ( before the index key expression");
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i ON t (a"), "42601",
                        "unbalanced parentheses in the index key expression");
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i ON t ()"), "42601",
                        "empty index key expression");
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i ON t (a) WHERE a > 0"), "42601",
                        "expected ( before the WHERE expression");
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i ON t (a); DROP TABLE t"), "42601",
                        "unexpected text after the index definition of the online operation");
    EXPECT_ENGINE_ERROR(parse_online_operation("create_index i ON t (a) WHERE (a) INCLUDE (b)"),
                        "42601", "unexpected text after the index definition");
    EXPECT_ENGINE_ERROR(parse_online_operation("drop_index i CASCADE"), "42601",
                        "unexpected text after the index name of the online operation");
    EXPECT_ENGINE_ERROR(parse_online_operation("drop_index"), "42601",
                        "expected an index name in the online operation");
}

TEST(online, index_is_built_concurrently_and_rolled_back_by_a_drop) {
    auto op = parse_online_operation("create_index account_note ON account (lower(note))");
    auto p = render_phase_sql("r1", op, account());
    EXPECT_EQ(p.index_name, "account_note");
    EXPECT_FALSE(p.drops_index);
    EXPECT_EQ(p.build_index,
              "CREATE INDEX CONCURRENTLY \"account_note\" ON \"public\".\"account\" "
              "(lower(note))");
    EXPECT_EQ(p.drop_invalid_index,
              "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"account_note\"");
    EXPECT_EQ(p.rollback.front(), "DROP INDEX IF EXISTS \"public\".\"account_note\"");
    EXPECT_TRUE(p.validate.empty());
    EXPECT_TRUE(p.duplicates.empty());
    EXPECT_TRUE(p.backfill_scan_first.empty());
    EXPECT_EQ(p.contract.back(), "DROP SCHEMA \"ender_r1\"");

    op = parse_online_operation("drop_index \"Old\"");
    p = render_phase_sql("r1", op, account());
    EXPECT_EQ(p.index_name, "Old");
    EXPECT_TRUE(p.drops_index);
    EXPECT_TRUE(p.build_index.empty());
    EXPECT_EQ(p.drop_invalid_index, "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"Old\"");
    for (const auto& s : p.rollback) EXPECT_EQ(s.find("INDEX"), std::string::npos) << s;
}

TEST(online, grants_of_the_table_are_copied_to_the_view) {
    auto t = account();
    t.grants = {{"reader", "SELECT", false}, {"PUBLIC", "INSERT", true}};
    auto p =
        render_phase_sql("r1", parse_online_operation("rename_column account note TO remark"), t);
    EXPECT_NE(std::find(p.expand.begin(), p.expand.end(),
                        "GRANT SELECT ON \"ender_r1\".\"account\" TO \"reader\""),
              p.expand.end());
    EXPECT_NE(std::find(p.expand.begin(), p.expand.end(),
                        "GRANT INSERT ON \"ender_r1\".\"account\" TO PUBLIC WITH GRANT OPTION"),
              p.expand.end());
    EXPECT_EQ(p.contract.back(),
              "ALTER TABLE \"public\".\"account\" RENAME COLUMN \"note\" TO \"remark\"");
    EXPECT_ENGINE_ERROR(
        render_phase_sql("r1", parse_online_operation("rename_column account note TO id"), t),
        "42701", "column \"id\" of relation \"public.account\" already exists");
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
    auto p = render_phase_sql("r1", op, account());
    ASSERT_FALSE(p.expand.empty());
    EXPECT_EQ(p.expand[0],
              "ALTER TABLE \"public\".\"account\" ADD COLUMN \"_ender_new_balance\" bigint");
    EXPECT_EQ(p.expand[1],
              "ALTER TABLE \"public\".\"account\" ADD CONSTRAINT \"_ender_balance_not_null\" "
              "CHECK (\"_ender_new_balance\" IS NOT NULL) NOT VALID");
    EXPECT_NE(
        std::find(
            p.expand.begin(), p.expand.end(),
            "CREATE VIEW \"ender_r1\".\"account\" WITH (security_invoker = true) AS SELECT "
            "\"id\", \"_ender_new_balance\" AS \"balance\", \"note\" FROM \"public\".\"account\""),
        p.expand.end());
    EXPECT_NE(p.backfill_scan_next.find("WHERE (\"id\") > (($2::text[])[1]::bigint)"),
              std::string::npos);
    EXPECT_NE(p.backfill_update_next.find("(\"id\") > (($1::text[])[1]::bigint)"),
              std::string::npos);
    EXPECT_EQ(p.backfill_update_first.find("$1"), std::string::npos);
    EXPECT_EQ(p.validate.size(), 1u);
    EXPECT_EQ(p.contract.back(),
              "ALTER TABLE \"public\".\"account\" DROP CONSTRAINT \"_ender_balance_not_null\"");
    EXPECT_NE(
        std::find(p.contract.begin(), p.contract.end(),
                  "ALTER TABLE \"public\".\"account\" ALTER COLUMN \"balance\" SET DEFAULT 0"),
        p.contract.end());
    EXPECT_EQ(p.rollback.back(),
              "ALTER TABLE \"public\".\"account\" DROP COLUMN IF EXISTS \"_ender_new_balance\"");
}

TEST(online, plan_refuses_what_it_cannot_do) {
    auto op =
        parse_online_operation("alter_column account nope type bigint using (nope) down (nope)");
    EXPECT_ENGINE_ERROR(render_phase_sql("r1", op, account()), "42703",
                        "column \"nope\" of relation \"public.account\" does not exist");
    op = parse_online_operation("alter_column account id type int using (id) down (id)");
    EXPECT_ENGINE_ERROR(render_phase_sql("r1", op, account()), "0A000", "part of the primary key");
    auto keyless = account();
    keyless.key.clear();
    op = parse_online_operation("alter_column account note type varchar using (note) down (note)");
    EXPECT_ENGINE_ERROR(render_phase_sql("r1", op, keyless), "0A000", "has no primary key");
}

}  // namespace
}  // namespace ender::engine
