// tests/host/vm/amap_test.cpp -- GoogleTest suite for vm::Amap (vm/amap.cpp).
//
// What is checked: slots (add, lookup, replace, remove); the two reference
// counts -- an amap's and each slot's -- through ref, split_ref and unref,
// including the case UVM's per-slot counts exist for (unmapping the middle
// of a clipped entry frees exactly the middle's memory); copies sharing
// anons and the lock, in every order of release; and ENOMEM leaving nothing
// behind. VmTest (vm_fixture.h) checks after every test that pages, heap
// bytes and the VM page counters are back where they started.
#include "vm_fixture.h"  // first: the host headers before the kernel's

#include "../shim/fake_pmap.h"

#include <vm/amap.h>

using kern::Errno;
using kern::MutexGuard;
using vm::Amap;
using vm::Anon;

namespace {

class AmapTest : public vmtest::VmTest {
protected:
    static Amap* make(size_t slots)
    {
        auto amap = Amap::create(slots);
        EXPECT_FALSE(amap.is_error());
        return amap.value();
    }
    static Anon* new_anon(u8 fill_byte = 0)
    {
        Anon* anon = MUST(Anon::create_zeroed());
        if (fill_byte)
            fill(*anon->m_page, fill_byte);
        return anon;
    }
    // Put a fresh anon in each of slots [first, first + count).
    static void populate(Amap& amap, size_t first, size_t count)
    {
        MutexGuard guard(amap.lock());
        for (size_t i = first; i < first + count; ++i)
            amap.add_locked(i, *new_anon(u8(i + 1)));
    }
    static size_t used(Amap& amap)
    {
        MutexGuard guard(amap.lock());
        return amap.used_slots_locked();
    }
    static Anon* at(Amap& amap, size_t slot)
    {
        MutexGuard guard(amap.lock());
        return amap.lookup_locked(slot);
    }
};

TEST_F(AmapTest, NewAmapIsEmptyWithOneReference)
{
    Amap* amap = make(8);
    EXPECT_EQ(amap->slot_count(), 8u);
    {
        MutexGuard guard(amap->lock());
        EXPECT_EQ(amap->ref_count_locked(), 1u);
        EXPECT_EQ(amap->used_slots_locked(), 0u);
        for (size_t i = 0; i < 8; ++i)
            EXPECT_EQ(amap->lookup_locked(i), nullptr);
    }
    EXPECT_GT(heap_bytes(), 0u);
    amap->unref(0, 8);
}

TEST_F(AmapTest, AddLookupReplaceRemove)
{
    Amap* amap = make(8);
    Anon* a = new_anon();
    Anon* b = new_anon();
    Anon* c = new_anon();
    {
        MutexGuard guard(amap->lock());
        amap->add_locked(0, *a);
        amap->add_locked(5, *b);
        EXPECT_EQ(amap->lookup_locked(0), a);
        EXPECT_EQ(amap->lookup_locked(5), b);
        EXPECT_EQ(amap->lookup_locked(1), nullptr);
        EXPECT_EQ(amap->used_slots_locked(), 2u);
        EXPECT_EQ(anon_pages(), 3u);

        amap->replace_locked(5, *c);  // b had one reference: freed
        EXPECT_EQ(amap->lookup_locked(5), c);
        EXPECT_EQ(amap->used_slots_locked(), 2u);
        EXPECT_EQ(anon_pages(), 2u);

        amap->remove_locked(0);
        amap->remove_locked(1);  // an empty slot: nothing to do
        EXPECT_EQ(amap->lookup_locked(0), nullptr);
        EXPECT_EQ(amap->used_slots_locked(), 1u);
        EXPECT_EQ(anon_pages(), 1u);
    }
    amap->unref(0, 8);  // frees c with the amap
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AmapTest, ReplaceKeepsAnAnonOthersStillHold)
{
    Amap* amap = make(2);
    Anon* shared = new_anon(0x5a);
    Anon* mine = new_anon();
    {
        MutexGuard guard(amap->lock());
        amap->add_locked(0, *shared);
        ++shared->m_ref_count;  // as if another amap held it too
        amap->replace_locked(0, *mine);
        EXPECT_EQ(shared->m_ref_count, 1u);
        EXPECT_TRUE(all_bytes(*shared->m_page, 0x5a));
        shared->unref_locked();  // the "other amap" lets go
    }
    amap->unref(0, 2);
}

TEST_F(AmapTest, UnmappingTheMiddleOfAClippedEntryFreesExactlyTheMiddle)
{
    // One entry over 30 slots, clipped into A [0,10) B [10,20) C [20,30).
    Amap* amap = make(30);
    populate(*amap, 0, 30);
    {
        MutexGuard guard(amap->lock());
        amap->split_ref_locked();
        amap->split_ref_locked();
        EXPECT_EQ(amap->ref_count_locked(), 3u);
    }
    Anon* first_of_c = at(*amap, 20);
    const size_t free_before = free_pages();

    amap->unref(10, 10);  // B goes
    EXPECT_EQ(anon_pages(), 20u);
    EXPECT_EQ(free_pages(), free_before + 10);
    EXPECT_EQ(used(*amap), 20u);
    for (size_t i = 0; i < 30; ++i)
        EXPECT_EQ(at(*amap, i) == nullptr, i >= 10 && i < 20) << "slot " << i;
    EXPECT_EQ(at(*amap, 20), first_of_c);
    EXPECT_TRUE(all_bytes(*first_of_c->m_page, 21));  // C's data untouched

    amap->unref(0, 10);  // A goes
    EXPECT_EQ(anon_pages(), 10u);
    {
        MutexGuard guard(amap->lock());
        EXPECT_EQ(amap->ref_count_locked(), 1u);
    }
    amap->unref(20, 10);  // C goes, and the amap with it
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AmapTest, UnmappingTheMiddleRemovesOnlyTheMiddlesMappings)
{
    constexpr uptr BASE = 0x10000000;
    arch::Pmap* pmap = MUST(arch::pmap_create());
    Amap* amap = make(12);
    populate(*amap, 0, 12);
    for (size_t i = 0; i < 12; ++i)
        MUST(arch::pmap_enter(pmap, BASE + i * PAGE_SIZE, pages().phys_of(*at(*amap, i)->m_page),
                              vm::PROT_READ, 0));
    {
        MutexGuard guard(amap->lock());
        amap->split_ref_locked();
        amap->split_ref_locked();
    }
    // The map calls pmap_remove before unref; it did not here, so freeing
    // the anons must remove their mappings itself.
    amap->unref(4, 4);
    for (size_t i = 0; i < 12; ++i)
        EXPECT_EQ(fake_pmap::lookup(pmap, BASE + i * PAGE_SIZE).has_value(), i < 4 || i >= 8) << i;
    amap->unref(0, 4);
    amap->unref(8, 4);
    EXPECT_TRUE(fake_pmap::mappings(pmap).empty());
    arch::pmap_destroy(pmap);
}

TEST_F(AmapTest, SlotsCoveredTwiceSurviveOneUnref)
{
    // Entry X covers [0,10); entry Y (an inherit-share) covers [2,5) of it.
    Amap* amap = make(10);
    populate(*amap, 0, 10);
    {
        MutexGuard guard(amap->lock());
        amap->ref_locked(2, 3);
        EXPECT_EQ(amap->ref_count_locked(), 2u);
    }
    amap->unref(0, 10);  // X goes: only slots 2..4 are still covered
    EXPECT_EQ(anon_pages(), 3u);
    EXPECT_EQ(used(*amap), 3u);
    EXPECT_NE(at(*amap, 2), nullptr);
    EXPECT_NE(at(*amap, 4), nullptr);
    EXPECT_EQ(at(*amap, 5), nullptr);
    amap->unref(2, 3);
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AmapTest, TheLastUnrefFreesSlotsNoReferenceCovered)
{
    // Only [0,4) of 8 slots is ever unreferenced: the rest go with the amap.
    Amap* amap = make(8);
    populate(*amap, 0, 8);
    amap->unref(0, 4);
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AmapTest, CopySharesAnonsAndTheLock)
{
    Amap* src = make(8);
    Anon* a1 = new_anon(1);
    Anon* a3 = new_anon(3);
    Anon* a6 = new_anon(6);
    Amap* copy = nullptr;
    {
        MutexGuard guard(src->lock());
        src->add_locked(1, *a1);
        src->add_locked(3, *a3);
        src->add_locked(6, *a6);
        copy = MUST(Amap::copy_locked(*src, 2, 5));  // src slots [2, 7)
        EXPECT_EQ(&copy->lock(), &src->lock());
        EXPECT_EQ(copy->slot_count(), 5u);
        EXPECT_EQ(copy->ref_count_locked(), 1u);
        EXPECT_EQ(copy->used_slots_locked(), 2u);
        EXPECT_EQ(copy->lookup_locked(0), nullptr);
        EXPECT_EQ(copy->lookup_locked(1), a3);
        EXPECT_EQ(copy->lookup_locked(4), a6);
        EXPECT_EQ(a1->m_ref_count, 1u);
        EXPECT_EQ(a3->m_ref_count, 2u);
        EXPECT_EQ(a6->m_ref_count, 2u);
        EXPECT_EQ(src->used_slots_locked(), 3u);  // src unchanged
    }
    EXPECT_EQ(anon_pages(), 3u);  // shared, not copied

    src->unref(0, 8);  // a1 freed; a3 and a6 live on in the copy
    EXPECT_EQ(anon_pages(), 2u);
    {
        MutexGuard guard(copy->lock());  // the shared lock outlived src
        EXPECT_EQ(a3->m_ref_count, 1u);
        EXPECT_TRUE(all_bytes(*a6->m_page, 6));
    }
    copy->unref(0, 5);  // the last user of the lock: lock freed (ASan checks)
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AmapTest, CopiesOfCopiesShareOneLockUntilTheLastGoes)
{
    Amap* a = make(4);
    populate(*a, 0, 4);
    Amap* b = nullptr;
    Amap* c = nullptr;
    {
        MutexGuard guard(a->lock());
        b = MUST(Amap::copy_locked(*a, 0, 4));
        c = MUST(Amap::copy_locked(*b, 1, 2));
    }
    EXPECT_EQ(&c->lock(), &a->lock());
    EXPECT_EQ(at(*a, 1)->m_ref_count, 3u);
    EXPECT_EQ(at(*a, 0)->m_ref_count, 2u);
    b->unref(0, 4);  // the middle one first
    EXPECT_EQ(at(*a, 1)->m_ref_count, 2u);
    a->unref(0, 4);
    EXPECT_EQ(anon_pages(), 2u);  // what c holds
    c->unref(0, 2);
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AmapTest, CreateLeavesNothingBehindWhenMemoryRunsOut)
{
    const size_t heap_before = heap_bytes();
    exhaust_memory();
    // 600 slots: 4800 bytes of anon pointers (a 2-page run) + 2400 of counts.
    auto fails = Amap::create(600);
    ASSERT_TRUE(fails.is_error());
    EXPECT_EQ(fails.error(), Errno::ENOMEM);

    leave_run_of_two();  // room for the pointers, none for the counts
    auto fails_again = Amap::create(600);
    ASSERT_TRUE(fails_again.is_error());
    EXPECT_EQ(fails_again.error(), Errno::ENOMEM);
    EXPECT_EQ(free_pages(), 2u);  // the pointer array went back
    EXPECT_EQ(heap_bytes(), heap_before);

    give_back_memory();
    Amap* amap = make(600);
    amap->unref(0, 600);
}

TEST_F(AmapTest, CreateRefusesAbsurdSizes)
{
    auto huge = Amap::create(size_t(1) << 62);  // the byte count would overflow
    ASSERT_TRUE(huge.is_error());
    EXPECT_EQ(huge.error(), Errno::ENOMEM);
}

TEST_F(AmapTest, CopyLeavesTheSourceAloneWhenMemoryRunsOut)
{
    Amap* src = make(600);
    populate(*src, 0, 3);
    exhaust_memory();
    {
        MutexGuard guard(src->lock());
        auto copy = Amap::copy_locked(*src, 0, 600);
        ASSERT_TRUE(copy.is_error());
        EXPECT_EQ(copy.error(), Errno::ENOMEM);
        EXPECT_EQ(src->lookup_locked(0)->m_ref_count, 1u);
        EXPECT_EQ(src->used_slots_locked(), 3u);
    }
    give_back_memory();
    src->unref(0, 600);
}

using AmapDeathTest = AmapTest;

TEST_F(AmapDeathTest, AddingToAFullSlotPanics)
{
    Amap* amap = make(2);
    populate(*amap, 0, 1);
    EXPECT_DEATH(
        {
            MutexGuard guard(amap->lock());
            amap->add_locked(0, *new_anon());
        },
        "PANIC: amap add: slot 0 is full");
    amap->unref(0, 2);
}

TEST_F(AmapDeathTest, UnrefOfAnUncoveredSlotPanics)
{
    Amap* amap = make(4);
    {
        MutexGuard guard(amap->lock());
        amap->split_ref_locked();
    }
    amap->unref(0, 2);
    EXPECT_DEATH(amap->unref(0, 2), "PANIC: amap unref: slot 0 not referenced");
    amap->unref(2, 2);
}

TEST_F(AmapDeathTest, LookupWithoutTheLockPanics)
{
    Amap* amap = make(1);
    EXPECT_DEATH((void)amap->lookup_locked(0), "PANIC: assertion failed: lock\\(\\).is_locked_by_me");
    amap->unref(0, 1);
}

} // namespace
