// cte.hpp: WITH (MATERIALIZED / NOT MATERIALIZED) and WITH RECURSIVE (an org chart, a category
// tree) as the main query's source — each one statement, compared with the same SQL.
#include "shape_models.hpp"
#include "support.hpp"

namespace heroes {

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
    ender::cte<topic_node> tree("tree");
    tree.recursive(
        db.select<topic_node>().where(col(&topic::id) == root),
        ender::subquery(col(&topic::id), col(&topic::name), tree.col(&topic_node::depth) + 1)
            .from<topic>()
            .join(tree, col(&topic::parent_id) == tree.col(&topic_node::id)));
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

}  // namespace

}  // namespace heroes
