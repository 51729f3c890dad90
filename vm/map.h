// vm/map.h -- VmMap and MapEntry: what is mapped where in an address space.
//
// A VmMap describes one address space (a process's user half, or the
// kernel's pageable region) as a set of non-overlapping MapEntries, each a
// page-aligned range [m_start, m_end) with
//   - protection (what is allowed now) and max protection (what mprotect may
//     ever allow), inheritance (what fork does with it) and advice;
//   - up to two layers of memory, looked up in this order by the fault
//     handler (vm/fault.cpp):
//       1. an amap (anonymous layer): private pages of this mapping;
//       2. an object (backing layer) at an offset: a file's pages, or an
//          anonymous object's;
//     a range with neither is zero-fill memory (the amap is made on first
//     touch);
//   - COPY_ON_WRITE: writes never reach the object; a written page is copied
//     into the amap (private file mappings, all private anonymous memory);
//   - NEEDS_COPY: the amap is shared with another map (after fork) and must be
//     copied before the first write (also set on fresh zero-fill ranges, to
//     mean "no amap yet").
//
// The entries live in a red-black tree keyed by start address, augmented
// with the largest free gap in each subtree, so lookup and the free-space
// search are both O(log n) (UVM keeps the same kind of tree since NetBSD 5).
// Operations that change part of an entry first clip it: split it in two at
// the boundary (both halves reference the same amap/object). Neighbours that
// are identical in every attribute and contiguous in their object are merged
// when a range is mapped (UVM's "merge with the previous entry").
//
// Locking: m_lock (a Mutex) guards the tree and every entry. Lock order:
// docs/locking.md. The fault handler takes the map lock for reading the entry and holds it
// while it resolves the fault (simpler than UVM's relock-and-verify dance;
// see docs/vm.md).
//
// Errors: EINVAL (bad range or flags), ENOMEM (no space in the map or no
// memory), EACCES (protection above the maximum), EFAULT (from faults).
#pragma once

#include <arch/pmap.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/rbtree.h>
#include <kernel/base/sync/mutex.h>
#include <vm/vm.h>

namespace vm {

class Amap;
class VmObject;

struct MapEntry {
    static constexpr u8 COPY_ON_WRITE = 1u << 0;
    static constexpr u8 NEEDS_COPY = 1u << 1;

    uptr m_start = 0;
    uptr m_end = 0;                   // exclusive
    Prot m_prot = PROT_NONE;
    Prot m_max_prot = PROT_NONE;
    Inherit m_inherit = Inherit::Copy;
    Advice m_advice = Advice::Normal;
    u8 m_flags = 0;
    u16 m_wired_count = 0;            // wire() calls covering the range
    Amap* m_amap = nullptr;           // anonymous layer, or nullptr
    size_t m_amap_slot = 0;           // amap slot of the page at m_start
    VmObject* m_object = nullptr;     // backing layer, or nullptr
    u64 m_object_offset = 0;          // object offset of the page at m_start

    // Tree link and the augmented free-space summary (vm/map.cpp).
    kern::RbNode m_node;
    uptr m_gap_after = 0;             // free bytes between m_end and the next entry (or the map's end)
    uptr m_max_gap = 0;               // max m_gap_after in this entry's subtree

    size_t pages() const { return (m_end - m_start) >> PAGE_SHIFT; }
    bool has(u8 flag) const { return (m_flags & flag) != 0; }
    // Amap slot / object offset of the page containing `va`.
    size_t amap_slot_of(uptr va) const { return m_amap_slot + ((va - m_start) >> PAGE_SHIFT); }
    u64 object_offset_of(uptr va) const { return m_object_offset + (align_down(va, PAGE_SIZE) - m_start); }
};

// The entry tree's policy: keyed by start address; each node's m_max_gap is
// the largest m_gap_after in its subtree (kern::RbTree calls augment()).
struct EntryPolicy {
    using Key = uptr;
    static uptr key(const MapEntry& e) { return e.m_start; }
    static void augment(MapEntry& e, const MapEntry* left, const MapEntry* right)
    {
        uptr g = e.m_gap_after;
        if (left && left->m_max_gap > g)
            g = left->m_max_gap;
        if (right && right->m_max_gap > g)
            g = right->m_max_gap;
        e.m_max_gap = g;
    }
};

// How to map: flags for VmMap::map().
constexpr u32 MAP_FIXED = 1u << 0;     // exactly at `addr`, replacing what is there
constexpr u32 MAP_PRIVATE = 1u << 1;   // copy-on-write (else shared: writes reach the object)
constexpr u32 MAP_NOREPLACE = 1u << 2; // with MAP_FIXED: EEXIST instead of replacing
constexpr u32 MAP_WIRED = 1u << 3;     // fault everything in now and keep it resident

// What VmMap::sync does (msync's flags, translated by the system call).
constexpr u32 SYNC_WRITE = 1u << 0;       // write back the dirty pages of shared object mappings
constexpr u32 SYNC_INVALIDATE = 1u << 1;  // EBUSY if an entry of the range is wired
// What VmMap::discard refuses.
constexpr u32 DISCARD_ANON_ONLY = 1u << 0;  // EINVAL on an entry with an object (MADV_FREE)

class VmMap {
public:
    // An empty map managing [min, max) over `pmap` (which it owns and
    // destroys, unless it is the kernel pmap). Errors: ENOMEM.
    static kern::ErrorOr<VmMap*> create(uptr min, uptr max, arch::Pmap* pmap);
    // Unmap everything, destroy the pmap and free the map. => no thread uses it.
    void destroy();

