// The models the cascade and back-population tests share: authors own books (delete-orphan,
// soft-deletable both) and a profile (one-to-one, declared inverse both ways); books own
// chapters (delete-orphan, no soft delete); every child refers back to its owner. Students and
// courses, linked by enrollments (with a grade), hold each other as shared objects both ways.
#pragma once

#include <ender/ender.hpp>

namespace casc {

struct book;
struct chapter;
struct profile;
struct student;
struct course;
struct enrollment;

struct author {
    std::int64_t id{};
    std::string name;
    ender::many<book> books;
    ender::ref<casc::profile> profile;
    ender::soft_delete deleted;
};

struct book {
    std::int64_t id{};
    std::string title;
    std::optional<std::int64_t> author_id;
    ender::ref<casc::author> author;
    ender::many<chapter> chapters;
    ender::soft_delete deleted;
};

struct chapter {
    std::int64_t id{};
    std::int64_t book_id{};
    std::string title;
    ender::ref<casc::book> book;
};

struct profile {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string bio;
    ender::ref<casc::author> author;
};

inline auto ender_model(ender::tag<author>) {
    using namespace ender;
    return table<author>("author", column("id", &author::id, primary_key(), identity()),
                         column("name", &author::name), embed(&author::deleted),
                         has_many(&author::books, &book::author_id)
                             .cascade(cascade::delete_orphans)
                             .back_populates(&book::author),
                         has_one(&author::profile, &profile::author_id)
                             .cascade(cascade::delete_children)
                             .back_populates(&profile::author));
}
inline auto ender_model(ender::tag<book>) {
    using namespace ender;
    return table<book>("book", column("id", &book::id, primary_key(), identity()),
                       column("title", &book::title), column("author_id", &book::author_id),
                       embed(&book::deleted), belongs_to(&book::author, &book::author_id),
                       has_many(&book::chapters, &chapter::book_id)
                           .cascade(cascade::delete_orphans)
                           .back_populates(&chapter::book));
}
inline auto ender_model(ender::tag<chapter>) {
    using namespace ender;
    return table<chapter>("chapter", column("id", &chapter::id, primary_key(), identity()),
                          column("book_id", &chapter::book_id), column("title", &chapter::title),
                          belongs_to(&chapter::book, &chapter::book_id));
}
inline auto ender_model(ender::tag<profile>) {
    using namespace ender;
    return table<profile>(
        "profile", column("id", &profile::id, primary_key(), identity()),
        column("author_id", &profile::author_id), column("bio", &profile::bio),
        belongs_to(&profile::author, &profile::author_id).back_populates(&author::profile));
}

struct enrollment {
    std::int64_t student_id{};
    std::int64_t course_id{};
    int grade{};
};

struct student {
    std::int64_t id{};
    std::string name;
    ender::shared_many<casc::course, enrollment> courses;
};

struct course {
    std::int64_t id{};
    std::string title;
    ender::shared_many<casc::student, enrollment> students;
};

inline auto ender_model(ender::tag<student>) {
    using namespace ender;
    return table<student>(
        "student", column("id", &student::id, primary_key(), identity()),
        column("name", &student::name),
        many_to_many(&student::courses, via(&enrollment::student_id, &enrollment::course_id))
            .back_populates(&course::students));
}
inline auto ender_model(ender::tag<course>) {
    using namespace ender;
    return table<course>(
        "course", column("id", &course::id, primary_key(), identity()),
        column("title", &course::title),
        many_to_many(&course::students, via(&enrollment::course_id, &enrollment::student_id))
            .back_populates(&student::courses));
}
inline auto ender_model(ender::tag<enrollment>) {
    using namespace ender;
    return table<enrollment>("enrollment", column("student_id", &enrollment::student_id),
                             column("course_id", &enrollment::course_id),
                             column("grade", &enrollment::grade),
                             primary_key(&enrollment::student_id, &enrollment::course_id));
}

inline ender::schema all_models() {
    return ender::schema::of<author, book, chapter, profile, student, course, enrollment>();
}

}  // namespace casc
