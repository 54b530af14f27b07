// Read shapes over the shared test models (models.hpp), and the self-referencing models the
// recursive CTE tests walk: an org chart and a category tree.
#pragma once

#include "models.hpp"

namespace heroes {

// What an endpoint returns for a hero: a few columns and the team's name.
struct hero_read {
    std::int64_t id{};
    std::string name;
    std::optional<int> age;
    std::optional<std::string> team;
};
inline auto ender_shape(ender::tag<hero_read>) {
    using ender::col;
    return ender::shape<hero_read, hero>(ender::field(&hero_read::id, &hero::id),
                                         ender::field(&hero_read::name, &hero::name),
                                         ender::field(&hero_read::age, &hero::age),
                                         ender::field("team", &hero_read::team, col(&team::name)))
        .left_join<team>(col(&team::id) == col(&hero::team_id));
}

// A team's name and figures over its heroes: a projection of a join and aggregates.
struct team_stats {
    std::string name;
    std::int64_t heroes{};
    std::optional<int> oldest;
};
inline auto ender_shape(ender::tag<team_stats>) {
    using ender::col;
    return ender::shape<team_stats, team>(
               ender::field(&team_stats::name, &team::name),
               ender::field("heroes", &team_stats::heroes, ender::count(col(&hero::id))),
               ender::field("oldest", &team_stats::oldest, ender::max(col(&hero::age))))
        .left_join<hero>(col(&hero::team_id) == col(&team::id))
        .group_by(col(&team::name));
}

// A hero ranked by age within the team (a window function in a shape).
struct ranked_hero {
    std::string name;
    std::optional<std::int64_t> team_id;
    std::optional<int> age;
    std::int64_t place{};
};
inline auto ender_shape(ender::tag<ranked_hero>) {
    using ender::col;
    return ender::shape<ranked_hero, hero>(
        ender::field(&ranked_hero::name, &hero::name),
        ender::field(&ranked_hero::team_id, &hero::team_id),
        ender::field(&ranked_hero::age, &hero::age),
        ender::field("place", &ranked_hero::place,
                     ender::over(ender::row_number(),
                                 ender::partition_by(col(&hero::team_id))
                                     .order_by(ender::desc(col(&hero::age)), col(&hero::name)))));
}

struct staff {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id;
};
inline auto ender_model(ender::tag<staff>) {
    using namespace ender;
    return table<staff>("staff", column("id", &staff::id, primary_key(), identity()),
                        column("name", &staff::name),
                        column("manager_id", &staff::manager_id, references(&staff::id)));
}

// A step of a reporting chain: a staff member and their distance from the chain's start.
struct chain_link {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id;
    std::int32_t depth{};
};
inline auto ender_shape(ender::tag<chain_link>) {
    return ender::shape<chain_link, staff>(
        ender::field(&chain_link::id, &staff::id), ender::field(&chain_link::name, &staff::name),
        ender::field(&chain_link::manager_id, &staff::manager_id),
        ender::field("depth", &chain_link::depth, ender::value(std::int32_t{0})));
}

struct topic {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> parent_id;
};
inline auto ender_model(ender::tag<topic>) {
    using namespace ender;
    return table<topic>("topic", column("id", &topic::id, primary_key(), identity()),
                        column("name", &topic::name),
                        column("parent_id", &topic::parent_id, references(&topic::id)));
}

// A category of a subtree, with its depth below the subtree's root.
struct topic_node {
    std::int64_t id{};
    std::string name;
    std::int32_t depth{};
};
inline auto ender_shape(ender::tag<topic_node>) {
    return ender::shape<topic_node, topic>(
        ender::field(&topic_node::id, &topic::id), ender::field(&topic_node::name, &topic::name),
        ender::field("depth", &topic_node::depth, ender::value(std::int32_t{0})));
}

}  // namespace heroes
