// Relationship loading and bulk insert: libender against hand-written libpq (the limit) on the
// same data, one mode per process so that /usr/bin/time -v sees each one's peak memory alone.
// bench/run_load.sh (make bench-load) runs every mode and SQLAlchemy beside them.
//
//   load_bench setup                  the tables and data (10,000 teams, 1,000,000 heroes, ...)
//   load_bench ender-selectin         select<team>().with(&team::heroes): 2 statements
//   load_bench libpq                  the same two queries, binary, decoded by hand
//   load_bench ender-n+1 <teams>      one select of heroes per team, for the first <teams> teams
//   load_bench ender-powers           team -> heroes -> powers (3 levels)
//   load_bench ender-insert           insert_many of 1,000,000 heroes into hero_copy (one COPY)
//   load_bench ender-wide             the wide rows (wide_team, wide_hero: text of 39 bytes,
//                                     nullable int, timestamptz, numeric, uuid): 2 statements
//   load_bench libpq-wide             the same two queries on the wide rows, decoded by hand
// Each prints one line: "<mode> ms=<time> statements=<n> teams=<n> heroes=<n>".
#include <ender/ender.hpp>

#include <libpq-fe.h>

#include <array>
#include <chrono>
#include <cstring>
#include <iostream>
#include <unordered_map>

