// tests/host/kernel/base/lib/fail_allocation_test.cpp -- the nothrow operator new of the
// host tests, which can be told to fail (fail_allocation.h), and its own test.
//
// A replacement of the global operator new (C++ [replacement.functions]):
// the definitions in the test binary take the place of the C++ runtime's.
// A success goes to the plain operator new, so the block is the runtime's
// (and ASan's) and the usual operator delete frees it.
#include "fail_allocation.h"

#include <new>

#include <gtest/gtest.h>

namespace {

thread_local int t_successes_left = -1;  // -1: never fail
thread_local long t_allocations = 0;

// Should this allocation fail?
bool fail_now()
{
    ++t_allocations;
    if (t_successes_left == 0)
        return true;
    if (t_successes_left > 0)
        --t_successes_left;
    return false;
}

} // namespace

void* operator new(size_t size, const std::nothrow_t&) noexcept
{
    return fail_now() ? nullptr : ::operator new(size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept
{
    return fail_now() ? nullptr : ::operator new[](size);
}

namespace test {

FailAllocations::FailAllocations(int successes) { t_successes_left = successes; }
FailAllocations::~FailAllocations() { t_successes_left = -1; }
long nothrow_allocations() { return t_allocations; }

} // namespace test

namespace {

TEST(FailAllocation, CountsDownThenFails)
{
    long before = test::nothrow_allocations();
    {
        test::FailAllocations fail(1);
        int* first = new (std::nothrow) int(1);
        int* second = new (std::nothrow) int(2);
        EXPECT_NE(first, nullptr);
        EXPECT_EQ(second, nullptr);
        delete first;
    }
    int* after = new (std::nothrow) int(3);  // the guard is gone: succeeds again
    EXPECT_NE(after, nullptr);
    delete after;
    EXPECT_EQ(test::nothrow_allocations() - before, 3);
}

} // namespace
