// The snapshot document (docs/snapshot-format.md) as C++ values: what the diff compares.
// parse_snapshot validates a document and names the path of anything wrong in it.
#pragma once
#include "cpp_only.hpp"

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ender::engine {

using opt_text = std::optional<std::string>;

struct qualified_name {
    std::string schema, name;
    bool operator==(const qualified_name&) const = default;
    auto operator<=>(const qualified_name&) const = default;
};

// A "renamed_from" of a target document: the name the object had before, and where the
// field is in the document (for errors). Live snapshots never carry one.
struct rename_source {
    std::string name, path;
    bool operator==(const rename_source&) const = default;
};
using opt_rename = std::optional<rename_source>;

// One privilege granted on an object to a role other than its owner ("PUBLIC" for every
// role), as the document lists it when it was taken with privileges.
struct privilege {
    std::string grantee, name;  // name: SELECT, INSERT, USAGE, EXECUTE, ...
    bool grantable = false;
    bool operator==(const privilege&) const = default;
    auto operator<=>(const privilege&) const = default;
};
using privilege_list = std::vector<privilege>;

// How a column of a target document converts from an earlier type ("conversions"): `up` is
// the USING expression that computes the new value from the old row, `down` the one back (none
// when the conversion is one way). `from` is the earlier type as format_type spells it; none
// for any earlier type. Live snapshots never carry one.
struct conversion {
    opt_text from;
    std::string up;
    opt_text down;
    bool operator==(const conversion&) const = default;
};

struct column_def {
    std::string name, type;
    bool not_null = false;
    opt_text default_expr, generated, identity, collation, comment;
    bool inherited = false;  // from a parent table or partitioned table: changed there
    opt_rename renamed_from;
    privilege_list privileges;            // column privileges (tables only)
    std::vector<conversion> conversions;  // tables' columns of a target document only
    bool operator==(const column_def&) const = default;
};

struct constraint_def {
    std::string name, type, definition;
    bool valid = true, deferrable = false, deferred = false;
    opt_text comment;
    std::optional<qualified_name> references;  // the referenced table of a foreign key
    opt_rename renamed_from;
    bool operator==(const constraint_def&) const = default;
};

struct index_def {
    std::string name, definition;
    bool unique = false;
    opt_text comment;
    opt_rename renamed_from;
    bool operator==(const index_def&) const = default;
};

struct trigger_def {
    std::string name, definition, enabled;
    opt_text comment;
    opt_rename renamed_from;
    bool operator==(const trigger_def&) const = default;
};

struct policy_def {
    std::string name, command;
    bool permissive = true;
    std::vector<std::string> roles;
    opt_text using_expr, with_check, comment;
    opt_rename renamed_from;
    bool operator==(const policy_def&) const = default;
};

struct partition_parent {
    std::string schema, table, bound;
    bool operator==(const partition_parent&) const = default;
};

struct table_def {
    qualified_name id;
    bool partitioned = false, unlogged = false, row_security = false, force_row_security = false;
    opt_text partition_key;
    std::optional<partition_parent> partition_of;
    std::vector<qualified_name> inherits;
    std::string replica_identity;
    std::vector<column_def> columns;
    std::vector<constraint_def> constraints;
    std::vector<index_def> indexes;
    std::vector<trigger_def> triggers;
    std::vector<policy_def> policies;
    opt_text comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const table_def&) const = default;
};

struct view_def {
    qualified_name id;
    bool materialized = false;
    std::string definition;
    std::vector<std::string> options;
    std::vector<std::pair<std::string, opt_text>> column_comments;
    std::vector<index_def> indexes;
    std::vector<trigger_def> triggers;
    std::vector<qualified_name> depends_on;
    // The columns it reads of each relation of depends_on, when the document lists them
    // ("columns" of a depends_on entry); a relation not listed here may be read whole.
    std::map<qualified_name, std::vector<std::string>> columns_read;
    std::vector<std::pair<qualified_name, std::string>> functions;  // called: name, argument types
    opt_text comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const view_def&) const = default;
};

