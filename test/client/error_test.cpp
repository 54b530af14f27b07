// error.hpp: the SQLSTATE picks the subclass; message, detail, hint and statement survive from
// the server to the caller; attempt() is the non-throwing form.
#include "support.hpp"

namespace {

using ender::test::throws;
class error : public ender::test::database {};

TEST_F(error, unique_violation_carries_what_the_server_said) {
    db.execute("CREATE TABLE t (k int PRIMARY KEY); INSERT INTO t VALUES (1)");
    try {
        db.exec("INSERT INTO t VALUES ($1)", 1);
        FAIL() << "no error";
    } catch (const ender::unique_violation& e) {
        EXPECT_EQ(e.sqlstate(), "23505");
        EXPECT_STREQ(e.what(), "duplicate key value violates unique constraint \"t_pkey\"");
        EXPECT_EQ(e.detail(), "Key (k)=(1) already exists.");
        EXPECT_EQ(e.statement(), "INSERT INTO t VALUES ($1)");
    }
}

TEST_F(error, subclasses_follow_the_sqlstate) {
    db.execute(
        "CREATE TABLE p (id int PRIMARY KEY); "
        "CREATE TABLE c (id int PRIMARY KEY, p int REFERENCES p, n int NOT NULL CHECK (n > 0))");
    EXPECT_TRUE(throws<ender::foreign_key_violation>(
        [&] { db.exec("INSERT INTO c VALUES (1, $1, 1)", 7); }, "23503",
        "violates foreign key constraint \"c_p_fkey\""));
    EXPECT_TRUE(throws<ender::not_null_violation>(
        [&] { db.exec("INSERT INTO c VALUES (1, NULL, $1)", std::optional<int>()); }, "23502",
        "null value in column \"n\""));
    EXPECT_TRUE(
        throws<ender::check_violation>([&] { db.exec("INSERT INTO c VALUES (1, NULL, $1)", -1); },
                                       "23514", "violates check constraint \"c_n_check\""));
    EXPECT_TRUE(throws<ender::statement_error>([&] { db.execute("SELEC 1"); }, "42601",
                                               "syntax error at or near \"SELEC\""));
    EXPECT_TRUE(throws<ender::statement_error>([&] { db.exec("SELECT * FROM missing"); }, "42P01",
                                               "relation \"missing\" does not exist"));
    EXPECT_TRUE(throws<ender::data_error>([&] { db.exec("SELECT 1 / $1", 0); }, "22012",
                                          "division by zero"));
    EXPECT_TRUE(throws<ender::serialization_failure>(
        [&] { db.execute("DO $$BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40001'; END$$"); },
        "40001", "x"));
    EXPECT_TRUE(throws<ender::deadlock_detected>(
        [&] { db.execute("DO $$BEGIN RAISE EXCEPTION 'y' USING ERRCODE = '40P01'; END$$"); },
        "40P01", "y"));
}

TEST_F(error, detail_and_hint_reach_the_caller) {
    try {
        db.execute(
            "DO $$BEGIN RAISE EXCEPTION 'custom failure' USING DETAIL = 'The detail.', "
            "HINT = 'The hint.', ERRCODE = '22023'; END$$");
        FAIL() << "no error";
    } catch (const ender::data_error& e) {
        EXPECT_EQ(e.sqlstate(), "22023");
        EXPECT_EQ(e.detail(), "The detail.");
        EXPECT_EQ(e.hint(), "The hint.");
    }
}

TEST_F(error, throw_error_maps_every_class_in_one_place) {
    auto kind = [](const char* code) -> std::string {
        try {
            ender::throw_error(code, "m");
        } catch (const ender::unique_violation&) {
            return "unique";
        } catch (const ender::integrity_violation&) {
            return "integrity";
        } catch (const ender::connection_lost&) {
            return "connection";
        } catch (const ender::transaction_rollback&) {
            return "rollback";
        } catch (const ender::usage_error&) {
            return "usage";
        } catch (const ender::error&) {
            return "error";
        }
        return "none";
    };
    EXPECT_EQ(kind("23505"), "unique");
    EXPECT_EQ(kind("23P01"), "integrity");
    EXPECT_EQ(kind("08006"), "connection");
    EXPECT_EQ(kind("57P01"), "connection");
    EXPECT_EQ(kind("40002"), "rollback");
    EXPECT_EQ(kind("25P02"), "usage");
    EXPECT_EQ(kind("XX000"), "error");
}

TEST_F(error, attempt_returns_the_error_instead_of_throwing) {
    db.execute("CREATE TABLE t (k int PRIMARY KEY)");
    auto ok = ender::attempt([&] { return db.exec("INSERT INTO t VALUES (1)").affected_rows(); });
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 1u);
    auto failed = ender::attempt([&] { db.exec("INSERT INTO t VALUES (1)"); });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().sqlstate(), "23505");
    EXPECT_NE(dynamic_cast<const ender::unique_violation*>(&failed.error()), nullptr);
    EXPECT_THROW(failed.rethrow(), ender::unique_violation);
}

TEST_F(error, is_tells_the_class_of_an_attempts_error) {
    db.execute("CREATE TABLE t (k int PRIMARY KEY)");
    auto ok = ender::attempt([&] { db.exec("INSERT INTO t VALUES (1)"); });
    EXPECT_FALSE(ok.is<ender::error>());  // no error at all
    auto duplicate = ender::attempt([&] { db.exec("INSERT INTO t VALUES (1)"); });
    EXPECT_TRUE(duplicate.is<ender::unique_violation>());
    EXPECT_TRUE(duplicate.is<ender::integrity_violation>());  // its base classes too
    EXPECT_TRUE(duplicate.is<ender::error>());
    EXPECT_FALSE(duplicate.is<ender::foreign_key_violation>());
    EXPECT_FALSE(duplicate.is<ender::connection_lost>());
    auto wrong = ender::attempt([&] { db.exec("SELEC 1"); });
    EXPECT_TRUE(wrong.is<ender::statement_error>());
    EXPECT_FALSE(wrong.is<ender::integrity_violation>());
}

}  // namespace
