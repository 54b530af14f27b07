// The session's connection: opening it, running one statement (prepared and cached), and what
// a session tells about itself (counts, hooks, notices, transaction status).
#include "ender/session.hpp"

#include "session_impl.hpp"

#include <libpq-fe.h>

#include <cstdlib>

namespace ender {

namespace {

std::string conninfo_from_environment() {
    for (const char* name : {"ENDER_DSN", "DATABASE_URL"})
        if (const char* v = std::getenv(name); v && *v) return v;
    return "";
}

}  // namespace

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
    const std::string& name = d.prepare(sql, b, round_trips);
    ++d.statements;
    PGresult* r = PQexecPrepared(d.conn, name.c_str(), static_cast<int>(b.values.size()),
                                 b.values.data(), b.lengths.data(), b.formats.data(), 1);
    d.check(r, sql);
    d.finished(sql, start, r, round_trips, params);
    return result(std::shared_ptr<pg_result>(r, PQclear));
}

void session::expect_single(const result& r) const {
    if (r.size() != 1 || r.columns() != 1)
        throw usage_error("21000", "the statement returned " + std::to_string(r.size()) +
                                       " rows of " + std::to_string(r.columns()) +
                                       " columns, expected one value");
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

}  // namespace ender
