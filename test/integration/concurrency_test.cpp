// Concurrent ender_upgrade calls: 8 sessions start at the same moment over 50 pending
// revisions; every revision is applied exactly once and the history stays consistent.
#include "pg.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <string>
#include <thread>

using ender::test::connection;

namespace {

constexpr int revisions = 50;
constexpr int sessions = 8;

void register_chain(connection& db) {
    std::string sql = "SELECT count(*) FROM ender_register_many(ARRAY[";
    for (int i = 1; i <= revisions; ++i) {
        std::string id = "r" + std::to_string(i);
        std::string file = "-- ender:revision " + id + "\n";
        if (i > 1) file += "-- ender:parents r" + std::to_string(i - 1) + "\n";
        file += "-- ender:upgrade\n";
        if (i == 1) file += "CREATE TABLE applied_marks (revision text, by_pid int);\n";
        // A slow statement in each revision widens the window for overlapping calls.
        file += "INSERT INTO applied_marks VALUES ('" + id +
                "', pg_backend_pid());\n"
                "SELECT pg_sleep(0.002);\n";
        sql += (i > 1 ? ", " : "") + std::string("$f$") + file + "$f$";
    }
    sql += "])";
    ASSERT_EQ(db.scalar(sql), std::to_string(revisions));
}

}  // namespace

TEST(concurrency, eight_sessions_apply_fifty_revisions_exactly_once) {
    ender::test::fresh_database("ender_concurrency");
    connection setup("ender_concurrency");
    register_chain(setup);

    std::vector<std::unique_ptr<connection>> conns;
    for (int i = 0; i < sessions; ++i)
        conns.push_back(std::make_unique<connection>("ender_concurrency"));
    std::barrier start(sessions);
    std::vector<int> applied(sessions, -1);
    std::vector<std::string> errors(sessions);
    std::vector<std::thread> threads;
    for (int i = 0; i < sessions; ++i)
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            try {
                applied[i] = std::stoi(conns[i]->scalar("SELECT count(*) FROM ender_upgrade()"));
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    for (auto& t : threads) t.join();

    int total = 0, winners = 0;
    for (int i = 0; i < sessions; ++i) {
        EXPECT_EQ(errors[i], "") << "session " << i;
        total += applied[i];
        if (applied[i] > 0) ++winners;
    }
    // One session applied everything; the others waited for it and found nothing pending.
    EXPECT_EQ(total, revisions);
    EXPECT_EQ(winners, 1);
    EXPECT_EQ(setup.scalar("SELECT count(*) FROM applied_marks"), std::to_string(revisions));
    EXPECT_EQ(setup.scalar("SELECT count(DISTINCT revision) FROM applied_marks"),
              std::to_string(revisions));
    EXPECT_EQ(setup.scalar("SELECT count(DISTINCT by_pid) FROM applied_marks"), "1");
    EXPECT_EQ(setup.scalar("SELECT count(*) FROM ender.applied"), std::to_string(revisions));
    EXPECT_EQ(setup.scalar("SELECT count(*) FROM ender_history() WHERE outcome = 'ok'"),
              std::to_string(revisions));
    // The history lists the revisions in dependency order, each once.
    EXPECT_EQ(
        setup.scalar("SELECT string_agg(revision, ',' ORDER BY id) = "
                     "(SELECT string_agg('r' || g, ',' ORDER BY g) FROM generate_series(1, 50) g)"
                     "  FROM ender_history()"),
        "t");
    EXPECT_EQ(setup.scalar("SELECT string_agg(x, ',') FROM ender_current() x"), "r50");
}

TEST(concurrency, repeatable_read_loser_gets_a_serialization_failure) {
    ender::test::fresh_database("ender_concurrency_rr");
    connection first("ender_concurrency_rr"), second("ender_concurrency_rr");
    first.exec(
        "SELECT ender_register(id => 'a', parents => '{}', upgrade => 'CREATE TABLE a (id int)')");
    // The second session's snapshot predates the first session's upgrade.
    second.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    second.exec("SELECT count(*) FROM ender.applied");
    EXPECT_EQ(first.scalar("SELECT string_agg(x, ',') FROM ender_upgrade() x"), "a");
    try {
        second.exec("SELECT * FROM ender_upgrade()");
        FAIL() << "a stale snapshot must not apply revisions again";
    } catch (const ender::test::sql_error& e) {
        EXPECT_EQ(e.sqlstate(), "40001") << e.what();
    }
    second.exec("ROLLBACK");
    // Retried in a new transaction, it finds nothing to do.
    EXPECT_EQ(second.scalar("SELECT count(*) FROM ender_upgrade()"), "0");
    EXPECT_EQ(second.scalar("SELECT count(*) FROM ender.log"), "1");
}

TEST(concurrency, register_and_upgrade_interleave_without_losing_revisions) {
    ender::test::fresh_database("ender_concurrency_mix");
    connection setup("ender_concurrency_mix");
    setup.exec(
        "SELECT ender_register(id => 'm0', parents => '{}', upgrade => 'CREATE TABLE m (id int)')");
    constexpr int writers = 4, per_writer = 10;
    std::barrier start(writers + 1);
    std::vector<std::string> errors(writers + 1);
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            connection db("ender_concurrency_mix");
            start.arrive_and_wait();
            try {
                for (int i = 0; i < per_writer; ++i) {
                    std::string id = "w" + std::to_string(w) + "_" + std::to_string(i);
                    std::string parent =
                        i == 0 ? "m0" : "w" + std::to_string(w) + "_" + std::to_string(i - 1);
                    db.exec("SELECT ender_register(id => '" + id + "', parents => '{" + parent +
                            "}', upgrade => 'INSERT INTO m VALUES (" + std::to_string(w * 100 + i) +
                            ")')");
                }
            } catch (const std::exception& e) {
                errors[w] = e.what();
            }
        });
    threads.emplace_back([&] {
        connection db("ender_concurrency_mix");
        start.arrive_and_wait();
        try {
            for (int i = 0; i < 20; ++i) db.exec("SELECT * FROM ender_upgrade('heads')");
        } catch (const std::exception& e) {
            errors[writers] = e.what();
        }
    });
    for (auto& t : threads) t.join();
    for (const auto& e : errors) EXPECT_EQ(e, "");
    setup.exec("SELECT * FROM ender_upgrade('heads')");
    EXPECT_EQ(setup.scalar("SELECT count(*) FROM m"), std::to_string(writers * per_writer));
    EXPECT_EQ(setup.scalar("SELECT count(DISTINCT id) FROM m"),
              std::to_string(writers * per_writer));
    EXPECT_EQ(setup.scalar("SELECT count(*) FROM ender_heads()"), std::to_string(writers));
    EXPECT_EQ(setup.scalar("SELECT count(*) FROM ender_current()"), std::to_string(writers));
}
