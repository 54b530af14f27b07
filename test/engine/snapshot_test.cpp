// Tests of engine/snapshot.hpp: parse_snapshot reads documents as ender_snapshot() writes them
// into the right fields (the refusals are in snapshot_refusals_test.cpp).
#include "engine/snapshot.hpp"

#include "engine/error.hpp"
#include "error_matchers.hpp"
#include "snapshot_builders.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ender::engine {
namespace {

using namespace ender::engine::testing;

// ---------------------------------------------------------------------------------------
// The happy path

TEST(snapshot, empty_document_parses_to_empty_lists) {
    snapshot s = parse(empty_document());
    EXPECT_EQ(s, snapshot{});
    EXPECT_TRUE(s.tables.empty());
    EXPECT_TRUE(s.event_triggers.empty());
}

TEST(snapshot, realistic_document_top_level_objects) {
    snapshot s = parse(realistic_document());
    ASSERT_EQ(s.schemas.size(), 1u);
    EXPECT_EQ(s.schemas[0].name, "snap");
    EXPECT_EQ(s.schemas[0].comment, "the snapshot fixture");

    ASSERT_EQ(s.extensions.size(), 1u);
    EXPECT_EQ(s.extensions[0].name, "pgcrypto");
    EXPECT_EQ(s.extensions[0].schema, "snap");
    EXPECT_EQ(s.extensions[0].version, "1.3");

    ASSERT_EQ(s.enums.size(), 1u);
    EXPECT_EQ(s.enums[0].id, qn("snap", "mood"));
    EXPECT_EQ(s.enums[0].labels,
              (strings{"sad", "ok", "happy"}));  // sort order kept, not alphabetical
    EXPECT_EQ(s.enums[0].comment, std::nullopt);

    ASSERT_EQ(s.domains.size(), 1u);
    const domain_def& posint = s.domains[0];
    EXPECT_EQ(posint.id, qn("snap", "posint"));
    EXPECT_EQ(posint.type, "integer");
    EXPECT_TRUE(posint.not_null);
    EXPECT_EQ(posint.default_expr, "1");
    EXPECT_EQ(posint.collation, std::nullopt);
    ASSERT_EQ(posint.constraints.size(), 1u);
    EXPECT_EQ(posint.constraints[0].name, "positive");
    EXPECT_EQ(posint.constraints[0].type, "check");  // domains have only checks
    EXPECT_EQ(posint.constraints[0].definition, "CHECK ((VALUE > 0))");
    EXPECT_TRUE(posint.constraints[0].valid);
    EXPECT_FALSE(posint.constraints[0].deferrable);

    ASSERT_EQ(s.composite_types.size(), 1u);
    const composite_def& address = s.composite_types[0];
    EXPECT_EQ(address.id, qn("snap", "address"));
    ASSERT_EQ(address.attributes.size(), 2u);
    EXPECT_EQ(address.attributes[0].name, "street");  // attribute order kept
    EXPECT_EQ(address.attributes[1].name, "city");
    EXPECT_EQ(address.attributes[1].type, "text");
    EXPECT_EQ(address.attributes[1].collation, "\"C\"");
    EXPECT_EQ(address.attributes[0].collation, std::nullopt);

    ASSERT_EQ(s.sequences.size(), 1u);
    const sequence_def& ticket = s.sequences[0];
    EXPECT_EQ(ticket.id, qn("snap", "ticket_seq"));
    EXPECT_EQ(ticket.type, "bigint");
    EXPECT_EQ(ticket.start, 100);
    EXPECT_EQ(ticket.increment, 5);
    EXPECT_EQ(ticket.min, 1);
    EXPECT_EQ(ticket.max, 9223372036854775807LL);
    EXPECT_EQ(ticket.cache, 10);
    EXPECT_FALSE(ticket.cycle);
    ASSERT_TRUE(ticket.owned_by.has_value());
    EXPECT_EQ(ticket.owned_by->first, qn("snap", "hero"));
    EXPECT_EQ(ticket.owned_by->second, "ticket");

    ASSERT_EQ(s.event_triggers.size(), 1u);
    const event_trigger_def& log = s.event_triggers[0];
    EXPECT_EQ(log.name, "log_ddl");
    EXPECT_EQ(log.event, "ddl_command_end");
    EXPECT_EQ(log.function, "snap.log_ddl");
    EXPECT_EQ(log.enabled, "origin");
    EXPECT_EQ(log.tags, (strings{"CREATE TABLE", "ALTER TABLE"}));
}

TEST(snapshot, realistic_document_tables) {
    snapshot s = parse(realistic_document());
    ASSERT_EQ(s.tables.size(), 4u);
    const table_def& hero = s.tables[0];
    EXPECT_EQ(hero.id, qn("snap", "hero"));
    EXPECT_FALSE(hero.partitioned);
    EXPECT_TRUE(hero.row_security);
    EXPECT_FALSE(hero.force_row_security);
    EXPECT_EQ(hero.replica_identity, "full");
    EXPECT_EQ(hero.partition_of, std::nullopt);
    EXPECT_EQ(hero.partition_key, std::nullopt);
    EXPECT_TRUE(hero.inherits.empty());

    ASSERT_EQ(hero.columns.size(), 11u);
    auto col = [&](const std::string& name) -> const column_def& {
        for (const auto& c : hero.columns)
            if (c.name == name) return c;
        throw std::runtime_error("no column " + name);
    };
    EXPECT_EQ(col("created").type, "timestamp with time zone");
    EXPECT_TRUE(col("created").not_null);
    EXPECT_EQ(col("created").default_expr, "now()");
    EXPECT_EQ(col("double_score").generated, "(score * (2)::numeric)");
    EXPECT_EQ(col("double_score").default_expr, std::nullopt);
    EXPECT_EQ(col("email").collation, "\"C\"");
    EXPECT_EQ(col("email").comment, "contact");
    EXPECT_EQ(col("id").identity, "by default");
    EXPECT_EQ(col("age").type, "snap.posint");
    EXPECT_FALSE(col("age").not_null);
    EXPECT_EQ(col("age").identity, std::nullopt);
    EXPECT_EQ(col("age").comment, std::nullopt);
    EXPECT_EQ(hero.columns[0].name, "age");  // document order kept

    ASSERT_EQ(hero.constraints.size(), 4u);
    const constraint_def& adult = hero.constraints[0];
    EXPECT_EQ(adult.name, "adult");
    EXPECT_EQ(adult.type, "check");
    EXPECT_FALSE(adult.valid);
    EXPECT_EQ(adult.definition, "CHECK (((age)::integer >= 18)) NOT VALID");
    const constraint_def& fk = hero.constraints[3];
    EXPECT_EQ(fk.type, "foreign key");
    EXPECT_TRUE(fk.deferrable);
    EXPECT_TRUE(fk.deferred);
    EXPECT_TRUE(fk.valid);

    ASSERT_EQ(hero.indexes.size(), 3u);
    EXPECT_EQ(hero.indexes[0].name, "hero_email");
    EXPECT_TRUE(hero.indexes[0].unique);
    EXPECT_FALSE(hero.indexes[1].unique);
    EXPECT_EQ(hero.indexes[2].definition,
              "CREATE INDEX hero_team ON snap.hero USING hash (team_id)");

    ASSERT_EQ(hero.triggers.size(), 1u);
    EXPECT_EQ(hero.triggers[0].name, "hero_touch");
    EXPECT_EQ(hero.triggers[0].enabled, "origin");

    ASSERT_EQ(hero.policies.size(), 1u);
    const policy_def& own = hero.policies[0];
    EXPECT_EQ(own.name, "own");
    EXPECT_EQ(own.command, "select");
    EXPECT_TRUE(own.permissive);
    EXPECT_EQ(own.roles, strings{"public"});
    EXPECT_EQ(own.using_expr, "(name = CURRENT_USER)");
    EXPECT_EQ(own.with_check, std::nullopt);

    const table_def& measurement = s.tables[1];
    EXPECT_TRUE(measurement.partitioned);
    EXPECT_EQ(measurement.partition_key, "RANGE (at)");
    const table_def& m2026 = s.tables[2];
    ASSERT_TRUE(m2026.partition_of.has_value());
    EXPECT_EQ(m2026.partition_of->schema, "snap");
    EXPECT_EQ(m2026.partition_of->table, "measurement");
    EXPECT_EQ(m2026.partition_of->bound, "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
    EXPECT_FALSE(m2026.partitioned);

    EXPECT_EQ(s.tables[3].columns[0].identity, "always");
}

TEST(snapshot, realistic_document_views_and_functions) {
    snapshot s = parse(realistic_document());
    ASSERT_EQ(s.views.size(), 2u);
    const view_def& adults = s.views[0];
    EXPECT_EQ(adults.id, qn("snap", "adults"));
    EXPECT_FALSE(adults.materialized);
    EXPECT_EQ(adults.options, strings{"security_invoker=true"});
    EXPECT_EQ(adults.depends_on, std::vector<qualified_name>{qn("snap", "hero")});
    ASSERT_EQ(adults.column_comments.size(), 2u);
    EXPECT_EQ(adults.column_comments[0].first, "id");
    EXPECT_EQ(adults.column_comments[0].second, std::nullopt);
    EXPECT_EQ(adults.definition.back(), ';');  // kept as the server wrote it

    const view_def& sizes = s.views[1];
    EXPECT_TRUE(sizes.materialized);
    ASSERT_EQ(sizes.indexes.size(), 1u);
    EXPECT_EQ(sizes.indexes[0].name, "team_sizes_n");

    ASSERT_EQ(s.functions.size(), 4u);
    const function_def& add_fn = s.functions[0];
    EXPECT_EQ(add_fn.id, qn("snap", "add"));
    EXPECT_EQ(add_fn.kind, "function");
    EXPECT_EQ(add_fn.arguments, "a integer, b integer");
    EXPECT_EQ(add_fn.result, "integer");
    EXPECT_EQ(add_fn.language, "sql");
    EXPECT_EQ(add_fn.definition.rfind("CREATE OR REPLACE FUNCTION snap.add(", 0), 0u);
    const function_def& noop = s.functions[2];
    EXPECT_EQ(noop.kind, "procedure");
    EXPECT_EQ(noop.result, "");  // a procedure has no result: null in the document
    EXPECT_EQ(noop.arguments, "");
    EXPECT_EQ(s.functions[3].language, "plpgsql");
}

TEST(snapshot, parsing_is_deterministic_and_ignores_unknown_keys) {
    json doc = realistic_document();
    snapshot once = parse(doc);
    EXPECT_EQ(once, parse(doc));
    // Keys the engine does not read (and future additive keys) change nothing.
    doc["generated_by"] = "ender 0.1";
    doc["tables"][0]["columns"][0]["statistics"] = 1000;
    doc["tables"][0]["constraints"][3]["references"]["extra"] = true;
    EXPECT_EQ(once, parse(doc));
    // The text form does not matter either: whitespace, key order.
    EXPECT_EQ(once, parse_snapshot(doc.dump(4)));
}

TEST(snapshot, optional_fields_accept_null_and_text) {
    json doc = empty_document();
    add(doc, "schemas", schema_json("s", nullptr));
    add(doc, "schemas", schema_json("t", "text"));
    json& t = add_table(doc, "s", "t");
    json& c = add_column(t, "c", "text");
    c["default"] = "'x'::text";
    c["generated"] = nullptr;
    c["identity"] = nullptr;
    c["collation"] = "\"de-DE-x-icu\"";
    c["comment"] = "";  // an empty comment is a comment, not null
    t["comment"] = "hero's table";
    json& p = add(t, "policies", policy_json("p", "all"));
    p["roles"] = nullptr;  // no roles: the document may say null
    p["with_check"] = "true";
    json& v = add_view(doc, "s", "v", "SELECT 1;");
    v["columns"] = {{{"name", "x"}, {"comment", "the x"}}};
    add(doc, "event_triggers", event_trigger_json("e", "ddl_command_start", "s.f"));  // tags null
    json& seq = add(doc, "sequences", sequence_json("s", "q"));
    seq["owned_by"] = nullptr;

    snapshot s = parse(doc);
    EXPECT_EQ(s.schemas[0].comment, std::nullopt);
    EXPECT_EQ(s.schemas[1].comment, "text");
    const column_def& col = s.tables[0].columns[0];
    EXPECT_EQ(col.default_expr, "'x'::text");
    EXPECT_EQ(col.generated, std::nullopt);
    EXPECT_EQ(col.identity, std::nullopt);
    EXPECT_EQ(col.collation, "\"de-DE-x-icu\"");
    EXPECT_EQ(col.comment, std::optional<std::string>(""));
    EXPECT_EQ(s.tables[0].comment, "hero's table");
    EXPECT_TRUE(s.tables[0].policies[0].roles.empty());
    EXPECT_EQ(s.tables[0].policies[0].with_check, "true");
    EXPECT_EQ(s.tables[0].policies[0].using_expr, std::nullopt);
    EXPECT_EQ(s.views[0].column_comments[0].second, "the x");
    EXPECT_TRUE(s.event_triggers[0].tags.empty());
    EXPECT_FALSE(s.sequences[0].owned_by.has_value());
}

TEST(snapshot, inherits_and_policy_roles_and_view_dependencies) {
    json doc = empty_document();
    json& child = add_table(doc, "app", "hero_archive");
    child["inherits"] = {{{"schema", "app"}, {"table", "hero"}},
                         {{"schema", "audit"}, {"table", "stamped"}}};
    json& p = add(child, "policies", policy_json("mine", "update"));
    p["roles"] = {"Admins", "public", "reader"};
    p["permissive"] = false;
    json& v = add_view(doc, "app", "names", "SELECT 1;");
    v["depends_on"] = {{{"schema", "app"}, {"name", "hero"}},
                       {{"schema", "app"}, {"name", "hero_archive"}}};
    v["options"] = {"security_barrier=true", "check_option=local"};
    json& sizes = add_view(doc, "app", "sizes", "SELECT 1;");
    sizes["materialized"] = true;
    add(sizes, "triggers", trigger_json("t", "CREATE TRIGGER t ..."))["enabled"] = "disabled";

    snapshot s = parse(doc);
    EXPECT_EQ(s.tables[0].inherits,
              (std::vector<qualified_name>{qn("app", "hero"), qn("audit", "stamped")}));
    EXPECT_EQ(s.tables[0].policies[0].roles, (strings{"Admins", "public", "reader"}));
    EXPECT_FALSE(s.tables[0].policies[0].permissive);
    EXPECT_EQ(s.views[0].depends_on,
              (std::vector<qualified_name>{qn("app", "hero"), qn("app", "hero_archive")}));
    EXPECT_EQ(s.views[0].options, (strings{"security_barrier=true", "check_option=local"}));
    EXPECT_EQ(s.views[1].triggers[0].enabled, "disabled");
}

TEST(snapshot, unicode_and_odd_names_are_kept_byte_for_byte) {
    json doc = empty_document();
    std::string long_name(63, 'x');
    json& t = add_table(doc, "Schéma \"1\"", "名前");
    add_column(t, "café", "text");
    add_column(t, "Mixed Case", "text");
    add_column(t, long_name, "text");
    // JSON escapes decode to UTF-8.
    std::string text = doc.dump();
    std::string escaped = R"({"name": "caf\u00e9 \u540d", "comment": null})";
    json parsed_doc = json::parse(text);
    parsed_doc["schemas"].push_back(json::parse(escaped));

    snapshot s = parse(parsed_doc);
    EXPECT_EQ(s.tables[0].id, qn("Schéma \"1\"", "名前"));
    EXPECT_EQ(s.tables[0].columns[0].name, "café");
    EXPECT_EQ(s.tables[0].columns[1].name, "Mixed Case");
    EXPECT_EQ(s.tables[0].columns[2].name, long_name);
    EXPECT_EQ(s.schemas[0].name, "café 名");
}

TEST(snapshot, extreme_integers_are_read_exactly) {
    json doc = empty_document();
    json& q = add(doc, "sequences", sequence_json("s", "q"));
    q["type"] = "bigint";
    q["min"] = -9223372036854775807LL - 1;
    q["max"] = 9223372036854775807LL;
    q["start"] = -5;
    q["increment"] = -1;
    q["cycle"] = true;
    snapshot s = parse(doc);
    EXPECT_EQ(s.sequences[0].min, -9223372036854775807LL - 1);
    EXPECT_EQ(s.sequences[0].max, 9223372036854775807LL);
    EXPECT_EQ(s.sequences[0].start, -5);
    EXPECT_EQ(s.sequences[0].increment, -1);
    EXPECT_TRUE(s.sequences[0].cycle);
}

}  // namespace
}  // namespace ender::engine
