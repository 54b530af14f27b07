// Trying changes and reading their effect without keeping them: a body run inside a
// subtransaction that is always rolled back (ender_diff's renames and normalising use it).
#pragma once
#include "pg.hpp"

#include "guard.hpp"

namespace ender::glue {

// Runs `body` in a subtransaction and rolls it back, whether `body` returns or throws (a
// PostgreSQL error caught by pg_guard keeps its data in TopTransactionContext and outlives the
// rollback). Whatever `body` returns is returned.
template <typename F>
auto rolled_back(F&& body) {
    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    auto roll_back = [&] {
        pg_guard([&] {
            RollbackAndReleaseCurrentSubTransaction();
            MemoryContextSwitchTo(caller_context);
            CurrentResourceOwner = caller_owner;
        });
    };
    pg_guard([] { BeginInternalSubTransaction(nullptr); });
    try {
        auto result = body();
        roll_back();
        return result;
    } catch (...) {
        roll_back();
        throw;
    }
}

}  // namespace ender::glue
