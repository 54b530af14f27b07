// shape.hpp: read shapes selected with the model builder (columns, a join, aggregates), and
// first(), one(), count(), exists(), explain() on every kind of query — each compared with the
// same query written in SQL.
#include "hero_fixture.hpp"
#include "shape_models.hpp"

namespace heroes {

namespace {

using ender::col;
using ender::test::throws;

class shapes : public hero_database {
protected:
    void SetUp() override {
        hero_database::SetUp();
        auto a = add_team("Avengers", "NYC"), b = add_team("Preventers", std::nullopt);
        add_team("Empty", std::nullopt);
        add("Deadpond", 30, a);
        add("Spider-Boy", 16, a);
        add("Captain", 30, a);
        add("Rusty-Man", 48, b);
        add("Tarantula", 32, b);
        add("Black Lion", std::nullopt, std::nullopt);
    }
};

using hero_row =
    std::tuple<std::int64_t, std::string, std::optional<int>, std::optional<std::string>>;
std::vector<hero_row> rows_of(const std::vector<hero_read>& hs) {
    std::vector<hero_row> out;
    for (const auto& h : hs) out.emplace_back(h.id, h.name, h.age, h.team);
    return out;
}

TEST_F(shapes, a_read_shape_selects_its_fields_with_the_model_builder) {
    auto before = db.counts();
    auto adults = db.select<hero_read>()
                      .where(col(&hero::age) >= 18)
                      .order_by(ender::desc(&hero::age))
                      .order_by(col(&hero::name))
                      .limit(3)
                      .all();
    EXPECT_EQ((db.counts() - before).statements, 1u);
    auto reference = db.query<hero_row>(
        "SELECT h.id, h.name, h.age, t.name FROM hero h LEFT JOIN team t ON t.id = h.team_id "
        "WHERE h.age >= $1 AND h.deleted_at IS NULL ORDER BY h.age DESC, h.name LIMIT 3",
        18);
    ASSERT_EQ(reference.size(), 3u);
    EXPECT_EQ(rows_of(adults), reference);
    EXPECT_EQ(adults[0].name, "Rusty-Man");
    EXPECT_EQ(adults[0].team, "Preventers");
    // The shape reads only its own columns, under their own names.
    EXPECT_EQ(db.select<hero_read>().sql(),
              "SELECT hero.id AS id, hero.name AS name, hero.age AS age, team.name AS team FROM "
              "public.hero AS hero LEFT JOIN public.team AS team ON (team.id = hero.team_id) "
              "WHERE hero.deleted_at IS NULL");
}

TEST_F(shapes, a_read_shape_skips_soft_deleted_rows_like_its_model) {
    auto h = db.select<hero>().where(col(&hero::name) == "Captain").one();
    db.remove(h);
    EXPECT_EQ(db.select<hero_read>().count(), 5);
    EXPECT_FALSE(db.select<hero_read>().where(col(&hero::name) == "Captain").exists());
}

TEST_F(shapes, projection_of_a_join_and_aggregates_with_having) {
    auto stats = db.select<team_stats>()
                     .having(ender::count(col(&hero::id)) >= 2)
                     .order_by(col(&team::name))
                     .all();
    auto reference = db.query<std::tuple<std::string, std::int64_t, std::optional<int>>>(
        "SELECT t.name, count(h.id), max(h.age) FROM team t LEFT JOIN hero h ON h.team_id = t.id "
        "GROUP BY t.name HAVING count(h.id) >= $1 ORDER BY t.name",
        std::int64_t{2});
    ASSERT_EQ(stats.size(), reference.size());
    ASSERT_EQ(stats.size(), 2u);
    for (std::size_t i = 0; i < stats.size(); ++i) {
        EXPECT_EQ(stats[i].name, std::get<0>(reference[i]));
        EXPECT_EQ(stats[i].heroes, std::get<1>(reference[i]));
        EXPECT_EQ(stats[i].oldest, std::get<2>(reference[i]));
    }
    EXPECT_EQ(stats[0].name, "Avengers");
    EXPECT_EQ(stats[0].heroes, 3);
    EXPECT_EQ(stats[1].oldest, 48);
    // count() counts the groups, those without a hero too.
    EXPECT_EQ(db.select<team_stats>().count(), 3);
    EXPECT_EQ(db.select<team_stats>().having(ender::count(col(&hero::id)) == 0).one().name,
              "Empty");
}

TEST_F(shapes, one_returns_the_only_row_and_names_the_count_otherwise) {
    auto before = db.counts();
    EXPECT_EQ(db.select<hero>().where(col(&hero::name) == "Deadpond").one().age, 30);
    EXPECT_EQ(db.select<hero_read>().where(col(&hero::name) == "Deadpond").one().team, "Avengers");
    EXPECT_EQ(std::get<0>(db.select(col(&team::name))
                              .from<team>()
                              .where(col(&team::headquarters) == "NYC")
                              .one()),
              "Avengers");
    EXPECT_EQ((db.counts() - before).statements, 3u);  // one statement each

    EXPECT_TRUE(throws<ender::error>([&] { db.select<hero>().where(col(&hero::age) > 100).one(); },
                                     "P0002", "the query returned no row"));
    EXPECT_TRUE(throws<ender::error>(
        [&] { db.select<hero_read>().where(col(&team::name) == "Avengers").one(); }, "P0003",
        "the query returned 3 rows"));
    EXPECT_TRUE(throws<ender::error>([&] { db.select(col(&team::name)).from<team>().one(); },
                                     "P0003", "the query returned 3 rows"));
    EXPECT_TRUE(
        throws<ender::error>([&] { db.select<hero>().where(col(&hero::age) >= 30).limit(2).one(); },
                             "P0003", "the query returned 2 rows"));
}

TEST_F(shapes, first_count_exists_and_explain_on_every_kind_of_query) {
    auto model = db.select<hero>().where(col(&hero::age) > 20);
    auto shape = db.select<hero_read>().where(col(&hero::age) > 20);
    auto tuple =
        db.select(col(&hero::name), col(&hero::age)).from<hero>().where(col(&hero::age) > 20);
    auto reference =
        db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE age > 20 AND deleted_at IS NULL");
    EXPECT_EQ(reference, 4);
    EXPECT_EQ(model.count(), reference);
    EXPECT_EQ(shape.count(), reference);
    EXPECT_EQ(tuple.count(), reference);
    EXPECT_TRUE(model.exists());
    EXPECT_TRUE(shape.exists());
    EXPECT_TRUE(tuple.exists());
    EXPECT_FALSE(db.select<hero_read>().where(col(&hero::age) > 100).exists());
    EXPECT_FALSE(db.select(col(&hero::name)).from<hero>().where(col(&hero::age) > 100).exists());
    EXPECT_EQ(shape.order_by(ender::desc(&hero::age)).first()->name, "Rusty-Man");
    EXPECT_EQ(std::get<0>(*tuple.order_by(ender::asc(&hero::age)).first()), "Deadpond");
    EXPECT_FALSE(db.select(col(&hero::name)).from<hero>().where(col(&hero::age) > 100).first());
    for (const auto& plan : {model.explain(), shape.explain(), tuple.explain()})
        EXPECT_NE(plan.find("Scan"), std::string::npos) << plan;
    EXPECT_NE(tuple.explain(true).find("actual time"), std::string::npos);
    // A join with aggregates into a named struct: the same five, its groups counted.
    auto stats = db.select<team_stats>().having(ender::count(col(&hero::id)) >= 2);
    auto groups = db.scalar<std::int64_t>(
        "SELECT count(*) FROM (SELECT t.name FROM team t LEFT JOIN hero h ON h.team_id = t.id "
        "GROUP BY t.name HAVING count(h.id) >= 2) g");
    EXPECT_EQ(groups, 2);
    EXPECT_EQ(stats.count(), groups);
    EXPECT_TRUE(stats.exists());
    EXPECT_FALSE(db.select<team_stats>().having(ender::count(col(&hero::id)) > 3).exists());
    auto biggest =
        db.select<team_stats>().order_by(ender::desc(ender::count(col(&hero::id)))).first();
    ASSERT_TRUE(biggest);
    EXPECT_EQ(biggest->name, "Avengers");
    EXPECT_EQ(biggest->heroes, 3);
    EXPECT_NE(stats.explain().find("Aggregate"), std::string::npos) << stats.explain();
}

TEST_F(shapes, unbound_selects_cannot_run) {
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::shape_query<hero_read>().all(); }, "55000",
                                           "the query is not bound to a session"));
    EXPECT_TRUE(
        throws<ender::usage_error>([] { ender::subquery(col(&hero::name)).from<hero>().exists(); },
                                   "55000", "the query is not bound to a session"));
}

}  // namespace

}  // namespace heroes
