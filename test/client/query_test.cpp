// query.hpp: the typed builder (comparisons, boolean operators, in, like/ilike, is_null, order,
// paging, joins, group by with aggregates, exists), raw rows into models, explain, and values
// that stay values whatever they contain.
#include "hero_fixture.hpp"

// The tests live in the models' namespace rather than `using namespace`: the suite is built as
// unity sources, where a using-directive would reach the other files.
namespace heroes {

namespace {

using ender::col;
using ender::test::throws;

class query : public hero_database {
protected:
    void SetUp() override {
        hero_database::SetUp();
        avengers = add_team("Avengers", "NYC");
        preventers = add_team("Preventers", std::nullopt);
        add_team("Empty", std::nullopt);
        add("Deadpond", "Dive Wilson", 30, avengers, power::fire);
        add("Spider-Boy", "Pedro Parqueador", 16, avengers, power::wind);
        add("Rusty-Man", "Tommy Sharp", 48, preventers, std::nullopt);
        add("Tarantula", "Natalia Roman-on", 32, preventers, power::ice);
        add("Black Lion", "Trevor Challa", std::nullopt, std::nullopt, std::nullopt);
    }
    void add(std::string name, std::string secret, std::optional<int> age,
             std::optional<std::int64_t> team, std::optional<power> p) {
        hero h{.name = std::move(name),
               .secret_name = std::move(secret),
               .age = age,
               .team_id = team,
               .power_kind = p};
        db.insert(h);
    }
    static std::vector<std::string> names(const std::vector<hero>& hs) {
        std::vector<std::string> out;
        for (const auto& h : hs) out.push_back(h.name);
        return out;
    }
    std::int64_t avengers = 0, preventers = 0;
};

TEST_F(query, comparisons_and_boolean_operators) {
    auto adults = db.select<hero>()
                      .where(col(&hero::age) >= 18 && ender::like(col(&hero::name), "%-%"))
                      .order_by(ender::desc(&hero::age))
                      .all();
    EXPECT_EQ(names(adults), (std::vector<std::string>{"Rusty-Man"}));
    auto either = db.select<hero>()
                      .where(col(&hero::age) < 20 || col(&hero::age) > 40)
                      .order_by(col(&hero::name))
                      .all();
    EXPECT_EQ(names(either), (std::vector<std::string>{"Rusty-Man", "Spider-Boy"}));
    auto not_fire = db.select<hero>()
                        .where(!(col(&hero::power_kind) == power::fire))
                        .order_by(ender::asc(&hero::name))
                        .all();
    EXPECT_EQ(names(not_fire), (std::vector<std::string>{"Spider-Boy", "Tarantula"}));
    EXPECT_EQ(db.select<hero>().where(col(&hero::age) != 30).count(), 3);
    EXPECT_EQ(db.select<hero>().where(col(&hero::id) == col(&hero::id)).count(), 5);
}

TEST_F(query, in_like_ilike_and_null_tests) {
    EXPECT_EQ(db.select<hero>().where(ender::in(col(&hero::age), {16, 48})).count(), 2);
    EXPECT_EQ(db.select<hero>().where(ender::in(col(&hero::age), std::vector<int>{})).count(), 0);
    EXPECT_EQ(
        db.select<hero>()
            .where(ender::in(col(&hero::power_kind), std::vector<power>{power::ice, power::wind}))
            .count(),
        2);
    EXPECT_EQ(db.select<hero>().where(ender::ilike(col(&hero::name), "%MAN")).count(), 1);
    EXPECT_EQ(db.select<hero>().where(ender::like(col(&hero::name), "%MAN")).count(), 0);
    EXPECT_EQ(db.select<hero>().where(ender::is_null(col(&hero::team_id))).first()->name,
              "Black Lion");
    EXPECT_EQ(db.select<hero>().where(ender::is_not_null(col(&hero::age))).count(), 4);
}

TEST_F(query, order_limit_offset_and_first) {
    auto page = db.select<hero>().order_by(col(&hero::name)).limit(2).offset(1).all();
    EXPECT_EQ(names(page), (std::vector<std::string>{"Deadpond", "Rusty-Man"}));
    EXPECT_EQ(db.select<hero>().order_by(ender::desc(&hero::name)).first()->name, "Tarantula");
    EXPECT_FALSE(db.select<hero>().where(col(&hero::age) > 1000).first());
}

TEST_F(query, joins_to_other_models) {
    auto in_nyc = db.select<hero>()
                      .join<team>(col(&team::id) == col(&hero::team_id))
                      .where(col(&team::headquarters) == "NYC")
                      .order_by(col(&hero::name))
                      .all();
    EXPECT_EQ(names(in_nyc), (std::vector<std::string>{"Deadpond", "Spider-Boy"}));
    auto no_team = db.select<hero>()
                       .left_join<team>(col(&team::id) == col(&hero::team_id))
                       .where(ender::is_null(col(&team::id)))
                       .all();
    EXPECT_EQ(names(no_team), (std::vector<std::string>{"Black Lion"}));
}

TEST_F(query, group_by_with_aggregates) {
    auto rows = db.select(col(&team::name), ender::count(col(&hero::id)),
                          ender::avg(col(&hero::age)), ender::max(col(&hero::age)))
                    .from<team>()
                    .left_join<hero>(col(&hero::team_id) == col(&team::id))
                    .group_by(col(&team::name))
                    .order_by(ender::asc(col(&team::name)))
                    .all();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(std::get<0>(rows[0]), "Avengers");
    EXPECT_EQ(std::get<1>(rows[0]), 2);
    EXPECT_EQ(std::get<2>(rows[0])->str(), "23.0000000000000000");
    EXPECT_EQ(std::get<3>(rows[0]), 30);
    EXPECT_EQ(std::get<1>(rows[1]), 0);  // Empty: no heroes
    EXPECT_EQ(std::get<3>(rows[1]), std::nullopt);
    // HAVING keeps the groups its condition holds for: the same as the statement in SQL.
    auto having = [&](std::int64_t at_least) {
        return db.select(col(&team::name), ender::count(col(&hero::id)))
            .from<team>()
            .left_join<hero>(col(&hero::team_id) == col(&team::id))
            .group_by(col(&team::name))
            .having(ender::count(col(&hero::id)) >= at_least)
            .order_by(ender::asc(col(&team::name)))
            .all();
    };
    auto reference = [&](std::int64_t at_least) {
        return db.query<std::tuple<std::string, std::int64_t>>(
            "SELECT t.name, count(h.id) FROM team t LEFT JOIN hero h ON h.team_id = t.id "
            "GROUP BY t.name HAVING count(h.id) >= $1 ORDER BY t.name",
            at_least);
    };
    for (std::int64_t at_least : {0, 1, 2, 3}) EXPECT_EQ(having(at_least), reference(at_least));
    EXPECT_EQ(having(1).size(), 2u);
    EXPECT_EQ(having(2), (std::vector<std::tuple<std::string, std::int64_t>>{{"Avengers", 2},
                                                                             {"Preventers", 2}}));
    EXPECT_TRUE(having(3).empty());
    auto total =
        db.select(ender::sum(col(&hero::age)), ender::min(col(&hero::name))).from<hero>().all();
    EXPECT_EQ(std::get<0>(total.at(0)), 126);
    EXPECT_EQ(std::get<1>(total.at(0)), "Black Lion");
}

TEST_F(query, exists_subqueries) {
    auto with_heroes = db.select<team>()
                           .where(ender::exists(db.select<hero>().where(
                               col(&hero::team_id) == col(&team::id) && col(&hero::age) > 40)))
                           .all();
    ASSERT_EQ(with_heroes.size(), 1u);
    EXPECT_EQ(with_heroes[0].name, "Preventers");
    EXPECT_EQ(
        db.select<team>()
            .where(!ender::exists(db.select<hero>().where(col(&hero::team_id) == col(&team::id))))
            .first()
            ->name,
        "Empty");
}

TEST_F(query, raw_sql_into_models_and_tuples) {
    auto rows = db.query<hero>(
        "WITH ranked AS (SELECT h.*, rank() OVER (PARTITION BY team_id ORDER BY age DESC) AS r "
        "FROM hero h) SELECT id, name, secret_name, age FROM ranked WHERE r = $1 AND age IS NOT "
        "NULL "
        "ORDER BY name",
        1);
    EXPECT_EQ(names(rows), (std::vector<std::string>{"Deadpond", "Rusty-Man"}));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.query<hero>("SELECT 1 AS nope"); }, "42703",
        "column \"nope\" of the result is not a column of table \"hero\""));
}

