// libFuzzer target for upgrade/downgrade/stamp targets: for any target text and a position
// chosen by the first input byte, the plans either fail with an engine::error or are valid:
// nothing applied twice or undone when not applied, every revision after what it needs,
// and the resulting position closed under "needs".
#include "engine/error.hpp"
#include "engine/targets.hpp"
#include "engine/revision_graph.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ender::engine;

[[noreturn]] void fail(const char* what, std::string_view target) {
    std::fprintf(stderr, "target_fuzz: %s (target \"%.*s\")\n", what,
                 static_cast<int>(target.size()), target.data());
    std::abort();
}

// Two branches with shared id prefixes, a merge, a dependency, labels and a second root.
const revision_graph& graph() {
    static const revision_graph g({
        {"a1", {}, {}, std::nullopt},
        {"a1b", {"a1"}, {}, std::string("left")},
        {"a1c", {"a1"}, {}, std::string("right")},
        {"b2", {"a1b"}, {}, std::nullopt},
        {"b3", {"a1c"}, {"b2"}, std::nullopt},
        {"c4", {"b2", "b3"}, {}, std::nullopt},
        {"c5", {"c4"}, {}, std::nullopt},
        {"d6", {"a1c"}, {}, std::nullopt},
        {"e7", {}, {}, std::string("other")},
        {"e8", {"e7"}, {"a1b"}, std::nullopt},
    });
    return g;
}

std::vector<std::size_t> needs(const revision_graph& g, std::size_t i) {
    std::vector<std::size_t> out;
    for (const auto* list : {&g.node(i).parents, &g.node(i).depends_on})
        for (const auto& ref : *list) out.push_back(*g.find(ref));
    return out;
}

void check_closed(const revision_graph& g, const node_set& applied, std::string_view target) {
    for (std::size_t i = 0; i < g.size(); ++i)
        if (applied[i])
            for (std::size_t j : needs(g, i))
                if (!applied[j]) fail("position not closed under needs", target);
}

// A position reached by upgrading to the revisions picked by the bits of `seed`, in order.
position start(std::uint8_t seed) {
    const auto& g = graph();
    position p{g.empty_set(), {}};
    for (std::size_t i = 0; i < g.size() && i < 8; ++i) {
        if (!(seed & (1u << i))) continue;
        for (std::size_t k : revisions_to_apply(g, p, g.id((i * 3 + seed) % g.size()))) {
            p.applied[k] = true;
            p.applied_order.push_back(k);
        }
    }
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& g = graph();
    const position p = start(data[0]);
    std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);

    try {
        auto up = revisions_to_apply(g, p, target);
        node_set after = p.applied;
        for (std::size_t i : up) {
            if (after[i]) fail("upgrade applies a revision twice", target);
            for (std::size_t j : needs(g, i))
                if (!after[j]) fail("upgrade applies a revision before what it needs", target);
            after[i] = true;
        }
        // What the target names is applied afterwards.
        for (std::size_t i : resolve_target(g, p, target))
            if (!after[i]) fail("upgrade leaves the target unapplied", target);
    } catch (const error&) {
    }

    try {
        auto down = revisions_to_undo(g, p, target);
        node_set after = p.applied;
        for (std::size_t i : down) {
            if (!after[i]) fail("downgrade undoes a revision that is not applied", target);
            after[i] = false;
            for (std::size_t j = 0; j < g.size(); ++j)
                if (after[j])
                    for (std::size_t k : needs(g, j))
                        if (k == i) fail("downgrade undoes a revision still needed", target);
        }
        check_closed(g, after, target);
    } catch (const error&) {
    }

    try {
        check_closed(g, applied_after_stamp(g, p, target), target);
    } catch (const error&) {
    }
    return 0;
}
