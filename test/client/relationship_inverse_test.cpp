// back_populates: a load sets the related objects' reference to the owner that loaded them (the
// owner itself, not a copy), with no statement of its own, for has_many, has_one and belongs_to
// declared inverse of a has_one, at every level of a path.
#include "cascade_models.hpp"
#include "support.hpp"

namespace {

using ender::col;

class inverse : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, casc::all_models());
        db.execute(R"(
            INSERT INTO author (name) VALUES ('Le Guin'), ('Pratchett'), ('Nobody');
            INSERT INTO book (title, author_id) VALUES ('Earthsea', 1), ('Dispossessed', 1),
                ('Mort', 2), ('Anonymous', NULL);
            INSERT INTO chapter (book_id, title) VALUES (1, 'e1'), (1, 'e2'), (3, 'm1');
            INSERT INTO profile (author_id, bio) VALUES (1, 'Berkeley'), (2, 'Beaconsfield');
        )");
    }
    std::uint64_t statements_since(ender::statement_counts before) {
        return (db.counts() - before).statements;
    }
};

TEST_F(inverse, a_collection_load_sets_each_childs_owner_to_the_loaded_owner) {
    auto before = db.counts();
    auto authors =
        db.select<casc::author>().order_by(col(&casc::author::id)).with(&casc::author::books).all();
    EXPECT_EQ(statements_since(before), 2u);
    ASSERT_EQ(authors.size(), 3u);
    std::size_t books = 0;
    for (auto& a : authors)
        for (auto& b : a.books) {
            ASSERT_TRUE(b.author.loaded());
            EXPECT_EQ(b.author.get(), &a);  // the owner itself: shared, not copied
            EXPECT_EQ(b.author->name, a.name);
            ++books;
        }
    EXPECT_EQ(books, 3u);
    // Already loaded: following the path back costs nothing.
    before = db.counts();
    db.load(authors, &casc::author::books, &casc::book::author);
    EXPECT_EQ(statements_since(before), 0u);
    // A change through the reference is a change of the owner.
    authors[1].books[0].author->name = "Sir Terry";
    EXPECT_EQ(authors[1].name, "Sir Terry");
}

TEST_F(inverse, a_joined_collection_sets_each_childs_owner_to_the_loaded_owner) {
    auto before = db.counts();
    auto authors = db.select<casc::author>()
                       .order_by(col(&casc::author::id))
                       .with(ender::joined(&casc::author::books), &casc::book::chapters)
                       .all();
    EXPECT_EQ(statements_since(before), 2u);  // authors joined to their books, then chapters
    ASSERT_EQ(authors.size(), 3u);
    std::string seen;
    for (auto& a : authors) {
        ASSERT_TRUE(a.books.loaded());
        for (auto& b : a.books) {
            ASSERT_TRUE(b.author.loaded());
            EXPECT_EQ(b.author.get(), &a);
            seen += b.title + ":" + b.author->name + ";";
            for (auto& c : b.chapters) EXPECT_EQ(c.book.get(), &b);
        }
    }
    EXPECT_EQ(seen, db.scalar<std::string>("SELECT string_agg(b.title || ':' || a.name || ';', '' "
                                           "ORDER BY a.id, b.id) FROM author a "
                                           "JOIN book b ON b.author_id = a.id"));
}

TEST_F(inverse, every_level_of_a_path_refers_back) {
    auto before = db.counts();
    auto authors = db.select<casc::author>()
                       .where(col(&casc::author::id) == std::int64_t(1))
                       .with(&casc::author::books, &casc::book::chapters)
                       .all();
    EXPECT_EQ(statements_since(before), 3u);
    ASSERT_EQ(authors.size(), 1u);
    std::string seen;
    for (auto& b : authors[0].books)
        for (auto& c : b.chapters) {
            EXPECT_EQ(c.book.get(), &b);
            EXPECT_EQ(c.book->author.get(), &authors[0]);
            seen += c.title;
        }
    EXPECT_EQ(seen, db.scalar<std::string>("SELECT string_agg(c.title, '' ORDER BY c.id) FROM "
                                           "chapter c JOIN book b ON b.id = c.book_id "
                                           "WHERE b.author_id = 1"));
}

TEST_F(inverse, one_to_one_refers_back_in_both_directions) {
    auto before = db.counts();
    auto authors = db.select<casc::author>()
                       .order_by(col(&casc::author::id))
                       .with(&casc::author::profile)
                       .all();
    EXPECT_EQ(statements_since(before), 2u);
    ASSERT_TRUE(authors[0].profile.has_value());
    EXPECT_EQ(authors[0].profile->author.get(), &authors[0]);
    EXPECT_EQ(authors[1].profile->author.get(), &authors[1]);
    EXPECT_FALSE(authors[2].profile.has_value());
    // From the other side: the profile's author (belongs_to) refers back to the profile.
    before = db.counts();
    auto profiles = db.select<casc::profile>()
                        .order_by(col(&casc::profile::id))
                        .with(&casc::profile::author)
                        .all();
    EXPECT_EQ(statements_since(before), 2u);
    ASSERT_EQ(profiles.size(), 2u);
    for (auto& p : profiles) {
        EXPECT_EQ(p.author->profile.get(), &p);
        EXPECT_EQ(p.author->id, p.author_id);
    }
    // Joined, the same.
    before = db.counts();
    auto joined = db.select<casc::profile>()
                      .order_by(col(&casc::profile::id))
                      .with(ender::joined(&casc::profile::author))
                      .all();
    EXPECT_EQ(statements_since(before), 1u);
    EXPECT_EQ(joined[1].author->profile.get(), &joined[1]);
    EXPECT_EQ(joined[1].author->name, "Pratchett");
}

TEST_F(inverse, objects_loaded_in_hand_refer_back_to_them) {
    auto books = db.select<casc::book>().order_by(col(&casc::book::id)).all();
    auto before = db.counts();
    db.load(books, &casc::book::chapters);
    EXPECT_EQ(statements_since(before), 1u);
    ASSERT_EQ(books[0].chapters.size(), 2u);
    EXPECT_EQ(books[0].chapters[1].book.get(), &books[0]);
    EXPECT_EQ(books[2].chapters[0].book.get(), &books[2]);
    EXPECT_TRUE(books[3].chapters.empty());
}

}  // namespace
