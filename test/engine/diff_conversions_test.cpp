// Tests of engine/diff.hpp without a server. A column's type change: the conversion the target
// declares ("conversions"), and the refusal of a plain cast the server does not have.
#include "engine/diff.hpp"

#include "diff_helpers.hpp"
#include "engine/error.hpp"
#include "engine/snapshot.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;

constexpr const char* cannot_coerce = "42846";
constexpr const char* alter = "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" TYPE ";

// team.name from `before` to `after`; `conversions` on the target's column when not null.
std::pair<json, json> retype(const std::string& before, const std::string& after,
                             json conversions = nullptr) {
    json from = team_and_hero();
    named(table_of(from, "team"), "columns", "name")["type"] = before;
    json to = team_and_hero();
    json& column = named(table_of(to, "team"), "columns", "name");
    column["type"] = after;
    if (!conversions.is_null()) column["conversions"] = conversions;
    return {from, to};
}

// A cast oracle that knows the pairs in `missing` have no cast, and records what it was asked.
struct oracle {
    std::set<std::pair<std::string, std::string>> missing;
    std::vector<std::pair<std::string, std::string>> asked;
    diff_options options() {
        diff_options o;
        o.cast_exists = [this](const std::string& from, const std::string& to) {
            asked.emplace_back(from, to);
            return !missing.count({from, to});
        };
        return o;
    }
};

steps plan_with(const std::pair<json, json>& docs, oracle& casts) {
    return diff(parse(docs.first), parse(docs.second), casts.options());
}

TEST(diff_conversions, a_declared_conversion_is_the_using_and_its_down_the_reverse) {
    auto docs = retype("text", "integer",
                       json::array({{{"from", "text"},
                                     {"using", "nullif(trim(name), '')::integer"},
                                     {"down", "name::text"}}}));
    oracle casts;
    steps s = plan_with(docs, casts);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, std::string(alter) + "integer USING nullif(trim(name), '')::integer");
    EXPECT_EQ(s[0].reverse_sql, std::string(alter) + "text USING name::text");
    ASSERT_TRUE(s[0].online_operation);
    EXPECT_EQ(*s[0].online_operation,
              "alter_column \"public\".\"team\" \"name\" TYPE integer USING (nullif(trim(name), "
              "'')::integer) DOWN (name::text)");
}

TEST(diff_conversions, a_conversion_applies_only_from_its_type_or_from_any) {
    json from_varchar = json::array(
        {{{"from", "character varying(20)"}, {"using", "length(name)"}, {"down", nullptr}}});
    EXPECT_EQ(plan(retype("text", "integer", from_varchar).first,
                   retype("text", "integer", from_varchar).second)[0]
                  .sql,
              std::string(alter) + "integer USING \"name\"::integer");
    auto varchar = retype("character varying(20)", "integer", from_varchar);
    EXPECT_EQ(plan(varchar.first, varchar.second)[0].sql,
              std::string(alter) + "integer USING length(name)");

    // "from": null matches whatever the column was; the first match wins.
    json any = json::array({{{"from", "bigint"}, {"using", "1"}, {"down", nullptr}},
                            {{"from", nullptr}, {"using", "2"}, {"down", nullptr}}});
    auto docs = retype("text", "integer", any);
    EXPECT_EQ(plan(docs.first, docs.second)[0].sql, std::string(alter) + "integer USING 2");
    docs = retype("bigint", "integer", any);
    EXPECT_EQ(plan(docs.first, docs.second)[0].sql, std::string(alter) + "integer USING 1");
}

TEST(diff_conversions, a_conversion_is_ignored_when_the_type_stays) {
    json conversions = json::array({{{"from", nullptr}, {"using", "1"}, {"down", "2"}}});
    auto same = retype("text", "text", conversions);
    EXPECT_TRUE(plan(same.first, same.second).empty());
    // A collation change alone keeps its plain cast.
    named(table_of(same.second, "team"), "columns", "name")["collation"] = "\"C\"";
    EXPECT_EQ(plan(same.first, same.second)[0].sql,
              std::string(alter) + "text COLLATE \"C\" USING \"name\"::text");
}

