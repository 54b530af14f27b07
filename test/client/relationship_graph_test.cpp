// relationship.hpp and load.hpp, continued: loads that share round trips (pipelines), unloaded
// relationships, self-referential trees, composite keys, insert_graph and many-to-many through
// composite keys. Needs the ender extension installed.
#include "relationship_fixture.hpp"

#include <stdexcept>

namespace rel {

namespace {

using ender::test::throws;

// "name:team|power=level,...|passport;..." of every hero, by plain SQL.
const char* heroes_reference =
    "SELECT string_agg(h.name || ':' || coalesce(t.name, '-') || '|' || coalesce((SELECT "
    "string_agg(p.name || '=' || hp.level, ',' ORDER BY p.id) FROM hero_power hp JOIN power p "
    "ON p.id = hp.power_id WHERE hp.hero_id = h.id), '') || '|' || coalesce(pp.number, '-'), ';' "
    "ORDER BY h.id) FROM hero h LEFT JOIN team t ON t.id = h.team_id LEFT JOIN passport pp ON "
    "pp.hero_id = h.id";

// A model with a relationship member its mapping forgot to declare.
struct squad {
    std::int64_t id{};
    ender::many<hero> heroes;
};
inline auto ender_model(ender::tag<squad>) {
    return ender::table<squad>("squad", ender::column("id", &squad::id, ender::primary_key()));
}

std::string heroes_of(const std::vector<hero>& heroes) {
    std::string out;
    for (const auto& h : heroes) {
        out += (out.empty() ? "" : ";") + h.name + ":" + (h.team ? h.team->name : "-") + "|";
        std::vector<std::pair<std::int64_t, std::string>> powers;
        for (std::size_t i = 0; i < h.powers.size(); ++i)
            powers.emplace_back(h.powers[i].id,
                                h.powers[i].name + "=" + std::to_string(h.powers.link(i).level));
        std::sort(powers.begin(), powers.end());
        for (std::size_t i = 0; i < powers.size(); ++i) out += (i ? "," : "") + powers[i].second;
        out += "|" + (h.passport ? h.passport->number : "-");
    }
    return out;
}

TEST_F(relationships, relationships_of_one_level_share_one_round_trip) {
    auto query = [&] {
        return db.select<hero>()
            .with(&hero::team)
            .with(&hero::powers)
            .with(&hero::passport)
            .order_by(ender::asc(&hero::id))
            .all();
    };
    query();  // the first time, the select is prepared in a round trip of its own
    auto before = db.counts();
    auto heroes = query();
    EXPECT_EQ(db.counts() - before, (ender::statement_counts{4, 2}));
    EXPECT_EQ(heroes_of(heroes), reference(heroes_reference));
    EXPECT_FALSE(heroes[3].team.has_value());  // a NULL key in the pipeline
    EXPECT_TRUE(heroes[3].powers.empty());
}

TEST_F(relationships, the_levels_of_several_paths_share_round_trips) {
    std::vector<std::uint32_t> trips;
    db.on_statement([&](const ender::statement_info& s) { trips.push_back(s.round_trips); });
    auto teams = db.select<team>()
                     .with(&team::heroes, &hero::powers)
                     .with(&team::heroes, &hero::passport)
                     .with(&team::heroes, &hero::team)
                     .order_by(ender::asc(&team::id))
                     .all();
    // teams and heroes (each prepared first), then powers, passports and teams in one pipeline
    // (prepared inside it): the hook's round trips add up to the session's.
    EXPECT_EQ(trips, (std::vector<std::uint32_t>{2, 2, 1, 0, 0}));
    EXPECT_EQ((db.counts() - before), (ender::statement_counts{5, 5}));
    EXPECT_EQ(names_of(teams), reference(teams_reference));
    EXPECT_EQ(teams[0].heroes[0].team->name, "Avengers");
    std::vector<hero> heroes;
    for (const auto& t : teams)
        for (const auto& h : t.heroes) heroes.push_back(h);
    std::sort(heroes.begin(), heroes.end(),
              [](const hero& a, const hero& b) { return a.id < b.id; });
    EXPECT_EQ(heroes_of(heroes),
              reference(std::string(heroes_reference) + " WHERE h.team_id IS NOT NULL"));
}

TEST_F(relationships, db_load_runs_several_paths_side_by_side) {
    auto heroes = db.select<hero>().order_by(ender::asc(&hero::id)).all();
    before = db.counts();
    db.load(heroes, ender::path(&hero::team, &team::heroes), ender::path(&hero::powers),
            ender::path(&hero::passport));
    // team, powers and passports in one round trip (prepared inside it), then team.heroes
    EXPECT_EQ(db.counts() - before, (ender::statement_counts{4, 3}));
    EXPECT_EQ(heroes_of(heroes), reference(heroes_reference));
    EXPECT_EQ(heroes[0].team->heroes.size(), 3u);
    before = db.counts();
    db.load(heroes, ender::path(&hero::team), ender::path(&hero::powers));
    EXPECT_EQ(db.counts() - before, (ender::statement_counts{0, 0}));  // loaded already
}

TEST_F(relationships, an_error_in_a_pipeline_keeps_its_sqlstate_and_the_connection) {
    auto heroes = db.select<hero>().all();
    db.execute("ALTER TABLE passport RENAME TO passport_gone");
    before = db.counts();
    EXPECT_TRUE(throws<ender::statement_error>(
        [&] { db.load(heroes, ender::path(&hero::powers), ender::path(&hero::passport)); }, "42P01",
        "relation \"public.passport\" does not exist"));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero_power"), 5);
    // What the failed round was loading is not loaded (never loaded and empty).
    EXPECT_FALSE(heroes[0].powers.loaded());
    EXPECT_FALSE(heroes[0].passport.loaded());
    // The statements after the failed one do not run; those before it ran; none is left
    // half-prepared in the cache.
    std::vector<ender::pipelined> three{
        {"SELECT 1::int", {}}, {"SELECT 1/0", {}}, {"SELECT 2::int", {}}};
    auto prepared = db.prepared_count();
    EXPECT_TRUE(
        throws<ender::data_error>([&] { db.run_pipeline(three); }, "22012", "division by zero"));
    EXPECT_EQ(db.prepared_count(), prepared + 2);  // SELECT 2 was never parsed
    EXPECT_EQ(db.scalar<int>("SELECT 2::int"), 2);
    // Inside a transaction, the error aborts it, as any error does; rolling back recovers.
    auto tx = db.begin();
    EXPECT_THROW(db.run_pipeline(three), ender::data_error);
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.scalar<int>("SELECT 1::int"); }, "25P02",
                                           "current transaction is aborted"));
    tx.rollback();
    auto results = db.run_pipeline(std::vector<ender::pipelined>{
        {"SELECT 1::int", {}}, {"SELECT $1::int + 1", {ender::detail::to_param(41)}}});
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[1].get<int>(0, 0), 42);
}

