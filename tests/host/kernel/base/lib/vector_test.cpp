// tests/host/kernel/base/lib/vector_test.cpp -- Vector (kernel/base/lib/vector.h):
// growth, moves, item lifetimes, and that a failed allocation changes nothing.
#include <kernel/base/lib/vector.h>

#include "fail_allocation.h"

#include <gtest/gtest.h>

namespace {

using kern::Errno;
using kern::Vector;

// Counts live items; movable, not copyable (as KString).
struct Item {
    static inline int live = 0;
    int value = -1;
    Item() { ++live; }
    explicit Item(int v) : value(v) { ++live; }
    Item(Item&& o) : value(o.value) { ++live; o.value = -2; }
    Item(const Item&) = delete;
    ~Item() { --live; }
};

TEST(Vector, StartsEmptyWithoutAllocating)
{
    long before = test::nothrow_allocations();
    Vector<int> v;
    EXPECT_TRUE(v.is_empty());
    EXPECT_EQ(v.size(), 0u);
    EXPECT_EQ(v.data(), nullptr);
    EXPECT_EQ(test::nothrow_allocations(), before);
}

TEST(Vector, AppendGrowsAndKeepsOrder)
{
    Vector<int> v;
    for (int i = 0; i < 1000; ++i)
        ASSERT_FALSE(v.try_append(i).is_error());
    ASSERT_EQ(v.size(), 1000u);
    EXPECT_GE(v.capacity(), 1000u);
    int expected = 0;
    for (int x : v)
        EXPECT_EQ(x, expected++);
    EXPECT_EQ(v.last(), 999);
}

TEST(Vector, ItemsAreMovedAndDestroyed)
{
    {
        Vector<Item> v;
        for (int i = 0; i < 40; ++i)
            ASSERT_FALSE(v.try_emplace(i).is_error());
        EXPECT_EQ(Item::live, 40);
        for (int i = 0; i < 40; ++i)
            EXPECT_EQ(v[i].value, i);
        Item last = v.take_last();
        EXPECT_EQ(last.value, 39);
        EXPECT_EQ(v.size(), 39u);
        Vector<Item> moved = std::move(v);
        EXPECT_TRUE(v.is_empty());
        EXPECT_EQ(moved.size(), 39u);
    }
    EXPECT_EQ(Item::live, 0);
}

TEST(Vector, AppendingOneOfItsOwnItemsWhileGrowing)
{
    Vector<int> v;
    ASSERT_FALSE(v.try_reserve(4).is_error());
    for (int i = 0; i < 4; ++i)
        ASSERT_FALSE(v.try_append(i + 10).is_error());
    ASSERT_EQ(v.size(), v.capacity());  // the next append moves everything
    ASSERT_FALSE(v.try_append(v[0]).is_error());
    EXPECT_EQ(v[4], 10);
}

TEST(Vector, ResizeValueInitializesAndShrinks)
{
    Vector<int> v;
    ASSERT_FALSE(v.try_resize(5).is_error());
    for (int x : v)
        EXPECT_EQ(x, 0);
    v[2] = 9;
    ASSERT_FALSE(v.try_resize(3).is_error());
    EXPECT_EQ(v.size(), 3u);
    EXPECT_EQ(v[2], 9);
    {
        Vector<Item> items;
        ASSERT_FALSE(items.try_resize(3).is_error());
        EXPECT_EQ(Item::live, 3);
        ASSERT_FALSE(items.try_resize(1).is_error());
        EXPECT_EQ(Item::live, 1);
        items.clear();
        EXPECT_EQ(Item::live, 0);
        EXPECT_TRUE(items.is_empty());
    }
}

TEST(Vector, AppendManyIsAllOrNothing)
{
    Vector<char> v;
    ASSERT_FALSE(v.try_append("abc", 3).is_error());
    ASSERT_FALSE(v.try_append("defgh", 5).is_error());
    EXPECT_EQ(std::string(v.data(), v.size()), "abcdefgh");
    test::FailAllocations fail(0);
    EXPECT_EQ(v.try_append(std::string(100, 'x').data(), 100).error(), Errno::ENOMEM);
    EXPECT_EQ(v.size(), 8u);
}

TEST(Vector, FailedGrowthLeavesItUnchanged)
{
    Vector<Item> v;
    ASSERT_FALSE(v.try_emplace(1).is_error());
    size_t capacity = v.capacity();
    while (v.size() < capacity)
        ASSERT_FALSE(v.try_emplace(2).is_error());
    {
        test::FailAllocations fail(0);
        auto r = v.try_emplace(3);
        ASSERT_TRUE(r.is_error());
        EXPECT_EQ(r.error(), Errno::ENOMEM);
        EXPECT_EQ(v.try_resize(capacity + 1).error(), Errno::ENOMEM);
        EXPECT_EQ(v.try_reserve(capacity * 4).error(), Errno::ENOMEM);
    }
    EXPECT_EQ(v.size(), capacity);
    EXPECT_EQ(v.capacity(), capacity);
    EXPECT_EQ(v[0].value, 1);
    EXPECT_EQ(Item::live, int(capacity));  // the item that could not be added was never made
}

TEST(Vector, AHugeSizeIsENOMEMNotAnOverflow)
{
    Vector<u64> v;
    EXPECT_EQ(v.try_reserve(~size_t(0) / 4).error(), Errno::ENOMEM);
    EXPECT_EQ(v.try_resize(~size_t(0)).error(), Errno::ENOMEM);
}

TEST(VectorDeathTest, IndexOutOfRangePanics)
{
    Vector<int> v;
    ASSERT_FALSE(v.try_append(1).is_error());
    EXPECT_DEATH((void)v[1], "PANIC: assertion failed");
    v.clear();
    EXPECT_DEATH((void)v.take_last(), "PANIC: assertion failed");
}

} // namespace
