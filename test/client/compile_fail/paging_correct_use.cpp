// expect-success
#include "models.hpp"

// The control for the ordering, paging, raw and field-option cases: the same calls, right.
inline auto ender_model(ender::tag<gauge>) {
    using namespace ender;
    return table<gauge>("gauge", column("id", &gauge::id, primary_key()),
                        column("level", &gauge::level, ge(0), lt(10)),
                        column("label", &gauge::label, max_length(10), strip_whitespace()));
}
const auto& mapping = ender::model_of<gauge>();

void use(ender::session& db) {
    db.select<hero>().where(ender::row(ender::col(&hero::name), ender::col(&hero::id)) >
                            std::tuple("Deadpond", 7));
    db.select<hero>().where(ender::col(&hero::age) == ender::any(std::vector<int>{1}));
    db.select<hero>().where(ender::between(ender::col(&hero::name), "a", "m"));
    ender::keyset<hero> pages("-name");
    (void)pages.page(db.select<hero>(), std::nullopt, 10);
    (void)ender::query_named<hero>(db, "SELECT * FROM hero WHERE id = :id", {{"id", 1}});
}
