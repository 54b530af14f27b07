// Internal: a piece of SQL with its bound parameters, numbered ($1, $2...) only when the whole
// statement is rendered, so fragments compose freely.
#pragma once

#include "ender/detail/param.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ender::detail {

class fragment {
public:
    fragment() = default;
    explicit fragment(std::string_view sql) { parts_.back() += sql; }

    fragment& sql(std::string_view s) {
        parts_.back() += s;
        return *this;
    }
    fragment& bind(param p) {
        params_.push_back(std::move(p));
        parts_.emplace_back();
        return *this;
    }
    fragment& append(const fragment& f) {
        parts_.back() += f.parts_[0];
        for (std::size_t i = 0; i < f.params_.size(); ++i) {
            params_.push_back(f.params_[i]);
            parts_.push_back(f.parts_[i + 1]);
        }
        return *this;
    }
    bool empty() const noexcept { return params_.empty() && parts_[0].empty(); }
    // The SQL text with placeholders numbered from $1.
    std::string text() const {
        std::string out = parts_[0];
        for (std::size_t i = 1; i < parts_.size(); ++i) {
            out.push_back('$');
            out.append(std::to_string(i));
            out.append(parts_[i]);
        }
        return out;
    }
    const std::vector<param>& params() const noexcept { return params_; }

private:
    std::vector<std::string> parts_{std::string()};
    std::vector<param> params_;
};

}  // namespace ender::detail