TEST(diff_conversions, a_one_way_conversion_is_undone_by_the_cast_back_when_there_is_one) {
    json one_way = json::array({{{"from", "text"}, {"using", "to_date(name, 'YYYY')"}}});
    auto docs = retype("text", "date", one_way);
    oracle casts;
    steps s = plan_with(docs, casts);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].reverse_sql, std::string(alter) + "text USING \"name\"::text");
    EXPECT_NE(s[0].online_operation->find("DOWN (\"name\"::text)"), std::string::npos);

    // No cast back: no reverse, and no online form (alter_column needs a DOWN).
    auto dates = retype("date", "integer",
                        json::array({{{"from", "date"}, {"using", "extract(year from name)"}}}));
    casts.missing = {{"date", "integer"}, {"integer", "date"}};
    s = plan_with(dates, casts);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, std::string(alter) + "integer USING extract(year from name)");
    EXPECT_FALSE(s[0].reverse_sql);
    EXPECT_FALSE(s[0].online_operation);
}

TEST(diff_conversions, a_type_change_without_a_cast_is_refused_at_diff_time) {
    auto docs = retype("date", "integer");
    oracle casts;
    casts.missing = {{"date", "integer"}};
    EXPECT_ENGINE_ERROR(plan_with(docs, casts), cannot_coerce,
                        "cannot convert column \"public\".\"team\".\"name\" from type date to "
                        "integer",
                        {.detail = "The server has no cast from date to integer",
                         .hint = "\"conversions\": [{\"from\": \"date\", \"using\": "
                                 "\"<expression>\", \"down\": null}]"});
    // Declaring the conversion makes it pass; so does a cast the server has.
    auto declared = retype("date", "integer",
                           json::array({{{"from", "date"},
                                         {"using", "extract(year from name)::integer"},
                                         {"down", "make_date(name, 1, 1)"}}}));
    steps s = plan_with(declared, casts);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].reverse_sql, std::string(alter) + "date USING make_date(name, 1, 1)");
    casts.missing.clear();
    EXPECT_EQ(plan_with(docs, casts).size(), 1u);
    // Without an oracle (documents compared without a server) every cast exists.
    EXPECT_EQ(plan(docs.first, docs.second).size(), 1u);
}

TEST(diff_conversions, enums_go_through_text_without_asking_for_a_cast) {
    auto docs = retype("public.shade", "public.colour");
    for (json* doc : {&docs.first, &docs.second}) {
        add(*doc, "enums", enum_json("public", "shade", {"red", "blue"}));
        add(*doc, "enums", enum_json("public", "colour", {"red", "blue", "black"}));
    }
    oracle casts;
    casts.missing = {{"public.shade", "public.colour"}, {"public.colour", "public.shade"}};
    steps s = plan_with(docs, casts);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, std::string(alter) + "public.colour USING \"name\"::text::public.colour");
    EXPECT_EQ(s[0].reverse_sql,
              std::string(alter) + "public.shade USING \"name\"::text::public.shade");
    EXPECT_TRUE(casts.asked.empty());
}

TEST(diff_conversions, a_domain_casts_as_its_base_type) {
    auto docs = retype("public.year_date", "public.year_number");
    add(docs.first, "domains", domain_json("public", "year_date", "date"));
    add(docs.second, "domains", domain_json("public", "year_number", "integer"));
    oracle casts;
    casts.missing = {{"date", "integer"}};
    EXPECT_ENGINE_ERROR(plan_with(docs, casts), cannot_coerce,
                        "from type public.year_date to public.year_number");
    EXPECT_EQ(casts.asked.front(), (std::pair<std::string, std::string>{"integer", "date"}));
}

TEST(diff_conversions, malformed_conversions_are_refused_with_their_path) {
    auto bad = [](json conversions) {
        json doc = retype("text", "integer", std::move(conversions)).second;
        return [doc] { parse_snapshot(doc.dump()); };
    };
    const char* invalid = "22023";
    EXPECT_ENGINE_ERROR(bad(json::array({{{"from", "text"}, {"using", ""}}}))(), invalid,
                        "invalid snapshot document",
                        {.detail = ".columns[1].conversions[0].using: expected an expression"});
    EXPECT_ENGINE_ERROR(bad(json::array({{{"from", "text"}}}))(), invalid,
                        "invalid snapshot document",
                        {.detail = "conversions[0]: missing field \"using\""});
    EXPECT_ENGINE_ERROR(bad(json::array({{{"from", ""}, {"using", "1"}}}))(), invalid,
                        "invalid snapshot document",
                        {.detail = "conversions[0].from: expected a type name or null"});
    EXPECT_ENGINE_ERROR(bad(json::array({{{"from", nullptr}, {"using", "1"}, {"down", 3}}}))(),
                        invalid, "invalid snapshot document",
                        {.detail = "conversions[0].down: expected a string or null"});
    EXPECT_ENGINE_ERROR(bad(json{{"from", "text"}})(), invalid, "invalid snapshot document",
                        {.detail = ".conversions: expected an array"});
}

}  // namespace
}  // namespace ender::engine
