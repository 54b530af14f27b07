// Tests of engine/diff.hpp without a server: which steps a change produces (SQL, reverse,
// hazards, transaction), the order they come in, online vs plain forms, refusals, and the
// quoting of every identifier and literal the diff writes itself.
#include "engine/diff.hpp"

#include "engine/error.hpp"
#include "engine/snapshot.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;
using steps = std::vector<diff_step>;

constexpr const char* unsupported = "0A000";

// The plan from one document to another.
steps plan(const json& from, const json& to, bool online = true) {
    diff_options options;
    options.online = online;
    return diff(parse(from), parse(to), options);
}

// Removes the element called `name` from a list.
void erase_named(json& list, const std::string& name) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i]["name"] == name) return list.erase(i);
    throw std::runtime_error("nothing called " + name);
}

// A foreign key hero.team_id -> team.id, as the document describes it.
json hero_team_fkey() {
    json fk = constraint_json("hero_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    return fk;
}

// A view over team.
json team_names_view(const std::string& schema = "public", const std::string& name = "team_names") {
    json v = view_json(schema, name, " SELECT team.id,\n    team.name\n   FROM public.team;");
    v["columns"] = {{{"name", "id"}, {"comment", nullptr}},
                    {{"name", "name"}, {"comment", nullptr}}};
    v["depends_on"] = {{{"schema", "public"}, {"name", "team"}}};
    return v;
}

// CREATE TYPE "public"."mood" AS ENUM (...) for these labels.
std::string enum_sql_for_test(const strings& labels) {
    std::string out = "CREATE TYPE \"public\".\"mood\" AS ENUM (";
    for (std::size_t i = 0; i < labels.size(); ++i)
        out += (i ? ", " : "") + quote_literal(labels[i]);
    return out + ")";
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// Whether `text` is well-formed UTF-8 (what the server accepts in a UTF8 database).
bool valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80           ? 1
                        : (c >> 5) == 0x6  ? 2
                        : (c >> 4) == 0xe  ? 3
                        : (c >> 3) == 0x1e ? 4
                                           : 0;
        if (n == 0 || i + n > text.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
        i += n;
    }
    return true;
}

// ---------------------------------------------------------------------------------------
// SQL text helpers

TEST(diff, quote_ident_always_quotes_and_doubles_embedded_quotes) {
    EXPECT_EQ(quote_ident("hero"), "\"hero\"");
    EXPECT_EQ(quote_ident("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(quote_ident("\""), "\"\"\"\"");
    EXPECT_EQ(quote_ident("\"\""), "\"\"\"\"\"\"");
    EXPECT_EQ(quote_ident(""), "\"\"");
    EXPECT_EQ(quote_ident("Hero Name"), "\"Hero Name\"");
    EXPECT_EQ(quote_ident("HERO"), "\"HERO\"");      // upper case survives only quoted
    EXPECT_EQ(quote_ident("select"), "\"select\"");  // keywords too
    EXPECT_EQ(quote_ident("a'b"), "\"a'b\"");        // single quotes are not special here
    EXPECT_EQ(quote_ident("café"), "\"café\"");
    EXPECT_EQ(quote_ident("名前"), "\"名前\"");
    EXPECT_EQ(quote_ident("a.b"), "\"a.b\"");
    std::string longest(63, 'n');
    EXPECT_EQ(quote_ident(longest), "\"" + longest + "\"");
    std::string quotes(63, '"');
    EXPECT_EQ(quote_ident(quotes), "\"" + std::string(126, '"') + "\"");
}

TEST(diff, quote_literal_doubles_single_quotes) {
    EXPECT_EQ(quote_literal("ok"), "'ok'");
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
    EXPECT_EQ(quote_literal("''"), "''''''");
    EXPECT_EQ(quote_literal(""), "''");
    EXPECT_EQ(quote_literal("a\"b"), "'a\"b'");
    EXPECT_EQ(quote_literal("名前"), "'名前'");
}

TEST(diff, qualified_quotes_schema_and_name_separately) {
    EXPECT_EQ(qualified(qn("public", "hero")), "\"public\".\"hero\"");
    EXPECT_EQ(qualified(qn("My Schema", "a\"b")), "\"My Schema\".\"a\"\"b\"");
    EXPECT_EQ(qualified(qn("a.b", "c")),
              "\"a.b\".\"c\"");  // a dot inside a name is not a separator
}

// ---------------------------------------------------------------------------------------
// No change, no step

TEST(diff, identical_documents_give_no_steps) {
    for (bool online : {true, false}) {
        EXPECT_TRUE(plan(empty_document(), empty_document(), online).empty());
        EXPECT_TRUE(plan(team_and_hero(), team_and_hero(), online).empty());
        EXPECT_EQ(sql_of(plan(realistic_document(), realistic_document(), online)), strings{});
    }
    snapshot s = parse(realistic_document());
    EXPECT_TRUE(diff(s, s, diff_options{}).empty());
}

TEST(diff, extra_keys_in_a_document_do_not_make_a_difference) {
    json with_extras = realistic_document();
    with_extras["tables"][0]["columns"][0]["statistics"] = 100;
    with_extras["tables"][0]["indexes"][0]["method"] =
        "something else";  // read from the definition only
    EXPECT_TRUE(plan(realistic_document(), with_extras).empty());
}

// ---------------------------------------------------------------------------------------
// Tables

TEST(diff, create_table) {
    json to = empty_document();
    json& hero = add_table(to, "public", "hero");
    add_column(hero, "id", "bigint", true)["identity"] = "always";
    add_column(hero, "name", "text", true)["default"] = "'x'::text";
    add_column(hero, "team_id", "integer");
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "CREATE TABLE \"public\".\"hero\" (\n"
              "    \"id\" bigint GENERATED ALWAYS AS IDENTITY,\n"
              "    \"name\" text DEFAULT 'x'::text NOT NULL,\n"
              "    \"team_id\" integer\n"
              ")");
    EXPECT_EQ(s[0].reverse_sql, "DROP TABLE \"public\".\"hero\"");
    EXPECT_EQ(s[0].object_kind, "table");
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero\"");
    EXPECT_TRUE(s[0].hazards.empty());
    EXPECT_TRUE(s[0].in_transaction);
}

TEST(diff, create_table_with_every_column_form_and_its_comments) {
    json to = empty_document();
    json& hero = add_table(to, "public", "hero");
    hero["unlogged"] = true;
    hero["comment"] = "the heroes";
    add_column(hero, "double_score", "numeric")["generated"] = "(score * (2)::numeric)";
    json& email = add_column(hero, "email", "text");
    email["collation"] = "\"C\"";
    email["comment"] = "contact";
    add_column(hero, "id", "bigint", true)["identity"] = "by default";
    add_column(hero, "score", "numeric(10,2)")["default"] = "0";
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].sql,
              "CREATE UNLOGGED TABLE \"public\".\"hero\" (\n"
              "    \"double_score\" numeric GENERATED ALWAYS AS ((score * (2)::numeric)) STORED,\n"
              "    \"email\" text COLLATE \"C\",\n"
              "    \"id\" bigint GENERATED BY DEFAULT AS IDENTITY,\n"
              "    \"score\" numeric(10,2) DEFAULT 0\n"
              ")");
    EXPECT_EQ(s[1].sql, "COMMENT ON TABLE \"public\".\"hero\" IS 'the heroes'");
    EXPECT_EQ(s[1].object_kind, "comment");
    EXPECT_EQ(s[2].sql, "COMMENT ON COLUMN \"public\".\"hero\".\"email\" IS 'contact'");
}

TEST(diff, drop_table_deletes_data_and_its_reverse_rebuilds_it) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json to = from;
    erase_named(to["tables"], "hero");
    steps created = plan(to, from);
    std::string create_sql = step_with(created, "CREATE TABLE \"public\".\"hero\"").sql;

    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "DROP TABLE \"public\".\"hero\"");
    EXPECT_EQ(s[0].object_kind, "table");
    EXPECT_TRUE(contains(s[0].hazards, hazard::deletes_data));
    EXPECT_TRUE(contains(s[0].hazards, hazard::access_exclusive));
    ASSERT_TRUE(s[0].reverse_sql.has_value());
    EXPECT_EQ(s[0].reverse_sql->rfind(create_sql, 0), 0u) << *s[0].reverse_sql;
    // Undoing the drop brings back what hung on the table, not only its columns.
    EXPECT_NE(s[0].reverse_sql->find(
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY (id)"),
              std::string::npos)
        << *s[0].reverse_sql;
    EXPECT_NE(s[0].reverse_sql->find("CREATE INDEX hero_name ON public.hero USING btree (name)"),
              std::string::npos)
        << *s[0].reverse_sql;
}

TEST(diff, tables_joined_by_a_foreign_key_are_dropped_referrer_first_or_together) {
    // a_team sorts before b_hero, which references it: dropping a_team first would fail.
    json from = empty_document();
    json& team = add_table(from, "public", "a_team");
    add_column(team, "id", "integer", true);
    add(team, "constraints", constraint_json("a_team_pkey", "primary key", "PRIMARY KEY (id)"));
    json& hero = add_table(from, "public", "b_hero");
    add_column(hero, "team_id", "integer");
    json fk = constraint_json("b_hero_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.a_team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "a_team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    add(hero, "constraints", fk);
    steps s = plan(from, empty_document());
    int team_drop = -1, hero_drop = -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i].sql.rfind("DROP TABLE", 0) != 0) continue;
        if (s[i].sql.find("\"public\".\"a_team\"") != std::string::npos)
            team_drop = static_cast<int>(i);
        if (s[i].sql.find("\"public\".\"b_hero\"") != std::string::npos)
            hero_drop = static_cast<int>(i);
    }
    ASSERT_GE(team_drop, 0) << ::testing::PrintToString(sql_of(s));
    ASSERT_GE(hero_drop, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LE(hero_drop, team_drop) << ::testing::PrintToString(sql_of(s));
}

TEST(diff, partitions_are_created_after_their_parent_and_dropped_with_or_before_it) {
    json doc = empty_document();
    // The partition comes first in the document: order must come from the dependency.
    json& part = add_table(doc, "public", "a_2026");
    part["partition_of"] = {{"schema", "public"},
                            {"table", "m"},
                            {"bound", "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"}};
    add_column(part, "at", "date", true);
    add_column(part, "v", "integer");
    json& m = add_table(doc, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "RANGE (at)";
    add_column(m, "at", "date", true);
    add_column(m, "v", "integer");

    steps s = plan(empty_document(), doc);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "CREATE TABLE \"public\".\"m\" (\n    \"at\" date NOT NULL,\n    \"v\" integer\n) "
              "PARTITION BY RANGE (at)");
    EXPECT_EQ(s[1].sql,
              "CREATE TABLE \"public\".\"a_2026\" PARTITION OF \"public\".\"m\" FOR VALUES FROM "
              "('2026-01-01') TO ('2027-01-01')");

    steps back = plan(doc, empty_document());
    int part_drop = position_of(back, "\"public\".\"a_2026\""),
        parent_drop = position_of(back, "\"public\".\"m\"");
    ASSERT_GE(part_drop, 0);
    EXPECT_LE(part_drop, parent_drop) << ::testing::PrintToString(sql_of(back));
}

TEST(diff, inheriting_table_is_created_after_its_parent_without_inherited_columns) {
    json doc = empty_document();
    json& child = add_table(doc, "public", "a_archive");
    child["inherits"] = {{{"schema", "public"}, {"table", "z_base"}}};
    add_column(child, "archived", "date");
    add_column(child, "id", "bigint", true)["inherited"] = true;
    json& base = add_table(doc, "public", "z_base");
    add_column(base, "id", "bigint", true);
    steps s = plan(empty_document(), doc);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql, "CREATE TABLE \"public\".\"z_base\" (\n    \"id\" bigint NOT NULL\n)");
    EXPECT_EQ(s[1].sql,
              "CREATE TABLE \"public\".\"a_archive\" (\n    \"archived\" date\n) INHERITS "
              "(\"public\".\"z_base\")");
}

TEST(diff, columns_inherited_from_a_parent_change_only_on_the_parent) {
    json from = empty_document();
    json& base = add_table(from, "public", "base");
    add_column(base, "id", "integer", true);
    add_column(base, "old", "text");
    json& child = add_table(from, "public", "child");
    child["inherits"] = {{{"schema", "public"}, {"table", "base"}}};
    add_column(child, "extra", "text");
    add_column(child, "id", "integer", true)["inherited"] = true;
    add_column(child, "old", "text")["inherited"] = true;
    json to = from;
    for (const char* table : {"base", "child"}) {
        json& t = table_of(to, table);
        named(t, "columns", "id")["type"] = "bigint";
        json& note = add_column(t, "note", "text");
        if (t["name"] == "child") note["inherited"] = true;
        erase_named(t["columns"], "old");
    }
    EXPECT_EQ(table_of(to, "child")["columns"].size(), 3u);
    steps s = plan(from, to);
    EXPECT_EQ(
        sql_of(s),
        (strings{
            "ALTER TABLE \"public\".\"base\" ALTER COLUMN \"id\" TYPE bigint USING \"id\"::bigint",
            "ALTER TABLE \"public\".\"base\" ADD COLUMN \"note\" text",
            "ALTER TABLE \"public\".\"base\" DROP COLUMN \"old\""}));
}

