// Reading and writing migration files (files.hpp).
#include "files.hpp"

#include "engine/error.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace ender::cli {

std::vector<migration_file> migration_files(const fs::path& dir) {
    if (!fs::is_directory(dir))
        fail("migrations directory \"" + dir.string() + "\" does not exist", {},
             "Run \"ender init\", or pass --dir.");
    std::vector<migration_file> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".sql")
            files.push_back({e.path(), read_file(e.path()), {}});
    return parsed(std::move(files));
}

std::vector<migration_file> parsed(std::vector<migration_file> files) {
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    for (auto& f : files) {
        try {
            f.revision = engine::parse_migration(f.source);
        } catch (const engine::error& e) {
            std::string where = "In migration file \"" + f.path.string() + "\".";
            fail(e.what(), e.detail().empty() ? where : where + " " + e.detail(), e.hint(),
                 exit_differences);
        }
    }
    return files;
}

engine::revision_graph graph_of(const std::vector<migration_file>& files) {
    std::vector<engine::graph_node> nodes;
    nodes.reserve(files.size());
    for (const auto& f : files)
        nodes.push_back(
            {f.revision.id, f.revision.parents, f.revision.depends_on, f.revision.branch_label});
    return engine_call([&] { return engine::revision_graph(std::move(nodes)); }, exit_differences);
}

const migration_file& file_of(const std::vector<migration_file>& files, const std::string& id) {
    for (const auto& f : files)
        if (f.revision.id == id) return f;
    fail("revision \"" + id + "\" has no migration file", {}, {}, exit_differences);
}

std::vector<std::string> head_ids(const std::vector<migration_file>& files) {
    std::set<std::string> has_child;
    for (const auto& f : files)
        has_child.insert(f.revision.parents.begin(), f.revision.parents.end());
    std::vector<std::string> heads;
    for (const auto& f : files)
        if (!has_child.contains(f.revision.id)) heads.push_back(f.revision.id);
    return heads;
}

written_revision write_revision(const fs::path& dir, const new_revision& r,
                                const revision_naming& naming) {
    std::vector<std::string> taken;
    for (const auto& f : migration_files(dir)) taken.push_back(f.revision.id);
    std::string id = new_revision_id(naming, taken);
    std::ostringstream text;
    text << "-- ender:revision " << id << "\n";
    if (!r.parents.empty()) {
        text << "-- ender:parents ";
        for (std::size_t i = 0; i < r.parents.size(); ++i) text << (i ? ", " : "") << r.parents[i];
        text << "\n";
    }
    if (r.branch) text << "-- ender:branch " << *r.branch << "\n";
    std::istringstream lines(r.message);
    for (std::string line; std::getline(lines, line);) text << "-- ender:message " << line << "\n";
    text << r.header_comment;
    if (r.online) text << "-- ender:online " << *r.online << "\n";
    text << "-- ender:upgrade\n" << r.upgrade;
    if (r.downgrade) text << "\n-- ender:downgrade\n" << *r.downgrade;

    // What the file says must be what was meant (a message line that looks like a marker, a
    // bad branch label): refuse before writing anything.
    engine::revision read;
    try {
        read = engine::parse_migration(text.str());
        engine::validate(read);
    } catch (const engine::error& e) {
        fail(e.what(), "In the new revision. " + e.detail(), e.hint());
    }
    fs::path path = dir / revision_file_name(naming, id, r.message);
    if (fs::exists(path))
        fail("migration file \"" + path.string() + "\" already exists", {},
             "Check file_template in ender.toml: it should hold %(rev)s.");
    write_file(path, text.str());
    return {id, path};
}

}  // namespace ender::cli
