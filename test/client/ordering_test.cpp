// ordering.hpp: sorts from user input checked against a whitelist, row-value comparisons,
// BETWEEN and ANY/ALL with array parameters, each compared with the same query in plain SQL.
#include "support.hpp"

#include <ender/ordering.hpp>

namespace heroes {

struct chore {
    std::int64_t id{};
    std::string title;
    std::string owner;
    int priority{};
    std::optional<int> estimate;
};
inline auto ender_model(ender::tag<chore>) {
    using namespace ender;
    return table<chore>("chore", column("id", &chore::id, primary_key()),
                        column("title", &chore::title), column("owner", &chore::owner),
                        column("priority", &chore::priority), column("estimate", &chore::estimate));
}

namespace {

using ender::col;
using ender::test::throws;

class ordering : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, ender::schema::of<chore>());
        const char* owners[] = {"ann", "bob", "cy"};
        for (int i = 1; i <= 12; ++i) {
            chore c{i, "chore " + std::string(1, char('a' + (i * 7) % 12)), owners[i % 3], i % 4,
                    i % 5 == 0 ? std::nullopt : std::optional<int>(i % 3)};
            db.insert(c);
        }
    }
    // The ids of the chores a builder query returns, in order.
    static std::vector<std::int64_t> ids(const std::vector<chore>& cs) {
        std::vector<std::int64_t> out;
        for (const auto& c : cs) out.push_back(c.id);
        return out;
    }
    // The ids the same query returns in plain SQL.
    std::vector<std::int64_t> sql_ids(const std::string& rest) {
        return db.query<std::int64_t>("SELECT id FROM chore " + rest);
    }
};

TEST_F(ordering, parse_sort_reads_the_web_api_spelling) {
    auto keys = ender::parse_sort(" -priority , title,+owner, estimate NULLS first,-id nulls last");
    ASSERT_EQ(keys.size(), 5u);
    EXPECT_EQ(keys[0].name, "priority");
    EXPECT_TRUE(keys[0].descending);
    EXPECT_EQ(keys[1].name, "title");
    EXPECT_FALSE(keys[1].descending);
    EXPECT_EQ(keys[2].name, "owner");
    EXPECT_FALSE(keys[2].descending);
    EXPECT_EQ(keys[3].name, "estimate");
    EXPECT_EQ(keys[3].placement, ender::nulls::first);
    EXPECT_TRUE(keys[4].descending);
    EXPECT_EQ(keys[4].placement, ender::nulls::last);
}

TEST_F(ordering, sort_by_names_gives_the_order_of_plain_sql) {
    auto run = [&](std::string_view spec) {
        return ids(db.select<chore>().order_by(ender::sort_by<chore>(spec)).all());
    };
    EXPECT_EQ(run("-priority,title"), sql_ids("ORDER BY priority DESC, title ASC"));
    EXPECT_EQ(run("owner,-id"), sql_ids("ORDER BY owner, id DESC"));
    EXPECT_EQ(run("estimate nulls first,id"), sql_ids("ORDER BY estimate NULLS FIRST, id"));
    EXPECT_EQ(run("-estimate nulls last,id"), sql_ids("ORDER BY estimate DESC NULLS LAST, id"));
    // The default placement differs from both: the test would catch a dropped NULLS clause.
    EXPECT_NE(run("estimate nulls first,id"), run("estimate,id"));
    auto q = db.select<chore>().order_by(ender::sort_by<chore>("-priority nulls last"));
    EXPECT_NE(q.sql().find("ORDER BY chore.priority DESC NULLS LAST"), std::string::npos)
        << q.sql();
}

TEST_F(ordering, an_unknown_name_is_an_error_naming_it_and_the_allowed_ones) {
    EXPECT_TRUE(throws<ender::usage_error>([&] { (void)ender::sort_by<chore>("-prio"); }, "42703",
                                           "cannot sort by \"prio\""));
    try {
        (void)ender::sort_by<chore>("title,secret");
        FAIL() << "no error";
    } catch (const ender::error& e) {
        EXPECT_EQ(e.detail(), "The sortable columns are: id, title, owner, priority, estimate.");
    }
    // SQL in a name stays a name: an error, and the table is still there.
    EXPECT_TRUE(
        throws<ender::usage_error>([&] { (void)ender::sort_by<chore>("id; DROP TABLE chore"); },
                                   "42703", "cannot sort by \"id; DROP TABLE chore\""));
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM chore"), 12);
}