TEST(diff, a_changed_partition_key_is_refused) {
    json from = empty_document();
    json& m = add_table(from, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "RANGE (at)";
    add_column(m, "at", "date", true);
    json to = from;
    table_of(to, "m")["partition_key"] = "LIST (at)";
    EXPECT_ENGINE_ERROR(
        plan(from, to), unsupported, "cannot diff the partition key of \"public\".\"m\" yet",
        {.detail = "ender_diff does not generate this change yet, and will not guess it.",
         .hint = "Write this step of the migration by hand."});
}

// A partitioned m (at) and a plain table p with the same columns; `bound` makes p a partition.
json parent_and_table(const char* bound = nullptr) {
    json doc = empty_document();
    json& m = add_table(doc, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "RANGE (at)";
    add_column(m, "at", "date", true);
    json& p = add_table(doc, "public", "p");
    add_column(p, "at", "date", true);
    if (bound) {
        p["partition_of"] = {{"schema", "public"}, {"table", "m"}, {"bound", bound}};
        named(p, "columns", "at")["inherited"] = true;
    }
    return doc;
}

TEST(diff, an_existing_table_is_attached_and_detached_keeping_its_rows) {
    const char* bound = "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')";
    steps attach = plan(parent_and_table(), parent_and_table(bound));
    ASSERT_EQ(attach.size(), 1u);
    EXPECT_EQ(
        attach[0].sql,
        std::string("ALTER TABLE \"public\".\"m\" ATTACH PARTITION \"public\".\"p\" ") + bound);
    EXPECT_EQ(attach[0].reverse_sql,
              "ALTER TABLE \"public\".\"m\" DETACH PARTITION \"public\".\"p\"");
    EXPECT_EQ(attach[0].hazards, (strings{hazard::access_exclusive, hazard::can_fail}));

    // With an index on the parent, DETACH would leave the index ATTACH built: no reverse.
    json indexed = parent_and_table(bound);
    add(table_of(indexed, "m"), "indexes",
        index_json("m_at_idx", "CREATE INDEX m_at_idx ON public.m USING btree (at)"));
    json indexed_from = parent_and_table();
    table_of(indexed_from, "m")["indexes"] = table_of(indexed, "m")["indexes"];
    steps attach_indexed = plan(indexed_from, indexed);
    ASSERT_EQ(attach_indexed.size(), 1u);
    EXPECT_EQ(attach_indexed[0].reverse_sql, std::nullopt);

    // Not CONCURRENTLY even online: that form leaves a check constraint of the server's naming.
    steps detach = plan(parent_and_table(bound), parent_and_table());
    ASSERT_EQ(detach.size(), 1u);
    EXPECT_EQ(detach[0].sql, "ALTER TABLE \"public\".\"m\" DETACH PARTITION \"public\".\"p\"");
    EXPECT_EQ(
        detach[0].reverse_sql,
        std::string("ALTER TABLE \"public\".\"m\" ATTACH PARTITION \"public\".\"p\" ") + bound);
    EXPECT_TRUE(detach[0].in_transaction);

    // A new bound: detach first (before anything else), attach after the columns.
    json moved = parent_and_table("FOR VALUES FROM ('2026-01-01') TO ('2028-01-01')");
    add_column(table_of(moved, "m"), "v", "integer");
    add_column(table_of(moved, "p"), "v", "integer")["inherited"] = true;
    EXPECT_EQ(
        sql_of(plan(parent_and_table(bound), moved)),
        (strings{"ALTER TABLE \"public\".\"m\" DETACH PARTITION \"public\".\"p\"",
                 "ALTER TABLE \"public\".\"m\" ADD COLUMN \"v\" integer",
                 "ALTER TABLE \"public\".\"m\" ATTACH PARTITION \"public\".\"p\" FOR VALUES FROM "
                 "('2026-01-01') TO ('2028-01-01')"}));
}

// A plain base (id) and child (id, extra); `inherit` makes child inherit base, and
// `only_from_parent` marks child's id as a column it has only through base (created with INHERITS).
json base_and_child(bool inherit, bool only_from_parent = false) {
    json doc = empty_document();
    add_column(add_table(doc, "public", "base"), "id", "integer", true);
    json& child = add_table(doc, "public", "child");
    add_column(child, "id", "integer", true)["inherited"] = only_from_parent;
    add_column(child, "extra", "text");
    if (inherit) child["inherits"] = {{{"schema", "public"}, {"table", "base"}}};
    return doc;
}

TEST(diff, an_existing_table_starts_and_stops_inheriting) {
    steps join = plan(base_and_child(false), base_and_child(true));
    ASSERT_EQ(join.size(), 1u);
    EXPECT_EQ(join[0].sql, "ALTER TABLE \"public\".\"child\" INHERIT \"public\".\"base\"");
    EXPECT_EQ(join[0].reverse_sql,
              "ALTER TABLE \"public\".\"child\" NO INHERIT \"public\".\"base\"");

    steps leave = plan(base_and_child(true), base_and_child(false));
    ASSERT_EQ(leave.size(), 1u);
    EXPECT_EQ(leave[0].sql, "ALTER TABLE \"public\".\"child\" NO INHERIT \"public\".\"base\"");
    EXPECT_EQ(leave[0].reverse_sql, "ALTER TABLE \"public\".\"child\" INHERIT \"public\".\"base\"");

    // Columns that came only from the parent become the table's own: INHERIT cannot undo that.
    steps leave_created = plan(base_and_child(true, true), base_and_child(false));
    ASSERT_EQ(leave_created.size(), 1u);
    EXPECT_EQ(leave_created[0].reverse_sql, std::nullopt);
    // ... nor make an existing column inherited-only: that needs the table created anew.
    EXPECT_ENGINE_ERROR(
        plan(base_and_child(false), base_and_child(true, true)), unsupported,
        "cannot diff column \"id\" becoming inherited-only of \"public\".\"child\" yet");
}

TEST(diff, logged_and_unlogged) {
    json from = team_and_hero();
    json to = from;
    table_of(to, "team")["unlogged"] = true;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"team\" SET UNLOGGED");
    EXPECT_EQ(s[0].hazards, (strings{hazard::rewrites_table, hazard::access_exclusive}));
    EXPECT_EQ(sql_of(plan(to, from)), strings{"ALTER TABLE \"public\".\"team\" SET LOGGED"});
}

// ---------------------------------------------------------------------------------------
// Columns

TEST(diff, add_column) {
    json from = team_and_hero();
    json to = from;
    add_column(table_of(to, "hero"), "phone", "text");
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"phone\" text");
    EXPECT_EQ(s[0].reverse_sql, "ALTER TABLE \"public\".\"hero\" DROP COLUMN \"phone\"");
    EXPECT_EQ(s[0].object_kind, "column");
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero\".\"phone\"");
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
    EXPECT_TRUE(s[0].in_transaction);
}

TEST(diff, add_column_hazards_follow_what_the_column_needs) {
    json from = team_and_hero();
    auto added = [&](json column) {
        json to = from;
        add(table_of(to, "hero"), "columns", std::move(column));
        steps s = plan(from, to);
        if (s.size() != 1)
            throw std::runtime_error("expected one step: " + ::testing::PrintToString(sql_of(s)));
        return s[0];
    };
    diff_step required = added(column_json("rank", "integer", true));
    EXPECT_EQ(required.sql, "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"rank\" integer NOT NULL");
    EXPECT_EQ(required.hazards, (strings{hazard::access_exclusive, hazard::can_fail}));

    json with_default = column_json("rank", "integer", true);
    with_default["default"] = "0";
    diff_step defaulted = added(with_default);
    EXPECT_EQ(defaulted.sql,
              "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"rank\" integer DEFAULT 0 NOT NULL");
    EXPECT_EQ(defaulted.hazards, strings{hazard::access_exclusive});

    json generated = column_json("double_rank", "integer");
    generated["generated"] = "(rank * 2)";
    diff_step computed = added(generated);
    EXPECT_EQ(computed.sql,
              "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"double_rank\" integer GENERATED ALWAYS "
              "AS ((rank * 2)) STORED");
    EXPECT_EQ(computed.hazards, (strings{hazard::access_exclusive, hazard::rewrites_table}));

    json identity = column_json("n", "bigint", true);
    identity["identity"] = "by default";
    diff_step counted = added(identity);
    EXPECT_EQ(
        counted.sql,
        "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"n\" bigint GENERATED BY DEFAULT AS IDENTITY");
    EXPECT_EQ(counted.hazards, strings{hazard::access_exclusive});
}

TEST(diff, drop_column_deletes_data_and_its_reverse_adds_the_last_column_back) {
    json from = team_and_hero();
    json to = from;
    erase_named(table_of(to, "hero")["columns"], "name");
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" DROP COLUMN \"name\"");
    // ADD COLUMN would put "name" after "team_id": no reverse for a column in the middle.
    EXPECT_EQ(s[0].reverse_sql, std::nullopt);
    EXPECT_EQ(s[0].hazards, (strings{hazard::deletes_data, hazard::access_exclusive}));
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero\".\"name\"");

    json last = from;
    erase_named(table_of(last, "hero")["columns"], "team_id");
    steps l = plan(from, last);
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0].reverse_sql, "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"team_id\" integer");
}

TEST(diff, renames_are_never_guessed) {
    json from = team_and_hero();
    json to = from;
    named(table_of(to, "hero"), "columns", "name")["name"] = "full_name";
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s), (strings{"ALTER TABLE \"public\".\"hero\" ADD COLUMN \"full_name\" text "
                                  "DEFAULT 'x'::text NOT NULL",
                                  "ALTER TABLE \"public\".\"hero\" DROP COLUMN \"name\""}));
    EXPECT_TRUE(contains(step_with(s, "DROP COLUMN").hazards, hazard::deletes_data));
    for (const auto& step : s) EXPECT_EQ(step.sql.find("RENAME"), std::string::npos);
}

TEST(diff, retype_column) {
    json from = team_and_hero();
    json to = from;
    named(table_of(to, "team"), "columns", "name")["type"] = "character varying(100)";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" TYPE character varying(100) "
              "USING \"name\"::character varying(100)");
    EXPECT_EQ(
        s[0].reverse_sql,
        "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" TYPE text USING \"name\"::text");
    EXPECT_EQ(s[0].hazards,
              (strings{hazard::rewrites_table, hazard::access_exclusive, hazard::can_fail}));
    EXPECT_EQ(s[0].object_name, "\"public\".\"team\".\"name\"");
}

TEST(diff, collation_change_is_a_retype_with_collate) {
    json from = team_and_hero();
    json to = from;
    named(table_of(to, "team"), "columns", "name")["collation"] = "\"C\"";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" TYPE text COLLATE \"C\" USING "
              "\"name\"::text");
    EXPECT_EQ(
        s[0].reverse_sql,
        "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" TYPE text USING \"name\"::text");
}

TEST(diff, default_set_changed_and_dropped) {
    json none = team_and_hero();
    json zero = none;
    named(table_of(zero, "team"), "columns", "name")["default"] = "'zero'::text";
    json one = none;
    named(table_of(one, "team"), "columns", "name")["default"] = "'it''s one'::text";

    steps set = plan(none, zero);
    ASSERT_EQ(set.size(), 1u);
    EXPECT_EQ(set[0].sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" SET DEFAULT 'zero'::text");
    EXPECT_EQ(set[0].reverse_sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" DROP DEFAULT");
    EXPECT_TRUE(set[0].hazards.empty());

    steps changed = plan(zero, one);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(
        changed[0].sql,
        "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" SET DEFAULT 'it''s one'::text");
    EXPECT_EQ(changed[0].reverse_sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" SET DEFAULT 'zero'::text");

    steps dropped = plan(zero, none);
    ASSERT_EQ(dropped.size(), 1u);
    EXPECT_EQ(dropped[0].sql, "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" DROP DEFAULT");
    EXPECT_EQ(dropped[0].reverse_sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" SET DEFAULT 'zero'::text");
}

// BUG (reported): ALTER COLUMN ... TYPE also converts the column's default, and fails when
// the old default does not cast to the new type (PostgreSQL: default for column "name" cannot
// be cast automatically to type integer). The diff retypes first and only then drops or
// replaces the default; the enum rebuild does it right (DROP DEFAULT, TYPE, SET DEFAULT).
TEST(diff, default_dropped_before_a_retype_and_set_after_it) {
    json from = team_and_hero();
    named(table_of(from, "team"), "columns", "name")["default"] = "'x'::text";
    json to = team_and_hero();
    json& column = named(table_of(to, "team"), "columns", "name");
    column["type"] = "integer";
    column["default"] = "0";
    steps s = plan(from, to);
    int drop_default = position_of(s, "DROP DEFAULT"), retype = position_of(s, " TYPE integer"),
        set_default = position_of(s, "SET DEFAULT 0");
    ASSERT_GE(drop_default, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(drop_default, retype) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(retype, set_default) << ::testing::PrintToString(sql_of(s));
    json no_default = to;
    named(table_of(no_default, "team"), "columns", "name")["default"] = nullptr;
    steps d = plan(from, no_default);
    EXPECT_LT(position_of(d, "DROP DEFAULT"), position_of(d, " TYPE integer"))
        << ::testing::PrintToString(sql_of(d));
}

TEST(diff, not_null_online_goes_through_a_validated_check) {
    json from = team_and_hero();
    json to = from;
    named(table_of(to, "team"), "columns", "name")["not_null"] = true;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"name_not_null\" CHECK (\"name\" IS "
              "NOT NULL) NOT VALID");
    EXPECT_TRUE(s[0].hazards.empty());
    EXPECT_EQ(s[1].sql, "ALTER TABLE \"public\".\"team\" VALIDATE CONSTRAINT \"name_not_null\"");
    EXPECT_EQ(s[1].hazards, strings{hazard::can_fail});
    EXPECT_EQ(s[2].sql, "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" SET NOT NULL");
    EXPECT_EQ(s[2].reverse_sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" DROP NOT NULL");
    EXPECT_EQ(s[2].hazards, strings{hazard::access_exclusive});  // but no scan: the check proves it
    EXPECT_EQ(s[3].sql, "ALTER TABLE \"public\".\"team\" DROP CONSTRAINT \"name_not_null\"");
    for (const auto& step : s) {
        EXPECT_TRUE(step.in_transaction);
        EXPECT_EQ(step.object_kind, "column");
        EXPECT_EQ(step.object_name, "\"public\".\"team\".\"name\"");
    }
}

TEST(diff, not_null_offline_is_one_statement) {
    json from = team_and_hero();
    json to = from;
    named(table_of(to, "team"), "columns", "name")["not_null"] = true;
    steps s = plan(from, to, false);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" SET NOT NULL");
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" DROP NOT NULL");
    EXPECT_EQ(s[0].hazards, (strings{hazard::access_exclusive, hazard::can_fail}));
}

TEST(diff, drop_not_null_is_one_statement_online_or_not) {
    json from = team_and_hero();
    json to = from;
    named(table_of(to, "hero"), "columns", "name")["not_null"] = false;
    for (bool online : {true, false}) {
        steps s = plan(from, to, online);
        ASSERT_EQ(s.size(), 1u);
        EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"name\" DROP NOT NULL");
        EXPECT_EQ(s[0].reverse_sql,
                  "ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"name\" SET NOT NULL");
        EXPECT_TRUE(s[0].hazards.empty());
    }
}

TEST(diff, identity_changes) {
    json from = team_and_hero();
    named(table_of(from, "hero"), "columns", "id")["identity"] = "always";
    json by_default = from;
    named(table_of(by_default, "hero"), "columns", "id")["identity"] = "by default";
    EXPECT_EQ(
        sql_of(plan(from, by_default)),
        strings{"ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"id\" SET GENERATED BY DEFAULT"});
    EXPECT_EQ(sql_of(plan(by_default, from)),
              strings{"ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"id\" SET GENERATED ALWAYS"});
    json plain = team_and_hero();  // id stays NOT NULL
    EXPECT_EQ(sql_of(plan(from, plain)),
              strings{"ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"id\" DROP IDENTITY"});
    EXPECT_EQ(sql_of(plan(plain, from)), strings{"ALTER TABLE \"public\".\"hero\" ALTER COLUMN "
                                                 "\"id\" ADD GENERATED ALWAYS AS IDENTITY"});
}

// BUG (reported): ADD GENERATED ... AS IDENTITY needs the column NOT NULL first; the diff
// skips SET NOT NULL for identity columns, so PostgreSQL refuses the plan ("column "n" of
// relation "hero" must be declared NOT NULL before identity can be added").
TEST(diff, identity_added_to_a_nullable_column_sets_not_null_first) {
    json from = team_and_hero();
    add_column(table_of(from, "hero"), "n", "bigint");
    json to = team_and_hero();
    json& n = add_column(table_of(to, "hero"), "n", "bigint", true);
    n["identity"] = "by default";
    steps s = plan(from, to, false);
    int not_null = position_of(s, "ALTER COLUMN \"n\" SET NOT NULL");
    int identity = position_of(s, "ALTER COLUMN \"n\" ADD GENERATED BY DEFAULT AS IDENTITY");
    ASSERT_GE(identity, 0) << ::testing::PrintToString(sql_of(s));
    ASSERT_GE(not_null, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(not_null, identity);
}

TEST(diff, changed_generation_expression_recreates_the_column) {
    json from = empty_document();
    json& t = add_table(from, "public", "hero");
    add_column(t, "score", "integer");
    add_column(t, "double_score", "integer")["generated"] = "(score * 2)";
    json to = from;
    named(table_of(to, "hero"), "columns", "double_score")["generated"] = "(score * 3)";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" DROP COLUMN \"double_score\"");
    EXPECT_TRUE(contains(s[0].hazards, hazard::deletes_data));
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"double_score\" integer GENERATED "
              "ALWAYS AS ((score * 3)) STORED");
    EXPECT_TRUE(contains(s[1].hazards, hazard::rewrites_table));
}

