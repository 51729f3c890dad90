// tests/host/kernel/base/lib/hash_table_test.cpp -- HashTable and the hash
// helpers (kernel/base/lib/hash_table.h).
//
// Directed tests of each operation, a randomized run against
// std::unordered_multimap with rehashes in the middle, the spread of the
// bucket choice for weak hashes, and known FNV-1a test vectors.
#include <kernel/base/lib/hash_table.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using kern::HashBucket;
using kern::HashNode;
using kern::HashTable;
using kern::HashTableWithBuckets;
using kern::StringView;

struct Item {
    explicit Item(u64 k = 0, int v = 0) : key(k), value(v) {}
    u64 key;
    int value;
    HashNode m_hash_node;
};

struct ByKey {
    using Key = u64;
    static u64 key(const Item& item) { return item.key; }
    static u64 hash(u64 k) { return kern::hash_u64(k); }
};

// A deliberately weak hash: the key itself. Fibonacci hashing must spread it.
struct Identity {
    using Key = u64;
    static u64 key(const Item& item) { return item.key; }
    static u64 hash(u64 k) { return k; }
};

// A hash with many collisions, to exercise chains and the equality test.
struct Collide {
    using Key = u64;
    static u64 key(const Item& item) { return item.key; }
    static u64 hash(u64 k) { return k % 3; }
};

using Table = HashTable<Item, &Item::m_hash_node, ByKey>;

// Empties a table when a test ends, even after a failed ASSERT_*.
template <typename T> struct ClearAtExit {
    T& table;
    ~ClearAtExit() { table.clear(); }
};

TEST(Hash, FnvVectors)
{
    // Published FNV-1a 64-bit test vectors.
    EXPECT_EQ(kern::hash_bytes("", 0), 0xcbf29ce484222325ull);
    EXPECT_EQ(kern::hash_bytes("a", 1), 0xaf63dc4c8601ec8cull);
    EXPECT_EQ(kern::hash_string("foobar"), 0x85944171f73967e8ull);
    EXPECT_EQ(kern::hash_string(StringView("foobar!", 6)), kern::hash_string("foobar"));
}

TEST(Hash, IntegerMixIsABijectionOnASample)
{
    std::set<u64> seen;
    for (u64 i = 0; i < 10000; ++i)
        seen.insert(kern::hash_u64(i));
    EXPECT_EQ(seen.size(), 10000u);
    // Flipping one input bit flips roughly half the output bits.
    int total = 0;
    for (int bit = 0; bit < 64; ++bit)
        total += __builtin_popcountll(kern::hash_u64(12345) ^ kern::hash_u64(12345 ^ (1ull << bit)));
    EXPECT_GT(total / 64, 24);
    EXPECT_LT(total / 64, 40);
    EXPECT_NE(kern::hash_combine(1, 2), kern::hash_combine(2, 1));
    int x, y;
    EXPECT_NE(kern::hash_pointer(&x), kern::hash_pointer(&y));
}

TEST(HashTable, InsertFindRemove)
{
    Item a(1, 10), b(2, 20), c(1000, 30); // elements outlive the table
    HashBucket buckets[8];
    Table table(buckets, 8);
    ClearAtExit<Table> guard{table};
    EXPECT_TRUE(table.is_empty());
    EXPECT_EQ(table.find(1), nullptr);
    table.insert(a);
    table.insert(b);
    table.insert(c);
    EXPECT_EQ(table.size(), 3u);
    EXPECT_EQ(table.find(1), &a);
    EXPECT_EQ(table.find(2), &b);
    EXPECT_EQ(table.find(1000), &c);
    EXPECT_EQ(table.find(3), nullptr);
    EXPECT_TRUE(table.contains(b));
    table.remove(b);
    EXPECT_FALSE(b.m_hash_node.is_linked());
    EXPECT_FALSE(table.contains(b));
    EXPECT_EQ(table.find(2), nullptr);
    EXPECT_EQ(table.size(), 2u);
}

