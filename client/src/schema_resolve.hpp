// The objects of a schema's tables named and defined as PostgreSQL would name and print them
// (schema_resolve.cpp): what schema::snapshot() and schema::ddl() both write. Private to the
// library.
#pragma once

#include "ender/schema.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ender::detail {

struct resolved_constraint {
    std::string name;
    std::string type;  // primary key, unique, foreign key, check
    std::string definition;
    std::vector<std::string> columns;
    nlohmann::json references;  // null unless a foreign key
    std::optional<std::string> comment;
};

struct resolved_index {
    std::string name;
    std::string definition;
    bool unique = false;
    std::optional<std::string> predicate;
    std::string method;
    std::optional<std::string> comment;
};

struct resolved_sequence {
    std::string name;
    std::string column;
    std::string type;
};

struct resolved_table {
    const table_info* t;
    std::vector<resolved_constraint> constraints;  // keys and checks, then foreign keys
    std::vector<resolved_index> indexes;
    std::vector<resolved_sequence> sequences;          // of serial columns
    std::vector<std::optional<std::string>> defaults;  // per column, nextval() for serials
};

// The tables with every key, constraint, index and serial sequence named (by the names given,
// the convention's, or PostgreSQL's) and defined as the catalog prints them.
std::vector<resolved_table> resolve(const std::vector<table_info>& tables,
                                    const naming_convention& naming);

// Every enum the tables use, once, in (schema, name) order.
std::vector<enum_info> enums_of(const std::vector<table_info>& tables);

// The schemas the tables and their enums are in, and public.
std::set<std::string> schemas_of(const std::vector<table_info>& tables);

// s in upper case (ASCII).
std::string upper(std::string s);

}  // namespace ender::detail