// ---------------------------------------------------------------------------------------
// Constraints

TEST(diff, constraints_on_a_new_table_are_added_plainly_keys_first) {
    json from = team_and_hero();
    erase_named(from["tables"], "hero");
    json to = team_and_hero();
    json& hero = table_of(to, "hero");
    add(hero, "constraints", hero_team_fkey());
    add(hero, "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    for (bool online : {true, false}) {
        steps s = plan(from, to, online);
        ASSERT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
        EXPECT_EQ(s[0].sql.rfind("CREATE TABLE \"public\".\"hero\"", 0), 0u);
        EXPECT_EQ(s[1].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY (id)");
        EXPECT_EQ(s[1].hazards, (strings{hazard::access_exclusive, hazard::builds_index}));
        EXPECT_EQ(s[1].reverse_sql,
                  "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_pkey\"");
        EXPECT_EQ(s[1].object_kind, "constraint");
        EXPECT_EQ(s[1].object_name, "\"hero_pkey\" ON \"public\".\"hero\"");
        EXPECT_EQ(s[2].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK ((name "
                  "<> ''::text))");
        EXPECT_EQ(s[2].hazards, strings{hazard::access_exclusive});
        EXPECT_EQ(s[3].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN "
                  "KEY (team_id) REFERENCES public.team(id)");
        EXPECT_EQ(s[3].hazards, strings{hazard::access_exclusive});
        for (const auto& step : s) EXPECT_TRUE(step.in_transaction);
    }
}

TEST(diff, foreign_key_on_an_existing_table_online_is_added_not_valid_then_validated) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "hero"), "constraints", hero_team_fkey());
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) REFERENCES public.team(id) NOT VALID");
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_team_id_fkey\"");
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_team_id_fkey\"");
    EXPECT_EQ(s[1].hazards, strings{hazard::can_fail});
    EXPECT_TRUE(s[0].in_transaction && s[1].in_transaction);

    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 1u);
    EXPECT_EQ(offline[0].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) REFERENCES public.team(id)");
    EXPECT_EQ(offline[0].hazards, (strings{hazard::access_exclusive, hazard::can_fail}));
}

TEST(diff, check_on_an_existing_table_online_is_added_not_valid_then_validated) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK "
                       "((name <> ''::text)) NOT VALID",
                       "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_name_check\""}));
    EXPECT_EQ(sql_of(plan(from, to, false)),
              strings{"ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK "
                      "((name <> ''::text))"});
}

TEST(diff, deferrable_foreign_key_gets_not_valid_after_its_attributes) {
    json from = team_and_hero();
    json to = from;
    json fk = hero_team_fkey();
    fk["definition"] =
        "FOREIGN KEY (team_id) REFERENCES public.team(id) DEFERRABLE INITIALLY DEFERRED";
    fk["deferrable"] = true;
    fk["deferred"] = true;
    add(table_of(to, "hero"), "constraints", fk);
    EXPECT_EQ(step_with(plan(from, to), "ADD CONSTRAINT").sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) "
              "REFERENCES public.team(id) DEFERRABLE INITIALLY DEFERRED NOT VALID");
}

TEST(diff, constraint_not_valid_in_the_target_is_added_as_it_is) {
    json from = team_and_hero();
    json to = from;
    json adult = constraint_json("adult", "check", "CHECK ((id >= 18)) NOT VALID");
    adult["valid"] = false;
    add(table_of(to, "hero"), "constraints", adult);
    for (bool online : {true, false}) {
        steps s = plan(from, to, online);
        ASSERT_EQ(s.size(), 1u);
        EXPECT_EQ(s[0].sql,
                  "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"adult\" CHECK ((id >= 18)) NOT "
                  "VALID");
        EXPECT_EQ(s[0].hazards,
                  strings{hazard::access_exclusive});  // existing rows are not checked
    }
}

TEST(diff, constraint_that_only_becomes_valid_is_validated_in_place) {
    json from = team_and_hero();
    json adult = constraint_json("adult", "check", "CHECK ((id >= 18))");
    adult["valid"] = false;
    add(table_of(from, "hero"), "constraints", adult);
    json to = from;
    named(table_of(to, "hero"), "constraints", "adult")["valid"] = true;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"adult\"");
    EXPECT_EQ(s[0].hazards, strings{hazard::can_fail});
}

TEST(diff, primary_key_on_an_existing_table_online_is_built_concurrently_then_attached) {
    json from = team_and_hero();
    table_of(from, "hero")["constraints"] = json::array();
    json to = team_and_hero();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(
        s[0].sql,
        "CREATE UNIQUE INDEX CONCURRENTLY \"hero_pkey\" ON \"public\".\"hero\" USING btree (id)");
    EXPECT_FALSE(s[0].in_transaction);
    EXPECT_EQ(s[0].hazards, (strings{hazard::builds_index, hazard::can_fail}));
    EXPECT_EQ(s[0].object_kind, "index");
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero_pkey\"");
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY USING "
              "INDEX \"hero_pkey\"");
    EXPECT_TRUE(s[1].in_transaction);
    EXPECT_EQ(s[1].hazards, strings{hazard::access_exclusive});
    EXPECT_EQ(s[1].reverse_sql, "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_pkey\"");
    // Undone in reverse order, dropping the constraint drops its index: the index's own
    // reverse must not fail then.
    EXPECT_EQ(s[0].reverse_sql, "DROP INDEX IF EXISTS \"public\".\"hero_pkey\"");

    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 1u);
    EXPECT_EQ(offline[0].sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_pkey\" PRIMARY KEY (id)");
    EXPECT_EQ(offline[0].hazards,
              (strings{hazard::access_exclusive, hazard::can_fail, hazard::builds_index}));
    EXPECT_TRUE(offline[0].in_transaction);
}

TEST(diff, unique_and_composite_keys_online) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "team"), "constraints",
        constraint_json("team_name_key", "unique", "UNIQUE (name)"));
    add(table_of(to, "hero"), "constraints",
        constraint_json("hero_team_name_key", "unique", "UNIQUE (team_id, name)"));
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s),
              (strings{"CREATE UNIQUE INDEX CONCURRENTLY \"team_name_key\" ON \"public\".\"team\" "
                       "USING btree (name)",
                       "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE "
                       "USING INDEX \"team_name_key\"",
                       "CREATE UNIQUE INDEX CONCURRENTLY \"hero_team_name_key\" ON "
                       "\"public\".\"hero\" USING btree (team_id, name)",
                       "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_name_key\" "
                       "UNIQUE USING INDEX \"hero_team_name_key\""}));
}

TEST(diff, keys_an_index_cannot_back_are_added_plainly_even_online) {
    json from = team_and_hero();
    auto only_step = [&](json constraint) {
        json to = from;
        add(table_of(to, "team"), "constraints", std::move(constraint));
        steps s = plan(from, to);
        if (s.size() != 1)
            throw std::runtime_error("expected one step: " + ::testing::PrintToString(sql_of(s)));
        return s[0];
    };
    json deferrable = constraint_json("team_name_key", "unique", "UNIQUE (name) DEFERRABLE");
    deferrable["deferrable"] = true;
    diff_step d = only_step(deferrable);
    EXPECT_EQ(d.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE (name) "
              "DEFERRABLE");
    EXPECT_EQ(d.hazards,
              (strings{hazard::access_exclusive, hazard::can_fail, hazard::builds_index}));
    EXPECT_TRUE(d.in_transaction);

    diff_step include =
        only_step(constraint_json("team_name_key", "unique", "UNIQUE (name) INCLUDE (id)"));
    EXPECT_EQ(include.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE (name) "
              "INCLUDE (id)");

    diff_step nulls =
        only_step(constraint_json("team_name_key", "unique", "UNIQUE NULLS NOT DISTINCT (name)"));
    EXPECT_EQ(nulls.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_name_key\" UNIQUE NULLS NOT "
              "DISTINCT (name)");

    diff_step exclusion = only_step(
        constraint_json("team_no_overlap", "exclusion", "EXCLUDE USING gist (name WITH =)"));
    EXPECT_EQ(exclusion.sql,
              "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_no_overlap\" EXCLUDE USING "
              "gist (name WITH =)");
    EXPECT_EQ(exclusion.hazards,
              (strings{hazard::access_exclusive, hazard::can_fail, hazard::builds_index}));
}

TEST(diff, foreign_key_is_added_after_the_key_it_references) {
    // On new tables: the referencing table sorts first.
    json to = empty_document();
    json& a = add_table(to, "public", "a_hero");
    add_column(a, "team_id", "integer");
    json fk = constraint_json("a_hero_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.z_team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "z_team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    add(a, "constraints", fk);
    json& z = add_table(to, "public", "z_team");
    add_column(z, "id", "integer", true);
    add(z, "constraints", constraint_json("z_team_pkey", "primary key", "PRIMARY KEY (id)"));
    for (bool online : {true, false}) {
        steps s = plan(empty_document(), to, online);
        int key = position_of(s, "ADD CONSTRAINT \"z_team_pkey\""),
            reference = position_of(s, "ADD CONSTRAINT \"a_hero_team_id_fkey\"");
        ASSERT_GE(key, 0);
        EXPECT_LT(key, reference) << ::testing::PrintToString(sql_of(s));
        EXPECT_LT(position_of(s, "CREATE TABLE \"public\".\"z_team\""), reference);
    }
    // On existing tables, online: the key's index and constraint come before the foreign key.
    json from = to;
    table_of(from, "a_hero")["constraints"] = json::array();
    table_of(from, "z_team")["constraints"] = json::array();
    steps s = plan(from, to);
    int attach = position_of(s, "ADD CONSTRAINT \"z_team_pkey\" PRIMARY KEY USING INDEX");
    ASSERT_GE(attach, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(attach, position_of(s, "ADD CONSTRAINT \"a_hero_team_id_fkey\""));
}

TEST(diff, dropped_constraints_foreign_keys_before_keys) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "constraints", hero_team_fkey());
    json to = team_and_hero();
    table_of(to, "team")["constraints"] = json::array();
    table_of(to, "hero")["constraints"] = json::array();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_team_id_fkey\"");
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
              "(team_id) REFERENCES public.team(id)");
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
    EXPECT_TRUE(position_of(s, "DROP CONSTRAINT \"team_pkey\"") > 0);
    EXPECT_TRUE(position_of(s, "DROP CONSTRAINT \"hero_pkey\"") > 0);
}

TEST(diff, changed_constraint_is_dropped_then_added_again) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "constraints",
        constraint_json("hero_name_check", "check", "CHECK ((name <> ''::text))"));
    json to = from;
    named(table_of(to, "hero"), "constraints", "hero_name_check")["definition"] =
        "CHECK ((length(name) > 1))";
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_name_check\"",
                       "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_name_check\" CHECK "
                       "((length(name) > 1)) NOT VALID",
                       "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_name_check\""}));
}

TEST(diff, foreign_keys_are_dropped_and_added_again_around_a_changed_key) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "constraints", hero_team_fkey());
    json to = from;
    named(table_of(to, "team"), "constraints", "team_pkey")["definition"] =
        "PRIMARY KEY (id) WITH (fillfactor='90')";
    steps s = plan(from, to);
    EXPECT_EQ(
        sql_of(s),
        (strings{"ALTER TABLE \"public\".\"hero\" DROP CONSTRAINT \"hero_team_id_fkey\"",
                 "ALTER TABLE \"public\".\"team\" DROP CONSTRAINT \"team_pkey\"",
                 "ALTER TABLE \"public\".\"team\" ADD CONSTRAINT \"team_pkey\" PRIMARY KEY (id) "
                 "WITH (fillfactor='90')",
                 "ALTER TABLE \"public\".\"hero\" ADD CONSTRAINT \"hero_team_id_fkey\" FOREIGN KEY "
                 "(team_id) "
                 "REFERENCES public.team(id) NOT VALID",
                 "ALTER TABLE \"public\".\"hero\" VALIDATE CONSTRAINT \"hero_team_id_fkey\""}));
}

// ---------------------------------------------------------------------------------------
// Indexes

TEST(diff, index_on_an_existing_table_online_is_built_concurrently_outside_a_transaction) {
    json from = team_and_hero();
    json to = from;
    add(table_of(to, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (lower(name))"));
    add(table_of(to, "hero"), "indexes",
        index_json("hero_team_name",
                   "CREATE UNIQUE INDEX hero_team_name ON public.hero USING btree (team_id, name)",
                   true));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "CREATE INDEX CONCURRENTLY hero_name ON public.hero USING btree (lower(name))");
    EXPECT_FALSE(s[0].in_transaction);
    EXPECT_EQ(s[0].hazards, strings{hazard::builds_index});
    EXPECT_EQ(s[0].reverse_sql, "DROP INDEX \"public\".\"hero_name\"");
    EXPECT_EQ(s[0].object_kind, "index");
    EXPECT_EQ(s[0].object_name, "\"public\".\"hero_name\"");
    EXPECT_EQ(s[1].sql,
              "CREATE UNIQUE INDEX CONCURRENTLY hero_team_name ON public.hero USING btree "
              "(team_id, name)");
    EXPECT_FALSE(s[1].in_transaction);

    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 2u);
    EXPECT_EQ(offline[0].sql, "CREATE INDEX hero_name ON public.hero USING btree (lower(name))");
    EXPECT_TRUE(offline[0].in_transaction);
    EXPECT_EQ(offline[0].hazards, (strings{hazard::builds_index, hazard::access_exclusive}));
}

TEST(diff, index_on_a_new_table_is_built_plainly_even_online) {
    json to = team_and_hero();
    add(table_of(to, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json from = to;
    erase_named(from["tables"], "hero");
    steps s = plan(from, to);
    const diff_step& index = step_with(s, "CREATE INDEX");
    EXPECT_EQ(index.sql, "CREATE INDEX hero_name ON public.hero USING btree (name)");
    EXPECT_TRUE(index.in_transaction);
    EXPECT_GT(position_of(s, "CREATE INDEX"), position_of(s, "CREATE TABLE"));
}

TEST(diff, index_drop_online_is_concurrent_and_offline_plain) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json to = team_and_hero();
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "DROP INDEX CONCURRENTLY \"public\".\"hero_name\"");
    EXPECT_FALSE(s[0].in_transaction);
    EXPECT_TRUE(s[0].hazards.empty());
    EXPECT_EQ(s[0].reverse_sql, "CREATE INDEX hero_name ON public.hero USING btree (name)");
    steps offline = plan(from, to, false);
    ASSERT_EQ(offline.size(), 1u);
    EXPECT_EQ(offline[0].sql, "DROP INDEX \"public\".\"hero_name\"");
    EXPECT_TRUE(offline[0].in_transaction);
    EXPECT_EQ(offline[0].hazards, strings{hazard::access_exclusive});
}

TEST(diff, changed_index_is_dropped_then_built_again) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    json to = from;
    named(table_of(to, "hero"), "indexes", "hero_name")["definition"] =
        "CREATE INDEX hero_name ON public.hero USING hash (name)";
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"DROP INDEX CONCURRENTLY \"public\".\"hero_name\"",
                       "CREATE INDEX CONCURRENTLY hero_name ON public.hero USING hash (name)"}));
    EXPECT_EQ(sql_of(plan(from, to, false)),
              (strings{"DROP INDEX \"public\".\"hero_name\"",
                       "CREATE INDEX hero_name ON public.hero USING hash (name)"}));
}

