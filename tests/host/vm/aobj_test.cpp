// tests/host/vm/aobj_test.cpp -- GoogleTest suite for vm::AnonObject (vm/aobj.cpp).
//
// The anonymous-object pager: zero-filled pages on first touch, the same page
// afterwards, holes that cost nothing, put_pages(PUT_FREE) over a range,
// reference/detach freeing object and pages, the swap-slot table, and ENOMEM.
// The fixture (vm_fixture.h) fills memory with 0xCC, so a page that was not
// zeroed shows, and checks pages, heap bytes and vm::stats() after each test.
#include "swap_fixture.h"  // first: the host headers before the kernel's

#include "../shim/fake_pmap.h"

#include <vm/aobj.h>

using kern::Errno;
using kern::MutexGuard;
using vm::AnonObject;
using vm::Page;
using vm::PROT_READ;
using vm::PROT_WRITE;
using vm::PUT_CLEAN;
using vm::PUT_FREE;

namespace {

constexpr u64 MiB = 1ull << 20;

class AobjTest : public vmtest::VmTest {
protected:
    static AnonObject* make() { return MUST(AnonObject::create()); }
    static Page* get(AnonObject& obj, u64 offset)
    {
        MutexGuard guard(obj.lock());
        return MUST(obj.get_page_locked(offset, PROT_WRITE));
    }
    static size_t resident(AnonObject& obj)
    {
        MutexGuard guard(obj.lock());
        return obj.resident_pages_locked();
    }
    static Page* lookup(AnonObject& obj, u64 offset)
    {
        MutexGuard guard(obj.lock());
        return obj.lookup_page_locked(offset);
    }
};

TEST_F(AobjTest, FirstGetIsAZeroFilledPageSecondGetTheSamePage)
{
    AnonObject* obj = make();
    const size_t before = free_pages();
    Page* page = get(*obj, 0);
    EXPECT_TRUE(all_bytes(*page, 0));
    EXPECT_TRUE(page->has(Page::OBJECT));
    EXPECT_TRUE(page->has(Page::DIRTY));
    EXPECT_EQ(page->m_object, obj);
    EXPECT_EQ(page->m_offset, 0u);
    EXPECT_EQ(object_pages(), 1u);
    fill(*page, 0x77);
    {
        MutexGuard guard(obj->lock());
        EXPECT_EQ(MUST(obj->get_page_locked(0, PROT_READ)), page);
    }
    EXPECT_TRUE(all_bytes(*page, 0x77));
    EXPECT_EQ(free_pages(), before - 1);
    obj->detach();
}

TEST_F(AobjTest, HolesCostNoPages)
{
    AnonObject* obj = make();
    const size_t before = free_pages();
    Page* low = get(*obj, 0);
    Page* high = get(*obj, 100 * MiB);
    EXPECT_NE(low, high);
    EXPECT_EQ(resident(*obj), 2u);
    EXPECT_EQ(free_pages(), before - 2);
    EXPECT_EQ(object_pages(), 2u);
    EXPECT_EQ(lookup(*obj, 50 * MiB), nullptr);
    EXPECT_EQ(lookup(*obj, 100 * MiB), high);
    obj->detach();
    EXPECT_EQ(free_pages(), before);
}

TEST_F(AobjTest, PutPagesFreeFreesExactlyTheRange)
{
    AnonObject* obj = make();
    for (u64 i = 0; i < 10; ++i)
        get(*obj, i * PAGE_SIZE);
    const size_t before = free_pages();
    {
        MutexGuard guard(obj->lock());
        MUST(obj->put_pages_locked(2 * PAGE_SIZE, 5 * PAGE_SIZE, PUT_FREE));
        EXPECT_EQ(obj->resident_pages_locked(), 7u);
        for (u64 i = 0; i < 10; ++i)
            EXPECT_EQ(obj->lookup_page_locked(i * PAGE_SIZE) == nullptr, i >= 2 && i < 5) << i;
        MUST(obj->put_pages_locked(0, 0, PUT_FREE));  // an empty range
        EXPECT_EQ(obj->resident_pages_locked(), 7u);
    }
    EXPECT_EQ(free_pages(), before + 3);
    EXPECT_EQ(object_pages(), 7u);
    obj->detach();
}

TEST_F(AobjTest, FreedPagesAreUnmappedFromEveryPmapFirst)
{
    arch::Pmap* p1 = MUST(arch::pmap_create());
    arch::Pmap* p2 = MUST(arch::pmap_create());
    AnonObject* obj = make();
    for (u64 i = 0; i < 4; ++i) {
        const PhysAddr pa = pages().phys_of(*get(*obj, i * PAGE_SIZE));
        MUST(arch::pmap_enter(p1, 0x400000 + i * PAGE_SIZE, pa, PROT_READ, 0));
        MUST(arch::pmap_enter(p2, 0x900000 + i * PAGE_SIZE, pa, PROT_READ | PROT_WRITE, 0));
    }
    {
        MutexGuard guard(obj->lock());
        MUST(obj->put_pages_locked(PAGE_SIZE, 3 * PAGE_SIZE, PUT_FREE));
    }
    for (u64 i = 0; i < 4; ++i) {
        const bool kept = i == 0 || i == 3;
        EXPECT_EQ(fake_pmap::lookup(p1, 0x400000 + i * PAGE_SIZE).has_value(), kept) << i;
        EXPECT_EQ(fake_pmap::lookup(p2, 0x900000 + i * PAGE_SIZE).has_value(), kept) << i;
    }
    obj->detach();  // the last reference unmaps the rest
    EXPECT_TRUE(fake_pmap::mappings(p1).empty());
    EXPECT_TRUE(fake_pmap::mappings(p2).empty());
    arch::pmap_destroy(p1);
    arch::pmap_destroy(p2);
}

TEST_F(AobjTest, PutPagesCleanAloneKeepsThePages)
{
    AnonObject* obj = make();
    get(*obj, 0);
    {
        MutexGuard guard(obj->lock());
        MUST(obj->put_pages_locked(0, 4 * PAGE_SIZE, PUT_CLEAN));
        EXPECT_EQ(obj->resident_pages_locked(), 1u);
    }
    obj->detach();
}

TEST_F(AobjTest, AFreedRangeComesBackZeroFilled)
{
    AnonObject* obj = make();
    fill(*get(*obj, PAGE_SIZE), 0x99);
    {
        MutexGuard guard(obj->lock());
        MUST(obj->put_pages_locked(0, ~u64(0), PUT_FREE));
    }
    EXPECT_TRUE(all_bytes(*get(*obj, PAGE_SIZE), 0));
    obj->detach();
}

TEST_F(AobjTest, TheLastDetachFreesTheObjectAndEveryPage)
{
    const size_t before = free_pages();
    AnonObject* obj = make();
    for (u64 i = 0; i < 20; ++i)
        get(*obj, i * 3 * PAGE_SIZE);
    obj->reference();  // a second user (a mapping of a tmpfs file, say)
    obj->detach();
    EXPECT_EQ(obj->ref_count(), 1u);
    EXPECT_EQ(resident(*obj), 20u);
    obj->detach();  // ASan would report the object or a record if they leaked
    EXPECT_EQ(free_pages(), before);
    EXPECT_EQ(object_pages(), 0u);
}

// The slot table with slots from a swap device (swap_fixture.h checks that
// every slot is free again after each test).
using AobjSwapTest = vmtest::SwapTest;

TEST_F(AobjSwapTest, SwapSlotTable)
{
    AnonObject* obj = MUST(AnonObject::create());
    size_t got = 0;
    const u32 a = vm::swap_allocate(1, &got), b = vm::swap_allocate(1, &got), c = vm::swap_allocate(1, &got);
    {
        MutexGuard guard(obj->lock());
        EXPECT_EQ(obj->swap_slot_locked(0), 0u);
        MUST(obj->set_swap_slot_locked(4 * PAGE_SIZE, a));
        MUST(obj->set_swap_slot_locked(1000 * MiB, b));
        EXPECT_EQ(obj->swap_slot_locked(4 * PAGE_SIZE), a);
        EXPECT_EQ(obj->swap_slot_locked(1000 * MiB), b);
        EXPECT_EQ(obj->swap_slot_locked(5 * PAGE_SIZE), 0u);
        MUST(obj->set_swap_slot_locked(4 * PAGE_SIZE, c));   // overwrite: a is the caller's again
        EXPECT_EQ(obj->swap_slot_locked(4 * PAGE_SIZE), c);
        MUST(obj->set_swap_slot_locked(4 * PAGE_SIZE, 0));   // forget: c is the caller's again
        EXPECT_EQ(obj->swap_slot_locked(4 * PAGE_SIZE), 0u);
        MUST(obj->set_swap_slot_locked(8 * PAGE_SIZE, 0));   // forget what is not there
    }
    vm::swap_free(a);
    vm::swap_free(c);
    obj->detach();  // frees b with its record
}

TEST_F(AobjSwapTest, PutPagesFreeForgetsAndFreesSwapSlotsInTheRange)
{
    AnonObject* obj = MUST(AnonObject::create());
    u32 slots[8];
    {
        MutexGuard guard(obj->lock());
        for (u64 i = 0; i < 8; ++i) {
            size_t got = 0;
            slots[i] = vm::swap_allocate(1, &got);
            MUST(obj->set_swap_slot_locked(i * PAGE_SIZE, slots[i]));
        }
        MUST(obj->put_pages_locked(3 * PAGE_SIZE, 6 * PAGE_SIZE, PUT_FREE));
        for (u64 i = 0; i < 8; ++i)
            EXPECT_EQ(obj->swap_slot_locked(i * PAGE_SIZE), (i >= 3 && i < 6) ? 0u : slots[i]) << i;
        EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES - 5);
        MUST(obj->put_pages_locked(0, ~u64(0), PUT_FREE));  // to the very end
        EXPECT_EQ(obj->swap_slot_locked(7 * PAGE_SIZE), 0u);
    }
    obj->detach();
}

