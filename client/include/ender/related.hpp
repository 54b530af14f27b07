// The related containers: ender::ref<T> (a shared parent or single child) and ender::many<T, Link>
// (a loaded collection), and what loaders may do to them (detail::relation_access).
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ender {

// What deleting an owner does to the children of a has_many or has_one (SQLAlchemy's cascade):
// nothing (the foreign key's ON DELETE decides), delete them with it, or also delete a child
// removed from a loaded collection when the owner is saved (delete-orphan).
enum class cascade { none, delete_children, delete_orphans };

namespace detail {
// The name of a relationship ("team.heroes"), made when first asked for: the related model's
// mapping may not be built yet when this one is.
struct relation_label {
    std::function<std::string()> make;
    std::string name() const { return make ? make() : std::string("(unnamed)"); }
};
[[noreturn]] void relation_not_loaded(const relation_label* label, std::string_view kind);
[[noreturn]] void relation_empty(const relation_label* label);
struct relation_access;
struct key_set;
template <class Link>
struct link_store {
    std::vector<Link> items;
};
template <>
struct link_store<void> {};

// What many and shared_many share: whether the collection is loaded, its link rows, its name.
template <class Link, bool Shared>
class collection_base {
public:
    bool loaded() const noexcept { return loaded_; }
    // The link row of item i, and all of them (many<T, Link>, shared_many<T, Link>).
    template <class L = Link>
    requires(!std::is_void_v<L>) const L& link(std::size_t i) const {
        check();
        return links_.items.at(i);
    }
    template <class L = Link>
    requires(!std::is_void_v<L>) const std::vector<L>& links() const {
        check();
        return links_.items;
    }

protected:
    collection_base() = default;
    explicit collection_base(bool loaded) : loaded_(loaded) {}
    void check() const {
        if (!loaded_) relation_not_loaded(label_, Shared ? "ender::shared_many" : "ender::many");
    }
    // Back to not loaded, without links.
    void unload() noexcept {
        if constexpr (!std::is_void_v<Link>) links_.items.clear();
        loaded_ = false;
    }
    friend struct relation_access;
    [[no_unique_address]] link_store<Link> links_;
    bool loaded_ = false;
    const relation_label* label_ = nullptr;
};
}  // namespace detail

// The parent (many-to-one) or the single child (one-to-one) of an object: shared between all
// the objects that reference it, so a team loaded for 10,000 heroes exists once.
template <class T>
class ref {
public:
    using element_type = T;
    ref() = default;
    // A reference set by hand (loaded): to an object, or to none.
    ref(std::shared_ptr<T> object) : p_(std::move(object)), loaded_(true) {}

    // Whether the relationship was loaded (an empty one is loaded too).
    bool loaded() const noexcept { return loaded_; }
    // Whether there is an object (false for a NULL foreign key); throws when not loaded.
    bool has_value() const {
        check();
        return p_ != nullptr;
    }
    explicit operator bool() const { return has_value(); }
    // The object; throws when not loaded, or when there is none.
    T* get() const {
        check();
        if (!p_) detail::relation_empty(label_);
        return p_.get();
    }
    T& operator*() const { return *get(); }
    T* operator->() const { return get(); }
    const std::shared_ptr<T>& shared() const {
        check();
        return p_;
    }
    // Back to not loaded.
    void reset() noexcept {
        p_.reset();
        loaded_ = false;
    }

private:
    friend struct detail::relation_access;
    void check() const {
        if (!loaded_) detail::relation_not_loaded(label_, "ender::ref");
    }
    std::shared_ptr<T> p_;
    bool loaded_ = false;
    const detail::relation_label* label_ = nullptr;
};

// The children of an object (one-to-many, many-to-many). With a Link model, link(i) is the
// link row of item i (its own columns: a hero's power level).
template <class T, class Link = void>
class many : public detail::collection_base<Link, false> {
    using base = detail::collection_base<Link, false>;
    using base::check;

public:
    using value_type = T;
    using link_type = Link;
    using iterator = typename std::vector<T>::iterator;
    using const_iterator = typename std::vector<T>::const_iterator;

    many() = default;
    // A collection set by hand (loaded), e.g. new children to insert with their parent.
    many(std::vector<T> items) : base(true), items_(std::move(items)) {}
    many(std::initializer_list<T> items) : base(true), items_(items) {}

    // Everything below throws when the relationship was not loaded.
    std::size_t size() const { return items().size(); }
    bool empty() const { return items().empty(); }
    iterator begin() { return items().begin(); }
    iterator end() { return items().end(); }
    const_iterator begin() const { return items().begin(); }
    const_iterator end() const { return items().end(); }
    T& operator[](std::size_t i) { return items()[i]; }
    const T& operator[](std::size_t i) const { return items()[i]; }
    std::vector<T>& items() {
        check();
        return items_;
    }
    const std::vector<T>& items() const {
        check();
        return items_;
    }
    // Back to not loaded.
    void reset() noexcept {
        items_.clear();
        loaded_keys_.reset();
        base::unload();
    }

private:
    friend struct detail::relation_access;
    std::vector<T> items_;
    // The keys of the items as loaded, under cascade::delete_orphans: a key missing from the
    // items when the owner is saved is an orphan's.
    std::shared_ptr<const detail::key_set> loaded_keys_;
};

namespace detail {
// An iterator over a vector of shared pointers that yields the objects.
template <class It, class T>
class indirect_iterator {
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::remove_const_t<T>;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;
    indirect_iterator() = default;
    explicit indirect_iterator(It it) : it_(it) {}
    T& operator*() const { return **it_; }
    T* operator->() const { return it_->get(); }
    indirect_iterator& operator++() {
        ++it_;
        return *this;
    }
    indirect_iterator operator++(int) {
        auto c = *this;
        ++it_;
        return c;
    }
    bool operator==(const indirect_iterator&) const = default;

private:
    It it_{};
};
}  // namespace detail

// A many-to-many collection of shared objects: a target linked to several loaded owners is one
// object that all of them hold, and with back_populates it holds them back (non-owning) in its
// own shared_many. Read as many<T, Link>: size(), iteration, [] and link(i) give the objects.
template <class T, class Link = void>
class shared_many : public detail::collection_base<Link, true> {
    using base = detail::collection_base<Link, true>;
    using base::check;

public:
    using value_type = T;
    using link_type = Link;
    using pointers = std::vector<std::shared_ptr<T>>;
    using iterator = detail::indirect_iterator<typename pointers::const_iterator, T>;
    using const_iterator = detail::indirect_iterator<typename pointers::const_iterator, const T>;

    shared_many() = default;
    // A collection set by hand (loaded).
    shared_many(pointers items) : base(true), items_(std::move(items)) {}

    // Everything below throws when the relationship was not loaded.
    std::size_t size() const { return shared().size(); }
    bool empty() const { return shared().empty(); }
    iterator begin() { return iterator(shared().begin()); }
    iterator end() { return iterator(shared().end()); }
    const_iterator begin() const { return const_iterator(shared().begin()); }
    const_iterator end() const { return const_iterator(shared().end()); }
    T& operator[](std::size_t i) { return *shared()[i]; }
    const T& operator[](std::size_t i) const { return *shared()[i]; }
    // The pointers themselves: the same object for every owner that holds it.
    const pointers& shared() const {
        check();
        return items_;
    }
    // Back to not loaded.
    void reset() noexcept {
        items_.clear();
        base::unload();
    }

private:
    friend struct detail::relation_access;
    pointers items_;
};

namespace detail {

template <class M>
struct relation_member : std::false_type {};
template <class T>
struct relation_member<ref<T>> : std::true_type {
    using element = T;
};
template <class T, class L>
struct relation_member<many<T, L>> : std::true_type {
    using element = T;
};
template <class T, class L>
struct relation_member<shared_many<T, L>> : std::true_type {
    using element = T;
};

// What loaders do to many<> and ref<> members.
struct relation_access {
    template <class T>
    static void label(ref<T>& r, const relation_label* l) noexcept {
        r.label_ = l;
    }
    // many and shared_many.
    template <class L, bool S>
    static void label(collection_base<L, S>& m, const relation_label* l) noexcept {
        m.label_ = l;
    }
    template <class L, bool S>
    static std::vector<L>& links(collection_base<L, S>& m) noexcept {
        return m.links_.items;
    }
    // Marks the collection loaded and empty; returns its items to fill.
    template <class T, class L>
    static std::vector<T>& start(many<T, L>& m) {
        m.reset();
        m.loaded_ = true;
        return m.items_;
    }
    template <class T, class L>
    static std::vector<std::shared_ptr<T>>& start(shared_many<T, L>& m) {
        m.reset();
        m.loaded_ = true;
        return m.items_;
    }
    template <class T, class L>
    static std::vector<T>& items(many<T, L>& m) noexcept {
        return m.items_;
    }
    template <class T, class L>
    static std::vector<std::shared_ptr<T>>& items(shared_many<T, L>& m) noexcept {
        return m.items_;
    }
    template <class T>
    static void set(ref<T>& r, std::shared_ptr<T> p) {
        r.p_ = std::move(p);
        r.loaded_ = true;
    }
    template <class T>
    static void set(ref<T>& r, std::nullptr_t) {
        r.p_.reset();
        r.loaded_ = true;
    }
    // Marks the reference loaded and empty (none).
    template <class T>
    static void start(ref<T>& r) {
        set(r, nullptr);
    }
    template <class T>
    static const std::shared_ptr<T>& pointer(const ref<T>& r) noexcept {
        return r.p_;
    }
    template <class T, class L>
    static const std::shared_ptr<const key_set>& loaded_keys(const many<T, L>& m) noexcept {
        return m.loaded_keys_;
    }
    template <class T, class L>
    static void loaded_keys(many<T, L>& m, std::shared_ptr<const key_set> keys) {
        m.loaded_keys_ = std::move(keys);
    }
};

}  // namespace detail

}  // namespace ender