TEST(diff, index_of_a_new_partitioned_table_is_built_on_its_partitions_too) {
    json to = empty_document();
    json& m = add_table(to, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "RANGE (at)";
    add_column(m, "at", "date", true);
    add(m, "indexes", index_json("m_at", "CREATE INDEX m_at ON ONLY public.m USING btree (at)"));
    EXPECT_EQ(step_with(plan(empty_document(), to), "CREATE INDEX").sql,
              "CREATE INDEX m_at ON public.m USING btree (at)");
}

// A partitioned table m (k, team_id) with an index, beside team with its key.
json partitioned_doc() {
    json doc = empty_document();
    json& m = add_table(doc, "public", "m");
    m["partitioned"] = true;
    m["partition_key"] = "LIST (k)";
    add_column(m, "k", "integer", true);
    add_column(m, "team_id", "integer");
    add(m, "indexes",
        index_json("m_old", "CREATE INDEX m_old ON ONLY public.m USING btree (team_id)"));
    json& team = add_table(doc, "public", "team");
    add_column(team, "id", "integer", true);
    add(team, "constraints", constraint_json("team_pkey", "primary key", "PRIMARY KEY (id)"));
    return doc;
}

TEST(diff, indexes_of_an_existing_partitioned_table_are_never_concurrent) {
    // PostgreSQL cannot build or drop a partitioned index concurrently.
    json from = partitioned_doc();
    json to = from;
    table_of(to, "m")["indexes"] = {
        index_json("m_k", "CREATE INDEX m_k ON ONLY public.m USING btree (k)")};
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql, "DROP INDEX \"public\".\"m_old\"");
    EXPECT_TRUE(s[0].in_transaction);
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
    EXPECT_EQ(s[1].sql, "CREATE INDEX m_k ON public.m USING btree (k)");
    EXPECT_TRUE(s[1].in_transaction);
    EXPECT_EQ(s[1].hazards, (strings{hazard::builds_index, hazard::access_exclusive}));
}

// BUG (reported): PostgreSQL 15 refuses the other online forms on a partitioned table too:
// CREATE UNIQUE INDEX CONCURRENTLY ("cannot create index on partitioned table concurrently")
// for a new key, and ADD FOREIGN KEY ... NOT VALID ("cannot add NOT VALID foreign key on
// partitioned table"). The diff still uses them there.
TEST(diff, keys_of_an_existing_partitioned_table_are_added_plainly) {
    json from = partitioned_doc();
    json to = from;
    json& target = table_of(to, "m");
    add(target, "constraints", constraint_json("m_pkey", "primary key", "PRIMARY KEY (k)"));
    json fk = constraint_json("m_team_id_fkey", "foreign key",
                              "FOREIGN KEY (team_id) REFERENCES public.team(id)");
    fk["references"] = {{"schema", "public"},       {"table", "team"},
                        {"columns", {"id"}},        {"match", "simple"},
                        {"on_delete", "no action"}, {"on_update", "no action"}};
    add(target, "constraints", fk);
    steps s = plan(from, to);
    for (const auto& step : s) {
        EXPECT_EQ(step.sql.find("CONCURRENTLY"), std::string::npos) << step.sql;
        EXPECT_EQ(step.sql.find("NOT VALID"), std::string::npos) << step.sql;
    }
}

// ---------------------------------------------------------------------------------------
// Enums

TEST(diff, create_and_drop_enum) {
    json to = empty_document();
    add(to, "enums", enum_json("public", "mood", {"sad", "ok", "it's fine"}));
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "CREATE TYPE \"public\".\"mood\" AS ENUM ('sad', 'ok', 'it''s fine')");
    EXPECT_EQ(s[0].reverse_sql, "DROP TYPE \"public\".\"mood\"");
    EXPECT_EQ(s[0].object_kind, "type");
    steps back = plan(to, empty_document());
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].sql, "DROP TYPE \"public\".\"mood\"");
    EXPECT_EQ(back[0].reverse_sql, s[0].sql);
}

TEST(diff, enum_values_are_added_in_place_each_in_its_own_transaction) {
    json from = empty_document();
    add(from, "enums", enum_json("public", "mood", {"sad", "happy"}));
    json to = empty_document();
    add(to, "enums", enum_json("public", "mood", {"sad", "it's ok", "happy", "ecstatic"}));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'it''s ok' BEFORE 'happy'");
    EXPECT_EQ(s[1].sql, "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ecstatic'");
    for (const auto& step : s) {
        EXPECT_FALSE(step.in_transaction);  // a new value cannot be used before it commits
        EXPECT_EQ(step.object_kind, "type");
        EXPECT_EQ(step.object_name, "\"public\".\"mood\"");
    }
    json first = empty_document();
    add(first, "enums", enum_json("public", "mood", {"meh", "sad", "happy"}));
    EXPECT_EQ(sql_of(plan(from, first)),
              strings{"ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh' BEFORE 'sad'"});
}

// BUG (reported): two new labels in a row: the first is placed BEFORE the second, which does
// not exist yet ("ok" BEFORE "happy" when both are new): PostgreSQL refuses it ("happy" is
// not an existing enum label).
TEST(diff, consecutive_new_enum_values_refer_only_to_existing_labels) {
    json from = empty_document();
    add(from, "enums", enum_json("public", "mood", {"sad"}));
    json to = empty_document();
    add(to, "enums", enum_json("public", "mood", {"sad", "ok", "happy"}));
    std::set<std::string> existing{"'sad'"};
    for (const auto& step : plan(from, to)) {
        auto before = step.sql.find(" BEFORE ");
        if (before != std::string::npos) {
            EXPECT_TRUE(existing.count(step.sql.substr(before + 8))) << step.sql;
        }
        auto value = step.sql.find("ADD VALUE ");
        ASSERT_NE(value, std::string::npos);
        existing.insert(step.sql.substr(value + 10, step.sql.find('\'', value + 11) - value - 9));
    }
}

// An enum with a label removed or moved, and a table, a check and a view that use it.
json mood_doc(const strings& labels) {
    json doc = team_and_hero();
    add(doc, "enums", enum_json("public", "mood", labels));
    json& hero = table_of(doc, "hero");
    add_column(hero, "feeling", "public.mood")["default"] = "'ok'::public.mood";
    add(hero, "constraints",
        constraint_json("hero_feeling_check", "check", "CHECK ((feeling <> 'sad'::public.mood))"));
    json& v = add_view(doc, "public", "feelings", " SELECT hero.feeling\n   FROM public.hero;");
    v["depends_on"] = {{{"schema", "public"}, {"name", "hero"}}};
    return doc;
}

TEST(diff, enum_with_labels_removed_or_reordered_is_rebuilt_and_its_columns_recast) {
    for (strings labels : {strings{"ok", "sad"}, strings{"ok", "sad", "happy"}}) {
        json from = mood_doc({"sad", "ok", "happy"});
        json to = mood_doc(labels);
        steps s = plan(from, to);
        std::string alter = "ALTER TABLE \"public\".\"hero\"";
        strings expected{
            "DROP VIEW \"public\".\"feelings\"",
            alter + " DROP CONSTRAINT \"hero_feeling_check\"",
            "ALTER TYPE \"public\".\"mood\" RENAME TO \"mood__ender_old\"",
            enum_sql_for_test(labels),
            alter + " ALTER COLUMN \"feeling\" DROP DEFAULT",
            alter +
                " ALTER COLUMN \"feeling\" TYPE public.mood USING \"feeling\"::text::public.mood",
            alter + " ALTER COLUMN \"feeling\" SET DEFAULT 'ok'::public.mood",
            alter +
                " ADD CONSTRAINT \"hero_feeling_check\" CHECK ((feeling <> 'sad'::public.mood)) "
                "NOT VALID",
            alter + " VALIDATE CONSTRAINT \"hero_feeling_check\"",
            "CREATE VIEW \"public\".\"feelings\" AS\n SELECT hero.feeling\n   FROM public.hero",
            "DROP TYPE \"public\".\"mood__ender_old\""};
        EXPECT_EQ(sql_of(s), expected);
        const diff_step& rename = step_with(s, "RENAME TO");
        EXPECT_EQ(rename.reverse_sql,
                  "ALTER TYPE \"public\".\"mood__ender_old\" RENAME TO \"mood\"");
        EXPECT_EQ(step_with(s, "USING \"feeling\"::text").hazards,
                  (strings{hazard::rewrites_table, hazard::access_exclusive, hazard::can_fail}));
    }
}

TEST(diff, removing_enum_labels_used_by_a_domain_is_refused) {
    json from = empty_document();
    add(from, "enums", enum_json("public", "mood", {"sad", "ok"}));
    add(from, "domains", domain_json("public", "calm", "public.mood"));
    json to = from;
    to["enums"][0]["labels"] = {"ok"};
    EXPECT_ENGINE_ERROR(
        plan(from, to), unsupported,
        "cannot diff removing enum labels used by a domain of \"public\".\"calm\" yet",
        {.detail = "will not guess it", .hint = "Write this step of the migration by hand."});
}

// BUG (reported): a rebuilt enum's columns are found by comparing their type text with
// schema + "." + name unquoted; format_type quotes names that need it ("My Schema"."Mood")
// and writes arrays as public.mood[], so such columns are not recast and the final
// DROP TYPE of the old enum fails (other objects depend on it).
TEST(diff, enum_rebuild_recasts_columns_of_quoted_names_and_arrays) {
    json from = empty_document();
    add(from, "enums", enum_json("My Schema", "Mood", {"sad", "ok"}));
    add(from, "enums", enum_json("public", "mood", {"sad", "ok"}));
    json& t = add_table(from, "public", "hero");
    add_column(t, "feeling", "\"My Schema\".\"Mood\"");
    add_column(t, "feelings", "public.mood[]");
    json to = from;
    to["enums"][0]["labels"] = {"ok"};
    to["enums"][1]["labels"] = {"ok"};
    steps s = plan(from, to);
    EXPECT_GE(position_of(s, "ALTER COLUMN \"feeling\" TYPE"), 0)
        << ::testing::PrintToString(sql_of(s));
    EXPECT_GE(position_of(s, "ALTER COLUMN \"feelings\" TYPE"), 0)
        << ::testing::PrintToString(sql_of(s));
}

TEST(diff, enum_is_created_before_and_dropped_after_the_table_using_it) {
    json doc = empty_document();
    add(doc, "enums", enum_json("public", "mood", {"sad", "ok"}));
    json& t = add_table(doc, "public", "hero");
    add_column(t, "feeling", "mood")["default"] = "'ok'::mood";
    steps up = plan(empty_document(), doc);
    EXPECT_LT(position_of(up, "CREATE TYPE"), position_of(up, "CREATE TABLE"));
    steps down = plan(doc, empty_document());
    EXPECT_LT(position_of(down, "DROP TABLE"), position_of(down, "DROP TYPE"));
}

// ---------------------------------------------------------------------------------------
// Views

TEST(diff, create_view_materialized_view_and_their_reverses) {
    json to = team_and_hero();
    json from = to;
    add(to, "views", team_names_view());
    json& secure = add(to, "views", team_names_view("public", "secure_names"));
    secure["options"] = {"security_invoker=true", "security_barrier=true"};
    json& sizes = add(to, "views", team_names_view("public", "team_sizes"));
    sizes["materialized"] = true;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql,
              "CREATE VIEW \"public\".\"team_names\" AS\n SELECT team.id,\n    team.name\n   FROM "
              "public.team");
    EXPECT_EQ(s[0].reverse_sql, "DROP VIEW \"public\".\"team_names\"");
    EXPECT_EQ(s[0].object_kind, "view");
    EXPECT_EQ(s[0].object_name, "\"public\".\"team_names\"");
    EXPECT_TRUE(s[0].hazards.empty());
    EXPECT_EQ(s[1].sql,
              "CREATE VIEW \"public\".\"secure_names\" WITH (security_invoker=true, "
              "security_barrier=true) AS\n"
              " SELECT team.id,\n    team.name\n   FROM public.team");
    EXPECT_EQ(s[2].sql,
              "CREATE MATERIALIZED VIEW \"public\".\"team_sizes\" AS\n SELECT team.id,\n    "
              "team.name\n   FROM public.team");
    EXPECT_EQ(s[2].reverse_sql, "DROP MATERIALIZED VIEW \"public\".\"team_sizes\"");
    EXPECT_EQ(s[2].object_kind, "materialized view");

    steps back = plan(to, from);
    ASSERT_EQ(back.size(), 3u);
    for (const auto& step : back) {
        EXPECT_EQ(step.sql.rfind("DROP ", 0), 0u) << step.sql;
        EXPECT_EQ(step.hazards, strings{hazard::access_exclusive});
    }
    EXPECT_EQ(step_with(back, "\"team_names\"").reverse_sql->rfind(s[0].sql, 0), 0u);
    EXPECT_EQ(step_with(back, "\"team_sizes\"").sql,
              "DROP MATERIALIZED VIEW \"public\".\"team_sizes\"");
}

TEST(diff, views_are_rebuilt_around_a_retyped_column) {
    json from = team_and_hero();
    add(from, "views", team_names_view());
    json to = from;
    named(table_of(to, "team"), "columns", "name")["type"] = "character varying(100)";
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s), (strings{"DROP VIEW \"public\".\"team_names\"",
                                  "ALTER TABLE \"public\".\"team\" ALTER COLUMN \"name\" TYPE "
                                  "character varying(100) USING \"name\"::character varying(100)",
                                  "CREATE VIEW \"public\".\"team_names\" AS\n SELECT team.id,\n    "
                                  "team.name\n   FROM public.team"}));
    EXPECT_EQ(s[0].hazards, strings{hazard::access_exclusive});
}

TEST(diff, views_over_a_dropped_column_are_dropped_before_the_column) {
    json from = team_and_hero();
    json v = view_json("public", "hero_names", " SELECT hero.id\n   FROM public.hero;");
    v["depends_on"] = {{{"schema", "public"}, {"name", "hero"}}};
    add(from, "views", v);
    json& old_view = add(
        from, "views", view_json("public", "old_names", " SELECT hero.name\n   FROM public.hero;"));
    old_view["depends_on"] = {{{"schema", "public"}, {"name", "hero"}}};
    json to = from;
    erase_named(to["views"], "old_names");  // it goes, with the column it reads
    erase_named(table_of(to, "hero")["columns"], "name");
    steps s = plan(from, to);
    int drop_column = position_of(s, "DROP COLUMN \"name\"");
    ASSERT_GE(drop_column, 0);
    EXPECT_LT(position_of(s, "DROP VIEW \"public\".\"old_names\""), drop_column);
    EXPECT_LT(position_of(s, "DROP VIEW \"public\".\"hero_names\""), drop_column);
    EXPECT_GT(position_of(s, "CREATE VIEW \"public\".\"hero_names\""), drop_column);
    EXPECT_EQ(position_of(s, "CREATE VIEW \"public\".\"old_names\""), -1);
}

