// kernel/base/lib/rbtree.h -- an intrusive, optionally augmented red-black tree.
//
// What it is. A balanced binary search tree whose node (`RbNode m_node;`)
// lives inside the element, like ListNode: inserting never allocates, and an
// element removes itself in O(log n) knowing only itself. The VM map keeps its
// entries in one (keyed by start address), tmpfs keeps directory entries in
// one (keyed by name), the page cache keeps pages by offset.
//
//   struct Entry { u64 start, end; RbNode m_node; };
//   struct ByStart {
//       using Key = u64;
//       static u64 key(const Entry& e) { return e.start; }
//   };
//   RbTree<Entry, &Entry::m_node, ByStart> map;
//   map.insert(entry);
//   Entry* e = map.floor(addr);              // last entry with start <= addr
//   if (e && addr < e->end) ... hit ...
//
// The data structure. Every node is red or black, and
//   (1) the root is black;
//   (2) a red node has no red child;
//   (3) every path from a node down to a missing child (nullptr) passes the
//       same number of black nodes (the node's "black height").
// (2) and (3) together keep the longest root-to-leaf path at most twice the
// shortest, so the height is at most 2*log2(n+1). Keys follow in-order: all
// keys in a node's left subtree are <= its key, all on the right >= it.
// Equal keys are allowed by insert() (a new one goes after the old ones) and
// refused by insert_unique().
//
// Augmentation. A tree can keep a summary of each subtree in its nodes, e.g.
// "the largest free gap between entries below this node", which lets a search
// skip whole subtrees and find a free range of a given size in O(log n). The
// policy supplies
//       static void augment(T& node, const T* left, const T* right);
// which recomputes node's summary from its own fields and its children's
// (already correct) summaries. The tree calls it bottom-up wherever a
// subtree's contents changed: on the lower then the upper node of every
// rotation, and from the changed position up to the root after an insert or
// a remove. If you change an element's summary fields in place (not its key),
// call update_augmented(element). If a node's own contribution depends on a
// neighbour -- a free gap is "next entry's start minus my end" -- then an
// insert or remove also changes that neighbour's contribution: after it,
// call update_augmented() on the affected neighbour (the tree cannot know).
// Linux stops the upward walk early once a summary stops changing; we always
// walk to the root, which is simpler, obviously correct and still O(log n).
//
// Interface (all O(log n) unless noted): insert, insert_unique, remove,
// find, lower_bound (first key >= k), upper_bound (first key > k), floor (last
// key <= k), first/last/next/prev (next/prev amortised O(1)), range-for in key
// order, size/is_empty (O(1)), contains, clear(fn) (O(n), unlinks every element
// and hands it to fn), root/left/right/parent for custom descents (the
// augmented searches), update_augmented, and validate() (O(n), for tests and
// debugging: checks (1)-(3), parent links, key order and the size counter).
//
// The key policy: `Key`, `static Key key(const T&)` (may return a const
// reference), optionally `static bool less(const Key&, const Key&)` (else
// operator< is used) and optionally augment() as above. It may be declared
// but not yet defined where the tree is declared (see RbTree below).
// Not thread-safe: the owner's lock guards the tree.
//
// Layout: this header holds RbNode and the typed RbTree template; the
// rebalancing code, which does not depend on the element type, is compiled
// once in rbtree.cpp (RbTreeCore).
//
// Read more: Cormen, Leiserson, Rivest, Stein, "Introduction to Algorithms",
// ch. 13 (the insert and delete fix-ups we follow); Guibas & Sedgewick, "A
// dichromatic framework for balanced trees" (1978); Linux's
// Documentation/core-api/rbtree.rst and include/linux/rbtree_augmented.h (the
// augmentation hooks; read for ideas only, no code taken); NetBSD rbtree(3).
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/types.h>

namespace kern {

enum class RbColor : u8 { Red, Black };

// The link embedded in each element. Fields are changed only by the tree;
// the read-only accessors are for custom descents and debugging.
class RbNode {
public:
    constexpr RbNode() : m_parent(this) {}
    RbNode(const RbNode&) = delete;
    RbNode& operator=(const RbNode&) = delete;
    ~RbNode() { KASSERT(!is_linked()); }

    bool is_linked() const { return m_parent != this; }
    RbNode* left() const { return m_left; }
    RbNode* right() const { return m_right; }
    // nullptr for the root. => is_linked().
    RbNode* parent() const { return m_parent; }
    bool is_red() const { return m_color == RbColor::Red; }

private:
    friend class RbTreeCore;
    RbNode* m_parent; // `this` while not in a tree; nullptr at the root
    RbNode* m_left = nullptr;
    RbNode* m_right = nullptr;
    RbColor m_color = RbColor::Red;
};

// The type-independent half: links, rotations and the colour fix-ups. The
// augment hook is a plain function pointer (nullptr for a plain tree).
class RbTreeCore {
public:
    using AugmentFn = void (*)(RbNode& node);

