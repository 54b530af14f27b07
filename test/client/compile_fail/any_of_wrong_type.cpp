// expect-error: comparable
#include "models.hpp"

// An array of text compared with a number column.
void use(ender::session& db) {
    db.select<hero>().where(ender::col(&hero::age) == ender::any(std::vector<std::string>{"1"}));
}
