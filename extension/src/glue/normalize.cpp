// Normalising a target document through the server's parser and deparsers (see normalize.hpp).
//
// How: inside a subtransaction, every schema the document names that exists is renamed out of
// the way and created again empty (relocatable extensions that lived there move along), the
// diff from those empty schemas to the document is applied (plain transactional forms, empty
// tables: nothing is rewritten or scanned), ender_snapshot() reads the result back, and the
// subtransaction is rolled back. Readers of the real schemas are never blocked; DDL in those
// schemas waits for the few milliseconds this takes.
#include "normalize.hpp"

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "conversions.hpp"
#include "guard.hpp"
#include "spi.hpp"
#include "statements.hpp"
#include "trial.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace ender::glue {

namespace {

int server_major() {
    return PG_VERSION_NUM / 10000;
}

struct build_context {
    const engine::diff_step* step;
    int number;
    int count;
};

void build_error_callback(void* arg) {
    auto* c = static_cast<build_context*>(arg);
    if (c->step)
        errcontext(
            "building %s %s of the target snapshot document in a scratch schema to "
            "normalise it (step %d of %d)",
            c->step->object_kind.c_str(), c->step->object_name.c_str(), c->number, c->count);
    else
        errcontext("preparing scratch schemas to normalise the target snapshot document");
}

// Whether a statement is of a kind the diff writes (what building a document needs); nullptr
// when it may run, else what it is. A document's definitions are text the diff copies into its
// steps: anything else they hold (COPY ... TO PROGRAM, a DO block, a query, SET ROLE) is
// refused, never run.
const char* not_buildable(Node* stmt) {
    switch (nodeTag(stmt)) {
        case T_CreateSchemaStmt:
        case T_CreateStmt:
        case T_AlterTableStmt:
        case T_IndexStmt:
        case T_ViewStmt:
        case T_CreateFunctionStmt:
        case T_AlterFunctionStmt:
        case T_CreateTrigStmt:
        case T_CreatePolicyStmt:
        case T_AlterPolicyStmt:
        case T_CommentStmt:
        case T_GrantStmt:
        case T_CreateSeqStmt:
        case T_AlterSeqStmt:
        case T_CreateEnumStmt:
        case T_AlterEnumStmt:
        case T_CompositeTypeStmt:
        case T_CreateRangeStmt:
        case T_CreateDomainStmt:
        case T_AlterDomainStmt:
        case T_CreateExtensionStmt:
        case T_AlterObjectSchemaStmt:
        case T_RenameStmt:
        case T_DropStmt:
        case T_CreateCastStmt:
        case T_AlterOperatorStmt:
        case T_AlterTSDictionaryStmt:
        case T_AlterTSConfigurationStmt:
            return nullptr;
        case T_DefineStmt:  // not CREATE TYPE (a base or shell type, which needs C functions)
            switch (castNode(DefineStmt, stmt)->kind) {
                case OBJECT_COLLATION:
                case OBJECT_AGGREGATE:
                case OBJECT_OPERATOR:
                case OBJECT_TSDICTIONARY:
                case OBJECT_TSCONFIGURATION:
                    return nullptr;
                default:
                    return CreateCommandName(stmt);
            }
        case T_CreateTableAsStmt:  // a materialized view: built WITH NO DATA (below)
            return castNode(CreateTableAsStmt, stmt)->objtype == OBJECT_MATVIEW ? nullptr
                                                                                : "CREATE TABLE AS";
        case T_VariableSetStmt: {  // the diff's SET LOCAL check_function_bodies = off
            auto* set = castNode(VariableSetStmt, stmt);
            return set->is_local && set->name && strcmp(set->name, "check_function_bodies") == 0
                       ? nullptr
                       : "SET";
        }
        default:
            return CreateCommandName(stmt);
    }
}

// Runs the statements of one step of the scratch build, each parsed and checked first and run
// on its own (one statement per call); errors carry the build context.
void run_build_statement(const std::string& sql, build_context& context) {
    std::vector<std::string> statements;
    const char* refused = nullptr;
    pg_guard([&] {
        ListCell* cell;
        foreach (cell, raw_parser(sql.c_str(), RAW_PARSE_DEFAULT)) {
            auto* raw = lfirst_node(RawStmt, cell);
            if ((refused = not_buildable(raw->stmt))) return;
            const int end = raw->stmt_len > 0 ? raw->stmt_location + raw->stmt_len
                                              : static_cast<int>(sql.size());
            std::string text = sql.substr(raw->stmt_location, end - raw->stmt_location);
            // A materialized view is built empty: its query is never run.
            if (auto* ctas = nodeTag(raw->stmt) == T_CreateTableAsStmt
                                 ? castNode(CreateTableAsStmt, raw->stmt)
                                 : nullptr;
                ctas && !ctas->into->skipData)
                text += "\nWITH NO DATA";
            statements.push_back(std::move(text));
        }
    });
    if (refused)
        throw engine::error(
            engine::sqlstate::invalid_parameter_value,
            "the target snapshot document holds a statement ender does not run",
            std::string("Normalising it would run a ") + refused + " statement (" +
                (context.step ? context.step->object_kind + " " + context.step->object_name
                              : std::string("preparing the build")) +
                "); a document's definitions are built only as the statements the diff writes.",
            "Compare a document written by ender_snapshot(), or remove the statement from the "
            "definition.");
    for (const auto& statement : statements)
        pg_guard([&] {
            int rc = execute_in_context(statement.c_str(), build_error_callback, &context);
            if (rc < 0)
                elog(ERROR, "ender could not run a normalising statement: %s",
                     SPI_result_code_string(rc));
        });
}

std::vector<std::string> schema_names(const engine::snapshot& s) {
    std::vector<std::string> names;
    names.reserve(s.schemas.size());
    for (const auto& schema : s.schemas) names.push_back(schema.name);
    return names;
}

// The scratch build itself; runs inside the subtransaction.
engine::snapshot build(const engine::snapshot& live, const engine::snapshot& target) {
    const std::vector<std::string> schemas = schema_names(target);
    build_context context{nullptr, 0, 0};
    // Function bodies are stored, never checked (a check of a SQL body plans it) nor run; the
    // subtransaction's rollback restores the setting.
    pg_guard([] {
        set_config_option("check_function_bodies", "off", PGC_USERSET, PGC_S_SESSION,
                          GUC_ACTION_LOCAL, true, 0, false);
    });

    // Existing schemas move aside under a name no user object has (the oid is unique); every
    // schema of the document is then created empty.
    auto existing = run_cached(
        "SELECT n.nspname, 'ender_normalising_' || n.oid::text FROM pg_catalog.pg_namespace n"
        " WHERE n.nspname = ANY ($1::text[]) ORDER BY n.nspname",
        {sql_param(schemas)});
    std::vector<std::string> hidden;
    for (const auto& row : existing) {
        run_build_statement("ALTER SCHEMA " + engine::quote_ident(*row[0]) + " RENAME TO " +
                                engine::quote_ident(*row[1]),
                            context);
        hidden.push_back(*row[1]);
    }
    for (const auto& name : schemas)
        run_build_statement("CREATE SCHEMA " + engine::quote_ident(name), context);
    // Extensions installed in a moved schema follow it, so the document's types and functions
    // from extensions resolve as they do live.
    auto extensions = run_cached(
        "SELECT x.extname, x.extrelocatable::text, n.nspname::text"
        "  FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace"
        " WHERE n.nspname = ANY ($1::text[]) ORDER BY x.extname",
        {sql_param(hidden)});
    for (const auto& row : extensions) {
        std::string original;
        for (const auto& r : existing)
            if (*r[1] == *row[2]) original = *r[0];
        if (*row[1] != "true")
            throw engine::error(
                engine::sqlstate::feature_not_supported,
                "cannot normalise the target snapshot document",
                "Extension \"" + *row[0] + "\" is installed in schema \"" + original +
                    "\" and cannot be relocated, which normalising the document's expressions "
                    "needs.",
                "Compare a document written by ender_snapshot(), which needs no normalising.");
        run_build_statement("ALTER EXTENSION " + engine::quote_ident(*row[0]) + " SET SCHEMA " +
                                engine::quote_ident(original),
                            context);
    }

    // Extensions and event triggers hold no expression and are partly database-wide: the build
    // keeps every live one and adds the document's new extensions (their types may be needed);
    // the document's own lists are carried over unchanged.
    engine::snapshot base = read_snapshot(&schemas, target.privileges);
    base.extensions = live.extensions;
    base.event_triggers = live.event_triggers;
    engine::snapshot wanted = target;
    wanted.extensions = live.extensions;
    for (const auto& e : target.extensions)
        if (std::none_of(live.extensions.begin(), live.extensions.end(),
                         [&](const engine::extension_def& x) { return x.name == e.name; }))
            wanted.extensions.push_back(e);
    wanted.event_triggers = live.event_triggers;
    engine::diff_options plain;
    plain.online = false;
    auto steps = engine::diff(base, wanted, plain);
    context.count = static_cast<int>(steps.size());
    for (const auto& step : steps) {
        context.step = &step;
        ++context.number;
        run_build_statement(step.sql, context);
    }
    engine::snapshot normalised = read_snapshot(&schemas, target.privileges);
    normalised.extensions = target.extensions;
    normalised.event_triggers = target.event_triggers;
    return normalised;
}

}  // namespace

std::vector<engine::diff_step> diff_by_meaning(const engine::snapshot& live,
                                               engine::snapshot target,
                                               const engine::diff_options& options) {
    if (target.deparsed_by == server_major()) return engine::diff(live, target, options);
    // Equal as text is equal by meaning: the common case (a model document that matches) is
    // planned once. Otherwise, or when the text asks for something the diff refuses (a
    // partition key spelled differently, say), the server's spelling decides.
    try {
        auto steps = engine::diff(live, target, options);
        if (steps.empty()) return steps;
    } catch (const engine::error&) {
    }
    engine::snapshot normalised = normalise(live, target);
    carry_conversions(target, normalised);
    return engine::diff(live, normalised, options);
}

engine::snapshot normalise(const engine::snapshot& live, const engine::snapshot& target) {
    engine::snapshot result = rolled_back([&] { return build(live, target); });
    result.deparsed_by = server_major();
    result.allow = target.allow;  // a request of the document, not a schema object
    return result;
}

}  // namespace ender::glue