TEST(diff, views_over_views_are_dropped_dependents_first_and_created_after_what_they_read) {
    // Both orders of names, so that only the dependencies can give the right order.
    for (auto [inner_name, outer_name] :
         {std::pair<std::string, std::string>{"a_inner", "b_outer"}, {"b_inner", "a_outer"}}) {
        json from = team_and_hero();
        add(from, "views", team_names_view("public", inner_name));
        json outer =
            view_json("public", outer_name, " SELECT id\n   FROM public." + inner_name + ";");
        outer["depends_on"] = {{{"schema", "public"}, {"name", inner_name}}};
        add(from, "views", outer);
        std::sort(from["views"].begin(), from["views"].end(),
                  [](const json& a, const json& b) { return a["name"] < b["name"]; });
        json to = from;
        named(table_of(to, "team"), "columns", "name")["type"] = "character varying(100)";
        steps s = plan(from, to);
        std::string inner = "VIEW \"public\".\"" + inner_name + "\"",
                    outer_view = "VIEW \"public\".\"" + outer_name + "\"";
        EXPECT_LT(position_of(s, "DROP " + outer_view), position_of(s, "DROP " + inner))
            << ::testing::PrintToString(sql_of(s));
        EXPECT_LT(position_of(s, "CREATE " + inner), position_of(s, "CREATE " + outer_view))
            << ::testing::PrintToString(sql_of(s));
        EXPECT_LT(position_of(s, "DROP " + inner), position_of(s, "ALTER COLUMN"));
        EXPECT_GT(position_of(s, "CREATE " + inner), position_of(s, "ALTER COLUMN"));
    }
}

TEST(diff, views_are_left_alone_when_their_table_only_gains_a_column) {
    json from = team_and_hero();
    add(from, "views", team_names_view());
    json to = from;
    add_column(table_of(to, "team"), "motto", "text");
    EXPECT_EQ(sql_of(plan(from, to)),
              strings{"ALTER TABLE \"public\".\"team\" ADD COLUMN \"motto\" text"});
}

TEST(diff, changed_view_is_dropped_and_created_again) {
    json from = team_and_hero();
    add(from, "views", team_names_view());
    json to = from;
    to["views"][0]["definition"] = " SELECT team.id\n   FROM public.team;";
    steps s = plan(from, to);
    EXPECT_EQ(
        sql_of(s),
        (strings{
            "DROP VIEW \"public\".\"team_names\"",
            "CREATE VIEW \"public\".\"team_names\" AS\n SELECT team.id\n   FROM public.team"}));
    json options = from;
    options["views"][0]["options"] = {"security_invoker=true"};
    EXPECT_EQ(plan(from, options).size(), 2u);
}

TEST(diff, materialized_view_indexes) {
    json base = team_and_hero();
    json to = base;
    json& sizes = add(to, "views", team_names_view("public", "team_sizes"));
    sizes["materialized"] = true;
    add(sizes, "indexes",
        index_json("team_sizes_id",
                   "CREATE INDEX team_sizes_id ON public.team_sizes USING btree (id)"));
    steps s = plan(base, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql.rfind("CREATE MATERIALIZED VIEW \"public\".\"team_sizes\"", 0), 0u);
    EXPECT_EQ(
        s[1].sql,
        "CREATE INDEX team_sizes_id ON public.team_sizes USING btree (id)");  // a new view: no need
                                                                              // to wait
    EXPECT_TRUE(s[1].in_transaction);

    json more = to;
    add(more["views"][0], "indexes",
        index_json("team_sizes_name",
                   "CREATE INDEX team_sizes_name ON public.team_sizes USING btree (name)"));
    steps added = plan(to, more);
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].sql,
              "CREATE INDEX CONCURRENTLY team_sizes_name ON public.team_sizes USING btree (name)");
    EXPECT_FALSE(added[0].in_transaction);
    EXPECT_EQ(sql_of(plan(more, to)),
              strings{"DROP INDEX CONCURRENTLY \"public\".\"team_sizes_name\""});
}

TEST(diff, dropped_view_is_undone_with_its_indexes_and_comments) {
    json from = team_and_hero();
    json& sizes = add(from, "views", team_names_view("public", "team_sizes"));
    sizes["materialized"] = true;
    sizes["comment"] = "it's sizes";
    sizes["columns"][1]["comment"] = "the name";
    add(sizes, "indexes",
        index_json("team_sizes_id",
                   "CREATE INDEX team_sizes_id ON public.team_sizes USING btree (id)"));
    steps s = plan(from, team_and_hero());
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "DROP MATERIALIZED VIEW \"public\".\"team_sizes\"");
    EXPECT_EQ(s[0].reverse_sql,
              "CREATE MATERIALIZED VIEW \"public\".\"team_sizes\" AS\n SELECT team.id,\n    "
              "team.name\n   FROM public.team;\n"
              "CREATE INDEX team_sizes_id ON public.team_sizes USING btree (id);\n"
              "COMMENT ON MATERIALIZED VIEW \"public\".\"team_sizes\" IS 'it''s sizes';\n"
              "COMMENT ON COLUMN \"public\".\"team_sizes\".\"name\" IS 'the name'");
}

TEST(diff, view_dependency_cycle_is_reported_not_looped_on) {
    json to = empty_document();
    json& a = add_view(to, "public", "a", "SELECT 1;");
    a["depends_on"] = {{{"schema", "public"}, {"name", "b"}}};
    json& b = add_view(to, "public", "b", "SELECT 1;");
    b["depends_on"] = {{{"schema", "public"}, {"name", "a"}}};
    EXPECT_ENGINE_ERROR(plan(empty_document(), to), "XX000", "view dependencies form a cycle");
}

TEST(diff, view_comments) {
    json from = team_and_hero();
    json to = from;
    json& v = add(to, "views", team_names_view());
    v["comment"] = "team names";
    v["columns"][0]["comment"] = "the key";
    json& m = add(to, "views", team_names_view("public", "team_sizes"));
    m["materialized"] = true;
    m["comment"] = "sizes";
    steps s = plan(from, to);
    EXPECT_EQ(
        sql_of(s),
        (strings{step_with(s, "CREATE VIEW").sql, step_with(s, "CREATE MATERIALIZED VIEW").sql,
                 "COMMENT ON VIEW \"public\".\"team_names\" IS 'team names'",
                 "COMMENT ON COLUMN \"public\".\"team_names\".\"id\" IS 'the key'",
                 "COMMENT ON MATERIALIZED VIEW \"public\".\"team_sizes\" IS 'sizes'"}));
    json uncommented = to;
    uncommented["views"][0]["comment"] = nullptr;
    EXPECT_EQ(sql_of(plan(to, uncommented)),
              strings{"COMMENT ON VIEW \"public\".\"team_names\" IS NULL"});
}

// BUG (reported): the triggers of a view (INSTEAD OF) are diffed only when the view itself is
// created or rebuilt: adding, changing or removing one on an unchanged view gives no step.
TEST(diff, triggers_on_an_unchanged_view_are_diffed) {
    json from = team_and_hero();
    add(from, "views", team_names_view());
    json to = from;
    add(to["views"][0], "triggers",
        trigger_json("team_names_insert",
                     "CREATE TRIGGER team_names_insert INSTEAD OF INSERT ON public.team_names "
                     "FOR EACH ROW EXECUTE FUNCTION public.insert_team()"));
    EXPECT_FALSE(plan(from, to).empty());
    EXPECT_FALSE(plan(to, from).empty());
}

// ---------------------------------------------------------------------------------------
// Functions

json add_function() {
    return function_json("public", "add", "a integer, b integer", "integer",
                         "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS "
                         "integer\n LANGUAGE sql\n"
                         "RETURN (a + b)\n",
                         "integer, integer");
}

TEST(diff, create_function_with_bodies_unchecked) {
    json to = empty_document();
    add(to, "functions", add_function());
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "SET LOCAL check_function_bodies = off;\n"
              "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS integer\n "
              "LANGUAGE sql\nRETURN (a + b)");
    EXPECT_EQ(s[0].reverse_sql, "DROP FUNCTION \"public\".\"add\"(a integer, b integer)");
    EXPECT_EQ(s[0].object_kind, "function");
    EXPECT_EQ(s[0].object_name, "\"public\".\"add\"(a integer, b integer)");
    steps back = plan(to, empty_document());
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].sql, "DROP FUNCTION \"public\".\"add\"(a integer, b integer)");
    EXPECT_EQ(back[0].reverse_sql, to["functions"][0]["definition"].get<std::string>());
}

TEST(diff, function_with_a_new_body_is_replaced_in_place) {
    json from = empty_document();
    add(from, "functions", add_function());
    json to = from;
    std::string body =
        "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS integer\n LANGUAGE "
        "sql\nRETURN (b + a)\n";
    to["functions"][0]["definition"] = body;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "SET LOCAL check_function_bodies = off;\n" + body.substr(0, body.size() - 1));
    EXPECT_EQ(s[0].reverse_sql, from["functions"][0]["definition"].get<std::string>());
    EXPECT_EQ(s[0].sql.find("DROP"), std::string::npos);
}

TEST(diff, function_with_a_new_result_type_is_dropped_and_created) {
    json from = empty_document();
    add(from, "functions", add_function())["comment"] = "adds";
    json to = empty_document();
    json& f = add(to, "functions", add_function());
    f["result"] = "bigint";
    f["definition"] =
        "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n RETURNS bigint\n LANGUAGE "
        "sql\nRETURN (a + b)\n";
    f["comment"] = "adds";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "DROP FUNCTION \"public\".\"add\"(a integer, b integer)");
    EXPECT_EQ(s[0].reverse_sql, from["functions"][0]["definition"].get<std::string>());
    EXPECT_NE(s[1].sql.find("RETURNS bigint"), std::string::npos);
    EXPECT_EQ(
        s[2].sql,
        "COMMENT ON FUNCTION \"public\".\"add\"(a integer, b integer) IS 'adds'");  // the drop lost
                                                                                    // it
}

TEST(diff, function_with_other_argument_types_is_another_function) {
    json from = empty_document();
    add(from, "functions",
        function_json("public", "twice", "a integer", "integer",
                      "CREATE OR REPLACE FUNCTION public.twice(a integer)\n RETURNS integer\n"
                      " LANGUAGE sql\nRETURN (a * 2)\n",
                      "integer"));
    json to = empty_document();
    add(to, "functions",
        function_json("public", "twice", "a bigint", "bigint",
                      "CREATE OR REPLACE FUNCTION public.twice(a bigint)\n RETURNS bigint\n"
                      " LANGUAGE sql\nRETURN (a * 2)\n",
                      "bigint"));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u) << ::testing::PrintToString(sql_of(s));
    EXPECT_NE(s[0].sql.find("CREATE OR REPLACE FUNCTION public.twice(a bigint)"),
              std::string::npos);
    EXPECT_EQ(s[0].reverse_sql, "DROP FUNCTION \"public\".\"twice\"(a bigint)");
    EXPECT_EQ(
        s[1].sql,
        "DROP FUNCTION \"public\".\"twice\"(a integer)");  // the old one, once nothing needs it
}

TEST(diff, function_with_renamed_arguments_is_recreated_with_the_views_calling_it) {
    // CREATE OR REPLACE cannot rename arguments: the function is dropped and created, and a
    // view that calls it goes before and comes back after.
    auto doc = [](const std::string& argument) {
        json d = team_and_hero();
        add(d, "functions",
            function_json("public", "score", argument + " integer", "integer",
                          "CREATE OR REPLACE FUNCTION public.score(" + argument +
                              " integer)\n RETURNS integer\n LANGUAGE sql\nRETURN 1\n",
                          "integer"));
        json& v = add_view(d, "public", "scores",
                           " SELECT public.score(team.id) AS score\n   FROM public.team;");
        v["depends_on"] = {{{"schema", "public"}, {"name", "team"}}};
        v["functions"] = {{{"schema", "public"}, {"name", "score"}, {"argument_types", "integer"}}};
        return d;
    };
    steps s = plan(doc("p"), doc("q"));
    ASSERT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql, "DROP VIEW \"public\".\"scores\"");
    EXPECT_EQ(s[1].sql, "DROP FUNCTION \"public\".\"score\"(p integer)");
    EXPECT_NE(s[2].sql.find("CREATE OR REPLACE FUNCTION public.score(q integer)"),
              std::string::npos);
    EXPECT_EQ(s[3].sql.rfind("CREATE VIEW \"public\".\"scores\"", 0), 0u);
}

TEST(diff, procedure_is_dropped_as_a_procedure) {
    json from = empty_document();
    json& noop = add(from, "functions",
                     function_json("public", "noop", "", nullptr,
                                   "CREATE OR REPLACE PROCEDURE public.noop()\n LANGUAGE sql\nAS "
                                   "$procedure$ SELECT 1 $procedure$\n"));
    noop["kind"] = "procedure";
    noop["comment"] = "nothing";
    steps s = plan(from, empty_document());
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "DROP PROCEDURE \"public\".\"noop\"()");
    EXPECT_EQ(s[0].object_kind, "procedure");
    steps up = plan(empty_document(), from);
    EXPECT_EQ(up[0].object_kind, "procedure");
    EXPECT_EQ(up[0].reverse_sql, "DROP PROCEDURE \"public\".\"noop\"()");
    EXPECT_EQ(up[1].sql, "COMMENT ON PROCEDURE \"public\".\"noop\"() IS 'nothing'");
}

TEST(diff, a_default_calling_a_recreated_function_is_dropped_before_and_set_after) {
    // next_code() becomes next_code(prefix text DEFAULT 'H'): the default reads the same but
    // must bind to the new function, and the old one must go before it is set again.
    json from = empty_document();
    add(from, "functions",
        function_json("public", "next_code", "", "text",
                      "CREATE OR REPLACE FUNCTION public.next_code() RETURNS text AS 'x'"));
    json& hero = add_table(from, "public", "hero");
    add_column(hero, "code", "text")["default"] = "public.next_code()";
    json to = from;
    to["functions"][0] =
        function_json("public", "next_code", "prefix text DEFAULT 'H'::text", "text",
                      "CREATE OR REPLACE FUNCTION public.next_code(prefix text DEFAULT 'H'::text) "
                      "RETURNS text AS 'x'",
                      "text");
    steps s = plan(from, to);
    const std::string alter = "ALTER TABLE \"public\".\"hero\" ALTER COLUMN \"code\"";
    int drop_default = position_of(s, alter + " DROP DEFAULT"),
        drop_old = position_of(s, "DROP FUNCTION \"public\".\"next_code\"()"),
        create_new = position_of(s, "public.next_code(prefix text"),
        set_default = position_of(s, alter + " SET DEFAULT");
    ASSERT_GE(drop_default, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(drop_default, drop_old);
    EXPECT_LT(drop_old, set_default);
    EXPECT_LT(create_new, set_default);
    EXPECT_EQ(s[set_default].sql, alter + " SET DEFAULT public.next_code()");
    EXPECT_EQ(s.size(), 4u) << ::testing::PrintToString(sql_of(s));
}

TEST(diff, functions_come_before_the_tables_that_call_them) {
    json to = empty_document();
    json& t = add_table(to, "public", "hero");
    add_column(t, "n", "integer")["default"] = "public.add(1, 2)";
    add(to, "functions", add_function());
    steps s = plan(empty_document(), to);
    EXPECT_LT(position_of(s, "CREATE OR REPLACE FUNCTION"), position_of(s, "CREATE TABLE"));
}

// ---------------------------------------------------------------------------------------
// Sequences

json ticket_seq() {
    json q = sequence_json("public", "ticket_seq");
    q["start"] = 100;
    q["increment"] = 5;
    q["cache"] = 10;
    return q;
}

TEST(diff, create_sequence_and_its_owner) {
    json to = team_and_hero();
    add_column(table_of(to, "hero"), "ticket", "bigint")["default"] =
        "nextval('public.ticket_seq'::regclass)";
    json& q = add(to, "sequences", ticket_seq());
    q["owned_by"] = {{"schema", "public"}, {"table", "hero"}, {"column", "ticket"}};
    json from = to;
    from["sequences"] = json::array();
    erase_named(table_of(from, "hero")["columns"], "ticket");
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(sql_of(s));
    EXPECT_EQ(s[0].sql,
              "CREATE SEQUENCE \"public\".\"ticket_seq\" AS bigint INCREMENT BY 5 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 NO CYCLE");
    EXPECT_EQ(s[0].reverse_sql, "DROP SEQUENCE \"public\".\"ticket_seq\"");
    EXPECT_EQ(s[0].object_kind, "sequence");
    EXPECT_EQ(s[1].sql,
              "ALTER TABLE \"public\".\"hero\" ADD COLUMN \"ticket\" bigint DEFAULT "
              "nextval('public.ticket_seq'::regclass)");
    EXPECT_EQ(s[2].sql,
              "ALTER SEQUENCE \"public\".\"ticket_seq\" OWNED BY \"public\".\"hero\".\"ticket\"");
}

TEST(diff, alter_sequence_and_its_reverse) {
    json from = empty_document();
    add(from, "sequences", ticket_seq());
    json to = from;
    to["sequences"][0]["increment"] = -1;
    to["sequences"][0]["min"] = -100;
    to["sequences"][0]["cycle"] = true;
    to["sequences"][0]["type"] = "integer";
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql,
              "ALTER SEQUENCE \"public\".\"ticket_seq\" AS integer INCREMENT BY -1 MINVALUE -100 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 CYCLE");
    EXPECT_EQ(s[0].reverse_sql,
              "ALTER SEQUENCE \"public\".\"ticket_seq\" AS bigint INCREMENT BY 5 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 NO CYCLE");
}

