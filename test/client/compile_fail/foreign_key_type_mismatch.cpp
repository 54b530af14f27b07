// expect-error: a foreign key column must have the type of the column it references
#include "models.hpp"

struct sidekick {
    std::int64_t id{};
    std::string hero_name;
};
inline auto ender_model(ender::tag<sidekick>) {
    return ender::table<sidekick>(
        "sidekick", ender::column("id", &sidekick::id),
        ender::column("hero_name", &sidekick::hero_name, ender::references(&hero::id)));
}
void use() {
    (void)ender::model_of<sidekick>();
}
