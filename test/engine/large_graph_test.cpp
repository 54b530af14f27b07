// Property tests of the revision graph and the plans on large synthetic histories: a seeded
// pseudo-random DAG of thousands of revisions with branches, merges and dependencies, and
// long linear chains that would expose recursion or quadratic work.
#include "engine/targets.hpp"
#include "engine/revision_graph.hpp"

#include "engine/error.hpp"
#include "error_matchers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace ender::engine {
namespace {

using index_list = std::vector<std::size_t>;

// A synthetic history, with its edges kept apart from the engine so the tests can compute
// expected results on their own.
struct history {
    std::vector<graph_node> nodes;  // in registration order
    std::vector<index_list> needs;  // parents and dependencies, by index
    std::vector<index_list> needed_by;
    std::vector<index_list> children;  // parent edges only

    void index() {
        std::unordered_map<std::string, std::size_t> at;
        for (std::size_t i = 0; i < nodes.size(); ++i) at.emplace(nodes[i].id, i);
        needs.assign(nodes.size(), {});
        needed_by.assign(nodes.size(), {});
        children.assign(nodes.size(), {});
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            for (const auto& p : nodes[i].parents) {
                needs[i].push_back(at.at(p));
                needed_by[at.at(p)].push_back(i);
                children[at.at(p)].push_back(i);
            }
            for (const auto& d : nodes[i].depends_on) {
                needs[i].push_back(at.at(d));
                needed_by[at.at(d)].push_back(i);
            }
        }
    }

    std::size_t size() const { return nodes.size(); }
};

// Everything reachable from `from` along `edges`, `from` included.
node_set reach(const std::vector<index_list>& edges, const index_list& from) {
    node_set seen(edges.size(), false);
    index_list stack;
    for (std::size_t i : from)
        if (!seen[i]) seen[i] = true, stack.push_back(i);
    while (!stack.empty()) {
        std::size_t v = stack.back();
        stack.pop_back();
        for (std::size_t w : edges[v])
            if (!seen[w]) seen[w] = true, stack.push_back(w);
    }
    return seen;
}

std::string hex_id(std::mt19937_64& rng, std::size_t length) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::size_t k = 0; k < length; ++k) s += digits[rng() % 16];
    return s;
}

// A random DAG in the shape real histories take: mostly linear growth of the open branches,
// with new branches forking from any earlier revision, merges of two to four branch tips,
// a few extra roots, cross-branch dependencies and branch labels. Ids are random hex, some
// of them prefixes of others. Every reference points to an earlier revision, so the graph
// is acyclic whatever the registration order.
history random_history(std::uint64_t seed, std::size_t n) {
    std::mt19937_64 rng(seed);
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    auto below = [&](std::size_t k) { return static_cast<std::size_t>(rng() % k); };

    history h;
    std::set<std::string> used;
    std::vector<std::size_t> tips;  // revisions without a child so far
    for (std::size_t i = 0; i < n; ++i) {
        std::string id;
        if (i > 0 && chance(0.02)) id = h.nodes[below(i)].id + hex_id(rng, 1 + below(3));
        while (id.empty() || used.count(id)) id = hex_id(rng, 6 + below(7));
        used.insert(id);

        std::vector<std::size_t> parents;
        if (i == 0 || chance(0.003)) {
            // a new root
        } else if (tips.size() >= 2 && chance(0.07)) {
            std::size_t k = std::min<std::size_t>(tips.size(), 2 + below(3));
            std::shuffle(tips.begin(), tips.end(), rng);
            parents.assign(tips.end() - static_cast<std::ptrdiff_t>(k), tips.end());
        } else if (chance(0.15) || tips.empty()) {
            parents.push_back(below(i));  // forks a branch unless it picked a tip
        } else {
            parents.push_back(tips[below(tips.size())]);
        }
        std::vector<std::size_t> deps;
        if (i > 10 && chance(0.04))
            for (std::size_t k = 1 + below(2); k > 0; --k) {
                std::size_t d = below(i);
                if (std::count(parents.begin(), parents.end(), d) == 0 &&
                    std::count(deps.begin(), deps.end(), d) == 0)
                    deps.push_back(d);
            }

        graph_node node{id, {}, {}, std::nullopt};
        for (std::size_t p : parents) node.parents.push_back(h.nodes[p].id);
        for (std::size_t d : deps) node.depends_on.push_back(h.nodes[d].id);
        if (chance(0.01)) node.branch_label = "label_" + std::to_string(i);
        h.nodes.push_back(std::move(node));

        std::erase_if(tips, [&](std::size_t t) {
            return std::count(parents.begin(), parents.end(), t) != 0;
        });
        tips.push_back(i);
    }
    h.index();
    return h;
}

