// The models the cascade and back-population tests share: authors own books (delete-orphan,
// soft-deletable both) and a profile (one-to-one, declared inverse both ways); books own
// chapters (delete-orphan, no soft delete); every child refers back to its owner.
#pragma once

#include <ender/ender.hpp>

namespace casc {

struct book;
struct chapter;
struct profile;

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

inline ender::schema all_models() {
    return ender::schema::of<author, book, chapter, profile>();
}

}  // namespace casc
