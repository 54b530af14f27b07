// types.hpp: every mapped type round-trips through the server (NULL, empty, extremes,
// unicode), and the server reads what was sent as the value meant (checked as its text).
#include "support.hpp"

#include <limits>
#include <sstream>

namespace app {
enum class power { fire, ice, big_wind };
inline auto ender_enum(ender::tag<power>) {
    return ender::enum_mapping<power>(
        "Power Kind",
        {{power::fire, "fire"}, {power::ice, "ice"}, {power::big_wind, "big \"wind\""}});
}
}  // namespace app

namespace {

using namespace std::chrono_literals;
using ender::test::throws;
class types : public ender::test::database {
protected:
    // `value` sent as a parameter and selected back, and the server's text for it.
    template <class T>
    void round_trip(const T& value, std::optional<std::string> text) {
        auto back = db.scalar<T>("SELECT $1", value);
        EXPECT_EQ(back, value);
        EXPECT_EQ(db.scalar<std::optional<std::string>>("SELECT $1::text", value), text);
    }
};

TEST_F(types, integers_with_their_extremes) {
    round_trip<std::int16_t>(std::numeric_limits<std::int16_t>::min(), "-32768");
    round_trip<std::int16_t>(32767, "32767");
    round_trip<std::int32_t>(std::numeric_limits<std::int32_t>::min(), "-2147483648");
    round_trip<std::int32_t>(0, "0");
    round_trip<std::int64_t>(std::numeric_limits<std::int64_t>::max(), "9223372036854775807");
    round_trip<std::int64_t>(-1, "-1");
    // Narrower reads of wider columns are range-checked.
    EXPECT_EQ(db.scalar<std::int64_t>("SELECT 7::smallint"), 7);
    EXPECT_TRUE(throws<ender::data_error>([&] { db.scalar<std::int16_t>("SELECT 40000"); }, "22003",
                                          "out of range for type smallint"));
}

TEST_F(types, floating_point_and_bool) {
    round_trip(1.5, "1.5");
    round_trip(-0.1f, "-0.1");
    round_trip(std::numeric_limits<double>::max(), "1.7976931348623157e+308");
    round_trip(std::numeric_limits<double>::infinity(), "Infinity");
    EXPECT_TRUE(std::isnan(db.scalar<double>("SELECT $1", std::nan(""))));
    round_trip(true, "true");
    round_trip(false, "false");
}

TEST_F(types, text_empty_unicode_and_quotes) {
    round_trip(std::string(), "");
    round_trip(std::string("héros 英雄 🦸"), "héros 英雄 🦸");
    round_trip(std::string("'; DROP TABLE x; --\\\""), "'; DROP TABLE x; --\\\"");
    EXPECT_EQ(db.scalar<std::string>("SELECT 'abc'::varchar(5)"), "abc");
    EXPECT_EQ(db.scalar<std::string>("SELECT $1 || 'x'", "a"), "ax");
}

TEST_F(types, nulls_through_optional) {
    round_trip(std::optional<int>(), std::nullopt);
    round_trip(std::optional<std::string>("x"), "x");
    EXPECT_TRUE(throws<ender::data_error>([&] { db.scalar<int>("SELECT NULL::int"); }, "22004",
                                          "is null and cannot be read into a non-optional type"));
}

TEST_F(types, bytea_with_every_byte) {
    std::vector<std::byte> all;
    for (int i = 0; i < 256; ++i) all.push_back(std::byte(i));
    EXPECT_EQ(db.scalar<std::vector<std::byte>>("SELECT $1", all), all);
    EXPECT_EQ(db.scalar<int>("SELECT length($1)", all), 256);
    round_trip(std::vector<std::byte>{std::byte{0xde}, std::byte{0xad}}, "\\xdead");
    round_trip(std::vector<std::byte>{}, "\\x");
}

TEST_F(types, uuid_parse_print_and_round_trip) {
    auto u = ender::uuid::parse("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11");
    EXPECT_EQ(u.str(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    round_trip(u, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    round_trip(ender::uuid{}, "00000000-0000-0000-0000-000000000000");
    round_trip(std::optional<ender::uuid>(), std::nullopt);
    EXPECT_EQ(db.scalar<ender::uuid>("SELECT 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid"), u);
    EXPECT_TRUE(throws<ender::data_error>([] { ender::uuid::parse("a0ee-zz"); }, "22P02",
                                          "invalid input syntax for type uuid"));
}

TEST_F(types, numeric_is_exact) {
    for (std::string v : {"0", "-12.50", "123456789012345678901234567890.000000000000000000001",
                          "0.0001", "10000", "-0.5", "NaN", "Infinity", "-Infinity"})
        round_trip(ender::decimal(v), v);
    EXPECT_EQ(db.scalar<ender::decimal>("SELECT 1.10::numeric(10,4)").str(), "1.1000");
    EXPECT_EQ(db.scalar<ender::decimal>("SELECT 0.00001230").str(), "0.00001230");
    // Every shape of base-10,000 digits (weights, a first group of 1 to 4 digits, groups of
    // zeros, scales cutting a group) printed as the server prints them.
    auto rows = db.query<std::tuple<ender::decimal, std::string>>(
        "SELECT n, n::text FROM (SELECT round((i * 7919.0 - 4000000) / 10::numeric ^ (i % 13), "
        "i % 11) * (10 ^ (i % 6))::bigint AS n FROM generate_series(1, 3000) i) x");
    ASSERT_EQ(rows.size(), 3000u);
    for (const auto& [n, text] : rows) ASSERT_EQ(n.str(), text);
    EXPECT_TRUE(throws<ender::data_error>([] { ender::decimal("1e5x"); }, "22P02",
                                          "invalid input syntax for type numeric"));
}

TEST_F(types, jsonb_and_json) {
    nlohmann::json j = {{"name", "Ünïcode ✓"}, {"n", 1}, {"list", {1, 2, nullptr}}, {"o", {}}};
    EXPECT_EQ(db.scalar<nlohmann::json>("SELECT $1", j), j);
    EXPECT_EQ(db.scalar<std::string>("SELECT $1->>'name'", j), "Ünïcode ✓");
    EXPECT_EQ(db.scalar<nlohmann::json>("SELECT '[1, \"a\"]'::json"), nlohmann::json({1, "a"}));
    EXPECT_EQ(db.scalar<nlohmann::json>("SELECT 'null'::jsonb"), nlohmann::json());
    EXPECT_EQ(db.scalar<nlohmann::json>("SELECT $1", nlohmann::json::object()),
              nlohmann::json::object());
    EXPECT_EQ(db.scalar<std::string>("SELECT '{\"a\": 1}'::json"), "{\"a\": 1}");
    EXPECT_EQ(db.scalar<std::optional<nlohmann::json>>("SELECT NULL::jsonb"), std::nullopt);
}

TEST_F(types, timestamps_dates_and_intervals) {
    using namespace std::chrono;
    db.execute("SET TimeZone = 'UTC'");
    sys_time<microseconds> t = sys_days(2024y / 2 / 29) + 13h + 14min + 15s + 123456us;
    round_trip(t, "2024-02-29 13:14:15.123456+00");
    round_trip(sys_seconds(sys_days(1900y / 1 / 1)), "1900-01-01 00:00:00+00");
    round_trip(sys_time<microseconds>::max(), "infinity");
    round_trip(sys_time<microseconds>::min(), "-infinity");
    local_time<microseconds> lt = local_days(2024y / 1 / 2) + 3h;
    round_trip(lt, "2024-01-02 03:00:00");
    round_trip(sys_days(1999y / 12 / 31), "1999-12-31");
    round_trip(sys_days::max(), "infinity");
    round_trip(sys_days(-4713y / 11 / 24), "4714-11-24 BC");  // the first day PostgreSQL has
    round_trip(std::optional<sys_days>(), std::nullopt);
    round_trip(sys_days(2000y / 1 / 1), "2000-01-01");
    round_trip(ender::interval{14, 3, 4h + 5s}, "1 year 2 mons 3 days 04:00:05");
    round_trip(microseconds(-1500), "-00:00:00.0015");
    EXPECT_EQ(db.scalar<seconds>("SELECT interval '1 day 1 second'"), 86401s);
    EXPECT_TRUE(throws<ender::data_error>([&] { db.scalar<seconds>("SELECT interval '1 month'"); },
                                          "22000", "cannot convert a value of type interval"));
    // Precision coarser than microseconds floors.
    EXPECT_EQ(db.scalar<sys_seconds>("SELECT '2020-01-01 00:00:01.9+00'::timestamptz"),
              sys_seconds(sys_days(2020y / 1 / 1) + 1s));
}

TEST_F(types, arrays_with_nulls_and_odd_elements) {
    round_trip(std::vector<int>{1, 2, 3}, "{1,2,3}");
    round_trip(std::vector<int>{}, "{}");
    round_trip(std::vector<std::string>{"a,b", "\"q\"", "", "NULL", "ü"},
               R"({"a,b","\"q\"","","NULL",ü})");
    round_trip(std::vector<std::optional<std::int64_t>>{1, std::nullopt}, "{1,NULL}");
    round_trip(std::vector<ender::decimal>{ender::decimal("1.5"), ender::decimal("-2")},
               "{1.5,-2}");
    EXPECT_TRUE(
        throws<ender::data_error>([&] { db.scalar<std::vector<int>>("SELECT ARRAY[1, NULL]"); },
                                  "22000", "cannot convert a value of type integer[]"));
}

TEST_F(types, enums_by_declared_labels) {
    db.execute("CREATE TYPE \"Power Kind\" AS ENUM ('fire', 'ice', 'big \"wind\"')");
    EXPECT_EQ(ender::type_traits<app::power>::sql_name(), "public.\"Power Kind\"");
    EXPECT_EQ(db.scalar<app::power>("SELECT $1::\"Power Kind\"", app::power::big_wind),
              app::power::big_wind);
    EXPECT_EQ(db.scalar<std::string>("SELECT $1::\"Power Kind\"::text", app::power::ice), "ice");
    auto all = std::vector<app::power>{app::power::fire, app::power::big_wind};
    EXPECT_EQ(db.scalar<std::vector<app::power>>("SELECT $1::\"Power Kind\"[]", all), all);
    EXPECT_TRUE(throws<ender::data_error>([&] { db.scalar<app::power>("SELECT 'zap'::text"); },
                                          "22000",
                                          "cannot convert a value of type public.\"Power Kind\""));
}

TEST_F(types, reading_into_the_wrong_type_is_refused) {
    EXPECT_TRUE(throws<ender::statement_error>([&] { db.scalar<std::string>("SELECT 1"); }, "42804",
                                               "cannot read a column of type oid 23"));
    EXPECT_TRUE(throws<ender::statement_error>([&] { db.scalar<bool>("SELECT 'x'::text"); },
                                               "42804", "into bool"));
}

}  // namespace

// A custom type: a 2-D point mapped through its text form (the documented extension point).
namespace geo {
struct point {
    double x = 0, y = 0;
    friend bool operator==(const point&, const point&) = default;
};
}  // namespace geo

template <>
struct ender::type_traits<geo::point> {
    static std::string sql_name() { return "point"; }
    static constexpr ender::oid type_oid = 600;
    static void to_text(const geo::point& p, std::string& out) {
        out += "(" + std::to_string(p.x) + "," + std::to_string(p.y) + ")";
    }
    static geo::point from_text(std::string_view text) {
        geo::point p;
        if (std::sscanf(std::string(text).c_str(), "(%lf,%lf)", &p.x, &p.y) != 2)
            detail::conversion_failed("point", "Expected (x,y).");
        return p;
    }
    static constexpr bool select_as_text = true;
};

namespace {
TEST_F(types, custom_type_through_text) {
    geo::point p{1.5, -2};
    EXPECT_EQ(db.scalar<geo::point>("SELECT $1::text", p), p);
    EXPECT_EQ(db.scalar<double>("SELECT ($1)[0]", p), 1.5);
    EXPECT_EQ(db.scalar<std::vector<geo::point>>("SELECT ARRAY[$1::text]", p),
              std::vector<geo::point>{p});
}
}  // namespace

namespace {
// detail::quote_ident and quote_literal (the rules of extension/src/engine/quote.hpp) write
// what the server's quote_ident() and quote_literal() write: for every keyword, awkward names
// and text with quotes and backslashes, read back the same under either
// standard_conforming_strings; a NUL byte is refused.
TEST_F(types, quoting_matches_the_server) {
    std::istringstream words(db.scalar<std::string>(
        "SELECT string_agg(word || ' ' || quote_ident(word), E'\\n' ORDER BY word) "
        "FROM pg_get_keywords()"));
    int keywords = 0;
    for (std::string line; std::getline(words, line); ++keywords) {
        const auto space = line.find(' ');
        EXPECT_EQ(ender::detail::quote_ident(line.substr(0, space)), line.substr(space + 1));
    }
    EXPECT_GT(keywords, 400);
    for (std::string name : {"", "Abc", "1a", "é", "a\"b", "a b", "_x1", "name"})
        EXPECT_EQ(ender::detail::quote_ident(name),
                  db.scalar<std::string>("SELECT quote_ident($1)", name));
    for (std::string text : {"", "it's", "a\\b", "\\'", "héros 英雄"}) {
        EXPECT_EQ(ender::detail::quote_literal(text),
                  db.scalar<std::string>("SELECT quote_literal($1)", text));
        for (const char* conforming : {"off", "on"}) {
            db.execute(std::string("SET standard_conforming_strings = ") + conforming);
            EXPECT_EQ(db.scalar<std::string>("SELECT " + ender::detail::quote_literal(text)), text);
        }
    }
    EXPECT_TRUE(throws<ender::error>([] { ender::detail::quote_literal(std::string("a\0b", 3)); },
                                     "22021", "a string constant cannot contain a NUL byte"));
    EXPECT_TRUE(throws<ender::error>([] { ender::detail::quote_ident(std::string("\0", 1)); },
                                     "22021", "an identifier cannot contain a NUL byte"));
}
}  // namespace
