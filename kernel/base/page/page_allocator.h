// kernel/base/page/page_allocator.h -- the physical page allocator: a binary buddy system.
//
// What it is. Every physical frame the kernel manages has a vm::Page
// descriptor (kernel/base/page/page.h) in one array. The allocator hands out frames as
// blocks of 2^order contiguous frames, order 0 (4 KiB) to MAX_ORDER (4 MiB),
// and takes them back, merging each freed block with its "buddy" -- the
// neighbouring block of the same size that together with it forms an aligned
// block of twice the size -- for as long as the buddy is free too. That keeps
// free memory in blocks as large as possible, so that runs of many contiguous
// frames can still be found after a long uptime.
//
// Data structures.
//   m_pages[i]       descriptor of the frame with number m_first_pfn + i
//   m_free[o]        list of the heads of free blocks of order o (via
//                    Page::m_node); every frame of a free block has Page::FREE,
//                    the head also has Page::BUDDY and m_order == o
//   counters         free, kernel (allocated) and reserved frames
//
// Alignment. Blocks are aligned in *physical* frame numbers: a block of order
// o starts at a frame number that is a multiple of 2^o, so an order-9 block is
// a 2 MiB-aligned 2 MiB region (what a large page needs). The buddy of the
// block at frame number f is therefore at f XOR 2^o.
//
// Invariants (checked by verify()):
//   - total == free + kernel + reserved, and free == sum of 2^o * |m_free[o]|;
//   - a frame is in exactly one state: FREE, KERNEL or RESERVED;
//   - coalescing is complete: no free block has a free buddy of its order;
//   - free blocks never overlap and never include a RESERVED frame.
//
// Boot interface (multiboot2 memory map): init() marks every frame RESERVED,
// add_free_range() releases each usable range (unaligned ends are trimmed
// inward; the range is cut into the largest aligned blocks that fit), and
// reserve_range() takes frames back out, e.g. for the kernel image, the
// initramfs and the descriptor array itself if they were in a usable range.
//
// Runs. allocate_pages(n) returns n contiguous frames for any n up to
// 2^MAX_ORDER: it takes a block of the next power of two and gives the tail
// back at once, so a 3-frame run costs 3 frames (although it needs a free
// 4-frame block to be found). free_pages(head, n) frees it, again in aligned
// pieces, and the pieces coalesce.
//
// Lock. One SpinLock guards the free lists, the counters and the descriptors
// of free frames. Nothing else is taken under it; zeroing happens outside it.
// Lock order: docs/locking.md (it is the innermost lock but the console's).
//
// References: Knuth, TAOCP vol. 1, 2.5 ("buddy system"); Linux
// mm/page_alloc.c (free_area[], __free_one_page, expand); NetBSD
// sys/uvm/uvm_page.c (the vm_page array and uvm_page_physload). Design only;
// this code is written from the description. docs/vm.md tells the story.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sync/spinlock.h>
#include <kernel/base/page/page.h>

namespace vm {

using kern::ErrorOr;
using kern::Errno;

// Blocks of 2^0 .. 2^MAX_ORDER frames: 4 KiB .. 4 MiB.
constexpr unsigned MAX_ORDER = 10;
constexpr size_t MAX_RUN_PAGES = size_t(1) << MAX_ORDER;

// A snapshot of the counters, all in frames.
struct PageStats {
    size_t total;    // frames with a descriptor (== free + kernel + reserved)
    size_t free;     // on the free lists
    size_t kernel;   // allocated by the kernel
    size_t reserved; // never allocatable
    size_t free_blocks[MAX_ORDER + 1]; // free blocks of each order (buddyinfo)
};

class PageAllocator {
public:
    PageAllocator() = default;
    // Host tests only: forgets the free lists (the descriptors stay valid).
    ~PageAllocator();
    PageAllocator(const PageAllocator&) = delete;
    PageAllocator& operator=(const PageAllocator&) = delete;

    // init: manage frames [base, base + frame_count * PAGE_SIZE), all RESERVED.
    // => base page-aligned; `descriptors` has room for frame_count Pages
    //    (constructed here); called once at boot before any other call (host
    //    tests may call it again to start over: the old state is discarded).
    void init(Page* descriptors, PhysAddr base, size_t frame_count);

