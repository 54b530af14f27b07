// cte.hpp: WITH (MATERIALIZED / NOT MATERIALIZED) and WITH RECURSIVE (an org chart, a category
// tree) as the main query's source — each one statement, compared with the same SQL.
#include "shape_models.hpp"
#include "support.hpp"

namespace heroes {

// A hero's own columns (no join: a data-modifying statement's RETURNING list).
struct hero_columns {
    std::int64_t id{};
    std::string name;
    std::optional<int> age;
};
inline auto ender_shape(ender::tag<hero_columns>) {
    return ender::shape<hero_columns, hero>(ender::field(&hero_columns::id, &hero::id),
                                            ender::field(&hero_columns::name, &hero::name),
                                            ender::field(&hero_columns::age, &hero::age));
}
// Where retired heroes go.
struct retired {
    std::int64_t id{};
    std::string name;
    std::optional<int> age;
};
inline auto ender_model(ender::tag<retired>) {
    using namespace ender;
    return table<retired>("retired", column("id", &retired::id, primary_key()),
                          column("name", &retired::name), column("age", &retired::age));
}

namespace {

using ender::col;
using ender::test::throws;

class ctes : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, ender::schema::of<team, hero, staff, topic>());
        // The org chart: Ada runs it; Grace reports to Ada, Linus to Grace, Ken to Linus.
        std::optional<std::int64_t> above;
        for (const char* name : {"Ada", "Grace", "Linus", "Ken"}) {
            staff s{0, name, above};
            db.insert(s);
            ids.push_back(s.id);
            above = s.id;
        }
        staff side{0, "Barbara", ids[0]};
        db.insert(side);
        // The category tree: Science > Physics > Optics, Science > Biology; Art on its own.
        auto science = add_topic("Science", std::nullopt);
        auto physics = add_topic("Physics", science);
        add_topic("Optics", physics);
        add_topic("Biology", science);
        add_topic("Art", std::nullopt);
        root = science;
    }
    std::int64_t add_topic(std::string name, std::optional<std::int64_t> parent) {
        topic t{0, std::move(name), parent};
        db.insert(t);
        return t.id;
    }
    // WITH RECURSIVE tree: the category subtree below `root`, with each node's depth.
    ender::cte<topic_node> subtree() {
        using ender::col;
        ender::cte<topic_node> tree("tree");
        tree.recursive(
            db.select<topic_node>().where(col(&topic::id) == root),
            ender::subquery(col(&topic::id), col(&topic::name), tree.col(&topic_node::depth) + 1)
                .from<topic>()
                .join(tree, col(&topic::parent_id) == tree.col(&topic_node::id)));
        return tree;
    }
    std::vector<std::int64_t> ids;
    std::int64_t root = 0;
};

TEST_F(ctes, with_recursive_walks_an_org_chart_up_to_its_top) {
    ender::cte<chain_link> chain("chain");
    chain.recursive(db.select<chain_link>().where(col(&staff::id) == ids[3]),
                    ender::subquery(col(&staff::id), col(&staff::name), col(&staff::manager_id),
                                    chain.col(&chain_link::depth) + 1)
                        .from<staff>()
                        .join(chain, col(&staff::id) == chain.col(&chain_link::manager_id)));
    auto before = db.counts();
    auto links = ender::with(db, chain)
                     .select<chain_link>()
                     .from(chain)
                     .order_by(chain.col(&chain_link::depth))
                     .all();
    EXPECT_EQ((db.counts() - before).statements, 1u);
    auto expected = db.query<std::tuple<std::string, std::int32_t>>(
        "WITH RECURSIVE chain AS (SELECT id, name, manager_id, 0 AS depth FROM staff WHERE id = "
        "$1 UNION ALL SELECT s.id, s.name, s.manager_id, c.depth + 1 FROM staff s JOIN chain c "
        "ON s.id = c.manager_id) SELECT name, depth FROM chain ORDER BY depth",
        ids[3]);
    ASSERT_EQ(links.size(), expected.size());
    ASSERT_EQ(links.size(), 4u);
    for (std::size_t i = 0; i < links.size(); ++i) {
        EXPECT_EQ(links[i].name, std::get<0>(expected[i]));
        EXPECT_EQ(links[i].depth, std::get<1>(expected[i]));
    }
    EXPECT_EQ(links.back().name, "Ada");
    EXPECT_EQ(links.back().manager_id, std::nullopt);
    EXPECT_EQ(links.back().depth, 3);
}

