// Migration files: parsing, rendering and canonical content of a revision.
#include "revision.hpp"

#include "error.hpp"
#include "online.hpp"
#include "online_custom.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace ender::engine {
namespace {

constexpr std::string_view directive_prefix = "-- ender:";
constexpr std::string_view reserved_words[] = {"head", "heads", "base"};

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::string_view trim(std::string_view s) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Joins section lines, dropping leading and trailing blank lines and the carriage returns
// that end a line (all of them: a lone CR left at the end of a line would not survive
// render_migration, which ends lines with LF).
std::string section_text(const std::vector<std::string_view>& lines) {
    std::size_t first = 0, last = lines.size();
    while (first < last && is_blank(lines[first])) ++first;
    while (last > first && is_blank(lines[last - 1])) --last;
    std::string out;
    for (std::size_t i = first; i < last; ++i) {
        if (i > first) out += '\n';
        std::string_view line = lines[i];
        while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out += line;
    }
    return out;
}

[[noreturn]] void syntax(std::size_t line, std::string message, std::string hint = {}) {
    throw error(sqlstate::syntax_error, std::move(message),
                "The problem is at line " + std::to_string(line) + " of the migration file.",
                std::move(hint));
}

void append_field(std::string& out, std::string_view key, const std::optional<std::string>& value) {
    out += key;
    if (!value) {
        out += "=-\n";
        return;
    }
    out += '=';
    out += std::to_string(value->size());
    out += ':';
    out += *value;
    out += '\n';
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::string join(const std::vector<std::string>& names, std::string_view sep) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += sep;
        out += n;
    }
    return out;
}

}  // namespace

void validate_name(std::string_view name, std::string_view what) {
    std::string shown(name);
    if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), is_name_char))
        throw error(sqlstate::invalid_parameter_value,
                    "invalid " + std::string(what) + " \"" + shown + "\"",
                    "A " + std::string(what) +
                        " is 1 to 64 characters long and uses only ASCII letters, digits and "
                        "underscores.");
    for (auto word : reserved_words)
        if (name == word)
            throw error(sqlstate::invalid_parameter_value,
                        "invalid " + std::string(what) + " \"" + shown + "\"",
                        "\"" + shown + "\" is a reserved target name.");
}

void validate(const revision& r) {
    validate_name(r.id, "revision id");
    if (r.branch_label) validate_name(*r.branch_label, "branch label");
    auto check_list = [&](const std::vector<std::string>& names, std::string_view what) {
        std::set<std::string_view> seen;
        for (const auto& n : names) {
            validate_name(n, "revision id");
            if (n == r.id)
                throw error(sqlstate::invalid_object_definition,
                            "revision \"" + r.id + "\" lists itself in its " + std::string(what));
            if (!seen.insert(n).second)
                throw error(sqlstate::invalid_object_definition,
                            "revision \"" + r.id + "\" lists \"" + n + "\" twice in its " +
                                std::string(what));
        }
    };
    check_list(r.parents, "parents");
    check_list(r.depends_on, "dependencies");
    for (const auto& d : r.depends_on)
        if (std::find(r.parents.begin(), r.parents.end(), d) != r.parents.end())
            throw error(sqlstate::invalid_object_definition,
                        "revision \"" + r.id + "\" lists \"" + d +
                            "\" both as a parent and as a dependency");
}

