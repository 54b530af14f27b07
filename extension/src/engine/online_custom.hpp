// Hand-written zero-downtime phases: a migration file's expand, backfill, contract and
// rollback sections make a "custom" online revision (docs/zero-downtime.md). The revision keeps
// them in its online field as "custom" followed by each section under its marker, so that the
// one column, the checksum and the job all carry them.
#pragma once
#include "cpp_only.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ender::engine {

struct custom_phases {
    std::optional<std::string> expand;    // run by the worker, one transaction, lock-polite
    std::optional<std::string> backfill;  // one statement, run until it reports 0 rows
    std::optional<std::string> contract;  // run by ender_complete
    std::optional<std::string> rollback;  // run by ender_rollback
    // One query: how many rows the backfill has still to process (rows_total, percent, ETA).
    std::optional<std::string> backfill_count;

    bool operator==(const custom_phases&) const = default;
};

// Whether a revision's online field holds hand-written phases (not an operation line).
bool is_custom(std::string_view online);

std::string render_custom(const custom_phases& phases);

// The phases of an online field written by render_custom.
custom_phases parse_custom(std::string_view online);

}  // namespace ender::engine
