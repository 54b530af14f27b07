// The hazard classifier (hazards.hpp) and ender_hazards(source): what the statements of
// migration SQL would do to a running database, read from PostgreSQL's own parse trees (not
// from the text). ender_diff classifies its steps' SQL with the same code, so a step and the
// same statement written by hand get the same words. `ender upgrade --plan` shows them before
// anything runs.
//
// The parse tree says what a statement asks for, not what it will cost on a given database: an
// ALTER COLUMN TYPE to a binary-compatible type does not rewrite. The words are what the
// statement may do; they err on the side of saying so. What the statements before did is
// taken into account: on a table they created (and did not fill), nothing can fail on
// existing rows.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

#include "hazards.hpp"

extern "C" {
#include "commands/defrem.h"
}

#include "guard.hpp"
#include "state.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

using namespace ender;

namespace {

// The words, in the order they are listed (ender_diff's and ender_hazards' alike).
constexpr const char* access_exclusive = "takes_access_exclusive";
constexpr const char* blocks_writes = "blocks_writes";
constexpr const char* rewrites = "rewrites_table";
constexpr const char* builds_index = "builds_index";
constexpr const char* deletes = "deletes_data";
constexpr const char* can_fail = "can_fail_on_existing_rows";
constexpr const char* authorization = "changes_authorization";
constexpr const char* order[] = {access_exclusive, blocks_writes, rewrites,     builds_index,
                                 deletes,          can_fail,      authorization};

// The hazards of one statement as they are found; `empty_table`: the statement works on a
// table created before it and never written to, where nothing can fail on existing rows and
// no other session waits (it cannot see the table before the creation commits).
struct found {
    bool empty_table = false;
    std::vector<const char*> words;
    // `elsewhere`: the hazard falls on another table than the statement's own (a referenced one).
    void add(const char* hazard, bool elsewhere = false) {
        if ((hazard == can_fail || hazard == blocks_writes) && empty_table && !elsewhere) return;
        if (std::find(words.begin(), words.end(), hazard) == words.end()) words.push_back(hazard);
    }
};

std::pair<std::string, std::string> table_key(const RangeVar* r) {
    return {r && r->schemaname ? r->schemaname : "", r && r->relname ? r->relname : ""};
}

// Whether `r` names a table the statements before created (an unqualified name matches any
// schema, a qualified one also the unqualified creation).
bool is_new(const glue::hazard_context& context, const RangeVar* r) {
    if (!r || !r->relname) return false;
    auto found = context.new_tables.schemas.find(r->relname);
    if (found == context.new_tables.schemas.end() || found->second.empty()) return false;
    return !r->schemaname || found->second.count("") || found->second.count(r->schemaname);
}

void forget(glue::hazard_context& context, const RangeVar* r) {
    if (!r || !r->relname) return;
    auto found = context.new_tables.schemas.find(r->relname);
    if (found == context.new_tables.schemas.end()) return;
    if (!r->schemaname) {
        context.new_tables.schemas.erase(found);
        return;
    }
    found->second.erase("");
    found->second.erase(r->schemaname);
}

bool constraint_validates(const Constraint* c) {
    return !c->skip_validation && (c->contype == CONSTR_CHECK || c->contype == CONSTR_FOREIGN);
}

void column_definition(const ColumnDef* column, found& out) {
    bool not_null = column->is_not_null, has_default = column->raw_default != nullptr;
    ListCell* cell;
    foreach (cell, column->constraints) {
        auto* c = lfirst_node(Constraint, cell);
        if (c->contype == CONSTR_NOTNULL) not_null = true;
        if (c->contype == CONSTR_DEFAULT) has_default = true;
        if (c->contype == CONSTR_IDENTITY || c->contype == CONSTR_GENERATED) out.add(rewrites);
        if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE) {
            out.add(builds_index);
            out.add(can_fail);
        }
        if (constraint_validates(c)) out.add(can_fail);
    }
    if (not_null && !has_default) out.add(can_fail);
}

// A foreign key takes SHARE ROW EXCLUSIVE on both tables until the transaction ends (it adds
// triggers to both): writes to either wait, reads go on. Only a table the statements before
// created is seen by nobody else.
void foreign_key(const Constraint* c, const glue::hazard_context& context, found& out) {
    out.add(blocks_writes, !is_new(context, c->pktable));
}