TEST_F(relationships, reading_an_unloaded_relationship_names_it_and_says_how_to_load_it) {
    auto teams = db.select<team>().all();
    EXPECT_EQ(statements(), 1u);
    EXPECT_FALSE(teams[0].heroes.loaded());
    EXPECT_TRUE(throws<ender::usage_error>([&] { (void)teams[0].heroes.size(); }, "55000",
                                           "relationship \"team.heroes\" is not loaded"));
    try {
        for (const auto& h : teams[0].heroes) (void)h;
        FAIL() << "iterating an unloaded relationship must throw";
    } catch (const ender::usage_error& e) {
        EXPECT_NE(e.hint().find("with(&T::member)"), std::string::npos);
    }
    auto heroes = db.select<hero>().all();
    EXPECT_TRUE(throws<ender::usage_error>([&] { (void)heroes[0].team->name; }, "55000",
                                           "relationship \"hero.team\" is not loaded"));
    EXPECT_EQ(statements(), 1u);  // and nothing was sent behind the back
}

TEST_F(relationships, load_onto_objects_in_hand_and_never_twice) {
    auto teams = db.select<team>().order_by(ender::asc(&team::id)).all();
    statements();
    db.load(teams, &team::heroes);
    EXPECT_EQ(statements(), 1u);
    EXPECT_EQ(names_of(teams), reference(teams_reference));
    statements();  // the reference query
    db.load(teams, &team::heroes);
    EXPECT_EQ(statements(), 0u);  // already loaded
    db.load(teams, &team::heroes, &hero::powers);
    EXPECT_EQ(statements(), 1u);
    auto one = *db.get<hero>(std::int64_t(2));
    statements();
    db.load(one, &hero::powers);
    EXPECT_EQ(statements(), 1u);
    EXPECT_EQ(one.powers.size(), 2u);
    teams[0].heroes.reset();
    EXPECT_FALSE(teams[0].heroes.loaded());
}

