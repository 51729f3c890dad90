// tests/ktest/vm/map_ktest.cpp -- the VM system on real page tables.
//
// Each case builds a user address space (VmMap + pmap), attaches it to the
// test thread, and touches it through copy_to_user / copy_from_user, which
// go through real page faults and the fault handler; a fault the handler
// refuses comes back as EFAULT (fault recovery). The runner's leak check
// (free pages, heap bytes) verifies that destroying the map frees everything.
#include <arch/pmap.h>
#include <arch/usercopy.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/sched/thread.h>
#include <vm/aobj.h>
#include <vm/kmem.h>
#include <vm/map.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

using namespace vm;
using kern::Errno;

namespace {

constexpr Prot RW = PROT_READ | PROT_WRITE;

// A user address space attached to the current thread for the scope.
class TestSpace {
public:
    TestSpace()
    {
        arch::Pmap* pmap = MUST(arch::pmap_create());
        m_map = MUST(VmMap::create(USER_MIN, USER_MAX, pmap));
        kern::Thread::current()->set_address_space(m_map, pmap);
    }
    ~TestSpace()
    {
        detach();
        m_map->destroy();
    }
    void attach() { kern::Thread::current()->set_address_space(m_map, m_map->pmap()); }
    static void detach() { kern::Thread::current()->set_address_space(nullptr, nullptr); }
    VmMap& map() { return *m_map; }
    // Take ownership of another map (a clone) for cleanup.
    VmMap* m_map;
};

uptr map_anon(VmMap& map, size_t bytes, Prot prot = RW, u32 flags = MAP_PRIVATE)
{
    return MUST(map.map(0, bytes, prot, PROT_ALL, Inherit::Copy, nullptr, 0, flags));
}

bool write_u64(uptr va, u64 v) { return !arch::copy_to_user(va, &v, sizeof v).is_error(); }

// Returns the value, or ~0 if the read faulted.
u64 read_u64(uptr va)
{
    u64 v;
    return arch::copy_from_user(&v, va, sizeof v).is_error() ? ~0ull : v;
}

PhysAddr phys_at(VmMap& map, uptr va)
{
    PhysAddr pa = 0;
    return arch::pmap_extract(map.pmap(), va, &pa) ? pa : 0;
}

} // namespace

KTEST(vm_map, touch_and_unmap)
{
    TestSpace space;
    u64 zero_fills = stats().faults_zero_fill;
    uptr a = map_anon(space.map(), 16 * PAGE_SIZE);
    KEXPECT(a >= USER_MIN);
    KEXPECT_EQ(read_u64(a + 5 * PAGE_SIZE), 0u);  // zero-fill on first touch
    for (int i = 0; i < 16; ++i)
        KEXPECT(write_u64(a + i * PAGE_SIZE + 8, 1000 + i));
    for (int i = 0; i < 16; ++i)
        KEXPECT_EQ(read_u64(a + i * PAGE_SIZE + 8), u64(1000 + i));
    KEXPECT_EQ(stats().faults_zero_fill - zero_fills, 16u);
    KEXPECT(space.map().validate() == nullptr);
    MUST(space.map().unmap(a, 16 * PAGE_SIZE));
    KEXPECT_EQ(read_u64(a), ~0ull);  // unmapped: EFAULT through fault recovery
    KEXPECT_EQ(phys_at(space.map(), a), 0u);
}

KTEST(vm_map, protect_faults)
{
    TestSpace space;
    uptr a = map_anon(space.map(), 4 * PAGE_SIZE);
    KEXPECT(write_u64(a, 7));
    MUST(space.map().protect(a, 4 * PAGE_SIZE, PROT_READ));
    KEXPECT(!write_u64(a, 8));                 // read-only: the write faults
    KEXPECT(!write_u64(a + PAGE_SIZE, 8));     // also where nothing was present yet
    KEXPECT_EQ(read_u64(a), 7u);
    MUST(space.map().protect(a, PAGE_SIZE, PROT_NONE));
    KEXPECT_EQ(read_u64(a), ~0ull);
    MUST(space.map().protect(a, 4 * PAGE_SIZE, RW));
    KEXPECT(write_u64(a, 9));
    KEXPECT_EQ(read_u64(a), 9u);
    // Beyond the maximum protection, and over a hole.
    uptr ro = MUST(space.map().map(0, PAGE_SIZE, PROT_READ, PROT_READ, Inherit::Copy, nullptr, 0, MAP_PRIVATE));
    KEXPECT(space.map().protect(ro, PAGE_SIZE, RW).error() == Errno::EACCES);
    KEXPECT(space.map().protect(a, 64 * PAGE_SIZE, RW).error() == Errno::ENOMEM);
    KEXPECT(space.map().validate() == nullptr);
}

