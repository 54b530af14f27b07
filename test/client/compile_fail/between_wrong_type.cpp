// expect-error: comparable
#include "models.hpp"

void use(ender::session& db) {
    db.select<hero>().where(ender::between(ender::col(&hero::name), 1, 5));
}
