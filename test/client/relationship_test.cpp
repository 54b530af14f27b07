// relationship.hpp and load.hpp: relationships feed create_all and the snapshot (foreign keys,
// indexes, ender_diff empty); every loader runs exactly the statements it promises, for every
// kind of relationship, nested paths, empty and NULL keys; what it loads equals what plain SQL
// says; an unloaded relationship cannot be read. Needs the ender extension installed.
#include "relation_models.hpp"
#include "support.hpp"

#include <algorithm>
#include <functional>
#include <map>

// The tests live in the models' namespace rather than `using namespace`: the suite is built as
// unity sources, where a using-directive would reach the other files.
namespace rel {

namespace {

using ender::test::throws;

// A model with a relationship member its mapping forgot to declare.
struct squad {
    std::int64_t id{};
    ender::many<hero> heroes;
};
inline auto ender_model(ender::tag<squad>) {
    return ender::table<squad>("squad", ender::column("id", &squad::id, ender::primary_key()));
}

class relationships : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, all_models());
        db.execute(R"(
            INSERT INTO team (id, name) OVERRIDING SYSTEM VALUE VALUES
                (1, 'Avengers'), (2, 'X-Men'), (3, 'Nobody');
            INSERT INTO hero (id, name, team_id) OVERRIDING SYSTEM VALUE VALUES
                (1, 'Iron Man', 1), (2, 'Thor', 1), (3, 'Storm', 2), (4, 'Deadpool', NULL),
                (5, 'Hulk', 1);
            INSERT INTO power (id, name) OVERRIDING SYSTEM VALUE VALUES
                (1, 'flight'), (2, 'lightning'), (3, 'strength');
            INSERT INTO hero_power VALUES (1, 1, 7), (2, 1, 5), (2, 2, 9), (3, 2, 8), (5, 3, 10);
            INSERT INTO passport (hero_id, number) VALUES (1, 'P-1'), (3, 'P-3');
            INSERT INTO employee VALUES (1, 'ceo', NULL), (2, 'cto', 1), (3, 'dev', 2),
                (4, 'intern', 3), (5, 'cfo', 1);
            INSERT INTO category VALUES (1, 'root', NULL), (2, 'a', 1), (3, 'b', 1),
                (4, 'a1', 2), (5, 'a1x', 4), (6, 'a1xy', 5);
            INSERT INTO region VALUES ('fr', 'idf', 'Ile-de-France'), ('fr', 'bre', 'Bretagne'),
                ('de', 'idf', 'Nowhere');
            INSERT INTO city VALUES (1, 'Paris', 'fr', 'idf'), (2, 'Rennes', 'fr', 'bre'),
                (3, 'Brest', 'fr', 'bre'), (4, 'Atlantis', NULL, NULL);
        )");
        before = db.counts();
    }
    // Statements executed since SetUp (or the last call).
    std::uint64_t statements() {
        auto now = db.counts();
        auto n = (now - before).statements;
        before = now;
        return n;
    }
    // "name:child,child;..." computed by plain SQL.
    std::string reference(const std::string& sql) { return db.scalar<std::string>(sql); }
    ender::statement_counts before;
};

std::string names_of(const std::vector<team>& teams) {
    std::string out;
    for (const auto& t : teams) {
        std::vector<std::string> names;
        for (const auto& h : t.heroes) names.push_back(h.name);
        std::sort(names.begin(), names.end());
        out += (out.empty() ? "" : ";") + t.name + ":";
        for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + names[i];
    }
    return out;
}

const char* teams_reference =
    "SELECT string_agg(t.name || ':' || coalesce(h.names, ''), ';' ORDER BY t.id) FROM team t "
    "LEFT JOIN (SELECT team_id, string_agg(name, ',' ORDER BY name) AS names FROM hero "
    "GROUP BY team_id) h ON h.team_id = t.id";

TEST_F(relationships, declarations_create_foreign_keys_and_indexes_and_the_snapshot_converges) {
    db.execute("CREATE EXTENSION IF NOT EXISTS ender");
    auto models = all_models().snapshot();
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM ender_diff($1)", models), 0);
    auto constraints = db.scalar<std::string>(
        "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname) "
        "FROM pg_constraint WHERE contype = 'f'");
    EXPECT_EQ(constraints,
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
              "category_parent_id_idx,city_country_region_code_idx,employee_manager_id_idx,"
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

TEST_F(relationships, joined_is_refused_after_the_first_step) {
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { db.select<team>().with(&team::heroes, ender::joined(&hero::team)).all(); }, "0A000",
        "only the first step of a load path can be joined"));
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

TEST_F(relationships, a_member_the_mapping_does_not_declare_is_reported) {
    std::vector<squad> squads(1);
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.load(squads, &squad::heroes); }, "42P17",
                                           "the member is not a declared relationship of table "
                                           "\"squad\""));
}

}  // namespace

}  // namespace rel