TEST_F(ordering, malformed_sorts_are_errors) {
    for (const char* spec : {"", "title,,id", "-", "title, "})
        EXPECT_TRUE(throws<ender::usage_error>([&] { (void)ender::sort_by<chore>(spec); }, "22023",
                                               "invalid sort"))
            << spec;
}

TEST_F(ordering, a_whitelist_can_be_narrower_or_name_expressions) {
    auto allowed = ender::sortable::of<chore>({"title", "priority"});
    EXPECT_EQ(ids(db.select<chore>().order_by(allowed.order("priority,-title")).all()),
              sql_ids("ORDER BY priority, title DESC"));
    EXPECT_TRUE(throws<ender::usage_error>([&] { (void)allowed.order("owner"); }, "42703",
                                           "cannot sort by \"owner\""));
    // A report sorted by an aggregate the caller names.
    auto by = ender::sortable()
                  .add("owner", col(&chore::owner))
                  .add("chores", ender::count())
                  .add("work", ender::sum(col(&chore::priority)));
    auto rows = db.select(col(&chore::owner), ender::count())
                    .from<chore>()
                    .group_by(col(&chore::owner))
                    .order_by(by.order("-work,owner"))
                    .all();
    auto expected = db.query<std::tuple<std::string, std::int64_t>>(
        "SELECT owner, count(*) FROM chore GROUP BY owner ORDER BY sum(priority) DESC, owner");
    EXPECT_EQ(rows, expected);
    EXPECT_EQ(by.names(), (std::vector<std::string>{"owner", "chores", "work"}));
}

TEST_F(ordering, row_values_compare_as_in_sql) {
    auto q = db.select<chore>()
                 .where(ender::row(col(&chore::priority), col(&chore::id)) > std::tuple(2, 5))
                 .order_by(col(&chore::id));
    EXPECT_NE(q.sql().find("((chore.priority, chore.id) > ($1, $2))"), std::string::npos)
        << q.sql();
    EXPECT_EQ(ids(q.all()), sql_ids("WHERE (priority, id) > (2, 5) ORDER BY id"));
    auto le =
        db.select<chore>()
            .where(ender::row(col(&chore::owner), col(&chore::priority)) <= std::tuple("bob", 1))
            .order_by(col(&chore::id))
            .all();
    EXPECT_EQ(ids(le), sql_ids("WHERE (owner, priority) <= ('bob', 1) ORDER BY id"));
    EXPECT_FALSE(ids(le).empty());
}

TEST_F(ordering, between_includes_both_ends) {
    auto rows =
        db.select<chore>().where(ender::between(col(&chore::id), 3, 6)).order_by(col(&chore::id));
    EXPECT_EQ(ids(rows.all()), (std::vector<std::int64_t>{3, 4, 5, 6}));
    auto titles = db.select<chore>()
                      .where(ender::between(col(&chore::title), "chore c", "chore g"))
                      .order_by(col(&chore::id))
                      .all();
    EXPECT_EQ(ids(titles), sql_ids("WHERE title BETWEEN 'chore c' AND 'chore g' ORDER BY id"));
}

TEST_F(ordering, any_and_all_bind_one_array) {
    auto run = [&](const ender::expr<bool>& e) {
        return ids(db.select<chore>().where(e).order_by(col(&chore::id)).all());
    };
    std::vector<int> some{1, 3};
    EXPECT_EQ(run(col(&chore::priority) == ender::any(some)),
              sql_ids("WHERE priority = ANY('{1,3}') ORDER BY id"));
    EXPECT_EQ(run(col(&chore::priority) > ender::all(std::vector<int>{0, 1})),
              sql_ids("WHERE priority > ALL('{0,1}') ORDER BY id"));
    EXPECT_EQ(run(col(&chore::owner) != ender::all(std::vector<std::string>{"ann", "cy"})),
              sql_ids("WHERE owner <> ALL('{ann,cy}') ORDER BY id"));
    EXPECT_EQ(run(col(&chore::estimate) < ender::any(std::vector<int>{1})),
              sql_ids("WHERE estimate < ANY('{1}') ORDER BY id"));
    // ALL of nothing holds for every row, ANY of nothing for none.
    EXPECT_EQ(run(col(&chore::priority) > ender::all(std::vector<int>{})).size(), 12u);
    EXPECT_TRUE(run(col(&chore::priority) == ender::any(std::vector<int>{})).empty());
    // However many values: one parameter.
    auto q =
        db.select<chore>().where(col(&chore::id) == ender::any(std::vector<std::int64_t>(500, 1)));
    EXPECT_EQ(q.statement().params().size(), 1u);
}

}  // namespace
}  // namespace heroes
