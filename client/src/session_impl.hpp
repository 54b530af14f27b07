// The state behind a session (session::impl): the libpq connection, the prepared-statement
// cache, error translation and the statement hook; shared by the session's sources, private.
#pragma once

#include "ender/session.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ender {

struct session::impl {
    // A result's error field (empty when absent); libpq's text without its trailing newline.
    static std::string field_of(const PGresult* r, int code) {
        const char* v = r ? PQresultErrorField(r, code) : nullptr;
        return v ? std::string(v) : std::string();
    }

    static std::string trimmed(const char* text) {
        std::string s = text ? text : "";
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
        return s;
    }

    std::string conninfo;
    PGconn* conn = nullptr;
    std::unordered_map<std::string, std::string> prepared;  // sql + types -> statement name
    std::unordered_map<std::string, std::vector<result_column>> described;  // by statement name
    std::uint64_t statements = 0;                                           // round trips
    std::uint64_t executed = 0;
    std::function<void(const statement_info&)> hook;
    parameters shown = parameters::redacted;
    std::uint64_t next_statement = 0;
    std::uint64_t next_savepoint = 0;
    std::function<void(std::string_view)> notice;

    ~impl() { close(); }
    void close() {
        if (conn) PQfinish(conn);
        conn = nullptr;
        prepared.clear();
        described.clear();
    }

    void connect() {
        close();
        conn = PQconnectdb(conninfo.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            std::string why = trimmed(PQerrorMessage(conn));
            close();
            throw connection_lost("08001", "could not connect to the server", why,
                                  "Check the connection string, ENDER_DSN or DATABASE_URL, and "
                                  "that the server is running.");
        }
        PQsetNoticeProcessor(
            conn,
            [](void* self, const char* message) {
                auto* d = static_cast<impl*>(self);
                if (d->notice) d->notice(trimmed(message));
            },
            this);
    }

    void require_connection() const {
        if (!conn)
            throw connection_lost("08003", "the session is not connected",
                                  "The connection was lost or could not be made.",
                                  "Call reconnect() to open a new connection.");
    }

    // Throws the error a failed statement carried, or connection_lost when the connection
    // died (the statement may or may not have run; it is not retried).
    [[noreturn]] void fail(PGresult* r, std::string_view sql) {
        std::string sqlstate = field_of(r, PG_DIAG_SQLSTATE);
        std::string message = field_of(r, PG_DIAG_MESSAGE_PRIMARY);
        std::string detail = field_of(r, PG_DIAG_MESSAGE_DETAIL);
        std::string hint = field_of(r, PG_DIAG_MESSAGE_HINT);
        if (r) PQclear(r);
        if (PQstatus(conn) == CONNECTION_BAD) {
            std::string why = trimmed(PQerrorMessage(conn));
            close();
            throw connection_lost(
                sqlstate.empty() || !sqlstate.starts_with("08") ? "08006" : sqlstate,
                "connection to the server was lost", why,
                "The statement may or may not have run; it was not retried. Call reconnect() "
                "and run the transaction again if that is safe.",
                std::string(sql));
        }
        if (sqlstate.empty()) {
            sqlstate = "XX000";
            message = trimmed(PQerrorMessage(conn));
        }
        throw_error(sqlstate, message, detail, hint, std::string(sql));
    }

    // Counts a statement and tells the hook about it.
    void finished(std::string_view sql, std::chrono::steady_clock::time_point start,
                  const PGresult* r, std::uint32_t round_trips,
                  std::span<const detail::param> params) {
        ++executed;
        if (!hook) return;
        statement_info info;
        info.sql = sql;
        info.duration = std::chrono::steady_clock::now() - start;
        info.round_trips = round_trips;
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
            info.rows = static_cast<std::uint64_t>(PQntuples(r));
        } else if (const char* n = r ? PQcmdTuples(const_cast<PGresult*>(r)) : nullptr; n && *n) {
            info.rows = std::stoull(n);
        }
        std::vector<std::string> shown_params;
        shown_params.reserve(params.size());
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto& p = params[i];
            // (Appended piece by piece: GCC 12 at -O2 warns about "$" + std::string.)
            std::string text(1, '$');
            text += std::to_string(i + 1);
            text += " = ";
            if (shown == parameters::redacted)
                text += "<redacted>";
            else if (p.null)
                text += "NULL";
            else if (!p.binary || detail::is_text_like(p.type))
                text += p.bytes;
            else
                text += hex(p.bytes);
            shown_params.push_back(std::move(text));
        }
        info.parameters = shown_params;
        hook(info);
    }
    static std::string hex(std::string_view bytes) {
        static const char digits[] = "0123456789abcdef";
        std::string out = "\\x";
        for (unsigned char c : bytes) {
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
        return out;
    }

    std::string new_statement_name() { return "ender_" + std::to_string(++next_statement); }

    // A statement's parameters as libpq takes them, and its key in the prepared cache (the
    // SQL and the parameter types).
    struct bound {
        std::vector<Oid> types;
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        std::string key;
        bound(std::string_view sql, std::span<const detail::param> params) : key(sql) {
            types.reserve(params.size());
            values.reserve(params.size());
            key.push_back('\0');
            for (const auto& p : params) {
                types.push_back(p.type);
                values.push_back(p.null ? nullptr : p.bytes.data());
                lengths.push_back(static_cast<int>(p.bytes.size()));
                formats.push_back(p.binary ? 1 : 0);
                key += std::to_string(p.type);
                key.push_back(',');
            }
        }
    };

    // Sends what a non-blocking pipeline has buffered, reading the server's results meanwhile
    // so that it never waits on us; false when the connection failed.
    bool flush_pipeline() {
        for (;;) {
            int f = PQflush(conn);
            if (f == 0) return true;
            if (f < 0) return false;
            pollfd p{PQsocket(conn), POLLIN | POLLOUT, 0};
            if (poll(&p, 1, -1) < 0 && errno != EINTR) return false;
            if ((p.revents & POLLIN) && !PQconsumeInput(conn)) return false;
        }
    }

    // The name of the statement prepared for `sql` with b's parameter types; prepares it (one
    // more round trip, counted in `round_trips`) the first time this session sees it.
    const std::string& prepare(std::string_view sql, const bound& b, std::uint32_t& round_trips) {
        auto it = prepared.find(b.key);
        if (it == prepared.end()) {
            ++round_trips;
            std::string name = new_statement_name();
            std::string text(sql);
            ++statements;
            PQclear(check(PQprepare(conn, name.c_str(), text.c_str(),
                                    static_cast<int>(b.types.size()), b.types.data()),
                          sql));
            it = prepared.emplace(b.key, std::move(name)).first;
        }
        return it->second;
    }

    PGresult* check(PGresult* r, std::string_view sql) {
        auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
            return r;
        fail(r, sql);
    }
};

}  // namespace ender
