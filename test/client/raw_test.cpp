// raw.hpp: :name parameters (parsing, binding from pairs or a struct, unknown and missing
// names) and the result's columns checked against the row type before anything runs.
#include "support.hpp"

#include <ender/raw.hpp>

namespace heroes {

struct gadget {
    std::int64_t id{};
    std::string label;
    int weight{};
    std::optional<std::string> note;
};
inline auto ender_model(ender::tag<gadget>) {
    using namespace ender;
    return table<gadget>("gadget", column("id", &gadget::id, primary_key()),
                         column("label", &gadget::label, db_type("character varying(20)")),
                         column("weight", &gadget::weight), column("note", &gadget::note));
}

// The parameters of a search, bound by name.
struct gadget_search {
    int min_weight{};
    std::string prefix;
    std::optional<std::string> unused;
};
inline auto ender_model(ender::tag<gadget_search>) {
    using namespace ender;
    return table<gadget_search>("", column("min_weight", &gadget_search::min_weight),
                                column("prefix", &gadget_search::prefix),
                                column("unused", &gadget_search::unused));
}

namespace {

using ender::test::throws;

class raw : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, ender::schema::of<gadget>());
        for (int i = 1; i <= 9; ++i) {
            gadget g{i, "g" + std::to_string(i % 4) + "-" + std::to_string(i), i * 10 % 7,
                     i % 2 ? std::nullopt : std::optional<std::string>("even")};
            db.insert(g);
        }
    }
    static std::vector<std::int64_t> ids(const std::vector<gadget>& gs) {
        std::vector<std::int64_t> out;
        for (const auto& g : gs) out.push_back(g.id);
        return out;
    }
};

TEST_F(raw, named_parameters_are_numbered_outside_quotes_comments_and_casts) {
    auto p = ender::parse_named(
        "SELECT :a, :b::int, ':c', \"x:y\", E'\\':d' -- :e\n"
        "/* :f /* :g */ */ $$ :h $$, $q$ :i $q$, :a, arr[1:2], \\:j, :b_2");
    EXPECT_EQ(p.text,
              "SELECT $1, $2::int, ':c', \"x:y\", E'\\':d' -- :e\n"
              "/* :f /* :g */ */ $$ :h $$, $q$ :i $q$, $1, arr[1:2], :j, $3");
    EXPECT_EQ(p.names, (std::vector<std::string>{"a", "b", "b_2"}));
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::parse_named("SELECT ':a"); }, "42601",
                                           "unterminated quoted text"));
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::parse_named("SELECT $1, :a"); }, "42601",
                                           "mixes $1 with :name parameters"));
}

TEST_F(raw, named_pairs_give_the_rows_of_positional_sql) {
    auto rows = ender::query_named<gadget>(
        db,
        "SELECT * FROM gadget WHERE weight >= :min AND label LIKE :prefix || '%' "
        "AND weight::text <> :min::text ORDER BY id",
        {{"min", 3}, {"prefix", "g1"}});
    auto expected = db.query<gadget>(
        "SELECT * FROM gadget WHERE weight >= $1 AND label LIKE $2 || '%' "
        "AND weight::text <> $1::text ORDER BY id",
        3, "g1");
    EXPECT_EQ(ids(rows), ids(expected));
    EXPECT_FALSE(rows.empty());
    auto pairs = ender::query_named<std::tuple<std::string, std::optional<std::string>>>(
        db, "SELECT label, note FROM gadget WHERE id = :id", {ender::arg("id", std::int64_t(4))});
    ASSERT_EQ(pairs.size(), 1u);
    EXPECT_EQ(pairs[0], std::tuple(std::string("g0-4"), std::optional<std::string>("even")));
}

TEST_F(raw, named_parameters_from_a_struct) {
    gadget_search s{.min_weight = 2, .prefix = "g2"};
    auto rows = ender::query_named<gadget>(
        db, "SELECT * FROM gadget WHERE weight >= :min_weight AND label LIKE :prefix || '%'", s);
    EXPECT_EQ(ids(rows), db.query<std::int64_t>("SELECT id FROM gadget WHERE weight >= 2 AND "
                                                "label LIKE 'g2%' ORDER BY id"));
    EXPECT_FALSE(rows.empty());
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { ender::query_named<gadget>(db, "SELECT * FROM gadget WHERE id = :id", s); }, "42P02",
        "no value for parameter :id"));
}

