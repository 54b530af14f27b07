// SQL quoting of identifiers and literals, for statements the engine writes.
#pragma once
#include "cpp_only.hpp"

#include <string>
#include <string_view>

namespace ender::engine {

// "name" with embedded double quotes doubled: always quoted, whatever the name.
std::string quote_ident(std::string_view name);
// 'text' with embedded single quotes doubled (standard_conforming_strings).
std::string quote_literal(std::string_view text);

}  // namespace ender::engine
