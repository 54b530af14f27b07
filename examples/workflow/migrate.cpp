// The workflow example's migrate program: the application's models and the ender command
// that knows them (ender::cli::main). run.sh builds the story on two versions of the models:
// this file as it is, and compiled with -DMODELS_V2, where a hero gains a phone number.
#include <ender/cli.hpp>
#include <ender/ender.hpp>

#include <cstdint>
#include <optional>
#include <string>

struct team {
    std::int64_t id{};
    std::string name;
};
inline auto ender_model(ender::tag<team>) {
    using namespace ender;
    return table<team>("team", column("id", &team::id, primary_key(), identity()),
                       column("name", &team::name, unique()));
}

struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> team_id;
#ifdef MODELS_V2
    std::optional<std::string> phone;
#endif
};
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

int main(int argc, char** argv) {
    return ender::cli::main(ender::schema::of<team, hero>(), argc, argv);
}
