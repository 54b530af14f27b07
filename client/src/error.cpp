// ender::error and the one place that picks its subclass from the SQLSTATE.
#include "ender/error.hpp"

namespace ender {

error::error(std::string sqlstate, const std::string& message, std::string detail, std::string hint,
             std::string statement)
    : std::runtime_error(message),
      sqlstate_(std::move(sqlstate)),
      detail_(std::move(detail)),
      hint_(std::move(hint)),
      statement_(std::move(statement)) {}

validation_error::validation_error(std::string table, std::string field, const std::string& reason)
    : check_violation(
          "23514", "invalid value for column \"" + field + "\" of table \"" + table + "\"", reason),
      table_(std::move(table)),
      field_(std::move(field)) {}

namespace {
std::string joined(const std::vector<std::string>& names, std::string_view quote) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + std::string(quote) + n + std::string(quote);
    return out;
}
}  // namespace

validation_error::validation_error(std::string table, const std::vector<std::string>& fields,
                                   const std::string& reason)
    : check_violation(
          "23514",
          "invalid values for columns " + joined(fields, "\"") + " of table \"" + table + "\"",
          reason),
      table_(std::move(table)),
      field_(joined(fields, "")) {}

void throw_error(const std::string& sqlstate, const std::string& message, std::string detail,
                 std::string hint, std::string statement) {
    auto is = [&](std::string_view prefix) { return sqlstate.starts_with(prefix); };
    auto args = [&]<class E>(E*) {
        throw E(sqlstate, message, std::move(detail), std::move(hint), std::move(statement));
    };
    if (sqlstate == "23505") args(static_cast<unique_violation*>(nullptr));
    if (sqlstate == "23503") args(static_cast<foreign_key_violation*>(nullptr));
    if (sqlstate == "23502") args(static_cast<not_null_violation*>(nullptr));
    if (sqlstate == "23514") args(static_cast<check_violation*>(nullptr));
    if (is("23")) args(static_cast<integrity_violation*>(nullptr));
    if (sqlstate == "40001") args(static_cast<serialization_failure*>(nullptr));
    if (sqlstate == "40P01") args(static_cast<deadlock_detected*>(nullptr));
    if (is("40")) args(static_cast<transaction_rollback*>(nullptr));
    // 57P01..57P03: the server is shutting down or restarting; the connection is gone.
    if (is("08") || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03")
        args(static_cast<connection_lost*>(nullptr));
    if (is("42")) args(static_cast<statement_error*>(nullptr));
    if (is("22")) args(static_cast<data_error*>(nullptr));
    if (is("25") || is("55")) args(static_cast<usage_error*>(nullptr));
    args(static_cast<error*>(nullptr));
    __builtin_unreachable();
}

}  // namespace ender
