// relationship.hpp and load.hpp: relationships feed create_all and the snapshot (foreign keys,
// indexes, ender_diff empty); every loader runs exactly the statements it promises, for every
// kind of relationship, nested paths, empty and NULL keys; what it loads equals what plain SQL
// says. Needs the ender extension installed. (Pipelines, trees, graphs:
// relationship_graph_test.cpp.)
#include "relationship_fixture.hpp"

// The tests live in the models' namespace rather than `using namespace`: the suite is built as
// unity sources, where a using-directive would reach the other files.
namespace rel {

namespace {

using ender::test::throws;

TEST_F(relationships, declarations_create_foreign_keys_and_indexes_and_the_snapshot_converges) {
    db.execute("CREATE EXTENSION IF NOT EXISTS ender");
    auto models = all_models().snapshot();
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM ender_diff($1)", models), 0);
    auto constraints = db.scalar<std::string>(
        "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname) "
        "FROM pg_constraint WHERE contype = 'f'");
    EXPECT_EQ(constraints,
              "border_country_code_fkey FOREIGN KEY (country, code) REFERENCES "
              "region(country, code)\n"
              "border_other_country_other_code_fkey FOREIGN KEY (other_country, other_code) "
              "REFERENCES region(country, code)\n"
              "category_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES category(id)\n"
              "city_country_region_code_fkey FOREIGN KEY (country, region_code) REFERENCES "
              "region(country, code)\n"
              "employee_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES employee(id)\n"
              "hero_power_hero_id_fkey FOREIGN KEY (hero_id) REFERENCES hero(id)\n"
              "hero_power_power_id_fkey FOREIGN KEY (power_id) REFERENCES power(id)\n"
              "hero_team_id_fkey FOREIGN KEY (team_id) REFERENCES team(id) ON DELETE SET NULL\n"
              "passport_hero_id_fkey FOREIGN KEY (hero_id) REFERENCES hero(id)");
    // An index on every foreign key's columns, unless a key already leads with them
    // (hero_power's primary key serves hero_id); one-to-one's is unique.
    auto indexes = db.scalar<std::string>(
        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
        "WHERE schemaname = 'public' AND indexname LIKE '%idx'");
    EXPECT_EQ(indexes,
              "border_other_country_other_code_idx,category_parent_id_idx,"
              "city_country_region_code_idx,employee_manager_id_idx,"
              "hero_power_power_id_idx,hero_team_id_idx,passport_hero_id_idx");
    EXPECT_TRUE(db.scalar<bool>(
        "SELECT indisunique FROM pg_index WHERE indexrelid = 'passport_hero_id_idx'::regclass"));
}

TEST_F(relationships, has_many_selectin_is_two_statements_and_equals_plain_sql) {
    auto teams = db.select<team>().with(&team::heroes).order_by(ender::asc(&team::id)).all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(names_of(teams), reference(teams_reference));
    EXPECT_TRUE(teams[2].heroes.loaded());
    EXPECT_TRUE(teams[2].heroes.empty());  // a team without heroes: loaded, empty
}

TEST_F(relationships, the_statement_sends_the_keys_as_one_array_parameter) {
    std::vector<std::string> seen;
    std::vector<std::string> params;
    std::uint64_t rows = 0;
    db.on_statement([&](const ender::statement_info& s) {
        seen.emplace_back(s.sql);
        params.assign(s.parameters.begin(), s.parameters.end());
        rows = s.rows;
    });
    db.select<team>().with(&team::heroes).all();
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_NE(seen[1].find("WHERE hero.team_id = ANY($1::bigint[])"), std::string::npos) << seen[1];
    EXPECT_EQ(params, std::vector<std::string>{"$1 = <redacted>"});
    EXPECT_EQ(rows, 4u);  // the heroes of teams 1 and 2
}

TEST_F(relationships, nested_paths_are_one_statement_per_level_with_link_columns) {
    auto teams =
        db.select<team>().with(&team::heroes, &hero::powers).order_by(ender::asc(&team::id)).all();
    EXPECT_EQ(statements(), 3u);
    std::map<std::string, std::string> got;
    for (const auto& t : teams)
        for (const auto& h : t.heroes)
            for (std::size_t i = 0; i < h.powers.size(); ++i)
                got[h.name] +=
                    h.powers[i].name + "=" + std::to_string(h.powers.link(i).level) + " ";
    std::map<std::string, std::string> want;
    for (auto& [hero, power, level] : db.query<std::tuple<std::string, std::string, int>>(
             "SELECT h.name, p.name, hp.level FROM hero h JOIN hero_power hp ON hp.hero_id = h.id "
             "JOIN power p ON p.id = hp.power_id WHERE h.team_id IS NOT NULL ORDER BY h.id, p.id"))
        want[hero] += power + "=" + std::to_string(level) + " ";
    EXPECT_EQ(got, want);
}

TEST_F(relationships, belongs_to_selectin_shares_parents_and_loads_null_keys_as_empty) {
    auto heroes = db.select<hero>().with(&hero::team).order_by(ender::asc(&hero::id)).all();
    EXPECT_EQ(statements(), 2u);
    ASSERT_EQ(heroes.size(), 5u);
    EXPECT_EQ(heroes[0].team->name, "Avengers");
    EXPECT_EQ(heroes[0].team.shared().get(), heroes[1].team.shared().get());  // one Avengers
    EXPECT_EQ(heroes[0].team.shared().get(), heroes[4].team.shared().get());
    EXPECT_EQ(heroes[2].team->name, "X-Men");
    EXPECT_TRUE(heroes[3].team.loaded());
    EXPECT_FALSE(heroes[3].team.has_value());  // Deadpool's team_id is NULL
    EXPECT_TRUE(throws<ender::usage_error>([&] { (void)heroes[3].team->name; }, "55000",
                                           "relationship \"hero.team\" has no object"));
}

TEST_F(relationships, belongs_to_with_only_null_keys_runs_no_second_statement) {
    auto heroes =
        db.select<hero>().where(ender::is_null(ender::col(&hero::team_id))).with(&hero::team).all();
    EXPECT_EQ(statements(), 1u);
    ASSERT_EQ(heroes.size(), 1u);
    EXPECT_FALSE(heroes[0].team.has_value());
}

TEST_F(relationships, no_owners_means_no_relationship_statement) {
    auto teams = db.select<team>()
                     .where(ender::col(&team::id) > std::int64_t(100))
                     .with(&team::heroes, &hero::powers)
                     .all();
    EXPECT_TRUE(teams.empty());
    EXPECT_EQ(statements(), 1u);
}

TEST_F(relationships, joined_belongs_to_is_one_statement_with_shared_parents) {
    auto heroes =
        db.select<hero>().with(ender::joined(&hero::team)).order_by(ender::asc(&hero::id)).all();
    EXPECT_EQ(statements(), 1u);
    ASSERT_EQ(heroes.size(), 5u);
    EXPECT_EQ(heroes[1].team->name, "Avengers");
    EXPECT_EQ(heroes[0].team.shared().get(), heroes[4].team.shared().get());
    EXPECT_FALSE(heroes[3].team.has_value());
    EXPECT_EQ(heroes[2].team->name, "X-Men");
}

TEST_F(relationships, joined_then_selectin_continues_the_path) {
    auto heroes = db.select<hero>()
                      .with(ender::joined(&hero::team), &team::heroes)
                      .order_by(ender::asc(&hero::id))
                      .all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(heroes[0].team->heroes.size(), 3u);
    EXPECT_EQ(heroes[2].team->heroes.size(), 1u);
}

TEST_F(relationships, a_joined_step_after_a_selectin_step_is_in_that_steps_query) {
    std::vector<std::string> seen;
    db.on_statement([&](const ender::statement_info& s) { seen.emplace_back(s.sql); });
    auto teams = db.select<team>()
                     .with(&team::heroes, ender::joined(&hero::passport))
                     .order_by(ender::asc(&team::id))
                     .all();
    EXPECT_EQ(statements(), 2u);  // teams, then heroes joined to their passports
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_NE(seen[1].find("LEFT JOIN public.passport AS ender_joined_1 ON "
                           "ender_joined_1.hero_id = hero.id"),
              std::string::npos)
        << seen[1];
    EXPECT_EQ(names_of(teams), reference(teams_reference));
    std::vector<hero> heroes;
    for (const auto& t : teams)
        for (const auto& h : t.heroes) heroes.push_back(h);
    std::sort(heroes.begin(), heroes.end(), [](const hero& a, const hero& b) {
        return std::pair(a.team_id, a.id) < std::pair(b.team_id, b.id);
    });
    std::string passports;
    for (const auto& h : heroes)
        passports += h.name + "=" + (h.passport ? h.passport->number : "-") + " ";
    EXPECT_EQ(passports,
              reference("SELECT string_agg(h.name || '=' || coalesce(p.number, '-'), ' ' ORDER BY "
                        "h.team_id, h.id) || ' ' FROM hero h LEFT JOIN passport p ON p.hero_id = "
                        "h.id WHERE h.team_id IS NOT NULL"));
    statements();
    // Back to the owner's model: the parents are deduplicated, one Avengers for its heroes.
    teams = db.select<team>()
                .with(&team::heroes, ender::joined(&hero::team))
                .order_by(ender::asc(&team::id))
                .all();
    EXPECT_EQ(statements(), 2u);
    for (const auto& t : teams)
        for (const auto& h : t.heroes) EXPECT_EQ(h.team->name, t.name);
    EXPECT_EQ(teams[0].heroes[0].team.shared().get(), teams[0].heroes[1].team.shared().get());
    // Two paths through the same step: the first loads the heroes with its join; the second
    // finds them loaded without its own, and its joined step loads with selectin.
    teams = db.select<team>()
                .with(&team::heroes, ender::joined(&hero::passport))
                .with(&team::heroes, ender::joined(&hero::team))
                .all();
    EXPECT_EQ(statements(), 3u);
    EXPECT_EQ(teams[0].heroes[0].team->name, teams[0].name);
}

TEST_F(relationships, joined_many_to_one_chains_are_one_query) {
    std::string sql;
    db.on_statement([&](const ender::statement_info& s) { sql = s.sql; });
    auto people = db.select<employee>()
                      .with(ender::joined(&employee::manager), ender::joined(&employee::manager),
                            ender::joined(&employee::manager))
                      .order_by(ender::asc(&employee::id))
                      .all();
    EXPECT_EQ(statements(), 1u);
    EXPECT_NE(sql.find("ender_joined_2.id = ender_joined_1.manager_id"), std::string::npos) << sql;
    ASSERT_EQ(people.size(), 5u);
    EXPECT_EQ(people[3].manager->manager->manager->name, "ceo");  // intern -> dev -> cto -> ceo
    EXPECT_FALSE(people[0].manager.has_value());                  // the ceo: a NULL key
    EXPECT_FALSE(people[1].manager->manager.has_value());         // cto -> ceo -> none
    EXPECT_EQ(people[1].manager.shared().get(), people[4].manager.shared().get());
    auto chain = reference(
        "SELECT string_agg(e.name || '>' || coalesce(m.name, '-'), ' ' ORDER BY e.id) FROM "
        "employee e LEFT JOIN employee m ON m.id = e.manager_id");
    std::string got;
    for (const auto& p : people)
        got += (got.empty() ? "" : " ") + p.name + ">" + (p.manager ? p.manager->name : "-");
    EXPECT_EQ(got, chain);
    statements();
    // A chain under a selectin step: the composite key joined back, one query per level.
    auto regions = db.select<region>()
                       .with(&region::cities, ender::joined(&city::region))
                       .order_by(ender::asc(&region::name))
                       .all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(regions[0].cities[0].region->name, "Bretagne");
    EXPECT_TRUE(regions[2].cities.empty());
}

TEST_F(relationships, joined_on_objects_in_hand_loads_with_selectin) {
    auto heroes = db.select<hero>().order_by(ender::asc(&hero::id)).all();
    statements();
    db.load(heroes, ender::joined(&hero::team), &team::heroes);
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(heroes[0].team->heroes.size(), 3u);
    EXPECT_FALSE(heroes[3].team.has_value());
}

TEST_F(relationships, has_one_selectin_and_joined) {
    auto heroes = db.select<hero>().with(&hero::passport).order_by(ender::asc(&hero::id)).all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(heroes[0].passport->number, "P-1");
    EXPECT_FALSE(heroes[1].passport.has_value());
    EXPECT_EQ(heroes[2].passport->number, "P-3");
    auto joined = db.select<hero>()
                      .with(ender::joined(&hero::passport))
                      .order_by(ender::asc(&hero::id))
                      .all();
    EXPECT_EQ(statements(), 1u);
    EXPECT_EQ(joined[2].passport->number, "P-3");
    EXPECT_FALSE(joined[3].passport.has_value());
}

TEST_F(relationships, several_relationships_at_once) {
    auto heroes = db.select<hero>()
                      .with(&hero::team)
                      .with(&hero::powers)
                      .with(&hero::passport)
                      .order_by(ender::asc(&hero::id))
                      .all();
    EXPECT_EQ(statements(), 4u);
    EXPECT_EQ(heroes[1].powers.size(), 2u);
    EXPECT_EQ(heroes[1].team->name, "Avengers");
    EXPECT_TRUE(heroes[3].powers.empty());
}

TEST_F(relationships, a_shared_prefix_is_loaded_once) {
    auto teams = db.select<team>()
                     .with(&team::heroes, &hero::powers)
                     .with(&team::heroes, &hero::passport)
                     .all();
    EXPECT_EQ(statements(), 4u);  // teams, heroes, powers, passports
}

TEST_F(relationships, joined_collection_is_one_statement_with_the_graph_of_selectin) {
    std::vector<std::string> seen;
    db.on_statement([&](const ender::statement_info& i) { seen.emplace_back(i.sql); });
    auto joined =
        db.select<team>().with(ender::joined(&team::heroes)).order_by(ender::asc(&team::id)).all();
    EXPECT_EQ(statements(), 1u);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_NE(seen[0].find("LEFT JOIN public.hero AS ender_joined_1 ON ender_joined_1.team_id = "
                           "team.id"),
              std::string::npos)
        << seen[0];
    // One object per team (the Avengers' row came three times), the team without heroes kept.
    ASSERT_EQ(joined.size(), 3u);
    EXPECT_EQ(names_of(joined), reference(teams_reference));
    EXPECT_TRUE(joined[2].heroes.loaded());
    EXPECT_TRUE(joined[2].heroes.empty());
    statements();
    auto selectin = db.select<team>().with(&team::heroes).order_by(ender::asc(&team::id)).all();
    EXPECT_EQ(statements(), 2u);
    EXPECT_EQ(names_of(joined), names_of(selectin));
    // Every column of the children is read, not only their names.
    EXPECT_EQ(joined[0].heroes[0].team_id, std::optional<std::int64_t>(1));
}

TEST_F(relationships, joined_collection_keeps_the_order_of_the_select) {
    // The teams in the order of their first row, each once, with as many heroes as plain SQL
    // counts.
    auto teams = db.select<team>()
                     .with(ender::joined(&team::heroes))
                     .order_by(ender::desc(ender::col(&team::id)))
                     .all();
    EXPECT_EQ(statements(), 1u);
    std::string got;
    for (const auto& t : teams)
        got +=
            (got.empty() ? "" : ";") + std::to_string(t.id) + ":" + std::to_string(t.heroes.size());
    EXPECT_EQ(got, reference("SELECT string_agg(t.id || ':' || (SELECT count(*) FROM hero h "
                             "WHERE h.team_id = t.id), ';' ORDER BY t.id DESC) FROM team t"));
}

TEST_F(relationships, joined_collection_then_the_rest_of_the_path_and_a_filter) {
    auto teams = db.select<team>()
                     .where(ender::col(&team::id) <= std::int64_t(2))
                     .with(ender::joined(&team::heroes), &hero::powers)
                     .order_by(ender::asc(&team::id))
                     .all();
    EXPECT_EQ(statements(), 2u);  // teams joined to their heroes, then the powers
    ASSERT_EQ(teams.size(), 2u);
    std::size_t powers = 0;
    for (const auto& t : teams)
        for (const auto& h : t.heroes) powers += h.powers.size();
    EXPECT_EQ(powers, std::size_t(db.scalar<std::int64_t>(
                          "SELECT count(*) FROM hero_power JOIN hero ON hero.id = hero_id "
                          "WHERE team_id <= 2")));
    // Objects in hand have no select to join to: the collection loads with selectin.
    auto plain = db.select<team>().order_by(ender::asc(&team::id)).all();
    statements();
    db.load(plain, ender::joined(&team::heroes));
    EXPECT_EQ(statements(), 1u);
    EXPECT_EQ(names_of(plain), reference(teams_reference));
}

TEST_F(relationships, joined_collection_refuses_a_limit_and_a_many_to_many) {
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.select<team>().with(ender::joined(&team::heroes)).limit(2).all(); }, "0A000",
        "a joined collection cannot be loaded by a select with a limit or an offset"));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { (void)db.select<team>().with(ender::joined(&team::heroes)).first(); }, "0A000",
        "a joined collection cannot be loaded by a select with a limit or an offset"));
    EXPECT_EQ(statements(), 0u);
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.select<region>().with(ender::joined(&region::neighbours)).all(); }, "0A000",
        "relationship \"region.neighbours\" cannot be loaded with a join"));
}

}  // namespace

}  // namespace rel
