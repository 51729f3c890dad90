// tests/ktest/vm/bench_ktest.cpp -- VM micro-benchmarks (make bench; not tests).
//
// Suites named bench_* are not part of ktest=all. Each case measures one
// thing RUNS times and prints "BENCH <name> <median> <unit>" lines that
// scripts/bench.sh collects; the KEXPECTs only check that the work was done.
//   - zero-fill fault: first write to each page of a fresh anonymous region;
//   - copy-on-write fault: first write to each page after clone();
//   - clone of a map with 64 MiB of touched anonymous memory.
// Faults are taken through copy_to_user, so each includes the trap, the
// fault handler and the copy of 8 bytes.
#include <arch/pmap.h>
#include <arch/time.h>
#include <arch/usercopy.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/thread.h>
#include <vm/map.h>

using namespace vm;

namespace {

constexpr int RUNS = 5;
constexpr size_t FAULT_PAGES = 2048;         // 8 MiB per run
constexpr size_t CLONE_BYTES = 64ull << 20;  // 64 MiB

u64 median(u64* v, int n)
{
    for (int i = 1; i < n; ++i)
        for (int j = i; j > 0 && v[j - 1] > v[j]; --j) {
            u64 t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

VmMap* attach_new_space()
{
    arch::Pmap* pmap = MUST(arch::pmap_create());
    VmMap* map = MUST(VmMap::create(USER_MIN, USER_MAX, pmap));
    kern::Thread::current()->set_address_space(map, pmap);
    return map;
}

void detach_and_destroy(VmMap* map)
{
    kern::Thread::current()->set_address_space(nullptr, nullptr);
    map->destroy();
}

// Write one word to each page of [a, a + pages); returns the time in ns per page.
u64 touch_pages(uptr a, size_t pages, bool* ok)
{
    u64 start = arch::monotonic_ns();
    for (size_t i = 0; i < pages; ++i) {
        u64 v = i;
        *ok &= !arch::copy_to_user(a + i * PAGE_SIZE, &v, sizeof v).is_error();
    }
    return (arch::monotonic_ns() - start) / pages;
}

uptr map_anon(VmMap& map, size_t bytes)
{
    return MUST(map.map(0, bytes, PROT_READ | PROT_WRITE, PROT_ALL, Inherit::Copy, nullptr, 0,
                        MAP_PRIVATE));
}

} // namespace

KTEST(bench_vm, zero_fill_fault)
{
    u64 ns[RUNS];
    bool ok = true;
    for (int r = 0; r < RUNS; ++r) {
        VmMap* map = attach_new_space();
        uptr a = map_anon(*map, FAULT_PAGES * PAGE_SIZE);
        ns[r] = touch_pages(a, FAULT_PAGES, &ok);
        detach_and_destroy(map);
    }
    KEXPECT(ok);
    printk("BENCH vm.zero_fill_fault %lu ns/page\n", median(ns, RUNS));
}

KTEST(bench_vm, cow_fault)
{
    u64 ns[RUNS];
    bool ok = true;
    for (int r = 0; r < RUNS; ++r) {
        VmMap* parent = attach_new_space();
        uptr a = map_anon(*parent, FAULT_PAGES * PAGE_SIZE);
        touch_pages(a, FAULT_PAGES, &ok);
        VmMap* child = MUST(parent->clone());
        ns[r] = touch_pages(a, FAULT_PAGES, &ok);  // the parent writes: copy-on-write
        kern::Thread::current()->set_address_space(nullptr, nullptr);
        child->destroy();
        parent->destroy();
    }
    KEXPECT(ok);
    printk("BENCH vm.cow_fault %lu ns/page\n", median(ns, RUNS));
}

KTEST(bench_vm, clone_64mib)
{
    u64 ns[RUNS];
    bool ok = true;
    for (int r = 0; r < RUNS; ++r) {
        VmMap* parent = attach_new_space();
        uptr a = map_anon(*parent, CLONE_BYTES);
        touch_pages(a, CLONE_BYTES / PAGE_SIZE, &ok);
        u64 start = arch::monotonic_ns();
        VmMap* child = MUST(parent->clone());
        ns[r] = arch::monotonic_ns() - start;
        kern::Thread::current()->set_address_space(nullptr, nullptr);
        child->destroy();
        parent->destroy();
    }
    KEXPECT(ok);
    printk("BENCH vm.clone_64mib_touched %lu us\n", median(ns, RUNS) / 1000);
}
