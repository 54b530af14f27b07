// ender_hazards(source): what the statements of hand-written migration SQL would do to a running
// database, read from PostgreSQL's own parse trees (not from the text): the same hazard words
// ender_diff puts on its steps. `ender upgrade --plan` shows them before anything runs.
//
// The parse tree says what a statement asks for, not what it will cost on a given database: an
// ALTER COLUMN TYPE to a binary-compatible type does not rewrite, a NOT NULL column added to an
// empty table cannot fail. The words are what the statement may do; they err on the side of
// saying so.
#include "pg.hpp"  // first: PostgreSQL headers before any engine header

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

constexpr const char* access_exclusive = "takes_access_exclusive";
constexpr const char* rewrites = "rewrites_table";
constexpr const char* builds_index = "builds_index";
constexpr const char* deletes = "deletes_data";
constexpr const char* can_fail = "can_fail_on_existing_rows";
constexpr const char* authorization = "changes_authorization";

void add(std::vector<const char*>& out, const char* hazard) {
    if (std::find(out.begin(), out.end(), hazard) == out.end()) out.push_back(hazard);
}

bool constraint_validates(const Constraint* c) {
    return !c->skip_validation && (c->contype == CONSTR_CHECK || c->contype == CONSTR_FOREIGN);
}

void column_definition(const ColumnDef* column, std::vector<const char*>& out) {
    bool not_null = column->is_not_null, has_default = column->raw_default != nullptr;
    ListCell* cell;
    foreach (cell, column->constraints) {
        auto* c = lfirst_node(Constraint, cell);
        if (c->contype == CONSTR_NOTNULL) not_null = true;
        if (c->contype == CONSTR_DEFAULT) has_default = true;
        if (c->contype == CONSTR_IDENTITY || c->contype == CONSTR_GENERATED) add(out, rewrites);
        if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE) {
            add(out, builds_index);
            add(out, can_fail);
        }
        if (constraint_validates(c)) add(out, can_fail);
    }
    if (not_null && !has_default) add(out, can_fail);
}

void alter_table(const AlterTableStmt* stmt, std::vector<const char*>& out) {
    ListCell* cell;
    foreach (cell, stmt->cmds) {
        auto* cmd = lfirst_node(AlterTableCmd, cell);
        switch (cmd->subtype) {
            case AT_AddConstraint: {
                auto* c = castNode(Constraint, cmd->def);
                // Foreign keys take SHARE ROW EXCLUSIVE, not ACCESS EXCLUSIVE.
                if (c->contype != CONSTR_FOREIGN) add(out, access_exclusive);
                if (constraint_validates(c)) add(out, can_fail);
                if ((c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE ||
                     c->contype == CONSTR_EXCLUSION) &&
                    !c->indexname) {
                    add(out, builds_index);
                    add(out, can_fail);
                }
                break;
            }
            case AT_ValidateConstraint:
                add(out, can_fail);  // SHARE UPDATE EXCLUSIVE: readers and writers go on
                break;
            case AT_DropColumn:
                add(out, access_exclusive);
                add(out, deletes);
                break;
            case AT_AlterColumnType:
                add(out, access_exclusive);
                add(out, rewrites);
                add(out, can_fail);
                break;
            case AT_SetNotNull:
                add(out, access_exclusive);
                add(out, can_fail);
                break;
            case AT_AddColumn:
                add(out, access_exclusive);
                column_definition(castNode(ColumnDef, cmd->def), out);
                break;
            case AT_SetTableSpace:
            case AT_SetLogged:
            case AT_SetUnLogged:
            case AT_AddIdentity:
                add(out, access_exclusive);
                add(out, rewrites);
                break;
            case AT_ChangeOwner:
                add(out, access_exclusive);
                add(out, authorization);
                break;
            case AT_DisableRowSecurity:
            case AT_NoForceRowSecurity:
                add(out, access_exclusive);
                add(out, authorization);  // every role then reads every row it may read
                break;
            case AT_AttachPartition:
                add(out, can_fail);  // scans the partition for rows outside its bound
                break;
            case AT_DetachPartition:
                add(out, access_exclusive);
                break;
            default:
                add(out, access_exclusive);  // most ALTER TABLE forms take it, if briefly
        }
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

std::vector<const char*> hazards_of(Node* stmt) {
    std::vector<const char*> out;
    switch (nodeTag(stmt)) {
        case T_AlterTableStmt:
            alter_table(castNode(AlterTableStmt, stmt), out);
            break;
        case T_IndexStmt:
            add(out, builds_index);
            if (castNode(IndexStmt, stmt)->unique) add(out, can_fail);
            break;
        case T_DropStmt: {
            auto* drop = castNode(DropStmt, stmt);
            add(out, access_exclusive);
            switch (drop->removeType) {
                case OBJECT_TABLE:
                case OBJECT_MATVIEW:
                case OBJECT_SCHEMA:
                case OBJECT_SEQUENCE:
                case OBJECT_TYPE:
                case OBJECT_DOMAIN:
                case OBJECT_FOREIGN_TABLE:
                    add(out, deletes);
                    break;
                default:
                    if (drop->behavior == DROP_CASCADE)
                        add(out, deletes);  // may reach tables and columns
            }
            break;
        }
        case T_TruncateStmt:
            add(out, access_exclusive);
            add(out, deletes);
            break;
        case T_DeleteStmt:
            add(out, deletes);
            break;
        case T_ClusterStmt:
            add(out, access_exclusive);
            add(out, rewrites);
            break;
        case T_VacuumStmt:
            if (castNode(VacuumStmt, stmt)->is_vacuumcmd) {
                ListCell* cell;
                foreach (cell, castNode(VacuumStmt, stmt)->options)
                    if (strcmp(lfirst_node(DefElem, cell)->defname, "full") == 0) {
                        add(out, access_exclusive);
                        add(out, rewrites);
                    }
            }
            break;
        case T_RenameStmt:
            add(out, access_exclusive);
            break;
        case T_CreateFunctionStmt:
            if (security_definer(castNode(CreateFunctionStmt, stmt)->options))
                add(out, authorization);
            break;
        case T_AlterFunctionStmt:
            if (security_definer(castNode(AlterFunctionStmt, stmt)->actions))
                add(out, authorization);
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
            add(out, authorization);
            break;
        default:
            break;
    }
    return out;
}

}  // namespace

// ender_hazards(source text) RETURNS TABLE (statement int, line int, sql text, hazards text[]):
// one row per statement of `source`, in order. A syntax error is the parser's own (42601).
ENDER_FUNCTION(ender_hazards) {
    const std::string sql = glue::text_arg(fcinfo, 0, "source");
    struct statement {
        int start, end;
        std::vector<const char*> hazards;
    };
    std::vector<statement> statements;
    glue::pg_guard([&] {
        ListCell* cell;
        foreach (cell, raw_parser(sql.c_str(), RAW_PARSE_DEFAULT)) {
            auto* raw = lfirst_node(RawStmt, cell);
            const int end = raw->stmt_len > 0 ? raw->stmt_location + raw->stmt_len
                                              : static_cast<int>(sql.size());
            statements.push_back({raw->stmt_location, end, hazards_of(raw->stmt)});
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
