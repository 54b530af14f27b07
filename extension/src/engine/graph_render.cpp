// Pictures of the revision graph (see graph_render.hpp).
#include "graph_render.hpp"

#include <algorithm>

namespace ender::engine {

namespace {

bool flag(const node_set& set, std::size_t i) {
    return i < set.size() && set[i];
}

std::string marks_of(const revision_graph& g, const graph_marks& marks, std::size_t n) {
    std::vector<std::string> words;
    if (g.children(n).empty()) words.emplace_back("head");
    if (flag(marks.current, n)) words.emplace_back("current");
    if (!marks.applied.empty()) words.emplace_back(flag(marks.applied, n) ? "applied" : "pending");
    if (g.node(n).branch_label) words.push_back("branch " + *g.node(n).branch_label);
    for (const auto& d : g.node(n).depends_on) words.push_back("needs " + d);
    if (words.empty()) return "";
    std::string out = " (";
    for (std::size_t i = 0; i < words.size(); ++i) out += (i ? ", " : "") + words[i];
    return out + ")";
}

// A row of lane characters, two columns per lane, trailing blanks removed.
class row {
public:
    explicit row(std::size_t lanes) : text_(lanes * 2, ' ') {}
    void put(std::size_t column, char c) {
        if (column >= text_.size()) text_.resize(column + 1, ' ');
        text_[column] = c;
    }
    std::string str() const {
        std::string s = text_;
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }

private:
    std::string text_;
};

}  // namespace

std::vector<std::string> render_text(const revision_graph& g, const graph_marks& marks) {
    node_set all(g.size(), true);
    std::vector<std::size_t> order = g.topological(all);
    std::reverse(order.begin(), order.end());  // newest first

    std::vector<std::string> out;
    std::vector<std::size_t> lanes;  // the revision each lane leads down to
    for (std::size_t n : order) {
        std::vector<std::size_t> waiting;
        for (std::size_t i = 0; i < lanes.size(); ++i)
            if (lanes[i] == n) waiting.push_back(i);
        if (waiting.empty()) {  // a head: a lane of its own
            lanes.push_back(n);
            waiting.push_back(lanes.size() - 1);
        }
        const std::size_t at = waiting.front();

        // Lanes that led to this revision from other children join it, rightmost first.
        for (auto it = waiting.rbegin(); it + 1 != waiting.rend(); ++it) {
            const std::size_t j = *it;
            row r(lanes.size());
            for (std::size_t i = 0; i < j; ++i) r.put(2 * i, '|');
            r.put(2 * j - 1, '/');
            for (std::size_t i = j + 1; i < lanes.size(); ++i) r.put(2 * i - 1, '/');
            lanes.erase(lanes.begin() + static_cast<std::ptrdiff_t>(j));
            out.push_back(r.str());
        }

        row r(lanes.size());
        for (std::size_t i = 0; i < lanes.size(); ++i) r.put(2 * i, i == at ? '*' : '|');
        std::string line = r.str();
        line.resize(std::max(line.size(), 2 * lanes.size() - 1), ' ');
        line += "  " + g.id(n) + marks_of(g, marks, n);
        if (n < marks.messages.size() && !marks.messages[n].empty())
            line += "  " + marks.messages[n];
        out.push_back(line);

        const auto& parents = g.parents(n);
        if (parents.empty()) {  // the base of a line: its lane ends, lanes to its right move left
            lanes.erase(lanes.begin() + static_cast<std::ptrdiff_t>(at));
            if (at < lanes.size()) {
                row shift(lanes.size() + 1);
                for (std::size_t i = 0; i < at; ++i) shift.put(2 * i, '|');
                for (std::size_t i = at; i < lanes.size(); ++i) shift.put(2 * i + 1, '/');
                out.push_back(shift.str());
            }
            continue;
        }
        lanes[at] = parents.front();
        if (parents.size() > 1) {  // a merge: its other parents open lanes to its right
            row open(lanes.size() + parents.size() - 1);
            for (std::size_t i = 0; i <= at; ++i) open.put(2 * i, '|');
            open.put(2 * at + 1, '\\');
            for (std::size_t i = at + 1; i < lanes.size(); ++i) open.put(2 * i + 1, '\\');
            lanes.insert(lanes.begin() + static_cast<std::ptrdiff_t>(at) + 1, parents.begin() + 1,
                         parents.end());
            out.push_back(open.str());
        }
    }
    return out;
}

namespace {

std::string dot_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string render_dot(const revision_graph& g, const graph_marks& marks) {
    std::string out =
        "digraph revisions {\n"
        "  rankdir=BT;\n"
        "  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n";
    for (std::size_t n = 0; n < g.size(); ++n) {
        std::string label = g.id(n);
        if (n < marks.messages.size() && !marks.messages[n].empty())
            label += "\n" + marks.messages[n];
        const std::string m = marks_of(g, marks, n);
        if (!m.empty()) label += "\n" + m.substr(2, m.size() - 3);
        std::vector<std::string> style = {"rounded"};
        if (flag(marks.applied, n))
            style.emplace_back("filled");
        else if (!marks.applied.empty())
            style.emplace_back("dashed");
        if (g.children(n).empty()) style.emplace_back("bold");
        std::string styles;
        for (std::size_t i = 0; i < style.size(); ++i) styles += (i ? "," : "") + style[i];
        out += "  " + dot_string(g.id(n)) + " [label=" + dot_string(label) +
               ", style=" + dot_string(styles);
        if (flag(marks.applied, n)) out += ", fillcolor=\"#d9f2d9\"";
        if (flag(marks.current, n)) out += ", peripheries=2";
        out += "];\n";
    }
    for (std::size_t n = 0; n < g.size(); ++n) {
        for (std::size_t p : g.parents(n))
            out += "  " + dot_string(g.id(p)) + " -> " + dot_string(g.id(n)) + ";\n";
        for (const auto& d : g.node(n).depends_on)
            out += "  " + dot_string(d) + " -> " + dot_string(g.id(n)) +
                   " [style=dashed, label=\"needs\"];\n";
    }
    return out + "}\n";
}

}  // namespace ender::engine
