// tests/host/vm/swap_test.cpp -- GoogleTest suite for swap: slots, page-out and page-in (vm/swap.cpp, vm/pageout.cpp).
//
// What is checked:
//   - SwapSlots: runs, next-fit order, short runs when fragmented, bad
//     pages, exhaustion;
//   - swap_on / swap_off: their errnos; swap_off reading every page back;
//   - the page daemon's pass (pageout_scan) over anons and anonymous
//     objects: pages written to swap in clusters (one request per run),
//     freed, read back on the next touch with every byte intact, slots
//     freed when the page comes back or its owner dies;
//   - a failing device (EIO): pages stay resident, nothing is lost;
//   - no swap at all: the scan frees nothing and unmaps nothing.
// The fixture (swap_fixture.h) checks that no slot leaked after each test.
#include "swap_fixture.h"  // first: the host headers before the kernel's

#include "../shim/fake_pmap.h"

#include <vector>
#include <vm/amap.h>
#include <vm/aobj.h>
#include <vm/pageout.h>
#include <vm/pageq.h>

using kern::Bitmap;
using kern::MutexGuard;
using vm::Amap;
using vm::Anon;
using vm::AnonObject;
using vm::Page;
using vm::SwapSlots;

namespace {

// ---- SwapSlots ---------------------------------------------------------------------

struct Slots {
    explicit Slots(size_t n) : words(Bitmap::words_for(n)) { s.init(words.data(), n); }
    std::vector<Bitmap::Word> words;
    SwapSlots s;
};

TEST(SwapSlotsTest, RunsComeInOrderFromTheCursor)
{
    Slots t(100);
    size_t got = 0;
    EXPECT_EQ(t.s.allocate(16, &got), 0u);
    EXPECT_EQ(got, 16u);
    EXPECT_EQ(t.s.allocate(16, &got), 16u);
    EXPECT_EQ(t.s.allocate(1, &got), 32u);
    EXPECT_EQ(t.s.used(), 33u);
    t.s.free(0, 16);  // behind the cursor: next-fit does not go back yet
    EXPECT_EQ(t.s.allocate(4, &got), 33u);
    EXPECT_EQ(t.s.used(), 21u);
}

TEST(SwapSlotsTest, AShortRunWhenNoWholeRunIsFree)
{
    Slots t(20);
    size_t got = 0;
    EXPECT_EQ(t.s.allocate(20, &got), 0u);
    t.s.free(3, 2);
    t.s.free(10, 3);
    EXPECT_EQ(t.s.allocate(8, &got), 3u);  // the cursor wrapped; the first free slot
    EXPECT_EQ(got, 2u);
    EXPECT_EQ(t.s.allocate(8, &got), 10u);
    EXPECT_EQ(got, 3u);
    EXPECT_EQ(t.s.allocate(1, &got), SwapSlots::NPOS);
    EXPECT_EQ(t.s.in_use(), 20u);
}

TEST(SwapSlotsTest, BadPagesAreNeverHandedOut)
{
    Slots t(8);
    t.s.mark_bad(2);
    t.s.mark_bad(2);  // twice: counted once
    t.s.mark_bad(99); // outside: ignored
    size_t got = 0;
    std::vector<size_t> seen;
    for (size_t start; (start = t.s.allocate(1, &got)) != SwapSlots::NPOS;)
        seen.push_back(start);
    EXPECT_EQ(seen.size(), 7u);
    for (size_t s : seen)
        EXPECT_NE(s, 2u);
    EXPECT_EQ(t.s.in_use(), 7u);
    EXPECT_EQ(t.s.used(), 8u);
}

// ---- the device table ------------------------------------------------------------------

using SwapDeviceTest = vmtest::SwapTest;

TEST_F(SwapDeviceTest, SwapOnTwiceIsEbusyAndZeroPagesEinval)
{
    EXPECT_EQ(vm::swap_on(*m_swap, 1, 10, nullptr, 0).error(), kern::Errno::EBUSY);
    vmtest::MemorySwap other(4);
    EXPECT_EQ(vm::swap_on(other, 1, 0, nullptr, 0).error(), kern::Errno::EINVAL);
    EXPECT_EQ(vm::swap_off(other).error(), kern::Errno::EINVAL);  // not on
    EXPECT_EQ(vm::swap_totals().devices, 1u);
}

TEST_F(SwapDeviceTest, SlotNumbersNeverZeroAndFreedSlotsComeBack)
{
    size_t got = 0;
    const u32 slot = vm::swap_allocate(16, &got);
    EXPECT_NE(slot, 0u);
    EXPECT_EQ(got, 16u);
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES - 16);
    vm::swap_free(slot, 16);
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES);
}