TEST_F(relationships, selectin_batches_large_key_sets) {
    auto teams = db.select<team>()
                     .with(ender::selectin(&team::heroes).batch(1))
                     .order_by(ender::asc(&team::id))
                     .all();
    EXPECT_EQ(statements(), 4u);  // teams, then one per key
    EXPECT_EQ(names_of(teams), reference(teams_reference));
}

TEST_F(relationships, batches_of_every_kind_attach_result_by_result) {
    // Each batch's result is attached as it arrives; parents shared across batches stay one
    // object, and each hero's powers come whole from one batch.
    auto heroes = db.select<hero>()
                      .with(ender::selectin(&hero::team).batch(1))
                      .with(ender::selectin(&hero::powers).batch(1))
                      .order_by(ender::asc(&hero::id))
                      .all();
    EXPECT_EQ(statements(), 1u + 2u + 5u);  // heroes; 2 team keys; 5 hero keys
    std::string got;
    for (const auto& h : heroes) {
        got += (got.empty() ? "" : ";") + h.name + ":" + (h.team ? h.team->name : "-") + ":";
        for (std::size_t i = 0; i < h.powers.size(); ++i) got += (i ? "," : "") + h.powers[i].name;
    }
    EXPECT_EQ(got, reference("SELECT string_agg(h.name || ':' || coalesce(t.name, '-') || ':' || "
                             "coalesce((SELECT string_agg(p.name, ',' ORDER BY p.name) FROM "
                             "hero_power hp JOIN power p ON p.id = hp.power_id WHERE hp.hero_id = "
                             "h.id), ''), ';' ORDER BY h.id) FROM hero h LEFT JOIN team t ON "
                             "t.id = h.team_id"));
    EXPECT_EQ(heroes[0].team.shared().get(), heroes[4].team.shared().get());
}

TEST_F(relationships, a_pipeline_hands_over_each_result_as_it_arrives) {
    std::vector<ender::pipelined> three{
        {"SELECT 1::int", {}}, {"SELECT 2::int", {}}, {"SELECT 3::int", {}}};
    std::vector<std::pair<std::size_t, int>> got;
    db.run_pipeline(three, [&](std::size_t i, const ender::result& r) {
        got.emplace_back(i, r.get<int>(0, 0));
    });
    EXPECT_EQ(got, (std::vector<std::pair<std::size_t, int>>{{0, 1}, {1, 2}, {2, 3}}));
    // What the callback throws comes out once every result is read; it is not called again,
    // and the connection stays usable.
    got.clear();
    EXPECT_THROW(db.run_pipeline(three,
                                 [&](std::size_t i, const ender::result& r) {
                                     got.emplace_back(i, r.get<int>(0, 0));
                                     throw std::runtime_error("stop");
                                 }),
                 std::runtime_error);
    EXPECT_EQ(got.size(), 1u);
    EXPECT_EQ(db.scalar<int>("SELECT 4::int"), 4);
}

