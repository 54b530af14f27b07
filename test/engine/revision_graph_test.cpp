// Tests of engine/revision_graph.hpp: validation of the DAG, reference lookup, heads and
// branch points, ancestry over parent and dependency edges, and the topological order.
#include "engine/revision_graph.hpp"

#include "engine/error.hpp"
#include "error_matchers.hpp"
#include "graph_helpers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ender::engine {
namespace {

using testing::node;
using testing::strings;

strings ids(const revision_graph& g, const std::vector<std::size_t>& nodes) {
    strings out;
    for (std::size_t i : nodes) out.push_back(g.id(i));
    return out;
}

// The members of a set, in registration order.
strings members(const revision_graph& g, const node_set& set) {
    strings out;
    for (std::size_t i = 0; i < g.size(); ++i)
        if (set[i]) out.push_back(g.id(i));
    return out;
}

std::size_t at(const revision_graph& g, const std::string& id) {
    auto i = g.find(id);
    if (!i) throw std::logic_error("test graph has no revision " + id);
    return *i;
}

// Every revision in `order` comes after the revisions it needs (parents and dependencies)
// that are also in `order`.
bool respects_edges(const revision_graph& g, const std::vector<std::size_t>& order) {
    std::vector<std::size_t> position(g.size(), g.size());
    for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
    for (std::size_t v : order) {
        const auto& n = g.node(v);
        for (const auto* list : {&n.parents, &n.depends_on})
            for (const auto& ref : *list) {
                std::size_t w = at(g, ref);
                if (position[w] != g.size() && position[w] > position[v]) return false;
            }
    }
    return true;
}

// Branches, a merge and a dependency, registered in this order:
//   r                 root
//   a1 <- r           labelled "alpha"
//   b1 <- r           labelled "beta"
//   a2 <- a1
//   b2 <- b1
//   c1 <- b1          and depends_on a2
//   m  <- a2, b2      a merge
const std::vector<graph_node>& sample_nodes() {
    static const std::vector<graph_node> nodes = {
        node("r"),
        node("a1", {"r"}, {}, "alpha"),
        node("b1", {"r"}, {}, "beta"),
        node("a2", {"a1"}),
        node("b2", {"b1"}),
        node("c1", {"b1"}, {"a2"}),
        node("m", {"a2", "b2"}),
    };
    return nodes;
}

// ---------------------------------------------------------------------------------------
// Construction and validation

TEST(revision_graph, lookup_and_edges) {
    revision_graph g(sample_nodes());
    ASSERT_EQ(g.size(), 7u);
    EXPECT_EQ(g.id(0), "r");
    EXPECT_EQ(g.node(5).depends_on, strings{"a2"});
    EXPECT_EQ(g.find("b2"), 4u);
    EXPECT_EQ(g.find("b"), std::nullopt);  // find is exact; prefixes are for resolve
    EXPECT_EQ(g.find("alpha"), std::nullopt);
    EXPECT_EQ(ids(g, g.parents(at(g, "m"))), (strings{"a2", "b2"}));
    EXPECT_EQ(ids(g, g.children(at(g, "r"))), (strings{"a1", "b1"}));
    EXPECT_EQ(ids(g, g.children(at(g, "b1"))), (strings{"b2", "c1"}));
    // A dependency is not a parent: c1 is not a child of a2.
    EXPECT_EQ(ids(g, g.children(at(g, "a2"))), strings{"m"});
    EXPECT_TRUE(g.parents(at(g, "r")).empty());
    EXPECT_EQ(g.empty_set(), node_set(7, false));
}

TEST(revision_graph, empty_graph) {
    revision_graph g({});
    EXPECT_EQ(g.size(), 0u);
    EXPECT_TRUE(g.heads().empty());
    EXPECT_TRUE(g.branch_points().empty());
    EXPECT_TRUE(g.topological(g.empty_set()).empty());
    EXPECT_ENGINE_ERROR(g.resolve("a"), sqlstate::undefined_object,
                        "revision \"a\" is not registered");
}

TEST(revision_graph, parents_may_be_registered_after_their_children) {
    revision_graph g({node("c", {"b"}), node("b", {"a"}), node("a")});
    EXPECT_EQ(ids(g, g.topological(node_set(3, true))), (strings{"a", "b", "c"}));
    EXPECT_EQ(ids(g, g.heads()), strings{"c"});
}

TEST(revision_graph_error, duplicate_id) {
    EXPECT_ENGINE_ERROR(revision_graph({node("a"), node("b", {"a"}), node("a")}),
                        sqlstate::duplicate_object, "revision \"a\" is registered twice");
}

TEST(revision_graph_error, unknown_parent) {
    EXPECT_ENGINE_ERROR(revision_graph({node("a"), node("b", {"a", "zz"})}),
                        sqlstate::undefined_object,
                        "parent \"zz\" of revision \"b\" is not registered",
                        {.hint = "Register the revisions a revision builds on before it."});
}

TEST(revision_graph_error, unknown_dependency) {
    EXPECT_ENGINE_ERROR(revision_graph({node("a"), node("b", {"a"}, {"q"})}),
                        sqlstate::undefined_object,
                        "dependency \"q\" of revision \"b\" is not registered");
}

TEST(revision_graph_error, branch_label_used_twice) {
    EXPECT_ENGINE_ERROR(
        revision_graph({node("a", {}, {}, "feat"), node("b", {"a"}), node("c", {"a"}, {}, "feat")}),
        sqlstate::duplicate_object, "branch label \"feat\" is used by revisions \"a\" and \"c\"");
}

TEST(revision_graph_error, branch_label_that_is_a_revision_id) {
    EXPECT_ENGINE_ERROR(revision_graph({node("a", {}, {}, "b"), node("b", {"a"})}),
                        sqlstate::duplicate_object,
                        "branch label \"b\" of revision \"a\" is also a revision id",
                        {.hint = "Choose a label that no revision uses as its id."});
    EXPECT_ENGINE_ERROR(revision_graph({node("a", {}, {}, "a")}), sqlstate::duplicate_object,
                        "branch label \"a\" of revision \"a\" is also a revision id");
}

// The ids along the cycle the detail reports ("The cycle is a -> b -> a."), checked to be
// a real cycle of the graph: each revision needs the next, and it ends where it starts.
strings reported_cycle(const std::vector<graph_node>& nodes) {
    auto e = matchers::error_of([&] { revision_graph g(nodes); });
    if (!e) {
        ADD_FAILURE() << "no error for a cyclic graph";
        return {};
    }
    EXPECT_STREQ(e->sqlstate(), sqlstate::invalid_object_definition);
    EXPECT_STREQ(e->what(), "revision graph would contain a cycle");
    EXPECT_EQ(e->hint(), "A revision cannot build on itself, directly or through others.");
    const std::string prefix = "The cycle is ", suffix = ".";
    const std::string& d = e->detail();
    if (d.rfind(prefix, 0) != 0 || d.size() < prefix.size() + 1 || d.back() != '.') {
        ADD_FAILURE() << "unexpected detail: " << d;
        return {};
    }
    std::string path = d.substr(prefix.size(), d.size() - prefix.size() - 1);
    strings cycle;
    for (std::size_t pos = 0;;) {
        std::size_t arrow = path.find(" -> ", pos);
        cycle.push_back(path.substr(pos, arrow - pos));
        if (arrow == std::string::npos) break;
        pos = arrow + 4;
    }
    EXPECT_GE(cycle.size(), 2u) << d;
    EXPECT_EQ(cycle.front(), cycle.back()) << d;
    EXPECT_EQ(std::set<std::string>(cycle.begin(), cycle.end() - 1).size(), cycle.size() - 1)
        << "a revision appears twice in " << d;
    for (std::size_t k = 0; k + 1 < cycle.size(); ++k) {
        auto it = std::find_if(nodes.begin(), nodes.end(),
                               [&](const graph_node& n) { return n.id == cycle[k]; });
        if (it == nodes.end()) {
            ADD_FAILURE() << "unknown revision " << cycle[k] << " in " << d;
            continue;
        }
        bool needs = std::count(it->parents.begin(), it->parents.end(), cycle[k + 1]) ||
                     std::count(it->depends_on.begin(), it->depends_on.end(), cycle[k + 1]);
        EXPECT_TRUE(needs) << cycle[k] << " does not need " << cycle[k + 1] << " in " << d;
    }
    return cycle;
}

TEST(revision_graph_error, cycle_through_parents) {
    std::vector<graph_node> nodes = {node("a", {"c"}), node("b", {"a"}), node("c", {"b"})};
    EXPECT_EQ(reported_cycle(nodes), (strings{"a", "c", "b", "a"}));
    auto e = matchers::error_of([&] { revision_graph g(nodes); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->detail(), "The cycle is a -> c -> b -> a.");
}

TEST(revision_graph_error, revision_that_is_its_own_parent) {
    EXPECT_EQ(reported_cycle({node("r"), node("a", {"r", "a"})}), (strings{"a", "a"}));
}

TEST(revision_graph_error, cycle_through_a_dependency) {
    strings cycle = reported_cycle({node("r"), node("x", {"r"}, {"y"}), node("y", {"r"}, {"x"})});
    EXPECT_EQ(cycle.size(), 3u);
}

TEST(revision_graph_error, cycle_mixing_parents_and_dependencies) {
    // Only part of the graph is cyclic; the cycle is reached from revisions outside it.
    strings cycle =
        reported_cycle({node("r"), node("s", {"r"}), node("t", {"s"}, {"w"}), node("u", {"t"}),
                        node("v", {"u"}), node("w", {"r"}, {"v"}), node("z", {"w"})});
    EXPECT_EQ(std::set<std::string>(cycle.begin(), cycle.end()),
              (std::set<std::string>{"t", "u", "v", "w"}));
}

// ---------------------------------------------------------------------------------------
// resolve()

TEST(revision_graph_resolve, full_id) {
    revision_graph g(sample_nodes());
    for (std::size_t i = 0; i < g.size(); ++i) EXPECT_EQ(g.resolve(g.id(i)), i);
}

TEST(revision_graph_resolve, exact_id_beats_a_prefix_of_a_longer_id) {
    revision_graph g({node("ab"), node("abc", {"ab"}), node("abd", {"ab"})});
    EXPECT_EQ(g.resolve("ab"), 0u);
    EXPECT_EQ(g.resolve("abc"), 1u);
    EXPECT_ENGINE_ERROR(g.resolve("a"), sqlstate::invalid_parameter_value,
                        "revision prefix \"a\" is ambiguous",
                        {.detail = "It matches 3 revisions: ab, abc, abd."});
}

TEST(revision_graph_resolve, branch_label) {
    revision_graph g(sample_nodes());
    EXPECT_EQ(g.resolve("alpha"), at(g, "a1"));
    EXPECT_EQ(g.resolve("beta"), at(g, "b1"));
}

TEST(revision_graph_resolve, label_beats_a_prefix) {
    revision_graph g(
        {node("feature1"), node("feature2", {"feature1"}), node("x", {"feature2"}, {}, "feat")});
    EXPECT_EQ(g.resolve("feat"), 2u);
    EXPECT_EQ(g.resolve("feature2"), 1u);
}

TEST(revision_graph_resolve, unique_prefix) {
    revision_graph g({node("3f2a9c"), node("3f4b00", {"3f2a9c"}), node("a17", {"3f4b00"})});
    EXPECT_EQ(g.resolve("3f2"), 0u);
    EXPECT_EQ(g.resolve("3f2a9"), 0u);
    EXPECT_EQ(g.resolve("3f4"), 1u);
    EXPECT_EQ(g.resolve("a"), 2u);
}

TEST(revision_graph_resolve, ambiguous_prefix_lists_the_candidates) {
    revision_graph g({node("3f2a9c"), node("3f4b00", {"3f2a9c"}), node("a17", {"3f4b00"})});
    EXPECT_ENGINE_ERROR(g.resolve("3f"), sqlstate::invalid_parameter_value,
                        "revision prefix \"3f\" is ambiguous",
                        {.detail = "It matches 2 revisions: 3f2a9c, 3f4b00.",
                         .hint = "Give more characters of the revision id."});
}

TEST(revision_graph_resolve, ambiguous_prefix_shows_at_most_ten_candidates) {
    std::vector<graph_node> nodes;
    for (int i = 0; i < 12; ++i) {
        std::string id = "abc" + std::string(i < 10 ? "0" : "") + std::to_string(i);
        nodes.push_back(node(id, nodes.empty() ? strings{} : strings{nodes.back().id}));
    }
    revision_graph g(std::move(nodes));
    EXPECT_ENGINE_ERROR(g.resolve("abc"), sqlstate::invalid_parameter_value,
                        "revision prefix \"abc\" is ambiguous",
                        {.detail = "It matches 12 revisions: abc00, abc01, abc02, abc03, abc04, "
                                   "abc05, abc06, abc07, abc08, abc09, ...."});
    EXPECT_ENGINE_ERROR(g.resolve("abc1"), sqlstate::invalid_parameter_value, "is ambiguous",
                        {.detail = "It matches 2 revisions: abc10, abc11."});
}

TEST(revision_graph_resolve, unknown_reference) {
    revision_graph g(sample_nodes());
    EXPECT_ENGINE_ERROR(g.resolve("zz"), sqlstate::undefined_object,
                        "revision \"zz\" is not registered",
                        {.hint = "ender_history() and ender_heads() list the known revisions."});
    EXPECT_ENGINE_ERROR(g.resolve("a1x"), sqlstate::undefined_object,
                        "revision \"a1x\" is not registered");
    EXPECT_ENGINE_ERROR(g.resolve("alphabet"), sqlstate::undefined_object, "revision \"alphabet\"");
    // The empty string is a prefix of everything, but names nothing.
    EXPECT_ENGINE_ERROR(g.resolve(""), sqlstate::undefined_object,
                        "revision \"\" is not registered");
}

TEST(revision_graph_resolve, labels_are_not_prefix_matched) {
    revision_graph g(sample_nodes());
    EXPECT_ENGINE_ERROR(g.resolve("alph"), sqlstate::undefined_object,
                        "revision \"alph\" is not registered");
}

// ---------------------------------------------------------------------------------------
// Heads and branch points

TEST(revision_graph_heads, heads_in_registration_order) {
    revision_graph g(sample_nodes());
    // a2 is not a head because m is its child (not because c1 depends on it).
    EXPECT_EQ(ids(g, g.heads()), (strings{"c1", "m"}));
}

TEST(revision_graph_heads, a_dependency_does_not_end_a_branch) {
    revision_graph g({node("r"), node("x", {"r"}), node("y", {"r"}, {"x"})});
    EXPECT_EQ(ids(g, g.heads()), (strings{"x", "y"}));
}

TEST(revision_graph_heads, several_roots) {
    revision_graph g({node("r1"), node("r2"), node("a", {"r1"}), node("m", {"a", "r2"})});
    EXPECT_EQ(ids(g, g.heads()), strings{"m"});
    revision_graph h({node("r1"), node("r2")});
    EXPECT_EQ(ids(h, h.heads()), (strings{"r1", "r2"}));
}

TEST(revision_graph_heads, branch_points) {
    revision_graph g(sample_nodes());
    EXPECT_EQ(ids(g, g.branch_points()), (strings{"r", "b1"}));
    revision_graph linear({node("a"), node("b", {"a"}), node("c", {"b"})});
    EXPECT_TRUE(linear.branch_points().empty());
}

TEST(revision_graph_heads, heads_of_a_subset) {
    revision_graph g(sample_nodes());
    node_set s = g.empty_set();
    EXPECT_TRUE(g.heads_of(s).empty());
    for (auto id : {"r", "a1", "b1", "b2"}) s[at(g, id)] = true;
    EXPECT_EQ(ids(g, g.heads_of(s)), (strings{"a1", "b2"}));
    s[at(g, "a2")] = true;
    s[at(g, "c1")] = true;
    EXPECT_EQ(ids(g, g.heads_of(s)), (strings{"a2", "b2", "c1"}));
    s[at(g, "m")] = true;
    EXPECT_EQ(ids(g, g.heads_of(s)), (strings{"c1", "m"}));
    // heads_of looks at parent edges only, like heads().
    EXPECT_EQ(g.heads_of(node_set(g.size(), true)), g.heads());
}

// ---------------------------------------------------------------------------------------
// Ancestors and descendants

TEST(revision_graph_ancestry, ancestors_include_the_start_and_follow_dependencies) {
    revision_graph g(sample_nodes());
    EXPECT_EQ(members(g, g.ancestors({at(g, "r")})), strings{"r"});
    EXPECT_EQ(members(g, g.ancestors({at(g, "a2")})), (strings{"r", "a1", "a2"}));
    EXPECT_EQ(members(g, g.ancestors({at(g, "c1")})), (strings{"r", "a1", "b1", "a2", "c1"}));
    EXPECT_EQ(members(g, g.ancestors({at(g, "m")})), (strings{"r", "a1", "b1", "a2", "b2", "m"}));
    EXPECT_EQ(members(g, g.ancestors({at(g, "a1"), at(g, "b2")})),
              (strings{"r", "a1", "b1", "b2"}));
    EXPECT_EQ(g.ancestors({}), g.empty_set());
}

TEST(revision_graph_ancestry, descendants_include_the_start_and_follow_dependencies) {
    revision_graph g(sample_nodes());
    EXPECT_EQ(members(g, g.descendants({at(g, "r")})),
              (strings{"r", "a1", "b1", "a2", "b2", "c1", "m"}));
    // a2 is needed by its child m and by c1, which depends on it.
    EXPECT_EQ(members(g, g.descendants({at(g, "a2")})), (strings{"a2", "c1", "m"}));
    EXPECT_EQ(members(g, g.descendants({at(g, "a1")})), (strings{"a1", "a2", "c1", "m"}));
    EXPECT_EQ(members(g, g.descendants({at(g, "b2")})), (strings{"b2", "m"}));
    EXPECT_EQ(members(g, g.descendants({at(g, "m"), at(g, "c1")})), (strings{"c1", "m"}));
    EXPECT_EQ(g.descendants({}), g.empty_set());
}

TEST(revision_graph_ancestry, ancestors_and_descendants_are_mirror_images) {
    revision_graph g(sample_nodes());
    for (std::size_t i = 0; i < g.size(); ++i)
        for (std::size_t j = 0; j < g.size(); ++j)
            EXPECT_EQ(g.ancestors({i})[j], g.descendants({j})[i]) << g.id(i) << ", " << g.id(j);
}

// ---------------------------------------------------------------------------------------
// Topological order

TEST(revision_graph_topological, whole_graph) {
    revision_graph g(sample_nodes());
    auto order = g.topological(node_set(g.size(), true));
    // Registration order already respects every edge, so it is the order.
    EXPECT_EQ(ids(g, order), (strings{"r", "a1", "b1", "a2", "b2", "c1", "m"}));
}

TEST(revision_graph_topological, ties_go_to_the_revision_registered_first) {
    // z is registered first but needs y; x and w are free.
    revision_graph g({node("z", {"y"}), node("x"), node("y"), node("w"), node("v", {}, {"w"})});
    auto order = g.topological(node_set(g.size(), true));
    EXPECT_EQ(ids(g, order), (strings{"x", "y", "z", "w", "v"}));
    EXPECT_TRUE(respects_edges(g, order));
}

TEST(revision_graph_topological, dependencies_order_like_parents) {
    // b is registered before a but depends on it.
    revision_graph g({node("r"), node("b", {"r"}, {"a"}), node("a", {"r"})});
    EXPECT_EQ(ids(g, g.topological(node_set(3, true))), (strings{"r", "a", "b"}));
}

TEST(revision_graph_topological, restricted_to_a_subset) {
    revision_graph g(sample_nodes());
    node_set s = g.empty_set();
    for (auto id : {"m", "b2", "c1", "a2"}) s[at(g, id)] = true;
    // Only the members, ordered as if the others were already applied.
    EXPECT_EQ(ids(g, g.topological(s)), (strings{"a2", "b2", "c1", "m"}));
    EXPECT_TRUE(g.topological(g.empty_set()).empty());
}

TEST(revision_graph_topological, each_step_down_in_registration_order_follows_an_edge) {
    // With ties broken by registration order, whenever the order goes to a revision
    // registered earlier than the previous one, that revision needs the previous one.
    revision_graph g({node("e", {"d"}), node("d", {"c"}), node("f"), node("c"),
                      node("b", {"f"}, {"e"}), node("a", {"c"})});
    auto order = g.topological(node_set(g.size(), true));
    EXPECT_TRUE(respects_edges(g, order));
    for (std::size_t k = 0; k + 1 < order.size(); ++k)
        if (order[k + 1] < order[k]) {
            const auto& next = g.node(order[k + 1]);
            const auto& prev = g.id(order[k]);
            bool needs = std::count(next.parents.begin(), next.parents.end(), prev) ||
                         std::count(next.depends_on.begin(), next.depends_on.end(), prev);
            EXPECT_TRUE(needs) << next.id << " after " << prev;
        }
    EXPECT_EQ(ids(g, order), (strings{"f", "c", "d", "e", "b", "a"}));
}

}  // namespace
}  // namespace ender::engine
