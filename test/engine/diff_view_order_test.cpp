// The order of views in a diff (engine/view_order.cpp): each created after the views it reads
// and dropped after those that read it, in one walk whatever the length of a chain; cycles
// in either document are 42P17; inheritance chains of any length without recursion.
#include "engine/diff.hpp"

#include "diff_helpers.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;

// Views v0000..v(n-1), each reading the next (listed against their dependencies: the worst
// case of the pass-by-pass order).
json view_chain(json doc, int n) {
    auto name = [](int i) {
        std::string s = std::to_string(i);
        return "v" + std::string(5 - s.size(), '0') + s;
    };
    for (int i = 0; i < n; ++i) {
        json& v = add_view(
            doc, "public", name(i),
            i + 1 < n ? " SELECT x FROM public." + name(i + 1) + ";" : " SELECT x FROM public.t;");
        v["depends_on"] = {{{"schema", "public"}, {"name", i + 1 < n ? name(i + 1) : "t"}}};
    }
    return doc;
}

json with_table(const std::string& type) {
    json doc = empty_document();
    add_column(add_table(doc, "public", "t"), "x", type);
    return doc;
}

TEST(diff_view_order, a_long_chain_is_created_readers_last_and_dropped_readers_first) {
    const int n = 3000;
    steps created = plan(with_table("integer"), view_chain(with_table("integer"), n));
    ASSERT_EQ(created.size(), static_cast<std::size_t>(n));
    EXPECT_NE(created.front().sql.find("\"v02999\""), std::string::npos);
    EXPECT_NE(created.back().sql.find("\"v00000\""), std::string::npos);

    // The column under the chain changes type: every view is dropped (readers first) and
    // created again (readers last).
    steps rebuilt = plan(view_chain(with_table("integer"), n), view_chain(with_table("bigint"), n));
    int first_drop = position_of(rebuilt, "DROP VIEW \"public\".\"v00000\""),
        last_drop = position_of(rebuilt, "DROP VIEW \"public\".\"v02999\""),
        first_create = position_of(rebuilt, "CREATE VIEW \"public\".\"v02999\""),
        last_create = position_of(rebuilt, "CREATE VIEW \"public\".\"v00000\"");
    ASSERT_GE(first_drop, 0);
    EXPECT_LT(first_drop, last_drop);
    EXPECT_LT(last_drop, first_create);
    EXPECT_LT(first_create, last_create);
}

TEST(diff_view_order, views_keep_the_list_order_where_nothing_constrains_it) {
    json doc = with_table("integer");
    add_view(doc, "public", "c",
             " SELECT x FROM public.t;")["depends_on"] = {{{"schema", "public"}, {"name", "t"}}};
    add_view(doc, "public", "a",
             " SELECT x FROM public.c;")["depends_on"] = {{{"schema", "public"}, {"name", "c"}}};
    add_view(doc, "public", "b",
             " SELECT x FROM public.t;")["depends_on"] = {{{"schema", "public"}, {"name", "t"}}};
    steps s = plan(with_table("integer"), doc);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_NE(s[0].sql.find("\"c\""), std::string::npos);
    EXPECT_NE(s[1].sql.find("\"a\""), std::string::npos);
    EXPECT_NE(s[2].sql.find("\"b\""), std::string::npos);
}

TEST(diff_view_order, a_cycle_in_the_current_document_is_42P17) {
    json from = with_table("integer");
    json& a = add_view(from, "public", "a", " SELECT x FROM public.b;");
    a["depends_on"] = {{{"schema", "public"}, {"name", "b"}}};
    json& b = add_view(from, "public", "b", " SELECT x FROM public.a;");
    b["depends_on"] = {{{"schema", "public"}, {"name", "a"}}};
    EXPECT_ENGINE_ERROR(plan(from, with_table("integer")), "42P17",
                        "the views of the current snapshot document depend on each other in a "
                        "cycle");
}

TEST(diff_view_order, a_deep_inheritance_chain_is_ordered_without_recursion) {
    const int n = 50000;  // deeper than a recursion per level could go on a thread's stack
    json doc = empty_document();
    for (int i = n - 1; i >= 0; --i) {
        json& t = add_table(doc, "public", "t" + std::to_string(i));
        if (i > 0) t["inherits"] = {{{"schema", "public"}, {"table", "t" + std::to_string(i - 1)}}};
    }
    steps s = plan(empty_document(), doc);
    ASSERT_EQ(s.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(s.front().sql, "CREATE TABLE \"public\".\"t0\" (\n)");
    EXPECT_NE(s.back().sql.find("\"t49999\""), std::string::npos);
}

}  // namespace
}  // namespace ender::engine
