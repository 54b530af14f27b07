// field_options.hpp: max_length makes varchar(n), min_length and ge/gt/le/lt make CHECKs with
// deterministic names that the server enforces, the models' snapshot and the database converge
// through ender_diff (needs the ender extension installed), and the same checks, normalisers and
// cross-field validators run in the client before anything is sent.
#include "support.hpp"

namespace heroes {

struct account {
    std::int64_t id{};
    std::string email;
    std::string handle;
    std::string motto;
    int age{};
    std::optional<double> rating;
    std::optional<std::string> nickname;
    int starts{};
    int ends{};
};
inline auto ender_model(ender::tag<account>) {
    using namespace ender;
    return table<account>(
        "account", column("id", &account::id, primary_key(), identity()),
        column("email", &account::email, max_length(64), strip_whitespace(), to_lower()),
        column("handle", &account::handle, max_length(20), min_length(3)),
        column("motto", &account::motto, min_length(2)),
        column("age", &account::age, ge(0), lt(150)),
        column("rating", &account::rating, gt(0.0), le(5.0)),
        column("nickname", &account::nickname, normalize([](std::string& s) { s = "@" + s; }),
               max_length(10)),
        column("starts", &account::starts), column("ends", &account::ends),
        validate_fields([](const account& a) { return a.starts <= a.ends; },
                        "An account ends after it starts.", &account::starts, &account::ends));
}

namespace {

using ender::test::throws;

class field_options : public ender::test::database {
protected:
    static account valid() {
        return {.email = "ann@example.com",
                .handle = "ann",
                .motto = "hi",
                .age = 30,
                .rating = 4.5,
                .nickname = std::nullopt,
                .starts = 1,
                .ends = 2};
    }
    std::string diff(const nlohmann::json& target) { return ender::test::diff_steps(db, target); }
};

TEST_F(field_options, lengths_and_ranges_become_types_and_named_checks) {
    ender::create_all(db, ender::schema::of<account>());
    auto types = db.query<std::tuple<std::string, std::string>>(
        "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = 'account'::regclass AND attname IN ('email', 'handle', 'nickname', "
        "'motto') ORDER BY attnum");
    EXPECT_EQ(types, (std::vector<std::tuple<std::string, std::string>>{
                         {"email", "character varying(64)"},
                         {"handle", "character varying(20)"},
                         {"motto", "text"},
                         {"nickname", "character varying(10)"}}));
    auto checks = db.query<std::tuple<std::string, std::string>>(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'account'::regclass AND contype = 'c' ORDER BY conname");
    EXPECT_EQ(checks,
              (std::vector<std::tuple<std::string, std::string>>{
                  {"account_age_ge", "CHECK ((age >= 0))"},
                  {"account_age_lt", "CHECK ((age < 150))"},
                  {"account_handle_min_length", "CHECK ((char_length((handle)::text) >= 3))"},
                  {"account_motto_min_length", "CHECK ((char_length(motto) >= 2))"},
                  {"account_rating_gt", "CHECK ((rating > (0)::double precision))"},
                  {"account_rating_le", "CHECK ((rating <= (5)::double precision))"}}));
}

TEST_F(field_options, the_server_enforces_the_checks_for_other_writers) {
    ender::create_all(db, ender::schema::of<account>());
    auto insert = [&](const std::string& handle, int age) {
        db.exec(
            "INSERT INTO account (email, handle, motto, age, starts, ends) "
            "VALUES ('a@b.c', $1, 'ok', $2, 0, 0)",
            handle, age);
    };
    EXPECT_TRUE(throws<ender::check_violation>([&] { insert("ab", 1); }, "23514",
                                               "account_handle_min_length"));
    EXPECT_TRUE(
        throws<ender::check_violation>([&] { insert("abc", -1); }, "23514", "account_age_ge"));
    EXPECT_TRUE(throws<ender::error>([&] { insert(std::string(21, 'x'), 1); }, "22001",
                                     "value too long for type character varying(20)"));
    insert("abc", 149);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM account"), 1);
}

TEST_F(field_options, the_snapshot_and_the_database_converge) {
    db.execute("CREATE EXTENSION IF NOT EXISTS ender");
    auto models = ender::schema::of<account>().snapshot();
    // From an empty database: the steps ender_diff plans, applied, leave nothing to do.
    auto steps = db.query<std::string>("SELECT sql FROM ender_diff($1) ORDER BY step", models);
    ASSERT_FALSE(steps.empty());
    for (const auto& sql : steps) db.execute(sql);
    EXPECT_EQ(diff(models), "");
    EXPECT_EQ(db.scalar<std::int64_t>(
                  "SELECT count(*) FROM pg_constraint WHERE conrelid = 'account'::regclass "
                  "AND contype = 'c' AND conname LIKE 'account\\_%'"),
              6);
    // And the same after create_all.
    db.execute("DROP TABLE account");
    ender::create_all(db, ender::schema::of<account>());
    EXPECT_EQ(diff(models), "");
}

TEST_F(field_options, the_client_refuses_a_value_before_sending_it) {
    ender::create_all(db, ender::schema::of<account>());
    auto refused = [&](account a, std::string_view column, std::string_view detail) {
        auto before = db.counts();
        try {
            db.insert(a);
            return ::testing::AssertionFailure() << "no error for " << column;
        } catch (const ender::validation_error& e) {
            if (e.sqlstate() != "23514" || e.table() != "account" || e.field() != column ||
                e.detail().find(detail) == std::string::npos ||
                std::string(e.what()) !=
                    "invalid value for column \"" + std::string(column) + "\" of table \"account\"")
                return ::testing::AssertionFailure() << e.what() << " / " << e.detail();
        }
        if ((db.counts() - before).statements != 0)
            return ::testing::AssertionFailure() << "a statement was sent";
        return ::testing::AssertionSuccess();
    };
    auto a = valid();
    a.handle = "ab";
    EXPECT_TRUE(refused(a, "handle", "The value has 2 characters; at least 3 are needed."));
    a = valid();
    a.handle = std::string(21, 'x');
    EXPECT_TRUE(refused(a, "handle", "at most 20 are allowed"));
    a = valid();
    a.email = std::string(60, 'a') + "@b.cc";
    EXPECT_TRUE(refused(a, "email", "The value has 65 characters; at most 64"));
    a = valid();
    a.age = 150;
    EXPECT_TRUE(refused(a, "age", "The value 150 is not < 150."));
    a = valid();
    a.rating = 0.0;
    EXPECT_TRUE(refused(a, "rating", "The value 0 is not > 0."));
    a = valid();
    a.nickname = std::string(10, 'n');  // 11 characters once normalised
    EXPECT_TRUE(refused(a, "nickname", "at most 10"));
    // Characters, not bytes, as the server counts them: 20 two-byte letters fit varchar(20).
    a = valid();
    std::string e20;
    for (int i = 0; i < 20; ++i) e20 += "\xc3\xa9";
    a.handle = e20;
    db.insert(a);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT char_length(handle) FROM account"), 20);
    // NULL passes the checks of an optional member.
    a = valid();
    a.rating = std::nullopt;
    db.insert(a);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM account"), 2);
}

TEST_F(field_options, normalisers_run_before_insert_and_update) {
    ender::create_all(db, ender::schema::of<account>());
    auto a = valid();
    a.email = "  Ann@Example.COM\t";
    a.nickname = "annie";
    db.insert(a);
    EXPECT_EQ(a.email, "ann@example.com");
    EXPECT_EQ(db.scalar<std::string>("SELECT email FROM account WHERE id = $1", a.id),
              "ann@example.com");
    EXPECT_EQ(db.scalar<std::string>("SELECT nickname FROM account WHERE id = $1", a.id), "@annie");
    a.email = " BOB@EXAMPLE.COM";
    db.update(a);
    EXPECT_EQ(db.scalar<std::string>("SELECT email FROM account WHERE id = $1", a.id),
              "bob@example.com");
    // Patches and bulk inserts of const objects are normalised too.
    auto b = db.update(ender::patch<account>().set(&account::email, " CY@X.ORG "), a.id);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->email, "cy@x.org");
    auto c = valid();
    c.email = " DEE@X.ORG";
    const std::vector<account> many{c};
    db.insert_many(many);
    EXPECT_EQ(many[0].email, " DEE@X.ORG");  // the caller's objects are left alone
    EXPECT_EQ(db.query<std::string>("SELECT email FROM account ORDER BY email"),
              (std::vector<std::string>{"cy@x.org", "dee@x.org"}));
}

TEST_F(field_options, cross_field_validators_name_every_column) {
    ender::create_all(db, ender::schema::of<account>());
    auto a = valid();
    a.starts = 5;
    a.ends = 4;
    try {
        db.insert(a);
        FAIL() << "no error";
    } catch (const ender::validation_error& e) {
        EXPECT_EQ(e.sqlstate(), "23514");
        EXPECT_STREQ(e.what(),
                     "invalid values for columns \"starts\", \"ends\" of table \"account\"");
        EXPECT_EQ(e.detail(), "An account ends after it starts.");
        EXPECT_EQ(e.field(), "starts, ends");
    }
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM account"), 0);
    a.ends = 9;
    db.insert(a);
    // A patch that sets one of the two cannot be judged in the client: it is sent.
    EXPECT_TRUE(db.update(ender::patch<account>().set(&account::ends, 1), a.id));
    // One that sets both is judged.
    EXPECT_TRUE(throws<ender::validation_error>(
        [&] {
            db.update(ender::patch<account>().set(&account::starts, 3).set(&account::ends, 2),
                      a.id);
        },
        "23514", "invalid values for columns \"starts\", \"ends\""));
}

}  // namespace
}  // namespace heroes
