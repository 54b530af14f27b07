// Small builders shared by the graph and plan tests.
#pragma once

#include "engine/revision_graph.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ender::engine::testing {

using strings = std::vector<std::string>;

inline graph_node node(std::string id, strings parents = {}, strings depends_on = {},
                       std::optional<std::string> label = std::nullopt) {
    return {std::move(id), std::move(parents), std::move(depends_on), std::move(label)};
}

}  // namespace ender::engine::testing
