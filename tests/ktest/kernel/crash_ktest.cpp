// tests/ktest/kernel/crash_ktest.cpp -- cases that must crash the kernel.
//
// Suites named crash_* are not part of ktest=all: each is booted on its own
// by scripts/run-crash-tests.sh, which checks that the console shows the
// report the case names (vector, registers, CR2, a symbolized backtrace).
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/assert.h>

// noinline, so the backtrace has these names in it.
[[gnu::noinline]] static void write_to_unmapped(volatile u64* p) { *p = 42; }

KTEST(crash_exception, page_fault_report)
{
    // An address in the lower half: no kernel mapping exists there.
    write_to_unmapped(reinterpret_cast<volatile u64*>(0x1000));
}

[[gnu::noinline]] static void assert_false(int x) { KASSERT(x == 0); }

KTEST(crash_panic, kassert_report)
{
    assert_false(1);
}
