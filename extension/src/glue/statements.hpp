// A revision's SQL as PostgreSQL's own parser sees it: split into statements (dollar quotes,
// comments and all handled by the server's grammar), checked at registration time for syntax
// errors and for statements that cannot run inside a transaction, and executed one by one
// with an error context naming the revision and the statement.
#pragma once
#include "pg.hpp"

#include <string>
#include <vector>

namespace ender::glue {

struct sql_statement {
    std::string text;
    int line;  // 1-based line of the statement's start within the section
};

// Splits `sql` into statements. Throws engine::error naming the revision and section on a
// syntax error or on a statement ender cannot run in a transaction.
std::vector<sql_statement> split_statements(const std::string& sql, const std::string& revision,
                                            const char* section);

// Runs the statements of one revision section in the current transaction. A failure
// surfaces as the original PostgreSQL error plus a context line naming the revision,
// the section and the statement.
void execute_statements(const std::vector<sql_statement>& statements, const std::string& revision,
                        const char* section);

// Runs one statement with `callback(arg)` on the error context stack (it adds the CONTEXT line
// of an error); returns SPI_execute's code. Call inside pg_guard.
int execute_in_context(const char* sql, void (*callback)(void*), void* arg);

// ender.report_progress: ender_upgrade and ender_downgrade send an INFO message before each
// revision they run ("ender progress: upgrade 3/12 <id>"), for a client to show its progress.
extern bool setting_report_progress;

// ender.client_step_revision: the revision whose C++ data step the calling program runs itself,
// in the same transaction, right after ender_upgrade(id) or ender_downgrade returns (ender's
// client library sets it locally). ender_upgrade and ender_downgrade refuse any other revision
// that has a step.
extern char* setting_client_step_revision;

}  // namespace ender::glue
