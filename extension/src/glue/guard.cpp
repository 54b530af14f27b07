// The error boundary between C++ and PostgreSQL (see guard.hpp).
#include "guard.hpp"

#include "../engine/error.hpp"

#include <cstring>
#include <new>
#include <string>

namespace ender::glue {

namespace {

// Where an error raised outside any transaction is kept (the background worker between its
// steps): TopTransactionContext does not exist there. Reset by the next such error.
MemoryContext outside_transaction_errors() {
    static MemoryContext context = nullptr;
    if (!context)
        context = AllocSetContextCreate(TopMemoryContext, "ender errors outside a transaction",
                                        ALLOCSET_SMALL_SIZES);
    else
        MemoryContextReset(context);
    return context;
}

}  // namespace

void throw_pg_error(MemoryContext error_context) {
    // Copy the error where it outlives the SPI and per-call contexts, then clear the error
    // state. Nothing else runs before the entry point rethrows it, and the transaction (or
    // subtransaction) then aborts as it would have without us.
    MemoryContextSwitchTo(TopTransactionContext && IsTransactionState()
                              ? TopTransactionContext
                              : outside_transaction_errors());
    ErrorData* data = CopyErrorData();
    FlushErrorState();
    MemoryContextSwitchTo(error_context);
    throw pg_error(data);
}

namespace {

// Copies a C++ string into palloc'd memory without ever raising (NULL when out of memory).
char* copy_out(const std::string& s) {
    auto* p = static_cast<char*>(
        MemoryContextAllocExtended(CurrentMemoryContext, s.size() + 1, MCXT_ALLOC_NO_OOM));
    if (p) std::memcpy(p, s.c_str(), s.size() + 1);
    return p;
}

struct failure {
    ErrorData* pg = nullptr;  // a PostgreSQL error to rethrow as it was
    int sqlstate = 0;
    char* message = nullptr;
    char* detail = nullptr;
    char* hint = nullptr;
};

}  // namespace

Datum call_guarded(FunctionCallInfo fcinfo, Datum (*body)(FunctionCallInfo)) {
    failure f;
    try {
        return body(fcinfo);
    } catch (const pg_error& e) {
        f.pg = e.data();
    } catch (const engine::error& e) {
        const char* s = e.sqlstate();
        f.sqlstate = MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
        f.message = copy_out(e.what());
        f.detail = e.detail().empty() ? nullptr : copy_out(e.detail());
        f.hint = e.hint().empty() ? nullptr : copy_out(e.hint());
    } catch (const std::bad_alloc&) {
        f.sqlstate = ERRCODE_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        f.sqlstate = ERRCODE_INTERNAL_ERROR;
        f.message = copy_out(std::string("unexpected C++ exception: ") + e.what());
    } catch (...) {
        f.sqlstate = ERRCODE_INTERNAL_ERROR;
    }
    // Outside every catch block: no C++ object is alive below this frame any more.
    if (f.pg) ReThrowError(f.pg);
    if (f.sqlstate == ERRCODE_OUT_OF_MEMORY && !f.message)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
    ereport(ERROR, (errcode(f.sqlstate),
                    errmsg_internal("%s", f.message ? f.message : "unexpected C++ exception"),
                    f.detail ? errdetail_internal("%s", f.detail) : 0,
                    f.hint ? errhint("%s", f.hint) : 0));
    pg_unreachable();
}

}  // namespace ender::glue
