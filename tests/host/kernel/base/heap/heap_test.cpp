// tests/host/kernel/base/heap/heap_test.cpp -- GoogleTest suite for kern::Heap and kmalloc.
//
// Each test builds a page allocator over a host buffer ("physical" memory at
// 1 MiB, arch::g_direct_map_base pointing so that phys_to_virt lands in the
// buffer) and a Heap over it, and ends by checking that every page went back:
// after shrink() or after the heap is destroyed, the page allocator's free
// count is where it started. The kmalloc test borrows the global allocator
// and heap and leaves them as it found them.
#include <kernel/base/heap/heap.h>

#include <arch/mmu.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

using kern::Heap;
using kern::HEAP_CLASS_COUNT;
using kern::HEAP_MAX_SIZE;
using kern::HeapStats;
using vm::Page;

namespace {

constexpr PhysAddr PHYS_BASE = 1ull << 20;
constexpr size_t CLASSES[HEAP_CLASS_COUNT] = {16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048};

// A page allocator over `frames` host pages, all usable. With `global`, the
// kernel's vm::page_allocator() is used (and reset afterwards).
class HostMemory {
public:
    explicit HostMemory(size_t frames, bool global = false)
        : m_saved_base(arch::g_direct_map_base)
        // The buffer stands for physical [0, PHYS_BASE + frames pages) and is
        // aligned like the kernel's direct map (beyond the largest block), so
        // physical alignment is also virtual alignment. Below PHYS_BASE: unused.
        , m_buffer(static_cast<unsigned char*>(std::aligned_alloc(
              HEAP_MAX_SIZE, align_up(PHYS_BASE + frames * PAGE_SIZE, HEAP_MAX_SIZE))))
        , m_descriptors(static_cast<unsigned char*>(
              std::aligned_alloc(64, align_up(frames * sizeof(Page), 64))))
        , pages(global ? vm::page_allocator() : m_own)
    {
        arch::g_direct_map_base = reinterpret_cast<uptr>(m_buffer.get());
        // Raw storage, as at boot: init() constructs the descriptors.
        pages.init(reinterpret_cast<Page*>(m_descriptors.get()), PHYS_BASE, frames);
        pages.add_free_range(PHYS_BASE, PHYS_BASE + frames * PAGE_SIZE);
        initial_free = pages.stats().free;
    }
    ~HostMemory()
    {
        pages.verify();
        pages.init(nullptr, 0, 0); // forget the descriptors (and the global's state)
        arch::g_direct_map_base = m_saved_base;
    }
    size_t free_pages() const { return pages.stats().free; }

private:
    struct FreeDeleter {
        void operator()(unsigned char* p) const { std::free(p); }
    };
    uptr m_saved_base;
    std::unique_ptr<unsigned char, FreeDeleter> m_buffer;
    std::unique_ptr<unsigned char, FreeDeleter> m_descriptors;
    vm::PageAllocator m_own;

public:
    vm::PageAllocator& pages;
    size_t initial_free = 0;
};

size_t class_of(size_t n)
{
    for (size_t c : CLASSES)
        if (n <= c)
            return c;
    return pages_for(n) * PAGE_SIZE;
}

void fill(void* p, size_t n, u32 seed)
{
    auto* b = static_cast<unsigned char*>(p);
    for (size_t i = 0; i < n; ++i)
        b[i] = static_cast<unsigned char>(seed ^ (i * 131));
}

bool filled(const void* p, size_t n, u32 seed)
{
    auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i)
        if (b[i] != static_cast<unsigned char>(seed ^ (i * 131)))
            return false;
    return true;
}

