// Relationship keys: each key column's binary value as int32 length + bytes, hashed and looked
// up (key_set, key_lookup), collected from objects and batched into the statements of a load.
#pragma once

#include "ender/model.hpp"
#include "ender/related.hpp"
#include "ender/session.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace ender::detail {

// ---- keys: each column's binary value as int32 length + bytes, so that keys taken from
// objects and keys read from binary results compare as bytes.

struct key_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
using key_map = std::unordered_map<std::string, std::uint32_t, key_hash, std::equal_to<>>;

// The key of a result row (the listed columns); false when one is NULL.
bool row_key(const result& r, std::size_t row, std::span<const std::size_t> columns,
             std::size_t first, std::string& out);
// Appends one column's value to a key; false for NULL.
bool append_key_part(const param& p, std::string& out, oid& type, const relation_label& label);
// The parameters for a batch of keys: one binary array per key column.
std::vector<param> key_arrays(std::span<const std::string> keys, std::span<const oid> types);
// "a = ANY($1::bigint[])", or "(a, b) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))".
std::string keys_condition(std::span<const std::string> columns,
                           std::span<const std::string> types);
// The column positions of T's primary key (which relationships reference).
std::vector<std::size_t> key_positions(const table_info& t, const relation_label& label);
// Throws unless both sides of a relationship have as many columns of the same types.
void check_key_types(const table_info& from, std::span<const std::size_t> from_columns,
                     const table_info& to, std::span<const std::size_t> to_columns,
                     const relation_label& label);
std::string qualified_column(const std::string& table, const std::string& column);

// The object's key (values of the listed columns); false when one is NULL.
template <class T>
bool object_key(const T& obj, std::span<const std::size_t> columns, std::string& out,
                std::vector<oid>& types, const relation_label& label) {
    types.resize(columns.size());
    bool present = true;
    for (std::size_t j = 0; j < columns.size() && present; ++j)
        model_of<T>().for_each([&](const auto& c, std::size_t i) {
            if (i == columns[j])
                present = append_key_part(make_param(c.access.get(obj)), out, types[j], label);
        });
    return present;
}

template <class T, class... F>
std::vector<std::size_t> member_positions(const std::tuple<F T::*...>& members) {
    std::vector<std::size_t> out;
    std::apply([&](auto... m) { (out.push_back(model_of<T>().column_index(m)), ...); }, members);
    return out;
}

template <class T>
std::vector<std::string> column_names(std::span<const std::size_t> positions,
                                      const std::string& qualifier) {
    std::vector<std::string> out;
    for (auto p : positions)
        out.push_back(qualified_column(qualifier, model_of<T>().info.columns[p].name));
    return out;
}
template <class T>
std::vector<std::string> column_types(std::span<const std::size_t> positions) {
    std::vector<std::string> out;
    for (auto p : positions) out.push_back(model_of<T>().info.columns[p].type);
    return out;
}

// The distinct keys of a set of objects, and which object has which.
struct key_set {
    std::vector<std::string> keys;  // distinct, in first-seen order
    std::vector<oid> types;
    key_map slots;  // key -> its index in keys
};

// Finds the key slot of result rows. Keys of one fixed-width column of at most 8 bytes (the
// integer keys nearly every table has) go through a flat open-addressing table of words;
// others through the key_set's map of byte strings.
class key_lookup {
public:
    static constexpr std::uint32_t none = UINT32_MAX;
    explicit key_lookup(const key_set& k);
    // The width of k's keys when they go through the table of words (one column of 1 to 8
    // bytes in every key), else 0: then the key_set's map finds them.
    static std::size_t word_width(const key_set& k);
    // The slot of the key in `columns` (from `first`) of row `row`, or none.
    std::uint32_t find(const result& r, std::size_t row, std::span<const std::size_t> columns,
                       std::size_t first) {
        if (width_ == 0) {
            buf_.clear();
            if (!row_key(r, row, columns, first, buf_)) return none;
            auto it = k_.slots.find(std::string_view(buf_));
            return it == k_.slots.end() ? none : it->second;
        }
        auto c = first + columns[0];
        if (r.is_null(row, c)) return none;
        auto f = r.field(row, c);
        if (f.size() != width_) return none;
        std::uint64_t w = 0;
        std::memcpy(&w, f.data(), width_);
        for (auto i = spread(w);; i = (i + 1) & mask_) {
            if (slots_[i] == none) return none;
            if (words_[i] == w) return slots_[i];
        }
    }

private:
    // MurmurHash3's finalizer: every bit of the word moves every bit of the slot (the words
    // hold big-endian values, so a small integer's bits are all at the top).
    std::size_t spread(std::uint64_t w) const noexcept {
        w ^= w >> 33;
        w *= 0xff51afd7ed558ccdull;
        w ^= w >> 33;
        w *= 0xc4ceb9fe1a85ec53ull;
        w ^= w >> 33;
        return static_cast<std::size_t>(w) & mask_;
    }
    const key_set& k_;
    std::size_t width_ = 0;  // 0: the map of byte strings
    std::size_t mask_ = 0;
    std::vector<std::uint64_t> words_;
    std::vector<std::uint32_t> slots_;
    std::string buf_;
};

