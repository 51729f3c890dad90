// vm/page.h -- struct Page: one descriptor per physical page frame.
//
// The kernel keeps a small record for every 4 KiB frame of physical memory it
// manages, in one array indexed by frame number (NetBSD calls it vm_page, Linux
// struct page). The array is what lets the kernel answer "whose is this frame,
// and what state is it in?" in O(1): the page allocator finds descriptors by
// arithmetic (vm/page_allocator.h: page_for(), phys_of(), virt_of()), and the
// descriptor is where every layer that owns a frame leaves its mark.
//
// Who may touch which field:
//   - while a frame is FREE, it belongs to the page allocator, and only the
//     allocator (under its lock) reads or writes the descriptor;
//   - once allocated, the frame belongs to whoever allocated it: that owner may
//     set m_owner, m_ref_count and its own flags (SLAB, LARGE), and must clear
//     SLAB/LARGE again before handing the frame back;
//   - RESERVED frames (the kernel image, the descriptor array itself, firmware
//     areas, holes in the memory map) never reach a free list.
//
// Free blocks. The page allocator is a buddy allocator: free memory is kept as
// blocks of 2^order frames. Every frame of a free block has FREE set, so a
// double free is caught whatever frame it names; only the first frame of the
// block (its "head") has BUDDY set, a valid m_order, and sits on the free list
// of that order through m_node.
//
// Later (docs/vm.md), UVM's fields join these, as in NetBSD's struct vm_page:
// the VmObject and offset the page caches (uobject, offset), or the Anon that
// owns it (uanon); a wire count; the paging queue it is on (active, inactive,
// free) -- m_node will serve that queue once the page leaves the free lists;
// and the DIRTY, BUSY, WANTED, FAKE flags of the pager protocol. Keep the
// struct small: there is one per 4 KiB of RAM (40 bytes today is ~1% of memory;
// the static_assert below holds it to 64).
#pragma once

#include <kernel/lib/list.h>
#include <kernel/lib/types.h>

namespace vm {

struct Page {
    // ---- flags (m_flags) -------------------------------------------------
    // Owned by the page allocator:
    static constexpr u32 FREE = 1u << 0;     // on a free block (any frame of it)
    static constexpr u32 BUDDY = 1u << 1;    // head of a free block, on m_free[m_order]
    static constexpr u32 RESERVED = 1u << 2; // never allocatable (image, holes, ...)
    static constexpr u32 KERNEL = 1u << 3;   // allocated by the kernel
    // Owned by the holder of an allocated frame (set after allocate, cleared
    // before free):
    static constexpr u32 SLAB = 1u << 4;  // a slab page: m_owner is its kern::Slab
    static constexpr u32 LARGE = 1u << 5; // head of a kmalloc run of m_run_pages frames

    // Free list link (page allocator); later the paging queue link.
    kern::ListNode m_node;
    // For the holder of the frame: the heap stores the slab header here.
    void* m_owner = nullptr;
    u32 m_flags = RESERVED;
    // References held on the frame. The allocator hands frames out with 1 and
    // expects 0 or 1 when they come back.
    u32 m_ref_count = 0;
    // On the head frame of an allocation: how many frames it spans, as the
    // caller asked (allocate(order) records 2^order, allocate_pages(n) records
    // n). Frees must give the same count back; 0 on every other frame.
    u32 m_run_pages = 0;
    // On the head of a free block: log2 of the block length in frames.
    u8 m_order = 0;

    bool has(u32 flag) const { return (m_flags & flag) != 0; }
    bool is_free() const { return has(FREE); }
    bool is_reserved() const { return has(RESERVED); }
};

static_assert(sizeof(Page) <= 64, "one Page per frame: keep it small");

} // namespace vm
