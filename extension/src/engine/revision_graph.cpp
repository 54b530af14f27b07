// The revision DAG: construction, validation, ancestry and ordering.
#include "revision_graph.hpp"

#include "error.hpp"

#include <algorithm>
#include <queue>

namespace ender::engine {

revision_graph::revision_graph(std::vector<graph_node> nodes) : nodes_(std::move(nodes)) {
    const std::size_t n = nodes_.size();
    by_id_.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        if (!by_id_.emplace(nodes_[i].id, i).second)
            throw error(sqlstate::duplicate_object,
                        "revision \"" + nodes_[i].id + "\" is registered twice");
    for (std::size_t i = 0; i < n; ++i) {
        const auto& label = nodes_[i].branch_label;
        if (!label) continue;
        if (by_id_.count(*label))
            throw error(sqlstate::duplicate_object,
                        "branch label \"" + *label + "\" of revision \"" + nodes_[i].id +
                            "\" is also a revision id",
                        {}, "Choose a label that no revision uses as its id.");
        auto [it, fresh] = by_label_.emplace(*label, i);
        if (!fresh)
            throw error(sqlstate::duplicate_object,
                        "branch label \"" + *label + "\" is used by revisions \"" +
                            nodes_[it->second].id + "\" and \"" + nodes_[i].id + "\"");
    }

    parents_.resize(n);
    children_.resize(n);
    needs_.resize(n);
    needed_by_.resize(n);
    auto lookup = [&](std::size_t i, const std::string& ref, const char* what) {
        auto it = by_id_.find(ref);
        if (it == by_id_.end())
            throw error(sqlstate::undefined_object,
                        std::string(what) + " \"" + ref + "\" of revision \"" + nodes_[i].id +
                            "\" is not registered",
                        {}, "Register the revisions a revision builds on before it.");
        return it->second;
    };
    for (std::size_t i = 0; i < n; ++i) {
        for (const auto& p : nodes_[i].parents) {
            std::size_t j = lookup(i, p, "parent");
            parents_[i].push_back(j);
            children_[j].push_back(i);
            needs_[i].push_back(j);
            needed_by_[j].push_back(i);
        }
        for (const auto& d : nodes_[i].depends_on) {
            std::size_t j = lookup(i, d, "dependency");
            needs_[i].push_back(j);
            needed_by_[j].push_back(i);
        }
    }
    check_acyclic();

    sorted_ids_.reserve(n);
    for (const auto& node : nodes_) sorted_ids_.push_back(node.id);
    std::sort(sorted_ids_.begin(), sorted_ids_.end());
}

void revision_graph::check_acyclic() const {
    // Iterative three-colour depth-first search over "needs" edges; reports one cycle.
    const std::size_t n = nodes_.size();
    enum : unsigned char { white, grey, black };
    std::vector<unsigned char> colour(n, white);
    std::vector<std::size_t> parent_on_path(n, n);
    std::vector<std::pair<std::size_t, std::size_t>> stack;  // node, next edge
    for (std::size_t start = 0; start < n; ++start) {
        if (colour[start] != white) continue;
        stack.push_back({start, 0});
        colour[start] = grey;
        while (!stack.empty()) {
            auto& [v, edge] = stack.back();
            if (edge < needs_[v].size()) {
                std::size_t w = needs_[v][edge++];
                if (colour[w] == grey) {
                    // Collect the path first: prepending to a string would be quadratic in
                    // the length of the cycle.
                    std::vector<std::size_t> back_to_w;
                    for (std::size_t u = v; u != w; u = parent_on_path[u]) back_to_w.push_back(u);
                    std::string path = nodes_[w].id;
                    for (auto u = back_to_w.rbegin(); u != back_to_w.rend(); ++u)
                        path += " -> " + nodes_[*u].id;
                    path += " -> " + nodes_[w].id;
                    throw error(sqlstate::invalid_object_definition,
                                "revision graph would contain a cycle",
                                "The cycle is " + path + ".",
                                "A revision cannot build on itself, directly or through others.");
                }
                if (colour[w] == white) {
                    colour[w] = grey;
                    parent_on_path[w] = v;
                    stack.push_back({w, 0});
                }
            } else {
                colour[v] = black;
                stack.pop_back();
            }
        }
    }
}

std::optional<std::size_t> revision_graph::find(std::string_view id) const {
    auto it = by_id_.find(std::string(id));
    if (it == by_id_.end()) return std::nullopt;
    return it->second;
}

std::size_t revision_graph::resolve(std::string_view ref) const {
    std::string key(ref);
    if (auto it = by_id_.find(key); it != by_id_.end()) return it->second;
    if (auto it = by_label_.find(key); it != by_label_.end()) return it->second;
    auto first = std::lower_bound(sorted_ids_.begin(), sorted_ids_.end(), key);
    auto last = first;
    while (last != sorted_ids_.end() && last->compare(0, key.size(), key) == 0) ++last;
    if (first == last || key.empty())
        throw error(sqlstate::undefined_object, "revision \"" + key + "\" is not registered", {},
                    "ender_history() and ender_heads() list the known revisions.");
    if (last - first > 1) {
        std::string candidates;
        int shown = 0;
        for (auto it = first; it != last && shown < 10; ++it, ++shown)
            candidates += (shown ? ", " : "") + *it;
        if (last - first > 10) candidates += ", ...";
        throw error(
            sqlstate::invalid_parameter_value, "revision prefix \"" + key + "\" is ambiguous",
            "It matches " + std::to_string(last - first) + " revisions: " + candidates + ".",
            "Give more characters of the revision id.");
    }
    return by_id_.at(*first);
}

std::vector<std::size_t> revision_graph::heads() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (children_[i].empty()) out.push_back(i);
    return out;
}

