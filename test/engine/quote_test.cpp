// Tests of engine/quote.hpp, the quoting rules the engine, the extension and libender share.
// The expected spellings of quote_ident_as_needed and quote_literal are what PostgreSQL 15's
// quote_ident() and quote_literal() return for the same text.
#include "engine/quote.hpp"

#include "error_matchers.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ender::engine {
namespace {

TEST(quote, quote_ident_always_quotes_and_doubles_embedded_quotes) {
    EXPECT_EQ(quote_ident("hero"), "\"hero\"");
    EXPECT_EQ(quote_ident("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(quote_ident("\""), "\"\"\"\"");
    EXPECT_EQ(quote_ident("\"\""), "\"\"\"\"\"\"");
    EXPECT_EQ(quote_ident(""), "\"\"");
    EXPECT_EQ(quote_ident("Hero Name"), "\"Hero Name\"");
    EXPECT_EQ(quote_ident("HERO"), "\"HERO\"");      // upper case survives only quoted
    EXPECT_EQ(quote_ident("select"), "\"select\"");  // keywords too
    EXPECT_EQ(quote_ident("a'b"), "\"a'b\"");        // single quotes are not special here
    EXPECT_EQ(quote_ident("café"), "\"café\"");
    EXPECT_EQ(quote_ident("名前"), "\"名前\"");
    EXPECT_EQ(quote_ident("a.b"), "\"a.b\"");
    std::string longest(63, 'n');
    EXPECT_EQ(quote_ident(longest), "\"" + longest + "\"");
    std::string quotes(63, '"');
    EXPECT_EQ(quote_ident(quotes), "\"" + std::string(126, '"') + "\"");
}

TEST(quote, quote_literal_doubles_single_quotes) {
    EXPECT_EQ(quote_literal("ok"), "'ok'");
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
    EXPECT_EQ(quote_literal("''"), "''''''");
    EXPECT_EQ(quote_literal(""), "''");
    EXPECT_EQ(quote_literal("a\"b"), "'a\"b'");
    EXPECT_EQ(quote_literal("名前"), "'名前'");
}

TEST(quote, quote_literal_with_a_backslash_takes_the_escape_string_form) {
    // As quote_literal() writes it: the same constant whatever standard_conforming_strings is.
    EXPECT_EQ(quote_literal("a\\b"), "E'a\\\\b'");
    EXPECT_EQ(quote_literal("\\"), "E'\\\\'");
    EXPECT_EQ(quote_literal("it's a\\b"), "E'it''s a\\\\b'");
    EXPECT_EQ(quote_literal("\\'"), "E'\\\\'''");
    EXPECT_EQ(quote_literal("\\n is not a newline"), "E'\\\\n is not a newline'");
}

TEST(quote, quote_ident_as_needed_leaves_plain_lower_case_names_bare) {
    EXPECT_EQ(quote_ident_as_needed("hero"), "hero");
    EXPECT_EQ(quote_ident_as_needed("_x1"), "_x1");
    EXPECT_EQ(quote_ident_as_needed("team_id2"), "team_id2");
    // Unreserved keywords and function names stay bare, as quote_ident() leaves them.
    EXPECT_EQ(quote_ident_as_needed("name"), "name");
    EXPECT_EQ(quote_ident_as_needed("abs"), "abs");
    EXPECT_EQ(quote_ident_as_needed("text"), "text");
    EXPECT_EQ(quote_ident_as_needed("selects"), "selects");
}

TEST(quote, quote_ident_as_needed_quotes_what_postgresql_would) {
    EXPECT_EQ(quote_ident_as_needed(""), "\"\"");
    EXPECT_EQ(quote_ident_as_needed("Abc"), "\"Abc\"");  // upper case
    EXPECT_EQ(quote_ident_as_needed("1a"), "\"1a\"");    // a leading digit
    EXPECT_EQ(quote_ident_as_needed("é"), "\"é\"");      // non-ASCII
    EXPECT_EQ(quote_ident_as_needed("名前"), "\"名前\"");
    EXPECT_EQ(quote_ident_as_needed("a b"), "\"a b\"");
    EXPECT_EQ(quote_ident_as_needed("a.b"), "\"a.b\"");
    EXPECT_EQ(quote_ident_as_needed("a$b"), "\"a$b\"");
    EXPECT_EQ(quote_ident_as_needed("a\"b"), "\"a\"\"b\"");
    // Reserved, column-name and type-function-name keywords.
    EXPECT_EQ(quote_ident_as_needed("user"), "\"user\"");
    EXPECT_EQ(quote_ident_as_needed("select"), "\"select\"");
    EXPECT_EQ(quote_ident_as_needed("xmltable"), "\"xmltable\"");
    EXPECT_EQ(quote_ident_as_needed("integer"), "\"integer\"");
    EXPECT_EQ(quote_ident_as_needed("collation"), "\"collation\"");
    EXPECT_EQ(quote_ident_as_needed("json_object"), "\"json_object\"");  // PostgreSQL 16's
}

TEST(quote, truncate_utf8_cuts_on_a_character_boundary) {
    EXPECT_EQ(truncate_utf8("hero", 63), "hero");
    EXPECT_EQ(truncate_utf8("hero", 4), "hero");
    EXPECT_EQ(truncate_utf8("hero", 2), "he");
    EXPECT_EQ(truncate_utf8("hero", 0), "");
    // "é" is two bytes, "名" three: a cut inside one keeps the characters before it whole.
    EXPECT_EQ(truncate_utf8("caf\xC3\xA9s", 4), "caf");
    EXPECT_EQ(truncate_utf8("caf\xC3\xA9s", 5), "caf\xC3\xA9");
    EXPECT_EQ(truncate_utf8("\xE5\x90\x8D\xE5\x89\x8D", 5), "\xE5\x90\x8D");
    EXPECT_EQ(truncate_utf8("\xE5\x90\x8D", 2), "");
    std::string long_name = std::string(62, 'n') + "\xC3\xA9";  // 64 bytes
    EXPECT_EQ(truncate_utf8(long_name, max_identifier), std::string(62, 'n'));
}

TEST(quote, a_nul_byte_is_refused_not_cut_short) {
    using namespace std::string_literals;
    EXPECT_ENGINE_ERROR(quote_ident("a\0b"s), "22021", "an identifier cannot contain a NUL byte",
                        {.detail = "PostgreSQL text cannot hold the byte 0x00."});
    EXPECT_ENGINE_ERROR(quote_ident_as_needed("a\0"s), "22021",
                        "an identifier cannot contain a NUL byte");
    EXPECT_ENGINE_ERROR(quote_literal("\0"s), "22021",
                        "a string constant cannot contain a NUL byte");
}

}  // namespace
}  // namespace ender::engine