TEST_F(relationships, self_referential_both_ways) {
    auto people = db.select<employee>()
                      .with(&employee::manager)
                      .with(&employee::reports)
                      .order_by(ender::asc(&employee::id))
                      .all();
    EXPECT_EQ(statements(), 3u);
    EXPECT_FALSE(people[0].manager.has_value());
    EXPECT_EQ(people[1].manager->name, "ceo");
    EXPECT_EQ(people[0].reports.size(), 2u);  // cto, cfo
    EXPECT_EQ(people[3].reports.size(), 0u);
    auto chain = db.select<employee>()
                     .where(ender::col(&employee::id) == std::int64_t(4))
                     .with(&employee::manager, &employee::manager, &employee::manager)
                     .all();
    EXPECT_EQ(statements(), 4u);
    EXPECT_EQ(chain[0].manager->manager->manager->name, "ceo");
}

TEST_F(relationships, a_tree_to_a_given_depth_is_one_statement_per_level) {
    auto roots = db.select<category>()
                     .where(ender::is_null(ender::col(&category::parent_id)))
                     .with(ender::depth(&category::children, 3))
                     .all();
    EXPECT_EQ(statements(), 4u);
    ASSERT_EQ(roots.size(), 1u);
    const auto& a = roots[0].children[0].name == "a" ? roots[0].children[0] : roots[0].children[1];
    EXPECT_EQ(a.children[0].name, "a1");
    EXPECT_EQ(a.children[0].children[0].name, "a1x");
    EXPECT_FALSE(a.children[0].children[0].children.loaded());  // below the depth asked for
}

TEST_F(relationships, a_tree_to_any_depth_is_one_recursive_statement) {
    std::string sql;
    db.on_statement([&](const ender::statement_info& s) { sql = s.sql; });
    auto roots = db.select<category>()
                     .where(ender::is_null(ender::col(&category::parent_id)))
                     .with(ender::tree(&category::children))
                     .all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_NE(sql.find("WITH RECURSIVE"), std::string::npos) << sql;
    ASSERT_EQ(roots.size(), 1u);
    std::function<std::string(const category&)> show = [&](const category& c) {
        std::vector<std::string> parts;
        for (const auto& child : c.children) parts.push_back(show(child));
        std::sort(parts.begin(), parts.end());
        std::string out = c.name;
        if (!parts.empty()) {
            out += "(";
            for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
            out += ")";
        }
        return out;
    };
    EXPECT_EQ(show(roots[0]), "root(a(a1(a1x(a1xy))) b)");
    // A cycle in the data ends the descent instead of looping.
    db.execute(
        "INSERT INTO category VALUES (7, 'x', NULL), (8, 'y', 7); "
        "UPDATE category SET parent_id = 8 WHERE id = 7");
    auto x = *db.get<category>(std::int64_t(7));
    statements();
    db.load(x, ender::tree(&category::children));
    EXPECT_EQ(statements(), 1u);
    EXPECT_EQ(x.children[0].name, "y");
}

TEST_F(relationships, composite_foreign_keys_both_ways) {
    auto regions =
        db.select<region>().with(&region::cities).order_by(ender::asc(&region::name)).all();
    EXPECT_EQ(statements(), 2u);
    ASSERT_EQ(regions.size(), 3u);
    EXPECT_EQ(regions[0].name, "Bretagne");
    EXPECT_EQ(regions[0].cities.size(), 2u);
    EXPECT_EQ(regions[1].cities.size(), 1u);  // Ile-de-France: Paris, not the German idf
    EXPECT_EQ(regions[2].cities.size(), 0u);
    auto cities = db.select<city>().with(&city::region).order_by(ender::asc(&city::id)).all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(cities[0].region->name, "Ile-de-France");
    EXPECT_EQ(cities[1].region.shared().get(), cities[2].region.shared().get());
    EXPECT_FALSE(cities[3].region.has_value());
}

// "hero:powers:passport;..." of a team's heroes, by plain SQL.
std::string team_graph(const std::string& team) {
    return "SELECT string_agg(h.name || ':' || coalesce((SELECT string_agg(p.name, ',' ORDER BY "
           "p.name) FROM hero_power hp JOIN power p ON p.id = hp.power_id WHERE hp.hero_id = "
           "h.id), '') || ':' || coalesce(pp.number, '-'), ';' ORDER BY h.name) FROM hero h JOIN "
           "team t ON t.id = h.team_id LEFT JOIN passport pp ON pp.hero_id = h.id WHERE t.name = "
           "'" +
           team + "'";
}

