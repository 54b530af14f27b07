// ender::cascade and soft delete: removing an owner removes its children (hard, or soft where
// the model has the mixin) level by level in one transaction; a child taken out of a loaded
// delete-orphan collection is removed when the owner is saved; restore clears deleted_at, and
// the children's the removal set with it;
// relationship loads skip soft-deleted rows unless asked. Checked against plain SQL.
#include "cascade_models.hpp"
#include "support.hpp"

namespace {

using ender::col;
using ender::test::throws;

class cascade : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, casc::all_models());
        db.execute(R"(
            INSERT INTO author (name) VALUES ('Le Guin'), ('Pratchett');
            INSERT INTO book (title, author_id) VALUES ('Earthsea', 1), ('Dispossessed', 1),
                ('Mort', 2);
            INSERT INTO chapter (book_id, title) VALUES (1, 'e1'), (1, 'e2'), (2, 'd1'),
                (3, 'm1');
            INSERT INTO profile (author_id, bio) VALUES (1, 'Berkeley'), (2, 'Beaconsfield');
        )");
    }
    std::uint64_t statements_since(ender::statement_counts before) {
        return (db.counts() - before).statements;
    }
    // "table:id[*],..." of every row (* when soft-deleted), by plain SQL.
    std::string rows() {
        return db.scalar<std::string>(
            "SELECT concat_ws(' ', "
            "(SELECT 'author:' || string_agg(id || CASE WHEN deleted_at IS NULL THEN '' ELSE '*' "
            "END, ',' ORDER BY id) FROM author), "
            "(SELECT 'book:' || string_agg(id || CASE WHEN deleted_at IS NULL THEN '' ELSE '*' "
            "END, ',' ORDER BY id) FROM book), "
            "(SELECT 'chapter:' || string_agg(id::text, ',' ORDER BY id) FROM chapter), "
            "(SELECT 'profile:' || string_agg(id::text, ',' ORDER BY id) FROM profile))");
    }
    casc::author author(std::int64_t id) { return *db.get<casc::author>(id); }
};

TEST_F(cascade, a_hard_remove_deletes_the_children_level_by_level) {
    auto a = author(1);
    std::vector<std::string> sql;
    db.on_statement([&](const ender::statement_info& s) { sql.emplace_back(s.sql); });
    db.remove(a, ender::hard_delete);
    // BEGIN, the books read (their chapters cascade), the chapters, the books, the profile,
    // the author, COMMIT.
    ASSERT_EQ(sql.size(), 7u);
    EXPECT_EQ(sql[0], "BEGIN");
    EXPECT_EQ(sql[2],
              "DELETE FROM public.chapter AS chapter WHERE chapter.book_id = "
              "ANY($1::bigint[])");
    EXPECT_EQ(sql[3], "DELETE FROM public.book AS book WHERE book.author_id = ANY($1::bigint[])");
    EXPECT_EQ(sql[6], "COMMIT");
    EXPECT_EQ(rows(), "author:2 book:3 chapter:4 profile:2");
}

