// import alembic: an Alembic project's revisions as ender migration files, one per revision,
// with the same ids, parents, depends_on, branch label and message. The SQL is Alembic's own
// offline mode's, produced by the Python that has the project's Alembic running the project's
// env.py (alembic_driver.py, compiled in), without Alembic's bookkeeping. A revision whose
// offline SQL cannot be produced (Python code that reads the database) is written with that
// section commented out, and named in the report.
#include "verbs.hpp"

#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace ender::cli {

namespace {

const char* const alembic_driver =
#include "alembic_driver.inc"
    ;

// The first of --python, the interpreter of the `alembic` script on PATH (a virtualenv's),
// python3 and /usr/bin/python3 that can import alembic.
std::string find_python(const options& o) {
    std::vector<std::string> candidates;
    if (o.has("python")) {
        candidates.push_back(o.value("python"));
    } else {
        auto which = run_command("command -v alembic");
        if (which.status == 0) {
            std::ifstream script(trim(which.output));
            std::string first;
            std::getline(script, first);
            // "#!/path/to/venv/bin/python3": its interpreter ("#!/usr/bin/env python3" is
            // python3 on PATH, tried next anyway).
            if (first.rfind("#!/", 0) == 0) {
                std::string interpreter = trim(first.substr(2));
                if (interpreter.find(' ') == std::string::npos) candidates.push_back(interpreter);
            }
        }
        candidates.push_back("python3");
        candidates.push_back("/usr/bin/python3");
    }
    for (const auto& c : candidates) {
        ::setenv("ENDER_IMPORT_PYTHON", c.c_str(), 1);
        if (run_command("\"$ENDER_IMPORT_PYTHON\" -c 'import alembic' >/dev/null").status == 0)
            return c;
    }
    fail("no Python with Alembic was found", "Tried: " + quoted_list(candidates) + ".",
         "Pass --python with the interpreter that runs the project's Alembic (a virtualenv's "
         "bin/python, say).");
}

// A temporary directory, removed with the object.
struct temporary_directory {
    fs::path path;
    temporary_directory() {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/ender-import-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            fail("could not create a temporary directory", pattern, {}, exit_database);
        path = pattern;
    }
    ~temporary_directory() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Runs the driver on the project; its JSON document.
nlohmann::json read_project(const std::string& python, const fs::path& ini) {
    temporary_directory tmp;
    const fs::path driver = tmp.path / "alembic_driver.py";
    const fs::path output = tmp.path / "project.json";
    write_file(driver, alembic_driver);
    ::setenv("ENDER_IMPORT_PYTHON", python.c_str(), 1);
    ::setenv("ENDER_IMPORT_DRIVER", driver.c_str(), 1);
    ::setenv("ENDER_IMPORT_INI", ini.c_str(), 1);
    ::setenv("ENDER_IMPORT_OUTPUT", output.c_str(), 1);
    ::setenv("ENDER_IMPORT_CWD", ini.parent_path().c_str(), 1);
    // In the project's directory, as "alembic" is run: script_location and
    // prepend_sys_path are relative to it.
    auto run = run_command(
        "cd \"$ENDER_IMPORT_CWD\" && \"$ENDER_IMPORT_PYTHON\" \"$ENDER_IMPORT_DRIVER\" "
        "\"$ENDER_IMPORT_INI\" \"$ENDER_IMPORT_OUTPUT\"");
    nlohmann::json project;
    if (fs::exists(output)) {
        try {
            project = nlohmann::json::parse(read_file(output));
        } catch (const nlohmann::json::parse_error&) {
        }
    }
    if (project.is_object() && project.contains("error")) {
        // The last line of the traceback is the error; the rest is where.
        std::string trace = trim(project["error"].get<std::string>());
        std::string last = trace.substr(trace.find_last_of('\n') + 1);
        fail("Alembic could not read the project: " + last, trace,
             "The project's env.py runs in offline mode (as \"alembic upgrade --sql\" does): it "
             "needs what it imports and its settings (DATABASE_URL, say).",
             exit_differences);
    }
    if (run.status != 0 || !project.is_object())
        fail("the Alembic driver failed", trim(run.output),
             "Run it with the Python of the project's Alembic: --python PATH.", exit_differences);
    return project;
}

std::string comment_lines(const std::string& text, const std::string& indent = "  ") {
    std::istringstream in(text);
    std::string out;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
        out += line.empty() ? "--\n" : "-- " + indent + line + "\n";
    }
    return out;
}

struct section_result {
    std::string text;   // what goes into the file's section (or its header, for a downgrade)
    bool sql = true;    // false: commented out
    std::string error;  // why
};

// One section of the file from Alembic's offline output for it.
section_result section_of(const nlohmann::json& s, const std::string& name) {
    section_result r;
    const std::string sql = s.value("sql", "");
    if (s.contains("error") && s["error"].is_string()) {
        r.sql = false;
        r.error = s["error"].get<std::string>();
        r.text = "-- NOT IMPORTED: Alembic's offline mode could not turn this " + name +
                 " into SQL:\n" + comment_lines(r.error) +
                 "-- It runs Python code against the database (below). Write its SQL here by "
                 "hand;\n-- until then the " +
                 name + " runs nothing.\n";
        if (!trim(sql).empty())
            r.text += "--\n-- The SQL Alembic wrote before the failure:\n" + comment_lines(sql);
        if (s.contains("source") && s["source"].is_string())
            r.text += "--\n-- The Alembic code:\n" + comment_lines(s["source"].get<std::string>());
        return r;
    }
    if (s.value("autocommit", false))
        r.text = "-- Alembic ran part of this " + name +
                 " outside its transaction (autocommit_block); ender runs a\n-- revision in one "
                 "transaction, and refuses statements that cannot run in one.\n";
    r.text += sql.empty() ? "" : sql + "\n";
    return r;
}

std::string join_list(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : sep) + e;
    return out;
}

