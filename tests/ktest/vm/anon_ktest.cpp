// tests/ktest/vm/anon_ktest.cpp -- anons and amaps on real memory (suite vm_anon).
//
// The host suites (tests/host/vm/anon_test.cpp, amap_test.cpp) test the logic;
// these cases run the same code in the kernel: pages reached through the real
// direct map, the real heap behind the amap arrays, the real pmap's reverse
// map behind pmap_page_protect, and a real Mutex. The runner's leak check
// (free pages, heap bytes around each case) catches anything not freed; each
// case also checks that vm::stats().anon_pages comes back.
#include <arch/pmap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <vm/amap.h>
#include <vm/anon.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

using namespace vm;
using kern::MutexGuard;

namespace {

u8* bytes_of(const Page& page) { return static_cast<u8*>(page_allocator().virt_of(page)); }

bool page_is(const Page& page, u8 value)
{
    const u8* p = bytes_of(page);
    for (size_t i = 0; i < PAGE_SIZE; ++i)
        if (p[i] != value)
            return false;
    return true;
}

// Fill slots [0, n) of `amap` with new anons whose pages hold their slot number.
bool populate(Amap& amap, size_t n)
{
    MutexGuard guard(amap.lock());
    for (size_t i = 0; i < n; ++i) {
        auto anon = Anon::create_zeroed();
        if (anon.is_error())
            return false;
        memset(bytes_of(*anon.value()->m_page), int(i & 0xff), PAGE_SIZE);
        amap.add_locked(i, *anon.value());
    }
    return true;
}

} // namespace

KTEST(vm_anon, create_zeroed_is_zero)
{
    const u64 anon_before = stats().anon_pages;
    // Dirty a frame and give it back, so the anon's frame is likely not pristine.
    Page* dirty = MUST(page_allocator().allocate());
    memset(bytes_of(*dirty), 0xa5, PAGE_SIZE);
    page_allocator().free(dirty);
    Anon* anon = MUST(Anon::create_zeroed());
    KEXPECT(page_is(*anon->m_page, 0));
    KEXPECT(anon->m_page->has(Page::ANON));
    KEXPECT_EQ(anon->m_page->m_anon, anon);
    KEXPECT_EQ(stats().anon_pages, anon_before + 1);
    anon->unref_locked();
    KEXPECT_EQ(stats().anon_pages, anon_before);
}

KTEST(vm_anon, copy_keeps_the_bytes_written_through_the_direct_map)
{
    Anon* original = MUST(Anon::create_zeroed());
    u8* src = bytes_of(*original->m_page);
    for (size_t i = 0; i < PAGE_SIZE; ++i)
        src[i] = u8(i * 13 + 1);
    Anon* copy = MUST(Anon::create_copy(*original->m_page));
    KEXPECT(copy->m_page != original->m_page);
    KEXPECT_EQ(memcmp(bytes_of(*copy->m_page), src, PAGE_SIZE), 0);
    bytes_of(*copy->m_page)[100] = 0;  // private: the original is not touched
    KEXPECT_EQ(src[100], u8(100 * 13 + 1));
    original->unref_locked();
    KEXPECT_EQ(bytes_of(*copy->m_page)[101], u8(101 * 13 + 1));
    copy->unref_locked();
}

KTEST(vm_anon, last_unref_unmaps_the_page_everywhere)
{
    arch::Pmap* pmap = MUST(arch::pmap_create());
    Anon* anon = MUST(Anon::create_zeroed());
    const uptr va1 = 0x400000, va2 = 0x800000;
    const PhysAddr pa = page_allocator().phys_of(*anon->m_page);
    MUST(arch::pmap_enter(pmap, va1, pa, PROT_READ, 0));
    MUST(arch::pmap_enter(pmap, va2, pa, PROT_READ | PROT_WRITE, 0));
    KEXPECT_EQ(arch::pmap_mapping_count(*anon->m_page), 2u);
    anon->m_ref_count = 2;
    anon->unref_locked();  // still referenced: still mapped
    PhysAddr found = 0;
    KEXPECT(arch::pmap_extract(pmap, va1, &found) && found == pa);
    anon->unref_locked();  // freed: no mapping may survive
    arch::pmap_update(pmap);
    KEXPECT(!arch::pmap_extract(pmap, va1, &found));
    KEXPECT(!arch::pmap_extract(pmap, va2, &found));
    arch::pmap_destroy(pmap);
}

KTEST(vm_anon, unmapping_the_middle_frees_only_the_middle)
{
    const u64 anon_before = stats().anon_pages;
    Amap* amap = MUST(Amap::create(96));
    KREQUIRE(populate(*amap, 96));
    {
        MutexGuard guard(amap->lock());
        amap->split_ref_locked();  // [0,32) [32,64) [64,96)
        amap->split_ref_locked();
    }
    const size_t free_before = page_allocator().stats().free;
    amap->unref(32, 32);
    KEXPECT_EQ(page_allocator().stats().free, free_before + 32);
    KEXPECT_EQ(stats().anon_pages, anon_before + 64);
    {
        MutexGuard guard(amap->lock());
        KEXPECT(amap->lookup_locked(40) == nullptr);
        KEXPECT(page_is(*amap->lookup_locked(64)->m_page, 64));
        KEXPECT(page_is(*amap->lookup_locked(31)->m_page, 31));
    }
    amap->unref(0, 32);
    amap->unref(64, 32);
    KEXPECT_EQ(stats().anon_pages, anon_before);
}

KTEST(vm_anon, copies_share_anons_and_the_lock)
{
    const u64 anon_before = stats().anon_pages;
    Amap* parent = MUST(Amap::create(16));
    KREQUIRE(populate(*parent, 16));
    Amap* child = nullptr;
    {
        MutexGuard guard(parent->lock());
        child = MUST(Amap::copy_locked(*parent, 4, 8));
        KEXPECT(&child->lock() == &parent->lock());
        KEXPECT_EQ(child->lookup_locked(0), parent->lookup_locked(4));
        KEXPECT_EQ(child->lookup_locked(0)->m_ref_count, 2u);
        KEXPECT_EQ(parent->lookup_locked(0)->m_ref_count, 1u);
    }
    KEXPECT_EQ(stats().anon_pages, anon_before + 16);  // shared, not copied
    parent->unref(0, 16);  // the child keeps 8 pages and the lock
    KEXPECT_EQ(stats().anon_pages, anon_before + 8);
    {
        MutexGuard guard(child->lock());
        KEXPECT(page_is(*child->lookup_locked(7)->m_page, 11));
    }
    child->unref(0, 8);
    KEXPECT_EQ(stats().anon_pages, anon_before);
}

KTEST(vm_anon, a_large_amap_frees_every_page)
{
    constexpr size_t SLOTS = 2048;  // 16 KiB of slot pointers: a page run
    Amap* amap = MUST(Amap::create(SLOTS));
    {
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < SLOTS; i += 3)
            amap->add_locked(i, *MUST(Anon::create_zeroed()));
        KEXPECT_EQ(amap->used_slots_locked(), (SLOTS + 2) / 3);
    }
    amap->unref(0, SLOTS);  // the runner checks that every page came back
}
