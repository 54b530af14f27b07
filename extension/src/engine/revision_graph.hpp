// The revision DAG: validation (unknown parents, cycles, duplicate ids and labels), heads,
// branch points, ancestry, deterministic topological order, and reference lookup
// (full id, unique prefix, branch label). The revisions a target applies, undoes or stamps
// are worked out over it in targets.hpp.
#pragma once
#include "cpp_only.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ender::engine {

// The graph-relevant part of a revision.
struct graph_node {
    std::string id;
    std::vector<std::string> parents;
    std::vector<std::string> depends_on;
    std::optional<std::string> branch_label;
};

// A set of revisions, as one flag per node index.
using node_set = std::vector<bool>;

class revision_graph {
public:
    // Nodes in registration order (which breaks ties in every ordering). Throws engine::error
    // on a duplicate id, an unknown parent or dependency, a label clash, or a cycle.
    explicit revision_graph(std::vector<graph_node> nodes);

    std::size_t size() const noexcept { return nodes_.size(); }
    const graph_node& node(std::size_t i) const { return nodes_[i]; }
    const std::string& id(std::size_t i) const { return nodes_[i].id; }
    std::optional<std::size_t> find(std::string_view id) const;

    // Resolves a reference: a full id, then a branch label, then a unique id prefix.
    // Throws on an unknown or ambiguous reference.
    std::size_t resolve(std::string_view ref) const;

    const std::vector<std::size_t>& children(std::size_t i) const { return children_[i]; }
    const std::vector<std::size_t>& parents(std::size_t i) const { return parents_[i]; }

    // Revisions no other revision names as a parent, in registration order.
    std::vector<std::size_t> heads() const;
    // Revisions with more than one child.
    std::vector<std::size_t> branch_points() const;
    // The heads among `set`: members with no child in `set`.
    std::vector<std::size_t> heads_of(const node_set& set) const;

    // `from` and everything it needs (parents and dependencies, transitively).
    node_set ancestors(const std::vector<std::size_t>& from) const;
    // `from` and everything that needs it (children and dependents, transitively).
    node_set descendants(const std::vector<std::size_t>& from) const;

    // The members of `set` in an order where every revision follows its parents and
    // dependencies; ties go to the revision registered first.
    std::vector<std::size_t> topological(const node_set& set) const;

    node_set empty_set() const { return node_set(nodes_.size(), false); }

private:
    void check_acyclic() const;

    std::vector<graph_node> nodes_;
    std::unordered_map<std::string, std::size_t> by_id_;
    std::unordered_map<std::string, std::size_t> by_label_;
    std::vector<std::string> sorted_ids_;              // for prefix lookup
    std::vector<std::vector<std::size_t>> parents_;    // parent edges only
    std::vector<std::vector<std::size_t>> children_;   // reverse of parents_
    std::vector<std::vector<std::size_t>> needs_;      // parents and dependencies
    std::vector<std::vector<std::size_t>> needed_by_;  // reverse of needs_
};

}  // namespace ender::engine
