// The heroes example's report: read shapes, a window function, a CTE, HAVING and a recursive
// CTE, each one statement (examples/heroes/app.cpp prints it).
#pragma once

#include "models.hpp"

#include <iostream>

namespace heroes {

// A hero ranked by age within the team (1 = the oldest).
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

// A team's name, its number of heroes and their average age.
struct team_stats {
    std::string name;
    std::int64_t heroes{};
    std::optional<ender::decimal> average_age;
};
inline auto ender_shape(ender::tag<team_stats>) {
    using ender::col;
    return ender::shape<team_stats, team>(
               ender::field(&team_stats::name, &team::name),
               ender::field("heroes", &team_stats::heroes, ender::count(col(&hero::id))),
               ender::field("average_age", &team_stats::average_age, ender::avg(col(&hero::age))))
        .left_join<hero>(col(&hero::team_id) == col(&team::id))
        .group_by(col(&team::name));
}

// Who trained whom: a table the report makes for the length of its transaction.
struct mentorship {
    std::int64_t hero_id{};
    std::int64_t mentor_id{};
};
inline auto ender_model(ender::tag<mentorship>) {
    using namespace ender;
    return table<mentorship>("mentorship", column("hero_id", &mentorship::hero_id),
                             column("mentor_id", &mentorship::mentor_id));
}

// A step of a chain of mentors: a hero and how many steps above the chain's start.
struct mentor_link {
    std::int64_t hero_id{};
    std::int64_t mentor_id{};
    std::int32_t depth{};
};
inline auto ender_shape(ender::tag<mentor_link>) {
    return ender::shape<mentor_link, mentorship>(
        ender::field(&mentor_link::hero_id, &mentorship::hero_id),
        ender::field(&mentor_link::mentor_id, &mentorship::mentor_id),
        ender::field("depth", &mentor_link::depth, ender::value(std::int32_t{1})));
}

// Prints the top three heroes of each team by age, the teams of two heroes or more, and the
// chain of mentors above `start`.
inline void print_report(ender::session& db, std::int64_t start) {
    using ender::col;
    // Top 3 per team: rank in a CTE, keep places 1 to 3 (a window function cannot be in WHERE).
    ender::cte<ranked_hero> ranked("ranked");
    ranked.as(db.select<ranked_hero>().where(ender::is_not_null(col(&hero::team_id))));
    auto top = ender::with(db, ranked)
                   .select<ranked_hero>()
                   .from(ranked)
                   .where(ranked.col(&ranked_hero::place) <= 3)
                   .order_by(ranked.col(&ranked_hero::team_id))
                   .order_by(ranked.col(&ranked_hero::place))
                   .all();
    std::cout << "   top 3 per team by age:\n";
    for (const auto& h : top)
        std::cout << "     team #" << *h.team_id << " " << h.place << ". " << h.name << " ("
                  << (h.age ? std::to_string(*h.age) : "age unknown") << ")\n";

    std::cout << "   teams of two heroes or more:\n";
    for (const auto& t : db.select<team_stats>()
                             .having(ender::count(col(&hero::id)) >= 2)
                             .order_by(col(&team::name))
                             .all())
        std::cout << "     " << t.name << ": " << t.heroes << " heroes, average age "
                  << (t.average_age ? t.average_age->str() : "unknown") << "\n";

    // The chain of mentors: WITH RECURSIVE, from `start` up to a hero nobody trained.
    ender::cte<mentor_link> chain("chain");
    chain.recursive(
        db.select<mentor_link>().where(col(&mentorship::hero_id) == start),
        ender::subquery(col(&mentorship::hero_id), col(&mentorship::mentor_id),
                        chain.col(&mentor_link::depth) + 1)
            .from<mentorship>()
            .join(chain, col(&mentorship::hero_id) == chain.col(&mentor_link::mentor_id)));
    std::cout << "   the chain of mentors above hero #" << start << ":";
    for (const auto& [name, depth] :
         ender::with(db, chain)
             .select(col(&hero::name), chain.col(&mentor_link::depth))
             .from(chain)
             .join<hero>(col(&hero::id) == chain.col(&mentor_link::mentor_id))
             .order_by(ender::asc(chain.col(&mentor_link::depth)))
             .all())
        std::cout << " -> " << name << " (" << depth << ")";
    std::cout << "\n";
}

}  // namespace heroes
