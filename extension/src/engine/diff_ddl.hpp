// The SQL text of the objects a schema snapshot describes, as the diff writes it (diff.hpp):
// CREATE, DROP and COMMENT statements and their parts, identifiers always quoted (quote.hpp).
// Private to the diff.
#pragma once
#include "cpp_only.hpp"

#include "diff.hpp"
#include "privileges.hpp"
#include "snapshot.hpp"

#include <string>

namespace ender::engine::ddl {

// `s` without its trailing semicolons, spaces and newlines.
std::string strip_semicolon(std::string s);

std::string comment_sql(const std::string& target, const opt_text& comment);
std::string function_signature(const function_def& f);
std::string function_kind_sql(const function_def& f);

// How GRANT names each kind of object.
grant_target schema_grant(const std::string& name);
grant_target relation_grant(const qualified_name& id, const char* kind = "TABLE");
grant_target column_grant(const qualified_name& table, const std::string& column);
grant_target function_grant(const function_def& f);

std::string column_sql(const column_def& c);
std::string enabled_sql(const std::string& enabled);
std::string policy_sql(const qualified_name& table, const policy_def& p);
std::string create_view_sql(const view_def& v);
std::string drop_view_sql(const view_def& v);
std::string sequence_options(const sequence_def& s);
// ALTER SEQUENCE from `old`'s options to `s`'s; when the range narrows, the current value is
// first moved to `s`'s start if it falls outside the new range.
std::string alter_sequence_sql(const sequence_def& old, const sequence_def& s);
std::string collation_sql(const collation_def& c);
std::string enum_sql(const enum_def& e);
std::string domain_sql(const domain_def& d);
std::string composite_sql(const composite_def& c);
std::string range_sql(const range_def& r);
std::string create_table_sql(const table_def& t);

// An index definition to run: pg_get_indexdef writes "ON ONLY" for a partitioned table's
// index, which would build nothing on the partitions; without it they get theirs.
std::string index_sql(std::string definition);

// "CREATE [UNIQUE] INDEX name ON ..." as "CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...".
std::string concurrently(const std::string& index_definition);

}  // namespace ender::engine::ddl