namespace {

struct hero;
struct power;
struct hero_power;
struct team {
    std::int64_t id{};
    std::string name;
    ender::many<hero> heroes;
};
struct hero {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> team_id;
    ender::many<power, hero_power> powers;
};
struct power {
    std::int64_t id{};
    std::string name;
};
struct hero_power {
    std::int64_t hero_id{};
    std::int64_t power_id{};
    int level{};
};
inline auto ender_model(ender::tag<team>) {
    using namespace ender;
    return table<team>("team", column("id", &team::id, primary_key(), identity()),
                       column("name", &team::name), has_many(&team::heroes, &hero::team_id));
}
inline auto ender_model(ender::tag<hero>) {
    using namespace ender;
    return table<hero>(
        "hero", column("id", &hero::id, primary_key(), identity()), column("name", &hero::name),
        column("team_id", &hero::team_id),
        many_to_many(&hero::powers, via(&hero_power::hero_id, &hero_power::power_id)));
}
inline auto ender_model(ender::tag<power>) {
    using namespace ender;
    return table<power>("power", column("id", &power::id, primary_key(), identity()),
                        column("name", &power::name));
}
inline auto ender_model(ender::tag<hero_power>) {
    using namespace ender;
    return table<hero_power>("hero_power", column("hero_id", &hero_power::hero_id),
                             column("power_id", &hero_power::power_id),
                             column("level", &hero_power::level),
                             primary_key(&hero_power::hero_id, &hero_power::power_id));
}
// The insert target: the shape of hero, without the foreign key (all three tools load it).
struct hero_copy {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> team_id;
};
inline auto ender_model(ender::tag<hero_copy>) {
    using namespace ender;
    return table<hero_copy>("hero_copy", column("id", &hero_copy::id, primary_key(), identity()),
                            column("name", &hero_copy::name),
                            column("team_id", &hero_copy::team_id));
}

// The wide rows (issue 19): what an application's tables hold besides keys. A hero has a
// secret name of 39 bytes (longer than std::string's inline buffer, as most text is), a nullable
// age (NULL for one hero in five), a timestamptz, a numeric(10,2) and a uuid.
struct wide_hero;
struct wide_team {
    std::int64_t id{};
    std::string name;
    std::chrono::sys_time<std::chrono::microseconds> founded;
    ender::many<wide_hero> heroes;
};
struct wide_hero {
    std::int64_t id{};
    std::string name;
    std::string secret_name;
    std::optional<std::int32_t> age;
    std::optional<std::int64_t> team_id;
    std::chrono::sys_time<std::chrono::microseconds> created_at;
    ender::decimal salary;
    ender::uuid badge;
};
inline auto ender_model(ender::tag<wide_team>) {
    using namespace ender;
    return table<wide_team>("wide_team", column("id", &wide_team::id, primary_key(), identity()),
                            column("name", &wide_team::name),
                            column("founded", &wide_team::founded),
                            has_many(&wide_team::heroes, &wide_hero::team_id));
}
inline auto ender_model(ender::tag<wide_hero>) {
    using namespace ender;
    return table<wide_hero>("wide_hero", column("id", &wide_hero::id, primary_key(), identity()),
                            column("name", &wide_hero::name),
                            column("secret_name", &wide_hero::secret_name),
                            column("age", &wide_hero::age), column("team_id", &wide_hero::team_id),
                            column("created_at", &wide_hero::created_at),
                            column("salary", &wide_hero::salary, db_type("numeric(10,2)")),
                            column("badge", &wide_hero::badge));
}

// The hand-written program's structs: the same object graph with plain vectors (a hero carries
// its powers and their link rows, as ender's many<power, hero_power> does, unloaded here).
struct plain_hero {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> team_id;
    std::vector<power> powers;
    std::vector<hero_power> power_links;
};
struct plain_team {
    std::int64_t id{};
    std::string name;
    std::vector<plain_hero> heroes;
};

std::int64_t be64(const char* p) {
    return ender::detail::get_int<std::int64_t>(p);
}

void setup(ender::session& db) {
    db.execute(
        "SET client_min_messages = warning; DROP TABLE IF EXISTS hero_power, power, hero, "
        "team, hero_copy CASCADE");
    ender::create_all(db, ender::schema::of<team, hero, power, hero_power, hero_copy>());
    db.execute(R"(
        INSERT INTO team (name) SELECT 'team ' || i FROM generate_series(1, 10000) i;
        INSERT INTO hero (name, team_id)
            SELECT 'hero ' || i, 1 + (i::bigint * 7919) % 10000 FROM generate_series(1, 1000000) i;
        INSERT INTO power (name) SELECT 'power ' || i FROM generate_series(1, 100) i;
        INSERT INTO hero_power (hero_id, power_id, level)
            SELECT h, 1 + (h + k * 37) % 100, k FROM generate_series(1, 100000) h,
                   generate_series(1, 3) k;
    )");
    db.execute("VACUUM ANALYZE");
}

// A binary int8[] of n elements: its header (each element then appends length 8 and its value).
std::string int8_array(int n) {
    std::string out;
    ender::detail::put_int<std::int32_t>(out, 1);  // dimensions
    ender::detail::put_int<std::int32_t>(out, 0);  // no NULL
    ender::detail::put_int<std::uint32_t>(out, 20);
    ender::detail::put_int<std::int32_t>(out, n);
    ender::detail::put_int<std::int32_t>(out, 1);  // lower bound
    return out;
}

// `sql` with the keys as its one binary parameter, binary results.
PGresult* with_keys(PGconn* c, const char* sql, const std::string& keys) {
    const char* values[] = {keys.data()};
    int lengths[] = {int(keys.size())};
    int formats[] = {1};
    return PQexecParams(c, sql, 1, nullptr, values, lengths, formats, 1);
}

// The limit: the same two statements as ender's selectin, binary results, decoded by hand, heroes
// attached to their team through a hash of the team ids. `read_team(result, row)` and
// `read_hero(result, row)` decode a row; column `team_column` of a hero holds its team's id.
template <class Team, class ReadTeam, class ReadHero>
std::vector<Team> libpq_teams_with_heroes(PGconn* c, const char* teams_sql, const char* heroes_sql,
                                          int team_column, ReadTeam read_team, ReadHero read_hero) {
    PGresult* t = PQexecParams(c, teams_sql, 0, nullptr, nullptr, nullptr, nullptr, 1);
    int nt = PQntuples(t);
    std::vector<Team> teams(static_cast<std::size_t>(nt));
    std::unordered_map<std::int64_t, std::size_t> by_id;
    by_id.reserve(teams.size());
    std::string keys = int8_array(nt);
    for (int i = 0; i < nt; ++i) {
        auto& tm = teams[std::size_t(i)];
        read_team(tm, t, i);
        by_id.emplace(tm.id, std::size_t(i));
        ender::detail::put_int<std::int32_t>(keys, 8);
        keys.append(PQgetvalue(t, i, 0), 8);
    }
    PQclear(t);
    PGresult* h = with_keys(c, heroes_sql, keys);
    int nh = PQntuples(h);
    std::vector<std::size_t> owner(static_cast<std::size_t>(nh));
    std::vector<std::uint32_t> count(teams.size());
    for (int i = 0; i < nh; ++i) {
        owner[std::size_t(i)] = by_id.at(be64(PQgetvalue(h, i, team_column)));
        ++count[owner[std::size_t(i)]];
    }
    for (std::size_t i = 0; i < teams.size(); ++i) teams[i].heroes.reserve(count[i]);
    for (int i = 0; i < nh; ++i)
        read_hero(teams[owner[std::size_t(i)]].heroes.emplace_back(), h, i);
    PQclear(h);
    return teams;
}

// Text column `column` of row `row`.
void assign_text(std::string& out, const PGresult* r, int row, int column) {
    out.assign(PQgetvalue(r, row, column), std::size_t(PQgetlength(r, row, column)));
}

// The limit on the narrow rows.
std::size_t libpq_load(PGconn* c, std::size_t& teams_out) {
    auto teams = libpq_teams_with_heroes<plain_team>(
        c, "SELECT team.id, team.name FROM public.team AS team",
        "SELECT hero.id, hero.name, hero.team_id FROM public.hero AS hero "
        "WHERE hero.team_id = ANY($1::bigint[])",
        2,
        [](plain_team& tm, const PGresult* t, int i) {
            tm.id = be64(PQgetvalue(t, i, 0));
            assign_text(tm.name, t, i, 1);
        },
        [](plain_hero& hr, const PGresult* h, int i) {
            hr.id = be64(PQgetvalue(h, i, 0));
            assign_text(hr.name, h, i, 1);
            hr.team_id = be64(PQgetvalue(h, i, 2));
        });
    teams_out = teams.size();
    std::size_t heroes = 0;
    for (auto& tm : teams) heroes += tm.heroes.size();
    return heroes;
}

// The wide rows in the hand-written program: the same members (numeric as its text, which is
// what ender::decimal holds).
struct plain_wide_hero {
    std::int64_t id{};
    std::string name;
    std::string secret_name;
    std::optional<std::int32_t> age;
    std::optional<std::int64_t> team_id;
    std::chrono::sys_time<std::chrono::microseconds> created_at;
    std::string salary;
    std::array<std::uint8_t, 16> badge{};
};
struct plain_wide_team {
    std::int64_t id{};
    std::string name;
    std::chrono::sys_time<std::chrono::microseconds> founded;
    std::vector<plain_wide_hero> heroes;
};

// A binary timestamptz: microseconds since 2000-01-01 (finite values only in this data).
std::chrono::sys_time<std::chrono::microseconds> pg_time(const char* p) {
    constexpr std::int64_t epoch = 946684800LL * 1000000LL;
    return std::chrono::sys_time<std::chrono::microseconds>(
        std::chrono::microseconds(be64(p) + epoch));
}

// A binary numeric as its text: base-10,000 digits, weight, sign, display scale.
void numeric_text(const char* p, std::string& out) {
    auto i16 = [&](int at) { return ender::detail::get_int<std::int16_t>(p + 2 * at); };
    int ndigits = i16(0), weight = i16(1), dscale = i16(3);
    auto sign = static_cast<std::uint16_t>(i16(2));
    char buf[64];
    char* o = buf;
    if (sign == 0x4000) *o++ = '-';
    auto digit = [&](int k) { return k >= 0 && k < ndigits ? i16(4 + k) : 0; };
    if (weight < 0) *o++ = '0';
    for (int k = 0; k <= weight; ++k) {
        int d = digit(k);
        bool lead = k == 0;
        for (int div = 1000; div > 0; div /= 10) {
            int q = d / div % 10;
            if (lead && q == 0 && div > 1) continue;
            lead = false;
            *o++ = char('0' + q);
        }
    }
    if (dscale > 0) {
        *o++ = '.';
        for (int k = weight + 1, left = dscale; left > 0; ++k) {
            int d = digit(k);
            for (int div = 1000; div > 0 && left > 0; div /= 10, --left)
                *o++ = char('0' + d / div % 10);
        }
    }
    out.assign(buf, std::size_t(o - buf));
}

// The limit on the wide rows.
std::vector<plain_wide_team> libpq_wide_load(PGconn* c) {
    return libpq_teams_with_heroes<plain_wide_team>(
        c,
        "SELECT wide_team.id, wide_team.name, wide_team.founded FROM public.wide_team AS wide_team",
        "SELECT wide_hero.id, wide_hero.name, wide_hero.secret_name, wide_hero.age, "
        "wide_hero.team_id, wide_hero.created_at, wide_hero.salary, wide_hero.badge FROM "
        "public.wide_hero AS wide_hero WHERE wide_hero.team_id = ANY($1::bigint[])",
        4,
        [](plain_wide_team& tm, const PGresult* t, int i) {
            tm.id = be64(PQgetvalue(t, i, 0));
            assign_text(tm.name, t, i, 1);
            tm.founded = pg_time(PQgetvalue(t, i, 2));
        },
        [](plain_wide_hero& hr, const PGresult* h, int i) {
            hr.id = be64(PQgetvalue(h, i, 0));
            assign_text(hr.name, h, i, 1);
            assign_text(hr.secret_name, h, i, 2);
            if (!PQgetisnull(h, i, 3))
                hr.age = ender::detail::get_int<std::int32_t>(PQgetvalue(h, i, 3));
            hr.team_id = be64(PQgetvalue(h, i, 4));
            hr.created_at = pg_time(PQgetvalue(h, i, 5));
            numeric_text(PQgetvalue(h, i, 6), hr.salary);
            std::memcpy(hr.badge.data(), PQgetvalue(h, i, 7), 16);
        });
}

// A checksum of every value of the wide rows, to check that both programs read the same data.
const std::string& text_of(const ender::decimal& d) {
    return d.str();
}
const std::string& text_of(const std::string& s) {
    return s;
}
const std::array<std::uint8_t, 16>& bytes_of(const ender::uuid& u) {
    return u.bytes;
}
const std::array<std::uint8_t, 16>& bytes_of(const std::array<std::uint8_t, 16>& b) {
    return b;
}
template <class Team>
std::uint64_t wide_checksum(const std::vector<Team>& teams, std::size_t& heroes) {
    std::hash<std::string> h;
    std::uint64_t sum = 0;
    for (const auto& t : teams) {
        sum += std::uint64_t(t.id) * 31 + h(t.name) +
               std::uint64_t(t.founded.time_since_epoch().count());
        for (const auto& r : t.heroes) {
            ++heroes;
            sum += std::uint64_t(r.id) + h(r.name) + h(r.secret_name) +
                   std::uint64_t(r.age.value_or(-1)) * 7 + std::uint64_t(*r.team_id) * 13 +
                   std::uint64_t(r.created_at.time_since_epoch().count()) + h(text_of(r.salary));
            for (auto b : bytes_of(r.badge)) sum = sum * 3 + b;
        }
    }
    return sum;
}

// The wide case, ender or libpq: the load timed, then the checksum of what it read.
int wide(ender::session& db, const std::string& mode) {
    std::size_t heroes = 0, teams = 0;
    std::uint64_t check = 0;
    std::chrono::duration<double, std::milli> ms{};
    if (mode == "ender-wide") {
        auto t0 = std::chrono::steady_clock::now();
        auto all = db.select<wide_team>().with(&wide_team::heroes).all();
        ms = std::chrono::steady_clock::now() - t0;
        teams = all.size();
        check = wide_checksum(all, heroes);
    } else {
        PGconn* c = PQconnectdb("");
        auto t0 = std::chrono::steady_clock::now();
        auto all = libpq_wide_load(c);
        ms = std::chrono::steady_clock::now() - t0;
        teams = all.size();
        check = wide_checksum(all, heroes);
        PQfinish(c);
    }
    std::cout << mode << " ms=" << ms.count() << " statements=2 teams=" << teams
              << " heroes=" << heroes << " check=" << check << "\n";
    return 0;
}

// The wide rows' data: 10,000 teams, 1,000,000 heroes spread over them as in the narrow case.
void setup_wide(ender::session& db) {
    db.execute("SET client_min_messages = warning; DROP TABLE IF EXISTS wide_hero, wide_team");
    ender::create_all(db, ender::schema::of<wide_team, wide_hero>());
    db.execute(R"(
        INSERT INTO wide_team (name, founded)
            SELECT 'team ' || i, timestamptz '1990-01-01 UTC' + i * interval '1 day'
            FROM generate_series(1, 10000) i;
        INSERT INTO wide_hero (name, secret_name, age, team_id, created_at, salary, badge)
            SELECT 'hero ' || i, md5(i::text) || lpad(i::text, 7, '0'),
                   CASE WHEN i % 5 = 0 THEN NULL ELSE 18 + i % 60 END,
                   1 + (i::bigint * 7919) % 10000,
                   timestamptz '2020-01-01 UTC' + i * interval '17.123457 seconds',
                   (i % 10000000) / 100.0 + 1000, md5('badge' || i)::uuid
            FROM generate_series(1, 1000000) i;
    )");
    db.execute("VACUUM ANALYZE wide_team, wide_hero");
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    ender::session db;
    if (mode == "setup") {
        setup(db);
        setup_wide(db);
        return 0;
    }
    std::size_t teams = 0, heroes = 0;
    auto before = db.counts();
    auto t0 = std::chrono::steady_clock::now();
    if (mode == "ender-selectin") {
        auto all = db.select<team>().with(&team::heroes).all();
        teams = all.size();
        for (auto& t : all) heroes += t.heroes.size();
    } else if (mode == "ender-powers") {
        auto all = db.select<team>().with(&team::heroes, &hero::powers).all();
        teams = all.size();
        for (auto& t : all)
            for (auto& h : t.heroes) heroes += h.powers.size() > 0;
    } else if (mode == "ender-wide" || mode == "libpq-wide") {
        return wide(db, mode);
    } else if (mode == "libpq") {
        PGconn* c = PQconnectdb("");  // connected before the clock starts, as ender's session
        t0 = std::chrono::steady_clock::now();
        heroes = libpq_load(c, teams);
        PQfinish(c);
        std::cout << mode << " ms="
                  << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               t0)
                         .count()
                  << " statements=2 teams=" << teams << " heroes=" << heroes << "\n";
        return 0;
    } else if (mode == "ender-n+1") {
        auto limit = argc > 2 ? std::stoll(argv[2]) : 1000;
        auto all = db.select<team>().order_by(ender::asc(&team::id)).limit(limit).all();
        teams = all.size();
        for (auto& t : all) {
            // The N+1 pattern spelled out with the single-object API: one select per team.
            auto mine = db.select<hero>().where(ender::col(&hero::team_id) == t.id).all();
            heroes += mine.size();
        }
    } else if (mode == "ender-insert") {
        db.execute("TRUNCATE hero_copy RESTART IDENTITY");
        std::vector<hero_copy> rows(1000000);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].name = "hero " + std::to_string(i + 1);
            rows[i].team_id = std::int64_t(1 + (i * 7919) % 10000);
        }
        before = db.counts();
        t0 = std::chrono::steady_clock::now();
        db.insert_many(rows);
        heroes = rows.size();
    } else {
        std::cerr << "usage: load_bench setup|ender-selectin|ender-powers|libpq|ender-n+1 "
                     "[teams]|ender-insert|ender-wide|libpq-wide\n";
        return 2;
    }
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
    std::cout << mode << " ms=" << ms.count() << " statements=" << (db.counts() - before).statements
              << " teams=" << teams << " heroes=" << heroes << "\n";
}
