// Splitting, checking and running a revision's SQL (see statements.hpp).
#include "statements.hpp"

#include "../engine/error.hpp"
#include "guard.hpp"

#include <algorithm>

namespace ender::glue {

bool setting_report_progress = false;
char* setting_client_step_revision = nullptr;
namespace {

// The line (1-based) of byte offset `offset` in `text`.
int line_of(const std::string& text, std::size_t offset) {
    int line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i)
        if (text[i] == '\n') ++line;
    return line;
}

// The byte offset of 1-based character position `pos` in UTF-8 `text`.
std::size_t byte_offset(const std::string& text, int pos) {
    std::size_t i = 0;
    for (int chars = 1; chars < pos && i < text.size(); ++chars) {
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

bool has_concurrently_option(List* params) {
    ListCell* cell;
    foreach (cell, params) {
        auto* opt = static_cast<DefElem*>(lfirst(cell));
        if (strcmp(opt->defname, "concurrently") == 0) return true;
    }
    return false;
}

// What makes a statement impossible inside ender's transaction, or nullptr when it can run.
const char* not_in_transaction(Node* stmt) {
    switch (nodeTag(stmt)) {
        case T_TransactionStmt:
            return "a transaction control statement";
        case T_IndexStmt:
            return castNode(IndexStmt, stmt)->concurrent ? "CREATE INDEX CONCURRENTLY" : nullptr;
        case T_DropStmt:
            return castNode(DropStmt, stmt)->concurrent ? "DROP INDEX CONCURRENTLY" : nullptr;
        case T_ReindexStmt:
            return has_concurrently_option(castNode(ReindexStmt, stmt)->params)
                       ? "REINDEX CONCURRENTLY"
                       : nullptr;
        case T_VacuumStmt:
            return castNode(VacuumStmt, stmt)->is_vacuumcmd ? "VACUUM" : nullptr;
        case T_CreatedbStmt:
            return "CREATE DATABASE";
        case T_DropdbStmt:
            return "DROP DATABASE";
        case T_CreateTableSpaceStmt:
            return "CREATE TABLESPACE";
        case T_DropTableSpaceStmt:
            return "DROP TABLESPACE";
        case T_AlterSystemStmt:
            return "ALTER SYSTEM";
        case T_CopyStmt:
            return castNode(CopyStmt, stmt)->filename ? nullptr : "COPY FROM STDIN or TO STDOUT";
        default:
            return nullptr;
    }
}

struct statement_context {
    const char* revision;
    const char* section;
    int number;
    int count;
    int line;
};

void statement_error_callback(void* arg) {
    auto* c = static_cast<statement_context*>(arg);
    errcontext("%s SQL of ender revision \"%s\", statement %d of %d (line %d)", c->section,
               c->revision, c->number, c->count, c->line);
}

}  // namespace

std::vector<sql_statement> split_statements(const std::string& sql, const std::string& revision,
                                            const char* section) {
    struct raw {
        int location, length;
        const char* forbidden;
    };
    std::vector<raw> found;
    try {
        pg_guard([&] {
            List* trees = raw_parser(sql.c_str(), RAW_PARSE_DEFAULT);
            ListCell* cell;
            foreach (cell, trees) {
                auto* stmt = lfirst_node(RawStmt, cell);
                found.push_back(
                    {stmt->stmt_location, stmt->stmt_len, not_in_transaction(stmt->stmt)});
            }
        });
    } catch (const pg_error& e) {
        ErrorData* d = e.data();
        std::string where =
            d->cursorpos > 0
                ? " at line " + std::to_string(line_of(sql, byte_offset(sql, d->cursorpos)))
                : std::string();
        throw engine::error(
            engine::sqlstate::syntax_error,
            std::string("syntax error in the ") + section + " SQL of revision \"" + revision + "\"",
            std::string(d->message ? d->message : "syntax error") + where + ".",
            "Fix the migration and register it again.");
    }

    std::vector<sql_statement> out;
    out.reserve(found.size());
    // Lines counted as the statements go (they come in order): linear in the text, not
    // quadratic in the statements; a long script can be cancelled.
    std::size_t counted = 0;
    int line = 1;
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (i % 1024 == 1023) pg_guard([] { CHECK_FOR_INTERRUPTS(); });
        const auto& r = found[i];
        std::size_t start = static_cast<std::size_t>(r.location);
        std::size_t length = r.length > 0 ? static_cast<std::size_t>(r.length) : sql.size() - start;
        // Skip the blank lines and comments the grammar attaches to the statement's front.
        std::size_t lead = sql.find_first_not_of(" \t\r\n", start);
        if (lead == std::string::npos || lead > start + length) lead = start;
        std::string text = sql.substr(lead, start + length - lead);
        line += static_cast<int>(std::count(sql.begin() + counted, sql.begin() + lead, '\n'));
        counted = lead;
        if (r.forbidden)
            throw engine::error(
                engine::sqlstate::feature_not_supported,
                std::string(r.forbidden) + " cannot run inside an ender revision",
                std::string("Statement ") + std::to_string(i + 1) + " of the " + section +
                    " SQL of revision \"" + revision + "\" (line " + std::to_string(line) +
                    ") must run outside a transaction block, and a revision runs in one.",
                "Run it outside ender, or use the transactional form (for example CREATE INDEX "
                "without CONCURRENTLY).");
        out.push_back({std::move(text), line});
    }
    return out;
}

void execute_statements(const std::vector<sql_statement>& statements, const std::string& revision,
                        const char* section) {
    statement_context context{revision.c_str(), section, 0, static_cast<int>(statements.size()), 0};
    for (const auto& statement : statements) {
        ++context.number;
        context.line = statement.line;
        pg_guard([&] {
            int rc = execute_in_context(statement.text.c_str(), statement_error_callback, &context);
            if (rc < 0)
                ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                                errmsg("statement %d of the %s SQL of revision \"%s\" cannot run "
                                       "inside ender: %s",
                                       context.number, section, revision.c_str(),
                                       SPI_result_code_string(rc))));
        });
    }
}

int execute_in_context(const char* sql, void (*callback)(void*), void* arg) {
    ErrorContextCallback frame;
    frame.callback = callback;
    frame.arg = arg;
    frame.previous = error_context_stack;
    error_context_stack = &frame;
    int rc = SPI_execute(sql, false, 0);
    error_context_stack = frame.previous;
    if (SPI_tuptable) SPI_freetuptable(SPI_tuptable);
    return rc;
}

}  // namespace ender::glue
