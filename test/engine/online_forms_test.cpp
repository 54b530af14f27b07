// Tests of engine/online_forms.hpp through the diff: which steps carry an online operation
// (ender_diff's online_operation column), the exact line, and that the one parser of
// "-- ender:online" lines (online.hpp) reads back every line the diff writes.
#include "engine/online_forms.hpp"

#include "engine/diff.hpp"
#include "engine/online.hpp"
#include "engine/renames.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;
using steps = std::vector<diff_step>;

json base() {
    return team_and_hero();
}

steps plan(const json& from, const json& to, bool online) {
    diff_options options;
    options.online = online;
    return diff(parse(from), parse(to), options);
}

// The distinct online operations of a plan, in step order.
std::vector<std::string> operations(const steps& plan) {
    std::vector<std::string> out;
    for (const auto& s : plan)
        if (s.online_operation && (out.empty() || out.back() != *s.online_operation))
            out.push_back(*s.online_operation);
    return out;
}

// In both modes, the change from `base()` to `to` carries exactly `expected`, on every step.
void expect_operation(const json& to, const std::string& expected) {
    for (bool online : {true, false}) {
        steps p = plan(base(), to, online);
        ASSERT_FALSE(p.empty());
        for (const auto& s : p)
            EXPECT_EQ(s.online_operation, expected) << s.sql << (online ? " (online)" : "");
    }
}

void expect_none(const json& to) {
    for (bool online : {true, false})
        for (const auto& s : plan(base(), to, online)) EXPECT_FALSE(s.online_operation) << s.sql;
}

TEST(online_forms, column_type_change) {
    json to = base();
    named(table_of(to, "hero"), "columns", "team_id")["type"] = "bigint";
    expect_operation(to,
                     "alter_column \"public\".\"hero\" \"team_id\" TYPE bigint "
                     "USING (\"team_id\"::bigint) DOWN (\"team_id\"::integer)");
}

// The plain ALTER drops the default first and sets it again; the operation carries it over.
TEST(online_forms, column_type_change_with_its_default) {
    json to = base();
    named(table_of(to, "hero"), "columns", "name")["type"] = "character varying(20)";
    EXPECT_EQ(plan(base(), to, false).size(), 3u);
    expect_operation(to,
                     "alter_column \"public\".\"hero\" \"name\" TYPE character varying(20) "
                     "USING (\"name\"::character varying(20)) DOWN (\"name\"::text)");
}

TEST(online_forms, none_for_a_key_column_or_a_table_without_key) {
    json to = base();
    named(table_of(to, "hero"), "columns", "id")["type"] = "integer";
    expect_none(to);
    json keyless = base(), keyless_to = base();
    table_of(keyless, "team")["constraints"] = json::array();
    table_of(keyless_to, "team")["constraints"] = json::array();
    named(table_of(keyless_to, "team"), "columns", "name")["type"] = "character varying(20)";
    for (const auto& s : plan(keyless, keyless_to, false))
        EXPECT_FALSE(s.online_operation) << s.sql;
}

TEST(online_forms, new_not_null_column_with_a_function_default_or_none) {
    json to = base();
    add_column(table_of(to, "hero"), "token", "uuid", true)["default"] = "gen_random_uuid()";
    expect_operation(to,
                     "add_column \"public\".\"hero\" \"token\" uuid NOT NULL DEFAULT "
                     "(gen_random_uuid()) BACKFILL (gen_random_uuid())");
    json bare = base();
    add_column(table_of(bare, "hero"), "rank", "integer", true);
    expect_operation(bare,
                     "add_column \"public\".\"hero\" \"rank\" integer NOT NULL BACKFILL (NULL)");
}

TEST(online_forms, none_for_a_constant_default_or_a_nullable_column) {
    json to = base();
    add_column(table_of(to, "hero"), "level", "integer", true)["default"] = "0";
    add_column(table_of(to, "hero"), "nick", "text", true)["default"] = "'f(x)'::text";
    add_column(table_of(to, "hero"), "note", "text")["default"] = "now()";
    expect_none(to);
}

