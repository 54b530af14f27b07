// libender against hand-written libpq on the same data, in one run: reading 200k rows into
// structs (binary results both ways) and 5k primary-key lookups. Run inside a cluster:
//   pg_virtualenv -t -v 15 build/client-release/client_bench
#include <ender/ender.hpp>

#include <libpq-fe.h>

#include <chrono>
#include <cstring>
#include <iostream>

namespace {

struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<int> age;
    std::optional<std::int64_t> team_id;
};
inline auto ender_model(ender::tag<hero>) {
    return ender::table<hero>("bench_hero", ender::column("id", &hero::id, ender::primary_key()),
                              ender::column("name", &hero::name), ender::column("age", &hero::age),
                              ender::column("team_id", &hero::team_id));
}

template <class F>
double ms(F&& f) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The best of `runs` timings of each, taken alternately so that load from elsewhere on the
// machine falls on both sides alike.
template <class F, class G>
std::pair<double, double> best_of(int runs, F&& f, G&& g) {
    double bf = 1e300, bg = 1e300;
    for (int i = 0; i < runs; ++i) {
        bf = std::min(bf, ms(f));
        bg = std::min(bg, ms(g));
    }
    return {bf, bg};
}

std::int64_t be64(const char* p) {
    return ender::detail::get_int<std::int64_t>(p);
}
std::int32_t be32(const char* p) {
    return ender::detail::get_int<std::int32_t>(p);
}

// The floor: PQexecParams with binary results, decoded by hand into the same struct.
std::vector<hero> libpq_all(PGconn* c) {
    PGresult* r = PQexecParams(c, "SELECT id, name, age, team_id FROM bench_hero", 0, nullptr,
                               nullptr, nullptr, nullptr, 1);
    int n = PQntuples(r);
    std::vector<hero> out(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto& h = out[std::size_t(i)];
        h.id = be64(PQgetvalue(r, i, 0));
        h.name.assign(PQgetvalue(r, i, 1), std::size_t(PQgetlength(r, i, 1)));
        if (!PQgetisnull(r, i, 2)) h.age = be32(PQgetvalue(r, i, 2));
        if (!PQgetisnull(r, i, 3)) h.team_id = be64(PQgetvalue(r, i, 3));
    }
    PQclear(r);
    return out;
}

}  // namespace

int main() {
    ender::session db;
    db.execute(
        "DROP TABLE IF EXISTS bench_hero; CREATE TABLE bench_hero (id bigint PRIMARY KEY, "
        "name text NOT NULL, age int, team_id bigint);"
        "INSERT INTO bench_hero SELECT i, 'hero ' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 90 "
        "END, "
        "i % 1000 FROM generate_series(1, 200000) i; ANALYZE bench_hero");
    PGconn* c = PQconnectdb("");
    std::size_t rows = 0;
    auto [ender_all, libpq_all_ms] = best_of(
        7, [&] { rows = db.select<hero>().all().size(); }, [&] { rows = libpq_all(c).size(); });
    std::cout << "read " << rows << " rows into structs: libender " << ender_all << " ms, libpq "
              << libpq_all_ms << " ms, ratio " << ender_all / libpq_all_ms << "\n";

    const int lookups = 5000;
    PGresult* p = PQprepare(c, "get", "SELECT id, name, age, team_id FROM bench_hero WHERE id = $1",
                            1, nullptr);
    PQclear(p);
    auto ender_lookups = [&] {
        for (int i = 1; i <= lookups; ++i) (void)db.get<hero>(std::int64_t{i});
    };
    auto [ender_get, libpq_get] = best_of(5, ender_lookups, [&] {
        for (int i = 1; i <= lookups; ++i) {
            std::string v = std::to_string(i);
            const char* values[] = {v.c_str()};
            PGresult* r = PQexecPrepared(c, "get", 1, values, nullptr, nullptr, 1);
            hero h;
            h.id = be64(PQgetvalue(r, 0, 0));
            h.name.assign(PQgetvalue(r, 0, 1), std::size_t(PQgetlength(r, 0, 1)));
            PQclear(r);
        }
    });
    std::cout << lookups << " get<hero>(id): libender " << ender_get << " ms, libpq " << libpq_get
              << " ms, ratio " << ender_get / libpq_get << "\n";
    PQfinish(c);
    db.execute("DROP TABLE bench_hero");
}
