// ender::cli::main: the command line to a verb, and every error to one PostgreSQL-style
// message and an exit code. The standalone `ender` and an application's migrate program
// (which passes its models) are this same code.
#include "ender/cli.hpp"

#include "output.hpp"
#include "verbs.hpp"
#include "version.hpp"

#include <iostream>

namespace ender::cli {

namespace {

const std::vector<std::string> verb_names = {
    "init",    "revision", "merge", "upgrade", "downgrade", "stamp", "current", "heads", "branches",
    "history", "show",     "check", "diff",    "sql",       "test",  "graph",   "status"};

int run(const ender::schema* models, int argc, char** argv) {
    context x;
    x.models = models;
    x.o = parse_arguments(argc, argv);
    const options& o = x.o;
    verbose = o.flag("verbose");
    if (o.version) {
        std::cout << version_text(o.program);
        return exit_ok;
    }
    if (o.help || o.verb == "help") {
        std::cout << usage(o.program, models != nullptr);
        return exit_ok;
    }
    if (o.verb.empty())
        fail("no command given", {}, "Run \"" + o.program + " --help\" for the commands.");
    if (std::find(verb_names.begin(), verb_names.end(), o.verb) == verb_names.end()) {
        std::string list;
        for (const auto& v : verb_names) list += (list.empty() ? "" : ", ") + v;
        fail("unknown command \"" + o.verb + "\"", {}, "Commands: " + list + ".");
    }
    if (o.verb == "init") return cmd_init(o);
    if (o.verb == "diff") return cmd_diff(x);
    x.c = load_config(o);
    if (o.verb == "revision" || o.verb == "merge") return cmd_revision(x, o.verb == "merge");
    if (o.verb == "upgrade") return cmd_upgrade(x);
    if (o.verb == "downgrade") return cmd_move(x, "ender_downgrade", "undone", "undone");
    if (o.verb == "stamp") return cmd_stamp(x);
    if (o.verb == "check") return cmd_check(x);
    if (o.verb == "sql") return cmd_sql(x);
    if (o.verb == "test") return cmd_test(x);
    if (o.verb == "graph") return cmd_graph(x);
    auto db = connect(x.c.dsn);
    if (o.verb == "show") return cmd_show(x, db);
    if (o.verb == "status") return cmd_status(x, db);
    return cmd_read(x, db);
}

int guarded(const ender::schema* models, int argc, char** argv) {
    try {
        return run(models, argc, argv);
    } catch (const cli_error& e) {
        print_error(e.message, e.detail, e.hint);
        return e.code;
    } catch (const ender::error& e) {
        print_error(e.what(), e.detail(), e.hint());
        return exit_database;
    } catch (const std::exception& e) {
        print_error(e.what(), {}, {});
        return exit_database;
    }
}

}  // namespace

int main(const ender::schema& models, int argc, char** argv) {
    return guarded(&models, argc, argv);
}

int main(int argc, char** argv) {
    return guarded(nullptr, argc, argv);
}

}  // namespace ender::cli
