// kernel/base/heap/heap.h -- the kernel heap: kmalloc/kfree over slabs and page runs.
//
// What it is. A general-purpose allocator for kernel objects of any size,
// built from the two allocators below it:
//
//   request        served by                          freed by
//   0..2048 B      the SlabCache of the smallest size  the slab's cache, found
//                  class that fits: 16 32 64 96 128    through the object's Page
//                  192 256 512 1024 2048 ("kmalloc-N")
//   > 2048 B       a run of pages_for(n) contiguous    the page allocator; the
//                  frames from the page allocator      head Page says LARGE and
//                  (Page::LARGE on the head)           records the run length
//
// So kfree(p) needs only the pointer: the descriptor of p's frame tells a slab
// object (Page::SLAB, m_owner -> Slab -> SlabCache) from the start of a large
// run (Page::LARGE, m_run_pages). Slab headers of the 512..2048 classes live
// in a small cache of their own ("slab-header"), which keeps its headers
// on-page (see slab.h).
//
// Alignment. Every allocation is at least 16-byte aligned. Large runs are
// page-aligned, and in fact aligned to their length rounded up to a power of
// two (a buddy block); allocate_aligned() uses that for larger alignments
// (alignments above PAGE_SIZE assume, as on x86-64, that the direct map
// itself starts at an address aligned to at least 4 MiB).
//
// Failure. allocate()/kmalloc() return nullptr when memory is exhausted (or
// the request is larger than a 4 MiB run); callers turn that into ENOMEM.
// The heap never panics for exhaustion.
//
// Locks. Each SlabCache has its own SpinLock; the heap's own lock guards only
// the large-run counters and is never held while calling the page allocator.
// Lock order: docs/locking.md.
// kmalloc/kfree may be called with interrupts disabled, never from NMI.
//
// References: Bonwick, "The Slab Allocator" (USENIX 1994); Linux mm/slab_common.c
// (kmalloc size classes, kmalloc_large). docs/heap.md.
#pragma once

#include <kernel/base/heap/slab.h>
#include <kernel/base/page/page_allocator.h>

namespace kern {

constexpr size_t HEAP_CLASS_COUNT = 10;
// The largest request served by a slab; larger ones are page runs.
constexpr size_t HEAP_MAX_SLAB_SIZE = 2048;
// The largest request at all: one maximal buddy block.
constexpr size_t HEAP_MAX_SIZE = vm::MAX_RUN_PAGES * PAGE_SIZE;
constexpr size_t HEAP_MIN_ALIGN = 16;

struct HeapStats {
    size_t bytes_in_use;      // slab objects at their class size + large runs
    size_t large_allocations; // live page runs
    size_t large_pages;       // frames in them
    u64 failures;             // requests that returned nullptr
    size_t pages;             // all frames the heap holds (slabs + runs)
    // The size classes in increasing order, then the slab-header cache.
    size_t cache_count;
    SlabCacheStats caches[HEAP_CLASS_COUNT + 1];
};

class Heap {
public:
    // Allocates nothing; slabs are made on first use.
    explicit Heap(vm::PageAllocator& pages);
    // => every allocation freed (KASSERT). Every page goes back.
    ~Heap();
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // allocate: `size` bytes, 16-byte aligned, not zeroed (size 0 gives a
    // unique 16-byte object). Returns nullptr if out of memory or size >
    // HEAP_MAX_SIZE.
    void* allocate(size_t size);

    // allocate_aligned: like allocate(), aligned to `align`.
    // => align a power of two <= HEAP_MAX_SIZE. Returns nullptr as
    // allocate() does.
    void* allocate_aligned(size_t size, size_t align);

    // free: give back what allocate() returned; nullptr is ignored.
    // => ptr is a live allocation of this heap (KASSERT).
    void free(void* ptr);

    // allocation_size: the usable size of a live allocation (its size class,
    // or the run length in bytes); >= the size requested.
    size_t allocation_size(const void* ptr) const;

    // shrink: return every cache's spare empty slab. Returns how many pages
    // went back.
    size_t shrink();

    HeapStats stats() const;

    // The size class serving `size` bytes, or nullptr for a large request.
    SlabCache* cache_for(size_t size);

private:
    void* allocate_large(size_t size);
    void free_large(vm::Page& head, void* ptr);
    bool owns_cache(const SlabCache* cache) const;
    void count_failure();

    vm::PageAllocator& m_pages;
    SlabCache m_header_cache; // before m_caches: constructed first, destroyed last
    SlabCache m_caches[HEAP_CLASS_COUNT];

    mutable SpinLock m_lock;
    // Guarded by m_lock.
    size_t m_large_allocations = 0;
    size_t m_large_pages = 0;
    u64 m_failures = 0;
};

// ---- the kernel's heap ------------------------------------------------------

// heap_init: create the kernel heap over vm::page_allocator().
// => the page allocator is initialised; called once, at boot.
void heap_init();

// kmalloc: heap.allocate() on the kernel heap. Returns nullptr when out of
// memory.
void* kmalloc(size_t size);
// kzalloc: kmalloc, then zero the `size` bytes. Returns nullptr as kmalloc does.
void* kzalloc(size_t size);
// kmalloc_aligned: heap.allocate_aligned(). Returns nullptr as kmalloc does.
void* kmalloc_aligned(size_t size, size_t align);
// kfree: free a kmalloc'd pointer; nullptr is ignored.
void kfree(void* ptr);
// ksize: the usable size of a live kmalloc'd pointer.
size_t ksize(const void* ptr);
// heap_stats: a snapshot of the kernel heap's counters.
HeapStats heap_stats();
// kernel_heap: the instance itself.  => heap_init() was called.
Heap& kernel_heap();

#ifdef KERNEL_HOST
// Host tests only: destroy the kernel heap (=> everything freed) so that a
// later test may call heap_init() again.
void heap_destroy_for_tests();
#endif

} // namespace kern
