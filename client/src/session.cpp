// The session: libpq connection, prepared-statement cache, error translation, transactions.
#include "ender/session.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <unordered_map>

namespace ender {

namespace {

std::string field_of(const PGresult* r, int code) {
    const char* v = r ? PQresultErrorField(r, code) : nullptr;
    return v ? std::string(v) : std::string();
}

std::string trimmed(const char* text) {
    std::string s = text ? text : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string conninfo_from_environment() {
    for (const char* name : {"ENDER_DSN", "DATABASE_URL"})
        if (const char* v = std::getenv(name); v && *v) return v;
    return "";
}

}  // namespace

struct session::impl {
    std::string conninfo;
    PGconn* conn = nullptr;
    std::unordered_map<std::string, std::string> prepared;  // sql + types -> statement name
    std::uint64_t statements = 0;                           // round trips
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

    PGresult* check(PGresult* r, std::string_view sql) {
        auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
            return r;
        fail(r, sql);
    }
};

// ---- result

namespace {
const PGresult* raw(const std::shared_ptr<pg_result>& r) {
    return r.get();
}
}  // namespace

std::size_t result::size() const noexcept {
    return static_cast<std::size_t>(PQntuples(raw(r_)));
}
std::size_t result::columns() const noexcept {
    return static_cast<std::size_t>(PQnfields(raw(r_)));
}
std::string result::column_name(std::size_t column) const {
    const char* n = PQfname(raw(r_), static_cast<int>(column));
    return n ? n : "";
}
std::optional<std::size_t> result::find_column(std::string_view name) const {
    for (std::size_t i = 0; i < columns(); ++i)
        if (name == PQfname(raw(r_), static_cast<int>(i))) return i;
    return std::nullopt;
}
oid result::column_type(std::size_t column) const noexcept {
    return PQftype(raw(r_), static_cast<int>(column));
}
bool result::is_null(std::size_t row, std::size_t column) const noexcept {
    return PQgetisnull(raw(r_), static_cast<int>(row), static_cast<int>(column)) != 0;
}
std::string_view result::field(std::size_t row, std::size_t column) const noexcept {
    auto* r = raw(r_);
    int ri = static_cast<int>(row), ci = static_cast<int>(column);
    return {PQgetvalue(r, ri, ci), static_cast<std::size_t>(PQgetlength(r, ri, ci))};
}
std::uint64_t result::affected_rows() const {
    const char* n = PQcmdTuples(const_cast<PGresult*>(raw(r_)));
    return n && *n ? std::stoull(n) : 0;
}
void result::check_position(std::size_t row, std::size_t column) const {
    if (row >= size() || column >= columns())
        throw usage_error("22023",
                          "row " + std::to_string(row) + ", column " + std::to_string(column) +
                              " is outside the result",
                          "The result has " + std::to_string(size()) + " rows and " +
                              std::to_string(columns()) + " columns.");
}
void result::check_width(std::size_t wanted) const {
    if (wanted != columns())
        throw usage_error("42601",
                          "the statement returns " + std::to_string(columns()) +
                              " columns, the row type has " + std::to_string(wanted),
                          "A tuple row type needs one element per result column, in order.");
}
void result::null_into_non_optional(std::size_t column) const {
    throw data_error("22004",
                     "column \"" + column_name(column) +
                         "\" is null and cannot be read into a "
                         "non-optional type",
                     "", "Read the column into std::optional<T>.");
}

// ---- session

session::session() : session(conninfo_from_environment()) {}

session::session(const std::string& conninfo) : impl_(std::make_unique<impl>()) {
    impl_->conninfo = conninfo;
    impl_->connect();
}

session::session(session&&) noexcept = default;
session& session::operator=(session&&) noexcept = default;
session::~session() = default;

void session::execute(std::string_view sql) {
    impl_->require_connection();
    ++impl_->statements;
    std::string text(sql);
    auto start = std::chrono::steady_clock::now();
    PGresult* r = impl_->check(PQexec(impl_->conn, text.c_str()), sql);
    impl_->finished(sql, start, r, 1, {});
    PQclear(r);
}

result session::run(std::string_view sql, std::span<const detail::param> params) {
    auto& d = *impl_;
    d.require_connection();
    impl::bound b(sql, params);
    auto start = std::chrono::steady_clock::now();
    std::uint32_t round_trips = 1;
    auto it = d.prepared.find(b.key);
    if (it == d.prepared.end()) {
        ++round_trips;
        std::string name = d.new_statement_name();
        std::string text(sql);
        ++d.statements;
        PQclear(d.check(PQprepare(d.conn, name.c_str(), text.c_str(),
                                  static_cast<int>(b.types.size()), b.types.data()),
                        sql));
        it = d.prepared.emplace(std::move(b.key), std::move(name)).first;
    }
    ++d.statements;
    PGresult* r = PQexecPrepared(d.conn, it->second.c_str(), static_cast<int>(b.values.size()),
                                 b.values.data(), b.lengths.data(), b.formats.data(), 1);
    d.check(r, sql);
    d.finished(sql, start, r, round_trips, params);
    return result(std::shared_ptr<pg_result>(r, PQclear));
}

std::vector<result> session::run_pipeline(std::span<const pipelined> statements) {
    if (statements.size() <= 1) {
        std::vector<result> out;
        for (const auto& s : statements) out.push_back(run(s.sql, s.params));
        return out;
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
        std::string why = trimmed(PQerrorMessage(d.conn));
        d.close();
        throw connection_lost("08006", "could not send a pipeline to the server", why,
                              "Some of its statements may have run; none is retried. Call "
                              "reconnect() and run the work again if that is safe.",
                              statements[std::min(names.size(), statements.size() - 1)].sql);
    }
    // Every result up to the sync, even after an error; the first error is thrown after.
    std::vector<result> out;
    out.reserve(statements.size());
    PGresult* error = nullptr;
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
            out.emplace_back(std::shared_ptr<pg_result>(r, PQclear));
        }
    }
    if (PGresult* sync = PQgetResult(d.conn)) PQclear(sync);  // PGRES_PIPELINE_SYNC
    PQexitPipelineMode(d.conn);
    if (error) d.fail(error, statements[failed].sql);
    return out;
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

void session::expect_single(const result& r) const {
    if (r.size() != 1 || r.columns() != 1)
        throw usage_error("21000", "the statement returned " + std::to_string(r.size()) +
                                       " rows of " + std::to_string(r.columns()) +
                                       " columns, expected one value");
}

transaction session::begin(std::optional<isolation> level) {
    if (in_transaction())
        throw usage_error("25001", "a transaction is already in progress in this session", "",
                          "Use tx.savepoint() to nest a unit of work inside a transaction.");
    std::string sql = "BEGIN";
    if (level == isolation::read_committed) sql += " ISOLATION LEVEL READ COMMITTED";
    if (level == isolation::repeatable_read) sql += " ISOLATION LEVEL REPEATABLE READ";
    if (level == isolation::serializable) sql += " ISOLATION LEVEL SERIALIZABLE";
    execute(sql);
    return transaction(*this);
}

bool session::in_transaction() const noexcept {
    return impl_ && impl_->conn && PQtransactionStatus(impl_->conn) != PQTRANS_IDLE;
}
std::uint64_t session::statement_count() const noexcept {
    return impl_->statements;
}
statement_counts session::counts() const noexcept {
    return {impl_->executed, impl_->statements};
}
void session::on_statement(std::function<void(const statement_info&)> hook, parameters shown) {
    impl_->hook = std::move(hook);
    impl_->shown = shown;
}
std::size_t session::prepared_count() const noexcept {
    return impl_->prepared.size();
}
bool session::connected() const noexcept {
    return impl_ && impl_->conn && PQstatus(impl_->conn) == CONNECTION_OK;
}
void session::reconnect() {
    impl_->connect();
}
void session::on_notice(std::function<void(std::string_view)> handler) {
    impl_->notice = std::move(handler);
}
int session::backend_pid() const noexcept {
    return impl_->conn ? PQbackendPID(impl_->conn) : 0;
}

// ---- transactions

namespace {
void require_active(const void* db, const char* what) {
    if (!db)
        throw usage_error("25000", std::string("the ") + what + " is no longer active",
                          "It was committed, released or rolled back already.");
}
}  // namespace

transaction::~transaction() {
    if (!db_) return;
    try {
        rollback();
    } catch (...) {
        // A destructor must not throw; the connection is gone or the server ended the
        // transaction, either way nothing remains to roll back.
    }
}

void transaction::commit() {
    require_active(db_, "transaction");
    std::exchange(db_, nullptr)->execute("COMMIT");
}

void transaction::rollback() {
    require_active(db_, "transaction");
    session* db = std::exchange(db_, nullptr);
    if (db->in_transaction()) db->execute("ROLLBACK");
}

ender::savepoint transaction::savepoint() {
    require_active(db_, "transaction");
    return db_->savepoint();
}

ender::savepoint session::savepoint() {
    if (!in_transaction())
        throw usage_error("25P01", "a savepoint needs a transaction in progress", "",
                          "Call begin() first.");
    std::string name = "ender_savepoint_" + std::to_string(++impl_->next_savepoint);
    execute("SAVEPOINT " + name);
    return ender::savepoint(*this, name);
}

savepoint::~savepoint() {
    if (!db_) return;
    try {
        rollback();
    } catch (...) {
        // See ~transaction.
    }
}

void savepoint::release() {
    require_active(db_, "savepoint");
    std::exchange(db_, nullptr)->execute("RELEASE SAVEPOINT " + name_);
}

void savepoint::rollback() {
    require_active(db_, "savepoint");
    session* db = std::exchange(db_, nullptr);
    if (!db->connected()) return;
    db->execute("ROLLBACK TO SAVEPOINT " + name_);
    db->execute("RELEASE SAVEPOINT " + name_);
}

}  // namespace ender
