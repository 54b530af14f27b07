// observe.hpp: slow statements reach the sink, fast ones do not, parameters stay redacted.
#include "support.hpp"

#include <ender/observe.hpp>

#include <algorithm>

namespace {

using namespace std::chrono_literals;
class observe : public ender::test::database {};

TEST_F(observe, reports_only_statements_slower_than_the_threshold) {
    std::vector<std::string> slow;
    std::vector<std::string> parameters;
    ender::report_slow_statements(db, 100ms, [&](const ender::statement_info& s) {
        slow.emplace_back(s.sql);
        for (const auto& p : s.parameters) parameters.push_back(p);
        EXPECT_GE(s.duration, 100ms);
        EXPECT_EQ(s.rows, 1u);
    });
    EXPECT_EQ(db.scalar<int>("SELECT 1"), 1);
    db.exec("SELECT pg_sleep($1)", 0.15);
    EXPECT_EQ(db.scalar<int>("SELECT 2"), 2);
    // The slow statement is reported once. A fast one may be too, but only if a loaded machine
    // made it take the threshold: the sink checks the duration of every report.
    EXPECT_EQ(std::count(slow.begin(), slow.end(), "SELECT pg_sleep($1)"), 1);
    for (const auto& sql : slow)
        EXPECT_TRUE(sql == "SELECT pg_sleep($1)" || sql == "SELECT 1" || sql == "SELECT 2") << sql;
    ASSERT_EQ(parameters.size(), 1u);
    EXPECT_EQ(parameters[0], "$1 = <redacted>");

    db.on_statement(nullptr);  // removed: nothing more is reported
    const auto reported = slow.size();
    db.exec("SELECT pg_sleep($1)", 0.12);
    EXPECT_EQ(slow.size(), reported);
}

}  // namespace