struct imported {
    std::string id, message, file, status;  // status: created or kept
    std::vector<std::string> parents, depends_on;
    std::optional<std::string> branch;
    std::string upgrade = "sql", downgrade = "sql";
};

struct review {
    std::string id, message, file, section, error;
};

}  // namespace

int cmd_import(const context& x) {
    const options& o = x.o;
    allow_only(o, {"python"}, 1, 1);
    if (o.positional[0] != "alembic")
        fail("unknown import source \"" + o.positional[0] + "\"", {},
             "ender imports Alembic projects: ender import alembic [--config alembic.ini] "
             "[--dir migrations].");
    const fs::path ini = fs::absolute(o.has("config") ? o.value("config") : "alembic.ini");
    if (!fs::is_regular_file(ini))
        fail("Alembic configuration \"" + (o.has("config") ? o.value("config") : "alembic.ini") +
                 "\" does not exist",
             {},
             "Run it in the Alembic project's directory, or pass --config path/to/alembic.ini.");
    // --config names alembic.ini here: the migrations directory is --dir, else ender.toml's.
    options rest = o;
    rest.values.erase("config");
    const config settings = load_config(rest);
    const fs::path& dir = settings.dir;

    const std::string python = find_python(o);
    const auto project = read_project(python, ini);

    // What the directory has already: those revisions are kept as they are.
    std::map<std::string, fs::path> existing;
    if (fs::is_directory(dir))
        for (const auto& f : migration_files(dir)) existing[f.revision.id] = f.path;

    std::vector<imported> done;
    std::vector<review> reviews;
    std::vector<std::pair<fs::path, std::string>> to_write;
    for (const auto& r : project["revisions"]) {
        imported i;
        i.id = r["revision"].get<std::string>();
        i.message = r.value("message", "");
        i.parents = r["parents"].get<std::vector<std::string>>();
        i.depends_on = r["depends_on"].get<std::vector<std::string>>();
        auto labels = r["branch_labels"].get<std::vector<std::string>>();
        if (!labels.empty()) i.branch = labels[0];
        const std::string path = r.value("path", "");

        auto up = section_of(r["upgrade"], "upgrade");
        auto down = section_of(r["downgrade"], "downgrade");
        i.upgrade = up.sql ? "sql" : "commented_out";
        i.downgrade = down.sql ? "sql" : "none";

        std::ostringstream text;
        text << "-- ender:revision " << i.id << "\n";
        if (!i.parents.empty()) text << "-- ender:parents " << join_list(i.parents) << "\n";
        if (!i.depends_on.empty())
            text << "-- ender:depends_on " << join_list(i.depends_on) << "\n";
        if (i.branch) text << "-- ender:branch " << *i.branch << "\n";
        std::istringstream message(i.message);
        for (std::string line; std::getline(message, line);)
            text << "-- ender:message " << trim(line) << "\n";
        text << "-- Imported from Alembic by `ender import alembic`: " << path << "\n"
             << "-- The SQL is what Alembic's offline mode writes (alembic upgrade/downgrade "
                "--sql),\n-- without its alembic_version bookkeeping.\n";
        if (labels.size() > 1)
            text << "-- Alembic branch labels: " << join_list(labels)
                 << " (ender keeps one per revision: the first).\n";
        if (!down.sql)
            text << "-- No downgrade section: it cannot be undone until one is written.\n"
                 << down.text;
        text << "-- ender:upgrade\n" << up.text;
        if (down.sql) text << "\n-- ender:downgrade\n" << down.text;

        // The extension's parser must read what was meant: ids and labels ender accepts.
        try {
            engine::validate(engine::parse_migration(text.str()));
        } catch (const engine::error& e) {
            fail(e.what(), "In Alembic revision \"" + i.id + "\" (" + path + "). " + e.detail(),
                 "ender ids and branch labels are 1 to 64 letters, digits and underscores: "
                 "rename the revision in Alembic first.",
                 exit_differences);
        }
        if (!up.sql) reviews.push_back({i.id, i.message, "", "upgrade", up.error});
        if (!down.sql) reviews.push_back({i.id, i.message, "", "downgrade", down.error});

        if (auto e = existing.find(i.id); e != existing.end()) {
            i.file = e->second.string();
            i.status = "kept";
        } else {
            fs::path file = dir / revision_file_name(settings.naming, i.id, i.message);
            i.file = file.string();
            i.status = "created";
            to_write.emplace_back(file, text.str());
        }
        for (auto& rv : reviews)
            if (rv.id == i.id) rv.file = i.file;
        done.push_back(std::move(i));
    }
    // Every file checked before the first is written.
    fs::create_directories(dir);
    for (const auto& [file, text] : to_write) write_file(file, text);

    if (o.json) {
        ordered_json list = ordered_json::array(), needs = ordered_json::array();
        for (const auto& i : done)
            list.push_back({{"revision", i.id},
                            {"parents", i.parents},
                            {"depends_on", i.depends_on},
                            {"branch", i.branch ? ordered_json(*i.branch) : ordered_json()},
                            {"message", i.message},
                            {"file", i.file},
                            {"status", i.status},
                            {"upgrade", i.upgrade},
                            {"downgrade", i.downgrade}});
        for (const auto& rv : reviews)
            needs.push_back({{"revision", rv.id},
                             {"file", rv.file},
                             {"section", rv.section},
                             {"error", rv.error}});
        std::cout << ordered_json{{"alembic", project.value("alembic", "")},
                                  {"python", python},
                                  {"revisions", list},
                                  {"needs_review", needs}}
                         .dump(2)
                  << "\n";
        return exit_ok;
    }
    std::cout << "import: " << done.size() << " Alembic revision" << (done.size() == 1 ? "" : "s")
              << " from " << project.value("versions", "") << " (Alembic "
              << project.value("alembic", "") << ", " << python << ") into " << dir.string()
              << "\n";
    for (const auto& i : done)
        std::cout << (i.status == "created" ? paint(STDOUT_FILENO, colour::green, "created")
                                            : std::string("kept   "))
                  << " " << i.file
                  << (i.status == "kept" ? "  (exists: delete it to import again)" : "") << "\n";
    if (!reviews.empty()) {
        std::cout << paint(STDOUT_FILENO, colour::yellow, "needs review:") << " " << reviews.size()
                  << (reviews.size() == 1 ? " section" : " sections")
                  << " whose SQL Alembic's offline mode could not produce (Python code), written "
                     "commented out:\n";
        for (const auto& rv : reviews)
            std::cout << "  " << rv.id << " " << rv.section << " (" << one_line(rv.message)
                      << "): " << one_line(rv.error) << "\n";
    }
    std::cout << "next: \"ender upgrade\" on a new database, or \"ender stamp --from-alembic\" on "
                 "one Alembic migrated\n";
    return exit_ok;
}

}  // namespace ender::cli
