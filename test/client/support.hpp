// Helpers for the client tests: a session on the throwaway cluster (PG* variables from
// pg_virtualenv), a clean public schema per test, and an assertion on ender errors that checks
// the exception type, SQLSTATE and message together.
#pragma once

#include <ender/ender.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <typeinfo>

namespace ender::test {

// A fresh public schema (with its original comment, as in a new database) for every test.
class database : public ::testing::Test {
protected:
    void SetUp() override {
        db.execute("SET client_min_messages = warning");
        db.execute(
            "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS app CASCADE; "
            "DROP SCHEMA IF EXISTS \"Odd Schema\" CASCADE; CREATE SCHEMA public; "
            "COMMENT ON SCHEMA public IS 'standard public schema'");
    }
    ender::session db;
};

// The steps ender_diff(target) plans from the live schema, as "step: sql" lines (empty when the
// schema is the target). Needs the ender extension.
inline std::string diff_steps(ender::session& db, const nlohmann::json& target) {
    std::string out;
    for (auto& [step, sql] :
         db.query<std::tuple<int, std::string>>("SELECT step, sql FROM ender_diff($1)", target))
        out += std::to_string(step) + ": " + sql + "\n";
    return out;
}

// Succeeds when `f` throws exactly E (or a subclass) with SQLSTATE `code` and a message
// containing `message`.
template <class E, class F>
::testing::AssertionResult throws(F&& f, std::string_view code, std::string_view message) {
    try {
        f();
    } catch (const ender::error& caught) {
        const E* e = dynamic_cast<const E*>(&caught);
        if (!e)
            return ::testing::AssertionFailure()
                   << "expected " << typeid(E).name() << ", got " << typeid(caught).name() << " "
                   << caught.sqlstate() << ": " << caught.what();
        std::string shown = std::string("\n  sqlstate: ") + e->sqlstate() +
                            "\n  message: " + e->what() + "\n  detail: " + e->detail() +
                            "\n  hint: " + e->hint();
        if (e->sqlstate() != code)
            return ::testing::AssertionFailure() << "expected SQLSTATE " << code << shown;
        if (std::string_view(e->what()).find(message) == std::string_view::npos)
            return ::testing::AssertionFailure()
                   << "expected a message containing \"" << message << "\"" << shown;
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected " << typeid(E).name() << ", nothing thrown";
}

}  // namespace ender::test
