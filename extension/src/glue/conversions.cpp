// Column type changes as the catalog sees them (see conversions.hpp).
#include "conversions.hpp"

#include "../engine/diff.hpp"
#include "../engine/error.hpp"
#include "guard.hpp"

extern "C" {
#include "parser/parse_coerce.h"
}

#include <map>
#include <optional>
#include <utility>

namespace ender::glue {

namespace {

// The type `spelling` names and its modifier; InvalidOid when the catalog does not know it.
std::pair<Oid, int32> type_of(const std::string& spelling) {
    Oid type = InvalidOid;
    int32 modifier = -1;
    pg_guard([&] { parseTypeString(spelling.c_str(), &type, &modifier, true); });
    return {type, modifier};
}

// Nothing when `expression` is one SQL expression (what USING takes: read as
// SELECT (expression), one statement with one result column and no other clause), else why not.
std::optional<std::string> not_one_expression(const std::string& expression) {
    const std::string sql = "SELECT (" + expression + "\n)";
    std::optional<std::string> why = "it holds more than an expression";
    try {
        pg_guard([&] {
            List* parsed = raw_parser(sql.c_str(), RAW_PARSE_DEFAULT);
            if (list_length(parsed) != 1) return;
            Node* statement = linitial_node(RawStmt, parsed)->stmt;
            if (!IsA(statement, SelectStmt)) return;
            auto* s = castNode(SelectStmt, statement);
            if (list_length(s->targetList) == 1 && !s->fromClause && !s->whereClause &&
                !s->groupClause && !s->havingClause && !s->windowClause && !s->sortClause &&
                !s->limitCount && !s->limitOffset && !s->lockingClause && !s->withClause &&
                !s->distinctClause && !s->intoClause && !s->valuesLists && s->op == SETOP_NONE)
                why.reset();
        });
    } catch (const pg_error& e) {  // pg_guard has copied and flushed the error
        why = std::string("PostgreSQL reads it as: ") + e.what();
    }
    return why;
}

}  // namespace

bool cast_exists(const std::string& from, const std::string& to) {
    const Oid source = type_of(from).first, target = type_of(to).first;
    if (!OidIsValid(source) || !OidIsValid(target) || source == target) return true;
    CoercionPathType path = COERCION_PATH_NONE;
    pg_guard([&] {
        Oid function = InvalidOid;
        path = find_coercion_pathway(target, source, COERCION_EXPLICIT, &function);
    });
    return path != COERCION_PATH_NONE;
}

void prepare_conversions(engine::snapshot& target) {
    for (auto& t : target.tables)
        for (auto& c : t.columns)
            for (auto& conversion : c.conversions) {
                for (const auto* e :
                     {&conversion.up, conversion.down ? &*conversion.down : nullptr})
                    if (auto why = e ? not_one_expression(*e) : std::nullopt)
                        throw engine::error(
                            engine::sqlstate::syntax_error,
                            "invalid conversion expression for column " + engine::qualified(t.id) +
                                "." + engine::quote_ident(c.name),
                            "The expression \"" + *e + "\" is not one SQL expression: " + *why +
                                ".",
                            "Write \"using\" and \"down\" as the expression that follows USING "
                            "in ALTER COLUMN ... TYPE (converts_from's second and third "
                            "arguments).");
                if (!conversion.from) continue;
                auto [type, modifier] = type_of(*conversion.from);
                if (!OidIsValid(type)) continue;
                pg_guard([&, type = type, modifier = modifier] {
                    char* spelled = format_type_with_typemod(type, modifier);
                    conversion.from = std::string(spelled);
                    pfree(spelled);
                });
            }
}

void carry_conversions(const engine::snapshot& target, engine::snapshot& normalised) {
    std::map<std::pair<engine::qualified_name, std::string>, const engine::column_def*> declared;
    for (const auto& t : target.tables)
        for (const auto& c : t.columns)
            if (!c.conversions.empty()) declared.emplace(std::pair{t.id, c.name}, &c);
    if (declared.empty()) return;
    for (auto& t : normalised.tables)
        for (auto& c : t.columns)
            if (auto found = declared.find({t.id, c.name}); found != declared.end())
                c.conversions = found->second->conversions;
}

}  // namespace ender::glue
