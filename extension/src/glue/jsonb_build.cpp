// ender._jsonb(doc json) RETURNS jsonb: the snapshot's json text as jsonb, the same value the
// json -> jsonb cast gives, for ender_snapshot(). The text is parsed by simdjson (PostgreSQL's
// json lexer reads a 12 MB document a character at a time: most of the cast's time) and its
// values pushed into the jsonb as they are read. Anything the fast path does not produce the
// same way as jsonb_in (a database encoding other than UTF-8, a number that is not a bigint, a
// string holding \u0000, a top-level scalar, text simdjson refuses) goes through jsonb_in.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
}

#include "guard.hpp"

#include <simdjson.h>

#include <cstring>
#include <string_view>

using namespace ender;

namespace {

using element = simdjson::dom::element;

// Thrown (before any PostgreSQL call of the value) when the fast path cannot give jsonb_in's
// value.
struct not_fast {};

JsonbValue string_value(std::string_view s) {
    if (s.size() > JENTRY_OFFLENMASK || std::memchr(s.data(), '\0', s.size())) throw not_fast{};
    JsonbValue v;
    v.type = jbvString;
    v.val.string.val = const_cast<char*>(s.data());
    v.val.string.len = static_cast<int>(s.size());
    return v;
}

// Pushes `e` as the next value (WJB_VALUE in an object, WJB_ELEM in an array); for an object or
// an array, returns what closing it returns (the whole value at the top level). Called inside
// pg_guard; the strings stay in the parser's buffer until the jsonb is built.
JsonbValue* push(JsonbParseState** state, element e, JsonbIteratorToken token) {
    switch (e.type()) {
        case simdjson::dom::element_type::OBJECT:
            pushJsonbValue(state, WJB_BEGIN_OBJECT, nullptr);
            for (auto field : simdjson::dom::object(e)) {
                JsonbValue key = string_value(field.key);
                pushJsonbValue(state, WJB_KEY, &key);
                push(state, field.value, WJB_VALUE);
            }
            return pushJsonbValue(state, WJB_END_OBJECT, nullptr);
        case simdjson::dom::element_type::ARRAY:
            pushJsonbValue(state, WJB_BEGIN_ARRAY, nullptr);
            for (element item : simdjson::dom::array(e)) push(state, item, WJB_ELEM);
            return pushJsonbValue(state, WJB_END_ARRAY, nullptr);
        default:
            break;
    }
    JsonbValue v;
    switch (e.type()) {
        case simdjson::dom::element_type::STRING:
            v = string_value(std::string_view(e));
            break;
        case simdjson::dom::element_type::INT64:
            v.type = jbvNumeric;
            v.val.numeric = int64_to_numeric(int64_t(e));
            break;
        case simdjson::dom::element_type::BOOL:
            v.type = jbvBool;
            v.val.boolean = bool(e);
            break;
        case simdjson::dom::element_type::NULL_VALUE:
            v.type = jbvNull;
            break;
        default:  // a number that is not a bigint: numeric_in's spelling of it decides
            throw not_fast{};
    }
    return pushJsonbValue(state, token, &v);
}

}  // namespace

ENDER_FUNCTION(ender_json_to_jsonb) {
    text* doc = PG_GETARG_TEXT_PP(0);
    const std::string_view json(VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc));
    simdjson::dom::parser parser;
    element root;
    bool fast = GetDatabaseEncoding() == PG_UTF8 &&
                !parser.parse(json.data(), json.size()).get(root) &&
                (root.is_object() || root.is_array());
    Datum result = 0;
    if (fast) {
        try {
            glue::pg_guard([&] {
                JsonbParseState* state = nullptr;
                JsonbValue* value = push(&state, root, WJB_VALUE);
                result = JsonbPGetDatum(JsonbValueToJsonb(value));
            });
        } catch (const not_fast&) {
            fast = false;
        }
    }
    if (!fast)
        glue::pg_guard(
            [&] { result = DirectFunctionCall1(jsonb_in, CStringGetDatum(text_to_cstring(doc))); });
    return result;
}
