// expect-error: include_ender_load_hpp
// As insert_without_query_hpp, for a member defined by another header (load.hpp).
#include <ender/query.hpp>

struct note {
    std::int64_t id{};
    std::string text;
};
inline auto ender_model(ender::tag<note>) {
    return ender::table<note>("note", ender::column("id", &note::id, ender::primary_key()),
                              ender::column("text", &note::text));
}

void use(ender::session& db) {
    std::vector<note> notes;
    db.load(notes, &note::text);
}
