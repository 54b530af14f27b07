// subquery.hpp: IN / NOT IN (subquery), scalar subqueries in select lists and conditions, and
// correlated EXISTS — each compared with the same query written in SQL, each one statement.
#include "hero_fixture.hpp"
#include "shape_models.hpp"

namespace heroes {

namespace {

using ender::col;

class subqueries : public hero_database {
protected:
    void SetUp() override {
        hero_database::SetUp();
        auto a = add_team("Avengers", "NYC"), b = add_team("Preventers", "LA");
        add_team("Empty", std::nullopt);
        add("Deadpond", 30, a);
        add("Spider-Boy", 16, a);
        add("Rusty-Man", 48, b);
        add("Tarantula", 32, b);
        add("Black Lion", std::nullopt, std::nullopt);
    }
    std::vector<std::string> team_names(const ender::expr<bool>& condition) {
        std::vector<std::string> out;
        for (const auto& t : db.select<team>().where(condition).order_by(col(&team::name)).all())
            out.push_back(t.name);
        return out;
    }
    std::vector<std::string> reference(const std::string& sql) {
        std::vector<std::string> out;
        for (const auto& [name] : db.query<std::tuple<std::string>>(sql)) out.push_back(name);
        return out;
    }
};

TEST_F(subqueries, in_and_not_in_a_subquery) {
    auto elders = ender::subquery(col(&hero::team_id)).from<hero>().where(col(&hero::age) > 40);
    auto before = db.counts();
    auto with_elders = team_names(ender::in(col(&team::id), elders));
    EXPECT_EQ((db.counts() - before).statements, 1u);
    EXPECT_EQ(with_elders, reference("SELECT name FROM team WHERE id IN (SELECT team_id FROM hero "
                                     "WHERE age > 40) ORDER BY name"));
    EXPECT_EQ(with_elders, (std::vector<std::string>{"Preventers"}));

    auto staffed = ender::subquery(col(&hero::team_id))
                       .from<hero>()
                       .where(ender::is_not_null(col(&hero::team_id)));
    auto empty = team_names(ender::not_in(col(&team::id), staffed));
    EXPECT_EQ(empty, reference("SELECT name FROM team WHERE id NOT IN (SELECT team_id FROM hero "
                               "WHERE team_id IS NOT NULL) ORDER BY name"));
    EXPECT_EQ(empty, (std::vector<std::string>{"Empty"}));
    // The subquery's values are bound parameters, numbered after the outer query's.
    auto q =
        db.select<team>()
            .where(col(&team::name) != "x")
            .where(ender::in(
                col(&team::id),
                ender::subquery(col(&hero::team_id)).from<hero>().where(col(&hero::age) > 40)));
    EXPECT_NE(q.sql().find("(team.name <> $1) AND (team.id IN (SELECT hero.team_id FROM "
                           "public.hero AS hero WHERE (hero.age > $2)))"),
              std::string::npos)
        << q.sql();
    EXPECT_EQ(q.count(), 1);
}

TEST_F(subqueries, scalar_subqueries_in_select_lists_and_conditions) {
    // Each team with its number of heroes: a correlated scalar subquery in the select list.
    auto heroes_of =
        ender::subquery(ender::count()).from<hero>().where(col(&hero::team_id) == col(&team::id));
    auto rows = db.select(col(&team::name), ender::scalar(heroes_of))
                    .from<team>()
                    .order_by(ender::asc(col(&team::name)))
                    .all();
    auto expected = db.query<std::tuple<std::string, std::optional<std::int64_t>>>(
        "SELECT t.name, (SELECT count(*) FROM hero h WHERE h.team_id = t.id) FROM team t "
        "ORDER BY t.name");
    EXPECT_EQ(rows, expected);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(std::get<1>(rows[1]), 0);  // Empty

    // Heroes older than the Avengers' oldest: a scalar subquery in a condition.
    auto oldest_avenger = ender::subquery(ender::max(col(&hero::age)))
                              .from<hero>()
                              .join<team>(col(&team::id) == col(&hero::team_id))
                              .where(col(&team::name) == "Avengers");
    auto older = db.select<hero>().where(col(&hero::age) > ender::scalar(oldest_avenger)).all();
    auto older_sql = db.query<std::tuple<std::string>>(
        "SELECT name FROM hero WHERE age > (SELECT max(h.age) FROM hero h JOIN team t ON t.id = "
        "h.team_id WHERE t.name = 'Avengers') ORDER BY name");
    ASSERT_EQ(older.size(), older_sql.size());
    ASSERT_EQ(older.size(), 2u);
    for (std::size_t i = 0; i < older.size(); ++i)
        EXPECT_EQ(older[i].name, std::get<0>(older_sql[i]));
    // No row: the scalar is NULL, and so is the comparison.
    auto nobody = ender::subquery(col(&hero::age)).from<hero>().where(col(&hero::age) > 1000);
    EXPECT_EQ(db.select<hero>().where(col(&hero::age) < ender::scalar(nobody)).count(), 0);
    EXPECT_EQ(std::get<0>(db.select(ender::scalar(nobody)).one()), std::nullopt);
}

TEST_F(subqueries, correlated_exists_of_every_kind_of_select) {
    auto teens = ender::subquery(col(&hero::id))
                     .from<hero>()
                     .where(col(&hero::team_id) == col(&team::id) && col(&hero::age) < 18);
    auto expected = reference(
        "SELECT name FROM team t WHERE EXISTS (SELECT h.id FROM hero h WHERE h.team_id = t.id "
        "AND h.age < 18) ORDER BY name");
    EXPECT_EQ(team_names(ender::exists(teens)), expected);
    // A read shape (ranked_hero reads hero alone: a shape joining team would name its own team).
    EXPECT_EQ(team_names(ender::exists(db.select<ranked_hero>().where(
                  col(&hero::team_id) == col(&team::id) && col(&hero::age) < 18))),
              expected);
    EXPECT_EQ(expected, (std::vector<std::string>{"Avengers"}));
    EXPECT_EQ(
        team_names(!ender::exists(db.select<hero>().where(col(&hero::team_id) == col(&team::id)))),
        (std::vector<std::string>{"Empty"}));
}

}  // namespace

}  // namespace heroes
