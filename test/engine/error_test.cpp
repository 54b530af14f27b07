// Tests of engine::error, the engine's one exception type, and of the test helper built on it.
#include "engine/error.hpp"

#include "error_matchers.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace ender::engine {
namespace {

TEST(error, carries_sqlstate_message_detail_and_hint) {
    error e(sqlstate::syntax_error, "bad thing", "It was bad.", "Do better.");
    EXPECT_STREQ(e.sqlstate(), "42601");
    EXPECT_STREQ(e.what(), "bad thing");
    EXPECT_EQ(e.detail(), "It was bad.");
    EXPECT_EQ(e.hint(), "Do better.");
}

TEST(error, detail_and_hint_default_to_empty) {
    error e(sqlstate::internal_error, "oops");
    EXPECT_STREQ(e.sqlstate(), "XX000");
    EXPECT_EQ(e.detail(), "");
    EXPECT_EQ(e.hint(), "");
}

TEST(error, is_a_runtime_error) {
    try {
        throw error(sqlstate::undefined_object, "missing");
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "missing");
        return;
    }
    FAIL() << "engine::error was not caught as std::runtime_error";
}

TEST(error, copies_keep_every_field) {
    error original(sqlstate::duplicate_object, "twice", "detail", "hint");
    error copy = original;
    EXPECT_STREQ(copy.sqlstate(), "42710");
    EXPECT_STREQ(copy.what(), "twice");
    EXPECT_EQ(copy.detail(), "detail");
    EXPECT_EQ(copy.hint(), "hint");
}

TEST(error, sqlstate_codes_are_postgresql_codes) {
    EXPECT_STREQ(sqlstate::invalid_parameter_value, "22023");
    EXPECT_STREQ(sqlstate::syntax_error, "42601");
    EXPECT_STREQ(sqlstate::undefined_object, "42704");
    EXPECT_STREQ(sqlstate::duplicate_object, "42710");
    EXPECT_STREQ(sqlstate::invalid_object_definition, "42P17");
    EXPECT_STREQ(sqlstate::object_not_in_prerequisite_state, "55000");
    EXPECT_STREQ(sqlstate::feature_not_supported, "0A000");
    EXPECT_STREQ(sqlstate::internal_error, "XX000");
}

TEST(error_matchers, accept_a_matching_error) {
    auto thrower = [] {
        throw error(sqlstate::syntax_error, "unexpected text", "At line 3.", "Fix it.");
    };
    EXPECT_TRUE(matchers::throws_error(thrower, "42601", "unexpected"));
    EXPECT_TRUE(
        matchers::throws_error(thrower, "42601", "text", {.detail = "line 3", .hint = "Fix"}));
    EXPECT_ENGINE_ERROR(thrower(), sqlstate::syntax_error, "unexpected text",
                        {.detail = "At line"});
}

TEST(error_matchers, reject_every_mismatch) {
    auto thrower = [] {
        throw error(sqlstate::syntax_error, "unexpected text", "At line 3.", "Fix it.");
    };
    EXPECT_FALSE(matchers::throws_error(thrower, "22023", "unexpected"));
    EXPECT_FALSE(matchers::throws_error(thrower, "42601", "expected nothing"));
    EXPECT_FALSE(matchers::throws_error(thrower, "42601", "unexpected", {.detail = "line 4"}));
    EXPECT_FALSE(matchers::throws_error(thrower, "42601", "unexpected", {.hint = "Ignore"}));
    EXPECT_FALSE(matchers::throws_error([] {}, "42601", "unexpected"));
    EXPECT_FALSE(matchers::throws_error([] { throw std::logic_error("other"); }, "42601", "other"));
}

TEST(error_matchers, error_of_returns_the_error_or_nothing) {
    auto e = matchers::error_of([] { throw error(sqlstate::internal_error, "boom"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_STREQ(e->what(), "boom");
    EXPECT_FALSE(matchers::error_of([] {}).has_value());
}

}  // namespace
}  // namespace ender::engine