TEST_F(cascade, a_soft_remove_soft_deletes_the_children_that_can_be_and_restore_undoes_it) {
    auto a = author(1);
    auto before = db.counts();
    db.remove(a);
    // BEGIN, the books read, the books' deleted_at set, the author's, COMMIT: the chapters and
    // the profile (no soft delete) stay, their owners' rows still exist.
    EXPECT_EQ(statements_since(before), 5u);
    EXPECT_TRUE(a.deleted.deleted_at.has_value());
    EXPECT_EQ(rows(), "author:1*,2 book:1*,2*,3 chapter:1,2,3,4 profile:1,2");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(DISTINCT deleted_at) FROM book "
                                      "WHERE deleted_at IS NOT NULL"),
              1);
    // Ordinary selects and loads skip the soft-deleted rows; with_deleted shows them.
    EXPECT_FALSE(db.get<casc::author>(std::int64_t(1)).has_value());
    auto all = db.select<casc::author>()
                   .with_deleted()
                   .order_by(col(&casc::author::id))
                   .with(&casc::author::books)
                   .all();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_TRUE(all[0].books.empty());
    auto again = db.select<casc::author>()
                     .with_deleted()
                     .order_by(col(&casc::author::id))
                     .with(ender::selectin(&casc::author::books).with_deleted())
                     .all();
    ASSERT_EQ(again[0].books.size(), 2u);
    EXPECT_EQ(again[1].books.size(), 1u);
    auto titled = [&](const std::string& title) -> casc::book& {
        for (auto& b : again[0].books)
            if (b.title == title) return b;
        throw std::runtime_error("no book " + title);
    };
    // restore: the author back, and the books its removal soft-deleted (their deleted_at is
    // the author's): BEGIN, the author's deleted_at read, the books read (for their own
    // cascades), the books' deleted_at cleared, the author's, COMMIT.
    before = db.counts();
    db.restore(a);
    EXPECT_EQ(statements_since(before), 6u);
    EXPECT_FALSE(a.deleted.deleted_at.has_value());
    EXPECT_EQ(rows(), "author:1,2 book:1,2,3 chapter:1,2,3,4 profile:1,2");
    // A book soft-deleted on its own before stays deleted when its author is restored.
    db.remove(titled("Dispossessed"));
    db.remove(a);
    EXPECT_EQ(rows(), "author:1*,2 book:1*,2*,3 chapter:1,2,3,4 profile:1,2");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT count(DISTINCT deleted_at) FROM book "
                                      "WHERE deleted_at IS NOT NULL"),
              2);
    db.restore(a);
    EXPECT_EQ(rows(), "author:1,2 book:1,2*,3 chapter:1,2,3,4 profile:1,2");
    EXPECT_EQ(db.scalar<std::string>("SELECT string_agg(title, ',' ORDER BY id) FROM book "
                                     "WHERE deleted_at IS NULL"),
              "Earthsea,Mort");
    db.restore(titled("Dispossessed"));
    EXPECT_EQ(rows(), "author:1,2 book:1,2,3 chapter:1,2,3,4 profile:1,2");
    // hard_delete of a soft-deleted row removes it and its children.
    db.remove(titled("Earthsea"), ender::hard_delete);
    EXPECT_EQ(rows(), "author:1,2 book:2,3 chapter:3,4 profile:1,2");
}

TEST_F(cascade, restore_refuses_a_live_row_and_a_model_without_soft_delete) {
    auto a = author(2);
    EXPECT_TRUE(throws<ender::error>([&] { db.restore(a); }, "P0002",
                                     "no soft-deleted row of table \"author\""));
    casc::chapter c{.id = 1};
    EXPECT_TRUE(throws<ender::usage_error>([&] { db.restore(c); }, "0A000",
                                           "table \"chapter\" has no soft-delete column"));
    EXPECT_EQ(rows(), "author:1,2 book:1,2,3 chapter:1,2,3,4 profile:1,2");
}

TEST_F(cascade, a_restore_in_a_rolled_back_transaction_restores_nothing) {
    auto a = author(1);
    db.remove(a);
    EXPECT_EQ(rows(), "author:1*,2 book:1*,2*,3 chapter:1,2,3,4 profile:1,2");
    {
        auto tx = db.begin();
        db.restore(a);
        EXPECT_EQ(rows(), "author:1,2 book:1,2,3 chapter:1,2,3,4 profile:1,2");
    }  // rolled back
    EXPECT_EQ(rows(), "author:1*,2 book:1*,2*,3 chapter:1,2,3,4 profile:1,2");
    // A row deleted by someone else since: the children's stamp is read from the row.
    db.execute("UPDATE author SET deleted_at = deleted_at - interval '1 hour' WHERE id = 1");
    db.restore(a);
    EXPECT_EQ(rows(), "author:1,2 book:1*,2*,3 chapter:1,2,3,4 profile:1,2");
}