// The glue reads the volatility of the functions a default calls from pg_proc: now() is
// stable, so ADD COLUMN does not rewrite and no online form is proposed; a volatile call, or
// one the glue did not find, keeps it.
TEST(online_forms, a_default_calling_only_non_volatile_functions_needs_none) {
    EXPECT_EQ(online_form::called_functions(
                  "COALESCE(pg_catalog.now(), \"My Fn\"(1), 'f(x)'::text, lower(('a')))"),
              (std::vector<std::string>{"COALESCE", "pg_catalog.now", "\"My Fn\"", "lower"}));
    json to = base();
    add_column(table_of(to, "hero"), "seen", "timestamp with time zone", true)["default"] = "now()";
    diff_options options;
    options.function_volatility = {{"now", 's'}};
    for (const auto& s : diff(parse(base()), parse(to), options))
        EXPECT_FALSE(s.online_operation) << s.sql;
    options.function_volatility = {{"now", 'v'}};
    EXPECT_EQ(operations(diff(parse(base()), parse(to), options)),
              (std::vector<std::string>{"add_column \"public\".\"hero\" \"seen\" timestamp with "
                                        "time zone NOT NULL DEFAULT (now()) BACKFILL (now())"}));
    options.function_volatility = {};  // unknown: counted as volatile
    EXPECT_EQ(operations(diff(parse(base()), parse(to), options)).size(), 1u);
}

TEST(online_forms, set_not_null_on_every_step_of_the_change) {
    json to = base();
    named(table_of(to, "hero"), "columns", "team_id")["not_null"] = true;
    EXPECT_EQ(plan(base(), to, true).size(),
              4u);  // check NOT VALID, validate, SET NOT NULL, drop check
    expect_operation(to, "set_not_null \"public\".\"hero\" \"team_id\"");
}

TEST(online_forms, unique_and_primary_key) {
    json to = base();
    add(table_of(to, "team"), "constraints",
        constraint_json("team_name_key", "unique", "UNIQUE (name)"));
    expect_operation(to, "add_unique \"public\".\"team\" \"team_name_key\" (name)");
    json keyless = base(), keyed = base();
    table_of(keyless, "team")["constraints"] = json::array();
    for (const auto& s : plan(keyless, keyed, false))
        EXPECT_EQ(s.online_operation, "add_primary_key \"public\".\"team\" \"team_pkey\" (id)");
}

TEST(online_forms, check_and_foreign_key) {
    json to = base();
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_id_check", "check", "CHECK ((id > 0))"));
    expect_operation(to, "add_constraint \"public\".\"hero\" \"hero_id_check\" CHECK ((id > 0))");

    json fk = base();
    json c = constraint_json(
        "hero_team_id_fkey", "foreign key",
        "FOREIGN KEY (team_id) REFERENCES public.team(id) ON UPDATE CASCADE ON DELETE SET NULL");
    c["references"] = {{"schema", "public"}, {"table", "team"}, {"columns", {"id"}}};
    add(table_of(fk, "hero"), "constraints", c);
    // ON DELETE first, as the operation's format has it.
    expect_operation(
        fk,
        "add_constraint \"public\".\"hero\" \"hero_team_id_fkey\" FOREIGN KEY (team_id) "
        "REFERENCES \"public\".\"team\" (id) ON DELETE SET NULL ON UPDATE CASCADE");
}

TEST(online_forms, none_for_shapes_the_operations_do_not_have) {
    json to = base();
    json full = constraint_json("hero_team_id_fkey", "foreign key",
                                "FOREIGN KEY (team_id) REFERENCES public.team(id) MATCH FULL");
    add(table_of(to, "hero"), "constraints", full);
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text)) NO INHERIT"));
    json later = constraint_json("team_name_key", "unique", "UNIQUE (name)");
    later["deferrable"] = true;
    add(table_of(to, "team"), "constraints", later);
    expect_none(to);
    // A new table is created whole: nothing to do online.
    json fresh = base();
    json& side = add_table(fresh, "public", "sidekick");
    add_column(side, "id", "integer", true);
    add(side, "constraints", constraint_json("sidekick_pkey", "primary key", "PRIMARY KEY (id)"));
    expect_none(fresh);
}

TEST(online_forms, index_built_or_dropped_on_an_existing_table) {
    json to = base();
    add(table_of(to, "hero"), "indexes",
        index_json("hero_team_name",
                   "CREATE INDEX hero_team_name ON public.hero USING btree "
                   "(team_id) INCLUDE (name) WHERE (team_id > 0)"));
    expect_operation(to,
                     "create_index \"hero_team_name\" ON \"public\".\"hero\" USING btree "
                     "(team_id) INCLUDE (name) WHERE (team_id > 0)");
    // pg_get_indexdef writes a predicate that is one column or call without parentheses.
    json bare = base();
    add(table_of(bare, "hero"), "indexes",
        index_json("hero_active",
                   "CREATE INDEX hero_active ON public.hero USING btree (id) "
                   "WHERE active"));
    expect_operation(bare,
                     "create_index \"hero_active\" ON \"public\".\"hero\" USING btree "
                     "(id) WHERE (active)");
    // The index dropped: drop_index; from the other side, the same index built.
    for (bool online : {true, false})
        for (const auto& s : plan(to, base(), online))
            EXPECT_EQ(s.online_operation, "drop_index \"public\".\"hero_team_name\"") << s.sql;
    online_operation drop = parse_online_operation("drop_index \"public\".\"hero_team_name\"");
    EXPECT_EQ(drop.schema, "public");
    EXPECT_EQ(drop.index, "hero_team_name");
}

