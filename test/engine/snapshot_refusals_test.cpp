// Tests of engine/snapshot.hpp's refusals: parse_snapshot refuses malformed documents with 22023
// and the JSON path of the problem.
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

constexpr const char* invalid = "22023";
constexpr const char* message = "invalid snapshot document";

// A document with one table "public"."hero" (one column "id"), for tests of nested paths.
json one_table() {
    json doc = empty_document();
    json& hero = add_table(doc, "public", "hero");
    add_column(hero, "id", "bigint", true);
    return doc;
}

// ---------------------------------------------------------------------------------------
// Refusals: each names the path of the problem

// Expects parse_snapshot(text) to fail with the given detail ("At <path>: <what>.").
#define EXPECT_INVALID_TEXT(text, expected_detail)              \
    EXPECT_ENGINE_ERROR(parse_snapshot(text), invalid, message, \
                        {.detail = expected_detail, .hint = "docs/snapshot-format.md"})
#define EXPECT_INVALID(doc, expected_detail) EXPECT_INVALID_TEXT((doc).dump(), expected_detail)

TEST(snapshot, error_carries_detail_and_hint) {
    auto e = matchers::error_of([] { parse_snapshot("{\"format\": \"nope\"}"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_STREQ(e->sqlstate(), "22023");
    EXPECT_STREQ(e->what(), "invalid snapshot document");
    EXPECT_EQ(e->detail(), "At $.format: expected \"ender-snapshot\".");
    EXPECT_EQ(e->hint(),
              "Snapshot documents are described in docs/snapshot-format.md; ender_snapshot() "
              "writes them.");
}

TEST(snapshot, refuses_an_allowance_it_does_not_know) {
    json doc = one_table();
    doc["allow"] = {"rewrites_table", "everything"};
    EXPECT_INVALID(doc,
                   "At $.allow[1]: unknown allowance \"everything\" (known: \"rewrites_table\").");
    doc["allow"] = "rewrites_table";
    EXPECT_INVALID(doc, "At $.allow: expected an array.");
    doc["allow"] = {"rewrites_table"};
    EXPECT_EQ(parse_snapshot(doc.dump()).allow, (strings{"rewrites_table"}));
}

TEST(snapshot, refuses_text_that_is_not_json) {
    for (const char* text : {"", " ", "{", "{\"format\": }", "not json", "{\"a\": 1} trailing",
                             "[1,]", "{'format': 'ender-snapshot'}", "\xff\xfe"})
        EXPECT_INVALID_TEXT(text, "At $: not valid JSON.") << "text: " << text;
}

TEST(snapshot, refuses_a_root_that_is_not_an_object) {
    for (const char* text : {"[]", "null", "42", "\"ender-snapshot\"", "true"})
        EXPECT_INVALID_TEXT(text, "At $: expected an object.") << "text: " << text;
}

TEST(snapshot, refuses_a_wrong_or_missing_format) {
    json doc = empty_document();
    doc["format"] = "pg_dump";
    EXPECT_INVALID(doc, "At $.format: expected \"ender-snapshot\".");
    doc["format"] = "Ender-Snapshot";  // exact, not case-insensitive
    EXPECT_INVALID(doc, "At $.format: expected \"ender-snapshot\".");
    doc["format"] = 1;
    EXPECT_INVALID(doc, "At $.format: expected a string.");
    doc["format"] = nullptr;
    EXPECT_INVALID(doc, "At $.format: expected a string.");
    doc.erase("format");
    EXPECT_INVALID(doc, "At $: missing field \"format\".");
    // The format is checked before anything else.
    EXPECT_INVALID_TEXT(R"({"format": "nope"})", "At $.format: expected \"ender-snapshot\".");
    EXPECT_INVALID_TEXT(R"({"format": "nope", "version": 99})",
                        "At $.format: expected \"ender-snapshot\".");
}

TEST(snapshot, refuses_an_unsupported_or_malformed_version) {
    json doc = empty_document();
    for (long long version : {0LL, 2LL, -1LL, 4294967297LL}) {
        doc["version"] = version;
        EXPECT_INVALID(doc, "At $.version: this ender reads version 1.") << "version " << version;
    }
    EXPECT_INVALID_TEXT(R"({"format": "ender-snapshot", "version": 2})",
                        "At $.version: this ender reads version 1.");
    doc["version"] = "1";
    EXPECT_INVALID(doc, "At $.version: expected an integer.");
    doc["version"] = 1.5;
    EXPECT_INVALID(doc, "At $.version: expected an integer.");
    doc["version"] = true;
    EXPECT_INVALID(doc, "At $.version: expected an integer.");
    doc["version"] = nullptr;
    EXPECT_INVALID(doc, "At $.version: expected an integer.");
    EXPECT_INVALID_TEXT(R"({"format": "ender-snapshot", "version": 1.0})",
                        "At $.version: expected an integer.");
    doc.erase("version");
    EXPECT_INVALID(doc, "At $: missing field \"version\".");
}

// "deparsed_by" (written by ender_snapshot) is optional: hand-written documents leave it out.
TEST(snapshot, deparsed_by_is_optional_and_must_be_a_major_version) {
    json doc = empty_document();
    EXPECT_EQ(parse(doc).deparsed_by, std::nullopt);
    doc["deparsed_by"] = nullptr;
    EXPECT_EQ(parse(doc).deparsed_by, std::nullopt);
    doc["deparsed_by"] = 15;
    EXPECT_EQ(parse(doc).deparsed_by, 15);
    doc["deparsed_by"] = "15";
    EXPECT_INVALID(doc, "At $.deparsed_by: expected an integer.");
    for (long long bad : {0LL, 9LL, 150020LL, -15LL}) {
        doc["deparsed_by"] = bad;
        EXPECT_INVALID(doc, "At $.deparsed_by: expected a PostgreSQL major version.") << bad;
    }
}

TEST(snapshot, refuses_a_missing_or_mistyped_top_level_list) {
    for (const char* list : {"schemas", "extensions", "enums", "domains", "composite_types",
                             "sequences", "tables", "views", "functions", "event_triggers"}) {
        json doc = empty_document();
        doc.erase(list);
        EXPECT_INVALID(doc, std::string("At $: missing field \"") + list + "\".");
        doc[list] = json::object();
        EXPECT_INVALID(doc, std::string("At $.") + list + ": expected an array.");
        doc[list] = nullptr;
        EXPECT_INVALID(doc, std::string("At $.") + list + ": expected an array.");
        doc[list] = {1};
        EXPECT_INVALID(doc, std::string("At $.") + list + "[0]: expected an object.");
    }
}

TEST(snapshot, names_the_path_of_a_wrong_type_deep_inside) {
    json doc = one_table();
    add_column(doc["tables"][0], "name", "text");
    add_table(doc, "public", "team");
    add_column(doc["tables"][1], "id", "bigint");
    add_column(doc["tables"][1], "label", "text");

    json bad = doc;
    bad["tables"][0]["columns"][0]["type"] = 42;
    EXPECT_INVALID(bad, "At $.tables[0].columns[0].type: expected a string.");
    bad = doc;
    bad["tables"][1]["columns"][1]["type"] = json::array();
    EXPECT_INVALID(bad, "At $.tables[1].columns[1].type: expected a string.");
    bad = doc;
    bad["tables"][1]["columns"][1]["not_null"] = "yes";
    EXPECT_INVALID(bad, "At $.tables[1].columns[1].not_null: expected true or false.");
    bad = doc;
    bad["tables"][1]["columns"][1]["not_null"] = 0;
    EXPECT_INVALID(bad, "At $.tables[1].columns[1].not_null: expected true or false.");
    bad = doc;
    bad["tables"][1]["columns"][0]["default"] = 0;
    EXPECT_INVALID(bad, "At $.tables[1].columns[0].default: expected a string or null.");
    bad = doc;
    bad["tables"][1]["columns"][0].erase("comment");
    EXPECT_INVALID(bad, "At $.tables[1].columns[0]: missing field \"comment\".");
    bad = doc;
    bad["tables"][1]["columns"][1] = "label text";
    EXPECT_INVALID(bad, "At $.tables[1].columns[1]: expected an object.");
    bad = doc;
    bad["tables"][1]["partitioned"] = nullptr;
    EXPECT_INVALID(bad, "At $.tables[1].partitioned: expected true or false.");
    bad = doc;
    bad["tables"][0]["replica_identity"] = nullptr;
    EXPECT_INVALID(bad, "At $.tables[0].replica_identity: expected a string.");
}

TEST(snapshot, refuses_null_where_a_string_is_required) {
    struct field_case {
        std::string detail;
        std::function<void(json&)> spoil;
    };
    std::vector<field_case> cases = {
        {"At $.schemas[0].name: expected a string.",
         [](json& d) { add(d, "schemas", schema_json("x"))["name"] = nullptr; }},
        {"At $.extensions[0].version: expected a string.",
         [](json& d) { add(d, "extensions", extension_json("e", "s", "1"))["version"] = nullptr; }},
        {"At $.tables[0].schema: expected a string.",
         [](json& d) { d["tables"][0]["schema"] = nullptr; }},
        {"At $.tables[0].name: expected a string.",
         [](json& d) { d["tables"][0]["name"] = nullptr; }},
        {"At $.tables[0].columns[0].name: expected a string.",
         [](json& d) { d["tables"][0]["columns"][0]["name"] = nullptr; }},
        {"At $.tables[0].columns[0].type: expected a string.",
         [](json& d) { d["tables"][0]["columns"][0]["type"] = nullptr; }},
        {"At $.tables[0].constraints[0].definition: expected a string.",
         [](json& d) {
             add(d["tables"][0], "constraints",
                 constraint_json("k", "unique", "UNIQUE (id)"))["definition"] = nullptr;
         }},
        {"At $.tables[0].indexes[0].name: expected a string.",
         [](json& d) {
             add(d["tables"][0], "indexes", index_json("i", "CREATE INDEX i ..."))["name"] =
                 nullptr;
         }},
        {"At $.tables[0].triggers[0].enabled: expected a string.",
         [](json& d) {
             add(d["tables"][0], "triggers", trigger_json("t", "CREATE TRIGGER t ..."))["enabled"] =
                 nullptr;
         }},
        {"At $.tables[0].policies[0].command: expected a string.",
         [](json& d) {
             add(d["tables"][0], "policies", policy_json("p", "all"))["command"] = nullptr;
         }},
        {"At $.views[0].definition: expected a string.",
         [](json& d) { add_view(d, "s", "v", "x")["definition"] = nullptr; }},
        {"At $.functions[0].language: expected a string.",
         [](json& d) {
             add(d, "functions", function_json("s", "f", "", "integer", "x"))["language"] = nullptr;
         }},
        {"At $.functions[0].arguments: expected a string.",
         [](json& d) {
             add(d, "functions", function_json("s", "f", "", "integer", "x"))["arguments"] =
                 nullptr;
         }},
        {"At $.sequences[0].type: expected a string.",
         [](json& d) { add(d, "sequences", sequence_json("s", "q"))["type"] = nullptr; }},
        {"At $.enums[0].labels[1]: expected a string.",
         [](json& d) {
             add(d, "enums", enum_json("s", "e", {"a", "b"}))["labels"][1] = nullptr;
         }},
        {"At $.domains[0].type: expected a string.",
         [](json& d) { add(d, "domains", domain_json("s", "d", "int"))["type"] = nullptr; }},
        {"At $.composite_types[0].attributes[0].type: expected a string.",
         [](json& d) {
             add(add(d, "composite_types", composite_json("s", "c")), "attributes",
                 attribute_json("a", "int"))["type"] = nullptr;
         }},
        {"At $.event_triggers[0].function: expected a string.",
         [](json& d) {
             add(d, "event_triggers", event_trigger_json("e", "ddl_command_end", "f"))["function"] =
                 nullptr;
         }},
    };
    for (const auto& c : cases) {
        json doc = one_table();
        c.spoil(doc);
        EXPECT_INVALID(doc, c.detail);
    }
}

TEST(snapshot, names_paths_inside_every_kind_of_object) {
    struct field_case {
        std::string detail;
        std::function<void(json&)> spoil;
    };
    std::vector<field_case> cases = {
        {"At $.tables[0].partition_of: missing field \"bound\".",
         [](json& d) {
             d["tables"][0]["partition_of"] = {{"schema", "public"}, {"table", "m"}};
         }},
        {"At $.tables[0].partition_of: expected an object.",
         [](json& d) { d["tables"][0]["partition_of"] = "public.m"; }},
        {"At $.tables[0].partition_key: expected a string or null.",
         [](json& d) { d["tables"][0]["partition_key"] = 1; }},
        {"At $.tables[0].inherits[0]: missing field \"table\".",
         [](json& d) {
             d["tables"][0]["inherits"] = {{{"schema", "public"}, {"name", "base"}}};
         }},
        {"At $.tables[0].inherits: expected an array.",
         [](json& d) { d["tables"][0]["inherits"] = nullptr; }},
        {"At $.tables[0].policies[0].roles: expected an array.",
         [](json& d) {
             add(d["tables"][0], "policies", policy_json("p", "all"))["roles"] = "public";
         }},
        {"At $.tables[0].policies[0].roles[1]: expected a string.",
         [](json& d) {
             add(d["tables"][0], "policies", policy_json("p", "all"))["roles"] = {"public", 7};
         }},
        {"At $.tables[0].policies[0].permissive: expected true or false.",
         [](json& d) {
             add(d["tables"][0], "policies", policy_json("p", "all"))["permissive"] = "yes";
         }},
        {"At $.tables[0].constraints[0].deferred: expected true or false.",
         [](json& d) {
             add(d["tables"][0], "constraints",
                 constraint_json("k", "unique", "UNIQUE (id)"))["deferred"] = nullptr;
         }},
        {"At $.tables[0].indexes[0].unique: expected true or false.",
         [](json& d) {
             add(d["tables"][0], "indexes", index_json("i", "CREATE INDEX i ..."))["unique"] =
                 "true";
         }},
        {"At $.tables[0].comment: expected a string or null.",
         [](json& d) { d["tables"][0]["comment"] = false; }},
        {"At $.sequences[0].start: expected an integer.",
         [](json& d) { add(d, "sequences", sequence_json("s", "q"))["start"] = "1"; }},
        {"At $.sequences[0].cache: expected an integer.",
         [](json& d) { add(d, "sequences", sequence_json("s", "q"))["cache"] = 1.5; }},
        {"At $.sequences[0].max: expected an integer.",
         [](json& d) { add(d, "sequences", sequence_json("s", "q"))["max"] = nullptr; }},
        {"At $.sequences[0].owned_by: missing field \"column\".",
         [](json& d) {
             add(d, "sequences", sequence_json("s", "q"))["owned_by"] = {{"schema", "s"},
                                                                         {"table", "t"}};
         }},
        {"At $.sequences[0].cycle: expected true or false.",
         [](json& d) { add(d, "sequences", sequence_json("s", "q"))["cycle"] = 0; }},
        {"At $.enums[0].labels: expected an array.",
         [](json& d) { add(d, "enums", enum_json("s", "e", {}))["labels"] = "a,b"; }},
        {"At $.domains[0].constraints[0].valid: expected true or false.",
         [](json& d) {
             add(add(d, "domains", domain_json("s", "d", "int")), "constraints",
                 domain_constraint_json("c", "CHECK (true)"))["valid"] = nullptr;
         }},
        {"At $.domains[0].constraints: expected an array.",
         [](json& d) { add(d, "domains", domain_json("s", "d", "int"))["constraints"] = nullptr; }},
        {"At $.domains[0].not_null: expected true or false.",
         [](json& d) { add(d, "domains", domain_json("s", "d", "int"))["not_null"] = nullptr; }},
        {"At $.composite_types[0].attributes[0].collation: expected a string or null.",
         [](json& d) {
             add(add(d, "composite_types", composite_json("s", "c")), "attributes",
                 attribute_json("a", "text"))["collation"] = 1;
         }},
        {"At $.composite_types[0]: missing field \"attributes\".",
         [](json& d) { add(d, "composite_types", composite_json("s", "c")).erase("attributes"); }},
        {"At $.views[0].depends_on[0]: missing field \"schema\".",
         [](json& d) {
             add_view(d, "s", "v", "x")["depends_on"] = {{{"name", "hero"}}};
         }},
        {"At $.views[0].columns[0].comment: expected a string or null.",
         [](json& d) {
             add_view(d, "s", "v", "x")["columns"] = {{{"name", "c"}, {"comment", 3}}};
         }},
        {"At $.views[0].options[0]: expected a string.",
         [](json& d) {
             add_view(d, "s", "v", "x")["options"] = {{{"k", "v"}}};
         }},
        {"At $.views[0].materialized: expected true or false.",
         [](json& d) { add_view(d, "s", "v", "x")["materialized"] = "no"; }},
        {"At $.views[0].indexes[0].definition: expected a string.",
         [](json& d) {
             add(add_view(d, "s", "v", "x"), "indexes", index_json("i", "x"))["definition"] = 1;
         }},
        {"At $.functions[0].result: expected a string or null.",
         [](json& d) { add(d, "functions", function_json("s", "f", "", 1, "x")); }},
        {"At $.functions[0]: missing field \"result\".",
         [](json& d) {
             add(d, "functions", function_json("s", "f", "", "integer", "x")).erase("result");
         }},
        {"At $.event_triggers[0].tags[0]: expected a string.",
         [](json& d) {
             add(d, "event_triggers",
                 event_trigger_json("e", "ddl_command_end", "f"))["tags"] = {1};
         }},
        {"At $.event_triggers[0].tags: expected an array.",
         [](json& d) {
             add(d, "event_triggers", event_trigger_json("e", "ddl_command_end", "f"))["tags"] =
                 "CREATE TABLE";
         }},
    };
    for (const auto& c : cases) {
        json doc = one_table();
        c.spoil(doc);
        EXPECT_INVALID(doc, c.detail);
    }
}

TEST(snapshot, the_first_problem_in_document_order_is_reported) {
    json doc = one_table();
    add(doc, "schemas", schema_json("s"))["name"] = 1;  // schemas are read before tables
    doc["tables"][0]["name"] = 2;
    EXPECT_INVALID(doc, "At $.schemas[0].name: expected a string.");
    json later = one_table();
    add_table(later, "public", "team")["columns"] = "id";
    later["tables"][0]["columns"][0]["type"] = nullptr;
    EXPECT_INVALID(later, "At $.tables[0].columns[0].type: expected a string.");
}

// BUG (reported): ender_snapshot() writes "columns": null for a view without columns
// (CREATE VIEW v AS SELECT) and "attributes": null for CREATE TYPE t AS (), because jsonb_agg
// of no rows is null; parse_snapshot refuses both, so such a live schema cannot be diffed.
// ender_snapshot() writes [] for a view or composite type without columns (SELECT; or AS ());
// a null list is refused like any other mistyped list.
TEST(snapshot, objects_without_columns_have_empty_lists) {
    json doc = empty_document();
    add_view(doc, "z", "v0", " SELECT;");
    add(doc, "composite_types", composite_json("z", "c0"));
    snapshot s = parse(doc);
    EXPECT_TRUE(s.views[0].column_comments.empty());
    EXPECT_TRUE(s.composite_types[0].attributes.empty());
    doc["views"][0]["columns"] = nullptr;
    EXPECT_INVALID(doc, "At $.views[0].columns: expected an array.");
}

// An integer beyond the range of bigint is refused with its path (it used to wrap around:
// 2^63 was read as -2^63).
TEST(snapshot, refuses_integers_out_of_range) {
    json doc = empty_document();
    add(doc, "sequences", sequence_json("s", "q"));
    std::string text = doc.dump();
    std::string max = "\"max\":9223372036854775807";
    ASSERT_NE(text.find(max), std::string::npos);
    text.replace(text.find(max), max.size(), "\"max\":9223372036854775808");
    EXPECT_ENGINE_ERROR(parse_snapshot(text), invalid, message,
                        {.detail = "At $.sequences[0].max:"});
}

}  // namespace
}  // namespace ender::engine
