// kernel/base/lib/hash_table.h -- an intrusive chained hash table, and hash functions.
//
// What it is. A map from keys to elements that finds an element in expected
// O(1). Like ListNode and RbNode, the link (`HashNode m_hash_node;`) lives
// inside the element, and the bucket array is memory the caller provides, so
// the table itself never allocates: it can be used before the heap exists, and
// growing it is the caller's decision (allocate a bigger array, rehash(),
// free the old one). The vnode cache (by file system and inode number) and
// the page-cache lookup by (object, offset) are the intended users.
//
//   struct Vnode { u64 ino; HashNode m_hash_node; ... };
//   struct ByIno {
//       using Key = u64;
//       static u64 key(const Vnode& v) { return v.ino; }
//       static u64 hash(u64 ino) { return hash_u64(ino); }
//   };
//   HashTableWithBuckets<Vnode, &Vnode::m_hash_node, ByIno, 64> vnodes;
//   vnodes.insert_unique(vnode);   Vnode* v = vnodes.find(ino);
//
// The data structure. An array of 2^k buckets, each the head of a singly
// linked chain. A node keeps a pointer to its successor and a pointer to the
// pointer that points at it (`m_pprev`: the bucket head, or the previous
// node's m_next), which lets it unlink itself in O(1) without searching its
// chain or knowing its bucket -- the trick of Linux's hlist. The node also
// caches its key's full 64-bit hash: comparisons test the hash first, and
// rehash() moves nodes without calling the hash function again.
//
// Choosing a bucket. The bucket index is the top k bits of hash * 2^64/phi
// ("Fibonacci hashing", Knuth vol. 3, 6.4): the multiply stirs every input bit
// into the top bits, so even a weak hash (an aligned pointer, a small integer)
// spreads evenly.
//
// Invariants: an unlinked node has m_pprev == nullptr; a linked node is in
// the chain of the bucket its cached hash selects; m_size counts the linked
// elements. Chains have no order; an equal key may occur more than once if
// insert() (not insert_unique()) is used.
//
// Interface: init/rehash (caller's bucket arrays; the count must be a power of
// two), insert, insert_unique, remove, find, find_next (the next element with
// an equal key), contains, size, range-for over all elements (no order),
// clear(fn), longest_chain (statistics for tests), should_grow (load above
// 1). Expected O(1) per operation with a good hash and load; O(n + buckets)
// for rehash, clear and a full iteration.
//
// Hash helpers: hash_bytes and hash_string (FNV-1a, 64-bit), hash_u64 (a
// 64-bit finaliser that makes every output bit depend on every input bit),
// hash_pointer, hash_combine.
//
// Not thread-safe: the owner's lock guards the table.
//
// Read more: Knuth, TAOCP vol. 3, 6.4; Linux include/linux/list.h (hlist) and
// include/linux/hash.h; Fowler, Noll, Vo, "FNV hash" (IETF draft
// draft-eastlake-fnv); Appleby's MurmurHash3 fmix64 and Steele et al.,
// "Fast splittable pseudorandom number generators" (SplitMix64), whose
// finaliser constants hash_u64 uses. Ideas only; no code taken.
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/string_view.h>
#include <kernel/base/lib/types.h>