    constexpr RbTreeCore() = default;
    RbTreeCore(const RbTreeCore&) = delete;
    RbTreeCore& operator=(const RbTreeCore&) = delete;
    ~RbTreeCore() { KASSERT(m_size == 0); }

    RbNode* root() const { return m_root; }
    size_t size() const { return m_size; }

    // Hang `node` below `parent` (on the left if `as_left`) and rebalance.
    // => node not linked; parent == nullptr iff the tree is empty; that child
    //    slot of parent is empty; the caller chose it to keep key order.
    void link_and_rebalance(RbNode& node, RbNode* parent, bool as_left, AugmentFn augment);

    // Unlink `node` and rebalance. => node is in this tree.
    void erase(RbNode& node, AugmentFn augment);

    // Recompute summaries from `node` up to the root. node may be nullptr.
    void propagate(RbNode* node, AugmentFn augment);

    // Unlink every node in O(n) (children before parents), calling
    // fn(node, ctx) on each after it is unlinked; fn may free the element.
    void clear(void (*fn)(RbNode& node, void* ctx), void* ctx);

    // In-order neighbours; nullptr past either end.
    static RbNode* leftmost(RbNode* subtree);
    static RbNode* rightmost(RbNode* subtree);
    static RbNode* next(const RbNode& node);
    static RbNode* prev(const RbNode& node);

    // True if `node` hangs (transitively) from this tree's root. O(log n).
    bool contains(const RbNode& node) const;

    // Rules (1)-(3), parent links and the size counter. nullptr if sound,
    // else a description of the first problem found. O(n).
    const char* validate_structure() const;

private:
    void rotate_left(RbNode& x, AugmentFn augment);
    void rotate_right(RbNode& x, AugmentFn augment);
    void replace_child(RbNode* parent, RbNode& old_child, RbNode* new_child);
    void insert_fixup(RbNode* node, AugmentFn augment);
    void erase_fixup(RbNode* child, RbNode* parent, AugmentFn augment);
    static void mark_unlinked(RbNode& node);

