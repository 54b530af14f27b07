// A snapshot document read from jsonb (snapshot_jsonb.hpp): the engine's parser walks the jsonb
// value through engine::json_access. A handle holds a JsonbValue: a scalar, or a container
// (jbvBinary) that is read in place. Reading a container calls no PostgreSQL function that can
// raise an error (the container's entries are decoded here, as jsonb_util.c's fillJsonbValue
// decodes them); numbers, which are rare in a snapshot, are printed by numeric_out under
// pg_guard.
#include "snapshot_jsonb.hpp"

extern "C" {
#include "utils/jsonb.h"
#include "utils/numeric.h"
}

#include "guard.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <type_traits>

namespace ender::glue {

namespace {

using engine::json_handle;
using engine::json_type;

// Element `i` of `container`, whose data starts at `base` and `offset` bytes into it.
JsonbValue entry(const JsonbContainer* container, int i, const char* base, uint32 offset) {
    const JEntry e = container->children[i];
    JsonbValue v;
    if (JBE_ISNULL(e)) {
        v.type = jbvNull;
    } else if (JBE_ISSTRING(e)) {
        v.type = jbvString;
        v.val.string.val = const_cast<char*>(base + offset);
        v.val.string.len = static_cast<int>(getJsonbLength(container, i));
    } else if (JBE_ISNUMERIC(e)) {
        v.type = jbvNumeric;
        v.val.numeric = reinterpret_cast<Numeric>(const_cast<char*>(base + INTALIGN(offset)));
    } else if (JBE_ISBOOL_TRUE(e) || JBE_ISBOOL_FALSE(e)) {
        v.type = jbvBool;
        v.val.boolean = JBE_ISBOOL_TRUE(e);
    } else {
        v.type = jbvBinary;
        v.val.binary.data =
            reinterpret_cast<JsonbContainer*>(const_cast<char*>(base + INTALIGN(offset)));
        v.val.binary.len =
            static_cast<int>(getJsonbLength(container, i) - (INTALIGN(offset) - offset));
    }
    return v;
}

// Calls visit(context, element) for each element of an array container.
void each_element(const JsonbContainer* container, void* context,
                  void (*visit)(void*, const json_handle&)) {
    const int count = static_cast<int>(JsonContainerSize(container));
    const char* base = reinterpret_cast<const char*>(&container->children[count]);
    uint32 offset = 0;
    for (int i = 0; i < count; ++i) {
        visit(context, json_handle::of(entry(container, i, base, offset)));
        offset += getJsonbLength(container, i);
    }
}

// A number as the engine reads numbers: an integer that fits a bigint, one that does not, or
// anything else (a fraction, an exponent, as numeric_out spells it).
json_type number_type(Numeric number, long long* value) {
    const char* text = nullptr;
    glue::pg_guard(
        [&] { text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(number))); });
    const char* digits = text[0] == '-' ? text + 1 : text;
    if (!*digits || std::strspn(digits, "0123456789") != std::strlen(digits))
        return json_type::number;
    errno = 0;
    const long long parsed = std::strtoll(text, nullptr, 10);
    if (errno == ERANGE) return json_type::big_integer;
    if (value) *value = parsed;
    return json_type::integer;
}

const engine::json_access jsonb_access = {
    [](const json_handle& h) {
        const JsonbValue v = h.as<JsonbValue>();
        switch (v.type) {
            case jbvNull:
                return json_type::null;
            case jbvString:
                return json_type::string;
            case jbvBool:
                return json_type::boolean;
            case jbvNumeric:
                return number_type(v.val.numeric, nullptr);
            case jbvBinary:
                return JsonContainerIsObject(v.val.binary.data) ? json_type::object
                                                                : json_type::array;
            default:  // jbvArray and jbvObject are not made by reading a container
                return json_type::null;
        }
    },
    [](const json_handle& h, std::string_view key, json_handle& out) {
        JsonbValue found;
        if (!getKeyJsonValueFromContainer(h.as<JsonbValue>().val.binary.data, key.data(),
                                          static_cast<int>(key.size()), &found))
            return false;
        out = json_handle::of(found);
        return true;
    },
    [](const json_handle& h) {
        const JsonbValue v = h.as<JsonbValue>();
        return std::string_view(v.val.string.val, v.val.string.len);
    },
    [](const json_handle& h) { return static_cast<bool>(h.as<JsonbValue>().val.boolean); },
    [](const json_handle& h) {
        long long value = 0;
        number_type(h.as<JsonbValue>().val.numeric, &value);
        return value;
    },
    [](const json_handle& h) {
        return static_cast<std::size_t>(JsonContainerSize(h.as<JsonbValue>().val.binary.data));
    },
    [](const json_handle& h, void* context, void (*visit)(void*, const json_handle&)) {
        each_element(h.as<JsonbValue>().val.binary.data, context, visit);
    },
};

}  // namespace

engine::snapshot parse_snapshot_jsonb(Datum doc) {
    Jsonb* jsonb = nullptr;
    pg_guard([&] { jsonb = DatumGetJsonbP(doc); });
    JsonbValue root;
    if (JB_ROOT_IS_SCALAR(jsonb)) {  // a scalar is stored as an array of one element
        const char* base = reinterpret_cast<const char*>(&jsonb->root.children[1]);
        root = entry(&jsonb->root, 0, base, 0);
    } else {
        root.type = jbvBinary;
        root.val.binary.data = &jsonb->root;
        root.val.binary.len = static_cast<int>(VARSIZE(jsonb) - VARHDRSZ);
    }
    return engine::parse_snapshot(json_handle::of(root), jsonb_access);
}

}  // namespace ender::glue
