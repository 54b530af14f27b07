// The models the relationship tests share: teams, heroes and powers (one-to-many, many-to-one,
// many-to-many through a link with its own column), passports (one-to-one), employees
// (self-referential both ways), categories (a tree), composite foreign keys and a many-to-many
// through composite keys (borders between regions).
#pragma once

#include <ender/ender.hpp>

namespace rel {

struct hero;
struct power;
struct hero_power;

struct team {
    std::int64_t id{};
    std::string name;
    ender::many<hero> heroes;
};

struct passport {
    std::int64_t id{};
    std::int64_t hero_id{};
    std::string number;
};

struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> team_id;
    ender::ref<rel::team> team;
    ender::many<power, hero_power> powers;
    ender::ref<rel::passport> passport;
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
    return table<team>("team", column("id", &team::id, primary_key(), identity()),
                       column("name", &team::name, unique()),
                       has_many(&team::heroes, &hero::team_id).name("heroes"));
}
inline auto ender_model(ender::tag<hero>) {
    using namespace ender;
    return table<hero>("hero", column("id", &hero::id, primary_key(), identity()),
                       column("name", &hero::name), column("team_id", &hero::team_id),
                       belongs_to(&hero::team, &hero::team_id).on_delete(action::set_null),
                       many_to_many(&hero::powers, via(&hero_power::hero_id, &hero_power::power_id))
                           .name("powers"),
                       has_one(&hero::passport, &passport::hero_id));
}
inline auto ender_model(ender::tag<power>) {
    using namespace ender;
    return table<power>("power", column("id", &power::id, primary_key(), identity()),
                        column("name", &power::name));
}
inline auto ender_model(ender::tag<hero_power>) {
    using namespace ender;
    return table<hero_power>("hero_power", column("hero_id", &hero_power::hero_id),
                             column("power_id", &hero_power::power_id),
                             column("level", &hero_power::level, server_default("1")),
                             primary_key(&hero_power::hero_id, &hero_power::power_id));
}
inline auto ender_model(ender::tag<passport>) {
    using namespace ender;
    return table<passport>("passport", column("id", &passport::id, primary_key(), identity()),
                           column("hero_id", &passport::hero_id),
                           column("number", &passport::number));
}

// Self-referential: a manager and the reports, on one table.
struct employee {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id;
    ender::ref<employee> manager;
    ender::many<employee> reports;
};
inline auto ender_model(ender::tag<employee>) {
    using namespace ender;
    return table<employee>("employee", column("id", &employee::id, primary_key()),
                           column("name", &employee::name),
                           column("manager_id", &employee::manager_id),
                           belongs_to(&employee::manager, &employee::manager_id).name("manager"),
                           has_many(&employee::reports, &employee::manager_id).name("reports"));
}

// A tree loaded to a given depth.
struct category {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> parent_id;
    ender::many<category> children;
};
inline auto ender_model(ender::tag<category>) {
    using namespace ender;
    return table<category>("category", column("id", &category::id, primary_key()),
                           column("name", &category::name),
                           column("parent_id", &category::parent_id),
                           has_many(&category::children, &category::parent_id).name("children"));
}

// A composite key: regions are (country, code); cities reference them with two columns.
struct city;
struct region {
    std::string country;
    std::string code;
    std::string name;
    ender::many<city> cities;
    ender::many<region> neighbours;
};
// Many-to-many through composite keys on both sides: a border between two regions.
struct border {
    std::string country;
    std::string code;
    std::string other_country;
    std::string other_code;
};
inline auto ender_model(ender::tag<border>) {
    using namespace ender;
    return table<border>(
        "border", column("country", &border::country), column("code", &border::code),
        column("other_country", &border::other_country), column("other_code", &border::other_code),
        primary_key(&border::country, &border::code, &border::other_country, &border::other_code));
}
struct city {
    std::int64_t id{};
    std::string name;
    std::optional<std::string> country;
    std::optional<std::string> region_code;
    ender::ref<rel::region> region;
};
inline auto ender_model(ender::tag<region>) {
    using namespace ender;
    return table<region>(
        "region", column("country", &region::country), column("code", &region::code),
        column("name", &region::name), primary_key(&region::country, &region::code),
        has_many(&region::cities, &city::country, &city::region_code),
        many_to_many(&region::neighbours, via(keys(&border::country, &border::code),
                                              keys(&border::other_country, &border::other_code)))
            .name("neighbours"));
}
inline auto ender_model(ender::tag<city>) {
    using namespace ender;
    return table<city>("city", column("id", &city::id, primary_key()), column("name", &city::name),
                       column("country", &city::country), column("region_code", &city::region_code),
                       belongs_to(&city::region, &city::country, &city::region_code));
}

inline ender::schema all_models() {
    return ender::schema::of<team, hero, power, hero_power, passport, employee, category, region,
                             city, border>();
}

}  // namespace rel