void alter_table(const AlterTableStmt* stmt, const glue::hazard_context& context, found& out) {
    ListCell* cell;
    foreach (cell, stmt->cmds) {
        auto* cmd = lfirst_node(AlterTableCmd, cell);
        switch (cmd->subtype) {
            case AT_AddConstraint: {
                auto* c = castNode(Constraint, cmd->def);
                // Every other kind takes ACCESS EXCLUSIVE (a validated check for its whole scan).
                if (c->contype == CONSTR_FOREIGN)
                    foreign_key(c, context, out);
                else
                    out.add(access_exclusive);
                if (constraint_validates(c)) out.add(can_fail);
                if ((c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE ||
                     c->contype == CONSTR_EXCLUSION) &&
                    !c->indexname) {
                    out.add(builds_index);
                    out.add(can_fail);
                }
                break;
            }
            case AT_ValidateConstraint:
                out.add(can_fail);  // SHARE UPDATE EXCLUSIVE: readers and writers go on
                break;
            case AT_DropColumn:
                out.add(access_exclusive);
                out.add(deletes);
                break;
            case AT_AlterColumnType:
                out.add(access_exclusive);
                out.add(rewrites);
                out.add(can_fail);
                break;
            case AT_SetNotNull:
                out.add(access_exclusive);
                out.add(can_fail);
                break;
            case AT_AddColumn:
                out.add(access_exclusive);
                column_definition(castNode(ColumnDef, cmd->def), out);
                break;
            case AT_SetTableSpace:
            case AT_SetLogged:
            case AT_SetUnLogged:
            case AT_AddIdentity:
                out.add(access_exclusive);
                out.add(rewrites);
                break;
            case AT_ChangeOwner:
            case AT_DisableRowSecurity:  // every role then reads every row it may read
            case AT_NoForceRowSecurity:
                out.add(access_exclusive);
                out.add(authorization);
                break;
            case AT_AttachPartition:
                // ACCESS EXCLUSIVE on the partition attached (and on a default partition), which
                // is scanned for rows outside its bound; SHARE UPDATE EXCLUSIVE on the parent.
                out.add(access_exclusive);
                out.add(can_fail);
                break;
            case AT_DetachPartition:
                out.add(access_exclusive);
                break;
            default:
                out.add(access_exclusive);  // most ALTER TABLE forms take it, if briefly
        }
    }
}

// A new table locks no other table but the ones its foreign keys reference and, for a
// partition, its parent (ACCESS EXCLUSIVE); an inheritance parent gets SHARE UPDATE EXCLUSIVE.
void create_table(const CreateStmt* create, glue::hazard_context& context, found& out) {
    if (!create->partbound && !create->inhRelations)  // first: a key may reference the table
        context.new_tables.insert(table_key(create->relation));
    ListCell* cell;
    foreach (cell, create->tableElts) {
        List* constraints = nullptr;
        if (IsA(lfirst(cell), ColumnDef))
            constraints = lfirst_node(ColumnDef, cell)->constraints;
        else if (IsA(lfirst(cell), Constraint))
            constraints = list_make1(lfirst(cell));
        ListCell* inner;
        foreach (inner, constraints)
            if (lfirst_node(Constraint, inner)->contype == CONSTR_FOREIGN)
                foreign_key(lfirst_node(Constraint, inner), context, out);
    }
    if (create->partbound && !is_new(context, linitial_node(RangeVar, create->inhRelations)))
        out.add(access_exclusive);
}

// Whether a DROP of this kind takes ACCESS EXCLUSIVE on a relation queries use: a table, view,
// index or sequence, or the table of a trigger, rule or policy (an extension's members may be
// any of them). DROP INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE; the lock a function,
// type, domain, schema or statistics object gets is one no query takes.
bool drop_locks_relation(const DropStmt* drop) {
    switch (drop->removeType) {
        case OBJECT_INDEX:
            return !drop->concurrent;
        case OBJECT_TABLE:
        case OBJECT_VIEW:
        case OBJECT_MATVIEW:
        case OBJECT_SEQUENCE:
        case OBJECT_FOREIGN_TABLE:
        case OBJECT_TRIGGER:
        case OBJECT_RULE:
        case OBJECT_POLICY:
        case OBJECT_EXTENSION:
            return true;
        default:
            return false;
    }
}