TEST_F(cascade, a_failed_cascade_leaves_every_row_as_it_was) {
    // A row the cascade does not know of references the author: the DELETE of the author fails
    // and the children deleted before it come back.
    db.execute(
        "CREATE TABLE award (id int PRIMARY KEY, author_id bigint REFERENCES author (id));"
        "INSERT INTO award VALUES (1, 1)");
    auto a = author(1);
    EXPECT_TRUE(throws<ender::error>([&] { db.remove(a, ender::hard_delete); }, "23503",
                                     "violates foreign key constraint"));
    EXPECT_FALSE(db.in_transaction());
    EXPECT_EQ(rows(), "author:1,2 book:1,2,3 chapter:1,2,3,4 profile:1,2");
}

TEST_F(cascade, a_child_taken_out_of_a_loaded_collection_is_removed_on_save) {
    auto authors = db.select<casc::author>()
                       .where(col(&casc::author::id) == std::int64_t(1))
                       .with(&casc::author::books, &casc::book::chapters)
                       .all();
    auto& a = authors[0];
    ASSERT_EQ(a.books.size(), 2u);
    ASSERT_EQ(a.books[0].title, "Earthsea");
    a.books[0].chapters.items().erase(a.books[0].chapters.begin() + 1);  // e2: deleted
    a.books.items().pop_back();  // Dispossessed: soft-deleted (its chapter stays)
    std::vector<std::string> sql;
    db.on_statement([&](const ender::statement_info& s) { sql.emplace_back(s.sql); });
    db.insert_graph(a);
    // BEGIN, the orphan book read (its chapters cascade) and soft-deleted, the books left
    // pointed at the author, the orphan chapter deleted, the chapters left pointed at their
    // book, COMMIT.
    EXPECT_EQ(sql.size(), 7u) << testing::PrintToString(sql);
    EXPECT_EQ(rows(), "author:1,2 book:1,2*,3 chapter:1,3,4 profile:1,2");
    // Saved again with nothing taken out: nothing removed.
    sql.clear();
    db.insert_graph(a);
    EXPECT_EQ(sql.size(), 4u) << testing::PrintToString(sql);  // BEGIN, 2 relinks, COMMIT
    EXPECT_EQ(rows(), "author:1,2 book:1,2*,3 chapter:1,3,4 profile:1,2");
}

TEST_F(cascade, a_child_taken_out_of_a_joined_collection_is_removed_on_save) {
    auto authors = db.select<casc::author>()
                       .order_by(col(&casc::author::id))
                       .with(ender::joined(&casc::author::books))
                       .all();
    ASSERT_EQ(authors.size(), 2u);
    ASSERT_EQ(authors[0].books.size(), 2u);
    authors[0].books.items().pop_back();  // Dispossessed: soft-deleted (its chapter stays)
    db.insert_graph(authors);
    EXPECT_EQ(rows(), "author:1,2 book:1,2*,3 chapter:1,2,3,4 profile:1,2");
    // Saved again with nothing taken out: nothing removed.
    db.insert_graph(authors);
    EXPECT_EQ(rows(), "author:1,2 book:1,2*,3 chapter:1,2,3,4 profile:1,2");
}

TEST_F(cascade, a_child_moved_to_another_loaded_owner_is_not_an_orphan) {
    auto authors =
        db.select<casc::author>().order_by(col(&casc::author::id)).with(&casc::author::books).all();
    auto mort = authors[1].books[0];
    authors[1].books.items().clear();
    authors[0].books.items().push_back(mort);
    db.insert_graph(authors);
    EXPECT_EQ(rows(), "author:1,2 book:1,2,3 chapter:1,2,3,4 profile:1,2");
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT author_id FROM book WHERE title = 'Mort'"), 1);
}

}  // namespace
