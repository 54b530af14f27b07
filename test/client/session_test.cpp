// session.hpp: connecting, bound parameters, the prepared-statement cache, RAII transactions
// and savepoints, typed raw rows, and connection loss without a silent retry.
#include "support.hpp"

#include <cstdlib>

namespace {

using ender::test::throws;
class session : public ender::test::database {};

TEST_F(session, connects_by_keywords_uri_and_environment) {
    std::string db_name = db.scalar<std::string>("SELECT current_database()");
    std::string host = std::getenv("PGHOST") ? std::getenv("PGHOST") : "localhost";
    std::string port = std::getenv("PGPORT") ? std::getenv("PGPORT") : "5432";
    ender::session by_keywords("host=" + host + " port=" + port + " dbname=" + db_name +
                               " application_name=kw");
    EXPECT_EQ(by_keywords.scalar<std::string>("SHOW application_name"), "kw");
    ender::session by_uri("postgresql:///" + db_name + "?application_name=uri");
    EXPECT_EQ(by_uri.scalar<std::string>("SHOW application_name"), "uri");

    ::setenv("ENDER_DSN", "application_name=from_ender_dsn", 1);
    ::setenv("DATABASE_URL", "postgresql:///?application_name=from_database_url", 1);
    EXPECT_EQ(ender::session().scalar<std::string>("SHOW application_name"), "from_ender_dsn");
    ::unsetenv("ENDER_DSN");
    EXPECT_EQ(ender::session().scalar<std::string>("SHOW application_name"), "from_database_url");
    ::unsetenv("DATABASE_URL");
}

TEST_F(session, unreachable_server_is_connection_lost) {
    EXPECT_TRUE(throws<ender::connection_lost>(
        [] { ender::session s("host=/nonexistent/dir connect_timeout=1"); }, "08001",
        "could not connect to the server"));
}

TEST_F(session, parameters_are_bound_never_spliced) {
    db.execute("CREATE TABLE t (id int, name text); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    std::string evil = "x'; DROP TABLE t; --";
    db.exec("INSERT INTO t VALUES ($1, $2)", 3, evil);
    EXPECT_EQ(db.scalar<std::string>("SELECT name FROM t WHERE id = $1", 3), evil);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM t WHERE name = $1", "a' OR '1'='1"), 0);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM t"), 3);
}

TEST_F(session, prepared_statements_are_cached_per_session) {
    auto before = db.statement_count();
    auto prepared = db.prepared_count();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(db.scalar<int>("SELECT $1 + 1", i), i + 1);
    // One PREPARE and five executions.
    EXPECT_EQ(db.statement_count() - before, 6u);
    EXPECT_EQ(db.prepared_count(), prepared + 1);
    EXPECT_EQ(db.scalar<std::int64_t>(
                  "SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1 + 1'"),
              1);
    // Another parameter type is another statement.
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT $1 + 1", std::int64_t{1}), 2);
    EXPECT_EQ(db.prepared_count(), prepared + 3);  // + the pg_prepared_statements query
}

TEST_F(session, results_are_binary_and_typed) {
    auto r = db.exec("SELECT 1::int AS a, 'x'::text AS b, NULL::int AS c");
    EXPECT_EQ(r.columns(), 3u);
    EXPECT_EQ(r.column_name(1), "b");
    EXPECT_EQ(r.find_column("c"), 2u);
    EXPECT_EQ(r.field(0, 0).size(), 4u);  // int4 in binary: four bytes, not "1"
    EXPECT_EQ(r.get<int>(0, 0), 1);
    EXPECT_EQ(r.get<std::optional<int>>(0, 2), std::nullopt);
    EXPECT_TRUE(throws<ender::usage_error>([&] { r.get<int>(1, 0); }, "22023",
                                           "row 1, column 0 is outside the result"));
}

TEST_F(session, raw_sql_with_tuple_rows) {
    db.execute(
        "CREATE TABLE team (id int, name text); CREATE TABLE hero (team_id int); "
        "INSERT INTO team VALUES (1, 'A'), (2, 'B'); INSERT INTO hero VALUES (1), (1), (2)");
    auto rows = db.query<std::tuple<std::string, std::int64_t>>(
        "WITH c AS (SELECT t.name, count(*) AS n FROM team t JOIN hero h ON h.team_id = t.id "
        "GROUP BY 1) SELECT name, n FROM c WHERE n >= $1 ORDER BY 1",
        1);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0], std::make_tuple(std::string("A"), std::int64_t{2}));
    auto names = db.query<std::string>("SELECT name FROM team ORDER BY name DESC");
    EXPECT_EQ(names, (std::vector<std::string>{"B", "A"}));
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.query<std::tuple<int>>("SELECT 1, 2"); },
                                           "42601",
                                           "the statement returns 2 columns, the row type has 1"));
}

