// expect-error: the member's type is neither the column's type nor an std::optional of it
#include "models.hpp"

struct hero_read {
    std::int64_t id{};
    int age{};  // the column is nullable: the member must be std::optional<int>
};
inline auto ender_shape(ender::tag<hero_read>) {
    return ender::shape<hero_read, hero>(ender::field(&hero_read::id, &hero::id),
                                         ender::field(&hero_read::age, &hero::age));
}

void use(ender::session& db) {
    db.select<hero_read>().all();
}
