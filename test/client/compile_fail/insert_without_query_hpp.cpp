// expect-error: include_ender_query_hpp
// A session member for models called without the header that defines it: a compile error naming
// the header, not an undefined reference at link time.
#include <ender/model.hpp>
#include <ender/session.hpp>

struct note {
    std::int64_t id{};
    std::string text;
};
inline auto ender_model(ender::tag<note>) {
    return ender::table<note>("note", ender::column("id", &note::id, ender::primary_key()),
                              ender::column("text", &note::text));
}

void use(ender::session& db) {
    note n{1, "hello"};
    db.insert(n);
}
