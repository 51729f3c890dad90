// tests/host/vm/map_sync_test.cpp -- VmMap::sync and VmMap::discard (msync, madvise).
//
// sync is watched through a recording object whose put_pages_locked notes
// each range it is asked to clean (and checks that the map's lock is not
// held then); discard through the fake pmap, the page counters and what a
// fault maps afterwards. vm/map_sync.cpp describes both.
#include "vm_fixture.h"

#include <tests/host/shim/fake_pmap.h>
#include <vm/aobj.h>
#include <vm/fault.h>
#include <vm/map.h>
#include <vm/object.h>

using namespace vm;
using kern::Errno;
using kern::ErrorOr;

namespace {

constexpr Prot RW = PROT_READ | PROT_WRITE;
constexpr size_t P = PAGE_SIZE;

// An object that only records put_pages_locked calls (no pages: faults fail).
class RecordingObject : public VmObject {
public:
    explicit RecordingObject(VmMap* map) : m_map(map) {}
    ErrorOr<Page*> get_page_locked(u64, Access) override { return Errno::EIO; }
    ErrorOr<void> put_pages_locked(u64 start, u64 end, u32 flags) override
    {
        EXPECT_TRUE(m_lock.is_locked_by_me());
        EXPECT_FALSE(m_map->lock().is_locked_by_me()) << "I/O under the map's lock";
        EXPECT_EQ(flags, PUT_CLEAN);
        cleaned.push_back({start, end});
        if (fail)
            return Errno::EIO;
        return {};
    }
    std::vector<std::pair<u64, u64>> cleaned;
    bool fail = false;

protected:
    void destroy() override { delete this; }

private:
    VmMap* m_map;
};

class MapSyncTest : public vmtest::VmTest {
protected:
    VmMap* map = nullptr;
    void SetUp() override
    {
        VmTest::SetUp();
        map = MUST(VmMap::create(USER_MIN, USER_MIN + 1024 * P, MUST(arch::pmap_create())));
    }
    void TearDown() override
    {
        if (map)
            map->destroy();
        VmTest::TearDown();
    }
    static uptr at(size_t page) { return USER_MIN + page * P; }
    uptr anon(size_t page, size_t pages)
    {
        return MUST(map->map(at(page), pages * P, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE | MAP_FIXED));
    }
    static bool mapped(VmMap* m, uptr va) { return fake_pmap::lookup(m->pmap(), va).has_value(); }
    static u64& word(VmMap* m, uptr va)
    {
        return *static_cast<u64*>(arch::phys_to_virt(fake_pmap::lookup(m->pmap(), va).value().pa));
    }
    // What the user reads at va: fault it in (read), then the word there.
    static u64 read(VmMap* m, uptr va)
    {
        MUST(fault(*m, va, PROT_READ));
        return word(m, va);
    }
    static void write(VmMap* m, uptr va, u64 value)
    {
        MUST(fault(*m, va, PROT_WRITE));
        word(m, va) = value;
    }
};

// ---- sync ----

TEST_F(MapSyncTest, SyncCleansWhatSharedEntriesCoverOnly)
{
    auto* obj = new RecordingObject(map);
    obj->reference();  // ours, to look at it after the map lets go
    obj->reference();  // the second mapping's
    MUST(map->map(at(10), 4 * P, RW, PROT_ALL, Inherit::Share, obj, 2 * P, MAP_FIXED));
    MUST(map->map(at(14), 2 * P, RW, PROT_ALL, Inherit::Copy, obj, 0, MAP_PRIVATE | MAP_FIXED));
    anon(16, 2);
    // Part of the shared entry (its pages 1 and 2 are the object's 3 and 4),
    // then the private and anonymous entries: nothing to write there.
    MUST(map->sync(at(11), 7 * P, SYNC_WRITE));
    ASSERT_EQ(obj->cleaned.size(), 1u);
    EXPECT_EQ(obj->cleaned[0], std::make_pair(u64(3 * P), u64(6 * P)));
    // Without SYNC_WRITE nothing is written (MS_ASYNC, MS_INVALIDATE).
    MUST(map->sync(at(10), 8 * P, 0));
    EXPECT_EQ(obj->cleaned.size(), 1u);
    EXPECT_EQ(obj->ref_count(), 3u);  // the walk's references are gone
    MUST(map->unmap(at(10), 8 * P));
    obj->detach();
}

TEST_F(MapSyncTest, SyncDoesTheMappedPartsThenReportsAHole)
{
    auto* obj = new RecordingObject(map);
    obj->reference();
    obj->reference();
    MUST(map->map(at(10), 2 * P, RW, PROT_ALL, Inherit::Share, obj, 0, MAP_FIXED));
    MUST(map->map(at(13), 2 * P, RW, PROT_ALL, Inherit::Share, obj, 8 * P, MAP_FIXED));
    EXPECT_EQ(map->sync(at(10), 5 * P, SYNC_WRITE).error(), Errno::ENOMEM);  // page 12 is a hole
    ASSERT_EQ(obj->cleaned.size(), 2u);
    EXPECT_EQ(obj->cleaned[0], std::make_pair(u64(0), u64(2 * P)));
    EXPECT_EQ(obj->cleaned[1], std::make_pair(u64(8 * P), u64(10 * P)));
    // A hole at the start, or past the last entry.
    EXPECT_EQ(map->sync(at(9), 2 * P, SYNC_WRITE).error(), Errno::ENOMEM);
    EXPECT_EQ(map->sync(at(14), 4 * P, SYNC_WRITE).error(), Errno::ENOMEM);
    EXPECT_EQ(map->sync(at(100), P, 0).error(), Errno::ENOMEM);
    EXPECT_EQ(obj->cleaned.size(), 4u);
    MUST(map->sync(at(10), 2 * P, 0));
    MUST(map->unmap(at(10), 5 * P));
    obj->detach();
}

TEST_F(MapSyncTest, SyncStopsAtThePagersError)
{
    auto* obj = new RecordingObject(map);
    obj->reference();
    obj->reference();
    MUST(map->map(at(10), 2 * P, RW, PROT_ALL, Inherit::Share, obj, 0, MAP_FIXED));
    MUST(map->map(at(13), 2 * P, RW, PROT_ALL, Inherit::Share, obj, 8 * P, MAP_FIXED));
    obj->fail = true;
    EXPECT_EQ(map->sync(at(10), 5 * P, SYNC_WRITE).error(), Errno::EIO);  // before the hole's ENOMEM
    EXPECT_EQ(obj->cleaned.size(), 1u);
    EXPECT_EQ(obj->ref_count(), 3u);
    MUST(map->unmap(at(10), 5 * P));
    obj->detach();
}

TEST_F(MapSyncTest, SyncInvalidateRefusesWiredMemory)
{
    anon(10, 2);
    MUST(map->wire(at(11), P, RW));
    MUST(map->sync(at(10), P, SYNC_INVALIDATE));
    EXPECT_EQ(map->sync(at(10), 2 * P, SYNC_INVALIDATE).error(), Errno::EBUSY);
    MUST(map->sync(at(10), 2 * P, SYNC_WRITE));
    MUST(map->unwire(at(11), P));
}

// ---- discard ----

TEST_F(MapSyncTest, DiscardFreesPrivateAnonymousPagesInPlace)
{
    uptr a = anon(10, 4);
    for (size_t i = 0; i < 4; ++i)
        write(map, a + i * P, 100 + i);
    u64 before = anon_pages();
    MUST(map->discard(a + P, 2 * P, 0));
    EXPECT_EQ(before - anon_pages(), 2u);  // freed at once
    EXPECT_FALSE(mapped(map, a + P));
    EXPECT_FALSE(mapped(map, a + 2 * P));
    EXPECT_EQ(map->entry_count(), 1u);  // the amap was the entry's alone: no clip
    EXPECT_EQ(read(map, a), 100u);
    EXPECT_EQ(read(map, a + P), 0u);  // zero-fill again
    EXPECT_EQ(read(map, a + 2 * P), 0u);
    EXPECT_EQ(read(map, a + 3 * P), 103u);
    EXPECT_EQ(map->validate(), nullptr);
}

TEST_F(MapSyncTest, DiscardAfterForkLeavesTheOtherSidesPages)
{
    uptr a = anon(10, 3);
    for (size_t i = 0; i < 3; ++i)
        write(map, a + i * P, 7 + i);
    VmMap* child = MUST(map->clone());
    u64 before = anon_pages();
    MUST(map->discard(a + P, P, 0));  // needs-copy, the amap shared: clipped out
    EXPECT_EQ(anon_pages(), before);  // the child still holds the page
    EXPECT_EQ(map->entry_count(), 3u);
    EXPECT_EQ(read(map, a + P), 0u);
    EXPECT_EQ(read(child, a + P), 8u);
    EXPECT_EQ(read(map, a), 7u);
    EXPECT_EQ(read(map, a + 2 * P), 9u);
    MUST(child->discard(a, 3 * P, 0));
    EXPECT_EQ(read(child, a), 0u);
    EXPECT_EQ(read(map, a), 7u);
    EXPECT_EQ(map->validate(), nullptr);
    EXPECT_EQ(child->validate(), nullptr);
    child->destroy();
}

TEST_F(MapSyncTest, DiscardKeepsSharedObjectPagesAndRevertsPrivateCopies)
{
    AnonObject* obj = MUST(AnonObject::create());
    obj->reference();
    uptr shared = MUST(map->map(at(10), P, RW, PROT_ALL, Inherit::Share, obj, 0, MAP_FIXED));
    uptr priv = MUST(map->map(at(20), P, RW, PROT_ALL, Inherit::Copy, obj, 0, MAP_PRIVATE | MAP_FIXED));
    write(map, shared, 5);
    write(map, priv, 9);  // promoted: the private copy
    EXPECT_EQ(read(map, shared), 5u);

    MUST(map->discard(shared, P, 0));
    EXPECT_FALSE(mapped(map, shared));
    {
        kern::MutexGuard guard(obj->lock());
        EXPECT_EQ(obj->resident_pages_locked(), 1u);  // the data stays in the object
    }
    EXPECT_EQ(read(map, shared), 5u);

    u64 before = anon_pages();
    MUST(map->discard(priv, P, 0));
    EXPECT_EQ(before - anon_pages(), 1u);  // the private copy is gone
    EXPECT_EQ(read(map, priv), 5u);        // the object's page again
    EXPECT_EQ(read(map, shared), 5u);
}

TEST_F(MapSyncTest, DiscardRefusalsChangeNothingAndHolesComeLast)
{
    uptr a = anon(10, 2);
    write(map, a, 1);
    write(map, a + P, 2);
    MUST(map->wire(a + P, P, RW));
    EXPECT_EQ(map->discard(a, 2 * P, 0).error(), Errno::EINVAL);  // a wired page
    EXPECT_EQ(read(map, a), 1u);
    MUST(map->unwire(a + P, P));

    AnonObject* obj = MUST(AnonObject::create());
    MUST(map->map(at(12), P, RW, PROT_ALL, Inherit::Share, obj, 0, MAP_FIXED));
    EXPECT_EQ(map->discard(a, 3 * P, DISCARD_ANON_ONLY).error(), Errno::EINVAL);  // MADV_FREE
    EXPECT_EQ(read(map, a), 1u);
    MUST(map->discard(a, 2 * P, DISCARD_ANON_ONLY));
    EXPECT_EQ(read(map, a), 0u);

    write(map, a, 3);
    // Page 13 is a hole: the mapped pages are discarded, then ENOMEM.
    EXPECT_EQ(map->discard(a, 4 * P, 0).error(), Errno::ENOMEM);
    EXPECT_EQ(read(map, a), 0u);
    EXPECT_EQ(map->discard(at(13), P, 0).error(), Errno::ENOMEM);
    EXPECT_EQ(map->discard(at(9), P, DISCARD_ANON_ONLY).error(), Errno::ENOMEM);
    EXPECT_TRUE(map->is_fully_mapped(a, 3 * P));
    EXPECT_FALSE(map->is_fully_mapped(a, 4 * P));
}

} // namespace
