// expect-error: is_assignable
#include "models.hpp"

void use() {
    ender::patch<hero> p;
    p.set(&hero::age, "eighteen");
}
