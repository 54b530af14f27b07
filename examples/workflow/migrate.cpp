// The workflow example's migrate program: the application's models and the ender command
// that knows them (ender::cli::main). run.sh builds the story on two versions of the models:
// this file as it is, and compiled with -DMODELS_V2, where a hero gains a phone number. One
// command of its own, `teams`, loads every team with its heroes (selectin: two statements).
#include <ender/cli.hpp>
#include <ender/ender.hpp>

#include <cstdint>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

struct hero;

struct team {
    std::int64_t id{};
    std::string name;
    ender::many<hero> heroes;
};

struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> team_id;
#ifdef MODELS_V2
    std::optional<std::string> phone;
#endif
};
inline auto ender_model(ender::tag<team>) {
    using namespace ender;
    return table<team>("team", column("id", &team::id, primary_key(), identity()),
                       column("name", &team::name, unique()),
                       has_many(&team::heroes, &hero::team_id).name("heroes"));
}

inline auto ender_model(ender::tag<hero>) {
    using namespace ender;
    return table<hero>(
        "hero", column("id", &hero::id, primary_key(), identity()),
        column("name", &hero::name, index()),
        column("team_id", &hero::team_id, references(&team::id).on_delete(action::set_null))
#ifdef MODELS_V2
            ,
        column("phone", &hero::phone)
#endif
    );
}

// `teams`: every team with its heroes, loaded with selectin (one statement for the teams, one
// for all their heroes, whatever their number), and the statements it took.
int show_teams() {
    ender::session db;  // ENDER_DSN, DATABASE_URL or PG*
    const auto before = db.counts();
    auto teams = db.select<team>().with(&team::heroes).order_by(ender::asc(&team::name)).all();
    for (const auto& t : teams) {
        std::cout << t.name << ":";
        for (const auto& h : t.heroes) std::cout << " " << h.name;
        std::cout << "\n";
    }
    std::cout << "(" << teams.size() << " teams in " << (db.counts() - before).statements
              << " statements)\n";
    return 0;
}

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "teams") == 0) return show_teams();
    return ender::cli::main(ender::schema::of<team, hero>(), argc, argv);
}