TEST(diff, drop_sequence_after_the_tables) {
    json from = team_and_hero();
    add(from, "sequences", ticket_seq());
    json to = from;
    to["sequences"] = json::array();
    erase_named(to["tables"], "hero");
    steps s = plan(from, to);
    int drop = position_of(s, "DROP SEQUENCE \"public\".\"ticket_seq\"");
    ASSERT_GE(drop, 0);
    EXPECT_LT(position_of(s, "DROP TABLE"), drop);
    EXPECT_EQ(s[static_cast<std::size_t>(drop)].reverse_sql,
              "CREATE SEQUENCE \"public\".\"ticket_seq\" AS bigint INCREMENT BY 5 MINVALUE 1 "
              "MAXVALUE 9223372036854775807 "
              "START WITH 100 CACHE 10 NO CYCLE");
}

TEST(diff, sequence_owned_by_a_dropped_table_goes_with_it) {
    json from = team_and_hero();
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "id"}};
    json to = from;
    to["sequences"] = json::array();
    erase_named(to["tables"], "hero");
    steps s = plan(from, to);
    EXPECT_EQ(position_of(s, "DROP SEQUENCE"), -1) << ::testing::PrintToString(sql_of(s));
    EXPECT_GE(position_of(s, "DROP TABLE"), 0);
}

TEST(diff, kept_sequence_is_released_before_its_owner_table_is_dropped) {
    json from = team_and_hero();
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "id"}};
    json to = from;
    to["sequences"][0]["owned_by"] = nullptr;
    erase_named(to["tables"], "hero");
    steps s = plan(from, to);
    int release = position_of(s, "ALTER SEQUENCE \"public\".\"ticket_seq\" OWNED BY NONE");
    ASSERT_GE(release, 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_LT(release, position_of(s, "DROP TABLE")) << ::testing::PrintToString(sql_of(s));
}

// BUG (reported): dropping a column drops the sequence it owns; the diff then drops the
// sequence again and PostgreSQL fails ("sequence "ticket_seq" does not exist").
TEST(diff, sequence_owned_by_a_dropped_column_is_not_dropped_twice) {
    json from = team_and_hero();
    add_column(table_of(from, "hero"), "ticket", "bigint");
    add(from, "sequences", ticket_seq())["owned_by"] = {
        {"schema", "public"}, {"table", "hero"}, {"column", "ticket"}};
    json to = team_and_hero();
    steps s = plan(from, to);
    int drop_column = position_of(s, "DROP COLUMN \"ticket\"");
    int drop_sequence = position_of(s, "DROP SEQUENCE");
    ASSERT_GE(drop_column, 0);
    EXPECT_TRUE(drop_sequence == -1 || drop_sequence < drop_column)
        << ::testing::PrintToString(sql_of(s));
}

// ---------------------------------------------------------------------------------------
// Domains and composite types

json posint() {
    json d = domain_json("public", "posint", "integer");
    d["not_null"] = true;
    d["default"] = "1";
    add(d, "constraints", domain_constraint_json("positive", "CHECK ((VALUE > 0))"));
    return d;
}

TEST(diff, create_domain_before_its_table_and_drop_it_after) {
    json doc = empty_document();
    add(doc, "domains", posint());
    add_column(add_table(doc, "public", "hero"), "age", "posint");
    steps up = plan(empty_document(), doc);
    ASSERT_EQ(up.size(), 2u);
    EXPECT_EQ(up[0].sql,
              "CREATE DOMAIN \"public\".\"posint\" AS integer DEFAULT 1 NOT NULL CONSTRAINT "
              "\"positive\" CHECK ((VALUE > 0))");
    EXPECT_EQ(up[0].reverse_sql, "DROP DOMAIN \"public\".\"posint\"");
    EXPECT_EQ(up[0].object_kind, "domain");
    steps down = plan(doc, empty_document());
    ASSERT_EQ(down.size(), 2u);
    EXPECT_EQ(down[0].sql, "DROP TABLE \"public\".\"hero\"");
    EXPECT_EQ(down[1].sql, "DROP DOMAIN \"public\".\"posint\"");
    EXPECT_EQ(down[1].reverse_sql, up[0].sql);
}

TEST(diff, alter_domain) {
    json from = empty_document();
    add(from, "domains", posint());
    json to = from;
    json& d = to["domains"][0];
    d["default"] = "2";
    d["not_null"] = false;
    d["constraints"][0]["definition"] = "CHECK ((VALUE >= 1))";
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s), (strings{"ALTER DOMAIN \"public\".\"posint\" SET DEFAULT 2",
                                  "ALTER DOMAIN \"public\".\"posint\" DROP NOT NULL",
                                  "ALTER DOMAIN \"public\".\"posint\" DROP CONSTRAINT \"positive\"",
                                  "ALTER DOMAIN \"public\".\"posint\" ADD CONSTRAINT \"positive\" "
                                  "CHECK ((VALUE >= 1))"}));
    EXPECT_EQ(s[3].hazards, strings{hazard::can_fail});
    steps back = plan(to, from);
    EXPECT_EQ(step_with(back, "SET NOT NULL").hazards, strings{hazard::can_fail});
    json no_default = from;
    no_default["domains"][0]["default"] = nullptr;
    EXPECT_EQ(sql_of(plan(from, no_default)),
              strings{"ALTER DOMAIN \"public\".\"posint\" DROP DEFAULT"});
}

TEST(diff, domain_base_type_change_is_refused) {
    json from = empty_document();
    add(from, "domains", posint());
    json to = from;
    to["domains"][0]["type"] = "bigint";
    EXPECT_ENGINE_ERROR(plan(from, to), unsupported,
                        "cannot diff the base type of \"public\".\"posint\" yet",
                        {.hint = "Write this step of the migration by hand."});
    json collated = from;
    collated["domains"][0]["collation"] = "\"C\"";
    EXPECT_ENGINE_ERROR(plan(from, collated), unsupported,
                        "cannot diff the base type of \"public\".\"posint\" yet");
}

// BUG (reported): a NOT VALID domain check (pg_get_constraintdef writes "CHECK (...) NOT VALID")
// is put inside CREATE DOMAIN, where NOT VALID is a syntax error.
TEST(diff, domain_with_a_not_valid_check_is_created_then_constrained) {
    json to = empty_document();
    json d = domain_json("public", "posint", "integer");
    json c = domain_constraint_json("positive", "CHECK ((VALUE > 0)) NOT VALID");
    c["valid"] = false;
    add(d, "constraints", c);
    add(to, "domains", d);
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 1u);
    // CREATE DOMAIN takes no NOT VALID check: the domain comes first, the check after it.
    const std::string& sql = s[0].sql;
    std::size_t end_of_create = sql.find(";\n");
    ASSERT_NE(end_of_create, std::string::npos) << sql;
    EXPECT_EQ(sql.substr(0, end_of_create).find("NOT VALID"), std::string::npos) << sql;
    EXPECT_EQ(sql.substr(end_of_create + 2),
              "ALTER DOMAIN \"public\".\"posint\" ADD CONSTRAINT \"positive\" CHECK ((VALUE > 0)) "
              "NOT VALID");
}

TEST(diff, composite_types) {
    json from = empty_document();
    json& address = add(from, "composite_types", composite_json("public", "address"));
    add(address, "attributes", attribute_json("street", "text"));
    add(address, "attributes", attribute_json("city", "text"))["collation"] = "\"C\"";
    steps created = plan(empty_document(), from);
    ASSERT_EQ(created.size(), 1u);
    EXPECT_EQ(
        created[0].sql,
        "CREATE TYPE \"public\".\"address\" AS (\"street\" text, \"city\" text COLLATE \"C\")");
    EXPECT_EQ(created[0].reverse_sql, "DROP TYPE \"public\".\"address\"");

    json to = from;
    json& attributes = to["composite_types"][0]["attributes"];
    attributes.erase(0);  // street
    attributes[0]["type"] = "character varying(80)";
    attributes.push_back(attribute_json("zip", "text"));
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TYPE \"public\".\"address\" DROP ATTRIBUTE \"street\"",
                       "ALTER TYPE \"public\".\"address\" ALTER ATTRIBUTE \"city\" TYPE character "
                       "varying(80) COLLATE \"C\"",
                       "ALTER TYPE \"public\".\"address\" ADD ATTRIBUTE \"zip\" text"}));
    EXPECT_EQ(step_with(plan(from, to), "DROP ATTRIBUTE").hazards, strings{hazard::deletes_data});
    steps dropped = plan(from, empty_document());
    ASSERT_EQ(dropped.size(), 1u);
    EXPECT_EQ(dropped[0].sql, "DROP TYPE \"public\".\"address\"");
    EXPECT_EQ(dropped[0].reverse_sql, created[0].sql);
}

// BUG (reported): attribute order is part of a composite type (the document keeps it), but a
// reordering gives no step, and an attribute added in the middle is appended: the result never
// matches the target, and no error says so.
TEST(diff, composite_attribute_order_is_refused) {
    json from = empty_document();
    json& address = add(from, "composite_types", composite_json("public", "address"));
    add(address, "attributes", attribute_json("street", "text"));
    add(address, "attributes", attribute_json("city", "text"));
    json to = from;
    std::swap(to["composite_types"][0]["attributes"][0], to["composite_types"][0]["attributes"][1]);
    EXPECT_ENGINE_ERROR(plan(from, to), unsupported,
                        "cannot diff the order of attributes of \"public\".\"address\" yet");
    // Adding and dropping around the kept ones is fine.
    json grown = from;
    grown["composite_types"][0]["attributes"] = {attribute_json("zip", "text"),
                                                 attribute_json("street", "text"),
                                                 attribute_json("city", "text")};
    EXPECT_EQ(plan(from, grown).size(), 1u);
}

// ---------------------------------------------------------------------------------------
// Comments

TEST(diff, comments_on_every_kind_of_object_quote_their_text) {
    json from = team_and_hero();
    add(table_of(from, "hero"), "indexes",
        index_json("hero_name", "CREATE INDEX hero_name ON public.hero USING btree (name)"));
    add(table_of(from, "hero"), "triggers",
        trigger_json("hero_touch",
                     "CREATE TRIGGER hero_touch BEFORE UPDATE ON public.hero FOR EACH ROW EXECUTE "
                     "FUNCTION public.touch()"));
    add(from, "schemas", schema_json("public"));
    add(from, "sequences", ticket_seq());
    add(from, "enums", enum_json("public", "mood", {"ok"}));
    add(from, "domains", posint());
    add(from, "functions", add_function());
    json to = from;
    json& hero = table_of(to, "hero");
    hero["comment"] = "the hero's table";
    named(hero, "columns", "name")["comment"] = "what they're called";
    named(hero, "constraints", "hero_pkey")["comment"] = "key";
    named(hero, "indexes", "hero_name")["comment"] = "by name";
    named(hero, "triggers", "hero_touch")["comment"] = "touch";
    to["schemas"][0]["comment"] = "standard public schema";
    to["sequences"][0]["comment"] = "tickets";
    to["enums"][0]["comment"] = "moods";
    to["domains"][0]["comment"] = "positive";
    to["domains"][0]["constraints"][0]["comment"] = "> 0";
    to["functions"][0]["comment"] = "a + b";
    steps s = plan(from, to);
    std::set<std::string> expected = {
        "COMMENT ON TABLE \"public\".\"hero\" IS 'the hero''s table'",
        "COMMENT ON COLUMN \"public\".\"hero\".\"name\" IS 'what they''re called'",
        "COMMENT ON CONSTRAINT \"hero_pkey\" ON \"public\".\"hero\" IS 'key'",
        "COMMENT ON INDEX \"public\".\"hero_name\" IS 'by name'",
        "COMMENT ON TRIGGER \"hero_touch\" ON \"public\".\"hero\" IS 'touch'",
        "COMMENT ON SCHEMA \"public\" IS 'standard public schema'",
        "COMMENT ON SEQUENCE \"public\".\"ticket_seq\" IS 'tickets'",
        "COMMENT ON TYPE \"public\".\"mood\" IS 'moods'",
        "COMMENT ON DOMAIN \"public\".\"posint\" IS 'positive'",
        "COMMENT ON CONSTRAINT \"positive\" ON DOMAIN \"public\".\"posint\" IS '> 0'",
        "COMMENT ON FUNCTION \"public\".\"add\"(a integer, b integer) IS 'a + b'",
    };
    std::vector<std::string> got = sql_of(s);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), expected);
    EXPECT_EQ(got.size(), expected.size());
    for (const auto& step : s) {
        EXPECT_EQ(step.object_kind, "comment");
        EXPECT_TRUE(step.hazards.empty());
    }
    // And back: every comment removed with IS NULL.
    for (const auto& step : plan(to, from))
        EXPECT_NE(step.sql.find(" IS NULL"), std::string::npos) << step.sql;
    EXPECT_EQ(plan(to, from).size(), expected.size());
}

TEST(diff, comments_come_after_what_they_describe) {
    json to = team_and_hero();
    table_of(to, "hero")["comment"] = "heroes";
    named(table_of(to, "hero"), "constraints", "hero_pkey")["comment"] = "key";
    json from = team_and_hero();
    erase_named(from["tables"], "hero");
    steps s = plan(from, to);
    EXPECT_LT(position_of(s, "ADD CONSTRAINT \"hero_pkey\""),
              position_of(s, "COMMENT ON CONSTRAINT"));
    EXPECT_LT(position_of(s, "CREATE TABLE"), position_of(s, "COMMENT ON TABLE"));
}

// ---------------------------------------------------------------------------------------
// Schemas and extensions

