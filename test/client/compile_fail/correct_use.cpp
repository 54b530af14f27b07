// expect-success
// The control: the same calls as the failing cases, written correctly, compile.
#include "models.hpp"

struct hero_read {
    std::int64_t id{};
    std::optional<int> age;
};
inline auto ender_shape(ender::tag<hero_read>) {
    return ender::shape<hero_read, hero>(ender::field(&hero_read::id, &hero::id),
                                         ender::field(&hero_read::age, &hero::age));
}

void use(ender::session& db) {
    auto q = db.select<hero>()
                 .where(ender::col(&hero::name) == "x" && ender::col(&hero::age) >= 18 &&
                        ender::like(ender::col(&hero::name), "S%"))
                 .all();
    auto h = db.get<hero>(std::int64_t{1});
    ender::patch<hero> p;
    p.set(&hero::age, 3);
    using ender::col;
    auto shaped = db.select<hero_read>().all();
    db.select<team>().where(
        ender::in(col(&team::id), ender::subquery(col(&hero::team_id)).from<hero>()));
    db.select<hero>().where(
        col(&hero::age) ==
        ender::scalar(ender::subquery(ender::max(col(&hero::age))).from<hero>()));
    ender::cte<hero_read> c("c");
    c.as(ender::subquery(col(&hero::id), col(&hero::age)).from<hero>());
    db.select(col(&hero::name),
              ender::over(ender::row_number(), ender::partition_by(col(&hero::team_id))))
        .from<hero>();
    (void)shaped;
    (void)q;
    (void)h;
}