TEST_F(relationships, insert_graph_inserts_new_children_level_by_level_in_one_transaction) {
    sequences_past_the_rows();
    auto deadpool = *db.get<hero>(std::int64_t(4));  // persistent: it has an id, no team
    auto flight = *db.get<power>(std::int64_t(1));
    team t{.name = "Defenders"};
    hero daredevil{.name = "Daredevil"};
    daredevil.powers = {power{.name = "radar"}, flight};
    hero jessica{.name = "Jessica Jones"};
    jessica.passport = std::make_shared<passport>(passport{.number = "P-9"});
    t.heroes = {daredevil, jessica, hero{.name = "Luke Cage"}, deadpool};
    std::vector<std::string> seen;
    db.on_statement([&](const ender::statement_info& s) { seen.emplace_back(s.sql); });
    statements();
    db.insert_graph(t);
    // BEGIN; the team (RETURNING); the new heroes' ids and their COPY; Deadpool's team_id (one
    // UPDATE); the new power's id and COPY; the link rows; the passport's id and COPY; COMMIT.
    EXPECT_EQ(statements(), 11u);
    EXPECT_EQ(seen.front(), "BEGIN");
    EXPECT_EQ(seen.back(), "COMMIT");
    EXPECT_EQ(t.id, 4);
    for (const auto& h : t.heroes) {
        EXPECT_EQ(h.team_id, t.id);
        EXPECT_GT(h.id, 0);
    }
    EXPECT_EQ(t.heroes[3].id, 4);  // Deadpool kept his row
    EXPECT_EQ(t.heroes[1].passport->hero_id, t.heroes[1].id);
    EXPECT_EQ(reference(team_graph("Defenders")),
              "Daredevil:flight,radar:-;Deadpool::-;Jessica Jones::P-9;Luke Cage::-");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM power"), 4);  // flight not copied
    statements();
    // Again: nothing is new; the persistent children are pointed at their owner again and the
    // existing link rows are left alone.
    db.insert_graph(t);
    EXPECT_EQ(statements(), 5u);  // BEGIN, UPDATE hero, link rows, UPDATE passport, COMMIT
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 8);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero_power"), 7);
    EXPECT_EQ(reference(team_graph("Defenders")),
              "Daredevil:flight,radar:-;Deadpool::-;Jessica Jones::P-9;Luke Cage::-");
}

TEST_F(relationships, insert_graph_statements_depend_on_levels_not_rows) {
    sequences_past_the_rows();
    std::vector<team> teams(3);
    for (std::size_t i = 0; i < teams.size(); ++i) {
        teams[i].name = "team " + std::to_string(i);
        std::vector<hero> heroes(i * 20);  // the first team has none
        for (std::size_t j = 0; j < heroes.size(); ++j)
            heroes[j].name = "hero " + std::to_string(i) + "." + std::to_string(j);
        teams[i].heroes = heroes;
    }
    statements();
    db.insert_graph(teams);
    EXPECT_EQ(statements(), 6u);  // BEGIN, teams' ids + COPY, heroes' ids + COPY, COMMIT
    EXPECT_EQ(db.scalar<std::string>(
                  "SELECT string_agg(t.name || '=' || (SELECT count(*) FROM hero h WHERE "
                  "h.team_id = t.id), ',' ORDER BY t.id) FROM team t WHERE t.id > 3"),
              "team 0=0,team 1=20,team 2=40");
    EXPECT_EQ(teams[2].heroes[39].team_id, teams[2].id);
}

