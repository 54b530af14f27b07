// Transactions and savepoints: session::begin and session::savepoint, committed, released or
// rolled back explicitly, rolled back by their destructors otherwise.
#include "ender/session.hpp"

#include "session_impl.hpp"

#include <string>
#include <utility>

namespace ender {

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
