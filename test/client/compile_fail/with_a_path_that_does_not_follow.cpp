// expect-error: each step of a path must be a relationship of the model the step before it loads
#include "relation_models.hpp"

void use(ender::session& db) {
    db.select<club>().with(&club::members, &club::members).all();
}
