// expect-error: row_comparable
#include "models.hpp"

// Keyset pagination by hand: the second value is text, the column a number.
void use(ender::session& db) {
    db.select<hero>().where(ender::row(ender::col(&hero::name), ender::col(&hero::id)) >
                            std::tuple("Deadpond", "7"));
}