    // Map `length` bytes (rounded up to pages) of `object` at `offset` (or
    // zero-fill anonymous memory when object is nullptr) with `prot`, at `addr`
    // if MAP_FIXED, else at a free place (`addr` is a hint). The map takes over
    // the caller's reference on `object` on success. Returns the start address.
    // Errors: EINVAL (length 0, unaligned fixed address or offset, range
    // outside the map, prot above max_prot), ENOMEM (no free range, no memory),
    // EEXIST (MAP_NOREPLACE and something is there).
    kern::ErrorOr<uptr> map(uptr addr, size_t length, Prot prot, Prot max_prot,
                            Inherit inherit, VmObject* object, u64 offset, u32 flags);
    // Remove every mapping in [addr, addr + length). Unmapped holes are fine.
    // Errors: EINVAL (unaligned, outside the map), ENOMEM (a clip needed memory).
    kern::ErrorOr<void> unmap(uptr addr, size_t length);
    // Set the protection of [addr, addr + length). Errors: EINVAL, ENOMEM
    // (no mapping somewhere in the range: Linux's answer), EACCES (above max).
    kern::ErrorOr<void> protect(uptr addr, size_t length, Prot prot);
    // Set the inheritance of [addr, addr + length). Errors: EINVAL, ENOMEM.
    kern::ErrorOr<void> set_inherit(uptr addr, size_t length, Inherit inherit);
    // Set the advice. Errors: EINVAL, ENOMEM.
    kern::ErrorOr<void> set_advice(uptr addr, size_t length, Advice advice);
    // Fault in and pin every page of [addr, addr + length) / undo it.
    // Errors: EINVAL, ENOMEM (no mapping or no memory), EACCES (protection).
    kern::ErrorOr<void> wire(uptr addr, size_t length, Access access);
    kern::ErrorOr<void> unwire(uptr addr, size_t length);

    // msync and madvise (vm/map_sync.cpp). Both take a page-aligned range
    // that does not wrap around, act on its mapped parts, and only then
    // report a hole (Linux's order). Errors: ENOMEM (part of the range is
    // not mapped).
    //
    // sync: with SYNC_WRITE, write back the dirty pages of each object that
    // an entry of the range maps shared, in the part of it the entry covers
    // (put_pages_locked(PUT_CLEAN)); m_lock is not held during the I/O.
    // Private entries have nothing to write. Errors: also EIO (the pager's,
    // the walk stops there), EBUSY (SYNC_INVALIDATE, a wired entry).
    // => m_lock not held.
    kern::ErrorOr<void> sync(uptr addr, size_t length, u32 flags);
    // discard: drop the range's translations, and the private pages of its
    // copy-on-write entries, so that it reads as zeros (private anonymous
    // memory) or as the object's pages (a private file mapping; a shared
    // mapping keeps its data in its object and faults it back in).
    // Errors: also EINVAL (nothing changed: a wired entry in the range; with
    // DISCARD_ANON_ONLY, an entry with an object), ENOMEM (a clip needed
    // memory). => m_lock not held.
    kern::ErrorOr<void> discard(uptr addr, size_t length, u32 flags);
    // Is every page of [addr, addr + length) mapped? => m_lock not held.
    bool is_fully_mapped(uptr addr, size_t length) const;

