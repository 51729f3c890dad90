// kernel/base/heap/slab.h -- SlabCache: a cache of equal-sized objects carved from pages.
//
// What it is. The page allocator deals in 4 KiB frames; most kernel objects
// are tens or hundreds of bytes. A SlabCache takes whole pages ("slabs") from
// the page allocator and cuts each into objects of one size, so that
// allocating an object is popping a free list and freeing it is pushing one:
// O(1), no search, no per-object header, no external fragmentation inside the
// cache. This is Bonwick's slab allocator (USENIX 1994), without object
// constructors or cache colouring (a good lab: docs/heap.md).
//
// Data structures.
//
//     SlabCache                         one page (a slab), on-page header:
//     +-------------+                   +--------+-----+-----+-----+-----+
//     | m_partial --+--> Slab <-> ...   | Slab   | obj | obj | obj | ... |
//     | m_full      |                   +--------+-----+-----+-----+-----+
//     | m_empty     |                     ^  m_free -> obj -> obj -> null
//     +-------------+                     |  (the link is the first word of a free object)
//                      Page::m_owner -----+  (vm::Page of the frame, SLAB flag set)
//
//   - Each slab is one page. Its header, a Slab, either sits at the start of
//     the page ("on-page", for objects smaller than PAGE_SIZE/8, where the
//     header costs at most one object) or is an object of a separate header
//     cache ("off-page", for 512..2048-byte objects, where an on-page header
//     would waste half the page on 2048-byte objects). Either way the page's
//     descriptor points at it (Page::m_owner), so free() finds the slab of an
//     object from its address alone: object -> frame -> Page -> Slab.
//   - A slab is on exactly one of the cache's three lists: partial (some
//     objects free), full (none free) or empty (all free). Allocation takes
//     from a partial slab first, then the empty one, then grows the cache by
//     one page. An empty slab is kept as a spare only if there is no other
//     spare: any further empty slab goes straight back to the page allocator.
//   - Objects are a multiple of 16 bytes and 16-byte aligned.
//
// Invariants (verify() checks them):
//   - a slab's m_in_use + length of its free list == m_capacity;
//   - a slab is on m_empty iff m_in_use == 0, on m_full iff m_in_use ==
//     m_capacity, else on m_partial; m_empty holds at most one slab;
//   - m_in_use (cache) == sum of the slabs' m_in_use.
//
// Locking: each cache's m_lock (a SpinLock) guards its lists, its slabs and
// their counters. A cache never takes the lock of another size class; only
// an off-page cache takes the header cache's. Lock order: docs/locking.md.
//
// Host tests: under AddressSanitizer a free object is poisoned, so a write to
// it after kfree() or a second kfree() is reported at once.
//
// References: J. Bonwick, "The Slab Allocator: An Object-Caching Kernel
// Memory Allocator", USENIX Summer 1994; Linux mm/slub.c for the free-pointer-
// in-the-object idea. Design only; this code is our own.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sync/spinlock.h>
#include <kernel/base/page/page_allocator.h>

namespace kern {

class SlabCache;

// The header of one slab page. Guarded by its cache's m_lock.
struct Slab {
    ListNode m_node;             // on the cache's partial, full or empty list
    SlabCache* m_cache = nullptr;
    vm::Page* m_page = nullptr;  // the frame holding the objects
    char* m_objects = nullptr;   // the first object
    void* m_free = nullptr;      // first free object; each holds the next
    u32 m_in_use = 0;
    u32 m_capacity = 0;
};

// A snapshot of a cache's counters (for tests and, later, /proc/slabinfo).
struct SlabCacheStats {
    const char* name;
    size_t object_size;      // after rounding up to 16
    size_t objects_per_slab;
    size_t in_use;           // objects allocated now
    u64 allocated_total;     // successful allocate() calls, ever
    u64 freed_total;         // free() calls, ever
    u64 failures;            // allocate() calls that returned ENOMEM
    size_t slabs;            // slabs (== pages) held, including the spare
    size_t pages;            // pages held (one per slab)
    bool off_page_headers;
};

class SlabCache {
public:
    static constexpr size_t ALIGN = 16;
    static constexpr size_t MAX_OBJECT_SIZE = PAGE_SIZE / 2;
    // Size of an on-page header: objects start this far into the page.
    static constexpr size_t ON_PAGE_HEADER = (sizeof(Slab) + ALIGN - 1) & ~(ALIGN - 1);

    // A cache of `object_size`-byte objects (rounded up to 16) taking pages
    // from `pages`. With a `header_cache`, objects of PAGE_SIZE/8 or more
    // keep their slab headers there; without one, headers are always on-page.
    // Allocates nothing.  => `name` outlives the cache; 0 < object_size <=
    // MAX_OBJECT_SIZE; header_cache's objects hold a Slab.
    SlabCache(const char* name, size_t object_size, vm::PageAllocator& pages,
              SlabCache* header_cache = nullptr);
    // => no object in use (KASSERT). Returns every slab to the page allocator.
    ~SlabCache();
    SlabCache(const SlabCache&) = delete;
    SlabCache& operator=(const SlabCache&) = delete;

    // allocate: one object, 16-byte aligned, contents undefined.
    // Errors: ENOMEM if a new slab was needed and no page (or header) was free.
    ErrorOr<void*> allocate();

    // free: give an object back.  => `object` came from this cache's
    // allocate() and is not free (KASSERT; ASan on the host catches the rest).
    void free(void* object);

    // shrink: return the spare empty slab to the page allocator.
    // Returns the number of pages returned.
    size_t shrink();

    // cache_of: the cache owning the slab page under `object`, or nullptr if
    // that address is not in a slab page of `pages`.
    static SlabCache* cache_of(const vm::PageAllocator& pages, const void* object);

    size_t object_size() const { return m_object_size; }
    const char* name() const { return m_name; }
    SlabCacheStats stats() const;

    // verify: check the invariants above (KASSERT). O(objects).
    void verify() const;

private:
    using SlabList = IntrusiveList<Slab, &Slab::m_node>;

    ErrorOr<Slab*> grow_locked();
    void destroy_slab_locked(Slab& slab);
    void* take_object_locked(Slab& slab);
    SlabList& list_for_locked(u32 in_use);
    void move_if_needed_locked(Slab& slab, SlabList& before);
    bool is_object_of(const Slab& slab, const void* object) const;
    Slab& slab_of(void* object) const;

    // Constant after construction.
    const char* const m_name;
    const size_t m_object_size;
    vm::PageAllocator& m_pages;
    SlabCache* const m_header_cache; // nullptr: headers on-page
    u32 m_capacity;                  // objects per slab

    mutable SpinLock m_lock;
    // Guarded by m_lock.
    SlabList m_partial;
    SlabList m_full;
    SlabList m_empty;
    size_t m_slab_count = 0;
    size_t m_in_use = 0;
    u64 m_allocated_total = 0;
    u64 m_freed_total = 0;
    u64 m_failures = 0;
};

} // namespace kern
