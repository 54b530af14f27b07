// How a new revision is named (ender.toml's revision_id and file_template): its id, and its
// file's name, as `revision`, autogenerate and split write them.
#pragma once

#include "common.hpp"

#include <string>
#include <vector>

namespace ender::cli {

struct revision_naming {
    // hex: 12 random hexadecimal digits; timestamp: the UTC time, YYYYMMDDHHMMSS; sequence:
    // one more than the highest all-digit id among the existing ones, 4 digits at least.
    std::string id_format = "hex";
    // Alembic's file_template tokens: %(rev)s, %(slug)s, %(epoch)s, %(year)d, %(month).2d,
    // %(day).2d, %(hour).2d, %(minute).2d, %(second).2d; ".sql" is added when missing.
    std::string file_template = "%(rev)s_%(slug)s";
};

// Refuses (exit 2) a template with an unknown token, without %(rev)s, or naming a directory.
void check_file_template(const std::string& file_template);

// A new revision id in `naming`'s format, different from every id in `taken`.
std::string new_revision_id(const revision_naming& naming, const std::vector<std::string>& taken);

// The file name of a new revision: the template with its tokens replaced, ".sql" added.
// "Add phone!" is slugged "add_phone" (lowercase letters, digits and _, at most 40).
std::string revision_file_name(const revision_naming& naming, const std::string& id,
                               const std::string& message);

}  // namespace ender::cli
