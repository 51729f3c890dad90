// tests/host/kernel/base/heap/slab_test.cpp -- GoogleTest suite for kern::SlabCache.
//
// Each test builds a page allocator over a host buffer ("physical" memory at
// 1 MiB, arch::g_direct_map_base pointing so that phys_to_virt lands in the
// buffer) and checks, besides the behaviour under test, that every page goes
// back to the page allocator once the cache is shrunk or destroyed.
#include <kernel/base/heap/slab.h>

#include <arch/mmu.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <vector>

// libc's <errno.h> (pulled in by the C++ headers) defines ENOMEM as a macro.
#undef ENOMEM

using kern::Slab;
using kern::SlabCache;
using vm::Page;

namespace {

constexpr PhysAddr PHYS_BASE = 1ull << 20;

// A page allocator over `frames` host pages, all usable.
class HostMemory {
public:
    explicit HostMemory(size_t frames)
        : m_saved_base(arch::g_direct_map_base)
        , m_buffer(static_cast<unsigned char*>(std::aligned_alloc(PAGE_SIZE, frames * PAGE_SIZE)))
        , m_descriptors(new Page[frames])
    {
        arch::g_direct_map_base = reinterpret_cast<uptr>(m_buffer.get()) - PHYS_BASE;
        pages.init(m_descriptors.get(), PHYS_BASE, frames);
        pages.add_free_range(PHYS_BASE, PHYS_BASE + frames * PAGE_SIZE);
        initial_free = pages.stats().free;
    }
    ~HostMemory() { arch::g_direct_map_base = m_saved_base; }

    size_t free_pages() const { return pages.stats().free; }
    size_t used_pages() const { return pages.stats().kernel; }

private:
    struct FreeDeleter {
        void operator()(unsigned char* p) const { std::free(p); }
    };
    uptr m_saved_base;
    std::unique_ptr<unsigned char, FreeDeleter> m_buffer;
    std::unique_ptr<Page[]> m_descriptors;

public:
    vm::PageAllocator pages; // after the memory it manages: destroyed first
    size_t initial_free = 0;
};

void fill(void* p, size_t n, unsigned char seed)
{
    auto* b = static_cast<unsigned char*>(p);
    for (size_t i = 0; i < n; ++i)
        b[i] = static_cast<unsigned char>(seed + i * 7);
}

bool filled(const void* p, size_t n, unsigned char seed)
{
    auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i)
        if (b[i] != static_cast<unsigned char>(seed + i * 7))
            return false;
    return true;
}

TEST(SlabCache, SizeIsRoundedAndHeadersPlacedBySize)
{
    HostMemory mem(64);
    SlabCache headers("hdr", sizeof(Slab), mem.pages);
    SlabCache small("small", 24, mem.pages, &headers);
    SlabCache big("big", 1000, mem.pages, &headers);
    EXPECT_EQ(small.object_size(), 32u);
    EXPECT_EQ(small.stats().objects_per_slab, (PAGE_SIZE - SlabCache::ON_PAGE_HEADER) / 32);
    EXPECT_FALSE(small.stats().off_page_headers);
    EXPECT_EQ(big.object_size(), 1008u);
    EXPECT_EQ(big.stats().objects_per_slab, 4u); // off-page: the whole page for objects
    EXPECT_TRUE(big.stats().off_page_headers);
    EXPECT_EQ(mem.used_pages(), 0u); // constructing a cache allocates nothing
}