    // fork: a new map with the same layout, per each entry's inheritance:
    // Share -> both maps reference the same amap/object; Copy -> the child's
    // entry shares the amap needs-copy, and the parent's writable private
    // pages are write-protected so both sides fault before writing;
    // None -> left out. The child gets a new pmap. Errors: ENOMEM (nothing is
    // left half-made; the parent is unchanged in meaning).
    kern::ErrorOr<VmMap*> clone();

    // Free space of `length` bytes at or above `hint`, aligned to `align`
    // (a power of two >= PAGE_SIZE). Errors: ENOMEM.
    kern::ErrorOr<uptr> find_space_locked(uptr hint, size_t length, size_t align) const;
    // The entry containing `va`, or nullptr. => m_lock held.
    MapEntry* lookup_locked(uptr va) const;

    arch::Pmap* pmap() const { return m_pmap; }
    kern::Mutex& lock() const { return m_lock; }
    uptr min() const { return m_min; }
    uptr max() const { return m_max; }
    size_t entry_count() const { return m_entry_count; }
    // Bytes mapped (sum of entry sizes).
    size_t mapped_bytes() const { return m_mapped_bytes; }
    // Check every invariant (tree, order, no overlap, gaps); returns nullptr if
    // all hold, else a description. For tests.
    const char* validate() const;
    // Call fn(const MapEntry&) for each entry in address order. => m_lock held.
    template <typename Fn> void for_each_entry_locked(Fn fn) const
    {
        for (const MapEntry& e : m_entries)
            fn(e);
    }

    using EntryTree = kern::RbTree<MapEntry, &MapEntry::m_node, EntryPolicy>;

private:
    friend kern::ErrorOr<void> fault_locked(VmMap&, uptr, Access, bool);
    VmMap() = default;
    ~VmMap() = default;

    // Entry surgery (vm/map.cpp). All => m_lock held.
    void insert_locked(MapEntry& e);
    void unlink_locked(MapEntry& e);
    kern::ErrorOr<MapEntry*> split_locked(MapEntry& e, uptr va);
    kern::ErrorOr<void> clip_range_locked(uptr start, uptr end);
    MapEntry* merge_locked(MapEntry* e);
    void remove_range_locked(uptr start, uptr end);
    bool range_ok(uptr addr, size_t length) const;
    bool fully_mapped_locked(uptr start, uptr end) const;
    // Call fn(MapEntry&) on each entry that starts in [start, end), in order
    // (after a clip: exactly the entries covering the range).
    template <typename Fn> void for_range_locked(uptr start, uptr end, Fn fn) const
    {
        for (MapEntry* e = lookup_locked(start); e && e->m_start < end; e = m_entries.next(*e))
            fn(*e);
    }
    // Errors: ENOMEM if [start, end) has a hole, `refusal` if ok(entry) is false
    // for an entry there, else nothing.
    template <typename Fn>
    kern::ErrorOr<void> check_range_locked(uptr start, uptr end, Fn ok, kern::Errno refusal) const
    {
        if (!fully_mapped_locked(start, end))
            return kern::Errno::ENOMEM;
        bool all = true;
        for_range_locked(start, end, [&](const MapEntry& e) { all = all && ok(e); });
        if (!all)
            return refusal;
        return {};
    }
    template <typename Fn> kern::ErrorOr<void> modify_range(uptr addr, size_t length, Fn fn);
    // Wiring (vm/map_wire.cpp).
    kern::ErrorOr<void> wire_locked(uptr start, uptr end, Access access);
    void unwire_pages_locked(uptr start, uptr end);
    void unwire_entry_locked(MapEntry& e);
    // msync and madvise (vm/map_sync.cpp).
    MapEntry* first_entry_from_locked(uptr va) const;
    kern::ErrorOr<void> drop_private_pages_locked(MapEntry& e, uptr start, uptr end);
    // Fork (vm/map_clone.cpp).
    kern::ErrorOr<void> clone_entry_locked(MapEntry& e, VmMap& child);
    // Needs-copy resolution for the fault handler (vm/fault.cpp).
    kern::ErrorOr<MapEntry*> resolve_needs_copy_locked(MapEntry& e, uptr va);

    mutable kern::Mutex m_lock;
    uptr m_min = 0;
    uptr m_max = 0;
    arch::Pmap* m_pmap = nullptr;
    // Guarded by m_lock:
    size_t m_entry_count = 0;
    size_t m_mapped_bytes = 0;
    EntryTree m_entries;
};

// The kernel's map of pageable kernel memory (vm/kmem.cpp), and the map of
// the running thread's address space (the kernel map for kernel threads).
VmMap& kernel_map();

} // namespace vm