std::vector<std::string> split_names(std::string_view list) {
    std::vector<std::string> out;
    std::string current;
    for (char c : list) {
        if (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

revision parse_migration(std::string_view text) {
    revision r;
    bool have_id = false, have_parents = false, have_upgrade = false;
    std::set<std::string> seen_directives;
    enum class section { header, upgrade, downgrade, phase } current = section::header;
    std::vector<std::string_view> upgrade_lines, downgrade_lines;
    // Hand-written phases (online_custom.hpp), by section name, and the line of the first.
    std::map<std::string, std::vector<std::string_view>> phase_lines;
    std::string phase;
    std::size_t online_line = 0, first_phase_line = 0;

    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;

        if (line.substr(0, directive_prefix.size()) == directive_prefix) {
            std::string_view rest = trim(line.substr(directive_prefix.size()));
            std::size_t space = rest.find_first_of(" \t");
            std::string key(rest.substr(0, space));
            std::string_view value =
                space == std::string_view::npos ? std::string_view{} : trim(rest.substr(space));

            const bool is_phase = key == "expand" || key == "backfill" || key == "backfill_count" ||
                                  key == "contract" || key == "rollback";
            if (key == "upgrade" || key == "downgrade" || is_phase) {
                if (!value.empty())
                    syntax(line_no, "unexpected text after \"-- ender:" + key + "\"",
                           "A section marker stands alone on its line; the SQL follows on the "
                           "next lines.");
                if (!seen_directives.insert(key).second)
                    syntax(line_no, "duplicate section \"-- ender:" + key + "\"");
                if (is_phase) {
                    if (!first_phase_line) first_phase_line = line_no;
                    current = section::phase;
                    phase = key;
                    phase_lines[key];
                } else if (key == "upgrade") {
                    current = section::upgrade;
                    have_upgrade = true;
                } else {
                    current = section::downgrade;
                    r.downgrade = std::string{};
                }
                continue;
            }
            if (current != section::header)
                syntax(line_no, "directive \"-- ender:" + key + "\" after the first section",
                       "Header directives (revision, parents, branch, depends_on, message) come "
                       "before \"-- ender:upgrade\".");
            if (key != "message" && !seen_directives.insert(key).second)
                syntax(line_no, "duplicate directive \"-- ender:" + key + "\"");

            if (key == "revision") {
                auto names = split_names(value);
                if (names.size() != 1)
                    syntax(line_no, "\"-- ender:revision\" needs exactly one revision id");
                r.id = names.front();
                have_id = true;
            } else if (key == "parents") {
                r.parents = split_names(value);
                have_parents = true;
            } else if (key == "depends_on") {
                r.depends_on = split_names(value);
            } else if (key == "branch") {
                auto names = split_names(value);
                if (names.size() != 1)
                    syntax(line_no, "\"-- ender:branch\" needs exactly one branch label");
                r.branch_label = names.front();
            } else if (key == "online") {
                try {
                    parse_online_operation(value);
                } catch (const error& e) {
                    throw error(e.sqlstate(), e.what(),
                                "The problem is at line " + std::to_string(line_no) +
                                    " of the migration file." +
                                    (e.detail().empty() ? "" : " " + e.detail()),
                                e.hint());
                }
                r.online = std::string(value);
                online_line = line_no;
            } else if (key == "lock_wait_limit") {
                std::size_t digits = 0;
                while (digits < value.size() &&
                       std::isdigit(static_cast<unsigned char>(value[digits])))
                    ++digits;
                std::string_view unit = trim(value.substr(digits));
                if (digits == 0 || !(unit.empty() || unit == "ms" || unit == "s" || unit == "min" ||
                                     unit == "h" || unit == "d"))
                    syntax(line_no,
                           "invalid \"-- ender:lock_wait_limit\": \"" + std::string(value) + "\"",
                           "Write a whole number and a unit: ms, s, min, h or d (30min), as for "
                           "SET ender.lock_wait_limit.");
                r.lock_wait_limit = std::string(value);
            } else if (key == "step") {
                auto names = split_names(value);
                if (names.size() != 1)
                    syntax(line_no, "\"-- ender:step\" needs exactly one step name",
                           "Name the C++ data step the application registers, as in "
                           "\"-- ender:step backfill_emails\".");
                validate_name(names.front(), "step name");
                r.step = names.front();
            } else if (key == "message") {
                if (r.message)
                    *r.message += "\n" + std::string(value);
                else
                    r.message = std::string(value);
            } else {
                syntax(line_no, "unknown directive \"-- ender:" + key + "\"",
                       "Known directives: revision, parents, branch, depends_on, message, "
                       "online, lock_wait_limit, step, upgrade, downgrade, expand, backfill, "
                       "backfill_count, contract, rollback.");
            }
            continue;
        }

        switch (current) {
            case section::header:
                if (!is_blank(line) && trim(line).substr(0, 2) != "--")
                    syntax(line_no, "unexpected text before \"-- ender:upgrade\"",
                           "Only comments and \"-- ender:\" directives may precede the upgrade "
                           "section.");
                break;
            case section::upgrade:
                upgrade_lines.push_back(line);
                break;
            case section::downgrade:
                downgrade_lines.push_back(line);
                break;
            case section::phase:
                phase_lines[phase].push_back(line);
                break;
        }
    }

    if (!have_id)
        throw error(sqlstate::syntax_error, "migration file has no \"-- ender:revision\" line", {},
                    "Start the file with \"-- ender:revision <id>\".");
    if (r.step && (online_line || !phase_lines.empty()))
        syntax(online_line ? online_line : first_phase_line,
               "a revision with a C++ data step cannot be online",
               "A step runs inside the revision's transaction; an online revision runs in phases "
               "of their own. Write the step in a plain revision before or after it.");
    if (!phase_lines.empty()) {
        if (online_line)
            syntax(online_line,
                   "a migration file cannot have both \"-- ender:online\" and hand-written phases",
                   "Write the change either as one online operation or as expand, backfill and "
                   "contract sections.");
        custom_phases phases;
        auto text_of = [&](const char* name) -> std::optional<std::string> {
            auto found = phase_lines.find(name);
            if (found == phase_lines.end()) return std::nullopt;
            return section_text(found->second);
        };
        phases.expand = text_of("expand");
        phases.backfill = text_of("backfill");
        phases.contract = text_of("contract");
        phases.rollback = text_of("rollback");
        phases.backfill_count = text_of("backfill_count");
        auto blank = [](const std::optional<std::string>& sql) { return !sql || sql->empty(); };
        if (blank(phases.expand) && blank(phases.backfill))
            syntax(first_phase_line, "hand-written phases need an expand or a backfill section",
                   "Without them there is nothing to run online: write the change in the "
                   "upgrade section.");
        if (phases.backfill_count && blank(phases.backfill))
            syntax(first_phase_line, "a backfill_count section needs a backfill section",
                   "It counts the rows the backfill has still to process.");
        if (!blank(phases.expand) && !phases.rollback)
            syntax(
                first_phase_line,
                "hand-written phases with an expand section need a \"-- ender:rollback\" section",
                "ender_rollback runs it to undo what expand did; it may be empty when "
                "expand leaves nothing to undo.");
        r.online = render_custom(phases);
        have_upgrade = true;  // optional: it runs at ender_complete, after contract
    }
    if (!have_upgrade)
        throw error(sqlstate::syntax_error,
                    "migration file \"" + r.id + "\" has no \"-- ender:upgrade\" section", {},
                    "Put the SQL that applies the revision after a \"-- ender:upgrade\" line.");
    (void)have_parents;  // absent parents: a root revision
    r.upgrade = section_text(upgrade_lines);
    if (r.downgrade) r.downgrade = section_text(downgrade_lines);
    if (r.message && trim(*r.message).empty()) r.message.reset();
    validate(r);
    return r;
}

std::string render_migration(const revision& r) {
    std::string out = "-- ender:revision " + r.id + "\n";
    out += "-- ender:parents " + join(r.parents, ", ") + "\n";
    if (!r.depends_on.empty()) out += "-- ender:depends_on " + join(r.depends_on, ", ") + "\n";
    if (r.branch_label) out += "-- ender:branch " + *r.branch_label + "\n";
    if (r.online && !is_custom(*r.online)) out += "-- ender:online " + *r.online + "\n";
    if (r.lock_wait_limit) out += "-- ender:lock_wait_limit " + *r.lock_wait_limit + "\n";
    if (r.step) out += "-- ender:step " + *r.step + "\n";
    if (r.message) {
        std::size_t pos = 0;
        while (true) {
            std::size_t end = r.message->find('\n', pos);
            out += "-- ender:message " + r.message->substr(pos, end - pos) + "\n";
            if (end == std::string::npos) break;
            pos = end + 1;
        }
    }
    if (r.online && is_custom(*r.online)) {
        const custom_phases phases = parse_custom(*r.online);
        for (const auto& [name, sql] :
             {std::pair{"expand", &phases.expand}, std::pair{"backfill", &phases.backfill},
              std::pair{"backfill_count", &phases.backfill_count},
              std::pair{"contract", &phases.contract}, std::pair{"rollback", &phases.rollback}})
            if (*sql)
                out += std::string("\n-- ender:") + name + "\n" + **sql +
                       ((*sql)->empty() ? "" : "\n");
    }
    out += "\n-- ender:upgrade\n";
    if (!r.upgrade.empty()) out += r.upgrade + "\n";
    if (r.downgrade) {
        out += "\n-- ender:downgrade\n";
        if (!r.downgrade->empty()) out += *r.downgrade + "\n";
    }
    return out;
}

std::string canonical_content(const revision& r) {
    std::string out = "ender-revision-1\n";
    append_field(out, "id", r.id);
    append_field(out, "parents", join(sorted(r.parents), " "));
    append_field(out, "depends_on", join(sorted(r.depends_on), " "));
    append_field(out, "branch", r.branch_label);
    append_field(out, "message", r.message);
    append_field(out, "upgrade", r.upgrade);
    append_field(out, "downgrade", r.downgrade);
    if (r.online) append_field(out, "online", r.online);  // absent: checksums stay as they were
    if (r.step) append_field(out, "step", r.step);        // the same
    return out;
}

}  // namespace ender::engine
