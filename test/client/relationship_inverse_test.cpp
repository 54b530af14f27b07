// back_populates: a load sets the related objects' reference to the owner that loaded them (the
// owner itself, not a copy), with no statement of its own, for has_many, has_one and belongs_to
// declared inverse of a has_one, at every level of a path; and many-to-many over shared_many,
// each target one object whose inverse collection holds the owners that loaded it.
#include "cascade_models.hpp"
#include "support.hpp"

#include <algorithm>

namespace {

using ender::col;
using ender::test::throws;

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
            INSERT INTO student (name) VALUES ('Ann'), ('Bob'), ('Cid');
            INSERT INTO course (title) VALUES ('Math'), ('Art'), ('Chem');
            INSERT INTO enrollment VALUES (1, 1, 90), (1, 2, 70), (2, 1, 80);
        )");
    }
    std::uint64_t statements_since(ender::statement_counts before) {
        return (db.counts() - before).statements;
    }
};

// "course:student=grade" for every enrollment, in order, by plain SQL.
std::vector<std::string> enrollments_reference(ender::session& db) {
    std::vector<std::string> out;
    for (auto& [line] : db.query<std::tuple<std::string>>(
             "SELECT c.title || ':' || s.name || '=' || e.grade FROM enrollment e JOIN student s "
             "ON s.id = e.student_id JOIN course c ON c.id = e.course_id ORDER BY 1"))
        out.push_back(line);
    return out;
}

// The same lines read from the courses' back-populated collections (each course once).
std::vector<std::string> enrollments_of(const std::vector<casc::course*>& courses) {
    std::vector<std::string> out;
    for (const auto* c : courses)
        for (std::size_t i = 0; i < c->students.size(); ++i)
            out.push_back(c->title + ":" + c->students[i].name + "=" +
                          std::to_string(c->students.link(i).grade));
    std::sort(out.begin(), out.end());
    return out;
}

// The distinct courses the students hold (shared: one pointer per course).
std::vector<casc::course*> courses_held(std::vector<casc::student>& students) {
    std::vector<casc::course*> out;
    for (auto& s : students)
        for (auto& c : s.courses)
            if (std::find(out.begin(), out.end(), &c) == out.end()) out.push_back(&c);
    return out;
}

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

TEST_F(inverse, many_to_many_shares_each_target_and_fills_its_inverse_collection) {
    auto before = db.counts();
    auto students = db.select<casc::student>()
                        .order_by(col(&casc::student::id))
                        .with(&casc::student::courses)
                        .all();
    EXPECT_EQ(statements_since(before), 2u);
    ASSERT_EQ(students.size(), 3u);
    auto& ann = students[0];
    auto& bob = students[1];
    ASSERT_EQ(ann.courses.size(), 2u);
    ASSERT_EQ(bob.courses.size(), 1u);
    EXPECT_TRUE(students[2].courses.loaded());
    EXPECT_TRUE(students[2].courses.empty());
    // Math, linked to Ann and Bob, is one object that both hold.
    casc::course* math = nullptr;
    for (auto& c : ann.courses)
        if (c.title == "Math") math = &c;
    ASSERT_NE(math, nullptr);
    EXPECT_EQ(&bob.courses[0], math);
    EXPECT_EQ(ann.courses.shared().size(), 2u);
    EXPECT_EQ(bob.courses.shared()[0].get(), math);
    // Its students are Ann and Bob themselves, with their link rows.
    ASSERT_TRUE(math->students.loaded());
    ASSERT_EQ(math->students.size(), 2u);
    EXPECT_EQ(&math->students[0], &ann);
    EXPECT_EQ(&math->students[1], &bob);
    EXPECT_EQ(math->students.link(0).grade, 90);
    EXPECT_EQ(math->students.link(1).grade, 80);
    EXPECT_EQ(enrollments_of(courses_held(students)), enrollments_reference(db));
    // Following the path back costs nothing; a change through it is a change of the owner.
    before = db.counts();
    db.load(students, &casc::student::courses, &casc::course::students);
    EXPECT_EQ(statements_since(before), 0u);
    math->students[1].name = "Robert";
    EXPECT_EQ(bob.name, "Robert");
}

TEST_F(inverse, many_to_many_back_populates_the_other_direction_too) {
    auto before = db.counts();
    auto courses = db.select<casc::course>()
                       .order_by(col(&casc::course::id))
                       .with(&casc::course::students, &casc::student::courses)
                       .all();
    EXPECT_EQ(statements_since(before), 2u);  // the students' courses come back-populated
    ASSERT_EQ(courses.size(), 3u);
    EXPECT_TRUE(courses[2].students.empty());
    ASSERT_EQ(courses[0].students.size(), 2u);
    auto& ann = courses[0].students[0];
    EXPECT_EQ(&courses[1].students[0], &ann);  // Ann in Math and in Art: one object
    ASSERT_EQ(ann.courses.size(), 2u);
    EXPECT_EQ(&ann.courses[0], &courses[0]);
    EXPECT_EQ(&ann.courses[1], &courses[1]);
    EXPECT_EQ(ann.courses.link(1).grade, 70);
    std::vector<std::string> lines;
    for (auto& c : courses)
        for (auto& s : c.students)
            for (std::size_t i = 0; i < s.courses.size(); ++i)
                if (&s.courses[i] == &c)
                    lines.push_back(c.title + ":" + s.name + "=" +
                                    std::to_string(s.courses.link(i).grade));
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, enrollments_reference(db));
}

TEST_F(inverse, many_to_many_targets_stay_shared_across_key_batches) {
    auto before = db.counts();
    auto students = db.select<casc::student>()
                        .order_by(col(&casc::student::id))
                        .with(ender::selectin(&casc::student::courses).batch(1))
                        .all();
    EXPECT_EQ(statements_since(before), 4u);  // the students, then one statement per key
    EXPECT_EQ(&students[0].courses[0] == &students[1].courses[0] ||
                  &students[0].courses[1] == &students[1].courses[0],
              true);
    auto held = courses_held(students);
    EXPECT_EQ(held.size(), 2u);
    EXPECT_EQ(enrollments_of(held), enrollments_reference(db));
}

TEST_F(inverse, shared_many_to_many_inserts_with_insert_graph_and_refuses_unloaded_reads) {
    casc::student s;
    EXPECT_TRUE(
        throws<ender::usage_error>([&] { (void)s.courses.size(); }, "55000", "is not loaded"));
    s.name = "Dee";
    auto bio = std::make_shared<casc::course>();
    bio->title = "Bio";
    s.courses = ender::shared_many<casc::course, casc::enrollment>({bio});
    db.insert_graph(s);
    EXPECT_NE(bio->id, 0);
    EXPECT_EQ(db.scalar<std::int64_t>(
                  "SELECT count(*) FROM enrollment e JOIN course c ON c.id = e.course_id "
                  "WHERE e.student_id = $1 AND c.title = 'Bio'",
                  s.id),
              1);
}

}  // namespace
