// Tests of engine/diff.hpp without a server. Indexes: concurrent online, plain on new and
// partitioned tables.
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
// Indexes

TEST(diff_indexes, index_on_an_existing_table_online_is_built_concurrently_outside_a_transaction) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (lower(name))"));
    add(table_of(to, "hero"), "indexes",
        index_json("hero_team_name",
                   "CREATE UNIQUE INDEX hero_team_name ON public.hero USING btree (team_id, name)",
                   true));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "CREATE INDEX CONCURRENTLY hero_name ON public.hero USING btree (lower(name))");
    EXPECT_FALSE(s[0].in_transaction);
    EXPECT_EQ(s[0].hazards, strings{hazard::builds_index});
    EXPECT_EQ(s[0].reverse_sql, "DROP INDEX \"public\".\"hero_name\"");
    EXPECT_EQ(s[0].object_kind, "index");
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero_name\"");
    EXPECT_EQ(s[1].sql,
              "CREATE UNIQUE INDEX CONCURRENTLY hero_team_name ON public.hero USING btree "
              "(team_id, name)");
    EXPECT_FALSE(s[1].in_transaction);

    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 2u);
    EXPECT_EQ(offline[0].sql, "CREATE INDEX hero_name ON public.hero USING btree (lower(name))");
    EXPECT_TRUE(offline[0].in_transaction);
    EXPECT_EQ(offline[0].hazards, (strings{hazard::blocks_writes, hazard::builds_index}));
}

TEST(diff_indexes, index_on_a_new_table_is_built_plainly_even_online) {
    json to = team_and_hero();
    add(table_of(to, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json from = to;
    erase_named(from["tables"], "hero");
    steps s = plan(from, to);
    const diff_step& index = step_with(s, "CREATE INDEX");
    EXPECT_EQ(index.sql, "CREATE INDEX hero_name ON public.hero USING btree (name)");
    EXPECT_TRUE(index.in_transaction);
    EXPECT_GT(position_of(s, "CREATE INDEX"), position_of(s, "CREATE TABLE"));
}

TEST(diff_indexes, index_drop_online_is_concurrent_and_offline_plain) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json to = team_and_hero();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "DROP INDEX CONCURRENTLY \"public\".\"hero_name\"");
    EXPECT_FALSE(s[0].in_transaction);
    EXPECT_TRUE(s[0].hazards.empty());
    EXPECT_EQ(s[0].reverse_sql, "CREATE INDEX hero_name ON public.hero USING btree (name)");
    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 1u);
    EXPECT_EQ(offline[0].sql, "DROP INDEX \"public\".\"hero_name\"");
    EXPECT_TRUE(offline[0].in_transaction);
    EXPECT_EQ(offline[0].hazards, strings{hazard::access_exclusive});
}

TEST(diff_indexes, changed_index_is_dropped_then_built_again) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json to = from;
    named(table_of(to, "hero"), "indexes", "hero_name")["definition"] =
        "CREATE INDEX hero_name ON public.hero USING hash (name)";
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"DROP INDEX CONCURRENTLY \"public\".\"hero_name\"",
                       "CREATE INDEX CONCURRENTLY hero_name ON public.hero USING hash (name)"}));
    EXPECT_EQ(sql_of(plan(from, to, false)),
              (strings{"DROP INDEX \"public\".\"hero_name\"",
                       "CREATE INDEX hero_name ON public.hero USING hash (name)"}));
}

TEST(diff_indexes, index_of_a_new_partitioned_table_is_built_on_its_partitions_too) {
    json to = empty_document();
    json& m = add_table(to, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "RANGE (at)";
    add_column(m, "at", "date", true);
    add(m, "indexes", index_json("m_at", "CREATE INDEX m_at ON ONLY public.m USING btree (at)"));
    EXPECT_EQ(step_with(plan(empty_document(), to), "CREATE INDEX").sql,
              "CREATE INDEX m_at ON public.m USING btree (at)");
}

// A partitioned table m (k, team_id) with an index, beside team with its key.
json partitioned_doc() {
    json doc = empty_document();
    json& m = add_table(doc, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "LIST (k)";
    add_column(m, "k", "integer", true);
    add_column(m, "team_id", "integer");
    add(m, "indexes",
        index_json("m_old", "CREATE INDEX m_old ON ONLY public.m USING btree (team_id)"));
    json& team = add_table(doc, "public", "team");
    add_column(team, "id", "integer", true);
    add(team, "constraints", constraint_json("team_pkey", "primary key", "PRIMARY KEY (id)"));
    return doc;
}

TEST(diff_indexes, indexes_of_an_existing_partitioned_table_are_never_concurrent) {
    // PostgreSQL cannot build or drop a partitioned index concurrently.
    json from = partitioned_doc();
    json to = from;
    table_of(to, "m")["indexes"] = {
        index_json("m_k", "CREATE INDEX m_k ON ONLY public.m USING btree (k)")};
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql, "DROP INDEX \"public\".\"m_old\"");
    EXPECT_TRUE(s[0].in_transaction);
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
    EXPECT_EQ(s[1].sql, "CREATE INDEX m_k ON public.m USING btree (k)");
    EXPECT_TRUE(s[1].in_transaction);
    EXPECT_EQ(s[1].hazards, (strings{hazard::blocks_writes, hazard::builds_index}));
}

// BUG (reported): PostgreSQL 15 refuses the other online forms on a partitioned table too:
// CREATE UNIQUE INDEX CONCURRENTLY ("cannot create index on partitioned table concurrently")
// for a new key, and ADD FOREIGN KEY ... NOT VALID ("cannot add NOT VALID foreign key on
// partitioned table"). The diff still uses them there.
TEST(diff_indexes, keys_of_an_existing_partitioned_table_are_added_plainly) {
    json from = partitioned_doc();
    json to = from;
    json& target = table_of(to, "m");
    add(target, "constraints", constraint_json("m_pkey", "primary key", "PRIMARY KEY (k)"));
    json fk = constraint_json("m_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    add(target, "constraints", fk);
    steps s = plan(from, to);
    for (const auto& step : s) {
        EXPECT_EQ(step.sql.find("CONCURRENTLY"), std::string::npos) << step.sql;
        EXPECT_EQ(step.sql.find("NOT VALID"), std::string::npos) << step.sql;
    }
}

}  // namespace
}  // namespace ender::engine
