// Tests of engine/online.hpp's render_ending_sql: the contract and rollback of a job whose table
// was changed by hand leave out what is already done, and refuse only what cannot complete.
#include "engine/online.hpp"

#include "error_matchers.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ender::engine {
namespace {

// The table after expand: the columns it had, those expand added, the constraints it has.
online_table table(std::vector<online_column> columns, std::vector<std::string> constraints) {
    online_table t{"public", "account", std::move(columns), {"id"}};
    t.constraints = std::move(constraints);
    return t;
}

bool has(const std::vector<std::string>& sql, std::string_view text) {
    return std::any_of(sql.begin(), sql.end(),
                       [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

TEST(online_ending, set_not_null_done_by_hand_still_completes) {
    auto op = parse_online_operation("set_not_null account note");
    auto t = table({{"id", "bigint", true, std::nullopt}, {"note", "text", true, std::nullopt}},
                   {"account_pkey"});  // the check dropped too
    auto p = render_ending_sql("r1", op, t, true);
    EXPECT_EQ(p.contract.back(),
              "ALTER TABLE \"public\".\"account\" DROP CONSTRAINT IF EXISTS "
              "\"_ender_note_not_null\"");
    EXPECT_TRUE(has(p.contract, "DROP SCHEMA IF EXISTS \"ender_r1\""));
    EXPECT_THROW(render_phase_sql("r1", op, t), error);  // as at the start: already NOT NULL
}

TEST(online_ending, a_constraint_attached_by_hand_is_not_attached_again) {
    auto op = parse_online_operation("add_unique account account_note_key (note)");
    auto cols = std::vector<online_column>{{"id", "bigint", true, std::nullopt},
                                           {"note", "text", false, std::nullopt}};
    EXPECT_TRUE(has(render_ending_sql("r1", op, table(cols, {}), true).contract,
                    "ADD CONSTRAINT \"account_note_key\" UNIQUE USING INDEX"));
    auto done = render_ending_sql("r1", op, table(cols, {"account_note_key"}), true);
    EXPECT_FALSE(has(done.contract, "ADD CONSTRAINT"));
    EXPECT_EQ(done.index_name, "account_note_key");
    EXPECT_TRUE(has(done.rollback, "DROP INDEX IF EXISTS \"public\".\"account_note_key\""));
}

TEST(online_ending, alter_column_after_the_old_column_was_dropped_renames_the_new_one) {
    auto op = parse_online_operation(
        "alter_column account balance type bigint using (balance::bigint) down (balance::int)");
    auto both = render_ending_sql("r1", op,
                                  table({{"id", "bigint", true, std::nullopt},
                                         {"balance", "integer", true, "0"},
                                         {"_ender_new_balance", "bigint", false, std::nullopt}},
                                        {"_ender_balance_not_null"}),
                                  true);
    EXPECT_TRUE(has(both.contract, "DROP COLUMN \"balance\""));
    EXPECT_TRUE(both.recheck_at_complete);
    EXPECT_TRUE(has(both.contract, "SET DEFAULT 0"));
    EXPECT_TRUE(has(both.contract, "\"balance\" SET NOT NULL"));

    auto dropped = render_ending_sql("r1", op,
                                     table({{"id", "bigint", true, std::nullopt},
                                            {"_ender_new_balance", "bigint", false, std::nullopt}},
                                           {"_ender_balance_not_null"}),
                                     true);
    EXPECT_FALSE(has(dropped.contract, "DROP COLUMN"));
    EXPECT_TRUE(has(dropped.contract, "RENAME COLUMN \"_ender_new_balance\" TO \"balance\""));
    EXPECT_TRUE(has(dropped.contract, "\"balance\" SET NOT NULL"));

    auto swapped = render_ending_sql(
        "r1", op,
        table({{"id", "bigint", true, std::nullopt}, {"balance", "bigint", false, {}}}, {}), true);
    EXPECT_FALSE(has(swapped.contract, "RENAME"));
    EXPECT_FALSE(swapped.recheck_at_complete);            // no new column left to check
    EXPECT_FALSE(has(swapped.contract, "SET NOT NULL"));  // no check: it was not NOT NULL
}

TEST(online_ending, what_cannot_complete_is_refused_and_still_rolls_back) {
    auto op = parse_online_operation("add_column account score integer NOT NULL BACKFILL (1)");
    auto t = table({{"id", "bigint", true, std::nullopt}}, {});
    EXPECT_ENGINE_ERROR(render_ending_sql("r1", op, t, true), "55000",
                        "online revision \"r1\" cannot complete: column \"score\" of relation "
                        "\"public.account\" is missing");
    auto p = render_ending_sql("r1", op, t, false);
    EXPECT_TRUE(has(p.rollback, "DROP COLUMN IF EXISTS \"score\""));
    EXPECT_TRUE(has(p.rollback, "DROP TRIGGER IF EXISTS \"_ender_sync_r1\""));

    auto old_type = parse_online_operation(
        "alter_column account balance type bigint using (balance::bigint) down (balance::int)");
    EXPECT_ENGINE_ERROR(
        render_ending_sql("r1", old_type,
                          table({{"id", "bigint", true, std::nullopt},
                                 {"balance", "integer", true, std::nullopt}},
                                {}),
                          true),
        "55000",
        "online revision \"r1\" cannot complete: column \"_ender_new_balance\" of relation "
        "\"public.account\" is missing");
}

}  // namespace
}  // namespace ender::engine