    // add_free_range: make the usable frames inside [start, end) allocatable.
    // start is rounded up and end down to a page; parts outside the managed
    // window are ignored.  => the frames were RESERVED (not yet added).
    // Returns the number of frames added.
    size_t add_free_range(PhysAddr start, PhysAddr end);

    // reserve_range: take the frames overlapping [start, end) out of use.
    // => each frame is free or already reserved (never allocated).
    // Returns the number of frames that were free and are now reserved.
    size_t reserve_range(PhysAddr start, PhysAddr end);

    // allocate: a block of 2^order contiguous, 2^order-aligned frames, not
    // zeroed. The head page is returned with m_run_pages == 2^order; every
    // page has KERNEL and m_ref_count 1.
    // => order <= MAX_ORDER.  Errors: ENOMEM when no block is large enough.
    ErrorOr<Page*> allocate(unsigned order = 0);

    // allocate_pages: `count` contiguous frames, not zeroed; the head page
    // records m_run_pages == count.
    // Errors: EINVAL if count == 0; ENOMEM if count > MAX_RUN_PAGES or no free
    //    block of the next power of two exists.
    ErrorOr<Page*> allocate_pages(size_t count);

    // allocate_each: up to `count` single pages (each as from allocate(0):
    // not contiguous, not zeroed) in one lock round trip, into pages[0..n),
    // for a caller that needs many at once (a write window, fs/ubc/ubc.cpp).
    // Returns n, fewer than count only when memory ran out.
    size_t allocate_each(Page** pages, size_t count);

    // free: give back a block from allocate(order).
    // => page is the head it returned, order the same; not already free, not
    //    RESERVED, SLAB/LARGE cleared (KASSERT).
    void free(Page* page, unsigned order = 0);

    // free_pages: give back a run from allocate_pages(count) (or a block from
    // allocate(order) with count == 2^order).  => as for free().
    void free_pages(Page* page, size_t count);

    // page_for: the descriptor of the frame containing `pa`, or nullptr if the
    // frame is outside the managed window.
    Page* page_for(PhysAddr pa) const;
    // page_for_virt: the same for a direct-map pointer.
    Page* page_for_virt(const void* va) const;
    // phys_of / virt_of: the frame's physical address / direct-map address.
    // => page is one of this allocator's descriptors.
    PhysAddr phys_of(const Page& page) const;
    void* virt_of(const Page& page) const;

    // zero_page / zero_pages: fill the frame(s) with zeros through the direct
    // map.  => the frames are allocated (the caller owns them).
    void zero_page(const Page& page) const;
    void zero_pages(const Page& first, size_t count) const;

    PageStats stats() const;

    // verify: walk every descriptor and check the invariants above (KASSERT).
    // O(frames): for tests and the in-guest self-test.
    void verify() const;

private:
    using FreeList = kern::IntrusiveList<Page, &Page::m_node>;

    Page& page_at_pfn(u64 pfn) const;
    u64 pfn_of(const Page& page) const;
    bool pfn_managed(u64 pfn) const;
    unsigned largest_fit(u64 pfn, u64 end_pfn) const;

    void push_free_locked(u64 pfn, unsigned order);
    void remove_free_locked(Page& head);
    Page* allocate_block_locked(unsigned order);
    void free_block_locked(u64 pfn, unsigned order);
    void free_range_locked(u64 pfn, u64 end_pfn);
    bool reserve_frame_locked(u64 pfn);
    void check_allocated_run(const Page& head, size_t count) const;

    mutable kern::SpinLock m_lock;
    // Set by init(), constant afterwards (read without the lock).
    Page* m_pages = nullptr;
    u64 m_first_pfn = 0;
    size_t m_frame_count = 0;
    // Guarded by m_lock.
    FreeList m_free[MAX_ORDER + 1];
    size_t m_free_blocks[MAX_ORDER + 1] = {};
    size_t m_free_count = 0;
    size_t m_kernel_count = 0;
    size_t m_reserved_count = 0;
};

// The kernel's allocator (constructed on first use; call init() at boot).
PageAllocator& page_allocator();

} // namespace vm
