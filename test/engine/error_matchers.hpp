// Test helpers for engine errors: assert that a call throws ender::engine::error with a given
// SQLSTATE and message (and, optionally, detail and hint), all checked in one place.
#pragma once

#include "engine/error.hpp"

#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ender::engine::matchers {

// Substrings the detail and hint must contain; an empty one is not checked.
struct error_text {
    std::string_view detail{};
    std::string_view hint{};
};

// Runs `f` and returns the engine::error it throws, or nullopt if it returns normally.
// Any other exception propagates (and fails the test with its own message).
template <class F>
std::optional<error> error_of(F&& f) {
    try {
        std::forward<F>(f)();
    } catch (const error& e) {
        return e;
    }
    return std::nullopt;
}

// Succeeds when `f` throws engine::error with SQLSTATE `code` and a message containing
// `message` (and a detail and hint containing the given substrings); the failure message
// shows everything the error carried.
template <class F>
::testing::AssertionResult throws_error(F&& f, std::string_view code, std::string_view message,
                                        error_text more = {}) {
    std::optional<error> e;
    try {
        e = error_of(std::forward<F>(f));
    } catch (const std::exception& other) {
        return ::testing::AssertionFailure()
               << "expected engine::error " << code << ", got another exception: " << other.what();
    }
    if (!e)
        return ::testing::AssertionFailure()
               << "expected engine::error " << code << " \"" << message << "\", nothing was thrown";
    auto shown = [&] {
        return std::string("\n  sqlstate: ") + e->sqlstate() + "\n  message:  " + e->what() +
               "\n  detail:   " + e->detail() + "\n  hint:     " + e->hint();
    };
    if (code != e->sqlstate())
        return ::testing::AssertionFailure() << "expected SQLSTATE " << code << shown();
    if (std::string_view(e->what()).find(message) == std::string_view::npos)
        return ::testing::AssertionFailure()
               << "expected a message containing \"" << message << "\"" << shown();
    if (!more.detail.empty() && e->detail().find(more.detail) == std::string::npos)
        return ::testing::AssertionFailure()
               << "expected a detail containing \"" << more.detail << "\"" << shown();
    if (!more.hint.empty() && e->hint().find(more.hint) == std::string::npos)
        return ::testing::AssertionFailure()
               << "expected a hint containing \"" << more.hint << "\"" << shown();
    return ::testing::AssertionSuccess();
}

}  // namespace ender::engine::matchers

// EXPECT_ENGINE_ERROR(statement, sqlstate, message [, {.detail = ..., .hint = ...}]):
// `statement` runs inside a lambda capturing by reference; wrap it in parentheses if it has
// a comma outside parentheses.
#define EXPECT_ENGINE_ERROR(statement, ...) \
    EXPECT_TRUE(::ender::engine::matchers::throws_error([&] { (void)(statement); }, __VA_ARGS__))
#define ASSERT_ENGINE_ERROR(statement, ...) \
    ASSERT_TRUE(::ender::engine::matchers::throws_error([&] { (void)(statement); }, __VA_ARGS__))
