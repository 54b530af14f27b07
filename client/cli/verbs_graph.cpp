// history --graph and graph: the revision graph of the migration files (and of any revision the
// database registered without a file), marked with what the database has applied. The
// drawings themselves are the engine's (engine/graph_render.hpp), unit-tested there.
#include "verbs.hpp"

#include "output.hpp"

#include "engine/graph_render.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <unistd.h>

namespace ender::cli {

namespace {

struct drawing {
    engine::revision_graph graph{{}};
    engine::graph_marks marks;
};

drawing load(const context& x, ender::session& db) {
    std::vector<engine::graph_node> nodes;
    std::vector<std::string> messages;
    std::set<std::string> seen;
    for (const auto& f : migration_files(x.c.dir)) {
        const auto& r = f.revision;
        nodes.push_back({r.id, r.parents, r.depends_on, r.branch_label});
        messages.push_back(one_line(r.message.value_or("")));
        seen.insert(r.id);
    }
    using registered = std::tuple<std::string, std::vector<std::string>, std::vector<std::string>,
                                  std::optional<std::string>, std::optional<std::string>>;
    for (auto& [id, parents, depends_on, label, message] :
         db.query<registered>("SELECT id, parents, depends_on, branch_label, message FROM "
                              "ender.revision ORDER BY seq"))
        if (seen.insert(id).second) {
            nodes.push_back({id, parents, depends_on, label});
            messages.push_back(one_line(message.value_or("")));
        }
    drawing d;
    d.graph =
        engine_call([&] { return engine::revision_graph(std::move(nodes)); }, exit_differences);
    d.marks.messages = std::move(messages);
    d.marks.applied = d.graph.empty_set();
    d.marks.current = d.graph.empty_set();
    for (auto& [id] : db.query<std::tuple<std::string>>("SELECT revision_id FROM ender.applied"))
        if (auto i = d.graph.find(id)) d.marks.applied[*i] = true;
    for (auto& [id] : db.query<std::tuple<std::string>>("SELECT ender_current()"))
        if (auto i = d.graph.find(id)) d.marks.current[*i] = true;
    return d;
}

// The graph as JSON: one object per revision, newest first (the order of the drawing).
nlohmann::json as_json(const drawing& d) {
    auto order = d.graph.topological(engine::node_set(d.graph.size(), true));
    nlohmann::json out = nlohmann::json::array();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const auto& n = d.graph.node(*it);
        out.push_back(
            {{"revision", n.id},
             {"parents", n.parents},
             {"depends_on", n.depends_on},
             {"branch", n.branch_label ? nlohmann::json(*n.branch_label) : nlohmann::json()},
             {"message", d.marks.messages[*it]},
             {"head", d.graph.children(*it).empty()},
             {"applied", bool(d.marks.applied[*it])},
             {"current", bool(d.marks.current[*it])}});
    }
    return out;
}

// `dot -Tsvg` of `document`, from Debian's graphviz package.
std::string svg_of(const std::string& document) {
    const fs::path input =
        fs::temp_directory_path() / ("ender-graph-" + std::to_string(::getpid()) + ".dot");
    write_file(input, document);
    ::setenv("ENDER_GRAPH_INPUT", input.c_str(), 1);
    auto [status, svg] = run_command("dot -Tsvg \"$ENDER_GRAPH_INPUT\"");
    fs::remove(input);
    if (status != 0 || svg.find("<svg") == std::string::npos)
        fail("could not draw the graph as SVG", one_line(svg),
             "The svg format runs Graphviz's \"dot\" (apt-get install graphviz); --format dot "
             "needs nothing.",
             exit_database);
    return svg;
}

}  // namespace

int cmd_history_graph(const context& x, ender::session& db) {
    auto d = load(x, db);
    if (x.o.json) {
        std::cout << as_json(d).dump(2) << "\n";
        return exit_ok;
    }
    for (const auto& line : engine::render_text(d.graph, d.marks)) std::cout << line << "\n";
    return exit_ok;
}

int cmd_graph(const context& x) {
    const options& o = x.o;
    allow_only(o, {"format", "output"}, 0, 0);
    const std::string format = o.has("format") ? o.value("format") : "dot";
    if (format != "dot" && format != "svg")
        fail("invalid format \"" + format + "\" for graph", {},
             "Use --format dot or --format svg.");
    auto db = connect_ender(x.c.dsn);
    auto d = load(x, db);
    std::string picture = engine::render_dot(d.graph, d.marks);
    if (format == "svg") picture = svg_of(picture);
    if (o.has("output")) {
        write_file(o.value("output"), picture);
        std::cerr << "wrote " << o.value("output") << " (" << d.graph.size() << " revisions)\n";
    } else {
        std::cout << picture;
    }
    return exit_ok;
}

}  // namespace ender::cli
