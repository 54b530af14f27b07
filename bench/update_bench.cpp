// Bulk updates by key: update_many (one UPDATE ... FROM unnest of arrays) against one UPDATE per
// row through the same session (prepared once, in one transaction), on the same 100,000 rows.
// bench/run_update.sh (make bench-update) runs each mode and SQLAlchemy's bulk update beside them.
//
//   update_bench setup [rows]        the table and its rows (100,000 by default)
//   update_bench ender-update-many   the objects read, then update_many of two fields, timed
//   update_bench ender-per-row       the objects read, then update() of each, timed
// Each prints one line: "<mode> ms=<time> statements=<n> rows=<n>". Every run writes new values
// (derived from the time), so that no run finds the rows as it leaves them.
#include <ender/ender.hpp>

#include <chrono>
#include <iostream>

namespace {

struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<int> age;
    std::string secret_name;
};
inline auto ender_model(ender::tag<hero>) {
    using namespace ender;
    return table<hero>("update_hero", column("id", &hero::id, primary_key()),
                       column("name", &hero::name), column("age", &hero::age),
                       column("secret_name", &hero::secret_name));
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    ender::session db;
    if (mode == "setup") {
        auto rows = argc > 2 ? std::stoll(argv[2]) : 100000;
        db.execute(
            "DROP TABLE IF EXISTS update_hero; CREATE TABLE update_hero (id bigint PRIMARY KEY, "
            "name text NOT NULL, age int, secret_name text NOT NULL)");
        db.exec(
            "INSERT INTO update_hero SELECT i, 'hero ' || i, CASE WHEN i % 7 = 0 THEN NULL "
            "ELSE i % 90 END, 'secret ' || i FROM generate_series(1, $1::bigint) i",
            std::int64_t(rows));
        db.execute("VACUUM ANALYZE update_hero");
        return 0;
    }
    auto heroes = db.select<hero>().all();
    int salt = int(std::chrono::system_clock::now().time_since_epoch().count() % 1000);
    for (auto& h : heroes) {
        h.age = h.id % 11 == 0 ? std::optional<int>() : std::optional<int>(int(h.id % 97) + salt);
        h.secret_name = "changed " + std::to_string(salt) + " " + std::to_string(h.id);
    }
    auto before = db.counts();
    auto t0 = std::chrono::steady_clock::now();
    std::uint64_t rows = 0;
    if (mode == "ender-update-many") {
        rows = db.update_many(heroes, &hero::age, &hero::secret_name);
    } else if (mode == "ender-per-row") {
        auto tx = db.begin();
        for (auto& h : heroes) {
            db.update(
                ender::patch<hero>().set(&hero::age, h.age).set(&hero::secret_name, h.secret_name),
                h.id);
            ++rows;
        }
        tx.commit();
    } else {
        std::cerr << "usage: update_bench setup [rows] | ender-update-many | ender-per-row\n";
        return 2;
    }
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
    std::cout << mode << " ms=" << ms.count() << " statements=" << (db.counts() - before).statements
              << " rows=" << rows << "\n";
    return 0;
}
