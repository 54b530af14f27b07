// How a new revision is named (naming.hpp).
#include "naming.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <regex>

namespace ender::cli {

namespace {

// %(name) with an optional printf-style flag/width/precision, then s or d; %% is a %.
const std::regex token(R"(%(%|\((\w+)\)(0?)(\d*)(?:\.(\d+))?([sd])))");
const std::vector<std::string> token_names = {"rev", "slug", "epoch",  "year",  "month",
                                              "day", "hour", "minute", "second"};

std::string slug_of(const std::string& message) {
    std::string s;
    for (unsigned char c : message) {
        if (std::isalnum(c))
            s += static_cast<char>(std::tolower(c));
        else if (!s.empty() && s.back() != '_')
            s += '_';
        if (s.size() >= 40) break;
    }
    while (!s.empty() && s.back() == '_') s.pop_back();
    return s;
}

std::tm utc_now(std::time_t& epoch) {
    epoch = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm t{};
    gmtime_r(&epoch, &t);
    return t;
}

std::string padded(long value, std::size_t width) {
    std::string s = std::to_string(value);
    return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}

}  // namespace

void check_file_template(const std::string& file_template) {
    bool has_rev = false;
    for (std::sregex_iterator it(file_template.begin(), file_template.end(), token), end; it != end;
         ++it) {
        const auto& m = *it;
        if (m[1] == "%") continue;
        std::string name = m[2];
        if (std::find(token_names.begin(), token_names.end(), name) == token_names.end())
            fail("unknown token \"%(" + name + ")\" in file_template", {},
                 "Tokens: %(rev)s, %(slug)s, %(epoch)s, %(year)d, %(month).2d, %(day).2d, "
                 "%(hour).2d, %(minute).2d, %(second).2d.");
        has_rev = has_rev || name == "rev";
    }
    if (!has_rev)
        fail("file_template has no %(rev)s", {},
             "Each file name must hold its revision id, so that two files never share a name.");
    if (file_template.find('/') != std::string::npos)
        fail("file_template names a directory", {},
             "Migration files live directly in the migrations directory: no / in the template.");
}

std::string new_revision_id(const revision_naming& naming, const std::vector<std::string>& taken) {
    auto is_taken = [&](const std::string& id) {
        return std::find(taken.begin(), taken.end(), id) != taken.end();
    };
    if (naming.id_format == "sequence") {
        unsigned long long highest = 0;
        for (auto& id : taken)
            if (!id.empty() && id.size() < 19 &&
                std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
                highest = std::max(highest, std::stoull(id));
        return padded(static_cast<long>(highest + 1), 4);
    }
    if (naming.id_format == "timestamp") {
        std::time_t epoch = 0;
        std::tm t = utc_now(epoch);
        std::string id = padded(t.tm_year + 1900, 4) + padded(t.tm_mon + 1, 2) +
                         padded(t.tm_mday, 2) + padded(t.tm_hour, 2) + padded(t.tm_min, 2) +
                         padded(t.tm_sec, 2);
        // Two revisions written in the same second: _2, _3...
        std::string candidate = id;
        for (int n = 2; is_taken(candidate); ++n) candidate = id + "_" + std::to_string(n);
        return candidate;
    }
    std::random_device rd;
    std::uniform_int_distribution<int> nibble(0, 15);
    for (;;) {
        std::string id;
        for (int i = 0; i < 12; ++i) id += "0123456789abcdef"[nibble(rd)];
        if (!is_taken(id)) return id;
    }
}

std::string revision_file_name(const revision_naming& naming, const std::string& id,
                               const std::string& message) {
    std::time_t epoch = 0;
    std::tm t = utc_now(epoch);
    const std::string slug = slug_of(message);
    auto value = [&](const std::string& name) -> std::pair<std::string, long> {
        if (name == "rev") return {id, 0};
        if (name == "slug") return {slug, 0};
        if (name == "epoch") return {std::to_string(epoch), static_cast<long>(epoch)};
        long v = name == "year"     ? t.tm_year + 1900
                 : name == "month"  ? t.tm_mon + 1
                 : name == "day"    ? t.tm_mday
                 : name == "hour"   ? t.tm_hour
                 : name == "minute" ? t.tm_min
                                    : t.tm_sec;
        return {std::to_string(v), v};
    };
    std::string out;
    auto begin = naming.file_template.cbegin();
    const auto& tpl = naming.file_template;
    for (std::sregex_iterator it(tpl.begin(), tpl.end(), token), end; it != end; ++it) {
        const auto& m = *it;
        out.append(begin, tpl.cbegin() + m.position());
        begin = tpl.cbegin() + m.position() + m.length();
        if (m[1] == "%") {
            out += '%';
            continue;
        }
        auto [text, number] = value(m[2]);
        std::size_t width = m[5].matched                     ? std::stoul(m[5])
                            : m[3].length() && m[4].length() ? std::stoul(m[4])
                                                             : 0;
        out += m[6] == "d" ? padded(number, width) : text;
    }
    out.append(begin, tpl.cend());
    // The default template leaves no trailing _ when the message has no letters.
    while (!out.empty() && (out.back() == '_' || out.back() == '-')) out.pop_back();
    return out.size() >= 4 && out.compare(out.size() - 4, 4, ".sql") == 0 ? out : out + ".sql";
}

}  // namespace ender::cli
