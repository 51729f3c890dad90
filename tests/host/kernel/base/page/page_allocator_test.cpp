// tests/host/kernel/base/page/page_allocator_test.cpp -- GoogleTest suite for vm::PageAllocator.
//
// Each test builds its own allocator over a host buffer. "Physical" memory
// starts at PHYS_BASE (1 MiB, not 0, so that an index used as an address or
// the reverse shows up), and arch::g_direct_map_base is set so that
// phys_to_virt(PHYS_BASE) is the first byte of the buffer. Frees are checked
// to bring the free-block census back to where it started (full coalescing),
// and verify() walks all descriptors after every test.
#include <kernel/base/page/page_allocator.h>

#include <arch/mmu.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

// libc's <errno.h> (pulled in by the C++ headers) defines ENOMEM etc. as macros.
#undef ENOMEM
#undef EINVAL

using vm::MAX_ORDER;
using vm::MAX_RUN_PAGES;
using vm::Page;
using vm::PageAllocator;
using vm::PageStats;

namespace {

constexpr PhysAddr PHYS_BASE = 1ull << 20;

struct FreeDeleter {
    void operator()(unsigned char* p) const { std::free(p); }
};

class PageAllocatorTest : public ::testing::Test {
protected:
    // Declared before m_alloc so that they outlive it.
    std::unique_ptr<unsigned char, FreeDeleter> m_buffer;
    std::unique_ptr<Page[]> m_pages;
    PageAllocator m_alloc;
    size_t m_frames = 0;
    uptr m_saved_base = 0;
    PageStats m_initial = {};

    void SetUp() override { m_saved_base = arch::g_direct_map_base; }
    void TearDown() override
    {
        if (m_frames)
            m_alloc.verify();
        arch::g_direct_map_base = m_saved_base;
    }

    // A window of `frames` frames at PHYS_BASE, all RESERVED.
    void make_window(size_t frames)
    {
        m_frames = frames;
        m_buffer.reset(static_cast<unsigned char*>(std::aligned_alloc(PAGE_SIZE, frames * PAGE_SIZE)));
        ASSERT_NE(m_buffer, nullptr);
        m_pages.reset(new Page[frames]);
        arch::g_direct_map_base = reinterpret_cast<uptr>(m_buffer.get()) - PHYS_BASE;
        m_alloc.init(m_pages.get(), PHYS_BASE, frames);
    }

    // The common case: the whole window usable.
    void make(size_t frames)
    {
        make_window(frames);
        EXPECT_EQ(m_alloc.add_free_range(PHYS_BASE, PHYS_BASE + frames * PAGE_SIZE), frames);
        m_initial = m_alloc.stats();
    }

    size_t index_of(const Page* p) const { return (m_alloc.phys_of(*p) - PHYS_BASE) >> PAGE_SHIFT; }

    void expect_back_to_initial()
    {
        PageStats now = m_alloc.stats();
        EXPECT_EQ(now.free, m_initial.free);
        EXPECT_EQ(now.kernel, m_initial.kernel);
        for (unsigned o = 0; o <= MAX_ORDER; ++o)
            EXPECT_EQ(now.free_blocks[o], m_initial.free_blocks[o]) << "order " << o;
        m_alloc.verify();
    }

