// Tests of engine/diff.hpp and engine/snapshot.hpp without a server. Range types: read from a
// document, created before what uses them, commented, dropped, and what cannot be done refused.
#include "engine/diff.hpp"

#include "diff_helpers.hpp"
#include "engine/error.hpp"
#include "engine/snapshot.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;

json floatrange() {
    return {{"schema", "public"},
            {"name", "floatrange"},
            {"subtype", "double precision"},
            {"subtype_opclass", nullptr},
            {"collation", nullptr},
            {"canonical", nullptr},
            {"subtype_diff", "float8mi"},
            {"multirange", "floatmultirange"},
            {"comment", nullptr}};
}

TEST(diff_ranges, a_document_lists_range_types_or_leaves_them_out) {
    json doc = empty_document();
    json r = floatrange();
    r["subtype_opclass"] = "public.float_ops";
    r["collation"] = nullptr;
    r["comment"] = "a span";
    add(doc, "range_types", r);
    snapshot s = parse(doc);
    ASSERT_TRUE(s.range_types_listed);
    ASSERT_EQ(s.range_types.size(), 1u);
    const range_def& f = s.range_types[0];
    EXPECT_EQ(f.id, qn("public", "floatrange"));
    EXPECT_EQ(f.subtype, "double precision");
    EXPECT_EQ(f.subtype_opclass, "public.float_ops");
    EXPECT_FALSE(f.collation);
    EXPECT_FALSE(f.canonical);
    EXPECT_EQ(f.subtype_diff, "float8mi");
    EXPECT_EQ(f.multirange, "floatmultirange");
    EXPECT_EQ(f.comment, "a span");
    json without = empty_document();
    without.erase("range_types");
    EXPECT_FALSE(parse(without).range_types_listed);
}

TEST(diff_ranges, a_new_range_type_is_created_before_the_table_that_uses_it) {
    json from = empty_document();
    from["range_types"] = json::array();
    json to = from;
    json r = floatrange();
    r["comment"] = "a span of floats";
    add(to, "range_types", r);
    json text_range = floatrange();
    text_range["name"] = "namerange";
    text_range["subtype"] = "text";
    text_range["subtype_opclass"] = "pg_catalog.text_pattern_ops";
    text_range["collation"] = "\"C\"";
    text_range["subtype_diff"] = nullptr;
    text_range["multirange"] = "name ranges";
    add(to, "range_types", text_range);
    add_column(add_table(to, "public", "hero"), "reach", "public.floatrange");
    steps s = plan(from, to);
    const int created = position_of(s, "CREATE TYPE \"public\".\"floatrange\"");
    ASSERT_GE(created, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[created].sql,
              "CREATE TYPE \"public\".\"floatrange\" AS RANGE (SUBTYPE = double precision, "
              "SUBTYPE_DIFF = float8mi, MULTIRANGE_TYPE_NAME = \"public\".\"floatmultirange\")");
    EXPECT_EQ(s[created].reverse_sql, "DROP TYPE \"public\".\"floatrange\"");
    EXPECT_EQ(s[created].object_kind, "type");
    EXPECT_EQ(step_with(s, "CREATE TYPE \"public\".\"namerange\"").sql,
              "CREATE TYPE \"public\".\"namerange\" AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = "
              "pg_catalog.text_pattern_ops, COLLATION = \"C\", MULTIRANGE_TYPE_NAME = "
              "\"public\".\"name ranges\")");
    EXPECT_LT(created, position_of(s, "CREATE TABLE \"public\".\"hero\""));
    EXPECT_GT(position_of(s, "COMMENT ON TYPE \"public\".\"floatrange\" IS 'a span of floats'"),
              created);
}

TEST(diff_ranges, a_comment_changes_in_place) {
    json from = empty_document();
    add(from, "range_types", floatrange());
    json to = from;
    to["range_types"][0]["comment"] = "a span";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "COMMENT ON TYPE \"public\".\"floatrange\" IS 'a span'");
    EXPECT_TRUE(plan(to, to).empty());
}

TEST(diff_ranges, a_removed_range_type_is_dropped_unless_the_target_has_no_list) {
    json from = empty_document();
    add(from, "range_types", floatrange());
    json to = empty_document();
    to["range_types"] = json::array();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "DROP TYPE \"public\".\"floatrange\"");
    EXPECT_EQ(s[0].reverse_sql,
              "CREATE TYPE \"public\".\"floatrange\" AS RANGE (SUBTYPE = double precision, "
              "SUBTYPE_DIFF = float8mi, MULTIRANGE_TYPE_NAME = \"public\".\"floatmultirange\")");
    // A document written from models has no such list: the live range types stay.
    to.erase("range_types");
    EXPECT_TRUE(plan(from, to).empty());
}

TEST(diff_ranges, a_name_a_new_table_takes_from_a_removed_range_type_is_freed_first) {
    json from = empty_document();
    add(from, "range_types", floatrange());
    json to = empty_document();
    to["range_types"] = json::array();
    add_column(add_table(to, "public", "floatrange"), "id", "integer", true);
    steps s = plan(from, to);
    ASSERT_GE(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "ALTER TYPE \"public\".\"floatrange\" RENAME TO \"floatrange__ender_old\"");
    EXPECT_EQ(s.back().sql, "DROP TYPE \"public\".\"floatrange__ender_old\"");
}

TEST(diff_ranges, a_changed_definition_or_a_canonical_function_is_refused) {
    json from = empty_document();
    add(from, "range_types", floatrange());
    json to = from;
    to["range_types"][0]["subtype"] = "real";
    EXPECT_ENGINE_ERROR(plan(from, to), unsupported,
                        "cannot diff the definition of \"public\".\"floatrange\" yet",
                        {.hint = "Write this step of the migration by hand."});
    json canonical = empty_document();
    json r = floatrange();
    r["canonical"] = "public.float_canonical";
    add(canonical, "range_types", r);
    EXPECT_ENGINE_ERROR(plan(empty_document(), canonical), unsupported,
                        "cannot diff a canonical function of \"public\".\"floatrange\" yet");
}

}  // namespace
}  // namespace ender::engine