// Every member of `order` comes after what it needs that is also in `order`.
::testing::AssertionResult respects_needs(const history& h, const index_list& order) {
    std::vector<std::size_t> pos(h.size(), h.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        if (pos[order[k]] != h.size())
            return ::testing::AssertionFailure() << h.nodes[order[k]].id << " appears twice";
        pos[order[k]] = k;
    }
    for (std::size_t v : order)
        for (std::size_t w : h.needs[v])
            if (pos[w] != h.size() && pos[w] > pos[v])
                return ::testing::AssertionFailure()
                       << h.nodes[v].id << " comes before " << h.nodes[w].id << ", which it needs";
    return ::testing::AssertionSuccess();
}

// Every applied revision has everything it needs applied.
::testing::AssertionResult closed(const history& h, const node_set& applied) {
    for (std::size_t v = 0; v < h.size(); ++v)
        if (applied[v])
            for (std::size_t w : h.needs[v])
                if (!applied[w])
                    return ::testing::AssertionFailure()
                           << h.nodes[v].id << " is applied without " << h.nodes[w].id;
    return ::testing::AssertionSuccess();
}

std::size_t members(const node_set& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), true));
}

node_set as_set(std::size_t n, const index_list& members) {
    node_set s(n, false);
    for (std::size_t i : members) s[i] = true;
    return s;
}

constexpr std::uint64_t seed = 0x5eed'e4de'0001;
constexpr std::size_t large = 5000;

class large_graph : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        h_ = new history(random_history(seed, large));
        g_ = new revision_graph(h_->nodes);
    }
    static void TearDownTestSuite() {
        delete g_;
        delete h_;
    }
    static const history& h() { return *h_; }
    static const revision_graph& g() { return *g_; }

private:
    static inline history* h_ = nullptr;
    static inline revision_graph* g_ = nullptr;
};

TEST_F(large_graph, has_the_intended_shape) {
    std::size_t merges = 0, branch_points = 0, dependencies = 0, roots = 0, labels = 0,
                prefixed = 0;
    std::set<std::string> ids;
    for (const auto& n : h().nodes) ids.insert(n.id);
    for (std::size_t i = 0; i < h().size(); ++i) {
        const auto& n = h().nodes[i];
        merges += n.parents.size() > 1;
        roots += n.parents.empty();
        dependencies += n.depends_on.size();
        labels += n.branch_label.has_value();
        branch_points += h().children[i].size() > 1;
        auto next = ids.upper_bound(n.id);
        prefixed += next != ids.end() && next->rfind(n.id, 0) == 0;
    }
    EXPECT_GE(h().size(), 5000u);
    EXPECT_GE(merges, 200u);
    EXPECT_GE(branch_points, 500u);
    EXPECT_GE(dependencies, 100u);
    EXPECT_GE(roots, 5u);
    EXPECT_GE(labels, 20u);
    EXPECT_GE(prefixed, 50u);
    EXPECT_GE(g().heads().size(), 10u);
    EXPECT_EQ(g().branch_points().size(), branch_points);
}

TEST_F(large_graph, topological_order_respects_every_edge) {
    auto order = g().topological(node_set(g().size(), true));
    ASSERT_EQ(order.size(), g().size());
    EXPECT_TRUE(respects_needs(h(), order));
    // Ties go to the revision registered first: whenever the order steps back in
    // registration order, the revision it steps to needs the one before it.
    for (std::size_t k = 0; k + 1 < order.size(); ++k) {
        if (order[k + 1] > order[k]) continue;
        const auto& needs = h().needs[order[k + 1]];
        EXPECT_TRUE(std::count(needs.begin(), needs.end(), order[k]))
            << g().id(order[k + 1]) << " after " << g().id(order[k]);
    }
}

TEST_F(large_graph, topological_order_in_any_registration_order) {
    // The same history registered in a shuffled order: parents may come after children.
    history shuffled = h();
    std::mt19937_64 rng(seed + 1);
    std::shuffle(shuffled.nodes.begin(), shuffled.nodes.end(), rng);
    shuffled.index();
    revision_graph sg(shuffled.nodes);
    auto order = sg.topological(node_set(sg.size(), true));
    ASSERT_EQ(order.size(), sg.size());
    EXPECT_TRUE(respects_needs(shuffled, order));
    for (std::size_t k = 0; k + 1 < order.size(); ++k) {
        if (order[k + 1] > order[k]) continue;
        const auto& needs = shuffled.needs[order[k + 1]];
        EXPECT_TRUE(std::count(needs.begin(), needs.end(), order[k]));
    }
}

