// The order of views in a diff (diff_planner.hpp, pass_order): what repeated passes over the
// list would give, computed in one topological walk instead of a pass per view (a chain of
// 20,000 views listed against its dependencies took 20,000 passes over the list).
#include "diff_planner.hpp"

#include <algorithm>
#include <deque>

namespace ender::engine::diff_detail {

std::vector<std::size_t> pass_order(const std::vector<std::vector<std::size_t>>& before,
                                    std::vector<std::size_t>& left) {
    const std::size_t n = before.size();
    // pass[i]: the pass that takes item i. An item is taken in the pass after its last
    // prerequisite's, or in the same pass when that prerequisite comes earlier in the list.
    std::vector<std::size_t> pass(n, 1), waiting(n, 0);
    std::vector<std::vector<std::size_t>> after(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t d : before[i]) {
            after[d].push_back(i);
            ++waiting[i];
        }
    std::deque<std::size_t> ready;
    for (std::size_t i = 0; i < n; ++i)
        if (waiting[i] == 0) ready.push_back(i);
    std::vector<std::size_t> order;
    order.reserve(n);
    while (!ready.empty()) {
        std::size_t d = ready.front();
        ready.pop_front();
        order.push_back(d);
        for (std::size_t i : after[d]) {
            pass[i] = std::max(pass[i], pass[d] + (d > i ? 1 : 0));
            if (--waiting[i] == 0) ready.push_back(i);
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        if (waiting[i] > 0) left.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return pass[a] != pass[b] ? pass[a] < pass[b] : a < b;
    });
    return order;
}

}  // namespace ender::engine::diff_detail
