// Models with relationships, for the compile-fail cases of eager loading.
#pragma once

#include <ender/ender.hpp>

struct member;
struct club {
    std::int64_t id{};
    std::vector<std::string> tags;
    ender::many<member> members;
};
struct member {
    std::int64_t id{};
    std::optional<std::int64_t> club_id;
    ender::ref<club> home;
};
inline auto ender_model(ender::tag<club>) {
    using namespace ender;
    return table<club>("club", column("id", &club::id, primary_key()), column("tags", &club::tags),
                       has_many(&club::members, &member::club_id));
}
inline auto ender_model(ender::tag<member>) {
    using namespace ender;
    return table<member>("member", column("id", &member::id, primary_key()),
                         column("club_id", &member::club_id),
                         belongs_to(&member::home, &member::club_id));
}
