// Targets: parsing them, and the revisions an upgrade, downgrade or stamp to one applies, undoes
// or marks applied.
#include "targets.hpp"

#include "error.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace ender::engine {
namespace {

constexpr const char* target_hint =
    "A target is heads, head, base, a revision id or unique prefix, a branch label, "
    "label@head, +N, -N, id+N or id-N.";

struct parsed_target {
    enum class kind { heads, head, base, ref, ref_head, ref_heads, relative, ref_relative } what;
    std::string ref;
    long steps = 0;  // signed: +N up, -N down
};

[[noreturn]] void invalid_target(std::string_view text, std::string detail = {}) {
    throw error(sqlstate::invalid_parameter_value, "invalid target \"" + std::string(text) + "\"",
                std::move(detail), target_hint);
}

bool is_ref_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

long parse_steps(std::string_view whole, std::string_view digits, char sign) {
    long n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc{} || end != digits.data() + digits.size() || n < 1 || n > 1000000)
        invalid_target(whole, "The number of steps must be between 1 and 1000000.");
    return sign == '-' ? -n : n;
}

parsed_target parse_target(std::string_view text) {
    if (text == "heads") return {parsed_target::kind::heads, {}};
    if (text == "head") return {parsed_target::kind::head, {}};
    if (text == "base") return {parsed_target::kind::base, {}};
    if (text.empty()) invalid_target(text);
    if (text[0] == '+' || text[0] == '-')
        return {parsed_target::kind::relative, {}, parse_steps(text, text.substr(1), text[0])};

    std::size_t ref_end = 0;
    while (ref_end < text.size() && is_ref_char(text[ref_end])) ++ref_end;
    if (ref_end == 0) invalid_target(text);
    std::string ref(text.substr(0, ref_end));
    std::string_view rest = text.substr(ref_end);
    if (rest.empty()) return {parsed_target::kind::ref, ref};
    if (rest == "@head") return {parsed_target::kind::ref_head, ref};
    if (rest == "@heads") return {parsed_target::kind::ref_heads, ref};
    if (rest[0] == '+' || rest[0] == '-')
        return {parsed_target::kind::ref_relative, ref, parse_steps(text, rest.substr(1), rest[0])};
    invalid_target(text);
}

std::string id_list(const revision_graph& g, const std::vector<std::size_t>& ids) {
    std::string out;
    for (std::size_t i : ids) out += (out.empty() ? "" : ", ") + g.id(i);
    return out;
}

