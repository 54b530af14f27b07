// Hand-written zero-downtime phases in a revision's online field (see online_custom.hpp).
#include "online_custom.hpp"

#include <array>
#include <utility>

namespace ender::engine {
namespace {

constexpr std::string_view custom = "custom";

std::array<std::pair<const char*, std::optional<std::string> custom_phases::*>, 5> sections() {
    return {{{"expand", &custom_phases::expand},
             {"backfill", &custom_phases::backfill},
             {"backfill_count", &custom_phases::backfill_count},
             {"contract", &custom_phases::contract},
             {"rollback", &custom_phases::rollback}}};
}

}  // namespace

bool is_custom(std::string_view online) {
    return online.substr(0, custom.size()) == custom &&
           (online.size() == custom.size() || online[custom.size()] == '\n');
}

std::string render_custom(const custom_phases& phases) {
    std::string out(custom);
    for (const auto& [name, field] : sections())
        if (const auto& sql = phases.*field) out += "\n-- ender:" + std::string(name) + "\n" + *sql;
    return out;
}

custom_phases parse_custom(std::string_view online) {
    custom_phases phases;
    std::optional<std::string>* current = nullptr;
    std::size_t pos = custom.size() + 1;
    while (pos <= online.size() && online.size() > custom.size()) {
        std::size_t end = online.find('\n', pos);
        if (end == std::string_view::npos) end = online.size();
        std::string_view line = online.substr(pos, end - pos);
        pos = end + 1;
        bool marker = false;
        for (const auto& [name, field] : sections())
            if (line == "-- ender:" + std::string(name)) {
                current = &(phases.*field);
                *current = std::string{};
                marker = true;
            }
        if (marker || !current) continue;
        if (!(*current)->empty()) **current += "\n";
        **current += line;
    }
    return phases;
}

}  // namespace ender::engine
