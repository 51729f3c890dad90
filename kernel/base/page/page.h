// kernel/base/page/page.h -- struct Page: one descriptor per physical page frame.
//
// The kernel keeps a small record for every 4 KiB frame of physical memory it
// manages, in one array indexed by frame number (NetBSD calls it vm_page, Linux
// struct page). The array is what lets the kernel answer "whose is this frame,
// and what state is it in?" in O(1): the page allocator finds descriptors by
// arithmetic (kernel/base/page/page_allocator.h: page_for(), phys_of(), virt_of()), and the
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
// UVM's fields (docs/vm.md) join these, as in NetBSD's struct vm_page:
// the VmObject and offset the page caches (uobject, offset), or the Anon that
// owns it (uanon); a wire count; the paging queue it is on (active, inactive,
// free) -- m_node will serve that queue once the page leaves the free lists;
// and the DIRTY, BUSY, WANTED, FAKE flags of the pager protocol. The VM fields
// are below. Keep the struct small: there is one per 4 KiB of RAM (about 110
// bytes, under 3% of memory; the static_assert holds it to 128).
#pragma once

#include <kernel/base/lib/list.h>
#include <kernel/base/lib/rbtree.h>
#include <kernel/base/lib/types.h>

namespace vm {

class VmObject;
struct Anon;

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
    // Owned by the VM layer, for "managed" pages holding user or file data
    // (vm/anon.h, vm/object.h); such pages may be mapped into user space and
    // are tracked by the pmap's reverse map (m_pmap_md):
    static constexpr u32 ANON = 1u << 6;    // owned by the Anon m_anon
    static constexpr u32 OBJECT = 1u << 7;  // in m_object's page tree, at m_offset
    static constexpr u32 BUSY = 1u << 8;    // a pager is filling or writing it: wait
    static constexpr u32 DIRTY = 1u << 9;   // differs from its backing store
    // The paging queue the page is on (vm/pageq.h), linked through m_node;
    // guarded by the page-queue lock. At most one of the two is set.
    static constexpr u32 ACTIVE = 1u << 10;
    static constexpr u32 INACTIVE = 1u << 11;

    // Free list link (page allocator); for an ANON or OBJECT page, the link
    // in its paging queue (vm/pageq.h).
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
    // Mappings that pin the page in memory (the page daemon skips it).
    u16 m_wire_count = 0;
    // Short-term holds: a read()/write() copying through the page without the
    // object's lock (fs/ubc/ubc.h). A held page is not freed: whoever wants
    // to free it waits on its object's hold CondVar. Guarded by the owner's lock.
    u16 m_hold_count = 0;

    // ---- the VM layer (ANON / OBJECT pages) ----------------------------------
    // Guarded by the owner's lock: the object's, or the anon's amap lock.
    VmObject* m_object = nullptr;  // OBJECT: the object caching this page
    u64 m_offset = 0;              // OBJECT: byte offset in the object (page-aligned)
    kern::RbNode m_object_node;    // OBJECT: link in the object's page tree
    Anon* m_anon = nullptr;        // ANON: the anon owning this page
    // Machine-dependent: the pmap's list of (pmap, va) mappings of this page
    // (arch/x86_64/pmap.cpp). Guarded by the pmap's reverse-map lock.
    void* m_pmap_md = nullptr;

    bool has(u32 flag) const { return (m_flags & flag) != 0; }
    bool is_free() const { return has(FREE); }
    bool is_reserved() const { return has(RESERVED); }
};

static_assert(sizeof(Page) <= 128, "one Page per frame: keep it small");

} // namespace vm