// ---- page-out and page-in -----------------------------------------------------------

class PageoutTest : public vmtest::SwapTest {
protected:
    // An amap of `n` slots, each holding a fresh anon whose page is filled
    // with a byte made from its index.
    Amap* anons(size_t n)
    {
        Amap* amap = MUST(Amap::create(n));
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < n; ++i) {
            Anon* anon = MUST(Anon::create_zeroed());
            fill(*anon->m_page, pattern(i));
            amap->add_locked(i, *anon);
        }
        return amap;
    }
    static u8 pattern(size_t i) { return u8(i * 7 + 1); }
    static size_t resident_anons(Amap& amap)
    {
        MutexGuard guard(amap.lock());
        size_t n = 0;
        for (size_t i = 0; i < amap.slot_count(); ++i)
            n += amap.lookup_locked(i)->m_page != nullptr;
        return n;
    }
};

TEST_F(PageoutTest, AnonPagesGoToSwapInClustersAndComeBackIntact)
{
    Amap* amap = anons(40);
    const size_t free_before = free_pages();
    vm::ScanResult r = vm::pageout_scan(1000);
    EXPECT_EQ(r.freed, 40u);
    EXPECT_EQ(free_pages(), free_before + 40);
    EXPECT_EQ(anon_pages(), 0u);
    EXPECT_EQ(resident_anons(*amap), 0u);
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES - 40);
    // Clusters: 40 pages of one owner in requests of at most SWAP_MAX_RUN.
    EXPECT_EQ(m_swap->m_pages_written, 40u);
    EXPECT_EQ(m_swap->m_largest, vm::SWAP_MAX_RUN);
    EXPECT_LE(m_swap->m_requests, 40 / vm::SWAP_MAX_RUN + 1);
    {
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < 40; ++i) {
            Anon& anon = *amap->lookup_locked(i);
            EXPECT_NE(anon.m_swap_slot, 0u);
            Page* page = MUST(anon.page_in_locked());
            EXPECT_TRUE(all_bytes(*page, pattern(i))) << i;
            EXPECT_EQ(anon.m_swap_slot, 0u);  // a page or a slot, never both
            EXPECT_TRUE(page->has(Page::DIRTY));
        }
    }
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES);
    EXPECT_EQ(vm::stats().faults_swap_in >= 40, true);
    amap->unref(0, 40);
}

TEST_F(PageoutTest, DyingOwnersFreeTheirSlots)
{
    Amap* amap = anons(10);
    EXPECT_EQ(vm::pageout_scan(1000).freed, 10u);
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES - 10);
    amap->unref(0, 10);  // the anons die on swap
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES);
}

TEST_F(PageoutTest, SharedAnonsGoOutOnceAndServeBothAmaps)
{
    Amap* parent = anons(8);
    Amap* child;
    {
        MutexGuard guard(parent->lock());
        child = MUST(Amap::copy_locked(*parent, 0, 8));  // fork: the same anons
    }
    EXPECT_EQ(vm::pageout_scan(1000).freed, 8u);
    EXPECT_EQ(m_swap->m_pages_written, 8u);
    {
        MutexGuard guard(child->lock());  // the same lock as the parent's
        for (size_t i = 0; i < 8; ++i)
            EXPECT_TRUE(all_bytes(*MUST(child->lookup_locked(i)->page_in_locked()), pattern(i)));
    }
    EXPECT_EQ(m_swap->m_pages_read, 8u);
    parent->unref(0, 8);
    child->unref(0, 8);
}

