// kernel/base/heap/heap.cpp -- kmalloc/kfree: size classes over SlabCaches, large
// requests as page runs. The design, the alignment guarantee and the lock
// order are in heap.h; this file is the dispatch between the two paths.
//
//   allocate(n)  n <= 2048 -> cache_for(n)->allocate()
//                n >  2048 -> allocate_pages(pages_for(n)), head gets LARGE
//   free(p)      Page of p has SLAB  -> its Slab's cache ->free(p)
//                Page of p has LARGE -> free_pages(head, head.m_run_pages)
//
// The kernel's instance lives in static storage and is built by heap_init():
// a namespace-scope object with a destructor would need __cxa_atexit and a
// global-constructor pass, which the kernel does not have.
#include <kernel/base/heap/heap.h>

#include <kernel/base/lib/string.h>

#include <new>

namespace kern {

namespace {

constexpr size_t CLASS_SIZES[HEAP_CLASS_COUNT] = {16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048};
static_assert(CLASS_SIZES[HEAP_CLASS_COUNT - 1] == HEAP_MAX_SLAB_SIZE);

constexpr bool is_power_of_two(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

size_t round_up_power_of_two(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

} // namespace

Heap::Heap(vm::PageAllocator& pages)
    : m_pages(pages)
    , m_header_cache("slab-header", sizeof(Slab), pages)
    , m_caches{
          {"kmalloc-16", 16, pages, &m_header_cache},
          {"kmalloc-32", 32, pages, &m_header_cache},
          {"kmalloc-64", 64, pages, &m_header_cache},
          {"kmalloc-96", 96, pages, &m_header_cache},
          {"kmalloc-128", 128, pages, &m_header_cache},
          {"kmalloc-192", 192, pages, &m_header_cache},
          {"kmalloc-256", 256, pages, &m_header_cache},
          {"kmalloc-512", 512, pages, &m_header_cache},
          {"kmalloc-1024", 1024, pages, &m_header_cache},
          {"kmalloc-2048", 2048, pages, &m_header_cache},
      }
{
    for (size_t i = 0; i < HEAP_CLASS_COUNT; ++i)
        KASSERT(m_caches[i].object_size() == CLASS_SIZES[i]);
}

Heap::~Heap()
{
    SpinGuard guard(m_lock);
    KASSERT_MSG(m_large_allocations == 0, "heap: destroyed with %zu large allocations live",
                m_large_allocations);
    // The caches' destructors check their own objects and return their slabs.
}

SlabCache* Heap::cache_for(size_t size)
{
    for (size_t i = 0; i < HEAP_CLASS_COUNT; ++i)
        if (size <= CLASS_SIZES[i])
            return &m_caches[i];
    return nullptr;
}

bool Heap::owns_cache(const SlabCache* cache) const
{
    return cache >= m_caches && cache < m_caches + HEAP_CLASS_COUNT;
}

void Heap::count_failure()
{
    SpinGuard guard(m_lock);
    ++m_failures;
}

void* Heap::allocate(size_t size)
{
    SlabCache* cache = cache_for(size);
    if (!cache)
        return allocate_large(size);
    auto object = cache->allocate();
    if (object.is_error()) {
        count_failure();
        return nullptr;
    }
    return object.value();
}

// allocate_large: a page run for a request above HEAP_MAX_SLAB_SIZE (or an
// aligned one). The head's LARGE flag and m_run_pages are all free() needs.
void* Heap::allocate_large(size_t size)
{
    if (size > HEAP_MAX_SIZE) {
        count_failure();
        return nullptr;
    }
    const size_t count = pages_for(size);
    auto run = m_pages.allocate_pages(count);
    if (run.is_error()) {
        count_failure();
        return nullptr;
    }
    vm::Page* head = run.value();
    head->m_flags |= vm::Page::LARGE;
    {
        SpinGuard guard(m_lock);
        ++m_large_allocations;
        m_large_pages += count;
    }
    return m_pages.virt_of(*head);
}

// allocate_aligned: three cases, from cheapest to dearest:
//   align <= 16          every allocation already is;
//   need <= 2048         the 512/1024/2048 classes keep their headers
//                        off-page, so their objects sit at multiples of
//                        their (power-of-two) size from the page start;
//   otherwise            a page run, aligned to its power-of-two length.
void* Heap::allocate_aligned(size_t size, size_t align)
{
    KASSERT(is_power_of_two(align) && align <= HEAP_MAX_SIZE);
    if (align <= HEAP_MIN_ALIGN)
        return allocate(size);
    size_t need = max(size, align);
    void* p;
    if (need <= HEAP_MAX_SLAB_SIZE)
        p = allocate(round_up_power_of_two(max(need, PAGE_SIZE / 8)));
    else
        p = allocate_large(need); // pages_for(need) >= align / PAGE_SIZE frames
    KASSERT(!p || is_aligned(reinterpret_cast<uptr>(p), align));
    return p;
}

void Heap::free(void* ptr)
{
    if (!ptr)
        return;
    vm::Page* page = m_pages.page_for_virt(ptr);
    KASSERT_MSG(page != nullptr, "kfree: %p is not in managed memory", ptr);
    if (page->has(vm::Page::SLAB)) {
        SlabCache* cache = static_cast<Slab*>(page->m_owner)->m_cache;
        KASSERT_MSG(owns_cache(cache), "kfree: %p belongs to cache %s, not to kmalloc", ptr,
                    cache->name());
        cache->free(ptr);
        return;
    }
    KASSERT_MSG(page->has(vm::Page::LARGE), "kfree: %p was not allocated by kmalloc", ptr);
    free_large(*page, ptr);
}

// free_large: the undo of allocate_large().  => head has LARGE.
void Heap::free_large(vm::Page& head, void* ptr)
{
    KASSERT_MSG(ptr == m_pages.virt_of(head), "kfree: %p points inside an allocation", ptr);
    const size_t count = head.m_run_pages;
    {
        SpinGuard guard(m_lock);
        KASSERT(m_large_allocations > 0 && m_large_pages >= count);
        --m_large_allocations;
        m_large_pages -= count;
    }
    head.m_flags &= ~vm::Page::LARGE;
    m_pages.free_pages(&head, count);
}

size_t Heap::allocation_size(const void* ptr) const
{
    const vm::Page* page = m_pages.page_for_virt(ptr);
    KASSERT_MSG(page != nullptr, "ksize: %p is not in managed memory", ptr);
    if (page->has(vm::Page::SLAB))
        return static_cast<const Slab*>(page->m_owner)->m_cache->object_size();
    KASSERT_MSG(page->has(vm::Page::LARGE) && ptr == m_pages.virt_of(*page),
                "ksize: %p was not allocated by kmalloc", ptr);
    return size_t(page->m_run_pages) * PAGE_SIZE;
}

size_t Heap::shrink()
{
    size_t pages = 0;
    for (SlabCache& cache : m_caches)
        pages += cache.shrink();
    return pages + m_header_cache.shrink(); // last: the others free headers into it
}

HeapStats Heap::stats() const
{
    HeapStats s = {};
    s.cache_count = HEAP_CLASS_COUNT + 1;
    for (size_t i = 0; i < HEAP_CLASS_COUNT; ++i) {
        s.caches[i] = m_caches[i].stats();
        s.bytes_in_use += s.caches[i].in_use * s.caches[i].object_size;
        s.pages += s.caches[i].pages;
    }
    s.caches[HEAP_CLASS_COUNT] = m_header_cache.stats();
    s.pages += s.caches[HEAP_CLASS_COUNT].pages;
    SpinGuard guard(m_lock);
    s.large_allocations = m_large_allocations;
    s.large_pages = m_large_pages;
    s.failures = m_failures;
    s.bytes_in_use += m_large_pages * PAGE_SIZE;
    s.pages += m_large_pages;
    return s;
}

// ---- the kernel's heap ------------------------------------------------------

namespace {
alignas(Heap) unsigned char s_heap_storage[sizeof(Heap)];
Heap* s_heap = nullptr;
} // namespace

void heap_init()
{
    KASSERT_MSG(s_heap == nullptr, "heap_init called twice");
    s_heap = new (s_heap_storage) Heap(vm::page_allocator());
}

Heap& kernel_heap()
{
    KASSERT_MSG(s_heap != nullptr, "kmalloc before heap_init");
    return *s_heap;
}

void* kmalloc(size_t size) { return kernel_heap().allocate(size); }

void* kzalloc(size_t size)
{
    void* p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void* kmalloc_aligned(size_t size, size_t align) { return kernel_heap().allocate_aligned(size, align); }

void kfree(void* ptr)
{
    if (ptr)
        kernel_heap().free(ptr);
}

size_t ksize(const void* ptr) { return kernel_heap().allocation_size(ptr); }

HeapStats heap_stats() { return kernel_heap().stats(); }

#ifdef KERNEL_HOST
void heap_destroy_for_tests()
{
    s_heap->~Heap();
    s_heap = nullptr;
}
#endif

} // namespace kern