TEST_F(ctes, with_recursive_reads_a_category_subtree_into_a_model_query) {
    auto tree = subtree();
    auto nodes = ender::with(db, tree)
                     .select<topic_node>()
                     .from(tree)
                     .order_by(tree.col(&topic_node::depth))
                     .order_by(tree.col(&topic_node::name))
                     .all();
    auto expected = db.query<std::tuple<std::string, std::int32_t>>(
        "WITH RECURSIVE tree AS (SELECT id, name, 0 AS depth FROM topic WHERE id = $1 UNION ALL "
        "SELECT t.id, t.name, tree.depth + 1 FROM topic t JOIN tree ON t.parent_id = tree.id) "
        "SELECT name, depth FROM tree ORDER BY depth, name",
        root);
    ASSERT_EQ(nodes.size(), 4u);
    ASSERT_EQ(nodes.size(), expected.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        EXPECT_EQ(nodes[i].name, std::get<0>(expected[i]));
        EXPECT_EQ(nodes[i].depth, std::get<1>(expected[i]));
    }
    // The CTE in a select of the model: the subtree's topics, joined.
    auto topics = ender::with(db, tree)
                      .select<topic>()
                      .join(tree, tree.col(&topic_node::id) == col(&topic::id))
                      .where(tree.col(&topic_node::depth) >= 1)
                      .order_by(col(&topic::name))
                      .all();
    ASSERT_EQ(topics.size(), 3u);
    EXPECT_EQ(topics[0].name, "Biology");
    EXPECT_EQ(ender::with(db, tree).select(ender::count()).from(tree).one(),
              std::tuple<std::int64_t>(4));
}

TEST_F(ctes, materialized_and_not_materialized) {
    ender::cte<hero_read> adults("adults");
    adults.as(db.select<hero_read>().where(col(&hero::age) >= 18)).materialized();
    ender::cte<team_stats> stats("stats");
    stats.as(db.select<team_stats>()).not_materialized();
    auto q = ender::with(db, adults, stats).select(stats.col(&team_stats::name)).from(stats);
    EXPECT_EQ(q.sql().rfind("WITH adults (id, name, age, team) AS MATERIALIZED (SELECT", 0), 0u)
        << q.sql();
    EXPECT_NE(q.sql().find(
                  ", stats (name, heroes, oldest) AS NOT MATERIALIZED (SELECT team.name AS name"),
              std::string::npos)
        << q.sql();
    team t{0, "Avengers", "NYC"};
    db.insert(t);
    hero a{.name = "Deadpond", .secret_name = "Dive", .age = 30, .team_id = t.id};
    hero b{.name = "Spider-Boy", .secret_name = "Pedro", .age = 16, .team_id = t.id};
    db.insert(a);
    db.insert(b);
    auto grown = ender::with(db, adults).select<hero_read>().from(adults).all();
    ASSERT_EQ(grown.size(), 1u);
    EXPECT_EQ(grown[0].name, "Deadpond");
    EXPECT_EQ(grown[0].team, "Avengers");
    EXPECT_EQ(ender::with(db, adults, stats)
                  .select<hero_read>()
                  .from(adults)
                  .where(adults.col(&hero_read::team) ==
                         ender::scalar(ender::subquery(stats.col(&team_stats::name))
                                           .from(stats)
                                           .where(stats.col(&team_stats::heroes) == 2)))
                  .count(),
              1);
}

TEST_F(ctes, a_cte_without_a_body_is_an_error) {
    ender::cte<hero_read> nothing("nothing");
    EXPECT_TRUE(throws<ender::usage_error>([&] { ender::with(db, nothing); }, "55000",
                                           "common table expression \"nothing\" has no body"));
}

TEST_F(ctes, first_one_count_exists_and_explain_on_cte_sourced_queries) {
    auto tree = subtree();
    const std::string reference =
        "WITH RECURSIVE tree AS (SELECT id, name, 0 AS depth FROM topic WHERE id = $1 UNION ALL "
        "SELECT t.id, t.name, tree.depth + 1 FROM topic t JOIN tree ON t.parent_id = tree.id) ";
    auto nodes = ender::with(db, tree)
                     .select<topic_node>()
                     .from(tree)
                     .order_by(ender::desc(tree.col(&topic_node::depth)))
                     .limit(2);
    auto rows = db.scalar<std::int64_t>(reference + "SELECT count(*) FROM tree", root);
    auto deepest_name = db.scalar<std::string>(
        reference + "SELECT name FROM tree ORDER BY depth DESC LIMIT 1", root);
    auto before = db.counts();
    // count() ignores the page: the whole subtree.
    EXPECT_EQ(nodes.count(), rows);
    EXPECT_EQ(rows, 4);
    EXPECT_TRUE(nodes.exists());
    auto deepest = nodes.first();
    ASSERT_TRUE(deepest);
    EXPECT_EQ(deepest->name, deepest_name);
    EXPECT_EQ(deepest->name, "Optics");
    auto leaf = ender::with(db, tree)
                    .select<topic_node>()
                    .from(tree)
                    .where(tree.col(&topic_node::name) == "Biology")
                    .one();
    EXPECT_EQ(leaf.depth, 1);
    EXPECT_EQ((db.counts() - before).statements, 4u);  // one statement each
    EXPECT_TRUE(throws<ender::error>([&] { nodes.one(); }, "P0003", "the query returned 2 rows"));
    auto none = ender::with(db, tree).select<topic_node>().from(tree).where(
        tree.col(&topic_node::depth) > 5);
    EXPECT_FALSE(none.exists());
    EXPECT_FALSE(none.first());
    EXPECT_EQ(none.count(), 0);
    EXPECT_TRUE(throws<ender::error>([&] { none.one(); }, "P0002", "the query returned no row"));
    EXPECT_NE(nodes.explain().find("Recursive Union"), std::string::npos) << nodes.explain();
    // A select of expressions from the CTE and a select of the model joined to it: the same.
    auto names = ender::with(db, tree).select(tree.col(&topic_node::name)).from(tree);
    EXPECT_EQ(names.count(), 4);
    EXPECT_TRUE(names.exists());
    EXPECT_NE(names.explain(true).find("actual time"), std::string::npos);
    auto topics = ender::with(db, tree).select<topic>().join(
        tree, tree.col(&topic_node::id) == col(&topic::id));
    EXPECT_EQ(topics.count(), 4);
    EXPECT_TRUE(topics.exists());
    EXPECT_EQ(topics.where(col(&topic::name) == "Physics").one().parent_id, root);
    EXPECT_NE(topics.explain().find("CTE"), std::string::npos) << topics.explain();
}

