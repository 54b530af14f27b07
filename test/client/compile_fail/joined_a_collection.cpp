// expect-error: only a belongs_to or has_one relationship
#include "relation_models.hpp"

void use(ender::session& db) {
    db.select<club>().with(ender::joined(&club::members)).all();
}
