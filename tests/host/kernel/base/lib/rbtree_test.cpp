// tests/host/kernel/base/lib/rbtree_test.cpp -- RbTree (kernel/base/lib/rbtree.h).
//
// Randomized runs against std::multiset / std::set as oracles (thousands of
// inserts and removes, validate() after each), the searches (find,
// lower_bound, upper_bound, floor) against the oracle's, the height bound,
// and augmentation: a subtree maximum and a subtree size, both maintained by
// the tree's hook and checked against a brute-force recomputation, plus an
// O(log n) search that uses the summary the way the VM map's free-gap search
// will.
#include <kernel/base/lib/rbtree.h>
#include <kernel/base/lib/string_view.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <deque>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using kern::RbNode;
using kern::RbTree;

struct Item {
    explicit Item(int k = 0, int v = 0) : key(k), value(v) {}
    int key;
    int value;
    int subtree_max = 0;     // max of `value` in this subtree (augmented)
    size_t subtree_size = 0; // elements in this subtree (augmented)
    RbNode m_node;
};

struct ByKey {
    using Key = int;
    static int key(const Item& item) { return item.key; }
};

// Two summaries at once: the largest value below, and the subtree size.
struct ByKeyAugmented : ByKey {
    static void augment(Item& node, const Item* left, const Item* right)
    {
        node.subtree_max = node.value;
        node.subtree_size = 1;
        for (const Item* child : {left, right}) {
            if (child) {
                node.subtree_max = std::max(node.subtree_max, child->subtree_max);
                node.subtree_size += child->subtree_size;
            }
        }
    }
};

using Tree = RbTree<Item, &Item::m_node, ByKey>;
using AugTree = RbTree<Item, &Item::m_node, ByKeyAugmented>;

template <typename T> std::vector<int> keys(const T& tree)
{
    std::vector<int> out;
    for (const Item& item : tree)
        out.push_back(item.key);
    return out;
}

template <typename T> int height(const Item* node)
{
    if (!node)
        return 0;
    return 1 + std::max(height<T>(T::left(*node)), height<T>(T::right(*node)));
}

