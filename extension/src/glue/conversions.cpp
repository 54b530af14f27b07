// Column type changes as the catalog sees them (see conversions.hpp).
#include "conversions.hpp"

#include "guard.hpp"

extern "C" {
#include "parser/parse_coerce.h"
}

#include <map>
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

void spell_conversion_types(engine::snapshot& target) {
    for (auto& t : target.tables)
        for (auto& c : t.columns)
            for (auto& conversion : c.conversions) {
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
