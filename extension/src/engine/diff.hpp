// The schema diff: the ordered steps that turn one snapshot into another, each with its SQL,
// the SQL that undoes it (when there is one), what it touches and its hazards. Changes the
// diff cannot make yet raise engine::error (0A000) naming them, never a wrong plan.
#pragma once
#include "cpp_only.hpp"

#include "quote.hpp"

#include "snapshot.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ender::engine {

// Hazard names, as they appear in ender_diff's hazards column.
namespace hazard {
inline constexpr const char* access_exclusive = "takes_access_exclusive";
inline constexpr const char* blocks_writes = "blocks_writes";  // SHARE: reads go on
inline constexpr const char* rewrites_table = "rewrites_table";
inline constexpr const char* builds_index = "builds_index";
inline constexpr const char* deletes_data = "deletes_data";
inline constexpr const char* can_fail = "can_fail_on_existing_rows";
inline constexpr const char* authorization = "changes_authorization";
}  // namespace hazard

struct diff_step {
    std::string sql;
    opt_text reverse_sql;
    std::string object_kind;  // table, column, constraint, index, view, function, ...
    std::string object_name;  // schema-qualified, quoted as in SQL
    std::vector<std::string> hazards;
    bool in_transaction = true;
    // The "-- ender:online" operation that makes the same change online (online_forms.hpp);
    // every step of a change planned in several steps carries the same one.
    opt_text online_operation;
};

struct diff_options {
    bool online = true;  // CONCURRENTLY, NOT VALID + VALIDATE, SET NOT NULL through a check
    // Volatility ('i', 's' or 'v') of the functions column defaults call, by name as
    // online_form::called_functions spells them; the glue reads it from pg_proc (any overload
    // volatile: 'v'). A new NOT NULL column whose default calls only non-volatile functions
    // (now()) is added without a rewrite, so it gets no online form. A function not listed
    // counts as volatile.
    std::map<std::string, char> function_volatility = {};
    // Whether the server has an explicit cast from one type to another (format_type spellings,
    // modifiers included): a column retyped with no declared conversion is refused (42846) when
    // there is none. The glue answers from the catalog (find_coercion_pathway) and says yes for
    // a type it does not know yet; when unset, every cast exists.
    std::function<bool(const std::string& from, const std::string& to)> cast_exists = {};
    // Whether the target's column order counts (a document ender_snapshot wrote): a table whose
    // columns would not come out in its order is created anew when the target allows
    // rewrites_table (else unmade_differences reports it).
    bool column_order = false;
};

std::vector<diff_step> diff(const snapshot& from, const snapshot& to, const diff_options& options);

// A difference that diff() leaves as it is, and says so: ender_check is false while one remains.
struct unmade_difference {
    qualified_name table;
    std::string object;   // schema-qualified, quoted as in SQL
    std::string message;  // PostgreSQL style: lowercase, no period
    std::string detail;   // a full sentence
};

// What diff(from, to) leaves different: the column order of a table, which ADD COLUMN (always
// last) cannot give and only a rebuild of the table could (which the diff makes when the target
// allows rewrites_table and the order counts: diff_options::column_order).
std::vector<unmade_difference> unmade_differences(const snapshot& from, const snapshot& to);

// SQL text helpers (always quoting identifiers; quote_ident and quote_literal in quote.hpp).
std::string qualified(const qualified_name& n);

// The name PostgreSQL gives the sequence of an identity column (makeObjectName's
// "table_column_seq", the longer part shortened to fit 63 bytes, never inside a character). The
// snapshot does not hold it: a name taken at the time gets a number added, which this misses.
qualified_name identity_sequence(const qualified_name& table, const std::string& column);

}  // namespace ender::engine