std::vector<std::size_t> revision_graph::branch_points() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (children_[i].size() > 1) out.push_back(i);
    return out;
}

std::vector<std::size_t> revision_graph::heads_of(const node_set& set) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (!set[i]) continue;
        bool has_child = std::any_of(children_[i].begin(), children_[i].end(),
                                     [&](std::size_t c) { return set[c]; });
        if (!has_child) out.push_back(i);
    }
    return out;
}

namespace {
node_set closure(const std::vector<std::vector<std::size_t>>& edges,
                 const std::vector<std::size_t>& from) {
    node_set seen(edges.size(), false);
    std::vector<std::size_t> stack;
    for (std::size_t i : from)
        if (!seen[i]) {
            seen[i] = true;
            stack.push_back(i);
        }
    while (!stack.empty()) {
        std::size_t v = stack.back();
        stack.pop_back();
        for (std::size_t w : edges[v])
            if (!seen[w]) {
                seen[w] = true;
                stack.push_back(w);
            }
    }
    return seen;
}
}  // namespace

node_set revision_graph::ancestors(const std::vector<std::size_t>& from) const {
    return closure(needs_, from);
}

node_set revision_graph::descendants(const std::vector<std::size_t>& from) const {
    return closure(needed_by_, from);
}

std::vector<std::size_t> revision_graph::topological(const node_set& set) const {
    // Kahn's algorithm restricted to `set`; the min-heap on the index keeps registration order.
    const std::size_t n = nodes_.size();
    std::vector<std::size_t> pending(n, 0);
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
    for (std::size_t i = 0; i < n; ++i) {
        if (!set[i]) continue;
        for (std::size_t j : needs_[i])
            if (set[j]) ++pending[i];
        if (pending[i] == 0) ready.push(i);
    }
    std::vector<std::size_t> out;
    while (!ready.empty()) {
        std::size_t v = ready.top();
        ready.pop();
        out.push_back(v);
        for (std::size_t w : needed_by_[v])
            if (set[w] && --pending[w] == 0) ready.push(w);
    }
    return out;
}

}  // namespace ender::engine
