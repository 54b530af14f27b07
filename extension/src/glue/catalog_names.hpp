// Names the catalogs give a snapshot's tables (catalog_tables.cpp), each computed once: type
// names, collation names, deparsed defaults, default operator classes. Called inside pg_guard.
#pragma once
#include "pg.hpp"

extern "C" {
#include "catalog/pg_collation.h"
#include "catalog/pg_namespace.h"
#include "commands/defrem.h"
#include "utils/syscache.h"
}

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ender::glue::catalog {

// Names of types (format_type), each computed once per type and modifier.
class type_names {
public:
    // Called inside pg_guard.
    const std::string& of(Oid type, int32 typmod) {
        const auto key =
            (static_cast<std::uint64_t>(type) << 32) | static_cast<std::uint32_t>(typmod);
        auto found = names_.find(key);
        if (found == names_.end())
            found = names_
                        .emplace(key, format_type_extended(
                                          type, typmod,
                                          FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID))
                        .first;
        return found->second;
    }

private:
    std::unordered_map<std::uint64_t, std::string> names_;
};

// The collation a column names: none when it is its type's default, else the collation's name,
// schema-qualified outside pg_catalog. Looked up once per type and collation.
class collation_names {
public:
    // Called inside pg_guard; nullptr when the column uses its type's collation.
    const char* of(Oid type, Oid collation) {
        if (!OidIsValid(collation)) return nullptr;
        auto type_default = defaults_.find(type);
        if (type_default == defaults_.end())
            type_default = defaults_.emplace(type, get_typcollation(type)).first;
        if (collation == type_default->second) return nullptr;
        auto found = names_.find(collation);
        if (found == names_.end()) {
            HeapTuple tuple = SearchSysCache1(COLLOID, ObjectIdGetDatum(collation));
            if (!HeapTupleIsValid(tuple))
                elog(ERROR, "cache lookup failed for collation %u", collation);
            auto* form = reinterpret_cast<Form_pg_collation>(GETSTRUCT(tuple));
            const char* name = quote_identifier(NameStr(form->collname));
            found = names_
                        .emplace(collation, form->collnamespace == PG_CATALOG_NAMESPACE
                                                ? std::string(name)
                                                : std::string(quote_identifier(
                                                      get_namespace_name(form->collnamespace))) +
                                                      "." + name)
                        .first;
            ReleaseSysCache(tuple);
        }
        return found->second.c_str();
    }

private:
    std::unordered_map<Oid, Oid> defaults_;
    std::unordered_map<Oid, std::string> names_;
};

// Expressions that need no table context (defaults), deparsed once per distinct stored tree.
class deparsed_once {
public:
    // Called inside pg_guard; `tree` is the pg_node_tree as text.
    const std::string& of(const char* tree) {
        auto found = texts_.find(std::string_view(tree));
        if (found == texts_.end()) {
            Datum deparsed = DirectFunctionCall2(pg_get_expr, CStringGetTextDatum(tree),
                                                 ObjectIdGetDatum(InvalidOid));
            found = texts_.emplace(tree, text_to_cstring(DatumGetTextPP(deparsed))).first;
        }
        return found->second;
    }

private:
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, std::string, hash, std::equal_to<>> texts_;
};

// The default operator class of a type for an access method, looked up once per pair.
class default_opclasses {
public:
    // Called inside pg_guard.
    Oid of(Oid type, Oid method) {
        const auto key = (static_cast<std::uint64_t>(type) << 32) | method;
        auto found = classes_.find(key);
        if (found == classes_.end())
            found = classes_.emplace(key, GetDefaultOpClass(type, method)).first;
        return found->second;
    }

private:
    std::unordered_map<std::uint64_t, Oid> classes_;
};

}  // namespace ender::glue::catalog