TEST_F(raw, unknown_missing_and_repeated_names_are_errors) {
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] {
            ender::query_named<gadget>(db, "SELECT * FROM gadget WHERE weight > :w", {{"v", 1}});
        },
        "42P02", "no value for parameter :w"));
    try {
        ender::query_named<gadget>(db, "SELECT * FROM gadget WHERE weight > :w",
                                   {{"w", 1}, {"x", 2}});
        FAIL() << "no error";
    } catch (const ender::usage_error& e) {
        EXPECT_EQ(e.sqlstate(), "42P02");
        EXPECT_STREQ(e.what(), "the statement has no parameter :x");
        EXPECT_EQ(e.detail(), "The statement uses :w.");
    }
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] {
            ender::query_named<gadget>(db, "SELECT * FROM gadget WHERE weight > :w",
                                       {{"w", 1}, {"w", 2}});
        },
        "42P08", "parameter \"w\" is given twice"));
}

TEST_F(raw, compatible_columns_read) {
    // integer into int64, varchar into std::string, json into nlohmann::json.
    auto rows = ender::query_checked<std::tuple<std::int64_t, std::string, nlohmann::json>>(
        db, "SELECT weight, label, '{\"a\": 1}'::json FROM gadget WHERE id = $1", 2);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(std::get<0>(rows[0]), 20 % 7);
    EXPECT_EQ(std::get<1>(rows[0]), "g2-2");
    EXPECT_EQ(std::get<2>(rows[0])["a"], 1);
    EXPECT_EQ(ender::query_checked<int>(db, "SELECT weight FROM gadget ORDER BY id").size(), 9u);
    // Prepared and described once per session: prepare, describe and execute the first time,
    // then only execute.
    auto round_trips = [&] {
        auto before = db.counts();
        ender::query_checked<int>(db, "SELECT weight FROM gadget WHERE id > $1", 3);
        return (db.counts() - before).round_trips;
    };
    EXPECT_EQ(round_trips(), 3u);
    EXPECT_EQ(round_trips(), 1u);
}

TEST_F(raw, a_result_that_does_not_fit_is_refused_before_it_runs) {
    using row = std::tuple<std::int64_t, std::string>;
    // A data-modifying statement: had it run, the table would have a tenth row.
    auto insert = [&](const char* returning) {
        return std::string("INSERT INTO gadget VALUES (100, 'new', 1) RETURNING ") + returning;
    };
    EXPECT_TRUE(throws<ender::usage_error>([&] { ender::query_checked<row>(db, insert("id")); },
                                           "42P10",
                                           "the statement returns 1 column, the row type has 2"));
    try {
        ender::query_checked<row>(db, insert("label, id"));
        FAIL() << "no error";
    } catch (const ender::usage_error& e) {
        EXPECT_EQ(e.sqlstate(), "42804");
        EXPECT_STREQ(e.what(),
                     "column \"label\" of the result has type character varying, which tuple "
                     "element 1 cannot hold");
        EXPECT_EQ(e.detail(), "The row type expects bigint there.");
    }
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { ender::query_named<gadget>(db, insert("id, label, weight"), {}); }, "42P10",
        "column \"note\" of \"gadget\" is missing from the result"));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { ender::query_named<gadget>(db, insert("*, 1 AS extra"), {}); }, "42P10",
        "column \"extra\" of the result is not a column of \"gadget\""));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { ender::query_named<gadget>(db, insert("id, label, weight::text, note"), {}); },
        "42804", "column \"weight\" of the result has type text, which \"gadget.weight\""));
    EXPECT_TRUE(
        throws<ender::usage_error>([&] { ender::query_checked<double>(db, insert("weight")); },
                                   "42804", "column \"weight\" of the result has type integer"));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM gadget"), 9);
    // The same statement with a fitting row type runs.
    EXPECT_EQ(ender::query_named<gadget>(db, insert("*"), {}).at(0).label, "new");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM gadget"), 10);
}

}  // namespace
}  // namespace heroes