KTEST(vm_map, partial_unmap_frees_pages)
{
    TestSpace space;
    uptr a = map_anon(space.map(), 8 * PAGE_SIZE);
    for (int i = 0; i < 8; ++i)
        write_u64(a + i * PAGE_SIZE, i);
    u64 anon_before = stats().anon_pages;
    MUST(space.map().unmap(a + 2 * PAGE_SIZE, 3 * PAGE_SIZE));  // the middle
    KEXPECT_EQ(anon_before - stats().anon_pages, 3u);           // freed at once
    KEXPECT_EQ(space.map().entry_count(), 2u);
    KEXPECT_EQ(read_u64(a + 7 * PAGE_SIZE), 7u);
    KEXPECT_EQ(read_u64(a + 1 * PAGE_SIZE), 1u);
    KEXPECT_EQ(read_u64(a + 3 * PAGE_SIZE), ~0ull);
}

KTEST(vm_map, clone_copy_on_write)
{
    TestSpace parent;
    constexpr int N = 8;
    uptr a = map_anon(parent.map(), N * PAGE_SIZE);
    for (int i = 0; i < N; ++i)
        write_u64(a + i * PAGE_SIZE, 0xa000 + i);
    VmMap* child = MUST(parent.map().clone());
    u64 promotes = stats().faults_cow_promote;

    kern::Thread::current()->set_address_space(child, child->pmap());
    for (int i = 0; i < N; ++i)
        KEXPECT_EQ(read_u64(a + i * PAGE_SIZE), u64(0xa000 + i));  // the child sees the parent's data
    KEXPECT(write_u64(a, 0xc0));                                  // child writes page 0
    parent.attach();
    KEXPECT_EQ(read_u64(a), 0xa000u);                              // parent unchanged
    KEXPECT(write_u64(a + PAGE_SIZE, 0xb1));                       // parent writes page 1
    kern::Thread::current()->set_address_space(child, child->pmap());
    KEXPECT_EQ(read_u64(a), 0xc0u);
    KEXPECT_EQ(read_u64(a + PAGE_SIZE), 0xa001u);                  // child unchanged
    parent.attach();
    KEXPECT_EQ(stats().faults_cow_promote - promotes, 2u);
    // Untouched pages 2..7 are still one physical page each, shared.
    int shared = 0;
    for (int i = 0; i < N; ++i)
        if (phys_at(parent.map(), a + i * PAGE_SIZE) == phys_at(*child, a + i * PAGE_SIZE))
            ++shared;
    KEXPECT_EQ(shared, N - 2);
    TestSpace::detach();
    child->destroy();
    parent.attach();
    KEXPECT_EQ(read_u64(a + 5 * PAGE_SIZE), 0xa005u);  // parent intact after the child goes
    KEXPECT(write_u64(a + 5 * PAGE_SIZE, 1));          // and writable again
}

KTEST(vm_map, inherit_share_and_none)
{
    TestSpace parent;
    uptr shared = map_anon(parent.map(), PAGE_SIZE);
    uptr gone = map_anon(parent.map(), PAGE_SIZE);
    MUST(parent.map().set_inherit(shared, PAGE_SIZE, Inherit::Share));
    MUST(parent.map().set_inherit(gone, PAGE_SIZE, Inherit::None));
    write_u64(shared, 1);
    VmMap* child = MUST(parent.map().clone());
    kern::Thread::current()->set_address_space(child, child->pmap());
    KEXPECT(write_u64(shared, 2));
    KEXPECT_EQ(read_u64(gone), ~0ull);  // not inherited
    parent.attach();
    KEXPECT_EQ(read_u64(shared), 2u);   // the child's write is visible
    TestSpace::detach();
    child->destroy();
}

KTEST(vm_map, object_shared_and_private)
{
    TestSpace space;
    AnonObject* obj = MUST(AnonObject::create());
    obj->reference();  // one for each mapping below
    uptr s = MUST(space.map().map(0, 2 * PAGE_SIZE, RW, PROT_ALL, Inherit::Share, obj, 0, 0));
    uptr p = MUST(space.map().map(0, 2 * PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, obj, 0, MAP_PRIVATE));
    KEXPECT(write_u64(s, 42));                   // through the shared mapping: reaches the object
    KEXPECT_EQ(read_u64(p), 42u);                // the private mapping reads the object's page
    KEXPECT(write_u64(p, 43));                   // private write: copied into an anon
    KEXPECT_EQ(read_u64(s), 42u);                // the object is unchanged
    KEXPECT_EQ(read_u64(p), 43u);
    KEXPECT(phys_at(space.map(), s) != phys_at(space.map(), p));
    MUST(space.map().unmap(s, 2 * PAGE_SIZE));
    MUST(space.map().unmap(p, 2 * PAGE_SIZE));
}

