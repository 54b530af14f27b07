// session.hpp's statement hook and counters: every statement reported once with its SQL, rows,
// round trips (2 when prepared first) and duration; parameter values redacted unless asked for.
#include "support.hpp"

namespace {

class statement_hook : public ender::test::database {};

struct seen {
    std::string sql;
    std::uint64_t rows;
    std::uint32_t round_trips;
    std::vector<std::string> parameters;
    std::chrono::nanoseconds duration;
};

TEST_F(statement_hook, reports_every_statement_with_rows_and_round_trips) {
    std::vector<seen> log;
    db.on_statement([&](const ender::statement_info& s) {
        log.push_back({std::string(s.sql),
                       s.rows,
                       s.round_trips,
                       {s.parameters.begin(), s.parameters.end()},
                       s.duration});
    });
    auto before = db.counts();
    db.exec("SELECT g FROM generate_series(1, $1::int) g", 3);
    db.exec("SELECT g FROM generate_series(1, $1::int) g", 5);
    db.execute("CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2)");
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].rows, 3u);
    EXPECT_EQ(log[0].round_trips, 2u);  // PREPARE, then execute
    EXPECT_EQ(log[1].rows, 5u);
    EXPECT_EQ(log[1].round_trips, 1u);  // from the cache
    EXPECT_EQ(log[1].parameters, std::vector<std::string>{"$1 = <redacted>"});
    EXPECT_GT(log[1].duration.count(), 0);
    EXPECT_EQ(log[2].rows, 2u);  // the last command's rows
    EXPECT_EQ(log[2].sql, "CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2)");
    auto n = db.counts() - before;
    EXPECT_EQ(n.statements, 3u);
    EXPECT_EQ(n.round_trips, 4u);
    EXPECT_EQ(n.round_trips, db.statement_count() - (db.counts().round_trips - n.round_trips));
}

TEST_F(statement_hook, shows_parameters_only_when_asked) {
    std::vector<std::string> parameters;
    db.on_statement(
        [&](const ender::statement_info& s) {
            parameters.assign(s.parameters.begin(), s.parameters.end());
        },
        ender::parameters::shown);
    db.exec("SELECT $1::text, $2::bigint, $3::text", "secret", std::int64_t(258),
            std::optional<std::string>());
    EXPECT_EQ(parameters,
              (std::vector<std::string>{"$1 = secret", "$2 = \\x0000000000000102", "$3 = NULL"}));
    db.on_statement(nullptr);
    db.exec("SELECT 1");
    EXPECT_EQ(parameters.size(), 3u);  // the hook is gone
}

}  // namespace
