// expect-error: the subquery's column does not compare with the expression
#include "models.hpp"

void use(ender::session& db) {
    using ender::col;
    db.select<team>().where(
        ender::in(col(&team::id), ender::subquery(col(&hero::name)).from<hero>()));
}