    // Stamp / check a run: every word of small runs, the ends of each page of big ones.
    void stamp(const Page* p, size_t count, u64 tag)
    {
        auto* words = static_cast<u64*>(m_alloc.virt_of(*p));
        const size_t per_page = PAGE_SIZE / sizeof(u64);
        for (size_t i = 0; i < count; ++i) {
            words[i * per_page] = tag + i;
            words[i * per_page + per_page - 1] = ~(tag + i);
        }
    }
    void check_stamp(const Page* p, size_t count, u64 tag)
    {
        auto* words = static_cast<u64*>(m_alloc.virt_of(*p));
        const size_t per_page = PAGE_SIZE / sizeof(u64);
        for (size_t i = 0; i < count; ++i) {
            ASSERT_EQ(words[i * per_page], tag + i);
            ASSERT_EQ(words[i * per_page + per_page - 1], ~(tag + i));
        }
    }
};

TEST_F(PageAllocatorTest, InitialBlocksAreAlignedToPhysicalFrameNumbers)
{
    make(2048); // [1 MiB, 9 MiB): 256 frames o8, 512 o9, 1024 o10, 256 o8
    PageStats s = m_alloc.stats();
    EXPECT_EQ(s.total, 2048u);
    EXPECT_EQ(s.free, 2048u);
    EXPECT_EQ(s.kernel, 0u);
    EXPECT_EQ(s.reserved, 0u);
    EXPECT_EQ(s.free_blocks[8], 2u);
    EXPECT_EQ(s.free_blocks[9], 1u);
    EXPECT_EQ(s.free_blocks[10], 1u);
    EXPECT_EQ(m_alloc.page_for(PHYS_BASE - 1), nullptr);
    EXPECT_EQ(m_alloc.page_for(PHYS_BASE + 2048 * PAGE_SIZE), nullptr);
    EXPECT_EQ(m_alloc.page_for_virt(m_buffer.get() + 2048 * PAGE_SIZE), nullptr);
}

TEST_F(PageAllocatorTest, AddressConversionsRoundTrip)
{
    make(64);
    Page* p = m_alloc.allocate().value();
    PhysAddr pa = m_alloc.phys_of(*p);
    EXPECT_GE(pa, PHYS_BASE);
    EXPECT_TRUE(is_aligned(pa, PAGE_SIZE));
    EXPECT_EQ(m_alloc.page_for(pa), p);
    EXPECT_EQ(m_alloc.page_for(pa + PAGE_SIZE - 1), p);
    EXPECT_EQ(m_alloc.virt_of(*p), m_buffer.get() + (pa - PHYS_BASE));
    EXPECT_EQ(m_alloc.page_for_virt(static_cast<char*>(m_alloc.virt_of(*p)) + 100), p);
    EXPECT_EQ(p->m_run_pages, 1u);
    EXPECT_EQ(p->m_ref_count, 1u);
    EXPECT_TRUE(p->has(Page::KERNEL));
    m_alloc.free(p);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, SinglePagesUntilEmptyThenRecovery)
{
    make(512);
    std::vector<Page*> got;
    for (;;) {
        auto r = m_alloc.allocate();
        if (r.is_error()) {
            EXPECT_EQ(r.error(), kern::Errno::ENOMEM);
            break;
        }
        stamp(r.value(), 1, got.size());
        got.push_back(r.value());
    }
    ASSERT_EQ(got.size(), 512u);
    EXPECT_EQ(m_alloc.stats().free, 0u);
    EXPECT_EQ(m_alloc.stats().kernel, 512u);
    EXPECT_TRUE(m_alloc.allocate_pages(1).is_error());
    std::vector<Page*> sorted = got;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
    for (size_t i = 0; i < got.size(); ++i)
        check_stamp(got[i], 1, i);

    m_alloc.free(got.back()); // recovery: one page back, one page out
    got.pop_back();
    Page* again = m_alloc.allocate().value();
    got.push_back(again);
    for (Page* p : got)
        m_alloc.free(p);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, AllocateEachGivesDistinctPagesUntilMemoryEnds)
{
    make(40);
    Page* batch[32];
    ASSERT_EQ(m_alloc.allocate_each(batch, 32), 32u);
    Page* rest[32];
    EXPECT_EQ(m_alloc.allocate_each(rest, 32), 8u);  // fewer: memory ran out
    EXPECT_EQ(m_alloc.allocate_each(rest + 8, 1), 0u);
    std::vector<Page*> all(batch, batch + 32);
    all.insert(all.end(), rest, rest + 8);
    for (Page* p : all) {
        EXPECT_TRUE(p->has(Page::KERNEL));  // as from allocate(0)
        EXPECT_EQ(p->m_run_pages, 1u);
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
    for (Page* p : all)
        m_alloc.free(p);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, BlocksOfEveryOrderAreNaturallyAligned)
{
    make(4096);
    for (unsigned order = 0; order <= MAX_ORDER; ++order) {
        Page* p = m_alloc.allocate(order).value();
        EXPECT_TRUE(is_aligned(m_alloc.phys_of(*p), PAGE_SIZE << order)) << order;
        EXPECT_EQ(p->m_run_pages, 1u << order);
        EXPECT_EQ(m_alloc.stats().kernel, size_t(1) << order);
        stamp(p, size_t(1) << order, order);
        m_alloc.free(p, order);
        expect_back_to_initial();
    }
}

TEST_F(PageAllocatorTest, RunsOfEverySizeCostExactlyTheirLength)
{
    make(2048);
    for (size_t n = 1; n <= MAX_RUN_PAGES; ++n) {
        Page* p = m_alloc.allocate_pages(n).value();
        EXPECT_EQ(p->m_run_pages, n);
        EXPECT_EQ(m_alloc.stats().kernel, n);
        for (size_t i = 0; i < n; ++i)
            ASSERT_TRUE(p[i].has(Page::KERNEL));
        if (n <= 64 || n % 97 == 0) {
            stamp(p, n, n * 1000);
            check_stamp(p, n, n * 1000);
        }
        m_alloc.free_pages(p, n);
        ASSERT_EQ(m_alloc.stats().free, 2048u);
        if (n % 128 == 0)
            expect_back_to_initial();
    }
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, RunTailsAreAllocatableWhileTheRunIsLive)
{
    make(1024);
    Page* run = m_alloc.allocate_pages(5).value(); // from an 8-frame block
    Page* a = m_alloc.allocate().value();
    Page* b = m_alloc.allocate(1).value();
    // The three frames after the run are free and the smallest fits: a and b come from them.
    EXPECT_EQ(index_of(a), index_of(run) + 5);
    EXPECT_EQ(index_of(b), index_of(run) + 6);
    m_alloc.free(a);
    m_alloc.free_pages(run, 5);
    m_alloc.free(b, 1);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, AllocatePagesArgumentErrors)
{
    make(2048);
    auto zero = m_alloc.allocate_pages(0);
    ASSERT_TRUE(zero.is_error());
    EXPECT_EQ(zero.error(), kern::Errno::EINVAL);
    auto huge = m_alloc.allocate_pages(MAX_RUN_PAGES + 1);
    ASSERT_TRUE(huge.is_error());
    EXPECT_EQ(huge.error(), kern::Errno::ENOMEM);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, RandomFreeOrderCoalescesCompletely)
{
    make(2048);
    std::vector<Page*> got;
    for (size_t i = 0; i < 2048; ++i)
        got.push_back(m_alloc.allocate().value());
    std::mt19937 rng(42);
    std::shuffle(got.begin(), got.end(), rng);
    for (size_t i = 0; i < got.size(); ++i) {
        m_alloc.free(got[i]);
        if (i % 256 == 0)
            m_alloc.verify();
    }
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, FragmentationDefeatsLargeRequestsUntilFreed)
{
    make(1024);
    std::vector<Page*> got(1024);
    for (auto& p : got)
        p = m_alloc.allocate().value();
    // Free every other frame by address: half the memory is free, yet no two
    // free frames are adjacent, so every order >= 1 request fails.
    std::sort(got.begin(), got.end());
    for (size_t i = 0; i < got.size(); i += 2)
        m_alloc.free(got[i]);
    EXPECT_EQ(m_alloc.stats().free, 512u);
    EXPECT_EQ(m_alloc.stats().free_blocks[0], 512u);
    EXPECT_TRUE(m_alloc.allocate(1).is_error());
    EXPECT_TRUE(m_alloc.allocate_pages(2).is_error());
    Page* single = m_alloc.allocate_pages(1).value(); // but single frames are there
    m_alloc.free_pages(single, 1);
    for (size_t i = 1; i < got.size(); i += 2)
        m_alloc.free(got[i]);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, NonContiguousRangesWithUnalignedEnds)
{
    make_window(1024);
    // Frames 1..9 (start rounded up, end rounded down), 20..299, 512..1023.
    EXPECT_EQ(m_alloc.add_free_range(PHYS_BASE + 100, PHYS_BASE + 10 * PAGE_SIZE + 5), 9u);
    EXPECT_EQ(m_alloc.add_free_range(PHYS_BASE + 20 * PAGE_SIZE, PHYS_BASE + 300 * PAGE_SIZE), 280u);
    EXPECT_EQ(m_alloc.add_free_range(PHYS_BASE + 512 * PAGE_SIZE, PHYS_BASE + 4096 * PAGE_SIZE), 512u);
    EXPECT_EQ(m_alloc.add_free_range(0, PHYS_BASE), 0u); // outside the window
    m_initial = m_alloc.stats();
    EXPECT_EQ(m_initial.free, 801u);
    EXPECT_EQ(m_initial.reserved, 1024u - 801u);
    m_alloc.verify();

    auto usable = [](size_t i) { return (i >= 1 && i < 10) || (i >= 20 && i < 300) || i >= 512; };
    std::vector<std::pair<Page*, size_t>> runs;
    for (size_t n : {512u, 256u, 8u, 4u, 3u, 1u, 1u, 1u, 1u, 1u}) {
        auto r = m_alloc.allocate_pages(n);
        if (r.is_error())
            continue;
        for (size_t i = 0; i < n; ++i)
            ASSERT_TRUE(usable(index_of(r.value()) + i)) << "run of " << n;
        runs.push_back({r.value(), n});
    }
    for (;;) {
        auto r = m_alloc.allocate();
        if (r.is_error())
            break;
        ASSERT_TRUE(usable(index_of(r.value())));
        runs.push_back({r.value(), 1});
    }
    EXPECT_EQ(m_alloc.stats().kernel, 801u);
    for (auto& [p, n] : runs)
        m_alloc.free_pages(p, n);
    expect_back_to_initial();
}

TEST_F(PageAllocatorTest, ReserveRangeSplitsFreeBlocks)
{
    make(1024);
    // Frames 5 and 6: [start, end) rounded outward.
    EXPECT_EQ(m_alloc.reserve_range(PHYS_BASE + 5 * PAGE_SIZE + 1, PHYS_BASE + 7 * PAGE_SIZE - 1), 2u);
    EXPECT_EQ(m_alloc.reserve_range(PHYS_BASE + 5 * PAGE_SIZE, PHYS_BASE + 6 * PAGE_SIZE), 0u);
    PageStats s = m_alloc.stats();
    EXPECT_EQ(s.reserved, 2u);
    EXPECT_EQ(s.free, 1022u);
    m_alloc.verify();
    std::vector<Page*> got;
    while (true) {
        auto r = m_alloc.allocate();
        if (r.is_error())
            break;
        ASSERT_NE(index_of(r.value()), 5u);
        ASSERT_NE(index_of(r.value()), 6u);
        got.push_back(r.value());
    }
    EXPECT_EQ(got.size(), 1022u);
    for (Page* p : got)
        m_alloc.free(p);
    EXPECT_EQ(m_alloc.stats().free, 1022u);
    m_alloc.verify();
}

TEST_F(PageAllocatorTest, ZeroPagesClearsTheRun)
{
    make(64);
    Page* p = m_alloc.allocate_pages(3).value();
    std::memset(m_alloc.virt_of(*p), 0xab, 3 * PAGE_SIZE);
    m_alloc.zero_pages(*p, 3);
    auto* bytes = static_cast<unsigned char*>(m_alloc.virt_of(*p));
    EXPECT_TRUE(std::all_of(bytes, bytes + 3 * PAGE_SIZE, [](unsigned char c) { return c == 0; }));
    std::memset(bytes, 0xcd, PAGE_SIZE);
    m_alloc.zero_page(*p);
    EXPECT_EQ(bytes[PAGE_SIZE - 1], 0);
    m_alloc.free_pages(p, 3);
    expect_back_to_initial();
}

// The oracle: who owns each frame. A run must land on frames the oracle says
// are free; ENOMEM is only allowed when no naturally aligned all-free region
// of the needed order exists (full coalescing guarantees it would be found).
TEST_F(PageAllocatorTest, RandomizedAgainstOracle)
{
    make(2048); // [1 MiB, 9 MiB)
    std::mt19937 rng(1234);
    std::vector<int> owner(2048, -1);
    struct Live { Page* head; size_t count; u64 tag; };
    std::vector<Live> live;
    size_t kernel = 0, failures = 0;
    const u64 first_pfn = PHYS_BASE >> PAGE_SHIFT;

    auto aligned_free_region_exists = [&](unsigned order) {
        for (unsigned o = order; o <= MAX_ORDER; ++o) {
            const size_t len = size_t(1) << o;
            for (u64 pfn = align_up(first_pfn, len); pfn + len <= first_pfn + 2048; pfn += len)
                if (std::all_of(&owner[pfn - first_pfn], &owner[pfn - first_pfn] + len, [](int v) { return v < 0; }))
                    return true;
        }
        return false;
    };

    for (int step = 0; step < 20000; ++step) {
        const bool do_alloc = live.empty() || rng() % 100 < 55;
        if (do_alloc) {
            const unsigned r = rng() % 100;
            size_t n = r < 60 ? 1 + rng() % 4 : r < 95 ? 1 + rng() % 64 : 1 + rng() % MAX_RUN_PAGES;
            auto got = m_alloc.allocate_pages(n);
            if (got.is_error()) {
                unsigned order = 0;
                while ((size_t(1) << order) < n)
                    ++order;
                ASSERT_FALSE(aligned_free_region_exists(order)) << "ENOMEM for " << n << " at step " << step;
                ++failures;
                continue;
            }
            const size_t first = index_of(got.value());
            ASSERT_LE(first + n, 2048u);
            for (size_t i = 0; i < n; ++i) {
                ASSERT_EQ(owner[first + i], -1) << "overlap at step " << step;
                owner[first + i] = step;
            }
            const u64 tag = u64(step) << 20;
            stamp(got.value(), n, tag);
            live.push_back({got.value(), n, tag});
            kernel += n;
        } else {
            const size_t k = rng() % live.size();
            Live l = live[k];
            live[k] = live.back();
            live.pop_back();
            check_stamp(l.head, l.count, l.tag);
            const size_t first = index_of(l.head);
            for (size_t i = 0; i < l.count; ++i)
                owner[first + i] = -1;
            m_alloc.free_pages(l.head, l.count);
            kernel -= l.count;
        }
        ASSERT_EQ(m_alloc.stats().kernel, kernel);
        if (step % 500 == 0)
            m_alloc.verify();
    }
    EXPECT_GT(failures, 0u); // the ENOMEM path was exercised
    for (const Live& l : live) {
        check_stamp(l.head, l.count, l.tag);
        m_alloc.free_pages(l.head, l.count);
    }
    expect_back_to_initial();
}

TEST(PageAllocatorGlobal, AccessorReturnsOneInstance)
{
    EXPECT_EQ(&vm::page_allocator(), &vm::page_allocator());
}

// ---- kernel bugs stop the kernel --------------------------------------------

using PageAllocatorDeathTest = PageAllocatorTest;

TEST_F(PageAllocatorDeathTest, DoubleFreeOfASinglePage)
{
    make(64);
    Page* p = m_alloc.allocate().value();
    m_alloc.free(p);
    EXPECT_DEATH(m_alloc.free(p), "PANIC: vm: double free");
}

TEST_F(PageAllocatorDeathTest, DoubleFreeAfterCoalescing)
{
    make(64);
    Page* a = m_alloc.allocate().value();
    Page* b = m_alloc.allocate().value();
    m_alloc.free(a);
    m_alloc.free(b); // a and b are buddies: now inside a larger free block
    EXPECT_DEATH(m_alloc.free(b), "PANIC: vm: double free");
}

TEST_F(PageAllocatorDeathTest, FreeOfAReservedPage)
{
    make_window(64);
    m_alloc.add_free_range(PHYS_BASE + PAGE_SIZE, PHYS_BASE + 64 * PAGE_SIZE);
    Page* reserved = m_alloc.page_for(PHYS_BASE);
    ASSERT_TRUE(reserved->is_reserved());
    EXPECT_DEATH(m_alloc.free(reserved), "PANIC: vm: free of reserved frame");
}

TEST_F(PageAllocatorDeathTest, FreeWithTheWrongLength)
{
    make(64);
    Page* p = m_alloc.allocate_pages(3).value();
    EXPECT_DEATH(m_alloc.free_pages(p, 4), "PANIC: vm: free of frame .* with 4 pages");
    m_alloc.free_pages(p, 3);
}

TEST_F(PageAllocatorDeathTest, ReserveOverAnAllocatedFrame)
{
    make(64);
    Page* p = m_alloc.allocate().value();
    PhysAddr pa = m_alloc.phys_of(*p);
    EXPECT_DEATH(m_alloc.reserve_range(pa, pa + PAGE_SIZE), "PANIC: vm: reserve_range over allocated");
    m_alloc.free(p);
}

#if defined(__SANITIZE_ADDRESS__)
TEST_F(PageAllocatorDeathTest, WriteToAFreedPageIsCaughtByASan)
{
    make(64);
    Page* p = m_alloc.allocate().value();
    auto* bytes = static_cast<volatile unsigned char*>(m_alloc.virt_of(*p));
    m_alloc.free(p);
    EXPECT_DEATH(bytes[100] = 1, "use-after-poison");
}
#endif

} // namespace