TEST(diff, schemas_and_extensions_are_created_first_and_dropped_last) {
    json doc = empty_document();
    add(doc, "schemas", schema_json("app"));
    add(doc, "extensions", extension_json("pgcrypto", "app", "1.3"));
    add(doc, "enums", enum_json("app", "mood", {"ok"}));
    add(doc, "sequences", sequence_json("app", "q"));
    add(doc, "functions",
        function_json(
            "app", "f", "", "integer",
            "CREATE OR REPLACE FUNCTION app.f()\n RETURNS integer\n LANGUAGE sql\nRETURN 1\n"));
    add_column(add_table(doc, "app", "hero"), "feeling", "app.mood");
    json& v = add_view(doc, "app", "v", " SELECT hero.feeling\n   FROM app.hero;");
    v["depends_on"] = {{{"schema", "app"}, {"name", "hero"}}};

    steps up = plan(empty_document(), doc);
    ASSERT_GE(up.size(), 7u);
    EXPECT_EQ(up[0].sql, "CREATE SCHEMA \"app\"");
    EXPECT_EQ(up[0].reverse_sql, "DROP SCHEMA \"app\"");
    EXPECT_EQ(up[0].object_kind, "schema");
    EXPECT_EQ(up[1].sql, "CREATE EXTENSION \"pgcrypto\" SCHEMA \"app\" VERSION '1.3'");
    EXPECT_EQ(up[1].reverse_sql, "DROP EXTENSION \"pgcrypto\"");
    EXPECT_EQ(up[1].object_kind, "extension");

    steps down = plan(doc, empty_document());
    ASSERT_GE(down.size(), 7u);
    const diff_step& last = down[down.size() - 1];
    const diff_step& before_last = down[down.size() - 2];
    EXPECT_EQ(before_last.sql, "DROP EXTENSION \"pgcrypto\"");
    EXPECT_EQ(before_last.reverse_sql,
              "CREATE EXTENSION \"pgcrypto\" SCHEMA \"app\" VERSION '1.3'");
    EXPECT_EQ(last.sql, "DROP SCHEMA \"app\"");
    EXPECT_EQ(last.reverse_sql, "CREATE SCHEMA \"app\"");
    EXPECT_LT(position_of(down, "DROP VIEW"), position_of(down, "DROP TABLE"));
    EXPECT_LT(position_of(down, "DROP TABLE"), position_of(down, "DROP TYPE"));
}

TEST(diff, extension_update_and_move) {
    json from = empty_document();
    add(from, "extensions", extension_json("pgcrypto", "public", "1.2"));
    json newer = from;
    newer["extensions"][0]["version"] = "1.3";
    steps s = plan(from, newer);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].sql, "ALTER EXTENSION \"pgcrypto\" UPDATE TO '1.3'");
    EXPECT_EQ(s[0].reverse_sql, "ALTER EXTENSION \"pgcrypto\" UPDATE TO '1.2'");
    json moved = from;
    moved["extensions"][0]["schema"] = "Ext Schema";
    EXPECT_EQ(sql_of(plan(from, moved)),
              strings{"ALTER EXTENSION \"pgcrypto\" SET SCHEMA \"Ext Schema\""});
}

// BUG (reported): when an extension changes version and schema at once, only the UPDATE is
// emitted (else-if): the schema move is lost and the diff never converges.
TEST(diff, extension_updated_and_moved_at_once) {
    json from = empty_document();
    add(from, "extensions", extension_json("pgcrypto", "public", "1.2"));
    json to = empty_document();
    add(to, "extensions", extension_json("pgcrypto", "ext", "1.3"));
    steps s = plan(from, to);
    EXPECT_GE(position_of(s, "UPDATE TO '1.3'"), 0) << ::testing::PrintToString(sql_of(s));
    EXPECT_GE(position_of(s, "SET SCHEMA \"ext\""), 0) << ::testing::PrintToString(sql_of(s));
}

// ---------------------------------------------------------------------------------------
// Triggers, policies, table settings, event triggers

TEST(diff, triggers_created_after_their_function_and_recreated_when_changed) {
    json from = team_and_hero();
    json to = from;
    add(to, "functions",
        function_json(
            "public", "touch", "", "trigger",
            "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\n"
            "AS $function$ BEGIN RETURN NEW; END $function$\n"));
    std::string definition =
        "CREATE TRIGGER hero_touch BEFORE UPDATE ON public.hero FOR EACH ROW EXECUTE FUNCTION "
        "public.touch()";
    add(table_of(to, "hero"), "triggers", trigger_json("hero_touch", definition));
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_NE(s[0].sql.find("CREATE OR REPLACE FUNCTION public.touch()"), std::string::npos);
    EXPECT_EQ(s[1].sql, definition);
    EXPECT_EQ(s[1].reverse_sql, "DROP TRIGGER \"hero_touch\" ON \"public\".\"hero\"");
    EXPECT_EQ(s[1].object_kind, "trigger");
    EXPECT_EQ(s[1].object_name, "\"hero_touch\" ON \"public\".\"hero\"");

    json changed = to;
    std::string insert =
        "CREATE TRIGGER hero_touch BEFORE INSERT ON public.hero FOR EACH ROW EXECUTE FUNCTION "
        "public.touch()";
    named(table_of(changed, "hero"), "triggers", "hero_touch")["definition"] = insert;
    steps c = plan(to, changed);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].sql, "DROP TRIGGER \"hero_touch\" ON \"public\".\"hero\"");
    EXPECT_EQ(c[0].reverse_sql, definition);
    EXPECT_EQ(c[1].sql, insert);

    json disabled = to;
    named(table_of(disabled, "hero"), "triggers", "hero_touch")["enabled"] = "disabled";
    EXPECT_EQ(sql_of(plan(to, disabled)),
              strings{"ALTER TABLE \"public\".\"hero\" DISABLE TRIGGER \"hero_touch\""});
    json replica = to;
    named(table_of(replica, "hero"), "triggers", "hero_touch")["enabled"] = "replica";
    EXPECT_EQ(sql_of(plan(disabled, replica)),
              strings{"ALTER TABLE \"public\".\"hero\" ENABLE REPLICA TRIGGER \"hero_touch\""});
}

TEST(diff, policies_and_row_security_change_authorization) {
    json from = team_and_hero();
    json to = from;
    json& hero = table_of(to, "hero");
    hero["row_security"] = true;
    hero["force_row_security"] = true;
    json& own = add(hero, "policies", policy_json("own", "select"));
    own["using"] = "(name = CURRENT_USER)";
    json& admins = add(hero, "policies", policy_json("Admins' \"edit\"", "update"));
    admins["permissive"] = false;
    admins["roles"] = {"Admins", "reader"};
    admins["with_check"] = "true";
    steps s = plan(from, to);
    EXPECT_EQ(sql_of(s),
              (strings{"CREATE POLICY \"own\" ON \"public\".\"hero\" AS PERMISSIVE FOR SELECT TO "
                       "PUBLIC USING ((name = CURRENT_USER))",
                       "CREATE POLICY \"Admins' \"\"edit\"\"\" ON \"public\".\"hero\" AS "
                       "RESTRICTIVE FOR UPDATE TO \"Admins\", \"reader\" WITH CHECK (true)",
                       "ALTER TABLE \"public\".\"hero\" ENABLE ROW LEVEL SECURITY",
                       "ALTER TABLE \"public\".\"hero\" FORCE ROW LEVEL SECURITY"}));
    for (const auto& step : s) EXPECT_EQ(step.hazards, strings{hazard::authorization}) << step.sql;
    EXPECT_EQ(s[0].reverse_sql, "DROP POLICY \"own\" ON \"public\".\"hero\"");

    steps back = plan(to, from);
    EXPECT_EQ(step_with(back, "DROP POLICY \"own\"").reverse_sql, s[0].sql);
    EXPECT_GE(position_of(back, "ALTER TABLE \"public\".\"hero\" DISABLE ROW LEVEL SECURITY"), 0);
    EXPECT_GE(position_of(back, "ALTER TABLE \"public\".\"hero\" NO FORCE ROW LEVEL SECURITY"), 0);
}

TEST(diff, replica_identity) {
    json from = team_and_hero();
    json full = from;
    table_of(full, "hero")["replica_identity"] = "full";
    EXPECT_EQ(sql_of(plan(from, full)),
              strings{"ALTER TABLE \"public\".\"hero\" REPLICA IDENTITY FULL"});
    EXPECT_EQ(sql_of(plan(full, from)),
              strings{"ALTER TABLE \"public\".\"hero\" REPLICA IDENTITY DEFAULT"});
    json by_index = from;
    table_of(by_index, "hero")["replica_identity"] =
        "index \"Hero Key\"";  // the snapshot quotes the name
    EXPECT_EQ(sql_of(plan(from, by_index)),
              strings{"ALTER TABLE \"public\".\"hero\" REPLICA IDENTITY USING INDEX \"Hero Key\""});
}

TEST(diff, event_triggers) {
    json to = empty_document();
    json& e = add(to, "event_triggers",
                  event_trigger_json("log ddl", "ddl_command_end", "public.log_ddl"));
    e["tags"] = {"CREATE TABLE", "ALTER TABLE"};
    e["enabled"] = "disabled";
    steps s = plan(empty_document(), to);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].sql,
              "CREATE EVENT TRIGGER \"log ddl\" ON ddl_command_end WHEN TAG IN ('CREATE TABLE', "
              "'ALTER TABLE') "
              "EXECUTE FUNCTION public.log_ddl()");
    EXPECT_EQ(s[0].reverse_sql, "DROP EVENT TRIGGER \"log ddl\"");
    EXPECT_EQ(s[1].sql, "ALTER EVENT TRIGGER \"log ddl\" DISABLE");
    EXPECT_EQ(sql_of(plan(to, empty_document())), strings{"DROP EVENT TRIGGER \"log ddl\""});
}

// ---------------------------------------------------------------------------------------
// Whole documents: order and reverses

TEST(diff, realistic_document_from_nothing_in_dependency_order) {
    steps s = plan(empty_document(), realistic_document());
    auto at = [&](const std::string& fragment) {
        int i = position_of(s, fragment);
        if (i < 0)
            throw std::runtime_error("no step contains " + fragment + ": " +
                                     ::testing::PrintToString(sql_of(s)));
        return i;
    };
    EXPECT_EQ(at("CREATE SCHEMA \"snap\""), 0);
    EXPECT_EQ(at("CREATE EXTENSION \"pgcrypto\""), 1);
    for (const char* later :
         {"CREATE TYPE \"snap\".\"mood\"", "CREATE DOMAIN \"snap\".\"posint\"",
          "CREATE TYPE \"snap\".\"address\"", "CREATE SEQUENCE \"snap\".\"ticket_seq\""})
        EXPECT_LT(at("CREATE EXTENSION"), at(later)) << later;
    for (const char* table : {"CREATE TABLE \"snap\".\"hero\"", "CREATE TABLE \"snap\".\"team\"",
                              "CREATE TABLE \"snap\".\"measurement\""}) {
        EXPECT_LT(at("CREATE TYPE \"snap\".\"mood\""), at(table));
        EXPECT_LT(at("CREATE DOMAIN \"snap\".\"posint\""), at(table));
        EXPECT_LT(at("CREATE TYPE \"snap\".\"address\""), at(table));
        EXPECT_LT(at("CREATE SEQUENCE"), at(table));
        EXPECT_LT(at("FUNCTION snap.touch()"), at(table));
    }
    EXPECT_LT(at("CREATE TABLE \"snap\".\"measurement\""),
              at("CREATE TABLE \"snap\".\"measurement_2026\""));
    EXPECT_LT(at("CREATE TABLE \"snap\".\"team\""), at("ADD CONSTRAINT \"hero_team_id_fkey\""));
    EXPECT_LT(at("ADD CONSTRAINT \"team_pkey\""), at("ADD CONSTRAINT \"hero_team_id_fkey\""));
    EXPECT_LT(at("ADD CONSTRAINT \"hero_team_id_fkey\""), at("CREATE VIEW \"snap\".\"adults\""));
    EXPECT_LT(at("CREATE MATERIALIZED VIEW \"snap\".\"team_sizes\""),
              at("CREATE INDEX team_sizes_n"));
    EXPECT_LT(at("CREATE TABLE \"snap\".\"hero\""), at("CREATE TRIGGER hero_touch"));
    EXPECT_LT(at("CREATE TABLE \"snap\".\"hero\""),
              at("ALTER SEQUENCE \"snap\".\"ticket_seq\" OWNED BY \"snap\".\"hero\".\"ticket\""));
    EXPECT_LT(at("FUNCTION snap.log_ddl()"), at("CREATE EVENT TRIGGER \"log_ddl\""));
    EXPECT_LT(at("CREATE TABLE \"snap\".\"hero\""),
              at("COMMENT ON COLUMN \"snap\".\"hero\".\"email\" IS 'contact'"));
    EXPECT_GE(at("CREATE POLICY \"own\" ON \"snap\".\"hero\""), 0);
    EXPECT_GE(at("ALTER TABLE \"snap\".\"hero\" ENABLE ROW LEVEL SECURITY"), 0);
    EXPECT_GE(at("ALTER TABLE \"snap\".\"hero\" REPLICA IDENTITY FULL"), 0);
    EXPECT_GE(at("COMMENT ON SCHEMA \"snap\" IS 'the snapshot fixture'"), 0);
    // The adult check is created NOT VALID, as in the target; nothing is built concurrently
    // on tables that are new.
    EXPECT_EQ(s[static_cast<std::size_t>(at("ADD CONSTRAINT \"adult\""))].sql,
              "ALTER TABLE \"snap\".\"hero\" ADD CONSTRAINT \"adult\" CHECK (((age)::integer >= "
              "18)) NOT VALID");
    for (const auto& step : s) {
        EXPECT_EQ(step.sql.find("CONCURRENTLY"), std::string::npos) << step.sql;
        EXPECT_EQ(step.sql.find("VALIDATE"), std::string::npos) << step.sql;
        EXPECT_TRUE(step.in_transaction) << step.sql;
    }
}

TEST(diff, realistic_document_to_nothing_drops_dependents_first) {
    steps s = plan(realistic_document(), empty_document());
    auto at = [&](const std::string& fragment) {
        int i = position_of(s, fragment);
        if (i < 0)
            throw std::runtime_error("no step contains " + fragment + ": " +
                                     ::testing::PrintToString(sql_of(s)));
        return i;
    };
    EXPECT_EQ(s.back().sql, "DROP SCHEMA \"snap\"");
    for (const char* table :
         {"\"snap\".\"hero\"", "\"snap\".\"team\"", "\"snap\".\"measurement\""}) {
        int drop_table = -1;
        for (std::size_t i = 0; i < s.size(); ++i)
            if (s[i].sql.rfind("DROP TABLE", 0) == 0 && s[i].sql.find(table) != std::string::npos)
                drop_table = static_cast<int>(i);
        ASSERT_GE(drop_table, 0) << table;
        EXPECT_LT(at("DROP VIEW \"snap\".\"adults\""), drop_table);
        EXPECT_LT(at("DROP MATERIALIZED VIEW \"snap\".\"team_sizes\""), drop_table);
        EXPECT_LT(drop_table, at("DROP TYPE \"snap\".\"mood\""));
        EXPECT_LT(drop_table, at("DROP DOMAIN \"snap\".\"posint\""));
        EXPECT_LT(drop_table, at("DROP TYPE \"snap\".\"address\""));
        EXPECT_LT(drop_table, at("DROP FUNCTION \"snap\".\"touch\"()"));
    }
    EXPECT_LT(at("DROP EVENT TRIGGER \"log_ddl\""), at("DROP FUNCTION \"snap\".\"log_ddl\"()"));
    EXPECT_LT(at("DROP EXTENSION \"pgcrypto\""), at("DROP SCHEMA"));
    // What goes with its table is not dropped on its own.
    for (const char* with_table : {"DROP SEQUENCE", "DROP INDEX", "DROP TRIGGER", "DROP POLICY",
                                   "DROP CONSTRAINT", "DROP COLUMN"})
        EXPECT_EQ(position_of(s, with_table), -1) << with_table;
}

