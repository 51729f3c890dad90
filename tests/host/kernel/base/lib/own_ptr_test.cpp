// tests/host/kernel/base/lib/own_ptr_test.cpp -- OwnPtr and make_own (kernel/base/lib/own_ptr.h).
#include <kernel/base/lib/own_ptr.h>

#include "fail_allocation.h"

#include <gtest/gtest.h>

namespace {

using kern::OwnPtr;

// Counts the live objects, so a test sees each delete happen.
struct Tracked {
    static inline int live = 0;
    int value;
    explicit Tracked(int v) : value(v) { ++live; }
    virtual ~Tracked() { --live; }
};
struct Derived : Tracked {
    using Tracked::Tracked;
};

TEST(OwnPtr, MakeOwnConstructsAndDestructorDeletes)
{
    {
        auto made = kern::make_own<Tracked>(7);
        ASSERT_FALSE(made.is_error());
        OwnPtr<Tracked> p = made.release_value();
        EXPECT_TRUE(p);
        EXPECT_EQ(p->value, 7);
        EXPECT_EQ((*p).value, 7);
        EXPECT_EQ(Tracked::live, 1);
    }
    EXPECT_EQ(Tracked::live, 0);
}

TEST(OwnPtr, MoveHandsOverOwnership)
{
    OwnPtr<Tracked> a = OwnPtr<Tracked>::adopt(new Tracked(1));
    OwnPtr<Tracked> b = std::move(a);
    EXPECT_FALSE(a);
    EXPECT_EQ(b->value, 1);
    OwnPtr<Tracked> c = OwnPtr<Tracked>::adopt(new Tracked(2));
    c = std::move(b);  // c's old object is deleted
    EXPECT_EQ(Tracked::live, 1);
    EXPECT_EQ(c->value, 1);
    c.clear();
    EXPECT_EQ(Tracked::live, 0);
    EXPECT_FALSE(c);
}

TEST(OwnPtr, LeakGivesTheObjectAway)
{
    OwnPtr<Tracked> p = OwnPtr<Tracked>::adopt(new Tracked(3));
    Tracked* raw = p.leak();
    EXPECT_FALSE(p);
    EXPECT_EQ(Tracked::live, 1);
    delete raw;
    EXPECT_EQ(Tracked::live, 0);
}

TEST(OwnPtr, ConvertsToTheBaseOwner)
{
    OwnPtr<Derived> d = OwnPtr<Derived>::adopt(new Derived(4));
    OwnPtr<Tracked> base = std::move(d);
    EXPECT_EQ(base->value, 4);
    base.clear();
    EXPECT_EQ(Tracked::live, 0);
}

TEST(OwnPtr, MakeOwnReportsENOMEM)
{
    test::FailAllocations fail(0);
    auto made = kern::make_own<Tracked>(5);
    ASSERT_TRUE(made.is_error());
    EXPECT_EQ(made.error(), kern::Errno::ENOMEM);
    EXPECT_EQ(Tracked::live, 0);  // nothing was constructed
}

// A function that owns an object and fails half-way frees it by itself.
kern::ErrorOr<int> fail_after_making()
{
    OwnPtr<Tracked> p = TRY(kern::make_own<Tracked>(6));
    if (p->value == 6)
        return kern::Errno::EINVAL;
    return p->value;
}

TEST(OwnPtr, AnEarlyReturnFrees)
{
    EXPECT_TRUE(fail_after_making().is_error());
    EXPECT_EQ(Tracked::live, 0);
}

TEST(OwnPtrDeathTest, DereferencingAnEmptyOwnerPanics)
{
    OwnPtr<Tracked> empty;
    EXPECT_DEATH((void)empty->value, "PANIC: assertion failed");
}

} // namespace
