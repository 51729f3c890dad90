// tests/ktest/vm/aobj_ktest.cpp -- the anonymous-object pager on real memory
// (suite vm_aobj).
//
// The logic is tested on the host (tests/host/vm/aobj_test.cpp); here the
// same code runs with the kernel's allocator, heap, Mutex and pmap: sparse
// objects cost only the pages touched, freeing returns every page (the
// runner checks free pages and heap bytes around each case), and a page
// freed by put_pages is unmapped from every pmap first.
#include <arch/pmap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <vm/aobj.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

using namespace vm;
using kern::MutexGuard;

namespace {

constexpr u64 MiB = 1ull << 20;

size_t free_pages() { return page_allocator().stats().free; }
u8* bytes_of(const Page& page) { return static_cast<u8*>(page_allocator().virt_of(page)); }

Page* get(AnonObject& obj, u64 offset)
{
    MutexGuard guard(obj.lock());
    return MUST(obj.get_page_locked(offset, PROT_WRITE));
}

} // namespace

KTEST(vm_aobj, zero_fill_then_the_same_page)
{
    AnonObject* obj = MUST(AnonObject::create());
    Page* page = get(*obj, 8 * PAGE_SIZE);
    bool zero = true;
    for (size_t i = 0; i < PAGE_SIZE; ++i)
        zero = zero && bytes_of(*page)[i] == 0;
    KEXPECT(zero);
    memset(bytes_of(*page), 0x3c, PAGE_SIZE);
    Page* again = get(*obj, 8 * PAGE_SIZE);
    KEXPECT_EQ(again, page);
    KEXPECT_EQ(bytes_of(*again)[PAGE_SIZE - 1], 0x3c);
    obj->detach();
}

KTEST(vm_aobj, sparse_object_costs_only_touched_pages)
{
    const u64 object_before = stats().object_pages;
    AnonObject* obj = MUST(AnonObject::create());
    const size_t before = free_pages();  // after the object's own allocation
    get(*obj, 0);
    get(*obj, 100 * MiB);
    KEXPECT_EQ(before - free_pages(), 2u);
    KEXPECT_EQ(stats().object_pages, object_before + 2);
    {
        MutexGuard guard(obj->lock());
        KEXPECT_EQ(obj->resident_pages_locked(), 2u);
        KEXPECT(obj->lookup_page_locked(50 * MiB) == nullptr);
    }
    obj->detach();
    KEXPECT_EQ(stats().object_pages, object_before);
}

KTEST(vm_aobj, put_pages_frees_a_range)
{
    AnonObject* obj = MUST(AnonObject::create());
    for (u64 i = 0; i < 64; ++i)
        get(*obj, i * PAGE_SIZE);
    const size_t before = free_pages();
    {
        MutexGuard guard(obj->lock());
        MUST(obj->put_pages_locked(16 * PAGE_SIZE, 48 * PAGE_SIZE, PUT_FREE));
        KEXPECT_EQ(obj->resident_pages_locked(), 32u);
        KEXPECT(obj->lookup_page_locked(15 * PAGE_SIZE) != nullptr);
        KEXPECT(obj->lookup_page_locked(16 * PAGE_SIZE) == nullptr);
        KEXPECT(obj->lookup_page_locked(48 * PAGE_SIZE) != nullptr);
    }
    KEXPECT_EQ(free_pages(), before + 32);
    obj->detach();  // the rest: the runner checks every page came back
}

KTEST(vm_aobj, freed_page_is_unmapped_first)
{
    arch::Pmap* pmap = MUST(arch::pmap_create());
    AnonObject* obj = MUST(AnonObject::create());
    Page* page = get(*obj, 0);
    const uptr va = 0x600000;
    MUST(arch::pmap_enter(pmap, va, page_allocator().phys_of(*page), PROT_READ, 0));
    KEXPECT_EQ(arch::pmap_mapping_count(*page), 1u);
    {
        MutexGuard guard(obj->lock());
        MUST(obj->put_pages_locked(0, PAGE_SIZE, PUT_FREE));
    }
    arch::pmap_update(pmap);
    PhysAddr pa = 0;
    KEXPECT(!arch::pmap_extract(pmap, va, &pa));
    obj->detach();
    arch::pmap_destroy(pmap);
}

KTEST(vm_aobj, references_keep_the_object_alive)
{
    AnonObject* obj = MUST(AnonObject::create());
    for (u64 i = 0; i < 100; ++i)
        get(*obj, i * 7 * PAGE_SIZE);
    obj->reference();
    obj->reference();
    obj->detach();
    obj->detach();
    KEXPECT_EQ(obj->ref_count(), 1u);
    {
        MutexGuard guard(obj->lock());
        KEXPECT_EQ(obj->resident_pages_locked(), 100u);
    }
    obj->detach();  // the last one: 100 pages and the object go (swap records: tests/host/vm/swap_test.cpp)
}