TEST(diff, reverse_of_a_create_is_the_matching_drop_and_vice_versa) {
    steps up = plan(empty_document(), realistic_document());
    steps down = plan(realistic_document(), empty_document());
    int checked = 0;
    for (const auto& step : up) {
        for (const char* kind : {"SCHEMA", "EXTENSION", "TYPE", "DOMAIN", "SEQUENCE", "TABLE",
                                 "VIEW", "MATERIALIZED VIEW"}) {
            std::string create = std::string("CREATE ") + kind + " ";
            if (step.sql.rfind(create, 0) != 0) continue;
            std::string name = step.object_name;
            ASSERT_TRUE(step.reverse_sql.has_value()) << step.sql;
            EXPECT_EQ(*step.reverse_sql, std::string("DROP ") + kind + " " + name) << step.sql;
            // The drop in the opposite plan is undone by this very statement.
            bool found = false;
            for (const auto& d : down)
                if (d.sql == std::string("DROP ") + kind + " " + name) {
                    found = true;
                    ASSERT_TRUE(d.reverse_sql.has_value()) << d.sql;
                    EXPECT_EQ(d.reverse_sql->rfind(step.sql, 0), 0u)
                        << d.sql << "\nreverse: " << *d.reverse_sql;
                }
            if (!found && kind != std::string("TABLE")) {
                // Then it goes with a table (an owned sequence): that drop's reverse makes it
                // again.
                bool with_table = false;
                for (const auto& d : down)
                    if (d.sql.rfind("DROP TABLE", 0) == 0 && d.reverse_sql &&
                        d.reverse_sql->find(step.sql) != std::string::npos)
                        with_table = true;
                EXPECT_TRUE(with_table) << "nothing drops " << name;
            }
            ++checked;
        }
        if (step.sql.rfind("ALTER TABLE", 0) == 0 &&
            step.sql.find(" ADD CONSTRAINT ") != std::string::npos) {
            std::string table = step.sql.substr(0, step.sql.find(" ADD CONSTRAINT "));
            std::string name = step.sql.substr(step.sql.find(" ADD CONSTRAINT ") + 16);
            name = name.substr(0, name.find("\" ") + 1);
            EXPECT_EQ(step.reverse_sql, table + " DROP CONSTRAINT " + name);
            ++checked;
        }
        if (step.object_kind == "function" || step.object_kind == "procedure") {
            EXPECT_EQ(step.reverse_sql,
                      std::string("DROP ") +
                          (step.object_kind == "function" ? "FUNCTION " : "PROCEDURE ") +
                          step.object_name);
            ++checked;
        }
    }
    EXPECT_GE(checked, 20);
}

// ---------------------------------------------------------------------------------------
// Quoting of odd identifiers

// A schema, table, columns and objects with every kind of awkward name.
const std::string odd_schema = "My Schema";
const std::string odd_table = "Hero \"Q\" Table";
const std::string long_name = std::string(55, 'n') + "_63bytes";  // 63 bytes, the limit

json odd_document() {
    json doc = empty_document();
    add(doc, "schemas", schema_json(odd_schema));
    json& t = add_table(doc, odd_schema, odd_table);
    add_column(t, "café", "text");
    add_column(t, "名前", "text");
    add_column(t, "Select", "integer", true);
    add_column(t, long_name, "text");
    add(t, "constraints",
        constraint_json("Hero \"Q\" pkey", "primary key", "PRIMARY KEY (\"Select\")"));
    add(t, "indexes",
        index_json("Odd \"Index\"",
                   "CREATE INDEX \"Odd \"\"Index\"\"\" ON \"My Schema\".\"Hero \"\"Q\"\" Table\" "
                   "USING btree (\"café\")"));
    add(doc, "enums", enum_json(odd_schema, "Mood's", {"it's", "\"quoted\""}));
    add(doc, "sequences", sequence_json(odd_schema, "Seq ü"))["owned_by"] = {
        {"schema", odd_schema}, {"table", odd_table}, {"column", "Select"}};
    return doc;
}

TEST(diff, odd_identifiers_are_quoted_in_created_objects) {
    steps s = plan(empty_document(), odd_document());
    EXPECT_EQ(step_with(s, "CREATE SCHEMA").sql, "CREATE SCHEMA \"My Schema\"");
    EXPECT_EQ(step_with(s, "CREATE TABLE").sql,
              "CREATE TABLE \"My Schema\".\"Hero \"\"Q\"\" Table\" (\n"
              "    \"café\" text,\n"
              "    \"名前\" text,\n"
              "    \"Select\" integer NOT NULL,\n"
              "    \"" +
                  long_name +
                  "\" text\n"
                  ")");
    EXPECT_EQ(step_with(s, "CREATE TABLE").reverse_sql,
              "DROP TABLE \"My Schema\".\"Hero \"\"Q\"\" Table\"");
    EXPECT_EQ(step_with(s, "ADD CONSTRAINT").sql,
              "ALTER TABLE \"My Schema\".\"Hero \"\"Q\"\" Table\" ADD CONSTRAINT \"Hero \"\"Q\"\" "
              "pkey\" PRIMARY KEY (\"Select\")");
    EXPECT_EQ(step_with(s, "CREATE INDEX").reverse_sql,
              "DROP INDEX \"My Schema\".\"Odd \"\"Index\"\"\"");
    EXPECT_EQ(step_with(s, "CREATE TYPE").sql,
              "CREATE TYPE \"My Schema\".\"Mood's\" AS ENUM ('it''s', '\"quoted\"')");
    EXPECT_EQ(step_with(s, "CREATE SEQUENCE")
                  .sql.rfind("CREATE SEQUENCE \"My Schema\".\"Seq ü\" AS bigint", 0),
              0u);
    EXPECT_EQ(step_with(s, "OWNED BY").sql,
              "ALTER SEQUENCE \"My Schema\".\"Seq ü\" OWNED BY \"My Schema\".\"Hero \"\"Q\"\" "
              "Table\".\"Select\"");
}

TEST(diff, odd_identifiers_are_quoted_in_changes) {
    json from = odd_document();
    json to = from;
    json& t = to["tables"][0];
    named(t, "columns", "café")["type"] = "character varying(10)";
    named(t, "columns", "café")["comment"] = "l'été";
    named(t, "columns", "名前")["not_null"] = true;
    named(t, "columns", "名前")["default"] = "'無名'::text";
    erase_named(t["columns"], long_name);
    add_column(t, "New Col", "text");
    t["indexes"] = json::array();
    to["enums"][0]["labels"] = {"it's", "\"quoted\"", "O'Brien"};
    steps s = plan(from, to);
    std::string table = "\"My Schema\".\"Hero \"\"Q\"\" Table\"";
    std::string alter = "ALTER TABLE " + table;
    EXPECT_EQ(step_with(s, "DROP INDEX").sql,
              "DROP INDEX CONCURRENTLY \"My Schema\".\"Odd \"\"Index\"\"\"");
    EXPECT_EQ(step_with(s, "ADD VALUE").sql,
              "ALTER TYPE \"My Schema\".\"Mood's\" ADD VALUE 'O''Brien'");
    EXPECT_EQ(step_with(s, "ADD COLUMN").sql, alter + " ADD COLUMN \"New Col\" text");
    EXPECT_EQ(step_with(s, " TYPE character").sql,
              alter +
                  " ALTER COLUMN \"café\" TYPE character varying(10) USING \"café\"::character "
                  "varying(10)");
    EXPECT_EQ(step_with(s, "SET DEFAULT").sql,
              alter + " ALTER COLUMN \"名前\" SET DEFAULT '無名'::text");
    EXPECT_EQ(step_with(s, "NOT VALID").sql,
              alter + " ADD CONSTRAINT \"名前_not_null\" CHECK (\"名前\" IS NOT NULL) NOT VALID");
    EXPECT_EQ(step_with(s, "SET NOT NULL").sql, alter + " ALTER COLUMN \"名前\" SET NOT NULL");
    EXPECT_EQ(step_with(s, "DROP COLUMN").sql, alter + " DROP COLUMN \"" + long_name + "\"");
    EXPECT_EQ(step_with(s, "DROP COLUMN").object_name, table + ".\"" + long_name + "\"");
    EXPECT_EQ(step_with(s, "COMMENT ON").sql,
              "COMMENT ON COLUMN " + table + ".\"café\" IS 'l''été'");
}

TEST(diff, names_the_diff_writes_never_appear_unquoted) {
    // Remove every quoted occurrence of a name: nothing of the bare name may remain.
    auto bare_left = [](std::string sql, const std::string& name) {
        std::string quoted = quote_ident(name);
        for (auto at = sql.find(quoted); at != std::string::npos; at = sql.find(quoted))
            sql.erase(at, quoted.size());
        return sql.find(name) != std::string::npos;
    };
    json doc = odd_document();
    for (const auto& [from, to] :
         {std::pair<json, json>{empty_document(), doc}, {doc, empty_document()}}) {
        for (const auto& step : plan(from, to)) {
            for (const std::string& name :
                 {odd_schema, odd_table, std::string("Seq ü"), std::string("Mood's")}) {
                EXPECT_FALSE(bare_left(step.sql, name)) << name << " in " << step.sql;
                if (step.reverse_sql) {
                    EXPECT_FALSE(bare_left(*step.reverse_sql, name))
                        << name << " in " << *step.reverse_sql;
                }
            }
            EXPECT_TRUE(valid_utf8(step.sql)) << step.sql;
        }
    }
}

TEST(diff, sixty_three_byte_names_are_kept_whole) {
    std::string table(63, 't'), column(63, 'c');
    json from = empty_document();
    add_column(add_table(from, "public", table), column, "text");
    json to = from;
    to["tables"][0]["columns"][0]["not_null"] = true;
    steps s = plan(from, to);
    ASSERT_EQ(s.size(), 4u);
    std::string check = "\"" + std::string(40, 'c') + "_not_null\"";  // within the 63-byte limit
    EXPECT_EQ(s[0].sql, "ALTER TABLE \"public\".\"" + table + "\" ADD CONSTRAINT " + check +
                            " CHECK (\"" + column + "\" IS NOT NULL) NOT VALID");
    EXPECT_EQ(s[2].sql, "ALTER TABLE \"public\".\"" + table + "\" ALTER COLUMN \"" + column +
                            "\" SET NOT NULL");
    EXPECT_EQ(step_with(plan(empty_document(), from), "CREATE TABLE").sql,
              "CREATE TABLE \"public\".\"" + table + "\" (\n    \"" + column + "\" text\n)");
}

// BUG (reported): the NOT NULL helper check is named after the first 40 *bytes* of the column
// name; a multibyte character across byte 40 is cut in half and the statement is not valid
// UTF-8 (PostgreSQL: invalid byte sequence for encoding "UTF8": 0xc3 0x5f).
TEST(diff, not_null_check_name_is_valid_utf8) {
    std::string column = std::string(39, 'a') + "é";  // é is bytes 40 and 41
    json from = empty_document();
    add_column(add_table(from, "public", "t"), column, "text");
    json to = from;
    to["tables"][0]["columns"][0]["not_null"] = true;
    for (const auto& step : plan(from, to)) EXPECT_TRUE(valid_utf8(step.sql)) << step.sql;
}

// BUG (reported): sub-partitions are created in document (name) order after the top-level
// tables: a leaf sorting before its parent partition is created before that parent exists.
TEST(diff, sub_partitions_are_created_after_their_parent_partition) {
    json doc = empty_document();
    json& leaf = add_table(doc, "public", "a_leaf");
    leaf["partition_of"] = {
        {"schema", "public"}, {"table", "b_mid"}, {"bound", "FOR VALUES IN (1)"}};
    add_column(leaf, "k", "integer");
    json& mid = add_table(doc, "public", "b_mid");
    mid["partitioned"] = true;
    mid["partition_key"] = "LIST (k)";
    mid["partition_of"] = {
        {"schema", "public"}, {"table", "c_root"}, {"bound", "FOR VALUES FROM (0) TO (10)"}};
    add_column(mid, "k", "integer");
    json& root = add_table(doc, "public", "c_root");
    root["partitioned"] = true;
    root["partition_key"] = "RANGE (k)";
    add_column(root, "k", "integer");
    steps s = plan(empty_document(), doc);
    EXPECT_LT(position_of(s, "CREATE TABLE \"public\".\"c_root\""),
              position_of(s, "CREATE TABLE \"public\".\"b_mid\""));
    EXPECT_LT(position_of(s, "CREATE TABLE \"public\".\"b_mid\""),
              position_of(s, "CREATE TABLE \"public\".\"a_leaf\""))
        << ::testing::PrintToString(sql_of(s));
}

TEST(diff, a_serial_column_becoming_identity_drops_its_sequence_first) {
    json from = empty_document();
    json seq = sequence_json("public", "ticket_id_seq");
    seq["type"] = "integer";
    seq["owned_by"] = {{"schema", "public"}, {"table", "ticket"}, {"column", "id"}};
    add(from, "sequences", seq);
    json& ticket = add_table(from, "public", "ticket");
    add_column(ticket, "id", "integer", true)["default"] =
        "nextval('public.ticket_id_seq'::regclass)";
    json to = empty_document();
    add_column(add_table(to, "public", "ticket"), "id", "integer", true)["identity"] = "by default";
    EXPECT_EQ(sql_of(plan(from, to)),
              (strings{"ALTER TABLE \"public\".\"ticket\" ALTER COLUMN \"id\" DROP DEFAULT",
                       "DROP SEQUENCE \"public\".\"ticket_id_seq\"",
                       "ALTER TABLE \"public\".\"ticket\" ALTER COLUMN \"id\" ADD GENERATED BY "
                       "DEFAULT AS IDENTITY"}));
}

TEST(diff, composite_types_and_domains_stored_in_tables_change_only_where_postgresql_can) {
    json from = empty_document();
    add(from, "domains", domain_json("public", "zip", "text"));
    add(from, "composite_types",
        composite_json("public", "address",
                       {attribute_json("street", "text"), attribute_json("zip", "public.zip")}));
    add_column(add_table(from, "public", "hero"), "homes", "public.address[]");
    // Attributes are added and dropped in place ...
    json grown = from;
    grown["composite_types"][0]["attributes"] = {attribute_json("zip", "public.zip"),
                                                 attribute_json("city", "text")};
    EXPECT_EQ(sql_of(plan(from, grown)),
              (strings{"ALTER TYPE \"public\".\"address\" DROP ATTRIBUTE \"street\"",
                       "ALTER TYPE \"public\".\"address\" ADD ATTRIBUTE \"city\" text"}));
    // ... but stored values cannot be retyped or checked against a new domain check.
    json retyped = from;
    retyped["composite_types"][0]["attributes"][0]["type"] = "character varying(80)";
    EXPECT_ENGINE_ERROR(
        plan(from, retyped), unsupported,
        "cannot diff the type of attribute \"street\" of a composite type stored in column "
        "\"public\".\"hero\".\"homes\" of \"public\".\"address\" yet");
    json checked = from;
    add(checked["domains"][0], "constraints",
        domain_constraint_json("zip_digits", "CHECK ((VALUE ~ '^[0-9]+$'::text))"));
    EXPECT_ENGINE_ERROR(
        plan(from, checked), unsupported,
        "cannot diff a new check on a domain stored inside a composite type (column "
        "\"public\".\"hero\".\"homes\") of \"public\".\"zip\" yet");
    // Without a stored value, both are plain ALTERs.
    for (json* doc : {&from, &retyped, &checked}) (*doc)["tables"] = json::array();
    EXPECT_EQ(plan(from, retyped).size(), 1u);
    EXPECT_EQ(plan(from, checked).size(), 1u);
}

}  // namespace
}  // namespace ender::engine
