// expect-error: must be a shape of the relationship's related model
#include "relation_models.hpp"

// A read shape of member, bound to a relationship whose related model is club.
struct member_card {
    std::int64_t id{};
};
inline auto ender_shape(ender::tag<member_card>) {
    return ender::shape<member_card, member>(ender::field(&member_card::id, &member::id));
}
struct member_view {
    std::int64_t id{};
    ender::ref<member_card> home;
};
inline auto ender_shape(ender::tag<member_view>) {
    return ender::shape<member_view, member>(ender::field(&member_view::id, &member::id))
        .relationship(&member_view::home, &member::home);
}

void use(ender::session& db) {
    db.select<member_view>().with(&member_view::home).all();
}
