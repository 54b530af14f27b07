// expect-error: like/ilike apply to text columns only
#include "models.hpp"

void use(ender::session& db) {
    db.select<hero>().where(ender::like(ender::col(&hero::age), "1%"));
}
