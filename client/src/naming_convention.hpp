// The names a naming_convention (schema.hpp) gives, private to the library: schema.cpp asks
// for one name per unnamed key, constraint and index.
#pragma once

#include "ender/schema.hpp"

#include <string>
#include <vector>

namespace ender::detail {

// What a template may name: the table, the object's columns (or labels of index keys), the
// referred table (foreign keys) and the constraint's own label (checks).
struct naming_subject {
    std::string table;
    std::vector<std::string> columns;
    std::string referred_table;
    std::string constraint_name;
};

// The parts with `separator` between them.
std::string joined(const std::vector<std::string>& parts, const std::string& separator);

// Throws usage_error (22023) for a template with a token it does not know.
void check_naming_template(const std::string& templ);

// `templ` with its tokens replaced, cut to 63 bytes with a hash suffix when longer.
std::string apply_naming_template(const std::string& templ, const naming_subject& subject);

}  // namespace ender::detail