// Whether a rename takes ACCESS EXCLUSIVE on a relation queries use (ALTER INDEX … RENAME takes
// SHARE UPDATE EXCLUSIVE; types, functions, schemas and the like get object locks only).
bool rename_locks_relation(const RenameStmt* rename) {
    switch (rename->renameType) {
        case OBJECT_TABLE:
        case OBJECT_VIEW:
        case OBJECT_MATVIEW:
        case OBJECT_SEQUENCE:
        case OBJECT_FOREIGN_TABLE:
        case OBJECT_COLUMN:
        case OBJECT_TABCONSTRAINT:
        case OBJECT_TRIGGER:
        case OBJECT_RULE:
        case OBJECT_POLICY:
            return true;
        default:
            return false;
    }
}

// A function defined or altered SECURITY DEFINER runs with its owner's rights for whoever may
// call it.
bool security_definer(List* options) {
    ListCell* cell;
    foreach (cell, options) {
        auto* option = lfirst_node(DefElem, cell);
        if (strcmp(option->defname, "security") == 0 && defGetBoolean(option)) return true;
    }
    return false;
}

void classify(Node* stmt, glue::hazard_context& context, found& out) {
    switch (nodeTag(stmt)) {
        case T_CreateStmt:
            create_table(castNode(CreateStmt, stmt), context, out);
            break;
        case T_AlterTableStmt: {
            auto* alter = castNode(AlterTableStmt, stmt);
            out.empty_table = is_new(context, alter->relation);
            alter_table(alter, context, out);
            break;
        }
        case T_IndexStmt: {
            // SHARE until the transaction ends: writes wait, reads go on. CONCURRENTLY takes
            // SHARE UPDATE EXCLUSIVE, which lets both go on.
            auto* index = castNode(IndexStmt, stmt);
            out.empty_table = is_new(context, index->relation);
            if (!index->concurrent) out.add(blocks_writes);
            out.add(builds_index);
            if (index->unique) out.add(can_fail);  // duplicates among the existing rows
            break;
        }
        case T_DropStmt: {
            auto* drop = castNode(DropStmt, stmt);
            // CASCADE may reach tables and columns (a type's, a function's in a default).
            const bool cascade = drop->behavior == DROP_CASCADE;
            if (drop_locks_relation(drop) || cascade) out.add(access_exclusive);
            switch (drop->removeType) {
                case OBJECT_TABLE:
                case OBJECT_MATVIEW:
                case OBJECT_SEQUENCE:
                case OBJECT_FOREIGN_TABLE:
                    out.add(deletes);
                    break;
                default:
                    // A schema that holds anything, a type or domain still in use cannot be
                    // dropped without CASCADE.
                    if (cascade) out.add(deletes);
            }
            break;
        }
        case T_TruncateStmt:
            out.add(access_exclusive);
            out.add(deletes);
            break;
        case T_DeleteStmt:
            out.add(deletes);
            break;
        case T_InsertStmt:
            forget(context, castNode(InsertStmt, stmt)->relation);  // rows now
            break;
        case T_CopyStmt:
            forget(context, castNode(CopyStmt, stmt)->relation);
            break;
        case T_ClusterStmt:
            out.add(access_exclusive);
            out.add(rewrites);
            break;
        case T_VacuumStmt:
            if (castNode(VacuumStmt, stmt)->is_vacuumcmd) {
                ListCell* cell;
                foreach (cell, castNode(VacuumStmt, stmt)->options)
                    if (strcmp(lfirst_node(DefElem, cell)->defname, "full") == 0) {
                        out.add(access_exclusive);
                        out.add(rewrites);
                    }
            }
            break;
        case T_RenameStmt:
            if (rename_locks_relation(castNode(RenameStmt, stmt))) out.add(access_exclusive);
            break;
        case T_CreateFunctionStmt:
            if (security_definer(castNode(CreateFunctionStmt, stmt)->options))
                out.add(authorization);
            break;
        case T_AlterFunctionStmt:
            if (security_definer(castNode(AlterFunctionStmt, stmt)->actions))
                out.add(authorization);
            break;
        case T_DoStmt:  // runs code the parse tree does not show
        case T_CreateEventTrigStmt:
        case T_AlterEventTrigStmt:
        case T_GrantStmt:
        case T_GrantRoleStmt:
        case T_AlterDefaultPrivilegesStmt:
        case T_CreateRoleStmt:
        case T_AlterRoleStmt:
        case T_DropRoleStmt:
        case T_AlterOwnerStmt:
        case T_CreatePolicyStmt:
        case T_AlterPolicyStmt:
            out.add(authorization);
            break;
        default:
            break;
    }
}

}  // namespace

