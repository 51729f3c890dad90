// kernel/base/ktest/ktest.h -- in-kernel test cases.
//
// A test case is a function registered with KTEST(suite, name); the macro
// puts a descriptor in the .ktest_cases linker section, so adding a test is
// writing it: no list to update. When the command line says ktest=all (or
// ktest=SUITE, or ktest=SUITE.CASE, comma-separated), kernel/top/main.cpp runs
// the matching cases instead of init, each in a fresh kernel thread, and
// prints one line per case:
//
//     RUN suite.case                  (before: names the case if it hangs)
//     TEST suite.case PASS
//     TEST suite.case FAIL file.cpp:42 expected a == b (3 vs 4)
//
// then "KTEST DONE passed=N failed=M" and ends QEMU (isa-debug-exit) with
// status 0 if all passed. Around every case the runner compares free pages
// and heap bytes in use: a case that leaks fails ("leaked ...").
// scripts/run-guest-tests.sh reads these lines. See docs/testing.md.
//
//   KTEST(heap, small_allocations)
//   {
//       void* p = kmalloc(16);
//       KEXPECT(p != nullptr);
//       KEXPECT_EQ(heap_stats().bytes_in_use, before + 16);
//       kfree(p);
//   }
#pragma once

#include <kernel/base/lib/types.h>

namespace kern::ktest {

class Context {
public:
    // Record a failure (the first one is reported); returns `ok`.
    bool check(bool ok, const char* file, int line, const char* fmt, ...)
        __attribute__((format(printf, 5, 6)));
    bool failed() const { return m_failed; }
    const char* message() const { return m_message; }

private:
    bool m_failed = false;
    char m_message[200] = {};
};

// The descriptors are laid end to end in .ktest_cases and walked as an array,
// so their size must equal their alignment: GCC pads 24-byte static objects
// to 32 bytes, hence 4 fields and alignas(32).
struct alignas(32) Case {
    const char* suite;
    const char* name;
    void (*fn)(Context&);
    const char* file;
};
static_assert(sizeof(Case) == 32);

// Run the cases matching `filter` ("all", "suite", "suite.case", or a
// comma-separated list). Returns the number of failed cases.
int run(const char* filter);

} // namespace kern::ktest

#define KTEST(suite, name)                                                         \
    static void ktest_fn_##suite##_##name(::kern::ktest::Context& _ktest_ctx);     \
    [[gnu::used, gnu::section(".ktest_cases")]] static const ::kern::ktest::Case   \
        ktest_case_##suite##_##name = {#suite, #name, ktest_fn_##suite##_##name, __FILE__}; \
    static void ktest_fn_##suite##_##name([[maybe_unused]] ::kern::ktest::Context& _ktest_ctx)

// Check a condition; the test goes on after a failure.
#define KEXPECT(cond) _ktest_ctx.check(!!(cond), __FILE__, __LINE__, "expected %s", #cond)

// Compare two integers (or pointers), printing both values on failure.
#define KEXPECT_EQ(a, b)                                                           \
    do {                                                                           \
        auto _ka = (a);                                                            \
        auto _kb = (b);                                                            \
        _ktest_ctx.check(_ka == _kb, __FILE__, __LINE__, "expected %s == %s (%#lx vs %#lx)", \
                         #a, #b, (unsigned long)(_ka), (unsigned long)(_kb));      \
    } while (0)

// Check, and end the test case at once on failure.
#define KREQUIRE(cond)                                                             \
    do {                                                                           \
        if (!KEXPECT(cond))                                                        \
            return;                                                                \
    } while (0)
