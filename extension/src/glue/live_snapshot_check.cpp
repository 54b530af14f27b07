// ender._live_snapshot_mismatch(schemas text[]) RETURNS text: the proof that the live snapshot
// read into the engine's structures (live_snapshot.hpp) is the one the engine parses from
// ender._snapshot_json's text: null when both are equal, else where they first differ. Tests
// call it (test/diff/run.sh on both sides of every pair, sql/live_snapshot.sql).
#include "live_snapshot.hpp"

#include "guard.hpp"
#include "spi.hpp"
#include "state.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ender::glue {

namespace {

// How an object of a list is named in the report.
template <typename T>
std::string name_of(const T& object) {
    if constexpr (requires { object.id.schema; })
        return object.id.schema + "." + object.id.name;
    else if constexpr (requires { object.name; })
        return object.name;
    else if constexpr (requires { object.source; })
        return object.source + " -> " + object.target;
    else
        return "";
}

// The first difference of two lists, or "" when they are equal.
template <typename T>
std::string list_difference(const std::string& what, const std::vector<T>& live,
                            const std::vector<T>& document) {
    if (live.size() != document.size())
        return what + ": " + std::to_string(live.size()) + " read, " +
               std::to_string(document.size()) + " in the document";
    for (std::size_t i = 0; i < live.size(); ++i)
        if (!(live[i] == document[i]))
            return what + "[" + std::to_string(i) + "] (" + name_of(live[i]) + ") differs";
    return "";
}

// The lists of a table or view that differ, named.
std::string table_difference(const engine::table_def& a, const engine::table_def& b) {
    for (const auto& d : {list_difference("columns", a.columns, b.columns),
                          list_difference("constraints", a.constraints, b.constraints),
                          list_difference("indexes", a.indexes, b.indexes),
                          list_difference("triggers", a.triggers, b.triggers),
                          list_difference("policies", a.policies, b.policies),
                          list_difference("inherits", a.inherits, b.inherits)})
        if (!d.empty()) return ": " + d;
    return ": a field of the table";
}

std::string view_difference(const engine::view_def& a, const engine::view_def& b) {
    if (a.definition != b.definition) return ": definition";
    if (a.depends_on != b.depends_on) return ": depends_on";
    if (a.columns_read != b.columns_read) return ": the columns it reads";
    if (a.functions != b.functions) return ": functions";
    for (const auto& d : {list_difference("indexes", a.indexes, b.indexes),
                          list_difference("triggers", a.triggers, b.triggers)})
        if (!d.empty()) return ": " + d;
    return ": a field of the view";
}

// Where two lists of objects with parts first differ, with the part named.
template <typename T, typename F>
std::string detailed_difference(const std::string& what, const std::vector<T>& live,
                                const std::vector<T>& document, F&& parts) {
    std::string d = list_difference(what, live, document);
    if (d.empty() || live.size() != document.size()) return d;
    for (std::size_t i = 0; i < live.size(); ++i)
        if (!(live[i] == document[i])) return d + parts(live[i], document[i]);
    return d;
}

std::string first_difference(const engine::snapshot& a, const engine::snapshot& b) {
    for (const auto& d :
         {list_difference("schemas", a.schemas, b.schemas),
          list_difference("extensions", a.extensions, b.extensions),
          list_difference("collations", a.collations, b.collations),
          list_difference("enums", a.enums, b.enums),
          list_difference("domains", a.domains, b.domains),
          list_difference("composite_types", a.composite_types, b.composite_types),
          list_difference("sequences", a.sequences, b.sequences),
          detailed_difference("tables", a.tables, b.tables, table_difference),
          detailed_difference("views", a.views, b.views, view_difference),
          list_difference("functions", a.functions, b.functions),
          list_difference("event_triggers", a.event_triggers, b.event_triggers),
          list_difference("aggregates", a.aggregates, b.aggregates),
          list_difference("operators", a.operators, b.operators),
          list_difference("casts", a.casts, b.casts),
          list_difference("text_search_dictionaries", a.text_search_dictionaries,
                          b.text_search_dictionaries),
          list_difference("text_search_configurations", a.text_search_configurations,
                          b.text_search_configurations)})
        if (!d.empty()) return d;
    if (!(a == b)) return "the snapshots' flags (listed lists, deparsed_by, privileges)";
    return "";
}

}  // namespace

}  // namespace ender::glue

using namespace ender;

// ender._live_snapshot_mismatch(schemas text[]) RETURNS text
ENDER_FUNCTION(ender_live_snapshot_mismatch) {
    std::optional<std::vector<std::string>> schemas;
    if (!PG_ARGISNULL(0)) schemas = glue::text_array_arg(fcinfo, 0, "schemas");
    const std::vector<std::string>* wanted = schemas ? &*schemas : nullptr;
    std::string difference;
    {
        glue::spi_scope spi;
        engine::snapshot live = glue::read_live_snapshot(wanted);
        difference = glue::first_difference(live, glue::read_snapshot_document(wanted, false));
    }
    if (difference.empty()) PG_RETURN_NULL();
    return glue::return_text(difference);
}