// Heads reachable from `from` through child edges only (the branch above it).
std::vector<std::size_t> branch_heads(const revision_graph& g, std::size_t from) {
    node_set seen = g.empty_set();
    std::vector<std::size_t> stack{from}, out;
    seen[from] = true;
    while (!stack.empty()) {
        std::size_t v = stack.back();
        stack.pop_back();
        if (g.children(v).empty()) out.push_back(v);
        for (std::size_t c : g.children(v))
            if (!seen[c]) {
                seen[c] = true;
                stack.push_back(c);
            }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Walks `steps` along single child (up) or parent (down) edges. nullopt means base.
std::optional<std::size_t> walk(const revision_graph& g, std::optional<std::size_t> start,
                                long steps, std::string_view text) {
    std::optional<std::size_t> at = start;
    long remaining = steps < 0 ? -steps : steps;
    for (; remaining > 0; --remaining) {
        if (steps > 0) {
            std::vector<std::size_t> next;
            if (at) {
                next = g.children(*at);
            } else {
                for (std::size_t i = 0; i < g.size(); ++i)
                    if (g.parents(i).empty()) next.push_back(i);
            }
            std::string from = at ? "revision \"" + g.id(*at) + "\"" : std::string("base");
            if (next.empty())
                throw error(sqlstate::invalid_parameter_value,
                            "target \"" + std::string(text) + "\" is beyond the heads",
                            "There is nothing above " + from + ".");
            if (next.size() > 1)
                throw error(sqlstate::invalid_parameter_value,
                            "target \"" + std::string(text) + "\" is ambiguous",
                            "The graph branches above " + from + " into " + id_list(g, next) + ".",
                            "Name the branch: a revision id, or label@head.");
            at = next.front();
        } else {
            if (!at)
                throw error(sqlstate::invalid_parameter_value,
                            "target \"" + std::string(text) + "\" is below base");
            const auto& up = g.parents(*at);
            if (up.empty()) {
                at.reset();
                continue;
            }
            if (up.size() > 1)
                throw error(sqlstate::invalid_parameter_value,
                            "target \"" + std::string(text) + "\" is ambiguous",
                            "Revision \"" + g.id(*at) + "\" is a merge of " + id_list(g, up) + ".",
                            "Name the revision to go down to.");
            at = up.front();
        }
    }
    return at;
}

// The single current head, or nullopt at base; several current heads make `text` ambiguous.
std::optional<std::size_t> single_current(const revision_graph& g, const position& p,
                                          std::string_view text) {
    auto heads = current_heads(g, p);
    if (heads.size() > 1)
        throw error(sqlstate::invalid_parameter_value,
                    "target \"" + std::string(text) + "\" is ambiguous",
                    "The database has several current heads: " + id_list(g, heads) + ".",
                    "Give the starting revision: id" + std::string(text) + ".");
    if (heads.empty()) return std::nullopt;
    return heads.front();
}

std::vector<std::size_t> last_applied(const position& p, long count, std::string_view text) {
    if (static_cast<std::size_t>(count) > p.applied_order.size())
        throw error(
            sqlstate::invalid_parameter_value,
            "cannot undo " + std::to_string(count) + (count == 1 ? " revision" : " revisions"),
            "Target \"" + std::string(text) + "\" asks for " + std::to_string(count) +
                " but only " + std::to_string(p.applied_order.size()) + " are applied.");
    return {p.applied_order.end() - count, p.applied_order.end()};
}

// Absolute revisions named by a target; "-N" is not absolute and is handled by the callers.
std::vector<std::size_t> absolute(const revision_graph& g, const position& p,
                                  const parsed_target& t, std::string_view text) {
    using kind = parsed_target::kind;
    switch (t.what) {
        case kind::heads:
            return g.heads();
        case kind::head: {
            auto heads = g.heads();
            if (heads.size() > 1)
                throw error(sqlstate::invalid_parameter_value,
                            "target \"head\" is ambiguous: there are " +
                                std::to_string(heads.size()) + " heads",
                            "The heads are " + id_list(g, heads) + ".",
                            "Use \"heads\" for all of them, label@head or an id for one, or merge "
                            "them with a revision that lists them all as parents.");
            return heads;
        }
        case kind::base:
            return {};
        case kind::ref:
            return {g.resolve(t.ref)};
        case kind::ref_head:
        case kind::ref_heads: {
            auto heads = branch_heads(g, g.resolve(t.ref));
            if (t.what == kind::ref_head && heads.size() > 1)
                throw error(sqlstate::invalid_parameter_value,
                            "target \"" + std::string(text) + "\" is ambiguous",
                            "The branch has several heads: " + id_list(g, heads) + ".",
                            "Use " + t.ref + "@heads for all of them, or name one.");
            return heads;
        }
        case kind::relative:
        case kind::ref_relative: {
            std::optional<std::size_t> start =
                t.what == kind::relative ? single_current(g, p, text) : g.resolve(t.ref);
            auto end = walk(g, start, t.steps, text);
            if (end) return {*end};
            return {};
        }
    }
    return {};
}

bool is_relative_down(const parsed_target& t) {
    return t.what == parsed_target::kind::relative && t.steps < 0;
}

}  // namespace

std::vector<std::size_t> current_heads(const revision_graph& g, const position& p) {
    return g.heads_of(p.applied);
}

std::vector<std::size_t> resolve_target(const revision_graph& g, const position& p,
                                        std::string_view text) {
    parsed_target t = parse_target(text);
    if (!is_relative_down(t)) return absolute(g, p, t, text);
    node_set after = p.applied;
    for (std::size_t i : last_applied(p, -t.steps, text)) after[i] = false;
    return g.heads_of(after);
}

std::vector<std::size_t> revisions_to_apply(const revision_graph& g, const position& p,
                                            std::string_view text) {
    parsed_target t = parse_target(text);
    if (is_relative_down(t))
        throw error(sqlstate::invalid_parameter_value,
                    "target \"" + std::string(text) + "\" moves down", {},
                    "Use ender_downgrade('" + std::string(text) + "') to undo revisions.");
    node_set wanted = g.ancestors(absolute(g, p, t, text));
    for (std::size_t i = 0; i < g.size(); ++i)
        if (p.applied[i]) wanted[i] = false;
    return g.topological(wanted);
}

std::vector<std::size_t> revisions_to_undo(const revision_graph& g, const position& p,
                                           std::string_view text) {
    parsed_target t = parse_target(text);
    node_set remove = g.empty_set();
    if (is_relative_down(t)) {
        // "-N" undoes the last N applied, newest first. The applied order has every revision
        // after what it needs, so its reverse undoes dependents before what they need.
        auto last = last_applied(p, -t.steps, text);
        return {last.rbegin(), last.rend()};
    } else {
        auto keep = absolute(g, p, t, text);
        for (std::size_t i : keep)
            if (!p.applied[i])
                throw error(
                    sqlstate::object_not_in_prerequisite_state,
                    "revision \"" + g.id(i) + "\" is not applied",
                    "Downgrade target \"" + std::string(text) + "\" is ahead of the database.",
                    "Use ender_upgrade to move forward.");
        if (keep.empty()) {
            remove = p.applied;
        } else {
            node_set above = g.descendants(keep);
            node_set below = g.ancestors(keep);
            for (std::size_t i = 0; i < g.size(); ++i)
                remove[i] = p.applied[i] && above[i] && !below[i];
        }
    }
    auto order = g.topological(remove);
    std::reverse(order.begin(), order.end());
    return order;
}

node_set applied_after_stamp(const revision_graph& g, const position& p, std::string_view text) {
    parsed_target t = parse_target(text);
    if (t.what == parsed_target::kind::relative) {
        node_set after = p.applied;
        if (t.steps < 0) {
            for (std::size_t i : revisions_to_undo(g, p, text)) after[i] = false;
        } else {
            for (std::size_t i : revisions_to_apply(g, p, text)) after[i] = true;
        }
        return after;
    }
    return g.ancestors(absolute(g, p, t, text));
}

}  // namespace ender::engine