TEST_F(large_graph, ancestors_and_descendants_match_a_reference) {
    std::mt19937_64 rng(seed + 2);
    for (int round = 0; round < 40; ++round) {
        index_list from;
        for (std::size_t k = 1 + rng() % 3; k > 0; --k) from.push_back(rng() % g().size());
        EXPECT_EQ(g().ancestors(from), reach(h().needs, from));
        EXPECT_EQ(g().descendants(from), reach(h().needed_by, from));
    }
}

TEST_F(large_graph, heads_match_a_reference) {
    index_list heads;
    for (std::size_t i = 0; i < h().size(); ++i)
        if (h().children[i].empty()) heads.push_back(i);
    EXPECT_EQ(g().heads(), heads);
}

TEST_F(large_graph, upgrade_to_heads_then_downgrade_to_base) {
    position p{g().empty_set(), {}};
    auto up = revisions_to_apply(g(), p, "heads");
    ASSERT_EQ(up.size(), g().size());
    EXPECT_EQ(std::set<std::size_t>(up.begin(), up.end()).size(), g().size());
    EXPECT_TRUE(respects_needs(h(), up));
    for (std::size_t i : up) p.applied[i] = true, p.applied_order.push_back(i);
    EXPECT_EQ(current_heads(g(), p), g().heads());
    EXPECT_TRUE(revisions_to_apply(g(), p, "heads").empty());

    auto down = revisions_to_undo(g(), p, "base");
    ASSERT_EQ(down.size(), g().size());
    // Undoing in this order: reversed, it must be an order that could have applied them.
    index_list reversed(down.rbegin(), down.rend());
    EXPECT_TRUE(respects_needs(h(), reversed));

    // "-N" over everything undoes in exactly the reverse application order.
    auto all = revisions_to_undo(g(), p, "-" + std::to_string(g().size()));
    EXPECT_EQ(all, index_list(p.applied_order.rbegin(), p.applied_order.rend()));
}

// Moves a position through many random upgrades and downgrades, checking each plan against
// what it must be: upgrade applies ancestors(target) minus what is applied, in an order that
// respects every edge; downgrade undoes the applied strict descendants of the target that
// the target does not itself need, dependents first.
TEST_F(large_graph, random_targets) {
    std::mt19937_64 rng(seed + 3);
    const std::size_t n = g().size();
    position p{g().empty_set(), {}};
    std::size_t upgrades = 0, downgrades = 0, relative = 0, refused = 0;
    for (int round = 0; round < 120; ++round) {
        std::size_t t = rng() % n;
        const std::string target = g().id(t);
        int what = static_cast<int>(rng() % 10);
        if (what < 5) {
            auto plan = revisions_to_apply(g(), p, target);
            node_set expected = reach(h().needs, {t});
            for (std::size_t i = 0; i < n; ++i) expected[i] = expected[i] && !p.applied[i];
            ASSERT_EQ(as_set(n, plan), expected) << "upgrade to " << target;
            ASSERT_EQ(plan.size(), members(expected));
            for (std::size_t i : plan) {
                for (std::size_t w : h().needs[i])
                    ASSERT_TRUE(p.applied[w]) << "upgrade to " << target;
                p.applied[i] = true;
                p.applied_order.push_back(i);
            }
            ++upgrades;
        } else if (what < 9) {
            if (!p.applied[t]) {
                ASSERT_ENGINE_ERROR(revisions_to_undo(g(), p, target),
                                    sqlstate::object_not_in_prerequisite_state,
                                    "revision \"" + target + "\" is not applied");
                ++refused;
                // Go down to an applied revision instead.
                if (p.applied_order.empty()) continue;
                t = p.applied_order[rng() % p.applied_order.size()];
            }
            auto plan = revisions_to_undo(g(), p, g().id(t));
            node_set above = reach(h().needed_by, {t}), below = reach(h().needs, {t});
            node_set expected(n, false);
            for (std::size_t i = 0; i < n; ++i)
                expected[i] = p.applied[i] && above[i] && i != t && !below[i];
            ASSERT_EQ(as_set(n, plan), expected) << "downgrade to " << g().id(t);
            ASSERT_EQ(plan.size(), members(expected));
            for (std::size_t i : plan) {
                p.applied[i] = false;
                for (std::size_t d : h().needed_by[i])
                    ASSERT_FALSE(p.applied[d]) << g().id(i) << " is undone before " << g().id(d);
            }
            std::erase_if(p.applied_order, [&](std::size_t i) { return !p.applied[i]; });
            ++downgrades;
        } else {
            if (p.applied_order.empty()) continue;
            std::size_t count = 1 + rng() % std::min<std::size_t>(p.applied_order.size(), 50);
            auto plan = revisions_to_undo(g(), p, "-" + std::to_string(count));
            ASSERT_EQ(plan,
                      index_list(p.applied_order.rbegin(),
                                 p.applied_order.rbegin() + static_cast<std::ptrdiff_t>(count)));
            for (std::size_t i : plan) p.applied[i] = false;
            p.applied_order.resize(p.applied_order.size() - count);
            ++relative;
        }
        ASSERT_TRUE(closed(h(), p.applied)) << "after round " << round;
        ASSERT_EQ(p.applied_order.size(), members(p.applied));
        ASSERT_TRUE(respects_needs(h(), p.applied_order));
    }
    EXPECT_GE(upgrades, 40u);
    EXPECT_GE(downgrades, 30u);
    EXPECT_GE(relative, 5u);
    EXPECT_GE(refused, 5u);
}

