// The engine's long loops poll the interrupt check the glue installs (interrupts.hpp): a cancel
// pending during a parse or a diff ends it by an exception, and nothing polls without a check.
#include "engine/interrupts.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>

namespace ender::engine::testing {
namespace {

struct cancelled {};

int polls = 0;
int cancel_at = 0;

void counting_check() {
    if (++polls == cancel_at) throw cancelled{};
}

std::string tables_document(int tables) {
    json doc = empty_document();
    doc["schemas"].push_back(schema_json("public"));
    for (int i = 0; i < tables; ++i) {
        json t = table_json("public", "t" + std::to_string(i));
        t["columns"] = json::array({column_json("id", "integer", true)});
        doc["tables"].push_back(t);
    }
    return doc.dump();
}

class interrupts : public ::testing::Test {
protected:
    void SetUp() override {
        polls = 0;
        cancel_at = 0;
        set_interrupt_check(counting_check);
    }
    void TearDown() override { set_interrupt_check(nullptr); }
};

TEST_F(interrupts, a_parse_polls_in_proportion_to_the_document) {
    (void)parse_snapshot(tables_document(256 * 8));
    // One poll in 256 runs the check: 2,048 tables (and their one-column lists) give 16.
    EXPECT_GE(polls, 8);
    EXPECT_LE(polls, 40);
}

TEST_F(interrupts, a_cancel_during_a_parse_ends_it) {
    const std::string doc = tables_document(256 * 8);
    cancel_at = 5;
    EXPECT_THROW((void)parse_snapshot(doc), cancelled);
    EXPECT_EQ(polls, 5);
}

TEST_F(interrupts, a_cancel_during_a_diff_ends_it) {
    const snapshot from = parse_snapshot(tables_document(256 * 4));
    const snapshot to = parse_snapshot(tables_document(256 * 8));
    polls = 0;
    const auto steps = diff(from, to, diff_options{});
    EXPECT_EQ(steps.size(), 256U * 4U);  // the tables the target adds
    const int diff_polls = polls;
    EXPECT_GE(diff_polls, 6);
    polls = 0;
    cancel_at = diff_polls / 2;
    EXPECT_THROW((void)diff(from, to, diff_options{}), cancelled);
}

TEST_F(interrupts, no_check_installed_means_no_poll) {
    set_interrupt_check(nullptr);
    (void)parse_snapshot(tables_document(256 * 2));
    EXPECT_EQ(polls, 0);
}

}  // namespace
}  // namespace ender::engine::testing
