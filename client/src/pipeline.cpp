// Many statements in one round trip (session::run_pipeline, libpq's pipeline mode) and COPY FROM
// STDIN (session::copy_in).
#include "ender/session.hpp"

#include "session_impl.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <unordered_map>

namespace ender {

std::vector<result> session::run_pipeline(std::span<const pipelined> statements) {
    std::vector<result> out;
    out.reserve(statements.size());
    run_pipeline(statements, [&](std::size_t, const result& r) { out.push_back(r); });
    return out;
}

void session::run_pipeline(std::span<const pipelined> statements,
                           const std::function<void(std::size_t, const result&)>& each) {
    if (statements.size() <= 1) {
        for (std::size_t i = 0; i < statements.size(); ++i)
            each(i, run(statements[i].sql, statements[i].params));
        return;
    }
    auto& d = *impl_;
    d.require_connection();
    auto start = std::chrono::steady_clock::now();
    // Each statement: its prepared name, and whether this pipeline prepares it (once).
    std::vector<std::pair<std::string, bool>> names;
    std::unordered_map<std::string, std::string> preparing;
    if (!PQenterPipelineMode(d.conn)) d.fail(nullptr, statements[0].sql);
    // Non-blocking while sending: the server's results are read as they come, so that neither
    // side waits on a full socket buffer while the other waits on it.
    PQsetnonblocking(d.conn, 1);
    bool sent = true;
    for (const auto& s : statements) {
        impl::bound b(s.sql, s.params);
        auto it = d.prepared.find(b.key);
        bool prepare = false;
        std::string name;
        if (it != d.prepared.end()) {
            name = it->second;
        } else if (auto p = preparing.find(b.key); p != preparing.end()) {
            name = p->second;
        } else {
            name = d.new_statement_name();
            preparing.emplace(b.key, name);
            prepare = true;
            sent = PQsendPrepare(d.conn, name.c_str(), s.sql.c_str(),
                                 static_cast<int>(b.types.size()), b.types.data()) == 1;
        }
        sent = sent &&
               PQsendQueryPrepared(d.conn, name.c_str(), static_cast<int>(b.values.size()),
                                   b.values.data(), b.lengths.data(), b.formats.data(), 1) == 1;
        sent = sent && d.flush_pipeline();
        if (!sent) break;
        names.emplace_back(std::move(name), prepare);
    }
    sent = sent && PQpipelineSync(d.conn) == 1 && d.flush_pipeline();
    PQsetnonblocking(d.conn, 0);
    ++d.statements;
    if (!sent) {
        // The pipeline is half sent: the connection's state is unknown, so it is closed.
        std::string why = impl::trimmed(PQerrorMessage(d.conn));
        d.close();
        throw connection_lost("08006", "could not send a pipeline to the server", why,
                              "Some of its statements may have run; none is retried. Call "
                              "reconnect() and run the work again if that is safe.",
                              statements[std::min(names.size(), statements.size() - 1)].sql);
    }
    // Every result up to the sync, even after an error; the first error is thrown after.
    PGresult* error = nullptr;
    std::exception_ptr thrown;  // by `each`, which is not called again
    std::size_t failed = 0;
    auto take = [&](std::size_t i) {
        PGresult* r = PQgetResult(d.conn);
        if (!r) {  // the connection failed: fail() tells
            if (!error) {
                error = PQmakeEmptyPGresult(d.conn, PGRES_FATAL_ERROR);
                failed = i;
            }
            return r;
        }
        while (PGresult* more = PQgetResult(d.conn)) PQclear(more);
        auto status = PQresultStatus(r);
        if (status == PGRES_FATAL_ERROR && !error) {
            error = r;
            failed = i;
            return static_cast<PGresult*>(nullptr);
        }
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
        PQclear(r);  // aborted by the error before it
        return static_cast<PGresult*>(nullptr);
    };
    for (std::size_t i = 0; i < names.size() && d.conn; ++i) {
        auto& [name, prepare] = names[i];
        if (prepare) {
            if (PGresult* r = take(i)) {
                PQclear(r);
                d.prepared.emplace(impl::bound(statements[i].sql, statements[i].params).key, name);
            }
        }
        if (PGresult* r = take(i)) {
            d.finished(statements[i].sql, start, r, i == 0 ? 1 : 0, statements[i].params);
            result res(std::shared_ptr<pg_result>(r, PQclear));
            if (error || thrown) continue;
            try {
                each(i, res);
            } catch (...) {
                thrown = std::current_exception();
            }
        }
    }
    if (PGresult* sync = PQgetResult(d.conn)) PQclear(sync);  // PGRES_PIPELINE_SYNC
    PQexitPipelineMode(d.conn);
    if (thrown) {  // before any error of the server's: `each` is not called after one
        if (error) PQclear(error);
        std::rethrow_exception(thrown);
    }
    if (error) d.fail(error, statements[failed].sql);
}

void session::copy_in(std::string_view sql, const std::function<bool(std::string&)>& next) {
    auto& d = *impl_;
    d.require_connection();
    ++d.statements;
    auto start = std::chrono::steady_clock::now();
    std::string text(sql);
    PGresult* r = PQexec(d.conn, text.c_str());
    if (PQresultStatus(r) != PGRES_COPY_IN) d.check(r, sql);  // throws: not a COPY FROM STDIN
    PQclear(r);
    // The end of the stream, normal or aborted with `why`; then the statement's result.
    auto finish = [&](const char* why) {
        PQputCopyEnd(d.conn, why);
        PGresult* last = PQgetResult(d.conn);
        while (PGresult* more = PQgetResult(d.conn)) PQclear(more);
        return last;
    };
    std::string chunk;
    try {
        for (;;) {
            chunk.clear();
            if (!next(chunk)) break;
            if (chunk.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
                throw_error("54000",
                            "COPY data of " + std::to_string(chunk.size()) +
                                " bytes is too large for one message",
                            "libpq sends at most 2 GiB - 1 byte of COPY data at a time.",
                            "Return it in smaller pieces from the callback.", std::string(sql));
            if (PQputCopyData(d.conn, chunk.data(), static_cast<int>(chunk.size())) != 1)
                d.fail(finish("sending the data failed"), sql);
        }
    } catch (...) {
        PQclear(finish("the client stopped the copy"));
        throw;
    }
    PGresult* done = d.check(finish(nullptr), sql);
    d.finished(sql, start, done, 1, {});
    PQclear(done);
}

}  // namespace ender