// Recompute both summaries from scratch and compare with the stored ones.
// Returns the subtree's (max, size) through the out-parameters.
::testing::AssertionResult check_augmented(const Item* node, int& max_out, size_t& size_out)
{
    if (!node) {
        max_out = INT_MIN;
        size_out = 0;
        return ::testing::AssertionSuccess();
    }
    int lmax, rmax;
    size_t lsize, rsize;
    auto l = check_augmented(AugTree::left(*node), lmax, lsize);
    if (!l)
        return l;
    auto r = check_augmented(AugTree::right(*node), rmax, rsize);
    if (!r)
        return r;
    max_out = std::max({node->value, lmax, rmax});
    size_out = 1 + lsize + rsize;
    if (node->subtree_max != max_out || node->subtree_size != size_out)
        return ::testing::AssertionFailure()
               << "key " << node->key << ": stored max/size " << node->subtree_max << "/"
               << node->subtree_size << ", brute force " << max_out << "/" << size_out;
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult augmented_ok(const AugTree& tree)
{
    int max;
    size_t size;
    auto result = check_augmented(tree.root(), max, size);
    if (result && size != tree.size())
        return ::testing::AssertionFailure() << "root size " << size << " != " << tree.size();
    return result;
}

// Empties a tree when a test ends, even after a failed ASSERT_*, so that the
// tree's "destroyed while not empty" panic cannot hide the real failure.
template <typename T> struct ClearAtExit {
    T& tree;
    ~ClearAtExit() { tree.clear(); }
};

TEST(RbTree, EmptyTree)
{
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    EXPECT_TRUE(tree.is_empty());
    EXPECT_EQ(tree.size(), 0u);
    EXPECT_EQ(tree.first(), nullptr);
    EXPECT_EQ(tree.last(), nullptr);
    EXPECT_EQ(tree.root(), nullptr);
    EXPECT_EQ(tree.find(1), nullptr);
    EXPECT_EQ(tree.lower_bound(1), nullptr);
    EXPECT_EQ(tree.floor(1), nullptr);
    EXPECT_EQ(tree.validate(), nullptr);
    EXPECT_TRUE(tree.begin() == tree.end());
}

TEST(RbTree, InsertFindNavigate)
{
    std::deque<Item> items;
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    for (int k : {50, 20, 80, 10, 30, 70, 90, 60})
        tree.insert(items.emplace_back(k));
    EXPECT_EQ(tree.validate(), nullptr);
    EXPECT_EQ(keys(tree), (std::vector<int>{10, 20, 30, 50, 60, 70, 80, 90}));
    EXPECT_EQ(tree.size(), 8u);
    EXPECT_EQ(tree.first()->key, 10);
    EXPECT_EQ(tree.last()->key, 90);
    Item* fifty = tree.find(50);
    ASSERT_NE(fifty, nullptr);
    EXPECT_EQ(tree.next(*fifty)->key, 60);
    EXPECT_EQ(tree.prev(*fifty)->key, 30);
    EXPECT_EQ(tree.next(*tree.last()), nullptr);
    EXPECT_EQ(tree.prev(*tree.first()), nullptr);
    EXPECT_EQ(tree.find(55), nullptr);
    EXPECT_TRUE(tree.contains(*fifty));
    tree.remove(*fifty);
    EXPECT_FALSE(tree.contains(*fifty));
    EXPECT_FALSE(fifty->m_node.is_linked());
    EXPECT_EQ(tree.find(50), nullptr);
    EXPECT_EQ(tree.validate(), nullptr);
    tree.clear();
}

TEST(RbTree, Bounds)
{
    std::deque<Item> items;
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    for (int k : {10, 20, 30, 40})
        tree.insert(items.emplace_back(k));
    EXPECT_EQ(tree.lower_bound(20)->key, 20);
    EXPECT_EQ(tree.lower_bound(21)->key, 30);
    EXPECT_EQ(tree.lower_bound(41), nullptr);
    EXPECT_EQ(tree.upper_bound(20)->key, 30);
    EXPECT_EQ(tree.upper_bound(5)->key, 10);
    EXPECT_EQ(tree.upper_bound(40), nullptr);
    EXPECT_EQ(tree.floor(20)->key, 20);
    EXPECT_EQ(tree.floor(29)->key, 20);
    EXPECT_EQ(tree.floor(9), nullptr);
    EXPECT_EQ(tree.floor(1000)->key, 40);
    tree.clear();
}

TEST(RbTree, InsertUniqueRefusesDuplicates)
{
    Item a(5), b(5), c(6);
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    EXPECT_EQ(tree.insert_unique(a), nullptr);
    EXPECT_EQ(tree.insert_unique(b), &a);
    EXPECT_FALSE(b.m_node.is_linked());
    EXPECT_EQ(tree.insert_unique(c), nullptr);
    EXPECT_EQ(tree.size(), 2u);
    tree.clear();
}

TEST(RbTree, DuplicatesKeepInsertionOrder)
{
    std::deque<Item> items;
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    for (int i = 0; i < 20; ++i)
        tree.insert(items.emplace_back(i % 3, i)); // value records arrival
    EXPECT_EQ(tree.validate(), nullptr);
    int last_key = -1, last_value = -1;
    for (const Item& item : tree) {
        if (item.key == last_key) {
            EXPECT_GT(item.value, last_value);
        }
        last_key = item.key;
        last_value = item.value;
    }
    EXPECT_EQ(tree.find(1)->value, 1); // find gives the first equal one
    int n = 0;
    for (Item* it = tree.find(2); it && it->key == 2; it = tree.next(*it))
        ++n;
    EXPECT_EQ(n, 6);
    tree.clear();
}

TEST(RbTree, SequentialInsertsStayBalanced)
{
    for (bool ascending : {true, false}) {
        std::deque<Item> items;
        Tree tree;
        const int n = 4095;
        for (int i = 0; i < n; ++i)
            tree.insert(items.emplace_back(ascending ? i : n - i));
        ASSERT_EQ(tree.validate(), nullptr);
        EXPECT_LE(height<Tree>(tree.root()), 2 * std::log2(n + 1));
        tree.clear();
    }
}

TEST(RbTree, ClearHandsOutEveryElement)
{
    std::deque<Item> items;
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    for (int i = 0; i < 100; ++i)
        tree.insert(items.emplace_back(i * 7 % 100));
    std::vector<int> seen;
    tree.clear([&](Item& item) {
        EXPECT_FALSE(item.m_node.is_linked());
        seen.push_back(item.key);
    });
    EXPECT_TRUE(tree.is_empty());
    std::sort(seen.begin(), seen.end());
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(seen[i], i);
    EXPECT_EQ(tree.validate(), nullptr);
}

TEST(RbTree, ValidateCatchesKeysOutOfOrder)
{
    Item a(1), b(2), c(3);
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    tree.insert(a);
    tree.insert(b);
    tree.insert(c);
    EXPECT_EQ(tree.validate(), nullptr);
    a.key = 10; // changing a key in place breaks the tree
    EXPECT_STREQ(tree.validate(), "keys out of order");
    a.key = 1;
    tree.clear();
}

struct Name {
    explicit Name(const char* s) : name(s) {}
    kern::StringView name;
    RbNode m_node;
};
struct ByName {
    using Key = kern::StringView;
    static kern::StringView key(const Name& n) { return n.name; }
    static bool less(kern::StringView a, kern::StringView b) { return a.compare(b) < 0; }
};
struct ByKeyDescending : ByKey {
    static bool less(int a, int b) { return a > b; }
};

TEST(RbTree, CustomKeysAndComparators)
{
    std::deque<Name> names;
    RbTree<Name, &Name::m_node, ByName> dir;
    ClearAtExit<decltype(dir)> dir_guard{dir};
    for (const char* s : {"passwd", "hosts", "fstab", "group", "motd"})
        EXPECT_EQ(dir.insert_unique(names.emplace_back(s)), nullptr);
    Name dup("hosts");
    EXPECT_NE(dir.insert_unique(dup), nullptr);
    EXPECT_EQ(dir.first()->name, "fstab");
    EXPECT_EQ(dir.last()->name, "passwd");
    ASSERT_NE(dir.find("motd"), nullptr);
    EXPECT_EQ(dir.find(kern::StringView("motd\0x", 4))->name, "motd");
    EXPECT_EQ(dir.find("mot"), nullptr);
    EXPECT_EQ(dir.validate(), nullptr);
    dir.clear();

    std::deque<Item> items;
    RbTree<Item, &Item::m_node, ByKeyDescending> down;
    ClearAtExit<decltype(down)> down_guard{down};
    for (int k : {3, 1, 4, 1, 5, 9, 2, 6})
        down.insert(items.emplace_back(k));
    EXPECT_EQ(keys(down), (std::vector<int>{9, 6, 5, 4, 3, 2, 1, 1}));
    EXPECT_EQ(down.lower_bound(7)->key, 6); // "first not before 7" in this order
    EXPECT_EQ(down.validate(), nullptr);
    down.clear();
}

// Thousands of random operations, checked against std::multiset: contents,
// order, size, all four searches, and the red-black rules after every step.
TEST(RbTree, RandomAgainstMultiset)
{
    constexpr int N = 1500;
    constexpr int KEYS = 600; // fewer keys than items: plenty of duplicates
    std::deque<Item> items;
    for (int i = 0; i < N; ++i)
        items.emplace_back(0, i);
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    std::multiset<int> oracle;
    std::mt19937 rng(2024);
    for (int step = 0; step < 30000; ++step) {
        Item& item = items[rng() % N];
        if (!item.m_node.is_linked()) {
            item.key = int(rng() % KEYS);
            tree.insert(item);
            oracle.insert(item.key);
        } else {
            oracle.erase(oracle.find(item.key));
            tree.remove(item);
        }
        ASSERT_EQ(tree.size(), oracle.size());
        if (step % 10 == 0 || step > 29000) {
            ASSERT_EQ(tree.validate(), nullptr) << "step " << step;
        }
        const int probe = int(rng() % (KEYS + 2)) - 1;
        auto lb = oracle.lower_bound(probe);
        auto ub = oracle.upper_bound(probe);
        Item* got_lb = tree.lower_bound(probe);
        Item* got_ub = tree.upper_bound(probe);
        Item* got_floor = tree.floor(probe);
        ASSERT_EQ(got_lb ? got_lb->key : -99, lb == oracle.end() ? -99 : *lb);
        ASSERT_EQ(got_ub ? got_ub->key : -99, ub == oracle.end() ? -99 : *ub);
        ASSERT_EQ(got_floor ? got_floor->key : -99, ub == oracle.begin() ? -99 : *std::prev(ub));
        ASSERT_EQ(tree.find(probe) != nullptr, oracle.count(probe) > 0);
        if (step % 500 == 0) {
            ASSERT_EQ(keys(tree), std::vector<int>(oracle.begin(), oracle.end()));
        }
    }
    // Walk backwards too.
    std::vector<int> backwards;
    for (Item* it = tree.last(); it; it = tree.prev(*it))
        backwards.push_back(it->key);
    EXPECT_EQ(backwards, std::vector<int>(oracle.rbegin(), oracle.rend()));
    tree.clear();
}

// The same with insert_unique against std::set.
TEST(RbTree, RandomUniqueAgainstSet)
{
    constexpr int N = 1000;
    std::deque<Item> items;
    for (int i = 0; i < N; ++i)
        items.emplace_back(0, i);
    Tree tree;
    ClearAtExit<Tree> guard{tree};
    std::set<int> oracle;
    std::mt19937 rng(99);
    for (int step = 0; step < 20000; ++step) {
        Item& item = items[rng() % N];
        if (!item.m_node.is_linked()) {
            item.key = int(rng() % 1500);
            Item* clash = tree.insert_unique(item);
            bool inserted = oracle.insert(item.key).second;
            ASSERT_EQ(clash == nullptr, inserted);
            if (clash) {
                ASSERT_EQ(clash->key, item.key);
            }
        } else {
            oracle.erase(item.key);
            tree.remove(item);
        }
        if (step % 25 == 0) {
            ASSERT_EQ(tree.validate(), nullptr);
        }
    }
    ASSERT_EQ(tree.validate(), nullptr);
    EXPECT_EQ(keys(tree), std::vector<int>(oracle.begin(), oracle.end()));
    tree.clear();
}

// Augmentation: after every insert and remove (each may rotate), every
// node's stored max and size must equal a brute-force recomputation.
TEST(RbTreeAugmented, SummariesMatchBruteForce)
{
    constexpr int N = 800;
    std::deque<Item> items;
    for (int i = 0; i < N; ++i)
        items.emplace_back(0, 0);
    AugTree tree;
    ClearAtExit<AugTree> guard{tree};
    std::mt19937 rng(7);
    for (int step = 0; step < 12000; ++step) {
        Item& item = items[rng() % N];
        if (!item.m_node.is_linked()) {
            item.key = int(rng() % 5000);
            item.value = int(rng() % 100000);
            if (rng() % 2)
                tree.insert(item);
            else
                (void)tree.insert_unique(item);
        } else if (rng() % 4 == 0) {
            item.value = int(rng() % 100000); // change a summary input in place
            tree.update_augmented(item);
        } else {
            tree.remove(item);
        }
        if (step % 7 == 0 || step < 300) {
            ASSERT_EQ(tree.validate(), nullptr);
            ASSERT_TRUE(augmented_ok(tree)) << "step " << step;
        }
    }
    ASSERT_TRUE(augmented_ok(tree));
    tree.clear();
}

// An O(log n) search guided by the summary: the first element in key order
// whose value is >= want. The VM map finds the first gap of a given size the
// same way, with "largest gap below" as the summary.
Item* first_with_value_at_least(const AugTree& tree, int want)
{
    const Item* node = tree.root();
    if (!node || node->subtree_max < want)
        return nullptr;
    for (;;) {
        const Item* left = AugTree::left(*node);
        if (left && left->subtree_max >= want)
            node = left; // the answer is on the left, which comes first
        else if (node->value >= want)
            return const_cast<Item*>(node);
        else
            node = AugTree::right(*node); // must be there: subtree_max >= want
    }
}

TEST(RbTreeAugmented, GuidedSearchMatchesLinearScan)
{
    std::deque<Item> items;
    AugTree tree;
    ClearAtExit<AugTree> guard{tree};
    std::mt19937 rng(31337);
    for (int i = 0; i < 3000; ++i)
        tree.insert(items.emplace_back(int(rng() % 100000), int(rng() % 1000000)));
    ASSERT_TRUE(augmented_ok(tree));
    for (int probe = 0; probe < 2000; ++probe) {
        const int want = int(rng() % 1100000);
        Item* expect = nullptr;
        for (Item& item : tree) {
            if (item.value >= want) {
                expect = &item;
                break;
            }
        }
        ASSERT_EQ(first_with_value_at_least(tree, want), expect) << want;
    }
    // Order statistics from the size summary: the k-th key.
    std::vector<int> sorted = keys(tree);
    for (size_t k : {size_t(0), size_t(1), size_t(1500), size_t(2999)}) {
        const Item* node = tree.root();
        size_t index = k;
        for (;;) {
            size_t left = AugTree::left(*node) ? AugTree::left(*node)->subtree_size : 0;
            if (index < left) {
                node = AugTree::left(*node);
            } else if (index == left) {
                break;
            } else {
                index -= left + 1;
                node = AugTree::right(*node);
            }
        }
        EXPECT_EQ(node->key, sorted[k]);
    }
    tree.clear();
}

// The VM map's use, in miniature: entries [start, end) in an address range;
// each entry's own contribution is the free gap after it (up to the next
// entry's start, or the end of the range), and the summary is the largest gap
// in the subtree. A neighbour's gap changes on insert and remove, so the test
// calls update_augmented() on it, as rbtree.h says a user must.
struct Range {
    Range(u64 s, u64 e) : start(s), end(e) {}
    u64 start, end;
    u64 gap_after = 0; // free space between `end` and the next entry
    u64 max_gap = 0;   // largest gap_after in this subtree (augmented)
    RbNode m_node;
};
struct ByStart {
    using Key = u64;
    static u64 key(const Range& r) { return r.start; }
    static void augment(Range& node, const Range* left, const Range* right)
    {
        node.max_gap = std::max({node.gap_after, left ? left->max_gap : 0, right ? right->max_gap : 0});
    }
};
using RangeTree = RbTree<Range, &Range::m_node, ByStart>;
constexpr u64 LIMIT = 1 << 20;

void refresh_gap(RangeTree& tree, Range* r)
{
    if (!r)
        return;
    Range* next = tree.next(*r);
    r->gap_after = (next ? next->start : LIMIT) - r->end;
    tree.update_augmented(*r);
}

// The first (lowest) entry followed by a gap of at least `size`: O(log n).
Range* first_fit(const RangeTree& tree, u64 size)
{
    const Range* node = tree.root();
    if (!node || node->max_gap < size)
        return nullptr;
    for (;;) {
        const Range* left = RangeTree::left(*node);
        if (left && left->max_gap >= size)
            node = left;
        else if (node->gap_after >= size)
            return const_cast<Range*>(node);
        else
            node = RangeTree::right(*node);
    }
}

TEST(RbTreeAugmented, FreeGapSearchLikeTheVmMap)
{
    std::deque<Range> ranges;
    RangeTree tree;
    ClearAtExit<RangeTree> guard{tree};
    std::mt19937 rng(5);
    std::vector<Range*> live;
    for (int step = 0; step < 4000; ++step) {
        if (live.empty() || rng() % 3 != 0) {
            // Map a random free spot: pick an address, fit a range there.
            u64 at = rng() % LIMIT;
            Range* before = tree.floor(at);
            Range* after = tree.upper_bound(at);
            u64 lo = before ? std::max(before->end, at) : at;
            u64 hi = after ? after->start : LIMIT;
            if (lo >= hi)
                continue;
            u64 len = 1 + rng() % std::min<u64>(hi - lo, 4096);
            Range& r = ranges.emplace_back(lo, lo + len);
            ASSERT_EQ(tree.insert_unique(r), nullptr);
            refresh_gap(tree, &r);
            refresh_gap(tree, tree.prev(r)); // its gap just shrank
            live.push_back(&r);
        } else {
            size_t i = rng() % live.size();
            Range* r = live[i];
            live.erase(live.begin() + long(i));
            Range* before = tree.prev(*r);
            tree.remove(*r);
            refresh_gap(tree, before); // its gap just grew
        }
        if (step % 50 == 0) {
            ASSERT_EQ(tree.validate(), nullptr);
            for (Range& r : tree) { // every stored gap is the true gap
                Range* next = tree.next(r);
                ASSERT_EQ(r.gap_after, (next ? next->start : LIMIT) - r.end) << "step " << step;
            }
            for (u64 size : {u64(1), u64(100), u64(5000), u64(50000), LIMIT}) {
                Range* want = nullptr;
                for (Range& r : tree) {
                    if (r.gap_after >= size) {
                        want = &r;
                        break;
                    }
                }
                ASSERT_EQ(first_fit(tree, size), want) << "step " << step << " size " << size;
            }
        }
    }
    EXPECT_GT(tree.size(), 500u); // the run really built a crowded map
}

TEST(RbTreeDeathTest, MisusePanics)
{
    EXPECT_DEATH(
        {
            Item a(1);
            Tree tree;
            tree.remove(a);
        },
        "PANIC: assertion failed");
    EXPECT_DEATH(
        {
            Item a(1);
            Tree tree;
            tree.insert(a);
            tree.insert(a);
        },
        "PANIC: assertion failed");
    EXPECT_DEATH(
        {
            Item a(1);
            Tree one;
            Tree two;
            one.insert(a);
            two.remove(a); // in a tree, but not this one
        },
        "PANIC: assertion failed");
}

} // namespace
