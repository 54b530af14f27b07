// The one hazard classifier: what a statement may do to a running database, read from
// PostgreSQL's own parse tree. ender_hazards (hand-written SQL) and ender_diff (its steps' SQL)
// both take their hazard words from it, so the same statement gets the same words.
#pragma once
#include "pg.hpp"

#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ender::glue {

// What the statements before this one did, as far as the hazards care: the tables they created
// and that nothing has written to since. A constraint, a NOT NULL column or a unique index on
// such a table cannot fail on existing rows: it has none.
// Kept by name: a diff from an empty schema creates thousands of tables and asks about each.
struct hazard_context {
    struct new_table_set {
        std::unordered_map<std::string, std::set<std::string>> schemas;  // name -> schemas or ""
        void insert(const std::pair<std::string, std::string>& schema_and_name) {
            schemas[schema_and_name.second].insert(schema_and_name.first);
        }
    } new_tables;
};

// The hazard words of one raw statement, in a fixed order (takes_access_exclusive,
// blocks_writes, rewrites_table, builds_index, deletes_data, can_fail_on_existing_rows,
// changes_authorization); `context` is read and updated. Call inside pg_guard.
std::vector<const char*> statement_hazards(Node* statement, hazard_context& context);

// The hazard words of every statement of `sql`, together (in the same order); `context` is
// read and updated. Throws pg_error on a syntax error.
std::vector<std::string> sql_hazards(const std::string& sql, hazard_context& context);

}  // namespace ender::glue