TEST(online_forms, none_for_a_unique_or_redefined_index_or_one_on_a_new_table) {
    json unique = base();
    add(table_of(unique, "hero"), "indexes",
        index_json("hero_name_key",
                   "CREATE UNIQUE INDEX hero_name_key ON public.hero USING btree "
                   "(name)",
                   true));
    expect_none(unique);
    json from = base(), to = base();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    add(table_of(to, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING hash (name)"));
    for (bool online : {true, false})
        for (const auto& s : plan(from, to, online)) EXPECT_FALSE(s.online_operation) << s.sql;
    json fresh = base();
    json& side = add_table(fresh, "public", "sidekick");
    add_column(side, "id", "integer", true);
    add(side, "indexes",
        index_json("sidekick_id", "CREATE INDEX sidekick_id ON public.sidekick USING btree (id)"));
    expect_none(fresh);
}

TEST(online_forms, declared_column_rename) {
    json to = base();
    json& name = named(table_of(to, "hero"), "columns", "name");
    name["name"] = "moniker";
    name["renamed_from"] = "name";
    steps renames = rename_steps(parse(base()), parse(to));
    ASSERT_EQ(renames.size(), 1u);
    EXPECT_EQ(renames[0].online_operation,
              "rename_column \"public\".\"hero\" \"name\" TO \"moniker\"");
}

// Every line the diff writes is one the migration-file parser reads back.
TEST(online_forms, the_parser_reads_every_line_back) {
    json to = base();
    named(table_of(to, "hero"), "columns", "team_id")["type"] = "bigint";
    named(table_of(to, "hero"), "columns", "team_id")["not_null"] = true;
    json& name = named(table_of(to, "hero"), "columns", "name");
    name["name"] = "moniker";
    name["renamed_from"] = "name";
    add_column(table_of(to, "hero"), "token", "uuid", true)["default"] = "gen_random_uuid()";
    add(table_of(to, "team"), "constraints",
        constraint_json("team_name_key", "unique", "UNIQUE (name)"));
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_id_check", "check", "CHECK ((id > 0))"));
    json c = constraint_json("hero_team_id_fkey", "foreign key",
                             "FOREIGN KEY (team_id) REFERENCES public.team(id) ON DELETE CASCADE");
    c["references"] = {{"schema", "public"}, {"table", "team"}, {"columns", {"id"}}};
    add(table_of(to, "hero"), "constraints", c);
    add(table_of(to, "hero"), "indexes",
        index_json("hero_team",
                   "CREATE INDEX hero_team ON public.hero USING btree (team_id) "
                   "WITH (fillfactor='70') WHERE (team_id IS NOT NULL)"));

    steps all = rename_steps(parse(base()), parse(to));
    json renamed = base();
    named(table_of(renamed, "hero"), "columns", "name")["name"] = "moniker";
    for (auto& s : plan(renamed, to, true)) all.push_back(std::move(s));
    std::vector<std::string> lines = operations(all);
    std::set<std::string> kinds;
    for (const auto& line : lines) {
        std::string kind = line.substr(0, line.find(' '));
        kinds.insert(kind);
        online_operation op = parse_online_operation(line);
        EXPECT_EQ(op.kind, kind) << line;
        EXPECT_EQ(op.schema, "public") << line;
        EXPECT_TRUE(op.table == "hero" || op.table == "team") << line;
        if (kind == "create_index") {
            EXPECT_EQ(op.index, "hero_team");
            EXPECT_EQ(op.index_definition,
                      "USING \"btree\" (team_id) WITH (fillfactor='70') "
                      "WHERE (team_id IS NOT NULL)");
        }
        if (kind == "alter_column") {
            EXPECT_EQ(op.column, "team_id");
            EXPECT_EQ(op.type, "bigint");
            EXPECT_EQ(op.up, "\"team_id\"::bigint");
            EXPECT_EQ(op.down, "\"team_id\"::integer");
        }
    }
    EXPECT_EQ(kinds,
              (std::set<std::string>{"alter_column", "rename_column", "add_column", "set_not_null",
                                     "add_unique", "add_constraint", "create_index"}));
}

}  // namespace
}  // namespace ender::engine
