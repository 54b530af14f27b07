// Errors raised by libender: one root, ender::error, carrying what the server said (SQLSTATE,
// message, detail, hint) and the statement; a shallow set of subclasses picked from the SQLSTATE.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ender {

// The root of every error libender throws. what() is the primary message.
class error : public std::runtime_error {
public:
    error(std::string sqlstate, const std::string& message, std::string detail = {},
          std::string hint = {}, std::string statement = {});

    // The five-character SQLSTATE ("23505"); libender's own errors use the standard codes too.
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    std::string message() const { return what(); }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }
    // The statement that failed (empty when the error did not come from a statement).
    const std::string& statement() const noexcept { return statement_; }

private:
    std::string sqlstate_;
    std::string detail_;
    std::string hint_;
    std::string statement_;
};

// Class 23: a constraint refused the change.
class integrity_violation : public error {
public:
    using error::error;
};
class not_null_violation : public integrity_violation {
public:
    using integrity_violation::integrity_violation;
};
class foreign_key_violation : public integrity_violation {
public:
    using integrity_violation::integrity_violation;
};
class unique_violation : public integrity_violation {
public:
    using integrity_violation::integrity_violation;
};
class check_violation : public integrity_violation {
public:
    using integrity_violation::integrity_violation;
};

// A validation hook of a model refused a value before it was sent (SQLSTATE 23514).
class validation_error : public check_violation {
public:
    validation_error(std::string table, std::string field, const std::string& reason);
    // A cross-field validator refused the values of several columns together.
    validation_error(std::string table, const std::vector<std::string>& fields,
                     const std::string& reason);
    const std::string& table() const noexcept { return table_; }
    // The column whose value failed validation ("a, b" for several).
    const std::string& field() const noexcept { return field_; }

private:
    std::string table_;
    std::string field_;
};

// Class 40: the transaction was rolled back; retrying the whole transaction may succeed.
class transaction_rollback : public error {
public:
    using error::error;
};
class serialization_failure : public transaction_rollback {
public:
    using transaction_rollback::transaction_rollback;
};
class deadlock_detected : public transaction_rollback {
public:
    using transaction_rollback::transaction_rollback;
};

// Class 08 or a dropped connection: whether the last statement ran is unknown; it is never
// retried behind the caller's back.
class connection_lost : public error {
public:
    using error::error;
};

// Class 42: the statement is wrong (syntax, unknown table or column, privileges).
class statement_error : public error {
public:
    using error::error;
};

// Class 22: a value could not be converted, on the server or while reading a result.
class data_error : public error {
public:
    using error::error;
};

// Class 25, 55 and libender's own misuse checks: the call is not valid in this state.
class usage_error : public error {
public:
    using error::error;
};

// Throws the subclass of ender::error that matches `sqlstate` (the one place that maps them).
[[noreturn]] void throw_error(const std::string& sqlstate, const std::string& message,
                              std::string detail = {}, std::string hint = {},
                              std::string statement = {});

// The value of a call that did not throw, or the ender::error it threw (its exact subclass
// kept): the non-throwing variant, `auto r = ender::attempt([&] { return db.insert(h); });`.
template <class T>
class outcome {
public:
    explicit outcome(T value) : value_(std::move(value)) {}
    explicit outcome(std::exception_ptr e) : error_(std::move(e)) {}

    explicit operator bool() const noexcept { return value_.has_value(); }
    bool has_value() const noexcept { return value_.has_value(); }
    T& value() {
        if (!value_) std::rethrow_exception(error_);
        return *value_;
    }
    T& operator*() { return value(); }
    T* operator->() { return &value(); }
    // The error (only when !has_value()); it lives as long as this outcome.
    const ender::error& error() const {
        try {
            std::rethrow_exception(error_);
        } catch (const ender::error& e) {
            return e;  // the exception object is kept alive by error_
        }
        std::terminate();  // attempt() stores only ender::error
    }
    // Whether the call failed with an error of class E or one derived from it:
    // r.is<ender::unique_violation>(), r.is<ender::integrity_violation>(); false when it did not
    // fail.
    template <class E>
    bool is() const {
        static_assert(std::is_base_of_v<ender::error, E>,
                      "ender::outcome::is<E>: E must be ender::error or a class derived from it");
        return !has_value() && dynamic_cast<const E*>(&error()) != nullptr;
    }
    // Rethrows the error as its own subclass (only when !has_value()).
    [[noreturn]] void rethrow() const { std::rethrow_exception(error_); }

private:
    std::optional<T> value_;
    std::exception_ptr error_;
};

struct done {};

// Runs `f`; an ender::error becomes the outcome's error, anything else propagates.
template <class F>
auto attempt(F&& f) {
    using R = std::invoke_result_t<F&>;
    using V = std::conditional_t<std::is_void_v<R>, done, R>;
    try {
        if constexpr (std::is_void_v<R>) {
            std::forward<F>(f)();
            return outcome<V>(done{});
        } else {
            return outcome<V>(std::forward<F>(f)());
        }
    } catch (const ender::error&) {
        return outcome<V>(std::current_exception());
    }
}

}  // namespace ender