TEST_F(PageoutTest, ReferencedPagesGetASecondChance)
{
    Amap* amap = anons(6);
    arch::Pmap* pmap = MUST(arch::pmap_create());
    constexpr uptr VA = 0x400000;
    {
        MutexGuard guard(amap->lock());
        kern::SpinGuard queues(vm::page_queues().lock);
        for (size_t i = 0; i < 6; ++i)  // as a refill would: all six inactive
            vm::pageq_deactivate_locked(*amap->lookup_locked(i)->m_page);
    }
    {
        MutexGuard guard(amap->lock());
        // Pages 0 and 1 are mapped and used after that; the others are not.
        for (size_t i = 0; i < 2; ++i) {
            Page& page = *amap->lookup_locked(i)->m_page;
            MUST(arch::pmap_enter(pmap, VA + i * PAGE_SIZE, pages().phys_of(page), vm::PROT_READ, 0));
            EXPECT_TRUE(fake_pmap::touch(pmap, VA + i * PAGE_SIZE, vm::PROT_READ));
        }
    }
    EXPECT_EQ(vm::pageout_scan(4).freed, 4u);
    {
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < 6; ++i) {
            Page* page = amap->lookup_locked(i)->m_page;
            EXPECT_EQ(page != nullptr, i < 2) << i;
            if (page) {
                EXPECT_TRUE(page->has(Page::ACTIVE)) << "a second chance";
            }
        }
    }
    arch::pmap_remove(pmap, VA, VA + 2 * PAGE_SIZE);
    arch::pmap_destroy(pmap);
    amap->unref(0, 6);
}

TEST_F(PageoutTest, ADeviceErrorKeepsThePagesResident)
{
    Amap* amap = anons(20);
    m_swap->m_fail_after = 0;  // every request fails
    EXPECT_EQ(vm::pageout_scan(1000).freed, 0u);
    EXPECT_EQ(resident_anons(*amap), 20u);
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES);  // the failed runs' slots came back
    {
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < 20; ++i)
            EXPECT_TRUE(all_bytes(*amap->lookup_locked(i)->m_page, pattern(i)));
    }
    amap->unref(0, 20);
}

TEST_F(PageoutTest, WithoutSwapNothingIsFreedOrUnmapped)
{
    MUST(vm::swap_off(*m_swap));
    Amap* amap = anons(6);
    fake_pmap::clear_calls();
    EXPECT_EQ(vm::pageout_scan(1000).freed, 0u);
    EXPECT_EQ(resident_anons(*amap), 6u);
    EXPECT_EQ(fake_pmap::count(fake_pmap::Op::PageProtect), 0u);
    amap->unref(0, 6);
    MUST(vm::swap_on(*m_swap, 1, SWAP_PAGES, nullptr, 0));  // for TearDown
}

TEST_F(PageoutTest, SwapOffReadsEveryPageBack)
{
    Amap* amap = anons(12);
    EXPECT_EQ(vm::pageout_scan(1000).freed, 12u);
    MUST(vm::swap_off(*m_swap));
    EXPECT_EQ(resident_anons(*amap), 12u);
    {
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < 12; ++i)
            EXPECT_TRUE(all_bytes(*amap->lookup_locked(i)->m_page, pattern(i)));
    }
    amap->unref(0, 12);
    MUST(vm::swap_on(*m_swap, 1, SWAP_PAGES, nullptr, 0));
}

TEST_F(PageoutTest, SwapOffWithoutMemoryFailsAndLosesNothing)
{
    Amap* amap = anons(12);
    EXPECT_EQ(vm::pageout_scan(1000).freed, 12u);
    exhaust_memory();
    EXPECT_EQ(vm::swap_off(*m_swap).error(), kern::Errno::ENOMEM);
    EXPECT_TRUE(vm::swap_is_on(*m_swap));
    give_back_memory();
    {
        MutexGuard guard(amap->lock());
        for (size_t i = 0; i < 12; ++i)
            EXPECT_TRUE(all_bytes(*MUST(amap->lookup_locked(i)->page_in_locked()), pattern(i)));
    }
    amap->unref(0, 12);
}

