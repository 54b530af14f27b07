// expect-error: the body must select R's fields, in order, of their types
#include "models.hpp"

struct hero_read {
    std::int64_t id{};
    std::string name;
};
inline auto ender_shape(ender::tag<hero_read>) {
    return ender::shape<hero_read, hero>(ender::field(&hero_read::id, &hero::id),
                                         ender::field(&hero_read::name, &hero::name));
}

void use() {
    using ender::col;
    ender::cte<hero_read> c("c");
    c.as(ender::subquery(col(&hero::name), col(&hero::id)).from<hero>());  // swapped
}
