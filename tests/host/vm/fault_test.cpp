// tests/host/vm/fault_test.cpp -- the fault handler's decisions, case by case.
//
// Each test sets up one situation of vm/fault.cpp's case list and checks
// which counter moved, what the (fake) pmap was told -- which physical page,
// writable or not, wired or not -- and what the user would read.
#include "vm_fixture.h"

#include <tests/host/shim/fake_pmap.h>
#include <vm/aobj.h>
#include <vm/fault.h>
#include <vm/map.h>
#include <vm/stats.h>

using namespace vm;
using kern::Errno;

namespace {

constexpr Prot RW = PROT_READ | PROT_WRITE;

class FaultTest : public vmtest::VmTest {
protected:
    VmMap* map = nullptr;
    VmStats before{};

    void SetUp() override
    {
        VmTest::SetUp();
        map = MUST(VmMap::create(USER_MIN, USER_MAX, MUST(arch::pmap_create())));
        before = stats();
    }
    void TearDown() override
    {
        map->destroy();
        VmTest::TearDown();
    }
    uptr anon(size_t pages, Prot prot = RW)
    {
        return MUST(map->map(0, pages * PAGE_SIZE, prot, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE));
    }
    static u64 delta(u64 VmStats::*counter, const VmStats& then) { return stats().*counter - then.*counter; }
    static fake_pmap::Mapping mapping(VmMap* m, uptr va) { return fake_pmap::lookup(m->pmap(), va).value(); }
    static u64& word(PhysAddr pa) { return *static_cast<u64*>(arch::phys_to_virt(pa)); }
};

TEST_F(FaultTest, FirstTouchOfAnonymousMemoryZeroFills)
{
    uptr a = anon(4);
    MUST(fault(*map, a + 100, PROT_READ));
    EXPECT_EQ(delta(&VmStats::faults_zero_fill, before), 1u);
    auto m = mapping(map, a);
    EXPECT_EQ(m.prot, RW);  // a private page only we hold: writable at once
    EXPECT_EQ(word(m.pa), 0u);
    EXPECT_EQ(anon_pages() - before.anon_pages, 1u);
}

TEST_F(FaultTest, RefusedAccessesAreEaccesOrEfault)
{
    uptr a = anon(1, PROT_READ);
    EXPECT_EQ(fault(*map, a, PROT_WRITE).error(), Errno::EACCES);  // mapped, not writable
    EXPECT_EQ(fault(*map, a, PROT_EXEC).error(), Errno::EACCES);
    EXPECT_EQ(fault(*map, a + PAGE_SIZE, PROT_READ).error(), Errno::EFAULT);  // no entry
    EXPECT_EQ(delta(&VmStats::faults_failed, before), 3u);
    EXPECT_FALSE(fake_pmap::lookup(map->pmap(), a));
}

TEST_F(FaultTest, AfterForkReadsShareAndWritesPromote)
{
    uptr a = anon(2);
    MUST(fault(*map, a, PROT_WRITE));
    MUST(fault(*map, a + PAGE_SIZE, PROT_WRITE));
    word(mapping(map, a).pa) = 111;
    word(mapping(map, a + PAGE_SIZE).pa) = 222;
    VmMap* child = MUST(map->clone());
    // fork write-protected the parent's pages.
    EXPECT_EQ(mapping(map, a).prot, PROT_READ);

    VmStats s = stats();
    MUST(fault(*child, a, PROT_READ));  // step 0 (amap copy: no object) then 1A: the shared anon, read-only
    EXPECT_EQ(delta(&VmStats::faults_amap_copy, s), 1u);
    EXPECT_EQ(delta(&VmStats::faults_anon_hit, s), 1u);
    EXPECT_EQ(mapping(child, a).prot, PROT_READ);
    EXPECT_EQ(mapping(child, a).pa, mapping(map, a).pa);

    s = stats();
    MUST(fault(*child, a, PROT_WRITE));  // 1B: promote (the amap is the child's already)
    EXPECT_EQ(delta(&VmStats::faults_amap_copy, s), 0u);
    EXPECT_EQ(delta(&VmStats::faults_cow_promote, s), 1u);
    EXPECT_EQ(mapping(child, a).prot, RW);
    EXPECT_NE(mapping(child, a).pa, mapping(map, a).pa);
    EXPECT_EQ(word(mapping(child, a).pa), 111u);  // the copy has the data

    s = stats();
    MUST(fault(*map, a, PROT_WRITE));  // the parent's amap is its own again, its anon too
    EXPECT_EQ(delta(&VmStats::faults_amap_copy, s), 0u);
    EXPECT_EQ(delta(&VmStats::faults_cow_promote, s), 0u);
    EXPECT_EQ(mapping(map, a).prot, RW);

    s = stats();
    MUST(fault(*map, a + PAGE_SIZE, PROT_WRITE));  // page 1 is still shared with the child
    EXPECT_EQ(delta(&VmStats::faults_cow_promote, s), 1u);
    EXPECT_EQ(word(mapping(map, a + PAGE_SIZE).pa), 222u);
    child->destroy();
}

TEST_F(FaultTest, SharedObjectPagesAreMappedAndDirtied)
{
    AnonObject* obj = MUST(AnonObject::create());
    uptr a = MUST(map->map(0, PAGE_SIZE, RW, PROT_ALL, Inherit::Share, obj, 0, 0));
    MUST(fault(*map, a, PROT_WRITE));
    EXPECT_EQ(delta(&VmStats::faults_object_hit, before), 1u);
    Page* page;
    {
        kern::MutexGuard guard(obj->lock());
        page = obj->lookup_page_locked(0);
    }
    ASSERT_TRUE(page);
    EXPECT_EQ(mapping(map, a).pa, pages().phys_of(*page));
    EXPECT_EQ(mapping(map, a).prot, RW);
    EXPECT_TRUE(page->has(Page::DIRTY));
}

TEST_F(FaultTest, PrivateObjectMappingCopiesOnWrite)
{
    AnonObject* obj = MUST(AnonObject::create());
    obj->reference();
    uptr shared = MUST(map->map(0, PAGE_SIZE, RW, PROT_ALL, Inherit::Share, obj, 0, 0));
    uptr priv = MUST(map->map(0, PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, obj, 0, MAP_PRIVATE));
    MUST(fault(*map, shared, PROT_WRITE));
    word(mapping(map, shared).pa) = 7;

    VmStats s = stats();
    MUST(fault(*map, priv, PROT_READ));  // 2A: the object's page, read-only
    EXPECT_EQ(delta(&VmStats::faults_object_hit, s), 1u);
    EXPECT_EQ(mapping(map, priv).pa, mapping(map, shared).pa);
    EXPECT_EQ(mapping(map, priv).prot, PROT_READ);

    s = stats();
    MUST(fault(*map, priv, PROT_WRITE));  // 2B: promoted into an anon
    EXPECT_EQ(delta(&VmStats::faults_cow_promote, s), 1u);
    EXPECT_NE(mapping(map, priv).pa, mapping(map, shared).pa);
    EXPECT_EQ(word(mapping(map, priv).pa), 7u);
    word(mapping(map, priv).pa) = 8;
    EXPECT_EQ(word(mapping(map, shared).pa), 7u);  // the object never sees it
}

TEST_F(FaultTest, OutOfMemoryIsEnomemAndRecoverable)
{
    uptr a = anon(1);
    exhaust_memory();
    EXPECT_EQ(fault(*map, a, PROT_WRITE).error(), Errno::ENOMEM);
    EXPECT_FALSE(fake_pmap::lookup(map->pmap(), a));
    EXPECT_EQ(map->validate(), nullptr);
    give_back_memory();
    MUST(fault(*map, a, PROT_WRITE));
    EXPECT_TRUE(fake_pmap::lookup(map->pmap(), a));
}

TEST_F(FaultTest, PmapEnomemLeavesNothingMapped)
{
    uptr a = anon(1);
    fake_pmap::fail_next_enters(1);
    EXPECT_EQ(fault(*map, a, PROT_WRITE).error(), Errno::ENOMEM);
    EXPECT_FALSE(fake_pmap::lookup(map->pmap(), a));
    MUST(fault(*map, a, PROT_WRITE));  // the anon made the first time is found now
    EXPECT_EQ(delta(&VmStats::faults_zero_fill, before), 1u);
    EXPECT_EQ(delta(&VmStats::faults_anon_hit, before), 1u);
}

TEST_F(FaultTest, WiringEntersWiredMappings)
{
    uptr a = anon(2);
    MUST(map->wire(a, 2 * PAGE_SIZE, PROT_READ));
    EXPECT_TRUE(mapping(map, a).wired);
    EXPECT_EQ(mapping(map, a).prot, RW);  // wired with the entry's rights
    EXPECT_EQ(stats().wired_pages - before.wired_pages, 2u);
    MUST(map->unwire(a, 2 * PAGE_SIZE));
    EXPECT_FALSE(mapping(map, a).wired);
    EXPECT_EQ(stats().wired_pages, before.wired_pages);
    EXPECT_EQ(map->unwire(a, PAGE_SIZE).error(), Errno::EINVAL);  // not wired
}

TEST_F(FaultTest, LargeEntriesGetAmapsChunkByChunk)
{
    uptr a = anon(4096);  // 16 MiB
    MUST(fault(*map, a + 5 * (1 << 20), PROT_WRITE));
    EXPECT_EQ(map->entry_count(), 3u);  // before, the 1 MiB chunk, after
    MUST(fault(*map, a, PROT_WRITE));
    EXPECT_EQ(map->entry_count(), 4u);
    EXPECT_EQ(map->validate(), nullptr);
}

} // namespace

namespace {

// After fork, a page neither side had touched: the first touch (even a read)
// must land in the toucher's own amap, or the other side would see it.
TEST_F(FaultTest, FirstTouchAfterForkStaysPrivate)
{
    uptr a = anon(2);
    MUST(fault(*map, a, PROT_WRITE));  // page 0 touched: the amap exists and is shared by fork
    VmMap* child = MUST(map->clone());
    MUST(fault(*child, a + PAGE_SIZE, PROT_READ));  // child reads untouched page 1
    auto m = mapping(child, a + PAGE_SIZE);
    if (m.prot & PROT_WRITE)
        word(m.pa) = 5;  // the MMU lets the child write without a fault
    else
        MUST(fault(*child, a + PAGE_SIZE, PROT_WRITE));
    MUST(fault(*map, a + PAGE_SIZE, PROT_READ));    // parent reads page 1
    EXPECT_EQ(word(mapping(map, a + PAGE_SIZE).pa), 0u);  // zeros: not the child's page
    EXPECT_NE(mapping(child, a + PAGE_SIZE).pa, mapping(map, a + PAGE_SIZE).pa);
    child->destroy();
}

} // namespace
