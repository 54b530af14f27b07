// The models the client tests share: teams and heroes (with mixins, an enum, arrays, JSON,
// numeric), a composite key, and a table whose names need quoting.
#pragma once

#include <ender/ender.hpp>

namespace heroes {

enum class power { fire, ice, wind };
inline auto ender_enum(ender::tag<power>) {
    return ender::enum_mapping<power>(
        "power", {{power::fire, "fire"}, {power::ice, "ice"}, {power::wind, "wind"}});
}

struct team {
    std::int64_t id{};
    std::string name;
    std::optional<std::string> headquarters;
};
inline auto ender_model(ender::tag<team>) {
    return ender::table<team>(
        "team", ender::column("id", &team::id, ender::primary_key(), ender::identity()),
        ender::column("name", &team::name, ender::unique()),
        ender::column("headquarters", &team::headquarters, ender::comment("where the team meets")));
}

struct hero {
    std::int64_t id{};
    std::string name;
    std::string secret_name;
    std::optional<int> age;
    std::optional<std::int64_t> team_id;
    std::optional<power> power_kind;
    std::vector<std::string> tags;
    nlohmann::json profile = nlohmann::json::object();
    ender::decimal salary;
    ender::timestamps stamps;
    ender::soft_delete deleted;
};
inline auto ender_model(ender::tag<hero>) {
    using namespace ender;
    return table<hero>(
        "hero", column("id", &hero::id, primary_key(), identity()),
        column("name", &hero::name, db_type("character varying(40)"), index()),
        column("secret_name", &hero::secret_name, comment("never shown")),
        column("age", &hero::age, check("age >= 0")),
        column("team_id", &hero::team_id,
               references(&team::id).on_delete(action::set_null).on_update(action::cascade)),
        column("power", &hero::power_kind),
        column("tags", &hero::tags, server_default("'{}'::text[]")),
        column("profile", &hero::profile, server_default("'{}'::jsonb")),
        column("salary", &hero::salary, db_type("numeric(10,2)"), server_default("0")),
        embed(&hero::stamps), embed(&hero::deleted), comment("heroes and their secret identities"),
        unique_constraint(&hero::name, &hero::secret_name), index(&hero::team_id, &hero::age),
        unique_index_on("lower(secret_name)").where("age > 10"),
        check("char_length(secret_name) < 100").name("hero_secret_name_length"),
        validate(
            &hero::name, [](const std::string& n) { return !n.empty(); }, "A hero needs a name."));
}

// A link with a composite primary key and a composite foreign key pointing at it.
struct membership {
    std::int64_t team_id{};
    std::int64_t hero_id{};
    std::string role = "member";
};
inline auto ender_model(ender::tag<membership>) {
    using namespace ender;
    return table<membership>(
        "membership",
        column("team_id", &membership::team_id,
               references(&team::id).on_delete(action::cascade).on_update(action::cascade)),
        column("hero_id", &membership::hero_id, references(&hero::id).on_delete(action::cascade)),
        column("role", &membership::role, server_default("'member'::text")),
        primary_key(&membership::team_id, &membership::hero_id));
}

struct award {
    std::int64_t id{};
    std::int64_t team_id{};
    std::int64_t hero_id{};
};
inline auto ender_model(ender::tag<award>) {
    using namespace ender;
    return table<award>("award",
                        column("id", &award::id, primary_key(), identity(identity_kind::always)),
                        column("team_id", &award::team_id), column("hero_id", &award::hero_id),
                        foreign_key(&award::team_id, &award::hero_id)
                            .references(&membership::team_id, &membership::hero_id)
                            .on_delete(action::cascade));
}

// Names that must be quoted everywhere: a schema with a space, a reserved word, mixed case.
struct odd {
    std::int64_t id{};
    std::string select;
    std::optional<std::string> mixed;
};
inline auto ender_model(ender::tag<odd>) {
    using namespace ender;
    return table<odd>("Odd \"Table\"", in_schema("Odd Schema"),
                      column("id", &odd::id, primary_key(), identity()),
                      column("select", &odd::select, index()),
                      column("Mixed Case", &odd::mixed, comment("it's quoted")));
}

// Numbered by a sequence of its own (serial) rather than an identity.
struct ticket {
    std::int32_t number{};
    std::string title;
};
inline auto ender_model(ender::tag<ticket>) {
    using namespace ender;
    return table<ticket>("ticket", column("number", &ticket::number, primary_key(), serial()),
                         column("title", &ticket::title));
}

inline ender::schema all_models() {
    return ender::schema::of<team, hero, membership, award, odd, ticket>();
}

}  // namespace heroes