namespace kern {

// --- Hash functions ------------------------------------------------------

// FNV-1a over `len` bytes: for each byte, xor it in, then multiply by the
// FNV prime. Simple and decent for short keys such as names.
inline u64 hash_bytes(const void* data, size_t len, u64 seed = 0xcbf29ce484222325ull)
{
    const u8* p = static_cast<const u8*>(data);
    u64 h = seed;
    for (size_t i = 0; i < len; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

inline u64 hash_string(StringView s) { return hash_bytes(s.characters(), s.length()); }

// A bijective mix of 64 bits (SplitMix64's finaliser): xor-shift and multiply
// rounds, so flipping any input bit flips about half the output bits.
inline u64 hash_u64(u64 x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

inline u64 hash_pointer(const void* p) { return hash_u64(reinterpret_cast<uptr>(p)); }

// Fold `value` into a running hash of several fields (order matters).
inline u64 hash_combine(u64 seed, u64 value)
{
    return hash_u64(seed ^ (value + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2)));
}

// --- The table -----------------------------------------------------------

class HashNode {
public:
    constexpr HashNode() = default;
    HashNode(const HashNode&) = delete;
    HashNode& operator=(const HashNode&) = delete;
    ~HashNode() { KASSERT(!is_linked()); }

    bool is_linked() const { return m_pprev != nullptr; }

private:
    template <typename T, HashNode T::*, typename> friend class HashTable;
    HashNode* m_next = nullptr;
    HashNode** m_pprev = nullptr; // the pointer that points at us; null: unlinked
    u64 m_hash = 0;               // the key's hash, cached while linked
};

// A bucket is the head of one chain.
struct HashBucket {
    HashNode* first = nullptr;
};

// As with RbTree, the members that take a key are templates over P = Policy
// only so that Policy may be incomplete where a table is declared (defined
// later, in a .cpp file); callers write table.find(k) as usual.
template <typename T, HashNode T::*Member, typename Policy> class HashTable {
public:
    // A table with no buckets yet: init() before the first insert.
    constexpr HashTable() = default;
    // => count is a power of two; the array outlives the table (or rehash).
    HashTable(HashBucket* buckets, size_t count) { init(buckets, count); }
    HashTable(const HashTable&) = delete;
    HashTable& operator=(const HashTable&) = delete;
    ~HashTable() { KASSERT(m_size == 0); }

    // Adopt `buckets` (emptied here). => count is a power of two; the table
    // has no buckets yet or is empty.
    void init(HashBucket* buckets, size_t count)
    {
        KASSERT(m_size == 0);
        KASSERT(count > 0 && (count & (count - 1)) == 0);
        for (size_t i = 0; i < count; ++i)
            buckets[i].first = nullptr;
        m_buckets = buckets;
        m_bucket_count = count;
        m_shift = 64 - log2(count);
    }

    size_t size() const { return m_size; }
    bool is_empty() const { return m_size == 0; }
    size_t bucket_count() const { return m_bucket_count; }
    // True when there are more elements than buckets (average chain > 1).
    bool should_grow() const { return m_size > m_bucket_count; }

    // Insert `item` even if its key is present. => item not in a table.
    void insert(T& item) { link(item.*Member, Policy::hash(Policy::key(item))); }

    // Insert unless an element with an equal key is present.
    // Returns nullptr on success, else the element in the way (item not inserted).
    T* insert_unique(T& item)
    {
        const u64 h = Policy::hash(Policy::key(item));
        if (T* existing = find_hashed(Policy::key(item), h, first_in_bucket(h)))
            return existing;
        link(item.*Member, h);
        return nullptr;
    }

    // => item is in this table.
    void remove(T& item)
    {
        HashNode& node = item.*Member;
        KASSERT(node.is_linked());
        *node.m_pprev = node.m_next;
        if (node.m_next)
            node.m_next->m_pprev = node.m_pprev;
        node.m_next = nullptr;
        node.m_pprev = nullptr;
        --m_size;
    }

    // An element with key k, or nullptr.
    template <typename P = Policy> T* find(const typename P::Key& k) const
    {
        if (m_bucket_count == 0)
            return nullptr;
        const u64 h = Policy::hash(k);
        return find_hashed(k, h, first_in_bucket(h));
    }

    // Another element after `item` in its chain with an equal key, or nullptr:
    //   for (T* e = t.find(k); e; e = t.find_next(*e)) ...
    T* find_next(const T& item) const
    {
        const HashNode& node = item.*Member;
        KASSERT(node.is_linked());
        return find_hashed(Policy::key(item), node.m_hash, node.m_next);
    }

    // O(chain length): is this very element linked in this table?
    bool contains(const T& item) const
    {
        const HashNode& node = item.*Member;
        if (!node.is_linked() || m_bucket_count == 0)
            return false;
        for (const HashNode* n = first_in_bucket(node.m_hash); n; n = n->m_next)
            if (n == &node)
                return true;
        return false;
    }

    // Move every element into `buckets` (emptied here) and return the old
    // array for the caller to free. O(n + old count + new count).
    // => count is a power of two; the table has buckets.
    HashBucket* rehash(HashBucket* buckets, size_t count)
    {
        KASSERT(m_buckets);
        HashBucket* old = m_buckets;
        const size_t old_count = m_bucket_count;
        const size_t size = m_size;
        m_size = 0;
        init(buckets, count);
        for (size_t i = 0; i < old_count; ++i) {
            HashNode* n = old[i].first;
            while (n) {
                HashNode* next = n->m_next;
                n->m_pprev = nullptr; // link() wants an unlinked node
                link(*n, n->m_hash);
                n = next;
            }
            old[i].first = nullptr;
        }
        KASSERT(m_size == size);
        return old;
    }

    // Unlink every element, then call fn(T&) on it (fn may free it).
    template <typename Fn> void clear(Fn fn)
    {
        for (size_t i = 0; i < m_bucket_count; ++i) {
            while (HashNode* n = m_buckets[i].first) {
                T& item = *owner(n);
                remove(item);
                fn(item);
            }
        }
    }
    void clear()
    {
        clear([](T&) {});
    }

    // The longest chain: how well the hash spreads (tests, statistics). O(n).
    size_t longest_chain() const
    {
        size_t longest = 0;
        for (size_t i = 0; i < m_bucket_count; ++i) {
            size_t len = 0;
            for (const HashNode* n = m_buckets[i].first; n; n = n->m_next)
                ++len;
            longest = max(longest, len);
        }
        return longest;
    }

    // Iteration over all elements in no particular order. The loop body must
    // not remove the current element; use clear() to empty the table.
    class Iterator {
    public:
        Iterator(const HashTable* table, size_t bucket, HashNode* node)
            : m_table(table), m_bucket(bucket), m_node(node)
        {
            skip_empty();
        }
        T& operator*() const { return *owner(m_node); }
        T* operator->() const { return owner(m_node); }
        Iterator& operator++()
        {
            m_node = m_node->m_next;
            skip_empty();
            return *this;
        }
        bool operator==(const Iterator& other) const { return m_node == other.m_node; }
        bool operator!=(const Iterator& other) const { return m_node != other.m_node; }

    private:
        // At the end of a chain, move on to the next non-empty bucket.
        void skip_empty()
        {
            while (!m_node && m_bucket + 1 < m_table->m_bucket_count)
                m_node = m_table->m_buckets[++m_bucket].first;
        }
        const HashTable* m_table;
        size_t m_bucket;
        HashNode* m_node;
    };
    Iterator begin() const
    {
        return Iterator(this, 0, m_bucket_count ? m_buckets[0].first : nullptr);
    }
    Iterator end() const { return Iterator(this, m_bucket_count, nullptr); }

private:
    template <typename A, typename B> static bool equal(const A& a, const B& b)
    {
        if constexpr (requires { Policy::equal(a, b); })
            return Policy::equal(a, b);
        else
            return a == b;
    }

    static size_t log2(size_t power_of_two)
    {
        return size_t(__builtin_ctzll(power_of_two));
    }

    // Fibonacci hashing: the top bits of h * 2^64/phi. With one bucket the
    // shift would be 64 (undefined in C++), so that case is index 0.
    size_t bucket_index(u64 h) const
    {
        return m_shift >= 64 ? 0 : size_t((h * 0x9e3779b97f4a7c15ull) >> m_shift);
    }
    HashNode* first_in_bucket(u64 h) const { return m_buckets[bucket_index(h)].first; }

    // Search one chain from `n` for key k with hash h.
    template <typename K> static T* find_hashed(const K& k, u64 h, HashNode* n)
    {
        for (; n; n = n->m_next)
            if (n->m_hash == h && equal(Policy::key(*owner(n)), k))
                return owner(n);
        return nullptr;
    }

    // Push `node` on the front of its bucket's chain.
    void link(HashNode& node, u64 h)
    {
        KASSERT(!node.is_linked());
        KASSERT(m_bucket_count > 0);
        HashBucket& bucket = m_buckets[bucket_index(h)];
        node.m_hash = h;
        node.m_next = bucket.first;
        if (node.m_next)
            node.m_next->m_pprev = &node.m_next;
        node.m_pprev = &bucket.first;
        bucket.first = &node;
        ++m_size;
    }

    // The element holding `node` (GCC: a data member pointer is its offset).
    static T* owner(const HashNode* node)
    {
        static_assert(sizeof(Member) == sizeof(ptrdiff_t));
        const ptrdiff_t offset = __builtin_bit_cast(ptrdiff_t, Member);
        return reinterpret_cast<T*>(reinterpret_cast<uptr>(node) - uptr(offset));
    }

    HashBucket* m_buckets = nullptr;
    size_t m_bucket_count = 0;
    size_t m_shift = 64;
    size_t m_size = 0;
};

// A table that carries its own array of N buckets (N a power of two): handy
// for a global or a member whose size is known at compile time. It can still
// rehash() into a larger caller-provided array.
template <typename T, HashNode T::*Member, typename Policy, size_t N>
class HashTableWithBuckets : public HashTable<T, Member, Policy> {
    static_assert(N > 0 && (N & (N - 1)) == 0, "bucket count must be a power of two");

public:
    HashTableWithBuckets() : HashTable<T, Member, Policy>() { this->init(m_storage, N); }

private:
    HashBucket m_storage[N];
};

} // namespace kern