TEST_F(query, values_never_become_sql) {
    std::string evil = "x') OR 1=1; DROP TABLE hero; --";
    EXPECT_EQ(db.select<hero>().where(col(&hero::name) == evil).count(), 0);
    EXPECT_EQ(db.select<hero>().where(ender::like(col(&hero::name), evil)).count(), 0);
    EXPECT_EQ(db.select<hero>()
                  .where(ender::in(col(&hero::name), {evil, std::string("Deadpond")}))
                  .count(),
              1);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 5);
    auto q = db.select<hero>().where(col(&hero::name) == evil);
    EXPECT_EQ(q.sql().find(evil), std::string::npos);
}

TEST_F(query, statements_are_bound_and_cached) {
    auto q = db.select<hero>().where(col(&hero::age) > 20).limit(3);
    EXPECT_EQ(q.sql(),
              "SELECT hero.id, hero.name, hero.secret_name, hero.age, hero.team_id, hero.power, "
              "hero.tags, hero.profile, hero.salary, hero.created_at, hero.updated_at, "
              "hero.deleted_at FROM public.hero AS hero WHERE hero.deleted_at IS NULL AND "
              "(hero.age > $1) LIMIT $2");
    q.all();
    auto before = db.statement_count();
    auto prepared = db.prepared_count();
    db.select<hero>().where(col(&hero::age) > 40).limit(3).all();
    EXPECT_EQ(db.statement_count() - before, 1u);  // no new PREPARE
    EXPECT_EQ(db.prepared_count(), prepared);
}

TEST_F(query, explain_returns_the_plan) {
    auto q = db.select<hero>().where(col(&hero::name) == "Deadpond");
    auto plan = db.explain(q);
    EXPECT_NE(plan.find("Scan"), std::string::npos) << plan;
    auto analyzed = db.explain(q, true);
    EXPECT_NE(analyzed.find("actual time"), std::string::npos) << analyzed;
}

TEST_F(query, unbound_queries_cannot_run) {
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::select_query<hero>().all(); }, "55000",
                                           "the query is not bound to a session"));
}

}  // namespace

}  // namespace heroes