struct function_def {
    qualified_name id;
    std::string kind, arguments, result, language, definition;
    opt_text comment;
    std::string argument_types;              // with the name: what identifies it
    std::vector<qualified_name> depends_on;  // relations a SQL-standard body reads
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const function_def&) const = default;
};

struct sequence_def {
    qualified_name id;
    std::string type;
    long long start = 1, increment = 1, min = 1, max = 0, cache = 1;
    bool cycle = false;
    std::optional<std::pair<qualified_name, std::string>> owned_by;  // table, column
    opt_text comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const sequence_def&) const = default;
};

struct enum_def {
    qualified_name id;
    std::vector<std::string> labels;
    opt_text comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const enum_def&) const = default;
};

struct domain_def {
    qualified_name id;
    std::string type;
    bool not_null = false;
    opt_text default_expr, collation, comment;
    std::vector<constraint_def> constraints;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const domain_def&) const = default;
};

struct composite_def {
    qualified_name id;
    std::vector<column_def> attributes;  // name, type, collation, comment
    opt_text comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const composite_def&) const = default;
};

// A range type (CREATE TYPE … AS RANGE). subtype_opclass and collation only where they are not
// the subtype's defaults; canonical and subtype_diff: the functions' names; multirange: the name
// of its multirange type, in the same schema.
struct range_def {
    qualified_name id;
    std::string subtype;
    opt_text subtype_opclass, collation, canonical, subtype_diff, multirange, comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const range_def&) const = default;
};

// A collation of a user schema (CREATE COLLATION). provider: "libc" or "icu"; locale: the ICU
// locale (icu); lc_collate and lc_ctype: the libc locales (libc).
struct collation_def {
    qualified_name id;
    std::string provider;
    opt_text locale, lc_collate, lc_ctype;
    bool deterministic = true;
    opt_text comment;
    bool operator==(const collation_def&) const = default;
};

struct extension_def {
    std::string name, schema, version;
    opt_text comment;
    bool operator==(const extension_def&) const = default;
};

struct schema_def {
    std::string name;
    opt_text comment;
    opt_rename renamed_from;
    privilege_list privileges;
    bool operator==(const schema_def&) const = default;
};

struct event_trigger_def {
    std::string name, event, function, enabled;
    std::vector<std::string> tags;
    opt_text comment;
    bool operator==(const event_trigger_def&) const = default;
};

// A function an aggregate, operator or cast calls: its name and argument types.
using function_key = std::pair<qualified_name, std::string>;

// An aggregate (CREATE AGGREGATE). arguments: as DROP AGGREGATE names them (with ORDER BY for
// an ordered-set aggregate, "" for none); options: the parenthesised part of the statement.
struct aggregate_def {
    qualified_name id;
    std::string arguments, argument_types, options;
    std::vector<function_key> functions;
    opt_text comment;
    bool operator==(const aggregate_def&) const = default;
};

// An operator (CREATE OPERATOR). left: null for a prefix operator; function, restrict and join
// as regproc spells them; commutator and negator as OPERATOR(schema.name).
struct operator_def {
    qualified_name id;
    opt_text left;
    std::string right, function;
    opt_text commutator, negator, restriction, join;
    bool hashes = false, merges = false;
    std::vector<function_key> functions;
    opt_text comment;
    bool operator==(const operator_def&) const = default;
};

// A cast (CREATE CAST). method: function, binary or inout; function: its signature;
// context: explicit, assignment or implicit.
struct cast_def {
    std::string source, target, method;
    opt_text function;
    std::string context;
    std::vector<function_key> functions;
    opt_text comment;
    bool operator==(const cast_def&) const = default;
};

// A text search dictionary: its template, and its options as pg_ts_dict keeps them.
struct text_search_dictionary_def {
    qualified_name id;
    std::string template_name;
    opt_text options;
    opt_text comment;
    bool operator==(const text_search_dictionary_def&) const = default;
};

