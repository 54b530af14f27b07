// expect-error: the member's type has no PostgreSQL mapping
#include <ender/ender.hpp>

#include <map>

struct config {
    std::int64_t id{};
    std::map<std::string, int> values;
};
inline auto ender_model(ender::tag<config>) {
    return ender::table<config>("config", ender::column("id", &config::id),
                                ender::column("values", &config::values));
}
void use() {
    (void)ender::model_of<config>();
}
