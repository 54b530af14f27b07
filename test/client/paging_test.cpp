// paging.hpp: keyset pages walked to the end give the rows of the same ORDER BY in plain SQL,
// one statement per page; cursors that do not belong to the order are errors.
#include "support.hpp"

#include <ender/paging.hpp>

namespace heroes {

struct listing {
    std::int64_t id{};
    std::string owner;
    int rank{};
    std::optional<int> score;
};
inline auto ender_model(ender::tag<listing>) {
    using namespace ender;
    return table<listing>("listing", column("id", &listing::id, primary_key()),
                          column("owner", &listing::owner), column("rank", &listing::rank),
                          column("score", &listing::score));
}

namespace {

using ender::col;
using ender::test::throws;

class paging : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, ender::schema::of<listing>());
        const char* owners[] = {"ann", "bob", "cy", "dee"};
        for (int i = 1; i <= 24; ++i) {
            listing l{i, owners[(i * 5) % 4], (i * 7) % 5, std::nullopt};
            db.insert(l);
        }
    }
    // Every page of `pages` over `query`, `size` rows each; checks one statement per page.
    std::vector<std::int64_t> walk(const ender::keyset<listing>& pages,
                                   const ender::select_query<listing>& query, std::int64_t size,
                                   int* page_count = nullptr) {
        std::vector<std::int64_t> out;
        std::optional<std::string> cursor;
        int n = 0;
        do {
            auto before = db.counts();
            auto p = pages.page(query, cursor, size);
            EXPECT_EQ((db.counts() - before).statements, 1u);
            EXPECT_LE(p.rows.size(), std::size_t(size));
            if (p.next) {
                EXPECT_EQ(p.rows.size(), std::size_t(size));
            }
            for (const auto& l : p.rows) out.push_back(l.id);
            cursor = p.next;
            ++n;
        } while (cursor && n < 100);
        if (page_count) *page_count = n;
        return out;
    }
    std::vector<std::int64_t> sql_ids(const std::string& rest) {
        return db.query<std::int64_t>("SELECT id FROM listing " + rest);
    }
};

TEST_F(paging, pages_walked_to_the_end_are_the_sql_order) {
    auto all = db.select<listing>();
    EXPECT_EQ(walk(ender::keyset<listing>("rank"), all, 5), sql_ids("ORDER BY rank, id"));
    EXPECT_EQ(walk(ender::keyset<listing>("-rank"), all, 5),
              sql_ids("ORDER BY rank DESC, id DESC"));
    // Mixed directions: the nested OR form.
    EXPECT_EQ(walk(ender::keyset<listing>("owner,-rank"), all, 3),
              sql_ids("ORDER BY owner, rank DESC, id DESC"));
    EXPECT_EQ(walk(ender::keyset<listing>("-rank,owner"), all, 7),
              sql_ids("ORDER BY rank DESC, owner, id"));
    // The primary key alone.
    EXPECT_EQ(walk(ender::keyset<listing>("-id"), all, 10), sql_ids("ORDER BY id DESC"));
}

TEST_F(paging, the_last_page_has_no_next_cursor) {
    int pages = 0;
    // 24 rows in pages of 6: four pages, the fourth full and without a next cursor.
    EXPECT_EQ(walk(ender::keyset<listing>("rank"), db.select<listing>(), 6, &pages).size(), 24u);
    EXPECT_EQ(pages, 4);
    auto one = ender::keyset<listing>("rank").page(db.select<listing>(), std::nullopt, 100);
    EXPECT_EQ(one.rows.size(), 24u);
    EXPECT_FALSE(one.next);
}

TEST_F(paging, pages_keep_the_query_conditions) {
    auto q = db.select<listing>().where(col(&listing::owner) != "bob");
    EXPECT_EQ(walk(ender::keyset<listing>("-rank,owner"), q, 4),
              sql_ids("WHERE owner <> 'bob' ORDER BY rank DESC, owner, id"));
}

TEST_F(paging, same_direction_keys_compare_as_one_row_value) {
    ender::keyset<listing> pages("rank");
    listing last{7, "ann", 3, std::nullopt};
    auto q = db.select<listing>().where(pages.after(pages.cursor(last))).order_by(pages.order());
    EXPECT_NE(q.sql().find("((listing.rank, listing.id) > ($1, $2))"), std::string::npos)
        << q.sql();
    std::vector<std::int64_t> got;
    for (const auto& l : q.all()) got.push_back(l.id);
    EXPECT_EQ(got, sql_ids("WHERE (rank, id) > (3, 7) ORDER BY rank, id"));
}

TEST_F(paging, bad_keys_and_cursors_are_errors) {
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::keyset<listing>("-ranking"); }, "42703",
                                           "cannot sort by \"ranking\""));
    EXPECT_TRUE(throws<ender::usage_error>([] { ender::keyset<listing>("score"); }, "0A000",
                                           "cannot page by column \"score\""));
    ender::keyset<listing> by_rank("rank");
    EXPECT_TRUE(
        throws<ender::usage_error>([&] { by_rank.page(db.select<listing>(), std::nullopt, 0); },
                                   "22023", "page size must be at least 1"));
    auto cursor = by_rank.cursor(listing{3, "cy", 2, std::nullopt});
    for (auto bad : {std::string("not a cursor!"), cursor.substr(0, cursor.size() - 4),
                     cursor + "AAAA", std::string()})
        EXPECT_TRUE(throws<ender::usage_error>([&] { (void)by_rank.after(bad); }, "22023",
                                               "invalid page cursor"))
            << bad;
    // A cursor of another order.
    ender::keyset<listing> by_owner("owner");
    auto other = by_owner.cursor(listing{3, "cy", 2, std::nullopt});
    try {
        (void)by_rank.after(other);
        FAIL() << "no error";
    } catch (const ender::usage_error& e) {
        EXPECT_EQ(e.sqlstate(), "22023");
        EXPECT_NE(e.detail().find("another order"), std::string::npos) << e.detail();
    }
    // The table is unchanged by any of it.
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(*) FROM listing"), 24);
}

}  // namespace
}  // namespace heroes
