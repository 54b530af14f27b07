// json_text: balanced output, separators, and escapes equal to PostgreSQL's json type.
#include "../../extension/src/engine/json_text.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

using ender::engine::json_text;

TEST(JsonText, WritesNestedContainersWithSeparators) {
    json_text j;
    j.begin_object()
        .key("a")
        .value("x")
        .key("b")
        .begin_array()
        .value(true)
        .value(false)
        .null()
        .end_array();
    j.key("c")
        .begin_object()
        .end_object()
        .key("d")
        .strings({"p", "q"})
        .key("e")
        .value_or_null(nullptr);
    j.key("f").raw(R"([1,{"x":2}])");
    j.end_object();
    EXPECT_EQ(j.str(),
              R"({"a":"x","b":[true,false,null],"c":{},"d":["p","q"],"e":null,"f":[1,{"x":2}]})");
}

TEST(JsonText, ArrayOfObjects) {
    json_text j;
    j.begin_array();
    for (int i = 0; i < 3; ++i) j.begin_object().key("n").value(std::to_string(i)).end_object();
    j.end_array();
    EXPECT_EQ(j.str(), R"([{"n":"0"},{"n":"1"},{"n":"2"}])");
}

TEST(JsonText, EscapesLikePostgresJson) {
    // What SELECT to_json(E'q"b\\s\b\f\n\r\t\x01é'::text) prints.
    std::string out;
    ender::engine::append_json_string(out, "q\"b\\s\b\f\n\r\t\x01\xc3\xa9");
    EXPECT_EQ(out, "\"q\\\"b\\\\s\\b\\f\\n\\r\\t\\u0001\xc3\xa9\"");
    // And a JSON parser reads back the same string.
    simdjson::dom::parser parser;
    std::string_view back = parser.parse(out).get_string().value();
    EXPECT_EQ(back, "q\"b\\s\b\f\n\r\t\x01\xc3\xa9");
}
