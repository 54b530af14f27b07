// expect-error: the select must return values of the columns' types, in order
#include "models.hpp"

struct hero_read {
    std::int64_t id{};
    std::string name;
};
inline auto ender_shape(ender::tag<hero_read>) {
    return ender::shape<hero_read, hero>(ender::field(&hero_read::id, &hero::id),
                                         ender::field(&hero_read::name, &hero::name));
}

void use(ender::session& db) {
    ender::cte<hero_read> moved("moved");
    moved.as(ender::delete_returning<hero_read>(ender::col(&hero::id) > std::int64_t{5}));
    ender::with(db, moved)
        .insert_into(&hero::id, &hero::name)
        .select(ender::subquery(moved.col(&hero_read::name), moved.col(&hero_read::id))
                    .from(moved));  // swapped
}
