// expect-error: a column maps a member of another struct
#include "models.hpp"

struct villain {
    std::int64_t id{};
};
inline auto ender_model(ender::tag<villain>) {
    return ender::table<villain>("villain", ender::column("id", &hero::id));
}
void use() {
    (void)ender::model_of<villain>();
}