namespace ender::glue {

std::vector<const char*> statement_hazards(Node* statement, hazard_context& context) {
    found out;
    classify(statement, context, out);
    std::vector<const char*> sorted;
    for (const char* word : order)
        if (std::find(out.words.begin(), out.words.end(), word) != out.words.end())
            sorted.push_back(word);
    return sorted;
}

std::vector<std::string> sql_hazards(const std::string& sql, hazard_context& context) {
    std::vector<const char*> all;
    pg_guard([&] {
        // The parse trees in a context of their own, given back at once: ender_diff classifies
        // thousands of statements in one call, and their trees would otherwise pile up until it
        // returns (fresh pages for every one). After an error it goes with the caller's context.
        MemoryContext trees =
            AllocSetContextCreate(CurrentMemoryContext, "ender hazards", ALLOCSET_DEFAULT_SIZES);
        MemoryContext caller = MemoryContextSwitchTo(trees);
        ListCell* cell;
        foreach (cell, raw_parser(sql.c_str(), RAW_PARSE_DEFAULT))
            for (const char* word : statement_hazards(lfirst_node(RawStmt, cell)->stmt, context))
                if (std::find(all.begin(), all.end(), word) == all.end()) all.push_back(word);
        MemoryContextSwitchTo(caller);
        MemoryContextDelete(trees);
    });
    std::vector<std::string> out;
    for (const char* word : order)
        if (std::find(all.begin(), all.end(), word) != all.end()) out.push_back(word);
    return out;
}

}  // namespace ender::glue

// ender_hazards(source text) RETURNS TABLE (statement int, line int, sql text, hazards text[]):
// one row per statement of `source`, in order. A syntax error is the parser's own (42601).
ENDER_FUNCTION(ender_hazards) {
    const std::string sql = glue::text_arg(fcinfo, 0, "source");
    struct statement {
        int start, end;
        std::vector<const char*> hazards;
    };
    std::vector<statement> statements;
    glue::hazard_context context;  // tables this SQL creates
    glue::pg_guard([&] {
        ListCell* cell;
        foreach (cell, raw_parser(sql.c_str(), RAW_PARSE_DEFAULT)) {
            auto* raw = lfirst_node(RawStmt, cell);
            const int end = raw->stmt_len > 0 ? raw->stmt_location + raw->stmt_len
                                              : static_cast<int>(sql.size());
            statements.push_back(
                {raw->stmt_location, end, glue::statement_hazards(raw->stmt, context)});
        }
    });
    // Each statement's text without the blank lines and comments the grammar keeps around it.
    for (auto& s : statements) {
        for (bool skipped = true; skipped && s.start < s.end;) {
            skipped = false;
            while (s.start < s.end && std::isspace(static_cast<unsigned char>(sql[s.start])))
                ++s.start;
            if (sql.compare(s.start, 2, "--") == 0) {
                auto eol = sql.find('\n', s.start);
                s.start = eol == std::string::npos ? s.end : std::min(s.end, static_cast<int>(eol));
                skipped = true;
            } else if (sql.compare(s.start, 2, "/*") == 0) {
                auto close = sql.find("*/", s.start + 2);
                s.start = close == std::string::npos ? s.end
                                                     : std::min(s.end, static_cast<int>(close) + 2);
                skipped = true;
            }
        }
        while (s.end > s.start && std::isspace(static_cast<unsigned char>(sql[s.end - 1]))) --s.end;
    }

    glue::pg_guard([&] {
        InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        int number = 0, line = 1;
        int counted = 0;  // lines counted as the statements go: linear, not quadratic
        for (const auto& s : statements) {
            if (number % 1024 == 1023) CHECK_FOR_INTERRUPTS();
            Datum* words = static_cast<Datum*>(palloc(sizeof(Datum) * (s.hazards.size() + 1)));
            for (std::size_t i = 0; i < s.hazards.size(); ++i)
                words[i] = CStringGetTextDatum(s.hazards[i]);
            line +=
                static_cast<int>(std::count(sql.begin() + counted, sql.begin() + s.start, '\n'));
            counted = s.start;
            Datum values[4] = {
                Int32GetDatum(++number), Int32GetDatum(line),
                PointerGetDatum(cstring_to_text_with_len(sql.data() + s.start, s.end - s.start)),
                PointerGetDatum(construct_array(words, static_cast<int>(s.hazards.size()), TEXTOID,
                                                -1, false, TYPALIGN_INT))};
            bool nulls[4] = {false, false, false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}
