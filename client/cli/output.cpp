// Tables, colour and reports (output.hpp).
#include "output.hpp"

#include "common.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace ender::cli {

bool colour_on(int fd) {
    const char* no_colour = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return isatty(fd) && !(no_colour && *no_colour) && !(term && std::string(term) == "dumb");
}

std::string paint(int fd, colour c, const std::string& text) {
    if (c == colour::none || text.empty() || !colour_on(fd)) return text;
    const char* code = c == colour::bold     ? "1"
                       : c == colour::red    ? "1;31"
                       : c == colour::green  ? "32"
                       : c == colour::yellow ? "33"
                                             : "2";
    return std::string("\033[") + code + "m" + text + "\033[0m";
}

std::string cell(const ordered_json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_array()) {
        std::string s;
        for (const auto& e : v) s += (s.empty() ? "" : ", ") + cell(e);
        return s;
    }
    return v.dump();
}

void print_table(const ordered_json& rows, const std::vector<std::string>& columns) {
    std::vector<std::size_t> width;
    for (const auto& c : columns) width.push_back(c.size());
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : rows) {
        std::vector<std::string> line;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            line.push_back(one_line(cell(row.value(columns[i], ordered_json()))));
            width[i] = std::max(width[i], line.back().size());
        }
        cells.push_back(std::move(line));
    }
    // Padding is computed on the plain text; colour wraps the padded cell.
    auto print_line = [&](const std::vector<std::string>& line, colour c) {
        std::string out;
        for (std::size_t i = 0; i < line.size(); ++i) {
            out += line[i];
            if (i + 1 < line.size()) out += std::string(width[i] - line[i].size() + 2, ' ');
        }
        std::cout << paint(STDOUT_FILENO, c, trim(out)) << "\n";
    };
    print_line(columns, colour::bold);
    std::vector<std::string> rule;
    for (auto w : width) rule.push_back(std::string(w, '-'));
    print_line(rule, colour::none);
    for (const auto& line : cells) print_line(line, colour::none);
}

void print_rows(const options& o, const ordered_json& r, const std::vector<std::string>& columns) {
    if (o.json)
        std::cout << r.dump(2) << "\n";
    else
        print_table(r, columns);
}

int report(const options& o, ender::session& db, const char* key, const char* verb,
           const std::vector<std::string>& ids) {
    if (o.json) {
        std::cout << ordered_json{{key, ids}}.dump(2) << "\n";
        return exit_ok;
    }
    if (ids.empty()) {
        std::cout << "nothing to do\n";
        return exit_ok;
    }
    auto r = rows(db,
                  "SELECT r.id, r.message FROM unnest($1::text[]) WITH ORDINALITY x(id, n) "
                  "JOIN ender.revision r USING (id) ORDER BY x.n",
                  ids);
    for (const auto& row : r)
        std::cout << paint(STDOUT_FILENO, colour::green, verb) << " " << cell(row["id"])
                  << (row["message"].is_null() ? "" : "  " + one_line(cell(row["message"])))
                  << "\n";
    return exit_ok;
}

namespace {

void print_message(colour c, const char* level, const std::string& message,
                   const std::string& detail, const std::string& hint,
                   const std::optional<error_location>& where) {
    std::cerr << "ender: " << paint(STDERR_FILENO, c, level) << " " << message << "\n";
    if (!detail.empty()) std::cerr << "DETAIL:  " << detail << "\n";
    if (where) {
        std::cerr << "CONTEXT:  " << where->operation << " of revision \"" << where->revision
                  << "\""
                  << (where->revision_message.empty()
                          ? ""
                          : " (" + one_line(where->revision_message) + ")");
        if (where->statement > 0) {
            std::cerr << ", statement " << where->statement << " of " << where->statements;
            if (!where->file.empty())
                std::cerr << ", line " << where->line << " of \"" << where->file << "\"";
            else if (where->line > 0)
                std::cerr << ", line " << where->line << " of its " << where->operation << " SQL";
        } else if (!where->file.empty()) {
            std::cerr << ", in \"" << where->file << "\"";
        }
        std::cerr << (where->sql.empty() ? "" : ":") << "\n";
        std::istringstream lines(where->sql);
        for (std::string line; std::getline(lines, line);) std::cerr << "    " << line << "\n";
    }
    if (!hint.empty()) std::cerr << "HINT:  " << hint << "\n";
}

}  // namespace

void print_error(const std::string& message, const std::string& detail, const std::string& hint,
                 const std::optional<error_location>& where) {
    print_message(colour::red, "error:", message, detail, hint, where);
}

void print_warning(const std::string& message, const std::string& detail, const std::string& hint) {
    print_message(colour::yellow, "warning:", message, detail, hint, std::nullopt);
}

std::string error_summary(const std::string& message, const std::string& detail,
                          const std::optional<error_location>& where) {
    std::string out =
        one_line(trim(message)) + (detail.empty() ? "" : " (" + one_line(detail) + ")");
    if (where && !where->revision.empty()) {
        out += " [" + where->operation + " of revision \"" + where->revision + "\"";
        if (where->statement > 0) {
            out += ", statement " + std::to_string(where->statement) + " of " +
                   std::to_string(where->statements);
            if (!where->file.empty())
                out += ", line " + std::to_string(where->line) + " of \"" + where->file + "\"";
        }
        out += "]";
    }
    return out;
}

ordered_json error_json(const std::string& message, const std::string& detail,
                        const std::string& hint, const std::string& sqlstate, int code,
                        const std::optional<error_location>& where) {
    auto text = [](const std::string& s) { return s.empty() ? ordered_json() : ordered_json(s); };
    ordered_json e = {{"message", message},
                      {"detail", text(detail)},
                      {"hint", text(hint)},
                      {"sqlstate", text(sqlstate)},
                      {"exit_code", code}};
    if (where) {
        auto number = [](auto n) { return n > 0 ? ordered_json(n) : ordered_json(); };
        e["operation"] = where->operation;
        e["revision"] = where->revision;
        e["revision_message"] = text(where->revision_message);
        e["statement"] = number(where->statement);
        e["statements"] = where->statement > 0 ? ordered_json(where->statements) : ordered_json();
        e["file"] = text(where->file);
        e["line"] = number(where->line);
        e["sql"] = text(where->sql);
        e["history_id"] = number(where->history_id);
    }
    return {{"error", e}};
}

}  // namespace ender::cli
