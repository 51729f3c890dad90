// tests/host/vm/map_test.cpp -- VmMap's entry tree: insert, remove, clip, merge, free space.
//
// Over the fake pmap; no faults here (vm/fault.cpp has its own tests).
#include "vm_fixture.h"

#include <tests/host/shim/fake_pmap.h>
#include <vm/amap.h>
#include <vm/aobj.h>
#include <vm/map.h>

using namespace vm;
using kern::Errno;

namespace {

constexpr Prot RW = PROT_READ | PROT_WRITE;

class MapTest : public vmtest::VmTest {
protected:
    VmMap* map = nullptr;
    void SetUp() override
    {
        VmTest::SetUp();
        map = MUST(VmMap::create(USER_MIN, USER_MIN + 1024 * PAGE_SIZE, MUST(arch::pmap_create())));
    }
    void TearDown() override
    {
        if (map)
            map->destroy();
        VmTest::TearDown();
    }
    uptr anon(uptr addr, size_t pages, u32 flags = MAP_PRIVATE | MAP_FIXED, Prot prot = RW)
    {
        return MUST(map->map(addr, pages * PAGE_SIZE, prot, PROT_ALL, Inherit::Copy, nullptr, 0, flags));
    }
    std::vector<std::pair<uptr, uptr>> ranges()
    {
        std::vector<std::pair<uptr, uptr>> r;
        kern::MutexGuard guard(map->lock());
        map->for_each_entry_locked([&](const MapEntry& e) { r.push_back({e.m_start, e.m_end}); });
        return r;
    }
    static uptr at(size_t page) { return USER_MIN + page * PAGE_SIZE; }
};

TEST_F(MapTest, AdjacentAnonymousMappingsMerge)
{
    anon(at(10), 4);
    anon(at(14), 4);  // after
    anon(at(6), 4);   // before
    EXPECT_EQ(map->entry_count(), 1u);
    EXPECT_EQ(ranges(), (std::vector<std::pair<uptr, uptr>>{{at(6), at(18)}}));
    EXPECT_EQ(map->validate(), nullptr);
}

TEST_F(MapTest, DifferentAttributesDoNotMerge)
{
    anon(at(10), 4);
    anon(at(14), 4, MAP_PRIVATE | MAP_FIXED, PROT_READ);
    EXPECT_EQ(map->entry_count(), 2u);
}

TEST_F(MapTest, ProtectInTheMiddleClipsIntoThree)
{
    anon(at(10), 10);
    MUST(map->protect(at(13), 2 * PAGE_SIZE, PROT_READ));
    EXPECT_EQ(ranges(), (std::vector<std::pair<uptr, uptr>>{{at(10), at(13)}, {at(13), at(15)}, {at(15), at(20)}}));
    EXPECT_EQ(map->validate(), nullptr);
    kern::MutexGuard guard(map->lock());
    EXPECT_EQ(map->lookup_locked(at(14))->m_prot, PROT_READ);
    EXPECT_EQ(map->lookup_locked(at(15))->m_prot, RW);
}

TEST_F(MapTest, ClipKeepsObjectOffsetsAndAmapSlots)
{
    AnonObject* obj = MUST(AnonObject::create());
    MUST(map->map(at(0), 8 * PAGE_SIZE, RW, PROT_ALL, Inherit::Share, obj, 16 * PAGE_SIZE, MAP_FIXED));
    MUST(map->protect(at(3), PAGE_SIZE, PROT_READ));
    kern::MutexGuard guard(map->lock());
    EXPECT_EQ(map->lookup_locked(at(3))->m_object_offset, 19 * PAGE_SIZE);
    EXPECT_EQ(map->lookup_locked(at(5))->m_object_offset, 20 * PAGE_SIZE);
    EXPECT_EQ(map->lookup_locked(at(7))->object_offset_of(at(7)), 23 * PAGE_SIZE);
    EXPECT_EQ(obj->ref_count(), 3u);  // one per entry after two clips
}

TEST_F(MapTest, UnmapRemovesAndSplits)
{
    anon(at(0), 10);
    MUST(map->unmap(at(4), 2 * PAGE_SIZE));
    EXPECT_EQ(ranges(), (std::vector<std::pair<uptr, uptr>>{{at(0), at(4)}, {at(6), at(10)}}));
    MUST(map->unmap(at(0), 10 * PAGE_SIZE));  // across the hole
    EXPECT_EQ(map->entry_count(), 0u);
    EXPECT_EQ(map->mapped_bytes(), 0u);
    EXPECT_EQ(map->validate(), nullptr);
}

TEST_F(MapTest, FixedMappingReplacesWhatIsThere)
{
    anon(at(0), 10);
    MUST(map->map(at(2), 2 * PAGE_SIZE, PROT_READ, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE | MAP_FIXED));
    EXPECT_EQ(map->entry_count(), 3u);
    EXPECT_EQ(map->mapped_bytes(), 10 * PAGE_SIZE);
    EXPECT_EQ(map->map(at(2), PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 0,
                       MAP_PRIVATE | MAP_FIXED | MAP_NOREPLACE).error(), Errno::EEXIST);
}

TEST_F(MapTest, FindSpaceUsesHintAlignmentAndGaps)
{
    anon(at(0), 4);
    anon(at(8), 4);
    anon(at(20), 4);
    kern::MutexGuard guard(map->lock());
    EXPECT_EQ(map->find_space_locked(0, 4 * PAGE_SIZE, PAGE_SIZE).value(), at(4));    // first gap fits
    EXPECT_EQ(map->find_space_locked(0, 5 * PAGE_SIZE, PAGE_SIZE).value(), at(12));   // skips a small gap
    EXPECT_EQ(map->find_space_locked(at(13), PAGE_SIZE, PAGE_SIZE).value(), at(13));  // hint honoured
    EXPECT_EQ(map->find_space_locked(at(1), PAGE_SIZE, PAGE_SIZE).value(), at(4));    // hint inside an entry
    uptr aligned = map->find_space_locked(0, PAGE_SIZE, 16 * PAGE_SIZE).value();
    EXPECT_EQ(aligned % (16 * PAGE_SIZE), 0u);
    EXPECT_GE(aligned, at(12));
    EXPECT_EQ(map->find_space_locked(0, 2000 * PAGE_SIZE, PAGE_SIZE).error(), Errno::ENOMEM);
}

TEST_F(MapTest, FillingTheMapEndsWithEnomem)
{
    size_t n = 0;
    for (;; ++n) {
        auto r = map->map(0, 3 * PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE);
        if (r.is_error()) {
            EXPECT_EQ(r.error(), Errno::ENOMEM);
            break;
        }
        MUST(map->protect(r.value(), PAGE_SIZE, PROT_READ));  // keep entries from merging
    }
    EXPECT_EQ(n, 1024u / 3);
    EXPECT_EQ(map->validate(), nullptr);
}

TEST_F(MapTest, ManyEntriesStayBalancedAndSearchable)
{
    // Every other page mapped, with distinct protections so nothing merges.
    for (size_t p = 0; p < 1024; p += 2)
        anon(at(p), 1, MAP_PRIVATE | MAP_FIXED, (p / 2) % 2 ? RW : PROT_READ);
    EXPECT_EQ(map->entry_count(), 512u);
    ASSERT_EQ(map->validate(), nullptr);
    kern::MutexGuard guard(map->lock());
    EXPECT_EQ(map->find_space_locked(0, PAGE_SIZE, PAGE_SIZE).value(), at(1));
    EXPECT_EQ(map->find_space_locked(0, 2 * PAGE_SIZE, PAGE_SIZE).error(), Errno::ENOMEM);
    for (size_t p = 0; p < 1024; ++p)
        EXPECT_EQ(map->lookup_locked(at(p)) != nullptr, p % 2 == 0);
}

TEST_F(MapTest, BadArguments)
{
    EXPECT_EQ(map->map(0, 0, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE).error(), Errno::EINVAL);
    EXPECT_EQ(map->map(at(0) + 1, PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE | MAP_FIXED).error(), Errno::EINVAL);
    EXPECT_EQ(map->map(at(1023), 2 * PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 0, MAP_PRIVATE | MAP_FIXED).error(), Errno::EINVAL);
    EXPECT_EQ(map->map(0, PAGE_SIZE, RW, PROT_READ, Inherit::Copy, nullptr, 0, MAP_PRIVATE).error(), Errno::EINVAL);
    EXPECT_EQ(map->map(0, PAGE_SIZE, RW, PROT_ALL, Inherit::Copy, nullptr, 1, MAP_PRIVATE).error(), Errno::EINVAL);
    EXPECT_EQ(map->unmap(at(0) + 5, PAGE_SIZE).error(), Errno::EINVAL);
    EXPECT_EQ(map->protect(at(0), PAGE_SIZE, 0x80).error(), Errno::EINVAL);
    EXPECT_EQ(map->protect(at(0), PAGE_SIZE, PROT_READ).error(), Errno::ENOMEM);  // nothing mapped
    EXPECT_EQ(map->entry_count(), 0u);
}

} // namespace
