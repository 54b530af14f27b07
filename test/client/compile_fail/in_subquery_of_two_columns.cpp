// expect-error: the subquery must select exactly one column
#include "models.hpp"

void use(ender::session& db) {
    using ender::col;
    db.select<team>().where(ender::in(
        col(&team::id), ender::subquery(col(&hero::team_id), col(&hero::id)).from<hero>()));
}
