// Tests of engine/diff.hpp without a server. Functions and procedures: replaced in place or
// recreated, and what depends on them.
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
// Functions

TEST(diff_functions, create_function_with_bodies_unchecked) {
    json to = empty_document();
    add(to, "functions", add_function());
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "SET LOCAL check_function_bodies = off;\n"
              "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS integer\n "
              "LANGUAGE sql\nRETURN (a + b)");
    EXPECT_EQ(s[0].reverse_sql, "DROP FUNCTION \"public\".\"add\"(a integer, b integer)");
    EXPECT_EQ(s[0].object_kind, "function");
    EXPECT_EQ(s[0].object_name, "\"public\".\"add\"(a integer, b integer)");
    steps back = plan(to, empty_document());
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].sql, "DROP FUNCTION \"public\".\"add\"(a integer, b integer)");
    EXPECT_EQ(back[0].reverse_sql, to["functions"][0]["definition"].get<std::string>());
}

TEST(diff_functions, function_with_a_new_body_is_replaced_in_place) {
    json from = empty_document();
    add(from, "functions", add_function());
    json to = from;
    std::string body =
        "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS integer\n LANGUAGE "
        "sql\nRETURN (b + a)\n";
    to["functions"][0]["definition"] = body;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "SET LOCAL check_function_bodies = off;\n" + body.substr(0, body.size() - 1));
    EXPECT_EQ(s[0].reverse_sql, from["functions"][0]["definition"].get<std::string>());
    EXPECT_EQ(s[0].sql.find("DROP"), std::string::npos);
}

TEST(diff_functions, function_with_a_new_result_type_is_dropped_and_created) {
    json from = empty_document();
    add(from, "functions", add_function())["comment"] = "adds";
    json to = empty_document();
    json& f = add(to, "functions", add_function());
    f["result"] = "bigint";
    f["definition"] =
        "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS bigint\n LANGUAGE "
        "sql\nRETURN (a + b)\n";
    f["comment"] = "adds";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "DROP FUNCTION \"public\".\"add\"(a integer, b integer)");
    EXPECT_EQ(s[0].reverse_sql, from["functions"][0]["definition"].get<std::string>());
    EXPECT_NE(s[1].sql.find("RETURNS bigint"), std::string::npos);
    EXPECT_EQ(
        s[2].sql,
        "COMMENT ON FUNCTION \"public\".\"add\"(a integer, b integer) IS 'adds'");  // the drop lost
                                                                                    // it
}

TEST(diff_functions, function_with_other_argument_types_is_another_function) {
    json from = empty_document();
    add(from, "functions",
        function_json("public", "twice", "a integer", "integer",
                      "CREATE OR REPLACE FUNCTION public.twice(a integer)\n RETURNS integer\n"
                      " LANGUAGE sql\nRETURN (a * 2)\n",
                      "integer"));
    json to = empty_document();
    add(to, "functions",
        function_json("public", "twice", "a bigint", "bigint",
                      "CREATE OR REPLACE FUNCTION public.twice(a bigint)\n RETURNS bigint\n"
                      " LANGUAGE sql\nRETURN (a * 2)\n",
                      "bigint"));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u) << ::testing::PrintToString(sql_of(s));
    EXPECT_NE(s[0].sql.find("CREATE OR REPLACE FUNCTION public.twice(a bigint)"),
              std::string::npos);
    EXPECT_EQ(s[0].reverse_sql, "DROP FUNCTION \"public\".\"twice\"(a bigint)");
    EXPECT_EQ(
        s[1].sql,
        "DROP FUNCTION \"public\".\"twice\"(a integer)");  // the old one, once nothing needs it
}

