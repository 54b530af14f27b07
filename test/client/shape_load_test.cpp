// shape_load.hpp: read shapes that load relationships of their model into read shapes of the
// related model (belongs_to, has_one, has_many, composite keys), one statement per
// relationship, each compared with the same data read in SQL; and the loads that make no sense.
#include "relationship_fixture.hpp"

namespace rel {

// A team as an endpoint shows it.
struct team_card {
    std::int64_t id{};
    std::string name;
};
inline auto ender_shape(ender::tag<team_card>) {
    return ender::shape<team_card, team>(ender::field(&team_card::id, &team::id),
                                         ender::field(&team_card::name, &team::name));
}
struct passport_card {
    std::string number;
};
inline auto ender_shape(ender::tag<passport_card>) {
    return ender::shape<passport_card, passport>(
        ender::field(&passport_card::number, &passport::number));
}
// A hero with its team (belongs_to) and passport (has_one), as shapes.
struct hero_card {
    std::int64_t id{};
    std::string name;
    ender::ref<team_card> team;
    ender::ref<passport_card> passport;
};
inline auto ender_shape(ender::tag<hero_card>) {
    return ender::shape<hero_card, hero>(ender::field(&hero_card::id, &hero::id),
                                         ender::field(&hero_card::name, &hero::name))
        .relationship(&hero_card::team, &hero::team)
        .relationship(&hero_card::passport, &hero::passport);
}
// A team with its heroes (has_many), as shapes.
struct roster {
    std::string name;
    ender::many<hero_card> heroes;
};
inline auto ender_shape(ender::tag<roster>) {
    return ender::shape<roster, team>(ender::field(&roster::name, &team::name))
        .relationship(&roster::heroes, &team::heroes);
}
// A team and its head count: grouped, so it has no object to load a relationship for.
struct team_size {
    std::string name;
    std::int64_t heroes{};
    ender::many<hero_card> members;
};
inline auto ender_shape(ender::tag<team_size>) {
    using ender::col;
    return ender::shape<team_size, team>(
               ender::field(&team_size::name, &team::name),
               ender::field("heroes", &team_size::heroes, ender::count(col(&hero::id))))
        .left_join<hero>(col(&hero::team_id) == col(&team::id))
        .group_by(col(&team::name))
        .relationship(&team_size::members, &team::heroes);
}
// Composite keys: a region's cities; a many-to-many (neighbours) is refused.
struct city_card {
    std::string name;
};
inline auto ender_shape(ender::tag<city_card>) {
    return ender::shape<city_card, city>(ender::field(&city_card::name, &city::name));
}
struct region_card {
    std::string name;
    ender::many<city_card> cities;
    ender::many<region_card> neighbours;
};
inline auto ender_shape(ender::tag<region_card>) {
    return ender::shape<region_card, region>(ender::field(&region_card::name, &region::name))
        .relationship(&region_card::cities, &region::cities)
        .relationship(&region_card::neighbours, &region::neighbours);
}

// A shape with a collection member its ender_shape does not bind.
struct unbound_region {
    std::string name;
    ender::many<city_card> cities;
};
inline auto ender_shape(ender::tag<unbound_region>) {
    return ender::shape<unbound_region, region>(ender::field(&unbound_region::name, &region::name));
}

namespace {

using ender::col;
using ender::test::throws;

TEST_F(relationships, a_read_shape_loads_its_models_parent_and_single_child_as_shapes) {
    auto start = db.counts();
    auto heroes = db.select<hero_card>()
                      .order_by(col(&hero::id))
                      .with(&hero_card::team)
                      .with(&hero_card::passport)
                      .all();
    EXPECT_EQ((db.counts() - start).statements, 3u);  // the heroes, their teams, their passports
    std::string seen;
    for (const auto& h : heroes) {
        ASSERT_TRUE(h.team.loaded());
        ASSERT_TRUE(h.passport.loaded());
        seen += h.name + ":" + (h.team.has_value() ? h.team->name : "-") + ":" +
                (h.passport.has_value() ? h.passport->number : "-") + ";";
    }
    EXPECT_EQ(seen, db.scalar<std::string>(
                        "SELECT string_agg(h.name || ':' || coalesce(t.name, '-') || ':' || "
                        "coalesce(p.number, '-') || ';', '' ORDER BY h.id) FROM hero h LEFT JOIN "
                        "team t ON t.id = h.team_id LEFT JOIN passport p ON p.hero_id = h.id"));
    // Iron Man and Thor share one team object; Deadpool has none.
    EXPECT_EQ(heroes[0].team.get(), heroes[1].team.get());
    EXPECT_EQ(heroes[0].team->id, 1);
    EXPECT_FALSE(heroes[3].team.has_value());
    // The select of the shape alone reads no key column and loads nothing.
    auto plain = db.select<hero_card>().order_by(col(&hero::id)).all();
    EXPECT_FALSE(plain[0].team.loaded());
}

TEST_F(relationships, a_read_shape_loads_its_models_children_as_shapes) {
    auto start = db.counts();
    auto teams = db.select<roster>().order_by(col(&team::id)).with(&roster::heroes).all();
    EXPECT_EQ((db.counts() - start).statements, 2u);
    ASSERT_EQ(teams.size(), 3u);
    std::string seen;
    for (const auto& t : teams) {
        std::vector<std::pair<std::int64_t, std::string>> names;
        for (const auto& h : t.heroes) names.emplace_back(h.id, h.name);
        std::sort(names.begin(), names.end());
        seen += t.name + ":";
        for (const auto& [id, name] : names) seen += name + ",";
        seen += ";";
    }
    EXPECT_EQ(seen,
              db.scalar<std::string>(
                  "SELECT string_agg(t.name || ':' || coalesce((SELECT string_agg(h.name || ',', "
                  "'' ORDER BY h.id) FROM hero h WHERE h.team_id = t.id), '') || ';', '' "
                  "ORDER BY t.id) FROM team t"));
    EXPECT_TRUE(teams[2].heroes.loaded());
    EXPECT_TRUE(teams[2].heroes.empty());
    EXPECT_FALSE(teams[0].heroes[0].team.loaded());  // a path is one level: not loaded below
    // first() and one() load it too.
    auto xmen = db.select<roster>().where(col(&team::name) == "X-Men").with(&roster::heroes).one();
    ASSERT_EQ(xmen.heroes.size(), 1u);
    EXPECT_EQ(xmen.heroes[0].name, "Storm");
}

TEST_F(relationships, a_read_shape_loads_children_through_a_composite_key) {
    auto start = db.counts();
    auto regions = db.select<region_card>()
                       .order_by(col(&region::country))
                       .order_by(col(&region::code))
                       .with(&region_card::cities)
                       .all();
    EXPECT_EQ((db.counts() - start).statements, 2u);
    std::string seen;
    for (const auto& r : regions) {
        std::vector<std::string> names;
        for (const auto& c : r.cities) names.push_back(c.name);
        std::sort(names.begin(), names.end());
        seen += r.name + ":";
        for (const auto& n : names) seen += n + ",";
        seen += ";";
    }
    EXPECT_EQ(seen, db.scalar<std::string>(
                        "SELECT string_agg(r.name || ':' || coalesce((SELECT string_agg(c.name || "
                        "',', '' ORDER BY c.name) FROM city c WHERE c.country = r.country AND "
                        "c.region_code = r.code), '') || ';', '' ORDER BY r.country, r.code) "
                        "FROM region r"));
}

TEST_F(relationships, read_shape_loads_that_make_no_sense_are_errors) {
    EXPECT_TRUE(
        throws<ender::usage_error>([&] { db.select<team_size>().with(&team_size::members).all(); },
                                   "0A000", "a grouped read shape cannot load relationships"));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.select<region_card>().with(&region_card::neighbours).all(); }, "0A000",
        "relationship \"region.neighbours\" cannot be loaded into a read shape"));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.select<unbound_region>().with(&unbound_region::cities); }, "42P17",
        "the member is not a declared relationship of the read shape"));
    ender::cte<hero_card> named("named");
    named.as(db.select<hero_card>());
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] {
            ender::with(db, named).select<hero_card>().from(named).with(&hero_card::team).all();
        },
        "0A000", "a read shape read from a common table expression cannot load relationships"));
}

}  // namespace

}  // namespace rel
