// expect-success
// The control: the same calls as the failing cases, written correctly, compile.
#include "models.hpp"

void use(ender::session& db) {
    auto q = db.select<hero>()
                 .where(ender::col(&hero::name) == "x" && ender::col(&hero::age) >= 18 &&
                        ender::like(ender::col(&hero::name), "S%"))
                 .all();
    auto h = db.get<hero>(std::int64_t{1});
    ender::patch<hero> p;
    p.set(&hero::age, 3);
    (void)q;
    (void)h;
}