// Collects the distinct keys of `objects` (the listed columns) into k; returns each object's
// key slot, UINT32_MAX for a NULL key.
template <class T>
std::vector<std::uint32_t> collect_keys(const std::vector<T*>& objects,
                                        std::span<const std::size_t> columns, key_set& k,
                                        const relation_label& label) {
    std::vector<std::uint32_t> slot_of(objects.size(), UINT32_MAX);
    std::string buf;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        buf.clear();
        if (!object_key(*objects[i], columns, buf, k.types, label)) continue;
        auto [it, fresh] = k.slots.try_emplace(buf, std::uint32_t(k.keys.size()));
        if (fresh) k.keys.push_back(buf);
        slot_of[i] = it->second;
    }
    // Integer keys are found through key_lookup's table of words: the map's memory (a node per
    // key) is given back before the load's statements and results take theirs.
    if (key_lookup::word_width(k) != 0) key_map().swap(k.slots);
    return slot_of;
}

// For collections: the first owner of each key slot, and (owner, first owner) pairs for the
// owners that share a key with an earlier one (they get a copy of its children).
struct slot_owners {
    std::vector<std::uint32_t> first;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> copies;
    slot_owners(const std::vector<std::uint32_t>& slot_of, std::size_t slots)
        : first(slots, UINT32_MAX) {
        for (std::uint32_t i = 0; i < slot_of.size(); ++i) {
            if (slot_of[i] == UINT32_MAX) continue;
            auto& f = first[slot_of[i]];
            if (f == UINT32_MAX)
                f = i;
            else
                copies.emplace_back(i, f);
        }
    }
};

// A collection's load across its results (attached one by one as they arrive): the owners, the
// first owner of each key, the lookup of the rows' keys.
template <class O>
struct collection_load {
    std::vector<O*> todo;
    std::shared_ptr<const key_set> keys;
    slot_owners slots;
    key_lookup lookup;
    collection_load(std::vector<O*> owners, const std::vector<std::uint32_t>& slot_of,
                    std::shared_ptr<const key_set> k)
        : todo(std::move(owners)),
          keys(std::move(k)),
          slots(slot_of, keys->keys.size()),
          lookup(*keys) {}
    // The owner of a result row's key (`columns` from `first`), or none.
    O* owner_of(const result& r, std::size_t row, std::span<const std::size_t> columns,
                std::size_t first = 0) {
        auto slot = lookup.find(r, row, columns, first);
        return slot == key_lookup::none ? nullptr : todo[slots.first[slot]];
    }
    // After the last result: the owners that share a key get a copy of the first one's items.
    template <class M>
    void copy_shared(M O::*member) const {
        for (auto [to, from] : slots.copies) {
            auto& dst = (*todo[to]).*member;
            auto& src = (*todo[from]).*member;
            relation_access::items(dst) = relation_access::items(src);
            if constexpr (!std::is_void_v<typename M::link_type>)
                relation_access::links(dst) = relation_access::links(src);
        }
    }
};

// The statements of a selectin load: `sql` (with the key condition's $1..$n) once per batch of
// keys.
std::vector<pipelined> key_batches(const std::string& sql, const key_set& k, std::size_t batch);

}  // namespace ender::detail