TEST_F(relationships, a_failed_insert_graph_writes_nothing) {
    sequences_past_the_rows();
    team t{.name = "Avengers"};  // the name is unique: the team's INSERT fails
    t.heroes = {hero{.name = "Ant-Man"}};
    EXPECT_TRUE(throws<ender::unique_violation>([&] { db.insert_graph(t); }, "23505",
                                                "duplicate key value violates unique constraint"));
    EXPECT_FALSE(db.in_transaction());
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 5);
    // A child that fails: the team is rolled back with it.
    team u{.name = "Inhumans"};
    u.heroes = {hero{.name = "Black Bolt"}};
    u.heroes[0].passport = std::make_shared<passport>(passport{.number = "P-1"});
    db.execute("CREATE UNIQUE INDEX ON passport (number)");
    EXPECT_THROW(db.insert_graph(u), ender::unique_violation);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM team WHERE name = 'Inhumans'"), 0);
    // Inside the caller's transaction, it is part of it.
    auto tx = db.begin();
    team v{.name = "Thunderbolts"};
    db.insert_graph(v);
    tx.rollback();
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM team WHERE name = 'Thunderbolts'"), 0);
}

TEST_F(relationships, many_to_many_through_composite_keys_on_both_sides) {
    db.execute(
        "INSERT INTO border VALUES ('fr', 'idf', 'fr', 'bre'), ('fr', 'bre', 'fr', 'idf'), "
        "('fr', 'idf', 'de', 'idf')");
    statements();
    std::vector<std::string> seen;
    db.on_statement([&](const ender::statement_info& s) { seen.emplace_back(s.sql); });
    auto regions = db.select<region>()
                       .with(&region::neighbours, &region::cities)
                       .order_by(ender::asc(&region::name))
                       .all();
    EXPECT_EQ(statements(), 3u);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_NE(seen[1].find("(border.country, border.code) IN (SELECT * FROM unnest($1::text[], "
                           "$2::text[]))"),
              std::string::npos)
        << seen[1];
    std::string got;
    for (const auto& r : regions) {
        std::vector<std::string> names;
        for (const auto& n : r.neighbours)
            names.push_back(n.name + "(" + std::to_string(n.cities.size()) + ")");
        std::sort(names.begin(), names.end());
        got += (got.empty() ? "" : ";") + r.name + ":";
        for (std::size_t i = 0; i < names.size(); ++i) got += (i ? "," : "") + names[i];
    }
    EXPECT_EQ(got,
              reference("SELECT string_agg(r.name || ':' || coalesce((SELECT string_agg(n.name || "
                        "'(' || (SELECT count(*) FROM city c WHERE (c.country, c.region_code) = "
                        "(n.country, n.code)) || ')', ',' ORDER BY n.name) FROM border b JOIN "
                        "region n ON (n.country, n.code) = (b.other_country, b.other_code) WHERE "
                        "(b.country, b.code) = (r.country, r.code)), ''), ';' ORDER BY r.name) "
                        "FROM region r"));
    EXPECT_EQ(got, "Bretagne:Ile-de-France(1);Ile-de-France:Bretagne(2),Nowhere(0);Nowhere:");
    // insert_graph: a new region linked to existing ones; regions have natural keys, so the
    // existing ones are left as they are and only the border rows are new.
    region normandie{.country = "fr", .code = "nor", .name = "Normandie"};
    normandie.neighbours = {region{.country = "fr", .code = "bre", .name = "Bretagne"},
                            region{.country = "fr", .code = "idf", .name = "renamed?"}};
    statements();
    db.insert_graph(normandie);
    // BEGIN, the region, the neighbours (INSERT ... ON CONFLICT DO NOTHING), the border rows,
    // COMMIT
    EXPECT_EQ(statements(), 5u);
    EXPECT_EQ(db.scalar<std::string>("SELECT name FROM region WHERE code = 'idf' AND country = "
                                     "'fr'"),
              "Ile-de-France");
    EXPECT_EQ(db.scalar<std::string>("SELECT string_agg(other_code, ',' ORDER BY other_code) FROM "
                                     "border WHERE code = 'nor'"),
              "bre,idf");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM region"), 4);
}

TEST_F(relationships, a_member_the_mapping_does_not_declare_is_reported) {
    std::vector<squad> squads(1);
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.load(squads, &squad::heroes); }, "42P17",
                                           "the member is not a declared relationship of table "
                                           "\"squad\""));
}

}  // namespace

}  // namespace rel
