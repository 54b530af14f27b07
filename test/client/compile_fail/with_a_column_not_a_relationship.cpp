// expect-error: the member is not a relationship
#include "relation_models.hpp"

void use(ender::session& db) {
    db.select<club>().with(&club::tags).all();
}