TEST(SlabCache, FillsOneSlabBeforeGrowingAndObjectsAreDistinct)
{
    HostMemory mem(64);
    SlabCache cache("t", 64, mem.pages);
    const size_t per_slab = cache.stats().objects_per_slab;
    std::vector<void*> objs;
    for (size_t i = 0; i < per_slab; ++i) {
        void* p = cache.allocate().value();
        EXPECT_TRUE(is_aligned(reinterpret_cast<uptr>(p), 16));
        std::memset(p, 0x5a, 64); // the whole object, under ASan
        objs.push_back(p);
    }
    EXPECT_EQ(cache.stats().slabs, 1u);
    EXPECT_EQ(mem.used_pages(), 1u);
    // All in the one slab page, after its header, none twice.
    char* page = static_cast<char*>(objs[0]) - SlabCache::ON_PAGE_HEADER;
    for (void* p : objs) {
        EXPECT_GE(static_cast<char*>(p), page + SlabCache::ON_PAGE_HEADER);
        EXPECT_LE(static_cast<char*>(p) + 64, page + PAGE_SIZE);
    }
    EXPECT_EQ(std::set<void*>(objs.begin(), objs.end()).size(), per_slab);

    objs.push_back(cache.allocate().value());
    EXPECT_EQ(cache.stats().slabs, 2u);
    cache.verify();
    for (void* p : objs)
        cache.free(p);
    cache.verify();
    EXPECT_EQ(cache.stats().slabs, 1u); // one spare kept
    EXPECT_EQ(cache.shrink(), 1u);
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(SlabCache, EmptySlabsBeyondOneSpareGoBackAtOnce)
{
    HostMemory mem(64);
    SlabCache cache("t", 256, mem.pages);
    const size_t per_slab = cache.stats().objects_per_slab;
    std::vector<void*> objs;
    for (size_t i = 0; i < 4 * per_slab; ++i)
        objs.push_back(cache.allocate().value());
    EXPECT_EQ(cache.stats().slabs, 4u);
    EXPECT_EQ(mem.used_pages(), 4u);
    for (void* p : objs)
        cache.free(p);
    EXPECT_EQ(cache.stats().slabs, 1u);
    EXPECT_EQ(mem.used_pages(), 1u);
    // The spare is reused: no new page for the next object.
    void* again = cache.allocate().value();
    EXPECT_EQ(mem.used_pages(), 1u);
    cache.free(again);
    cache.verify();
}

TEST(SlabCache, PageDescriptorPointsAtTheSlab)
{
    HostMemory mem(64);
    SlabCache cache("t", 128, mem.pages);
    void* p = cache.allocate().value();
    Page* page = mem.pages.page_for_virt(p);
    ASSERT_NE(page, nullptr);
    EXPECT_TRUE(page->has(Page::SLAB));
    EXPECT_EQ(static_cast<Slab*>(page->m_owner)->m_cache, &cache);
    EXPECT_EQ(SlabCache::cache_of(mem.pages, p), &cache);
    Page* plain = mem.pages.allocate().value();
    EXPECT_EQ(SlabCache::cache_of(mem.pages, mem.pages.virt_of(*plain)), nullptr);
    int on_stack = 0;
    EXPECT_EQ(SlabCache::cache_of(mem.pages, &on_stack), nullptr);
    mem.pages.free(plain);
    cache.free(p);
    EXPECT_EQ(cache.shrink(), 1u);
    EXPECT_FALSE(page->has(Page::SLAB));
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(SlabCache, OffPageHeadersComeFromTheHeaderCache)
{
    HostMemory mem(64);
    SlabCache headers("hdr", sizeof(Slab), mem.pages);
    {
        SlabCache cache("t", 2048, mem.pages, &headers);
        std::vector<void*> objs;
        for (int i = 0; i < 5; ++i) {
            objs.push_back(cache.allocate().value());
            std::memset(objs.back(), i, 2048);
        }
        EXPECT_EQ(cache.stats().slabs, 3u); // two objects per page
        EXPECT_EQ(headers.stats().in_use, 3u);
        EXPECT_TRUE(is_aligned(reinterpret_cast<uptr>(objs[0]), 2048));
        for (void* p : objs)
            cache.free(p);
        EXPECT_EQ(headers.stats().in_use, 1u); // the spare's
        headers.verify();
        cache.verify();
    } // the destructor returns the spare and its header
    EXPECT_EQ(headers.stats().in_use, 0u);
    headers.shrink();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(SlabCache, StatisticsCountEveryCall)
{
    HostMemory mem(64);
    SlabCache cache("counted", 96, mem.pages);
    std::vector<void*> objs;
    for (int i = 0; i < 100; ++i)
        objs.push_back(cache.allocate().value());
    for (int i = 0; i < 30; ++i)
        cache.free(objs[i]);
    kern::SlabCacheStats s = cache.stats();
    EXPECT_STREQ(s.name, "counted");
    EXPECT_EQ(s.object_size, 96u);
    EXPECT_EQ(s.in_use, 70u);
    EXPECT_EQ(s.allocated_total, 100u);
    EXPECT_EQ(s.freed_total, 30u);
    EXPECT_EQ(s.failures, 0u);
    EXPECT_EQ(s.pages, s.slabs);
    EXPECT_EQ(s.slabs, mem.used_pages());
    for (int i = 30; i < 100; ++i)
        cache.free(objs[i]);
}

TEST(SlabCache, OutOfPagesIsEnomemAndRecovers)
{
    HostMemory mem(4);
    SlabCache cache("t", 2048, mem.pages); // on-page header: one object per page
    std::vector<void*> objs;
    for (;;) {
        auto r = cache.allocate();
        if (r.is_error()) {
            EXPECT_EQ(r.error(), kern::Errno::ENOMEM);
            break;
        }
        objs.push_back(r.value());
    }
    EXPECT_EQ(objs.size(), 4u);
    EXPECT_EQ(cache.stats().failures, 1u);
    cache.free(objs.back());
    objs.back() = cache.allocate().value(); // recovery
    for (void* p : objs)
        cache.free(p);
    cache.shrink();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(SlabCache, HeaderAllocationFailureGivesThePageBack)
{
    HostMemory mem(2);
    SlabCache headers("hdr", sizeof(Slab), mem.pages);
    SlabCache cache("t", 1024, mem.pages, &headers);
    Page* hog = mem.pages.allocate().value(); // one frame left
    auto r = cache.allocate();                // gets the frame, then no header page
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error(), kern::Errno::ENOMEM);
    EXPECT_EQ(mem.free_pages(), 1u);
    EXPECT_EQ(cache.stats().slabs, 0u);
    mem.pages.free(hog);
    void* p = cache.allocate().value(); // now: one page for objects, one for headers
    EXPECT_EQ(mem.free_pages(), 0u);
    cache.free(p);
    cache.shrink();
    headers.shrink();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(SlabCache, RandomizedContentsSurvive)
{
    HostMemory mem(256);
    SlabCache headers("hdr", sizeof(Slab), mem.pages);
    SlabCache small("small", 48, mem.pages, &headers);
    SlabCache big("big", 512, mem.pages, &headers);
    struct Live { SlabCache* cache; void* p; unsigned char seed; };
    std::vector<Live> live;
    std::mt19937 rng(7);
    for (int step = 0; step < 30000; ++step) {
        if (live.empty() || rng() % 100 < 52) {
            SlabCache* c = rng() % 4 ? &small : &big;
            auto r = c->allocate();
            if (r.is_error())
                continue;
            unsigned char seed = static_cast<unsigned char>(rng());
            fill(r.value(), c->object_size(), seed);
            live.push_back({c, r.value(), seed});
        } else {
            size_t k = rng() % live.size();
            Live l = live[k];
            live[k] = live.back();
            live.pop_back();
            ASSERT_TRUE(filled(l.p, l.cache->object_size(), l.seed)) << "step " << step;
            l.cache->free(l.p);
        }
        if (step % 1000 == 0) {
            small.verify();
            big.verify();
            headers.verify();
            mem.pages.verify();
        }
    }
    for (const Live& l : live) {
        ASSERT_TRUE(filled(l.p, l.cache->object_size(), l.seed));
        l.cache->free(l.p);
    }
    small.shrink();
    big.shrink();
    headers.shrink();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

// ---- misuse stops the kernel ------------------------------------------------

TEST(SlabCacheDeathTest, DoubleFree)
{
    HostMemory mem(8);
    SlabCache cache("t", 64, mem.pages);
    void* a = cache.allocate().value();
    void* b = cache.allocate().value();
    cache.free(a);
    EXPECT_DEATH(cache.free(a), "PANIC: slab: double free");
    cache.free(b);
}

TEST(SlabCacheDeathTest, FreeOfAPointerInsideAnObject)
{
    HostMemory mem(8);
    SlabCache cache("t", 64, mem.pages);
    char* a = static_cast<char*>(cache.allocate().value());
    EXPECT_DEATH(cache.free(a + 8), "PANIC: slab: free of .*not an object start");
    cache.free(a);
}

TEST(SlabCacheDeathTest, FreeToTheWrongCache)
{
    HostMemory mem(8);
    SlabCache one("one", 64, mem.pages);
    SlabCache two("two", 64, mem.pages);
    void* a = one.allocate().value();
    EXPECT_DEATH(two.free(a), "PANIC: slab: .* freed to two but belongs to one");
    one.free(a);
}

TEST(SlabCacheDeathTest, DestroyWithObjectsInUse)
{
    HostMemory mem(8);
    EXPECT_DEATH(
        {
            SlabCache cache("leaky", 64, mem.pages);
            (void)cache.allocate();
        },
        "PANIC: slab: cache leaky destroyed with 1 objects in use");
}

#if defined(__SANITIZE_ADDRESS__)
TEST(SlabCacheDeathTest, WriteAfterFreeIsCaughtByASan)
{
    HostMemory mem(8);
    SlabCache cache("t", 64, mem.pages);
    auto* a = static_cast<volatile char*>(cache.allocate().value());
    void* b = cache.allocate().value();
    cache.free(const_cast<char*>(a));
    EXPECT_DEATH(a[40] = 1, "use-after-poison");
    cache.free(b);
}
#endif

} // namespace