TEST(Heap, EverySizeUpToTheLargestClass)
{
    HostMemory mem(512);
    Heap heap(mem.pages);
    std::vector<void*> live;
    size_t expected_bytes = 0;
    for (size_t n = 0; n <= kern::HEAP_MAX_SLAB_SIZE; n += (n < 300 ? 1 : 7)) {
        void* p = heap.allocate(n);
        ASSERT_NE(p, nullptr) << n;
        EXPECT_TRUE(is_aligned(reinterpret_cast<uptr>(p), 16)) << n;
        const size_t size = heap.allocation_size(p);
        EXPECT_EQ(size, class_of(n == 0 ? 1 : n)) << n;
        std::memset(p, 0xee, size); // the whole usable size, under ASan
        expected_bytes += size;
        live.push_back(p);
    }
    HeapStats s = heap.stats();
    EXPECT_EQ(s.bytes_in_use, expected_bytes);
    EXPECT_EQ(s.large_allocations, 0u);
    EXPECT_EQ(s.cache_count, HEAP_CLASS_COUNT + 1);
    for (size_t i = 0; i < HEAP_CLASS_COUNT; ++i)
        EXPECT_EQ(s.caches[i].object_size, CLASSES[i]);
    EXPECT_STREQ(s.caches[HEAP_CLASS_COUNT].name, "slab-header");
    EXPECT_EQ(s.pages, mem.pages.stats().kernel);
    for (void* p : live)
        heap.free(p);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    heap.shrink();
    EXPECT_EQ(heap.stats().pages, 0u);
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(Heap, EachClassServesItsOwnRange)
{
    HostMemory mem(128);
    Heap heap(mem.pages);
    size_t low = 1;
    for (size_t i = 0; i < HEAP_CLASS_COUNT; ++i) {
        for (size_t n : {low, CLASSES[i]}) {
            void* p = heap.allocate(n);
            EXPECT_EQ(kern::SlabCache::cache_of(mem.pages, p), heap.cache_for(CLASSES[i]));
            EXPECT_EQ(heap.stats().caches[i].in_use, 1u);
            heap.free(p);
        }
        low = CLASSES[i] + 1;
    }
    EXPECT_EQ(heap.cache_for(kern::HEAP_MAX_SLAB_SIZE + 1), nullptr);
}

TEST(Heap, LargeAllocationsAreExactPageRuns)
{
    HostMemory mem(2048);
    Heap heap(mem.pages);
    for (size_t n : {size_t(2049), PAGE_SIZE, PAGE_SIZE + 1, size_t(3 * PAGE_SIZE), size_t(100000),
                     size_t(1 << 20) + 5, HEAP_MAX_SIZE}) {
        const size_t before = mem.free_pages();
        void* p = heap.allocate(n);
        ASSERT_NE(p, nullptr) << n;
        EXPECT_TRUE(is_aligned(reinterpret_cast<uptr>(p), PAGE_SIZE));
        EXPECT_EQ(heap.allocation_size(p), pages_for(n) * PAGE_SIZE);
        EXPECT_EQ(before - mem.free_pages(), pages_for(n)) << "a run costs exactly its pages";
        Page* head = mem.pages.page_for_virt(p);
        EXPECT_TRUE(head->has(Page::LARGE));
        EXPECT_EQ(head->m_run_pages, pages_for(n));
        HeapStats s = heap.stats();
        EXPECT_EQ(s.large_allocations, 1u);
        EXPECT_EQ(s.large_pages, pages_for(n));
        EXPECT_EQ(s.bytes_in_use, pages_for(n) * PAGE_SIZE);
        std::memset(p, 0x11, heap.allocation_size(p));
        heap.free(p);
        EXPECT_EQ(mem.free_pages(), before);
        EXPECT_EQ(heap.stats().large_allocations, 0u);
    }
    EXPECT_EQ(heap.allocate(HEAP_MAX_SIZE + 1), nullptr);
    EXPECT_EQ(heap.allocate(~size_t(0)), nullptr);
    EXPECT_EQ(heap.stats().failures, 2u);
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(Heap, FreeOfNullIsIgnored)
{
    HostMemory mem(16);
    Heap heap(mem.pages);
    heap.free(nullptr);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
}

TEST(Heap, AlignedAllocations)
{
    HostMemory mem(4096); // four 2 MiB-aligned 2 MiB blocks and more
    Heap heap(mem.pages);
    std::vector<void*> live;
    for (size_t align : {size_t(8), size_t(16), size_t(32), size_t(64), size_t(256), size_t(2048),
                         PAGE_SIZE, size_t(16 * PAGE_SIZE), size_t(2 << 20)}) {
        for (size_t size : {size_t(1), size_t(40), size_t(3000), size_t(70000)}) {
            void* p = heap.allocate_aligned(size, align);
            ASSERT_NE(p, nullptr);
            EXPECT_TRUE(is_aligned(reinterpret_cast<uptr>(p), align)) << size << " @" << align;
            EXPECT_GE(heap.allocation_size(p), size);
            std::memset(p, 0x77, size);
            live.push_back(p);
        }
        for (void* p : live)
            heap.free(p);
        live.clear();
    }
    heap.shrink();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(Heap, OutOfMemoryReturnsNullAndRecovers)
{
    HostMemory mem(32);
    Heap heap(mem.pages);
    std::vector<void*> live;
    for (;;) {
        void* p = heap.allocate(200);
        if (!p)
            break;
        live.push_back(p);
    }
    EXPECT_EQ(mem.free_pages(), 0u);
    EXPECT_EQ(heap.allocate(5000), nullptr);
    EXPECT_EQ(heap.allocate(1024), nullptr); // needs a page (and a header)
    EXPECT_EQ(heap.stats().failures, 3u);
    for (void* p : live)
        heap.free(p);
    void* big = heap.allocate(5000); // recovery
    EXPECT_NE(big, nullptr);
    heap.free(big);
    heap.shrink();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(Heap, RandomizedContentsSurviveAndAllPagesComeBack)
{
    HostMemory mem(1024);
    auto heap = std::make_unique<Heap>(mem.pages);
    struct Live { void* p; size_t n; u32 seed; };
    std::vector<Live> live;
    std::mt19937 rng(2024);
    size_t failures = 0;
    for (int step = 0; step < 40000; ++step) {
        if (live.empty() || rng() % 100 < 53) {
            const unsigned r = rng() % 100;
            size_t n = r < 70 ? rng() % 257 : r < 95 ? rng() % 2049 : rng() % 40000;
            void* p = heap->allocate(n);
            if (!p) {
                ++failures;
                continue;
            }
            ASSERT_GE(heap->allocation_size(p), n);
            u32 seed = rng();
            fill(p, n, seed);
            live.push_back({p, n, seed});
        } else {
            size_t k = rng() % live.size();
            Live l = live[k];
            live[k] = live.back();
            live.pop_back();
            ASSERT_TRUE(filled(l.p, l.n, l.seed)) << "step " << step;
            heap->free(l.p);
        }
        if (step % 2000 == 0) {
            mem.pages.verify();
            for (size_t i = 0; i < HEAP_CLASS_COUNT; ++i)
                heap->cache_for(CLASSES[i])->verify();
        }
    }
    EXPECT_EQ(heap->stats().failures, failures);
    for (const Live& l : live) {
        ASSERT_TRUE(filled(l.p, l.n, l.seed));
        heap->free(l.p);
    }
    EXPECT_EQ(heap->stats().bytes_in_use, 0u);
    heap.reset(); // destruction alone returns every page, spares included
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

TEST(Heap, GlobalKmalloc)
{
    HostMemory mem(256, /*global=*/true);
    kern::heap_init();
    void* a = kern::kmalloc(64);
    ASSERT_NE(a, nullptr);
    std::memset(a, 0xff, 64);
    kern::kfree(a);
    auto* z = static_cast<unsigned char*>(kern::kzalloc(64)); // likely the same object
    ASSERT_NE(z, nullptr);
    for (int i = 0; i < 64; ++i)
        EXPECT_EQ(z[i], 0) << i;
    EXPECT_EQ(kern::ksize(z), 64u);
    EXPECT_EQ(kern::heap_stats().bytes_in_use, 64u);
    void* big = kern::kmalloc(10000);
    EXPECT_EQ(kern::ksize(big), 3 * PAGE_SIZE);
    void* aligned = kern::kmalloc_aligned(100, 256);
    EXPECT_TRUE(is_aligned(reinterpret_cast<uptr>(aligned), 256));
    kern::kfree(aligned);
    kern::kfree(big);
    kern::kfree(z);
    kern::kfree(nullptr);
    EXPECT_EQ(kern::heap_stats().bytes_in_use, 0u);
    kern::heap_destroy_for_tests();
    EXPECT_EQ(mem.free_pages(), mem.initial_free);
}

// ---- misuse stops the kernel ------------------------------------------------

TEST(HeapDeathTest, DoubleFreeOfASmallObject)
{
    HostMemory mem(16);
    Heap heap(mem.pages);
    void* a = heap.allocate(32);
    void* b = heap.allocate(32);
    heap.free(a);
    EXPECT_DEATH(heap.free(a), "PANIC: slab: double free");
    heap.free(b);
}

TEST(HeapDeathTest, FreeOfAPointerInsideALargeAllocation)
{
    HostMemory mem(16);
    Heap heap(mem.pages);
    char* p = static_cast<char*>(heap.allocate(3 * PAGE_SIZE));
    EXPECT_DEATH(heap.free(p + 16), "PANIC: kfree: .* points inside an allocation");
    EXPECT_DEATH(heap.free(p + PAGE_SIZE), "PANIC: kfree: .* was not allocated by kmalloc");
    heap.free(p);
}

TEST(HeapDeathTest, FreeOfAPageTheHeapDidNotAllocate)
{
    HostMemory mem(16);
    Heap heap(mem.pages);
    Page* page = mem.pages.allocate().value();
    EXPECT_DEATH(heap.free(mem.pages.virt_of(*page)), "PANIC: kfree: .* was not allocated by kmalloc");
    int on_stack = 0;
    EXPECT_DEATH(heap.free(&on_stack), "PANIC: kfree: .* is not in managed memory");
    mem.pages.free(page);
}

TEST(HeapDeathTest, DestroyedWithALiveLargeAllocation)
{
    HostMemory mem(16);
    EXPECT_DEATH(
        {
            Heap heap(mem.pages);
            (void)heap.allocate(10000);
        },
        "PANIC: heap: destroyed with 1 large allocations live");
}

} // namespace
