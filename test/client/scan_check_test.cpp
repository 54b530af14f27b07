// scan_check.hpp: a test can fail when a query scans a large table sequentially.
#include "support.hpp"

#include <ender/scan_check.hpp>

namespace plan_models {

struct reading {
    std::int64_t id{};
    std::int64_t sensor{};
    double value{};
};
inline auto ender_model(ender::tag<reading>) {
    return ender::table<reading>("reading", ender::column("id", &reading::id, ender::primary_key()),
                                 ender::column("sensor", &reading::sensor),
                                 ender::column("value", &reading::value));
}

}  // namespace plan_models

namespace {

using ender::col;
using plan_models::reading;

class scan_check : public ender::test::database {};

TEST_F(scan_check, flags_sequential_scans_of_large_tables_only) {
    db.execute(
        "CREATE TABLE reading (id bigint PRIMARY KEY, sensor bigint NOT NULL, value float8 NOT "
        "NULL);"
        "INSERT INTO reading SELECT i, i % 100, i FROM generate_series(1, 20000) i;"
        "CREATE TABLE small (k int); INSERT INTO small VALUES (1), (2);");
    // Never analysed: the table is counted.
    auto scans =
        ender::sequential_scans(db, "SELECT * FROM reading WHERE sensor = $1", {}, std::int64_t{7});
    ASSERT_EQ(scans.size(), 1u);
    EXPECT_EQ(scans[0].table, "public.reading");
    EXPECT_EQ(scans[0].table_rows, 20000);
    // A small table is not worth an index; a lookup by key uses one.
    EXPECT_TRUE(ender::sequential_scans(db, "SELECT * FROM small WHERE k = 1", {}).empty());
    EXPECT_TRUE(
        ender::sequential_scans(db, "SELECT * FROM reading WHERE id = $1", {}, std::int64_t{7})
            .empty());
    // The threshold is the caller's.
    EXPECT_EQ(ender::sequential_scans(db, "SELECT * FROM small", {.min_rows = 1}).size(), 1u);

    // With an index on sensor (and statistics), the same query built with the query builder is
    // clean.
    db.execute("CREATE INDEX reading_sensor ON reading (sensor); ANALYZE reading");
    auto q = db.select<reading>().where(col(&reading::sensor) == std::int64_t{7});
    EXPECT_TRUE(ender::sequential_scans(db, q).empty()) << db.explain(q);
    auto all = db.select<reading>().where(col(&reading::value) > 1.0);
    auto found = ender::sequential_scans(db, all, {.analyze = true});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].table_rows, 20000);
}

}  // namespace
