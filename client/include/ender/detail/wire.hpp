// Internal: PostgreSQL's binary wire format (network byte order) for the built-in types.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ender::detail {

template <class I>
void put_int(std::string& out, I value) {
    using U = std::make_unsigned_t<I>;
    auto u = static_cast<U>(value);
    for (int shift = int(sizeof(U) * 8) - 8; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((u >> shift) & 0xff));
}

template <class I>
I get_int(const char* p) {
    using U = std::make_unsigned_t<I>;
    U u = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i)
        u = static_cast<U>((u << 8) | static_cast<unsigned char>(p[i]));
    return static_cast<I>(u);
}

// Reads consecutive values from a binary field, refusing to run past its end.
class wire_reader {
public:
    explicit wire_reader(std::string_view bytes) : p_(bytes.data()), end_(p_ + bytes.size()) {}
    template <class I>
    I take() {
        need(sizeof(I));
        I v = get_int<I>(p_);
        p_ += sizeof(I);
        return v;
    }
    std::string_view take_bytes(std::size_t n) {
        need(n);
        std::string_view s(p_, n);
        p_ += n;
        return s;
    }
    bool done() const noexcept { return p_ == end_; }

private:
    void need(std::size_t n) const;
    const char* p_;
    const char* end_;
};

// Throws ender::data_error: a binary field of the wrong size or shape.
[[noreturn]] void malformed_field(std::string_view what);

}  // namespace ender::detail
