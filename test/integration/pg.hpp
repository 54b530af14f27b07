// A few libpq helpers for the integration tests: connections to the throwaway cluster that
// scripts/test.sh starts (PGHOST, PGPORT, PGUSER, PGPASSWORD come from pg_virtualenv).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace ender::test {

// A failed statement, with its SQLSTATE.
class sql_error : public std::runtime_error {
public:
    sql_error(std::string sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const noexcept { return sqlstate_; }

private:
    std::string sqlstate_;
};

class connection {
public:
    explicit connection(const std::string& dbname);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    // Runs `sql` (one or more statements); returns the rows of the last one as text.
    std::vector<std::vector<std::string>> query(const std::string& sql);
    // The single value of a one-row, one-column result.
    std::string scalar(const std::string& sql);
    void exec(const std::string& sql) { query(sql); }

private:
    pg_conn* conn_;
};

// Creates a fresh database `name` (dropping an old one) with the ender extension installed.
void fresh_database(const std::string& name);

}  // namespace ender::test
