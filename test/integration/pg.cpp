// libpq helpers for the integration tests (see pg.hpp).
#include "pg.hpp"

#include <libpq-fe.h>

namespace ender::test {

connection::connection(const std::string& dbname) {
    const char* keys[] = {"dbname", nullptr};
    const char* values[] = {dbname.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);  // the rest from PG* environment variables
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn_);
        PQfinish(conn_);
        throw std::runtime_error("cannot connect to " + dbname + ": " + message);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
}

connection::~connection() {
    PQfinish(conn_);
}

std::vector<std::vector<std::string>> connection::query(const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn_, sql.c_str()), &PQclear);
    auto status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
        throw sql_error(state ? state : "", PQresultErrorMessage(result.get()));
    }
    std::vector<std::vector<std::string>> rows;
    for (int r = 0; r < PQntuples(result.get()); ++r) {
        rows.emplace_back();
        for (int c = 0; c < PQnfields(result.get()); ++c)
            rows.back().emplace_back(
                PQgetisnull(result.get(), r, c) ? "<null>" : PQgetvalue(result.get(), r, c));
    }
    return rows;
}

std::string connection::scalar(const std::string& sql) {
    auto rows = query(sql);
    if (rows.size() != 1 || rows.front().size() != 1)
        throw std::runtime_error("expected one value from: " + sql);
    return rows.front().front();
}

void fresh_database(const std::string& name) {
    connection admin("postgres");
    admin.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    admin.exec("CREATE DATABASE " + name);
    connection db(name);
    db.exec("CREATE EXTENSION ender");
}

}  // namespace ender::test
