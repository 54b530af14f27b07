// The engine's one exception type: a PostgreSQL-style error (SQLSTATE, message, detail, hint)
// raised by plain C++ code and turned into an ereport by the glue's guarded entry point.
#pragma once
#include "cpp_only.hpp"

#include <stdexcept>
#include <string>

namespace ender::engine {

// SQLSTATE codes the engine raises (a subset of PostgreSQL's errcodes.txt).
namespace sqlstate {
inline constexpr const char* character_not_in_repertoire = "22021";
inline constexpr const char* invalid_parameter_value = "22023";
inline constexpr const char* syntax_error = "42601";
inline constexpr const char* cannot_coerce = "42846";
inline constexpr const char* undefined_object = "42704";
inline constexpr const char* duplicate_object = "42710";
inline constexpr const char* invalid_object_definition = "42P17";
inline constexpr const char* object_not_in_prerequisite_state = "55000";
inline constexpr const char* feature_not_supported = "0A000";
inline constexpr const char* internal_error = "XX000";
}  // namespace sqlstate

class error : public std::runtime_error {
public:
    error(const char* code, std::string message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(message),
          sqlstate_(code),
          detail_(std::move(detail)),
          hint_(std::move(hint)) {}

    const char* sqlstate() const noexcept { return sqlstate_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    const char* sqlstate_;
    std::string detail_;
    std::string hint_;
};

}  // namespace ender::engine