// The dictionaries a text search configuration tries, in turn, for one token type.
struct text_search_mapping {
    std::string token;
    std::vector<std::string> dictionaries;
    bool operator==(const text_search_mapping&) const = default;
};

struct text_search_configuration_def {
    qualified_name id;
    std::string parser;
    std::vector<text_search_mapping> mappings;
    opt_text comment;
    bool operator==(const text_search_configuration_def&) const = default;
};

struct snapshot {
    std::vector<schema_def> schemas;
    std::vector<extension_def> extensions;
    std::vector<collation_def> collations;
    bool collations_listed = false;  // the document has the (optional) "collations" list
    std::vector<enum_def> enums;
    std::vector<domain_def> domains;
    std::vector<composite_def> composite_types;
    std::vector<range_def> range_types;
    bool range_types_listed = false;  // the document has the (optional) "range_types" list
    std::vector<sequence_def> sequences;
    std::vector<table_def> tables;
    std::vector<view_def> views;
    std::vector<function_def> functions;
    std::vector<event_trigger_def> event_triggers;
    // Optional lists: a document without one (a model document) leaves those objects alone.
    std::vector<aggregate_def> aggregates;
    std::vector<operator_def> operators;
    std::vector<cast_def> casts;
    std::vector<text_search_dictionary_def> text_search_dictionaries;
    std::vector<text_search_configuration_def> text_search_configurations;
    bool aggregates_listed = false, operators_listed = false, casts_listed = false,
         text_search_listed = false;  // the document has the list (both text search ones)
    // The major version of the server whose deparsers wrote the definitions (ender_snapshot
    // sets it); absent in hand-written and model documents, which the diff normalises first.
    std::optional<int> deparsed_by;
    bool privileges = false;  // the document lists privileges ("privileges": true)
    // What a target allows the diff to do that it otherwise refuses ("allow": ["rewrites_table"]
    // rebuilds a table whose partition key changes). ender_snapshot never writes it.
    std::vector<std::string> allow;
    bool operator==(const snapshot&) const = default;
};

// A JSON document parsed outside the engine (the server's jsonb, read by the glue), seen
// through functions its reader supplies: parse_snapshot(root, access) reads it exactly as it
// reads JSON text, without the document being printed as text and parsed again. A handle is a
// value the reader defines (copied as bytes).
struct json_handle {
    alignas(8) unsigned char bytes[32];

    // A reader's value (trivially copyable, at most 32 bytes) as a handle, and back.
    template <typename T>
    static json_handle of(const T& value) {
        static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(bytes));
        json_handle h;
        std::memcpy(h.bytes, &value, sizeof value);
        return h;
    }
    template <typename T>
    T as() const {
        T value;
        std::memcpy(&value, bytes, sizeof value);
        return value;
    }
};
// integer: fits a bigint; big_integer: an integer that does not; number: any other number.
enum class json_type { object, array, string, integer, big_integer, number, boolean, null };
struct json_access {
    json_type (*type)(const json_handle& value);
    // Sets `out` to the member `key` of an object; false when it has none.
    bool (*member)(const json_handle& object, std::string_view key, json_handle& out);
    std::string_view (*string)(const json_handle& value);  // valid while the document lives
    bool (*boolean)(const json_handle& value);
    long long (*integer)(const json_handle& value);
    std::size_t (*size)(const json_handle& array);
    // Calls visit(context, item) for each element of an array, in order.
    void (*each)(const json_handle& array, void* context,
                 void (*visit)(void* context, const json_handle& item));
};

// Parses and validates a snapshot document (JSON text). Throws engine::error with SQLSTATE
// 22023 and the path of the problem ("$.tables[2].columns[0].type") in the detail.
// "renamed_from" is read wherever it may be (always optional); "privileges" lists are read,
// and required, only when the document says "privileges": true.
snapshot parse_snapshot(std::string_view json_text);
// The same for a document parsed elsewhere, whose top value is `root`.
snapshot parse_snapshot(const json_handle& root, const json_access& access);

}  // namespace ender::engine
