// Renames declared in a target document ("renamed_from"): the ALTER ... RENAME steps that give
// live objects the names the target expects, never guessed from similar shapes. One kind of
// rename needs no declaration: a constraint or an index whose definition the target has, byte
// for byte, under another name (a naming convention changed) is renamed, not rebuilt.
#pragma once
#include "cpp_only.hpp"

#include "diff.hpp"
#include "snapshot.hpp"

#include <vector>

namespace ender::engine {

// The renames `target` declares that `live` has not had yet, in an order that works: schemas,
// then relations, types and functions, then columns, attributes, constraints, indexes,
// triggers and policies. Each step renames one object; its reverse renames it back. A rename
// whose new name already exists in `live` was applied before and gives no step. One whose old
// name does not exist either raises engine::error 22023 naming the document path; swapping two
// names raises 0A000.
//
// The rest of the diff must then be computed against the live schema *after* these steps
// (ender_diff reads it by trying them in a subtransaction it rolls back), since PostgreSQL
// rewrites the definitions that mention a renamed object.
std::vector<diff_step> rename_steps(const snapshot& live, const snapshot& target);

}  // namespace ender::engine
