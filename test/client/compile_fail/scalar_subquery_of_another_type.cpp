// expect-error: comparable
#include "models.hpp"

void use(ender::session& db) {
    using ender::col;
    db.select<hero>().where(
        col(&hero::name) ==
        ender::scalar(ender::subquery(ender::max(col(&hero::age))).from<hero>()));
}
