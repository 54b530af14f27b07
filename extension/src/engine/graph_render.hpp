// Pictures of the revision graph: the text `ender history --graph` prints (lanes drawn as
// `git log --graph` draws them, newest first) and the Graphviz document `ender graph` writes.
#pragma once
#include "cpp_only.hpp"

#include "revision_graph.hpp"

#include <string>
#include <vector>

namespace ender::engine {

// What is known of each revision beyond the graph, by node index (all optional).
struct graph_marks {
    std::vector<std::string> messages;  // one line each
    node_set applied;                   // applied in the database
    node_set current;                   // the current heads (applied, no applied child)
};

// One line per drawing row, newest revision first: the lanes ("*" the revision, "|" a line of
// descent passing by, "\" a merge opening, "/" lines joining), then for revision rows its id,
// its marks in parentheses (head, current, applied/pending when known, its branch label) and
// its message. Lines between a revision and its parents run down the page; depends_on is shown
// as "needs <id>".
std::vector<std::string> render_text(const revision_graph& g, const graph_marks& marks);

// The graph as a Graphviz digraph: one box per revision (id and message), an arrow from each
// parent to its child, dashed arrows for depends_on; applied revisions filled, pending ones
// dashed, heads bold, current heads double-bordered. Identifiers and labels are escaped.
std::string render_dot(const revision_graph& g, const graph_marks& marks);

}  // namespace ender::engine
