// schema::snapshot(): the extension's snapshot document (docs/snapshot-format.md) of the
// models' tables, as ender_snapshot() would read it from a database they were created in.
#include "ender/schema.hpp"

#include "schema_resolve.hpp"

#include <algorithm>

namespace ender {

namespace {

using detail::enums_of;
using detail::schemas_of;
using nlohmann::json;

// The largest value of a sequence of this integer type.
std::string sequence_max(const std::string& type) {
    if (type == "smallint") return "32767";
    if (type == "integer") return "2147483647";
    return "9223372036854775807";
}

json optional_text(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

}  // namespace

json schema::snapshot() const {
    json doc = {{"format", "ender-snapshot"},      {"version", 1},
                {"views", json::array()},          {"domains", json::array()},
                {"functions", json::array()},      {"event_triggers", json::array()},
                {"composite_types", json::array()}};
    json schemas = json::array();
    for (const auto& s : schemas_of(tables_))
        schemas.push_back(
            {{"name", s}, {"comment", s == "public" ? json("standard public schema") : json()}});
    doc["schemas"] = schemas;
    json extensions = json::array();
    auto exts = extensions_;
    std::sort(exts.begin(), exts.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (const auto& e : exts)
        extensions.push_back({{"name", e.name},
                              {"schema", e.schema},
                              {"version", e.version},
                              {"comment", optional_text(e.comment)}});
    doc["extensions"] = extensions;
    json enums = json::array();
    for (const auto& e : enums_of(tables_))
        enums.push_back(
            {{"schema", e.schema}, {"name", e.name}, {"labels", e.labels}, {"comment", nullptr}});
    doc["enums"] = enums;

    auto resolved = detail::resolve(tables_, naming_);
    std::sort(resolved.begin(), resolved.end(), [](const auto& a, const auto& b) {
        return std::tie(a.t->schema, a.t->name) < std::tie(b.t->schema, b.t->name);
    });
    json tables = json::array();
    json sequences = json::array();
    for (auto& r : resolved) {
        const auto& t = *r.t;
        json columns = json::array();
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            const auto& c = t.columns[i];
            columns.push_back({{"name", c.name},
                               {"type", c.type},
                               {"comment", optional_text(c.comment)},
                               {"default", optional_text(r.defaults[i])},
                               {"identity", optional_text(c.identity)},
                               {"not_null", c.not_null || c.identity.has_value()},
                               {"collation", nullptr},
                               {"generated", nullptr},
                               {"inherited", false}});
            if (c.renamed_from) columns.back()["renamed_from"] = *c.renamed_from;
            for (const auto& v : c.conversions)
                columns.back()["conversions"].push_back({{"from", optional_text(v.from)},
                                                         {"using", v.up},
                                                         {"down", optional_text(v.down)}});
        }
        for (const auto& q : r.sequences)
            sequences.push_back(
                {{"schema", t.schema},
                 {"name", q.name},
                 {"type", q.type},
                 {"start", 1},
                 {"increment", 1},
                 {"min", 1},
                 {"max", json::parse(sequence_max(q.type))},
                 {"cache", 1},
                 {"cycle", false},
                 {"comment", nullptr},
                 {"owned_by", {{"schema", t.schema}, {"table", t.name}, {"column", q.column}}}});
        std::sort(r.constraints.begin(), r.constraints.end(),
                  [](auto& a, auto& b) { return a.name < b.name; });
        json constraints = json::array();
        for (const auto& c : r.constraints)
            constraints.push_back({{"name", c.name},
                                   {"type", c.type},
                                   {"valid", true},
                                   {"columns", c.columns},
                                   {"comment", optional_text(c.comment)},
                                   {"deferred", false},
                                   {"deferrable", false},
                                   {"definition", c.definition},
                                   {"references", c.references}});
        std::sort(r.indexes.begin(), r.indexes.end(),
                  [](auto& a, auto& b) { return a.name < b.name; });
        json indexes = json::array();
        for (const auto& i : r.indexes)
            indexes.push_back({{"name", i.name},
                               {"method", i.method},
                               {"unique", i.unique},
                               {"comment", optional_text(i.comment)},
                               {"predicate", optional_text(i.predicate)},
                               {"definition", i.definition},
                               {"nulls_not_distinct", false}});
        tables.push_back({{"name", t.name},
                          {"schema", t.schema},
                          {"columns", columns},
                          {"comment", optional_text(t.comment)},
                          {"indexes", indexes},
                          {"inherits", json::array()},
                          {"policies", json::array()},
                          {"triggers", json::array()},
                          {"unlogged", false},
                          {"constraints", constraints},
                          {"partitioned", false},
                          {"partition_of", nullptr},
                          {"row_security", false},
                          {"partition_key", nullptr},
                          {"replica_identity", "default"},
                          {"force_row_security", false}});
        if (t.renamed_from) tables.back()["renamed_from"] = *t.renamed_from;
    }
    doc["tables"] = tables;
    std::sort(sequences.begin(), sequences.end(), [](const json& a, const json& b) {
        return std::tie(a["schema"].get_ref<const std::string&>(),
                        a["name"].get_ref<const std::string&>()) <
               std::tie(b["schema"].get_ref<const std::string&>(),
                        b["name"].get_ref<const std::string&>());
    });
    doc["sequences"] = sequences;
    return doc;
}

}  // namespace ender
