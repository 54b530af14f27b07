// The C++/PostgreSQL error boundary. ENDER_FUNCTION declares every SQL-callable function: the
// body runs inside `try`; any error is copied out, the catch block is left, and only then is
// the PostgreSQL error raised, so no C++ object is alive when longjmp runs. pg_guard is the
// other direction: a PostgreSQL call that may ereport runs inside PG_TRY, and its error comes
// back as a pg_error exception that keeps the SQLSTATE, detail, hint and context.
#pragma once
#include "pg.hpp"

#include <exception>
#include <utility>

namespace ender::glue {

// A PostgreSQL error caught by pg_guard; rethrown unchanged at the entry point.
class pg_error : public std::exception {
public:
    explicit pg_error(ErrorData* data) noexcept : data_(data) {}
    ErrorData* data() const noexcept { return data_; }
    const char* what() const noexcept override { return data_->message ? data_->message : "error"; }

private:
    // palloc'd in TopTransactionContext (lives until the transaction ends), or outside a
    // transaction in a context of its own (lives until the next error raised outside one)
    ErrorData* data_;
};

[[noreturn]] void throw_pg_error(MemoryContext error_context);

// Runs `f`, which calls PostgreSQL and keeps no C++ object with a destructor alive across
// those calls. A PostgreSQL error becomes pg_error; a C++ exception passes through.
template <typename F>
void pg_guard(F&& f) {
    MemoryContext caller_context = CurrentMemoryContext;
    std::exception_ptr cpp_exception;
    volatile bool pg_failed = false;
    PG_TRY();
    {
        try {
            f();
        } catch (...) {
            cpp_exception = std::current_exception();
        }
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller_context);
        pg_failed = true;
    }
    PG_END_TRY();
    if (pg_failed) throw_pg_error(caller_context);
    if (cpp_exception) std::rethrow_exception(cpp_exception);
}

// Runs a function body under the boundary (see ENDER_FUNCTION).
Datum call_guarded(FunctionCallInfo fcinfo, Datum (*body)(FunctionCallInfo));

}  // namespace ender::glue

// Declares an SQL-callable function `name` whose C++ body follows the macro.
#define ENDER_FUNCTION(name)                                   \
    static Datum name##_body(FunctionCallInfo fcinfo);         \
    extern "C" {                                               \
    PG_FUNCTION_INFO_V1(name);                                 \
    }                                                          \
    extern "C" Datum name(PG_FUNCTION_ARGS) {                  \
        return ender::glue::call_guarded(fcinfo, name##_body); \
    }                                                          \
    static Datum name##_body(FunctionCallInfo fcinfo)
