// The models the compile-fail cases misuse (the same shape as the tests' heroes).
#pragma once

#include <ender/ender.hpp>

struct team {
    std::int64_t id{};
    std::string name;
};
inline auto ender_model(ender::tag<team>) {
    return ender::table<team>("team", ender::column("id", &team::id, ender::primary_key()),
                              ender::column("name", &team::name));
}

struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<int> age;
    std::optional<std::int64_t> team_id;
};
inline auto ender_model(ender::tag<hero>) {
    return ender::table<hero>(
        "hero", ender::column("id", &hero::id, ender::primary_key()),
        ender::column("name", &hero::name), ender::column("age", &hero::age),
        ender::column("team_id", &hero::team_id, ender::references(&team::id)));
}

struct unmapped {
    int x = 0;
};

// A struct the field-option cases map with a wrong option (each its own ender_model).
struct gauge {
    std::int64_t id{};
    int level{};
    std::string label;
};
