// tests/host/kernel/base/lib/list_test.cpp -- IntrusiveList (kernel/base/lib/list.h).
//
// Directed tests of each operation, a randomized run against std::list as an
// oracle, and death tests for the KASSERTs that catch misuse (unlinking twice,
// destroying a linked element or a non-empty list).
#include <kernel/base/lib/list.h>

#include <gtest/gtest.h>

#include <deque>
#include <list>
#include <random>
#include <vector>

namespace {

using kern::IntrusiveList;
using kern::ListNode;

struct Item {
    explicit Item(int v = 0) : value(v) {}
    int value;
    ListNode m_node;
    ListNode m_other; // a second list the same item can be on
};

using List = IntrusiveList<Item, &Item::m_node>;
using OtherList = IntrusiveList<Item, &Item::m_other>;

std::vector<int> values(List& list)
{
    std::vector<int> out;
    for (Item& item : list)
        out.push_back(item.value);
    return out;
}

std::vector<int> values_backwards(const List& list)
{
    std::vector<int> out;
    for (Item* it = list.last(); it; it = list.prev(*it))
        out.push_back(it->value);
    return out;
}

void drain(List& list)
{
    while (!list.is_empty())
        list.take_first();
}

TEST(List, EmptyList)
{
    List list;
    EXPECT_TRUE(list.is_empty());
    EXPECT_EQ(list.size_slow(), 0u);
    EXPECT_EQ(list.first(), nullptr);
    EXPECT_EQ(list.last(), nullptr);
    EXPECT_EQ(list.begin() != list.end(), false);
}

TEST(List, PushBackAndFront)
{
    Item a(1), b(2), c(3);
    List list;
    list.push_back(b);
    list.push_front(a);
    list.push_back(c);
    EXPECT_EQ(values(list), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(values_backwards(list), (std::vector<int>{3, 2, 1}));
    EXPECT_EQ(list.first(), &a);
    EXPECT_EQ(list.last(), &c);
    EXPECT_EQ(list.next(a), &b);
    EXPECT_EQ(list.next(c), nullptr);
    EXPECT_EQ(list.prev(a), nullptr);
    EXPECT_EQ(list.size_slow(), 3u);
    drain(list);
}

TEST(List, InsertBeforeAndRemove)
{
    Item a(1), b(2), c(3), d(4);
    List list;
    list.push_back(a);
    list.push_back(c);
    list.insert_before(c, b);
    list.insert_before(a, d); // before the first: becomes the first
    EXPECT_EQ(values(list), (std::vector<int>{4, 1, 2, 3}));
    list.remove(b);
    EXPECT_FALSE(b.m_node.is_linked());
    EXPECT_FALSE(list.contains_slow(b));
    EXPECT_TRUE(list.contains_slow(c));
    EXPECT_EQ(values(list), (std::vector<int>{4, 1, 3}));
    a.m_node.unlink(); // an element can leave without naming its list
    EXPECT_EQ(values(list), (std::vector<int>{4, 3}));
    drain(list);
}

TEST(List, TakeFirstAndLast)
{
    Item a(1), b(2), c(3);
    List list;
    list.push_back(a);
    list.push_back(b);
    list.push_back(c);
    EXPECT_EQ(&list.take_first(), &a);
    EXPECT_EQ(&list.take_last(), &c);
    EXPECT_EQ(&list.take_first(), &b);
    EXPECT_TRUE(list.is_empty());
    EXPECT_FALSE(a.m_node.is_linked());
}

TEST(List, OneItemOnTwoLists)
{
    Item a(1), b(2);
    List list;
    OtherList other;
    list.push_back(a);
    list.push_back(b);
    other.push_back(b);
    other.push_back(a);
    EXPECT_EQ(values(list), (std::vector<int>{1, 2}));
    EXPECT_EQ(other.first(), &b);
    EXPECT_EQ(other.next(b), &a);
    other.remove(b);
    EXPECT_TRUE(b.m_node.is_linked()); // still on the first list
    EXPECT_EQ(list.size_slow(), 2u);
    drain(list);
    other.take_first();
}

TEST(List, ForEachSafeMayRemove)
{
    std::deque<Item> items;

    for (int i = 0; i < 10; ++i)
        items.emplace_back(i);
    List list;
    for (Item& item : items)
        list.push_back(item);
    list.for_each_safe([&](Item& item) {
        if (item.value % 2 == 0)
            list.remove(item);
    });
    EXPECT_EQ(values(list), (std::vector<int>{1, 3, 5, 7, 9}));
    list.for_each_safe([&](Item& item) { list.remove(item); });
    EXPECT_TRUE(list.is_empty());
}

TEST(List, IteratorArrow)
{
    Item a(7);
    List list;
    list.push_back(a);
    EXPECT_EQ(list.begin()->value, 7);
    (*list.begin()).value = 8;
    EXPECT_EQ(a.value, 8);
    drain(list);
}

// Random operations on the intrusive list and on std::list<int> in step.
TEST(List, RandomAgainstStdList)
{
    constexpr int N = 200;
    std::deque<Item> items;

    for (int i = 0; i < N; ++i)
        items.emplace_back(i);
    List list;
    std::list<int> oracle;
    std::mt19937 rng(12345);
    for (int step = 0; step < 20000; ++step) {
        Item& item = items[rng() % N];
        const bool linked = item.m_node.is_linked();
        switch (rng() % 5) {
        case 0:
            if (!linked) {
                list.push_back(item);
                oracle.push_back(item.value);
            }
            break;
        case 1:
            if (!linked) {
                list.push_front(item);
                oracle.push_front(item.value);
            }
            break;
        case 2:
            if (linked) {
                list.remove(item);
                oracle.remove(item.value);
            }
            break;
        case 3:
            if (!list.is_empty()) {
                EXPECT_EQ(list.take_first().value, oracle.front());
                oracle.pop_front();
            }
            break;
        case 4:
            if (!linked && !list.is_empty()) {
                Item& pos = *list.last();
                list.insert_before(pos, item);
                oracle.insert(std::prev(oracle.end()), item.value);
            }
            break;
        }
        if (step % 97 == 0) {
            ASSERT_EQ(values(list), std::vector<int>(oracle.begin(), oracle.end()));
            ASSERT_EQ(list.size_slow(), oracle.size());
        }
    }
    ASSERT_EQ(values(list), std::vector<int>(oracle.begin(), oracle.end()));
    drain(list);
}

TEST(ListDeathTest, UnlinkTwicePanics)
{
    EXPECT_DEATH(
        {
            Item a(1);
            List list;
            list.push_back(a);
            a.m_node.unlink();
            a.m_node.unlink();
        },
        "PANIC: assertion failed");
}

TEST(ListDeathTest, InsertLinkedNodePanics)
{
    EXPECT_DEATH(
        {
            Item a(1);
            List list;
            list.push_back(a);
            list.push_back(a);
        },
        "PANIC: assertion failed");
}

TEST(ListDeathTest, TakeFromEmptyPanics)
{
    EXPECT_DEATH(
        {
            List list;
            list.take_first();
        },
        "PANIC: assertion failed");
}

TEST(ListDeathTest, DestroyingNonEmptyListPanics)
{
    EXPECT_DEATH(
        {
            Item a(1);
            {
                List list;
                list.push_back(a);
            }
        },
        "PANIC: assertion failed");
}

} // namespace