KTEST(vm_map, wire_faults_in_now)
{
    TestSpace space;
    uptr a = map_anon(space.map(), 4 * PAGE_SIZE);
    u64 wired = stats().wired_pages;
    KEXPECT_EQ(phys_at(space.map(), a), 0u);
    MUST(space.map().wire(a, 4 * PAGE_SIZE, PROT_READ));
    KEXPECT(phys_at(space.map(), a + 3 * PAGE_SIZE) != 0);
    KEXPECT_EQ(stats().wired_pages - wired, 4u);
    MUST(space.map().unwire(a, 4 * PAGE_SIZE));
    KEXPECT_EQ(stats().wired_pages, wired);
    MUST(space.map().wire(a, 2 * PAGE_SIZE, PROT_READ));  // unmapped while wired
    MUST(space.map().unmap(a, 4 * PAGE_SIZE));
    KEXPECT_EQ(stats().wired_pages, wired);
}

KTEST(vm_map, sparse_mapping_is_cheap)
{
    TestSpace space;
    size_t free_before = page_allocator().stats().free;
    uptr a = map_anon(space.map(), 1ull << 30);  // 1 GiB
    KEXPECT(write_u64(a, 1));
    KEXPECT(write_u64(a + (512ull << 20), 2));
    KEXPECT(write_u64(a + (1ull << 30) - 8, 3));
    size_t used = free_before - page_allocator().stats().free;
    KEXPECT(used < 64);  // 3 data pages + page tables + small amaps
    KEXPECT_EQ(read_u64(a + (512ull << 20)), 2u);
    KEXPECT(space.map().validate() == nullptr);
}

KTEST(vm_map, bad_requests)
{
    TestSpace space;
    VmMap& m = space.map();
    KEXPECT(m.map(0, 0, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE).error() == Errno::EINVAL);
    KEXPECT(m.map(0x123, PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE | MAP_FIXED).error() == Errno::EINVAL);
    KEXPECT(m.map(0, PAGE_SIZE, RW, PROT_READ, Inherit::Copy, nullptr, 0, MAP_PRIVATE).error() == Errno::EINVAL);
    KEXPECT(m.map(0, USER_MAX, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE).error() == Errno::ENOMEM);
    uptr a = map_anon(m, PAGE_SIZE);
    KEXPECT(m.map(a, PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE | MAP_FIXED | MAP_NOREPLACE).error() == Errno::EEXIST);
    KEXPECT(m.unmap(a + 1, PAGE_SIZE).error() == Errno::EINVAL);
    KEXPECT(m.unmap(USER_MAX, PAGE_SIZE).error() == Errno::EINVAL);
    KEXPECT(!m.unmap(a + 100 * PAGE_SIZE, PAGE_SIZE).is_error());  // a hole: fine
    KEXPECT(m.validate() == nullptr);
}

KTEST(vm_kmem, pageable_and_wired)
{
    void* p = MUST(kmem_alloc_pageable(1 << 20));
    auto* words = static_cast<volatile u64*>(p);
    words[0] = 1;                       // a kernel page fault, resolved by the kernel map
    words[(1 << 20) / 8 - 1] = 2;
    KEXPECT_EQ(words[0] + words[(1 << 20) / 8 - 1], 3u);
    void* w = MUST(kmem_alloc_wired(3 * PAGE_SIZE));
    PhysAddr pa = 0;
    KEXPECT(arch::pmap_extract(arch::pmap_kernel(), reinterpret_cast<uptr>(w) + 2 * PAGE_SIZE, &pa));
    memset(w, 0x5a, 3 * PAGE_SIZE);
    KEXPECT_EQ(static_cast<u8*>(w)[3 * PAGE_SIZE - 1], 0x5au);
    kmem_free(w, 3 * PAGE_SIZE);
    kmem_free(p, 1 << 20);
}

KTEST(vm_map, destroy_frees_page_tables)
{
    // The runner's leak check leaves page-table pages out (the kernel map
    // keeps its tables); a user address space must give all of its back.
    size_t tables = arch::pmap_table_pages();
    {
        TestSpace space;
        uptr a = map_anon(space.map(), 64ull << 20);
        for (uptr off = 0; off < (64ull << 20); off += (2ull << 20))
            write_u64(a + off, off);
        KEXPECT(arch::pmap_table_pages() > tables);
    }
    KEXPECT_EQ(arch::pmap_table_pages(), tables);
}