TEST_F(AobjTest, GetFailsCleanlyWithoutMemory)
{
    AnonObject* obj = make();
    get(*obj, 0);
    exhaust_memory();
    {
        MutexGuard guard(obj->lock());
        auto page = obj->get_page_locked(PAGE_SIZE, PROT_WRITE);
        ASSERT_TRUE(page.is_error());
        EXPECT_EQ(page.error(), Errno::ENOMEM);
        EXPECT_EQ(obj->resident_pages_locked(), 1u);
        EXPECT_NE(MUST(obj->get_page_locked(0, PROT_READ)), nullptr);  // a hit needs no memory
    }
    EXPECT_EQ(object_pages(), 1u);
    give_back_memory();
    obj->detach();
}

// A budget of 3 pages: every page the object makes is charged (a get, an
// install of a filled page), refused with ENOSPC past the limit, and given
// back when freed -- by put_pages and by the last detach.
struct CountingBudget final : vm::PageBudget {
    size_t used = 0, limit = 3;
    bool charge(size_t pages) override
    {
        if (used + pages > limit)
            return false;
        used += pages;
        return true;
    }
    void uncharge(size_t pages) override { used -= pages; }
};

TEST_F(AobjTest, PagesAreChargedToTheBudgetAndGivenBack)
{
    CountingBudget budget;
    AnonObject* obj = make();
    {
        MutexGuard guard(obj->lock());
        obj->set_budget_locked(&budget);
    }
    get(*obj, 0);
    get(*obj, PAGE_SIZE);
    get(*obj, 0);  // a hit costs nothing
    EXPECT_EQ(budget.used, 2u);
    Page* filled = MUST(pages().allocate());
    {
        MutexGuard guard(obj->lock());
        MUST(obj->install_filled_page_locked(*filled, 2 * PAGE_SIZE));
        EXPECT_EQ(budget.used, 3u);
        auto over = obj->get_page_locked(3 * PAGE_SIZE, PROT_READ);
        ASSERT_TRUE(over.is_error());
        EXPECT_EQ(over.error(), Errno::ENOSPC);
        Page* another = MUST(pages().allocate());
        EXPECT_EQ(obj->install_filled_page_locked(*another, 4 * PAGE_SIZE).error(), Errno::ENOSPC);
        pages().free(another);  // refused: still the caller's
        EXPECT_EQ(obj->resident_pages_locked(), 3u);
        MUST(obj->put_pages_locked(PAGE_SIZE, 2 * PAGE_SIZE, PUT_FREE));
        EXPECT_EQ(budget.used, 2u);
    }
    obj->detach();  // the last reference: the rest go back too
    EXPECT_EQ(budget.used, 0u);
}

using AobjDeathTest = AobjTest;

TEST_F(AobjDeathTest, PutPagesFreeOfAWiredPagePanics)
{
    AnonObject* obj = make();
    Page* page = get(*obj, 0);
    {
        MutexGuard guard(obj->lock());
        page->m_wire_count = 1;
        EXPECT_DEATH((void)obj->put_pages_locked(0, PAGE_SIZE, PUT_FREE), "PANIC: object page at 0 freed while wired");
        page->m_wire_count = 0;
    }
    obj->detach();
}

} // namespace