TEST(HashTable, InsertUniqueAndDuplicates)
{
    Item a(5, 1), b(5, 2), c(5, 3), d(8, 4);
    HashTableWithBuckets<Item, &Item::m_hash_node, Collide, 4> table;
    ClearAtExit<decltype(table)> guard{table};
    EXPECT_EQ(table.insert_unique(a), nullptr);
    EXPECT_EQ(table.insert_unique(b), &a);
    EXPECT_FALSE(b.m_hash_node.is_linked());
    EXPECT_EQ(table.insert_unique(d), nullptr); // same hash (5%3 == 8%3), other key
    EXPECT_EQ(table.find(8), &d);
    table.insert(b);
    table.insert(c);
    std::vector<int> values;
    for (Item* it = table.find(5); it; it = table.find_next(*it))
        values.push_back(it->value);
    std::sort(values.begin(), values.end());
    EXPECT_EQ(values, (std::vector<int>{1, 2, 3}));
}

TEST(HashTable, IterationVisitsEachOnce)
{
    std::deque<Item> items;
    HashBucket buckets[16];
    Table table(buckets, 16);
    ClearAtExit<Table> guard{table};
    for (u64 k = 0; k < 100; ++k)
        table.insert(items.emplace_back(k * 7919));
    std::multiset<u64> seen;
    for (Item& item : table)
        seen.insert(item.key);
    EXPECT_EQ(seen.size(), 100u);
    for (u64 k = 0; k < 100; ++k)
        EXPECT_EQ(seen.count(k * 7919), 1u);
    EXPECT_TRUE(table.should_grow());
}

TEST(HashTable, EmptyAndUninitialisedTables)
{
    Item a(1), b(2);
    HashBucket one[1];
    Table table; // no buckets yet
    ClearAtExit<Table> guard{table};
    EXPECT_EQ(table.find(1), nullptr);
    EXPECT_TRUE(table.begin() == table.end());
    EXPECT_EQ(table.bucket_count(), 0u);
    table.init(one, 1); // a single bucket: every key in one chain
    table.insert(a);
    table.insert(b);
    EXPECT_EQ(table.find(2), &b);
    EXPECT_EQ(table.longest_chain(), 2u);
}

TEST(HashTable, RehashKeepsEverything)
{
    std::deque<Item> items;
    std::vector<HashBucket> bigger(512);
    HashTableWithBuckets<Item, &Item::m_hash_node, ByKey, 2> table;
    ClearAtExit<decltype(table)> guard{table};
    for (u64 k = 0; k < 300; ++k)
        table.insert(items.emplace_back(k, int(k)));
    HashBucket* old = table.rehash(bigger.data(), bigger.size());
    EXPECT_NE(old, bigger.data());
    EXPECT_EQ(table.bucket_count(), 512u);
    EXPECT_EQ(table.size(), 300u);
    for (u64 k = 0; k < 300; ++k) {
        Item* it = table.find(k);
        ASSERT_NE(it, nullptr);
        EXPECT_EQ(it->value, int(k));
    }
    EXPECT_LE(table.longest_chain(), 6u);
    EXPECT_FALSE(table.should_grow());
}

TEST(HashTable, WeakHashStillSpreads)
{
    // Page-aligned addresses as keys with the identity "hash": all low bits
    // are zero, yet the bucket choice must use every bucket about evenly.
    std::deque<Item> items;
    std::vector<HashBucket> buckets(256);
    HashTable<Item, &Item::m_hash_node, Identity> table(buckets.data(), buckets.size());
    ClearAtExit<decltype(table)> guard{table};
    for (u64 i = 0; i < 1024; ++i)
        table.insert(items.emplace_back(0xffff800000000000ull + i * 4096));
    EXPECT_LE(table.longest_chain(), 12u);
}

