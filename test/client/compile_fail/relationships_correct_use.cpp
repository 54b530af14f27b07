// expect-success
// The control for the relationship cases: the same calls, written correctly, compile.
#include "relation_models.hpp"

void use(ender::session& db) {
    auto clubs = db.select<club>().with(&club::members, &member::home).all();
    auto members = db.select<member>().with(ender::joined(&member::home), &club::members).all();
    db.load(clubs, ender::selectin(&club::members).batch(100));
}
