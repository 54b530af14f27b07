// The heroes example's models: the tables examples/heroes/migrations create, mapped once, with
// their relationships (a team has heroes, a hero belongs to a team and has powers through
// hero_power, which carries the power's level).
#pragma once

#include <ender/ender.hpp>

namespace heroes {

struct hero;
struct power;
struct hero_power;

struct team {
    std::int64_t id{};
    std::string name;
    std::string headquarters;
    ender::many<hero> heroes;
};

struct hero {
    std::int64_t id{};
    std::string name;
    std::string secret_name;
    std::optional<int> age;
    std::optional<std::int64_t> team_id;
    ender::ref<heroes::team> team;
    ender::many<power, hero_power> powers;
};

struct power {
    std::int64_t id{};
    std::string name;
};

struct hero_power {
    std::int64_t hero_id{};
    std::int64_t power_id{};
    int level = 1;
};

inline auto ender_model(ender::tag<team>) {
    using namespace ender;
    return table<team>(
        "team", column("id", &team::id, primary_key(), identity(identity_kind::always)),
        column("name", &team::name, unique()), column("headquarters", &team::headquarters),
        has_many(&team::heroes, &hero::team_id).name("heroes"));
}

inline auto ender_model(ender::tag<hero>) {
    using namespace ender;
    return table<hero>(
        "hero", column("id", &hero::id, primary_key(), identity(identity_kind::always)),
        column("name", &hero::name), column("secret_name", &hero::secret_name),
        column("age", &hero::age, check("age >= 0")), column("team_id", &hero::team_id),
        belongs_to(&hero::team, &hero::team_id).on_delete(action::set_null),
        many_to_many(&hero::powers, via(&hero_power::hero_id, &hero_power::power_id))
            .name("powers"));
}

inline auto ender_model(ender::tag<power>) {
    using namespace ender;
    return table<power>("power",
                        column("id", &power::id, primary_key(), identity(identity_kind::always)),
                        column("name", &power::name, unique()));
}

inline auto ender_model(ender::tag<hero_power>) {
    using namespace ender;
    return table<hero_power>(
        "hero_power",
        column("hero_id", &hero_power::hero_id, references(&hero::id).on_delete(action::cascade)),
        column("power_id", &hero_power::power_id,
               references(&power::id).on_delete(action::cascade)),
        column("level", &hero_power::level, server_default("1")),
        primary_key(&hero_power::hero_id, &hero_power::power_id));
}

}  // namespace heroes