TEST_F(large_graph, stamp_sets_exactly_the_ancestors) {
    std::mt19937_64 rng(seed + 4);
    position p{g().empty_set(), {}};
    for (int round = 0; round < 50; ++round) {
        std::size_t t = rng() % g().size();
        node_set after = applied_after_stamp(g(), p, g().id(t));
        EXPECT_EQ(after, reach(h().needs, {t}));
        p.applied = after;
    }
}

TEST_F(large_graph, every_id_resolves_by_its_shortest_unique_prefix) {
    std::vector<std::string> sorted;
    std::unordered_map<std::string, std::size_t> by_id, by_label;
    for (std::size_t i = 0; i < h().size(); ++i) {
        sorted.push_back(h().nodes[i].id);
        by_id.emplace(h().nodes[i].id, i);
        if (h().nodes[i].branch_label) by_label.emplace(*h().nodes[i].branch_label, i);
    }
    std::sort(sorted.begin(), sorted.end());
    auto common = [](const std::string& a, const std::string& b) {
        std::size_t k = 0;
        while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
        return k;
    };
    std::size_t ambiguous_checked = 0;
    for (std::size_t k = 0; k < sorted.size(); ++k) {
        const std::string& id = sorted[k];
        std::size_t shared = 0;
        if (k > 0) shared = std::max(shared, common(id, sorted[k - 1]));
        if (k + 1 < sorted.size()) shared = std::max(shared, common(id, sorted[k + 1]));
        std::size_t i = by_id.at(id);
        ASSERT_EQ(g().resolve(id), i);
        // The shortest prefix no other id shares; an id that is a prefix of another has none
        // and resolves only as itself.
        if (shared < id.size()) {
            ASSERT_EQ(g().resolve(id.substr(0, shared + 1)), i) << id;
        }
        if (shared > 0) {
            std::string shorter = id.substr(0, shared);
            if (by_id.count(shorter)) {
                ASSERT_EQ(g().resolve(shorter), by_id.at(shorter));
            } else {
                ASSERT_ENGINE_ERROR(g().resolve(shorter), sqlstate::invalid_parameter_value,
                                    "revision prefix \"" + shorter + "\" is ambiguous",
                                    {.detail = "It matches"});
                ++ambiguous_checked;
            }
        }
    }
    EXPECT_GE(ambiguous_checked, 1000u);
    for (const auto& [label, i] : by_label) EXPECT_EQ(g().resolve(label), i);
}

TEST_F(large_graph, label_at_heads_names_the_heads_above_the_label) {
    std::size_t checked = 0;
    for (std::size_t i = 0; i < h().size() && checked < 25; ++i) {
        if (!h().nodes[i].branch_label) continue;
        const std::string& label = *h().nodes[i].branch_label;
        node_set above = reach(h().children, {i});
        index_list expected;
        for (std::size_t j = 0; j < h().size(); ++j)
            if (above[j] && h().children[j].empty()) expected.push_back(j);
        position base{g().empty_set(), {}};
        ASSERT_EQ(resolve_target(g(), base, label + "@heads"), expected) << label;
        if (expected.size() == 1)
            EXPECT_EQ(resolve_target(g(), base, label + "@head"), expected);
        else
            EXPECT_ENGINE_ERROR(resolve_target(g(), base, label + "@head"),
                                sqlstate::invalid_parameter_value, "is ambiguous");
        auto plan = revisions_to_apply(g(), base, label + "@heads");
        EXPECT_EQ(as_set(h().size(), plan), reach(h().needs, expected));
        ++checked;
    }
    EXPECT_GE(checked, 20u);
}

