// kernel/base/lib/assert.h -- panic() and KASSERT, for kernel bugs only.
// A caller's mistake or a resource shortage is an Errno (see error_or.h); a
// broken invariant is a bug, and the kernel stops with "PANIC:" first on the
// console so the test runner can tell a crash from a failed test.
// In the host build (GoogleTest) panic() aborts the test binary instead.
#pragma once

#include <kernel/base/lib/types.h>

namespace kern {
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
}

#define KASSERT(cond)                                                              \
    do {                                                                           \
        if (unlikely(!(cond)))                                                     \
            ::kern::panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
    } while (0)

#define KASSERT_MSG(cond, ...)                                                     \
    do {                                                                           \
        if (unlikely(!(cond)))                                                     \
            ::kern::panic(__VA_ARGS__);                                            \
    } while (0)

#define VERIFY_NOT_REACHED() ::kern::panic("not reached at %s:%d", __FILE__, __LINE__)
