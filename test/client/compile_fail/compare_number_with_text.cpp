// expect-error: comparable
#include "models.hpp"

void use(ender::session& db) {
    db.select<hero>().where(ender::col(&hero::age) > "18");
}
