// expect-error: no matching function
#include "models.hpp"

void use(ender::session& db) {
    db.select(ender::col(&hero::name), ender::row_number()).from<hero>().all();
}
