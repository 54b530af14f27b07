// SQL quoting of identifiers and string constants: the one module the engine, the extension and
// libender (client/src/types.cpp compiles it in) quote with. Plain C++, no PostgreSQL headers.
//
// The rules:
// - quote_ident always writes "name", embedded double quotes doubled. Every statement ender
//   writes to run (DDL of the diff, the online phases, the CLI's files) names objects this way:
//   correct whatever the name is (a keyword, upper case, spaces, dots, non-ASCII), and
//   independent of the server's keyword list.
// - quote_ident_as_needed writes a name as PostgreSQL's quote_ident() and format_type() do:
//   bare when it is lower-case ASCII letters, digits and underscores, starts with a letter or an
//   underscore, and is no keyword PostgreSQL would quote (reserved, column-name or
//   type-function-name); quoted as quote_ident otherwise (so "" for the empty name, "User" for
//   upper case, "é" for non-ASCII). For names compared with what the server prints, and for the
//   SQL libender writes, which reads as a person would write it.
// - quote_literal writes 'text', embedded single quotes doubled; text holding a backslash is
//   written E'...' with each backslash doubled, as PostgreSQL's quote_literal() does, so the
//   constant means the same whatever standard_conforming_strings is.
// - A name longer than PostgreSQL's 63 bytes (NAMEDATALEN - 1) is cut as the server cuts it:
//   truncate_utf8 keeps whole UTF-8 characters.
// - PostgreSQL text cannot hold the byte 0x00, and a statement is passed on as a C string that
//   would end there: a name or text with a NUL byte is refused (error 22021), never cut short.
#pragma once
#include "cpp_only.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace ender::engine {

// The longest identifier PostgreSQL keeps, in bytes (NAMEDATALEN - 1).
inline constexpr std::size_t max_identifier = 63;

// The first `bytes` bytes of `s`, cut back to a whole UTF-8 character.
std::string truncate_utf8(std::string_view s, std::size_t bytes);

// "name", always quoted, embedded double quotes doubled.
std::string quote_ident(std::string_view name);

// name bare when PostgreSQL's quote_ident() leaves it bare, else as quote_ident.
std::string quote_ident_as_needed(std::string_view name);

// 'text', embedded single quotes doubled; E'text' with backslashes doubled when it has any.
std::string quote_literal(std::string_view text);

}  // namespace ender::engine