// ---------------------------------------------------------------------------------------
// Long linear chains: nothing may recurse per revision or do quadratic work.

constexpr std::size_t chain_length = 20000;

std::vector<graph_node> chain(std::size_t n) {
    std::vector<graph_node> nodes;
    nodes.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        nodes.push_back(
            {"c" + std::to_string(i),
             i ? std::vector<std::string>{"c" + std::to_string(i - 1)} : std::vector<std::string>{},
             {},
             std::nullopt});
    return nodes;
}

TEST(long_chain, plans_over_twenty_thousand_revisions) {
    auto started = std::chrono::steady_clock::now();
    revision_graph g(chain(chain_length));
    const std::string last = "c" + std::to_string(chain_length - 1);
    ASSERT_EQ(g.heads(), index_list{chain_length - 1});
    EXPECT_TRUE(g.branch_points().empty());

    auto order = g.topological(node_set(chain_length, true));
    for (std::size_t k = 0; k < chain_length; ++k) ASSERT_EQ(order[k], k);
    EXPECT_EQ(members(g.ancestors({chain_length - 1})), chain_length);
    EXPECT_EQ(members(g.descendants({0})), chain_length);

    position p{g.empty_set(), {}};
    EXPECT_EQ(resolve_target(g, p, "c0+" + std::to_string(chain_length - 1)),
              index_list{chain_length - 1});
    EXPECT_EQ(resolve_target(g, p, last + "-" + std::to_string(chain_length - 1)), index_list{0});
    EXPECT_EQ(resolve_target(g, p, "+" + std::to_string(chain_length)),
              index_list{chain_length - 1});
    EXPECT_EQ(resolve_target(g, p, "c0@head"), index_list{chain_length - 1});

    auto up = revisions_to_apply(g, p, "head");
    ASSERT_EQ(up, order);
    for (std::size_t i : up) p.applied[i] = true, p.applied_order.push_back(i);
    EXPECT_EQ(current_heads(g, p), index_list{chain_length - 1});

    auto half = revisions_to_undo(g, p, "-" + std::to_string(chain_length / 2));
    ASSERT_EQ(half.size(), chain_length / 2);
    EXPECT_EQ(half.front(), chain_length - 1);
    EXPECT_EQ(revisions_to_undo(g, p, "c" + std::to_string(chain_length / 2 - 1)), half);

    auto down = revisions_to_undo(g, p, "base");
    ASSERT_EQ(down.size(), chain_length);
    for (std::size_t k = 0; k < chain_length; ++k) ASSERT_EQ(down[k], chain_length - 1 - k);
    EXPECT_EQ(applied_after_stamp(g, p, "-" + std::to_string(chain_length)), g.empty_set());

    for (std::size_t i = 0; i < chain_length; i += 97)
        ASSERT_EQ(g.resolve("c" + std::to_string(i)), i);
    EXPECT_EQ(g.resolve("c1"), 1u);  // exact, although a prefix of many other ids
    EXPECT_ENGINE_ERROR(
        g.resolve("c"), sqlstate::invalid_parameter_value, "revision prefix \"c\" is ambiguous",
        {.detail = "It matches " + std::to_string(chain_length) + " revisions: c0, c1, c10,"});

    auto took = std::chrono::steady_clock::now() - started;
    RecordProperty(
        "milliseconds",
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

TEST(long_chain, cycle_through_twenty_thousand_revisions) {
    // The root names the last revision as its parent: the whole chain is one cycle.
    auto nodes = chain(chain_length);
    nodes.front().parents = {"c" + std::to_string(chain_length - 1)};
    auto e = matchers::error_of([&] { revision_graph g(nodes); });
    ASSERT_TRUE(e.has_value());
    EXPECT_STREQ(e->sqlstate(), sqlstate::invalid_object_definition);
    EXPECT_STREQ(e->what(), "revision graph would contain a cycle");
    EXPECT_EQ(
        e->detail().rfind("The cycle is c0 -> c" + std::to_string(chain_length - 1) + " -> ", 0),
        0u)
        << e->detail().substr(0, 200);
}

}  // namespace
}  // namespace ender::engine
