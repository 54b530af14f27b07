// Pictures of the revision graph: the terminal lanes of `ender history --graph` for branches and
// merges, and the Graphviz document of `ender graph`.
#include "../../extension/src/engine/graph_render.hpp"

#include <gtest/gtest.h>

using namespace ender::engine;

namespace {

// base <- a1 <- a2 <- m -> top, and base <- b1 <- m: two branches and their merge.
revision_graph branches_and_merge() {
    return revision_graph({{"base", {}, {}, std::nullopt},
                           {"a1", {"base"}, {}, std::nullopt},
                           {"b1", {"base"}, {}, std::string("billing")},
                           {"a2", {"a1"}, {}, std::nullopt},
                           {"m", {"a2", "b1"}, {}, std::nullopt},
                           {"top", {"m"}, {"b1"}, std::nullopt}});
}

std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

TEST(GraphText, DrawsBranchesAndTheirMergeLikeGitLogGraph) {
    auto g = branches_and_merge();
    graph_marks marks;
    marks.messages = {"create team", "add hero", "billing", "hero email", "merge", "add phone"};
    marks.applied = {true, true, true, true, true, false};
    marks.current = {false, false, false, false, true, false};
    EXPECT_EQ(joined(render_text(g, marks)),
              "*  top (head, pending, needs b1)  add phone\n"
              "*  m (current, applied)  merge\n"
              "|\\\n"
              "* |  a2 (applied)  hero email\n"
              "| *  b1 (applied, branch billing)  billing\n"
              "* |  a1 (applied)  add hero\n"
              "|/\n"
              "*  base (applied)  create team\n");
}

TEST(GraphText, TwoHeadsKeepTheirLanesUntilTheyMeet) {
    revision_graph g({{"r1", {}, {}, std::nullopt},
                      {"x", {"r1"}, {}, std::nullopt},
                      {"y", {"r1"}, {}, std::nullopt}});
    EXPECT_EQ(joined(render_text(g, {})),
              "*  y (head)\n"
              "| *  x (head)\n"
              "|/\n"
              "*  r1\n");
}

TEST(GraphText, SeparateRootsEachEndTheirLane) {
    revision_graph g({{"p", {}, {}, std::nullopt},
                      {"q", {}, {}, std::nullopt},
                      {"p2", {"p"}, {}, std::nullopt}});
    EXPECT_EQ(joined(render_text(g, {})),
              "*  p2 (head)\n"
              "| *  q (head)\n"
              "*  p\n");
}

TEST(GraphText, EmptyGraphDrawsNothing) {
    EXPECT_TRUE(render_text(revision_graph({}), {}).empty());
}

TEST(GraphDot, HasEveryRevisionEdgeAndMark) {
    auto g = branches_and_merge();
    graph_marks marks;
    marks.messages = {"create \"team\"", "", "", "", "", ""};
    marks.applied = {true, true, true, true, true, false};
    marks.current = {false, false, false, false, true, false};
    const std::string dot = render_dot(g, marks);
    EXPECT_EQ(dot.rfind("digraph revisions {", 0), 0u);
    for (const char* id : {"\"base\"", "\"a1\"", "\"b1\"", "\"a2\"", "\"m\"", "\"top\""})
        EXPECT_NE(dot.find(std::string("  ") + id + " [label="), std::string::npos) << id;
    EXPECT_NE(dot.find("\"a2\" -> \"m\";"), std::string::npos);
    EXPECT_NE(dot.find("\"b1\" -> \"m\";"), std::string::npos);
    EXPECT_NE(dot.find("\"b1\" -> \"top\" [style=dashed"), std::string::npos);
    EXPECT_NE(dot.find("create \\\"team\\\""), std::string::npos);  // quotes escaped
    EXPECT_NE(dot.find("\"m\" [label=\"m\\ncurrent, applied\", style=\"rounded,filled\", "
                       "fillcolor=\"#d9f2d9\", peripheries=2]"),
              std::string::npos)
        << dot;
    EXPECT_NE(
        dot.find(
            "\"top\" [label=\"top\\nhead, pending, needs b1\", style=\"rounded,dashed,bold\"]"),
        std::string::npos)
        << dot;
}

}  // namespace
