// Targets: what ender_upgrade, ender_downgrade and ender_stamp do for a target
// (heads, head, base, id, unique prefix, label, label@head, +N, -N, id+N, id-N), given the
// revision graph and which revisions are applied.
#pragma once
#include "cpp_only.hpp"

#include "revision_graph.hpp"

#include <string_view>
#include <vector>

namespace ender::engine {

// Which revisions are applied, and the order they were applied in (oldest first).
struct position {
    node_set applied;
    std::vector<std::size_t> applied_order;
};

// The current heads: applied revisions with no applied child, in registration order.
std::vector<std::size_t> current_heads(const revision_graph& g, const position& p);

// The revisions a target names (for display); relative targets are resolved from `p`,
// and "-N" names where N steps of downgrade would leave the current heads.
std::vector<std::size_t> resolve_target(const revision_graph& g, const position& p,
                                        std::string_view target);

// The revisions to apply, in order, to reach `target`.
std::vector<std::size_t> revisions_to_apply(const revision_graph& g, const position& p,
                                            std::string_view target);

// The revisions to undo, in order, to reach `target`. Only revisions built on the target
// are undone: other branches stay as they are. "-N" undoes the last N applied, newest first.
std::vector<std::size_t> revisions_to_undo(const revision_graph& g, const position& p,
                                           std::string_view target);

// The applied set after stamping `target`: absolute targets set it exactly (the target and
// everything it needs); "+N" and "-N" move as upgrade and downgrade would.
node_set applied_after_stamp(const revision_graph& g, const position& p, std::string_view target);

}  // namespace ender::engine