TEST(HashTable, ClearHandsOutEveryElement)
{
    std::deque<Item> items;
    HashBucket buckets[8];
    Table table(buckets, 8);
    for (u64 k = 0; k < 50; ++k)
        table.insert(items.emplace_back(k));
    size_t n = 0;
    table.clear([&](Item& item) {
        EXPECT_FALSE(item.m_hash_node.is_linked());
        ++n;
    });
    EXPECT_EQ(n, 50u);
    EXPECT_TRUE(table.is_empty());
    EXPECT_TRUE(table.begin() == table.end());
}

struct Named {
    explicit Named(const char* s) : name(s) {}
    StringView name;
    HashNode m_node;
};
struct ByName {
    using Key = StringView;
    static StringView key(const Named& n) { return n.name; }
    static u64 hash(StringView s) { return kern::hash_string(s); }
};

TEST(HashTable, StringKeys)
{
    Named a("init"), b("sh"), c("ls");
    HashTableWithBuckets<Named, &Named::m_node, ByName, 8> table;
    ClearAtExit<decltype(table)> guard{table};
    table.insert(a);
    table.insert(b);
    table.insert(c);
    EXPECT_EQ(table.find("sh"), &b);
    EXPECT_EQ(table.find(StringView("lsx", 2)), &c);
    EXPECT_EQ(table.find("cat"), nullptr);
}

// Random inserts, removes and rehashes against std::multimap.
TEST(HashTable, RandomAgainstMultimap)
{
    constexpr int N = 2000;
    std::deque<Item> items;
    for (int i = 0; i < N; ++i)
        items.emplace_back(0, i);
    std::vector<HashBucket> storage[2] = {std::vector<HashBucket>(64), std::vector<HashBucket>(1024)};
    int current = 0;
    Table table(storage[0].data(), storage[0].size());
    ClearAtExit<Table> guard{table};
    std::multimap<u64, int> oracle;
    std::mt19937_64 rng(4242);
    for (int step = 0; step < 40000; ++step) {
        Item& item = items[rng() % N];
        if (!item.m_hash_node.is_linked()) {
            item.key = rng() % 700;
            if (rng() % 3 == 0) {
                Item* clash = table.insert_unique(item);
                ASSERT_EQ(clash == nullptr, oracle.count(item.key) == 0);
                if (!clash)
                    oracle.emplace(item.key, item.value);
            } else {
                table.insert(item);
                oracle.emplace(item.key, item.value);
            }
        } else {
            auto range = oracle.equal_range(item.key);
            auto it = std::find_if(range.first, range.second,
                                   [&](auto& kv) { return kv.second == item.value; });
            ASSERT_NE(it, range.second);
            oracle.erase(it);
            table.remove(item);
        }
        ASSERT_EQ(table.size(), oracle.size());
        const u64 probe = rng() % 700;
        std::vector<int> got;
        for (Item* it = table.find(probe); it; it = table.find_next(*it))
            got.push_back(it->value);
        std::vector<int> want;
        auto range = oracle.equal_range(probe);
        for (auto it = range.first; it != range.second; ++it)
            want.push_back(it->second);
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
        ASSERT_EQ(got, want) << "step " << step;
        if (step % 5000 == 4999) {
            current ^= 1; // move to the other bucket array and back again
            table.rehash(storage[current].data(), storage[current].size());
        }
    }
}

TEST(HashTableDeathTest, MisusePanics)
{
    EXPECT_DEATH(
        {
            HashBucket b[4];
            Table table(b, 3); // not a power of two
        },
        "PANIC: assertion failed");
    EXPECT_DEATH(
        {
            Table table;
            Item a(1);
            table.insert(a); // no buckets
        },
        "PANIC: assertion failed");
    EXPECT_DEATH(
        {
            HashBucket b[4];
            Table table(b, 4);
            Item a(1);
            table.insert(a);
            table.insert(a);
        },
        "PANIC: assertion failed");
}

} // namespace