TEST_F(ctes, a_data_modifying_cte_moves_rows_in_one_statement) {
    ender::create_all(db, ender::schema::of<retired>());
    for (auto [name, age] : {std::pair{"Rusty-Man", 48}, {"Hulk", 45}, {"Spider-Boy", 16}}) {
        hero h{.name = name, .secret_name = std::string("secretly ") + name, .age = age};
        db.insert(h);
    }
    using row = std::tuple<std::int64_t, std::string, std::optional<int>>;
    auto state = [&] {
        return std::pair(db.query<row>("SELECT id, name, age FROM retired ORDER BY id"),
                         db.query<row>("SELECT id, name, age FROM hero ORDER BY id"));
    };
    // The reference: the same statement in SQL, rolled back.
    decltype(state()) expected;
    {
        auto tx = db.begin();
        db.execute(
            "WITH moved AS (DELETE FROM hero WHERE age > 40 RETURNING id, name, age) "
            "INSERT INTO retired (id, name, age) SELECT id, name, age FROM moved");
        expected = state();
    }
    ASSERT_EQ(expected.first.size(), 2u);
    ASSERT_EQ(expected.second.size(), 1u);

    ender::cte<hero_columns> moved("moved");
    moved.as(ender::delete_returning<hero_columns>(col(&hero::age) > 40));
    auto before = db.counts();
    auto inserted =
        ender::with(db, moved)
            .insert_into(&retired::id, &retired::name, &retired::age)
            .select(ender::subquery(moved.col(&hero_columns::id), moved.col(&hero_columns::name),
                                    moved.col(&hero_columns::age))
                        .from(moved));
    EXPECT_EQ((db.counts() - before).statements, 1u);
    EXPECT_EQ(inserted, 2u);
    EXPECT_EQ(state(), expected);
}

TEST_F(ctes, an_update_returning_is_read_as_the_cte_it_defines) {
    for (auto [name, age] : {std::pair{"Rusty-Man", 48}, {"Hulk", 45}, {"Spider-Boy", 16}}) {
        hero h{.name = name, .secret_name = std::string("secretly ") + name, .age = age};
        db.insert(h);
    }
    ender::cte<hero_columns> aged("aged");
    aged.as(ender::update_returning<hero_columns>(ender::patch<hero>().set(&hero::age, 50),
                                                  col(&hero::age) > 40));
    auto before = db.counts();
    auto rows = ender::with(db, aged)
                    .select<hero_columns>()
                    .from(aged)
                    .order_by(aged.col(&hero_columns::id))
                    .all();
    EXPECT_EQ((db.counts() - before).statements, 1u);
    auto expected = db.query<std::tuple<std::int64_t, std::string, std::optional<int>>>(
        "SELECT id, name, age FROM hero WHERE age = 50 ORDER BY id");
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_EQ(rows.size(), expected.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(std::tuple(rows[i].id, rows[i].name, rows[i].age), expected[i]);
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero WHERE age = 16"), 1);
    // A validator runs on the patch as in update_where; a shape with a join is refused.
    EXPECT_TRUE(throws<ender::validation_error>(
        [&] {
            ender::update_returning<hero_columns>(ender::patch<hero>().set(&hero::name, ""),
                                                  col(&hero::age) > 40);
        },
        "23514", "invalid value for column \"name\" of table \"hero\""));
    EXPECT_TRUE(throws<ender::usage_error>(
        [&] { ender::delete_returning<hero_read>(col(&hero::age) > 40); }, "0A000",
        "a read shape with joins or grouping cannot be the returning list"));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM hero"), 3);
}

}  // namespace

}  // namespace heroes
