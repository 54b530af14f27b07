// expect-error: T is not a mapped model
#include "models.hpp"

void use(ender::session& db) {
    db.select<unmapped>();
}
