// The kinds of online operation ender runs (docs/zero-downtime.md), one row each: its name, its
// form, its phases and what it is for. The one list the parser (its errors and hints), the
// renderer, the CLI's file headers and the documentation test read.
#pragma once
#include "cpp_only.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ender::engine {

enum class online_kind_id {
    alter_column,
    rename_column,
    add_column,
    set_not_null,
    add_unique,
    add_primary_key,
    add_constraint,
    create_index,
    drop_index,
};

// What a phase does for one kind (one line, no final period).
struct online_phase {
    std::string_view name;  // expand, backfill, validate or complete
    std::string_view work;
};

struct online_kind {
    online_kind_id id;
    std::string_view name;  // as written after "-- ender:online" (case-insensitive)
    // The forms of the line, after "-- ender:online" (keywords in capitals; one per variant).
    std::vector<std::string_view> forms;
    std::string_view description;      // one line, lowercase, no final period
    std::vector<online_phase> phases;  // the phases that do work for this kind, in order
};

// Every kind, in the order the documentation lists them.
const std::vector<online_kind>& online_kinds();

// The kind called `name` (lowercase), or nullptr.
const online_kind* find_online_kind(std::string_view name);

// The kind called `name`; throws error(internal_error) when there is none (the parser refuses
// unknown kinds, so an operation it returned always has one).
const online_kind& online_kind_of(std::string_view name);

// The kind's forms joined with ", or ", for a hint.
std::string online_forms_text(const online_kind& kind);

// The names of every kind, joined with ", ".
std::string online_kind_names();

}  // namespace ender::engine
