// expect-error: E must be ender::error or a class derived from it
#include "models.hpp"

bool use(ender::session& db) {
    auto r = ender::attempt([&] { db.execute("SELECT 1"); });
    return r.is<std::runtime_error>();
}