// ---- anonymous objects (tmpfs files, shared anonymous memory) --------------------------

TEST_F(PageoutTest, AobjPagesGoOutAndComeBackThroughGet)
{
    AnonObject* obj = MUST(AnonObject::create());
    {
        MutexGuard guard(obj->lock());
        for (u64 i = 0; i < 24; ++i)
            fill(*MUST(obj->get_page_locked(i * PAGE_SIZE, vm::PROT_WRITE)), pattern(i));
    }
    EXPECT_EQ(vm::pageout_scan(1000).freed, 24u);
    {
        MutexGuard guard(obj->lock());
        EXPECT_EQ(obj->resident_pages_locked(), 0u);
        EXPECT_EQ(obj->swapped_pages_locked(), 24u);
        EXPECT_TRUE(obj->absent_page_has_data_locked(5 * PAGE_SIZE));
        EXPECT_FALSE(obj->absent_page_has_data_locked(50 * PAGE_SIZE));
        for (u64 i = 0; i < 24; i += 2)
            EXPECT_TRUE(all_bytes(*MUST(obj->get_page_locked(i * PAGE_SIZE, vm::PROT_READ)), pattern(i)));
        EXPECT_EQ(obj->swapped_pages_locked(), 12u);
        // Freeing a range frees the slots of its pages on swap too.
        MUST(obj->put_pages_locked(0, 12 * PAGE_SIZE, vm::PUT_FREE));
        EXPECT_EQ(obj->swapped_pages_locked(), 6u);
    }
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES - 6);
    obj->detach();  // the rest, resident and on swap
}

TEST_F(PageoutTest, AWholePageOverwriteDropsTheStaleSlot)
{
    AnonObject* obj = MUST(AnonObject::create());
    {
        MutexGuard guard(obj->lock());
        fill(*MUST(obj->get_page_locked(0, vm::PROT_WRITE)), 0x11);
    }
    EXPECT_EQ(vm::pageout_scan(1000).freed, 1u);
    Page* fresh = MUST(pages().allocate());
    fill(*fresh, 0x22);
    {
        MutexGuard guard(obj->lock());
        MUST(obj->install_filled_page_locked(*fresh, 0));
        EXPECT_EQ(obj->swapped_pages_locked(), 0u);
        EXPECT_TRUE(all_bytes(*MUST(obj->get_page_locked(0, vm::PROT_READ)), 0x22));
    }
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES);
    obj->detach();
}

TEST_F(PageoutTest, SwapOffReadsAobjPagesBack)
{
    AnonObject* obj = MUST(AnonObject::create());
    {
        MutexGuard guard(obj->lock());
        for (u64 i = 0; i < 5; ++i)
            fill(*MUST(obj->get_page_locked(i * 3 * PAGE_SIZE, vm::PROT_WRITE)), pattern(i));
    }
    EXPECT_EQ(vm::pageout_scan(1000).freed, 5u);
    MUST(vm::swap_off(*m_swap));
    {
        MutexGuard guard(obj->lock());
        EXPECT_EQ(obj->resident_pages_locked(), 5u);
        for (u64 i = 0; i < 5; ++i)
            EXPECT_TRUE(all_bytes(*obj->lookup_page_locked(i * 3 * PAGE_SIZE), pattern(i)));
    }
    obj->detach();
    MUST(vm::swap_on(*m_swap, 1, SWAP_PAGES, nullptr, 0));
}

// ---- the queues ---------------------------------------------------------------------

TEST_F(PageoutTest, NewPagesAreActiveFreedPagesLeaveTheQueues)
{
    vm::PageQueues& q = vm::page_queues();
    const size_t active = q.active_count, inactive = q.inactive_count;
    Amap* amap = anons(3);
    EXPECT_EQ(q.active_count, active + 3);
    {
        MutexGuard guard(amap->lock());
        EXPECT_TRUE(amap->lookup_locked(0)->m_page->has(Page::ACTIVE));
    }
    amap->unref(0, 3);
    EXPECT_EQ(q.active_count, active);
    EXPECT_EQ(q.inactive_count, inactive);
}

} // namespace
