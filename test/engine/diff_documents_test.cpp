// Tests of engine/diff.hpp without a server. Whole documents: a realistic schema from nothing and
// back, and the reverses of each step.
#include "engine/diff.hpp"

#include "diff_helpers.hpp"
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

// ---------------------------------------------------------------------------------------
// Whole documents: order and reverses

TEST(diff_documents, realistic_document_from_nothing_in_dependency_order) {
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

TEST(diff_documents, realistic_document_to_nothing_drops_dependents_first) {
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

TEST(diff_documents, reverse_of_a_create_is_the_matching_drop_and_vice_versa) {
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

}  // namespace
}  // namespace ender::engine
