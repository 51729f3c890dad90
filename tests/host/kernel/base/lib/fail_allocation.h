// tests/host/kernel/base/lib/fail_allocation.h -- make the heap "run out" on purpose.
//
// The owning types (kernel/base/lib/own_ptr.h, vector.h, kstring.h,
// kbuffer.h) allocate with `operator new(size, std::nothrow)`. The host test
// binary replaces that operator (fail_allocation_test.cpp) with one that
// fails -- returns nullptr, as the kernel's does when the heap is short --
// once a countdown runs out, so a test can check the ENOMEM path:
//
//   FailAllocations fail(1);           // the 2nd nothrow allocation from now fails
//   EXPECT_TRUE(v.try_append(x).is_error());
//
// Only the nothrow forms are replaced; plain `new` (GoogleTest's, the
// standard library's) is untouched. The countdown is per thread.
#pragma once

namespace test {

// While it lives, nothrow allocations succeed `successes` more times, then fail.
class FailAllocations {
public:
    explicit FailAllocations(int successes);
    ~FailAllocations();
    FailAllocations(const FailAllocations&) = delete;
    FailAllocations& operator=(const FailAllocations&) = delete;
};

// How many nothrow allocations have been made (a test compares two counts).
long nothrow_allocations();

} // namespace test
