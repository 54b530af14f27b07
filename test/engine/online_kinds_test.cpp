// Tests of engine/online_kinds.hpp: the one table of online operation kinds, what reads it (the
// parser's errors and hints, the renderer), and docs/zero-downtime.md against it.
#include "engine/online_kinds.hpp"

#include "engine/online.hpp"
#include "error_matchers.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace ender::engine {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(online_kinds, every_kind_has_a_unique_name_its_forms_a_description_and_phases) {
    std::set<std::string_view> names;
    std::set<online_kind_id> ids;
    for (const auto& kind : online_kinds()) {
        EXPECT_TRUE(names.insert(kind.name).second) << kind.name;
        EXPECT_TRUE(ids.insert(kind.id).second) << kind.name;
        EXPECT_EQ(find_online_kind(kind.name), &kind);
        EXPECT_FALSE(kind.forms.empty()) << kind.name;
        for (auto form : kind.forms)
            EXPECT_EQ(form.substr(0, kind.name.size() + 1), std::string(kind.name) + " ");
        EXPECT_FALSE(kind.description.empty()) << kind.name;
        EXPECT_FALSE(kind.phases.empty()) << kind.name;
        for (const auto& phase : kind.phases) {
            EXPECT_TRUE(phase.name == "expand" || phase.name == "backfill" ||
                        phase.name == "validate" || phase.name == "complete")
                << kind.name << ": " << phase.name;
            EXPECT_FALSE(phase.work.empty()) << kind.name << ": " << phase.name;
            EXPECT_NE(phase.work.back(), '.') << kind.name << ": " << phase.name;
        }
    }
    EXPECT_EQ(names.size(), 9u);
    EXPECT_EQ(find_online_kind("drop_table"), nullptr);
    EXPECT_EQ(find_online_kind("ALTER_COLUMN"), nullptr);  // the parser folds case first
}

TEST(online_kinds, an_unknown_kind_is_refused_naming_every_kind) {
    EXPECT_ENGINE_ERROR(
        parse_online_operation("drop_table t"), "0A000",
        "online operation \"drop_table\" is not supported",
        {.detail = "ender runs these operations online: alter_column, rename_column, "
                   "add_column, set_not_null, add_unique, add_primary_key, add_constraint, "
                   "create_index, drop_index."});
    EXPECT_EQ(online_kind_names(),
              "alter_column, rename_column, add_column, set_not_null, add_unique, "
              "add_primary_key, add_constraint, create_index, drop_index");
}

TEST(online_kinds, a_malformed_line_hints_at_the_form_of_its_kind) {
    for (const auto& kind : online_kinds()) {
        auto e =
            matchers::error_of([&] { parse_online_operation(std::string(kind.name) + " t ("); });
        ASSERT_TRUE(e) << kind.name;
        EXPECT_STREQ(e->sqlstate(), "42601");
        EXPECT_EQ(e->hint(), "The form is: -- ender:online " + online_forms_text(kind));
    }
    const online_kind* constraint = find_online_kind("add_constraint");
    EXPECT_EQ(online_forms_text(*constraint),
              "add_constraint [schema.]table constraint_name CHECK (expression), or "
              "add_constraint [schema.]table constraint_name FOREIGN KEY (columns) REFERENCES "
              "[schema.]table (columns) [ON DELETE action] [ON UPDATE action]");
}

TEST(online_kinds, a_line_without_a_kind_hints_at_every_kind) {
    auto e = matchers::error_of([] { parse_online_operation("\"unterminated"); });
    ASSERT_TRUE(e);
    EXPECT_STREQ(e->sqlstate(), "42601");
    EXPECT_EQ(e->hint(), "The operations are: " + online_kind_names() + ".");
}

TEST(online_kinds, the_renderer_knows_every_kind) {
    online_table t{"public",
                   "account",
                   {{"id", "bigint", true, std::nullopt},
                    {"a", "integer", false, std::nullopt},
                    {"b", "integer", false, std::nullopt}},
                   {"id"}};
    online_table without_key = t;
    without_key.key.clear();
    const std::map<online_kind_id, std::string> lines = {
        {online_kind_id::alter_column, "alter_column account a TYPE bigint USING (a) DOWN (a)"},
        {online_kind_id::rename_column, "rename_column account a TO c"},
        {online_kind_id::add_column, "add_column account c integer NOT NULL BACKFILL (0)"},
        {online_kind_id::set_not_null, "set_not_null account a"},
        {online_kind_id::add_unique, "add_unique account u (a)"},
        {online_kind_id::add_primary_key, "add_primary_key account k (a, b)"},
        {online_kind_id::add_constraint, "add_constraint account c CHECK (a > 0)"},
        {online_kind_id::create_index, "create_index account_a ON account (a)"},
        {online_kind_id::drop_index, "drop_index account_b"},
    };
    ASSERT_EQ(lines.size(), online_kinds().size());
    for (const auto& [id, line] : lines) {
        online_operation op = parse_online_operation(line);
        EXPECT_EQ(online_kind_of(op.kind).id, id) << line;
        online_phase_sql plan =
            render_phase_sql("r1", op, id == online_kind_id::add_primary_key ? without_key : t);
        EXPECT_FALSE(plan.expand.empty() && plan.contract.empty() && plan.validate.empty() &&
                     plan.build_index.empty())
            << line;
    }
    EXPECT_ENGINE_ERROR(online_kind_of("drop_table"), "XX000",
                        "unknown online operation \"drop_table\"");
}

// The kinds a syntax block of a documentation file lists: lines that start with a kind's name
// (after "-- ender:online", in docs/migration-files.md) and go on with its table.
std::set<std::string> kinds_in_syntax_block(const std::string& docs) {
    std::set<std::string> kinds;
    const std::regex form_line(
        R"(^(?:-- ender:online )?([a-z_]+) +(?:index_name ON )?\[schema\.\](?:table|index_name))");
    std::istringstream lines(docs);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_search(line, m, form_line)) kinds.insert(m[1]);
    }
    return kinds;
}

// docs/zero-downtime.md names every kind the engine runs, in backquotes; it and
// docs/migration-files.md list each kind's form in their syntax blocks, and no kind the engine
// does not know.
TEST(online_kinds, the_documentation_lists_every_kind) {
    const std::string zero_downtime = read_file(std::string(ENDER_DOCS_DIR) + "/zero-downtime.md");
    for (const auto& kind : online_kinds())
        EXPECT_NE(zero_downtime.find("`" + std::string(kind.name) + "`"), std::string::npos)
            << kind.name << " is not named in zero-downtime.md";
    for (const char* file : {"/zero-downtime.md", "/migration-files.md"}) {
        const std::set<std::string> listed =
            kinds_in_syntax_block(read_file(std::string(ENDER_DOCS_DIR) + file));
        for (const auto& kind : online_kinds())
            EXPECT_TRUE(listed.count(std::string(kind.name)))
                << kind.name << " is not in the syntax block of " << file;
        for (const auto& name : listed)
            EXPECT_NE(find_online_kind(name), nullptr)
                << name << " is in " << file << " but unknown";
    }
}

}  // namespace
}  // namespace ender::engine