TEST_F(session, transaction_rolls_back_unless_committed) {
    db.execute("CREATE TABLE t (k int)");
    {
        auto tx = db.begin();
        db.exec("INSERT INTO t VALUES ($1)", 1);
        EXPECT_TRUE(db.in_transaction());
    }
    EXPECT_FALSE(db.in_transaction());
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM t"), 0);
    {
        auto tx = db.begin(ender::isolation::serializable);
        EXPECT_EQ(db.scalar<std::string>("SHOW transaction_isolation"), "serializable");
        db.exec("INSERT INTO t VALUES ($1)", 2);
        tx.commit();
        EXPECT_TRUE(throws<ender::usage_error>([&] { tx.commit(); }, "25000",
                                               "the transaction is no longer active"));
    }
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM t"), 1);
}

TEST_F(session, a_second_begin_is_refused) {
    auto tx = db.begin();
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.begin(); }, "25001",
                                           "a transaction is already in progress"));
}

TEST_F(session, savepoints_undo_part_of_a_transaction) {
    db.execute("CREATE TABLE t (k int PRIMARY KEY)");
    auto tx = db.begin();
    db.exec("INSERT INTO t VALUES (1)");
    {
        auto sp = tx.savepoint();
        db.exec("INSERT INTO t VALUES (2)");
        // the failure aborts only the work since the savepoint
        EXPECT_THROW(db.exec("INSERT INTO t VALUES (1)"), ender::unique_violation);
    }
    {
        auto sp = tx.savepoint();
        db.exec("INSERT INTO t VALUES (3)");
        sp.release();
    }
    tx.commit();
    EXPECT_EQ(db.query<int>("SELECT k FROM t ORDER BY k"), (std::vector<int>{1, 3}));
}

TEST_F(session, notices_go_to_the_handler) {
    std::vector<std::string> seen;
    db.on_notice([&](std::string_view n) { seen.emplace_back(n); });
    db.execute("SET client_min_messages = notice; DO $$BEGIN RAISE NOTICE 'hello %', 42; END$$");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], "NOTICE:  hello 42");
}

TEST_F(session, connection_loss_is_reported_and_the_write_not_retried) {
    db.execute("CREATE TABLE t (k int)");
    ender::session killer;
    int pid = db.backend_pid();
    killer.exec("SELECT pg_terminate_backend($1)", pid);
    EXPECT_TRUE(throws<ender::connection_lost>([&] { db.exec("INSERT INTO t VALUES ($1)", 1); },
                                               "08006", "connection to the server was lost"));
    EXPECT_FALSE(db.connected());
    EXPECT_TRUE(throws<ender::connection_lost>([&] { db.exec("SELECT 1"); }, "08003",
                                               "the session is not connected"));
    db.reconnect();
    EXPECT_NE(db.backend_pid(), pid);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM t"), 0);
}

TEST_F(session, a_transaction_whose_connection_died_unwinds_quietly) {
    ender::session killer;
    {
        auto tx = db.begin();
        killer.exec("SELECT pg_terminate_backend($1)", db.backend_pid());
        EXPECT_THROW(db.exec("SELECT 1"), ender::connection_lost);
    }  // the destructor's rollback must not throw
    db.reconnect();
    EXPECT_EQ(db.scalar<int>("SELECT 1"), 1);
}

TEST_F(session, a_value_over_1_gib_is_refused_before_it_is_bound) {
    std::string big(ender::detail::max_value_bytes + 2, 'x');  // 1 GiB + 1 byte, one allocation
    EXPECT_TRUE(throws<ender::error>([&] { db.scalar<std::int64_t>("SELECT length($1)", big); },
                                     "54000", "parameter $1 is too large: 1073741825 bytes"));
    big.resize(ender::detail::max_value_bytes + 1);  // 1 GiB: still one byte too many
    EXPECT_TRUE(throws<ender::error>([&] { db.exec("SELECT $1::int, length($2)", 1, big); },
                                     "54000", "parameter $2 is too large: 1073741824 bytes"));
    EXPECT_EQ(db.scalar<int>("SELECT 1"), 1);  // the session is fine
}

}  // namespace
