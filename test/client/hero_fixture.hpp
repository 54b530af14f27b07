// The fixture the read tests share (query, shape, window, subquery): the shared models' tables
// (models.hpp) created, and teams and heroes added by name; each test adds its own rows.
#pragma once

#include "models.hpp"
#include "support.hpp"

#include <optional>
#include <string>
#include <utility>

namespace heroes {

class hero_database : public ender::test::database {
protected:
    void SetUp() override {
        database::SetUp();
        ender::create_all(db, all_models());
    }
    // Inserts a team; returns its id.
    std::int64_t add_team(std::string name, std::optional<std::string> headquarters) {
        team t{0, std::move(name), std::move(headquarters)};
        db.insert(t);
        return t.id;
    }
    // Inserts a hero whose secret name is "secretly <name>".
    void add(std::string name, std::optional<int> age, std::optional<std::int64_t> team) {
        auto secret = "secretly " + name;
        hero h{.name = std::move(name), .secret_name = secret, .age = age, .team_id = team};
        db.insert(h);
    }
};

}  // namespace heroes
