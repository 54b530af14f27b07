// What docs/client.md's blocks take as known without showing it: models its examples name but do
// not declare (a category tree, employees and their managers), and values in hand. Compiled after
// the document's prelude (its relationship models) by check.cmake.
#pragma once

struct category {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> parent_id;
    ender::many<category> children;
};
inline auto ender_model(ender::tag<category>) {
    using namespace ender;
    return table<category>("category", column("id", &category::id, primary_key(), identity()),
                           column("name", &category::name),
                           column("parent_id", &category::parent_id),
                           has_many(&category::children, &category::parent_id));
}

struct employee {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id;
    ender::ref<employee> manager;
    ender::many<employee> reports;
};
inline auto ender_model(ender::tag<employee>) {
    using namespace ender;
    return table<employee>("employee", column("id", &employee::id, primary_key(), identity()),
                           column("name", &employee::name),
                           column("manager_id", &employee::manager_id),
                           belongs_to(&employee::manager, &employee::manager_id),
                           has_many(&employee::reports, &employee::manager_id));
}

using ender::col;

// Objects in hand.
inline hero h;
inline hero one_hero;
inline std::vector<hero> heroes;
inline std::vector<team> teams;
inline std::vector<hero_power> links;
inline power flight;