TEST(diff_functions, function_with_renamed_arguments_is_recreated_with_the_views_calling_it) {
    // CREATE OR REPLACE cannot rename arguments: the function is dropped and created, and a
    // view that calls it goes before and comes back after.
    auto doc = [](const std::string& argument) {
        json d = team_and_hero();
        add(d, "functions",
            function_json("public", "score", argument + " integer", "integer",
                          "CREATE OR REPLACE FUNCTION public.score(" + argument +
                              " integer)\n RETURNS integer\n LANGUAGE sql\nRETURN 1\n",
                          "integer"));
        json& v = add_view(d, "public", "scores",
                           " SELECT public.score(team.id) AS score\n   FROM public.team;");
        v["depends_on"] = {{{"schema", "public"}, {"name", "team"}}};
        v["functions"] = {{{"schema", "public"}, {"name", "score"}, {"argument_types", "integer"}}};
        return d;
    };
    steps s = plan(doc("p"), doc("q"));
    ASSERT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "DROP VIEW \"public\".\"scores\"");
    EXPECT_EQ(s[1].sql, "DROP FUNCTION \"public\".\"score\"(p integer)");
    EXPECT_NE(s[2].sql.find("CREATE OR REPLACE FUNCTION public.score(q integer)"),
              std::string::npos);
    EXPECT_EQ(s[3].sql.rfind("CREATE VIEW \"public\".\"scores\"", 0), 0u);
}

TEST(diff_functions, procedure_is_dropped_as_a_procedure) {
    json from = empty_document();
    json& noop = add(from, "functions",
                     function_json("public", "noop", "", nullptr,
                                   "CREATE OR REPLACE PROCEDURE public.noop()\n LANGUAGE sql\nAS "
                                   "$procedure$ SELECT 1 $procedure$\n"));
    noop["kind"] = "procedure";
    noop["comment"] = "nothing";
    steps s = plan(from, empty_document());
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "DROP PROCEDURE \"public\".\"noop\"()");
    EXPECT_EQ(s[0].object_kind, "procedure");
    steps up = plan(empty_document(), from);
    EXPECT_EQ(up[0].object_kind, "procedure");
    EXPECT_EQ(up[0].reverse_sql, "DROP PROCEDURE \"public\".\"noop\"()");
    EXPECT_EQ(up[1].sql, "COMMENT ON PROCEDURE \"public\".\"noop\"() IS 'nothing'");
}

TEST(diff_functions, a_default_calling_a_recreated_function_is_dropped_before_and_set_after) {
    // next_code() becomes next_code(prefix text DEFAULT 'H'): the default reads the same but
    // must bind to the new function, and the old one must go before it is set again.
    json from = empty_document();
    add(from, "functions",
        function_json("public", "next_code", "", "text",
                      "CREATE OR REPLACE FUNCTION public.next_code() RETURNS text AS 'x'"));
    json& hero = add_table(from, "public", "hero");
    add_column(hero, "code", "text")["default"] = "public.next_code()";
    json to = from;
    to["functions"][0] =
        function_json("public", "next_code", "prefix text DEFAULT 'H'::text", "text",
                      "CREATE OR REPLACE FUNCTION public.next_code(prefix text DEFAULT 'H'::text) "
                      "RETURNS text AS 'x'",
                      "text");
    steps s = plan(from, to);
    const std::string alter = "ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"code\"";
    int drop_default = position_of(s, alter + " DROP DEFAULT"),
        drop_old = position_of(s, "DROP FUNCTION \"public\".\"next_code\"()"),
        create_new = position_of(s, "public.next_code(prefix text"),
        set_default = position_of(s, alter + " SET DEFAULT");
    ASSERT_GE(drop_default, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(drop_default, drop_old);
    EXPECT_LT(drop_old, set_default);
    EXPECT_LT(create_new, set_default);
    EXPECT_EQ(s[set_default].sql, alter + " SET DEFAULT public.next_code()");
    EXPECT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
}

TEST(diff_functions, functions_come_before_the_tables_that_call_them) {
    json to = empty_document();
    json& t = add_table(to, "public", "hero");
    add_column(t, "n", "integer")["default"] = "public.add(1, 2)";
    add(to, "functions", add_function());
    steps s = plan(empty_document(), to);
    EXPECT_LT(position_of(s, "CREATE OR REPLACE FUNCTION"), position_of(s, "CREATE TABLE"));
}

}  // namespace
}  // namespace ender::engine
