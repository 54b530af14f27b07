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

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// jsonb's order of keys: shorter first, then bytewise (lengthCompareJsonbStringValue).
bool key_before(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size();
    return std::memcmp(a.data(), b.data(), a.size()) < 0;
}

// The members of objects, pushed in jsonb's key order so that pushJsonbValue finds them sorted
// (its sort of every object's pairs then only checks the order: it took a fifth of building a
// snapshot's jsonb). A snapshot repeats a few key sequences thousands of times (every column has
// the same keys): the order found for a sequence is kept and reused for the next object with the
// same keys. Objects with a repeated key (jsonb keeps the last) leave the fast path.
class member_order {
public:
    using member = std::pair<std::string_view, element>;

    // The members of `object` in jsonb's order, at members()[first, first + count) until the
    // next call for an object that is not nested in this one.
    std::size_t collect(simdjson::dom::object object, std::size_t& first) {
        first = members_.size();
        for (auto field : object) members_.emplace_back(field.key, field.value);
        const std::size_t count = members_.size() - first;
        const auto* order = find(first, count);
        if (!order) order = &learn(first, count);
        sorted_.assign(members_.begin() + first, members_.end());
        for (std::size_t i = 0; i < count; ++i) members_[first + i] = sorted_[(*order)[i]];
        return count;
    }
    const member& at(std::size_t i) const { return members_[i]; }
    void release(std::size_t first) { members_.resize(first); }

private:
    struct shape {
        std::vector<std::string> keys;   // in the text's order
        std::vector<std::size_t> order;  // the positions of the keys in jsonb's order
    };

    const std::vector<std::size_t>* find(std::size_t first, std::size_t count) const {
        for (const shape& s : shapes_) {
            if (s.keys.size() != count) continue;
            std::size_t i = 0;
            while (i < count && s.keys[i] == members_[first + i].first) ++i;
            if (i == count) return &s.order;
        }
        return nullptr;
    }

    const std::vector<std::size_t>& learn(std::size_t first, std::size_t count) {
        shape s;
        for (std::size_t i = 0; i < count; ++i) {
            s.keys.emplace_back(members_[first + i].first);
            s.order.push_back(i);
        }
        std::sort(s.order.begin(), s.order.end(),
                  [&](std::size_t a, std::size_t b) { return key_before(s.keys[a], s.keys[b]); });
        for (std::size_t i = 1; i < count; ++i)
            if (s.keys[s.order[i - 1]] == s.keys[s.order[i]]) throw not_fast{};
        if (shapes_.size() == max_shapes) shapes_.erase(shapes_.begin());
        shapes_.push_back(std::move(s));
        return shapes_.back().order;
    }

    static constexpr std::size_t max_shapes = 16;
    std::vector<member> members_, sorted_;
    std::vector<shape> shapes_;
};

// Pushes `e` as the next value (WJB_VALUE in an object, WJB_ELEM in an array); for an object or
// an array, returns what closing it returns (the whole value at the top level). Called inside
// pg_guard; the strings stay in the parser's buffer until the jsonb is built.
JsonbValue* push(JsonbParseState** state, element e, JsonbIteratorToken token,
                 member_order& members) {
    switch (e.type()) {
        case simdjson::dom::element_type::OBJECT: {
            pushJsonbValue(state, WJB_BEGIN_OBJECT, nullptr);
            std::size_t first = 0;
            const std::size_t count = members.collect(simdjson::dom::object(e), first);
            for (std::size_t i = first; i < first + count; ++i) {
                JsonbValue key = string_value(members.at(i).first);
                pushJsonbValue(state, WJB_KEY, &key);
                push(state, members.at(i).second, WJB_VALUE, members);
            }
            members.release(first);
            return pushJsonbValue(state, WJB_END_OBJECT, nullptr);
        }
        case simdjson::dom::element_type::ARRAY:
            pushJsonbValue(state, WJB_BEGIN_ARRAY, nullptr);
            for (element item : simdjson::dom::array(e)) push(state, item, WJB_ELEM, members);
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
        member_order members;
        try {
            glue::pg_guard([&] {
                JsonbParseState* state = nullptr;
                JsonbValue* value = push(&state, root, WJB_VALUE, members);
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
