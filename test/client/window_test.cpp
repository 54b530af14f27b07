// window.hpp: row_number, rank, dense_rank, lag, lead and aggregates OVER (PARTITION BY ...
// ORDER BY ...), in projections and read shapes, and the top N per group through a CTE — each
// compared with the same query written in SQL.
#include "hero_fixture.hpp"
#include "shape_models.hpp"

namespace heroes {

namespace {

using ender::col;
using ender::test::throws;

class windows : public hero_database {
protected:
    void SetUp() override {
        hero_database::SetUp();
        auto a = add_team("Avengers", "NYC"), b = add_team("Preventers", "LA");
        add("Deadpond", 30, a);
        add("Spider-Boy", 16, a);
        add("Captain", 30, a);
        add("Hulk", 45, a);
        add("Rusty-Man", 48, b);
        add("Tarantula", 32, b);
        add("Black Lion", std::nullopt, std::nullopt);
    }
};

TEST_F(windows, ranking_functions_over_partitions) {
    auto by_age = ender::partition_by(col(&hero::team_id)).order_by(ender::desc(col(&hero::age)));
    auto rows =
        db.select(col(&hero::name), ender::over(ender::row_number(), by_age),
                  ender::over(ender::rank(), by_age), ender::over(ender::dense_rank(), by_age))
            .from<hero>()
            .where(ender::is_not_null(col(&hero::team_id)))
            .order_by(ender::asc(col(&hero::team_id)))
            .order_by(ender::desc(col(&hero::age)))
            .order_by(ender::asc(col(&hero::name)))
            .all();
    auto expected = db.query<std::tuple<std::string, std::int64_t, std::int64_t, std::int64_t>>(
        "SELECT name, row_number() OVER w, rank() OVER w, dense_rank() OVER w FROM hero "
        "WHERE team_id IS NOT NULL WINDOW w AS (PARTITION BY team_id ORDER BY age DESC) "
        "ORDER BY team_id, age DESC, name");
    ASSERT_EQ(rows.size(), 6u);
    // row_number breaks the tie between Captain and Deadpond arbitrarily: compare the rest.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(std::get<0>(rows[i]), std::get<0>(expected[i]));
        EXPECT_EQ(std::get<2>(rows[i]), std::get<2>(expected[i]));
        EXPECT_EQ(std::get<3>(rows[i]), std::get<3>(expected[i]));
    }
    // Hulk 1; Captain and Deadpond tie at 2 (rank and dense_rank); Spider-Boy 4 and 3.
    EXPECT_EQ(std::get<2>(rows[3]), 4);
    EXPECT_EQ(std::get<3>(rows[3]), 3);
    EXPECT_EQ(std::get<1>(rows[3]), 4);
}

TEST_F(windows, lag_lead_and_aggregates_over_a_window) {
    auto w = ender::window()
                 .partition_by(col(&hero::team_id))
                 .order_by(col(&hero::age), col(&hero::name));
    auto rows = db.select(col(&hero::name), ender::over(ender::lag(col(&hero::name)), w),
                          ender::over(ender::lead(col(&hero::age), 2), w),
                          ender::over(ender::sum(col(&hero::age)), w),
                          ender::over(ender::count(), ender::partition_by(col(&hero::team_id))))
                    .from<hero>()
                    .where(ender::is_not_null(col(&hero::team_id)))
                    .order_by(ender::asc(col(&hero::team_id)))
                    .order_by(ender::asc(col(&hero::age)))
                    .order_by(ender::asc(col(&hero::name)))
                    .all();
    auto expected = db.query<std::tuple<std::string, std::optional<std::string>, std::optional<int>,
                                        std::optional<std::int64_t>, std::int64_t>>(
        "SELECT name, lag(name) OVER w, lead(age, 2) OVER w, sum(age) OVER w, "
        "count(*) OVER (PARTITION BY team_id) FROM hero WHERE team_id IS NOT NULL "
        "WINDOW w AS (PARTITION BY team_id ORDER BY age, name) ORDER BY team_id, age, name");
    EXPECT_EQ(rows, expected);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(std::get<1>(rows[0]), std::nullopt);  // the first of its partition
    EXPECT_EQ(std::get<1>(rows[1]), "Spider-Boy");
    EXPECT_EQ(std::get<2>(rows[0]), 30);  // two rows on: Deadpond
    EXPECT_EQ(std::get<3>(rows[3]), 16 + 30 + 30 + 45);
    EXPECT_EQ(std::get<4>(rows[5]), 2);
}

TEST_F(windows, top_n_per_group_through_a_cte_of_a_ranked_shape) {
    // The two oldest heroes of each team: rank in a CTE, filter outside (a window function
    // cannot appear in WHERE).
    ender::cte<ranked_hero> ranked("ranked");
    ranked.as(db.select<ranked_hero>().where(ender::is_not_null(col(&hero::team_id))));
    auto before = db.counts();
    auto top = ender::with(db, ranked)
                   .select<ranked_hero>()
                   .from(ranked)
                   .where(ranked.col(&ranked_hero::place) <= 2)
                   .order_by(ranked.col(&ranked_hero::team_id))
                   .order_by(ranked.col(&ranked_hero::place))
                   .all();
    EXPECT_EQ((db.counts() - before).statements, 1u);
    auto expected = db.query<std::tuple<std::string, std::int64_t>>(
        "SELECT name, place FROM (SELECT name, team_id, row_number() OVER (PARTITION BY team_id "
        "ORDER BY age DESC, name) AS place FROM hero WHERE team_id IS NOT NULL) r "
        "WHERE place <= 2 ORDER BY team_id, place");
    ASSERT_EQ(top.size(), expected.size());
    ASSERT_EQ(top.size(), 4u);
    for (std::size_t i = 0; i < top.size(); ++i) {
        EXPECT_EQ(top[i].name, std::get<0>(expected[i]));
        EXPECT_EQ(top[i].place, std::get<1>(expected[i]));
    }
    EXPECT_EQ(top[0].name, "Hulk");
    EXPECT_EQ(top[1].name, "Captain");
    EXPECT_EQ(top[2].name, "Rusty-Man");
}

TEST_F(windows, first_one_count_exists_and_explain_on_window_queries) {
    auto by_age = ender::partition_by(col(&hero::team_id)).order_by(ender::desc(col(&hero::age)));
    auto ranked = db.select(col(&hero::name), ender::over(ender::rank(), by_age))
                      .from<hero>()
                      .where(ender::is_not_null(col(&hero::team_id)))
                      .order_by(ender::desc(col(&hero::age)))
                      .order_by(ender::asc(col(&hero::name)));
    const std::string reference =
        "SELECT name, rank() OVER (PARTITION BY team_id ORDER BY age DESC) FROM hero "
        "WHERE team_id IS NOT NULL";
    auto rows = db.scalar<std::int64_t>("SELECT count(*) FROM (" + reference + ") r");
    auto first_row = db.query<std::tuple<std::string, std::int64_t>>(
        reference + " ORDER BY age DESC, name LIMIT 1")[0];
    auto before = db.counts();
    EXPECT_EQ(ranked.count(), rows);
    EXPECT_EQ(rows, 6);
    EXPECT_TRUE(ranked.exists());
    auto oldest = ranked.first();
    ASSERT_TRUE(oldest);
    EXPECT_EQ(*oldest, first_row);
    EXPECT_EQ(std::get<0>(*oldest), "Rusty-Man");
    EXPECT_EQ((db.counts() - before).statements, 3u);  // one statement each
    EXPECT_NE(ranked.explain().find("WindowAgg"), std::string::npos) << ranked.explain();
    // one(): the window is computed before the page, so the rank is the whole partition's.
    auto second = db.select(col(&hero::name), ender::over(ender::rank(), by_age))
                      .from<hero>()
                      .where(col(&hero::name) == "Tarantula")
                      .one();
    EXPECT_EQ(std::get<1>(second), 1);  // alone in its partition once filtered
    EXPECT_TRUE(throws<ender::error>([&] { ranked.one(); }, "P0003", "the query returned 6 rows"));
    EXPECT_FALSE(db.select(col(&hero::name), ender::over(ender::rank(), by_age))
                     .from<hero>()
                     .where(col(&hero::age) > 100)
                     .exists());
    // A read shape with a window function: the same five.
    auto shape = db.select<ranked_hero>().where(ender::is_not_null(col(&hero::team_id)));
    EXPECT_EQ(shape.count(), 6);
    EXPECT_TRUE(shape.exists());
    EXPECT_EQ(shape.order_by(ender::asc(col(&hero::age))).first()->name, "Spider-Boy");
    EXPECT_EQ(db.select<ranked_hero>().where(col(&hero::name) == "Hulk").one().place, 1);
    EXPECT_NE(shape.explain().find("WindowAgg"), std::string::npos);
}

}  // namespace

}  // namespace heroes