    RbNode* m_root = nullptr;
    size_t m_size = 0;
};

// The members that take a key are templates over P = Policy only so that
// Policy may still be incomplete where a tree is declared: a class can hold
// an RbTree whose policy is defined in its .cpp file, before the first call.
// Callers never name P: tree.find(k) works as usual.
template <typename T, RbNode T::*Member, typename Policy> class RbTree {
public:
    constexpr RbTree() = default;
    RbTree(const RbTree&) = delete;
    RbTree& operator=(const RbTree&) = delete;

    size_t size() const { return m_core.size(); }
    bool is_empty() const { return m_core.size() == 0; }

    // Insert `item`; an equal key goes after the existing ones.
    // => item is not in a tree.
    void insert(T& item) { insert_impl(item, false); }

    // Insert `item` unless an element with an equal key is present.
    // Returns nullptr on success, else the element in the way (item not inserted).
    T* insert_unique(T& item) { return insert_impl(item, true); }

    // => item is in this tree.
    void remove(T& item)
    {
        KASSERT(contains(item));
        m_core.erase(item.*Member, augment_fn());
    }

    // The first element (in order) whose key equals k, or nullptr.
    template <typename P = Policy> T* find(const typename P::Key& k) const
    {
        T* candidate = lower_bound(k);
        return candidate && !less(k, Policy::key(*candidate)) ? candidate : nullptr;
    }

    // The first element with key >= k, or nullptr.
    template <typename P = Policy> T* lower_bound(const typename P::Key& k) const
    {
        RbNode* result = nullptr;
        for (RbNode* cur = m_core.root(); cur;) {
            if (!less(Policy::key(*owner(cur)), k)) {
                result = cur; // a candidate; look for an earlier one on the left
                cur = cur->left();
            } else {
                cur = cur->right();
            }
        }
        return owner_or_null(result);
    }

    // The first element with key > k, or nullptr.
    template <typename P = Policy> T* upper_bound(const typename P::Key& k) const
    {
        RbNode* result = nullptr;
        for (RbNode* cur = m_core.root(); cur;) {
            if (less(k, Policy::key(*owner(cur)))) {
                result = cur;
                cur = cur->left();
            } else {
                cur = cur->right();
            }
        }
        return owner_or_null(result);
    }

    // The last element with key <= k, or nullptr.
    template <typename P = Policy> T* floor(const typename P::Key& k) const
    {
        RbNode* result = nullptr;
        for (RbNode* cur = m_core.root(); cur;) {
            if (!less(k, Policy::key(*owner(cur)))) {
                result = cur; // a candidate; look for a later one on the right
                cur = cur->right();
            } else {
                cur = cur->left();
            }
        }
        return owner_or_null(result);
    }

    T* first() const { return owner_or_null(RbTreeCore::leftmost(m_core.root())); }
    T* last() const { return owner_or_null(RbTreeCore::rightmost(m_core.root())); }
    // => item is in this tree.
    T* next(const T& item) const { return owner_or_null(RbTreeCore::next(item.*Member)); }
    T* prev(const T& item) const { return owner_or_null(RbTreeCore::prev(item.*Member)); }

    bool contains(const T& item) const { return m_core.contains(item.*Member); }

    // Unlink every element, then call fn(T&) on it (children before parents,
    // so fn may free it). O(n).
    template <typename Fn> void clear(Fn fn)
    {
        m_core.clear(
            [](RbNode& node, void* ctx) { (*static_cast<Fn*>(ctx))(*owner(&node)); }, &fn);
    }
    void clear()
    {
        clear([](T&) {});
    }

    // Custom descents (augmented searches) start at root() and follow
    // left()/right(); nullptr where there is no such element.
    T* root() const { return owner_or_null(m_core.root()); }
    static T* left(const T& item) { return owner_or_null((item.*Member).left()); }
    static T* right(const T& item) { return owner_or_null((item.*Member).right()); }
    static T* parent(const T& item) { return owner_or_null((item.*Member).parent()); }

    // After changing fields that feed item's summary (never its key):
    // recompute item and its ancestors. => item is in this tree.
    void update_augmented(T& item) { m_core.propagate(&(item.*Member), augment_fn()); }

    // Everything validate_structure() checks, plus key order. nullptr if the
    // tree is sound, else what is wrong. O(n).
    const char* validate() const
    {
        if (const char* why = m_core.validate_structure())
            return why;
        const T* previous = nullptr;
        for (const T& item : *this) {
            if (previous && less(Policy::key(item), Policy::key(*previous)))
                return "keys out of order";
            previous = &item;
        }
        return nullptr;
    }

    // In-order iteration. The loop body must not remove the current element
    // (advancing reads its links): fetch next() first, or use clear().
    class Iterator {
    public:
        explicit Iterator(RbNode* node) : m_node(node) {}
        T& operator*() const { return *owner(m_node); }
        T* operator->() const { return owner(m_node); }
        Iterator& operator++()
        {
            m_node = RbTreeCore::next(*m_node);
            return *this;
        }
        bool operator==(const Iterator& other) const { return m_node == other.m_node; }
        bool operator!=(const Iterator& other) const { return m_node != other.m_node; }

    private:
        RbNode* m_node;
    };
    Iterator begin() const { return Iterator(RbTreeCore::leftmost(m_core.root())); }
    Iterator end() const { return Iterator(nullptr); }

private:
    // A function, not a constant, so that it is evaluated only when used.
    static constexpr bool augmented()
    {
        return requires(T& node, const T* child) { Policy::augment(node, child, child); };
    }

    // Both arguments are keys (Policy::Key); a template for the reason above.
    template <typename A, typename B> static bool less(const A& a, const B& b)
    {
        if constexpr (requires { Policy::less(a, b); })
            return Policy::less(a, b);
        else
            return a < b;
    }

    // The element holding `node`. GCC follows the Itanium C++ ABI, in which a
    // pointer to data member is represented as the member's byte offset.
    static T* owner(const RbNode* node)
    {
        static_assert(sizeof(Member) == sizeof(ptrdiff_t));
        const ptrdiff_t offset = __builtin_bit_cast(ptrdiff_t, Member);
        return reinterpret_cast<T*>(reinterpret_cast<uptr>(node) - uptr(offset));
    }
    static T* owner_or_null(const RbNode* node) { return node ? owner(node) : nullptr; }

    static void augment_thunk(RbNode& node)
    {
        if constexpr (augmented()) {
            T& item = *owner(&node);
            Policy::augment(item, owner_or_null(node.left()), owner_or_null(node.right()));
        }
    }
    static RbTreeCore::AugmentFn augment_fn() { return augmented() ? &augment_thunk : nullptr; }

    // Walk down to the empty slot where `item` belongs; with `unique`, stop
    // at an equal key instead.
    T* insert_impl(T& item, bool unique)
    {
        RbNode& node = item.*Member;
        KASSERT(!node.is_linked());
        const auto& k = Policy::key(item);
        RbNode* parent = nullptr;
        bool as_left = false;
        for (RbNode* cur = m_core.root(); cur;) {
            parent = cur;
            T* here = owner(cur);
            as_left = less(k, Policy::key(*here));
            if (!as_left && unique && !less(Policy::key(*here), k))
                return here; // neither less nor greater: equal
            cur = as_left ? cur->left() : cur->right();
        }
        m_core.link_and_rebalance(node, parent, as_left, augment_fn());
        return nullptr;
    }

    RbTreeCore m_core;
};

} // namespace kern
