// Tests of engine/diff.hpp without a server. Aggregates, operators, casts and text search
// objects: the order of their steps around the functions they call, what is altered in place,
// and documents without their lists. (Convergence: test/diff pairs aggregate_*, operator_*,
// cast_*, text_search_*.)
#include "engine/diff.hpp"

#include "diff_helpers.hpp"
#include "engine/snapshot.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;

json with_object_lists(json doc) {
    for (const char* list : {"aggregates", "operators", "casts", "text_search_dictionaries",
                             "text_search_configurations"})
        doc[list] = json::array();
    return doc;
}

json add_points() {
    return function_json("public", "add_points", "state bigint, points integer", "bigint",
                         "CREATE OR REPLACE FUNCTION public.add_points(state bigint, points "
                         "integer) RETURNS bigint LANGUAGE sql RETURN state + points",
                         "bigint, integer");
}

json total_points() {
    return {
        {"schema", "public"},
        {"name", "total_points"},
        {"arguments", "integer"},
        {"argument_types", "integer"},
        {"options", "SFUNC = public.add_points, STYPE = bigint, INITCOND = '0'"},
        {"functions",
         {{{"schema", "public"}, {"name", "add_points"}, {"argument_types", "bigint, integer"}}}},
        {"comment", nullptr}};
}

json dictionary(json options) {
    return {{"schema", "public"},
            {"name", "words"},
            {"template", "simple"},
            {"options", std::move(options)},
            {"comment", nullptr}};
}

// The steps from `from` to `to` are exactly these statements, in this order.
void expect_steps(const json& from, const json& to, const strings& sql) {
    EXPECT_EQ(sql_of(plan(from, to)), sql);
}

// The one step from `from` to `to` alters in place: this statement, and this reverse.
void expect_altered(const json& from, const json& to, const std::string& sql,
                    const std::string& reverse) {
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, sql);
    EXPECT_EQ(s[0].reverse_sql, reverse);
}

std::size_t index_of(const steps& s, const std::string& sql) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].sql == sql) return i;
    ADD_FAILURE() << "no step " << sql << " in " << ::testing::PrintToString(sql_of(s));
    return s.size();
}

// A function whose argument names change is dropped and created again: the aggregate that
// calls it goes before it and comes back after it.
TEST(diff_objects, aggregate_recreated_around_a_function_it_calls) {
    json from = with_object_lists(empty_document());
    add(from, "functions", add_points());
    add(from, "aggregates", total_points());
    json to = from;
    to["functions"][0]["arguments"] = "s bigint, p integer";
    steps s = plan(from, to);
    std::size_t drop_aggregate = index_of(s, "DROP AGGREGATE \"public\".\"total_points\"(integer)");
    std::size_t drop_function =
        index_of(s, "DROP FUNCTION \"public\".\"add_points\"(state bigint, points integer)");
    std::size_t create_aggregate =
        index_of(s,
                 "CREATE AGGREGATE \"public\".\"total_points\"(integer) (SFUNC = "
                 "public.add_points, STYPE = bigint, INITCOND = '0')");
    EXPECT_LT(drop_aggregate, drop_function);
    EXPECT_LT(drop_function, create_aggregate);
}

// A removed aggregate goes before the function it calls; a target without the list (a model
// document) leaves it alone.
TEST(diff_objects, removed_aggregate_before_its_function_unless_not_listed) {
    json from = with_object_lists(empty_document());
    add(from, "functions", add_points());
    add(from, "aggregates", total_points());
    json to = with_object_lists(empty_document());
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "DROP AGGREGATE \"public\".\"total_points\"(integer)");
    EXPECT_EQ(s[1].object_kind, "function");
    json models = empty_document();
    models["functions"] = from["functions"];
    EXPECT_TRUE(plan(from, models).empty());
}

// Options are split at the commas outside quotes: a value may hold a comma.
TEST(diff_objects, dictionary_options_set_again_in_order_and_removed_by_name) {
    json from = with_object_lists(empty_document());
    add(from, "text_search_dictionaries", dictionary("stopwords = 'a, b', accept = 'false'"));
    json to = from;
    to["text_search_dictionaries"][0]["options"] = "\"Odd Name\" = 'x'";
    expect_altered(
        from, to,
        "ALTER TEXT SEARCH DICTIONARY \"public\".\"words\" (accept, stopwords, \"Odd Name\" "
        "= 'x')",
        "ALTER TEXT SEARCH DICTIONARY \"public\".\"words\" (\"Odd Name\", stopwords = 'a, "
        "b', accept = 'false')");
    to["text_search_dictionaries"][0]["template"] = "pg_catalog.snowball";
    expect_steps(
        from, to,
        {"DROP TEXT SEARCH DICTIONARY \"public\".\"words\"",
         "CREATE TEXT SEARCH DICTIONARY \"public\".\"words\" (TEMPLATE = pg_catalog.snowball, "
         "\"Odd Name\" = 'x')"});
}

// Estimators are altered in place; a changed commutator drops and creates the operator.
TEST(diff_objects, operator_estimators_altered_other_changes_recreate) {
    json from = with_object_lists(empty_document());
    add(from, "operators",
        {{"schema", "public"},
         {"name", "==="},
         {"left", "integer"},
         {"right", "integer"},
         {"function", "int4eq"},
         {"commutator", nullptr},
         {"negator", nullptr},
         {"restrict", "eqsel"},
         {"join", nullptr},
         {"hashes", false},
         {"merges", false},
         {"functions", json::array()},
         {"comment", nullptr}});
    json to = from;
    to["operators"][0]["restrict"] = nullptr;
    to["operators"][0]["join"] = "eqjoinsel";
    expect_altered(
        from, to,
        "ALTER OPERATOR \"public\".=== (integer, integer) SET (RESTRICT = NONE, JOIN = eqjoinsel)",
        "ALTER OPERATOR \"public\".=== (integer, integer) SET (RESTRICT = eqsel, JOIN = NONE)");
    to["operators"][0]["commutator"] = "OPERATOR(public.===)";
    expect_steps(
        from, to,
        {"DROP OPERATOR \"public\".=== (integer, integer)",
         "CREATE OPERATOR \"public\".=== (FUNCTION = int4eq, LEFTARG = integer, RIGHTARG = "
         "integer, COMMUTATOR = OPERATOR(public.===), JOIN = eqjoinsel)"});
}

// A cast's context cannot be altered: dropped and created again; its comment alone is set.
TEST(diff_objects, cast_context_recreates_comment_alone_is_set) {
    json from = with_object_lists(empty_document());
    add(from, "casts",
        {{"source", "public.mood"},
         {"target", "integer"},
         {"method", "binary"},
         {"function", nullptr},
         {"context", "explicit"},
         {"functions", json::array()},
         {"comment", nullptr}});
    json to = from;
    to["casts"][0]["comment"] = "as a number";
    expect_steps(from, to, {"COMMENT ON CAST (public.mood AS integer) IS 'as a number'"});
    to["casts"][0]["context"] = "implicit";
    expect_steps(
        from, to,
        {"DROP CAST (public.mood AS integer)",
         "CREATE CAST (public.mood AS integer) WITHOUT FUNCTION AS IMPLICIT;\nCOMMENT ON CAST "
         "(public.mood AS integer) IS 'as a number'"});
}

}  // namespace
}  // namespace ender::engine
