// expect-error: a collection with link rows (many_to_many) loads with selectin
#include "relation_models.hpp"

struct badge {
    std::int64_t id{};
};
struct member_badge {
    std::int64_t member_id{};
    std::int64_t badge_id{};
};
struct decorated {
    std::int64_t id{};
    ender::many<badge, member_badge> badges;
};

void use() {
    (void)ender::joined(&decorated::badges);
}
