// vm/map.cpp -- VmMap: the entry tree, clipping, merging, and the map operations.
//
// Read vm/map.h first. This file has three parts:
//   1. the tree: EntryPolicy keys entries by start address and keeps, in each
//      node, the largest free gap after any entry of its subtree (m_max_gap),
//      so find_space_locked() skips subtrees that cannot hold the request;
//   2. entry surgery: allocate, insert, remove, clip (split in two), merge;
//   3. the operations: map, unmap, protect, inherit, advice, wire, clone,
//      destroy.
//
// Every change to an entry's end, or to which entry follows which, changes a
// gap; set_gap_locked() recomputes one entry's m_gap_after and pushes the new
// summary up the tree. The first gap (m_min up to the first entry) belongs to
// no entry and is checked separately.
//
// Failure: operations clip first (which leaves an equivalent map: more
// entries, same meaning) and change entries only once nothing can fail.
// A clip needs a new entry (ENOMEM); nothing else here allocates, except
// clone, which builds the child completely before the parent is touched.
//
// Design after NetBSD uvm_map.c (uvm_map_clip_start/end, uvm_mapent_forkcopy,
// uvm_map_findspace); the code is our own. See docs/vm.md.
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <new>
#include <vm/amap.h>
#include <vm/fault.h>
#include <vm/map.h>
#include <vm/object.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

// ---- 1. the tree ---------------------------------------------------------------

// Recompute e's gap to its successor (or the map's end) and the summaries above it.
static void set_gap(VmMap::EntryTree& tree, MapEntry& e, uptr map_max)
{
    MapEntry* next = tree.next(e);
    e.m_gap_after = (next ? next->m_start : map_max) - e.m_end;
    tree.update_augmented(e);
}

ErrorOr<VmMap*> VmMap::create(uptr min, uptr max, arch::Pmap* pmap)
{
    KASSERT(is_page_aligned(min) && is_page_aligned(max) && min < max);
    auto* map = new (std::nothrow) VmMap;
    if (!map)
        return Errno::ENOMEM;
    map->m_min = min;
    map->m_max = max;
    map->m_pmap = pmap;
    return map;
}

MapEntry* VmMap::lookup_locked(uptr va) const
{
    MapEntry* e = m_entries.floor(va);
    return (e && va < e->m_end) ? e : nullptr;
}

// The lowest address >= lo, aligned, where `length` bytes fit in the gap
// after `e` (or 0 if they do not).
static uptr fit_after(const MapEntry& e, uptr lo, size_t length, size_t align)
{
    uptr start = align_up(max(e.m_end, lo), align);
    uptr gap_end = e.m_end + e.m_gap_after;
    return (start >= e.m_end && start <= gap_end && gap_end - start >= length) ? start : 0;
}

// In-order search of the subtree at `e` for the first gap (after an entry)
// that ends above `lo` and holds `length` bytes. Subtrees whose largest gap is
// smaller than `length` are skipped. Returns the address, or 0.
static uptr search_gaps(const VmMap::EntryTree& tree, const MapEntry* e, uptr lo, size_t length,
                        size_t align)
{
    if (!e || e->m_max_gap < length)
        return 0;
    if (e->m_start > lo) {
        if (uptr a = search_gaps(tree, tree.left(*e), lo, length, align))
            return a;
    }
    if (e->m_end + e->m_gap_after > lo) {
        if (uptr a = fit_after(*e, lo, length, align))
            return a;
    }
    return search_gaps(tree, tree.right(*e), lo, length, align);
}

ErrorOr<uptr> VmMap::find_space_locked(uptr hint, size_t length, size_t align) const
{
    KASSERT(length > 0 && align >= PAGE_SIZE && (align & (align - 1)) == 0);
    uptr lo = ::max(hint, m_min);
    if (lo >= m_max || length > m_max - lo)
        return Errno::ENOMEM;
    // The gap before the first entry belongs to no entry.
    MapEntry* first = m_entries.first();
    uptr first_start = first ? first->m_start : m_max;
    uptr start = align_up(lo, align);
    if (start >= lo && start < first_start && first_start - start >= length)
        return start;
    if (uptr a = search_gaps(m_entries, m_entries.root(), lo, length, align))
        return a;
    return Errno::ENOMEM;
}

// ---- 2. entry surgery ------------------------------------------------------------

static ErrorOr<MapEntry*> allocate_entry()
{
    auto* e = new (std::nothrow) MapEntry;
    if (!e)
        return Errno::ENOMEM;
    return e;
}

void VmMap::insert_locked(MapEntry& e)
{
    m_entries.insert(e);
    ++m_entry_count;
    m_mapped_bytes += e.m_end - e.m_start;
    set_gap(m_entries, e, m_max);
    if (MapEntry* prev = m_entries.prev(e))
        set_gap(m_entries, *prev, m_max);
}

// Take `e` out of the tree (its references are the caller's business).
void VmMap::unlink_locked(MapEntry& e)
{
    MapEntry* prev = m_entries.prev(e);
    m_entries.remove(e);
    --m_entry_count;
    m_mapped_bytes -= e.m_end - e.m_start;
    if (prev)
        set_gap(m_entries, *prev, m_max);
}

// Split `e` at `va` (strictly inside it): e keeps [start, va), a new entry
// gets [va, end) with the same attributes and references. Returns the new entry.
// Errors: ENOMEM (nothing changed).
ErrorOr<MapEntry*> VmMap::split_locked(MapEntry& e, uptr va)
{
    KASSERT(e.m_start < va && va < e.m_end && is_page_aligned(va));
    MapEntry* right = TRY(allocate_entry());
    size_t left_pages = (va - e.m_start) >> PAGE_SHIFT;
    right->m_start = va;
    right->m_end = e.m_end;
    right->m_prot = e.m_prot;
    right->m_max_prot = e.m_max_prot;
    right->m_inherit = e.m_inherit;
    right->m_advice = e.m_advice;
    right->m_flags = e.m_flags;
    right->m_wired_count = e.m_wired_count;
    right->m_amap = e.m_amap;
    right->m_amap_slot = e.m_amap_slot + left_pages;
    right->m_object = e.m_object;
    right->m_object_offset = e.m_object_offset + (va - e.m_start);
    if (e.m_amap) {
        MutexGuard guard(e.m_amap->lock());
        e.m_amap->split_ref_locked();
    }
    if (e.m_object)
        e.m_object->reference();
    // Shrinking e keeps its key; the right part goes in as a new entry
    // (insert_locked counts its bytes again).
    m_mapped_bytes -= right->m_end - right->m_start;
    e.m_end = va;
    insert_locked(*right);
    return right;
}

// Make entry boundaries at `start` and `end`: afterwards no entry straddles
// either address. Errors: ENOMEM (the map may hold one extra split: same meaning).
ErrorOr<void> VmMap::clip_range_locked(uptr start, uptr end)
{
    if (MapEntry* e = lookup_locked(start); e && e->m_start < start)
        TRY(split_locked(*e, start));
    if (end < m_max) {
        if (MapEntry* e = lookup_locked(end); e && e->m_start < end)
            TRY(split_locked(*e, end));
    }
    return {};
}

// Drop e's references to its layers and free it. => e unlinked, unmapped.
static void free_entry(MapEntry* e)
{
    if (e->m_amap)
        e->m_amap->unref(e->m_amap_slot, e->pages());
    if (e->m_object)
        e->m_object->detach();
    delete e;
}

// Can `b` (right after `a`) be folded into `a`? Both must be fresh, without
// an amap (amaps are never extended), with the same attributes, and if they
// map an object, the same object at contiguous offsets.
static bool can_merge(const MapEntry& a, const MapEntry& b)
{
    return a.m_end == b.m_start && !a.m_amap && !b.m_amap && a.m_prot == b.m_prot &&
           a.m_max_prot == b.m_max_prot && a.m_inherit == b.m_inherit &&
           a.m_advice == b.m_advice && a.m_flags == b.m_flags && a.m_wired_count == 0 &&
           b.m_wired_count == 0 && a.m_object == b.m_object &&
           (!a.m_object || a.m_object_offset + (a.m_end - a.m_start) == b.m_object_offset);
}

// Merge `e` with its neighbours where possible. Returns the surviving entry.
MapEntry* VmMap::merge_locked(MapEntry* e)
{
    if (MapEntry* next = m_entries.next(*e); next && can_merge(*e, *next)) {
        unlink_locked(*next);
        m_mapped_bytes += next->m_end - next->m_start;
        e->m_end = next->m_end;
        set_gap(m_entries, *e, m_max);
        free_entry(next);  // drops next's own object reference
    }
    if (MapEntry* prev = m_entries.prev(*e); prev && can_merge(*prev, *e)) {
        unlink_locked(*e);
        m_mapped_bytes += e->m_end - e->m_start;
        prev->m_end = e->m_end;
        set_gap(m_entries, *prev, m_max);
        free_entry(e);
        e = prev;
    }
    return e;
}

// ---- 3. operations -------------------------------------------------------------

// Remove and free every entry inside [start, end) (already clipped there),
// undoing wiring and pmap mappings first.
void VmMap::remove_range_locked(uptr start, uptr end)
{
    MapEntry* e = m_entries.lower_bound(start);
    while (e && e->m_start < end) {
        KASSERT(e->m_end <= end);
        MapEntry* next = m_entries.next(*e);
        if (e->m_wired_count)
            unwire_entry_locked(*e);
        arch::pmap_remove(m_pmap, e->m_start, e->m_end);
        unlink_locked(*e);
        free_entry(e);
        e = next;
    }
    arch::pmap_update(m_pmap);
}

bool VmMap::range_ok(uptr addr, size_t length) const
{
    return length > 0 && is_page_aligned(addr) && addr >= m_min && addr < m_max &&
           length <= m_max - addr;
}

ErrorOr<uptr> VmMap::map(uptr addr, size_t length, Prot prot, Prot max_prot, Inherit inherit,
                         VmObject* object, u64 offset, u32 flags)
{
    length = align_up(length, PAGE_SIZE);
    if (length == 0 || (prot & ~max_prot) || !is_page_aligned(offset))
        return Errno::EINVAL;
    MutexGuard guard(m_lock);
    uptr start;
    if (flags & MAP_FIXED) {
        if (!range_ok(addr, length))
            return Errno::EINVAL;
        start = addr;
        MapEntry* e = m_entries.floor(start + length - 1);
        bool busy = e && e->m_end > start;
        if (busy && (flags & MAP_NOREPLACE))
            return Errno::EEXIST;
        if (busy) {
            TRY(clip_range_locked(start, start + length));
            remove_range_locked(start, start + length);
        }
    } else {
        start = TRY(find_space_locked(align_down(addr, PAGE_SIZE), length, PAGE_SIZE));
    }
    MapEntry* e = TRY(allocate_entry());
    // Nothing below fails, except wiring, which undoes the mapping itself.
    e->m_start = start;
    e->m_end = start + length;
    e->m_prot = prot;
    e->m_max_prot = max_prot;
    e->m_inherit = inherit;
    e->m_object = object;
    e->m_object_offset = offset;
    if (flags & MAP_PRIVATE)
        e->m_flags = MapEntry::COPY_ON_WRITE | MapEntry::NEEDS_COPY;
    else if (!object)
        e->m_flags = MapEntry::NEEDS_COPY;  // shared anonymous: amap made on first touch
    insert_locked(*e);
    e = merge_locked(e);
    if (flags & MAP_WIRED) {
        auto wired = wire_locked(start, start + length, prot);
        if (wired.is_error()) {
            if (object)
                object->reference();  // the caller keeps its reference on failure
            TRY(clip_range_locked(start, start + length));
            remove_range_locked(start, start + length);
            return wired.error();
        }
    }
    return start;
}

ErrorOr<void> VmMap::unmap(uptr addr, size_t length)
{
    length = align_up(length, PAGE_SIZE);
    if (!range_ok(addr, length))
        return Errno::EINVAL;
    MutexGuard guard(m_lock);
    TRY(clip_range_locked(addr, addr + length));
    remove_range_locked(addr, addr + length);
    return {};
}

// Is every byte of [start, end) covered by entries?
bool VmMap::fully_mapped_locked(uptr start, uptr end) const
{
    uptr at = start;
    for (MapEntry* e = lookup_locked(start); e && at < end; e = m_entries.next(*e)) {
        if (e->m_start > at)
            return false;
        at = e->m_end;
    }
    return at >= end;
}

ErrorOr<void> VmMap::protect(uptr addr, size_t length, Prot prot)
{
    length = align_up(length, PAGE_SIZE);
    if (!range_ok(addr, length) || (prot & ~PROT_ALL))
        return Errno::EINVAL;
    uptr end = addr + length;
    MutexGuard guard(m_lock);
    TRY(check_range_locked(addr, end, [&](const MapEntry& e) { return !(prot & ~e.m_max_prot); },
                           Errno::EACCES));
    TRY(clip_range_locked(addr, end));
    for_range_locked(addr, end, [&](MapEntry& e) {
        Prot old = e.m_prot;
        e.m_prot = prot;
        // Reductions must reach the MMU now; increases happen at the next fault.
        if (old & ~prot)
            arch::pmap_protect(m_pmap, e.m_start, e.m_end, prot);
    });
    arch::pmap_update(m_pmap);
    return {};
}

// Apply fn(MapEntry&) to every entry of [addr, addr + length), clipped.
template <typename Fn> ErrorOr<void> VmMap::modify_range(uptr addr, size_t length, Fn fn)
{
    length = align_up(length, PAGE_SIZE);
    if (!range_ok(addr, length))
        return Errno::EINVAL;
    uptr end = addr + length;
    MutexGuard guard(m_lock);
    TRY(check_range_locked(addr, end, [](const MapEntry&) { return true; }, Errno::ENOMEM));
    TRY(clip_range_locked(addr, end));
    for_range_locked(addr, end, fn);
    return {};
}

ErrorOr<void> VmMap::set_inherit(uptr addr, size_t length, Inherit inherit)
{
    return modify_range(addr, length, [&](MapEntry& e) { e.m_inherit = inherit; });
}

ErrorOr<void> VmMap::set_advice(uptr addr, size_t length, Advice advice)
{
    return modify_range(addr, length, [&](MapEntry& e) { e.m_advice = advice; });
}

void VmMap::destroy()
{
    {
        MutexGuard guard(m_lock);
        if (MapEntry* first = m_entries.first()) {
            remove_range_locked(first->m_start, m_max);
        }
        KASSERT(m_entries.is_empty() && m_mapped_bytes == 0);
    }
    if (m_pmap != arch::pmap_kernel())
        arch::pmap_destroy(m_pmap);
    delete this;
}

const char* VmMap::validate() const
{
    MutexGuard guard(m_lock);
    if (const char* why = m_entries.validate())
        return why;
    size_t count = 0, bytes = 0;
    uptr prev_end = m_min;
    for (const MapEntry& e : m_entries) {
        if (e.m_start < prev_end || e.m_end <= e.m_start)
            return "entries overlap or are empty";
        if (!is_page_aligned(e.m_start) || !is_page_aligned(e.m_end))
            return "unaligned entry";
        if (e.m_end > m_max)
            return "entry beyond the map's end";
        const MapEntry* next = m_entries.next(e);
        if (e.m_gap_after != (next ? next->m_start : m_max) - e.m_end)
            return "stale gap";
        uptr g = e.m_gap_after;
        if (const MapEntry* l = m_entries.left(e))
            g = ::max(g, l->m_max_gap);
        if (const MapEntry* r = m_entries.right(e))
            g = ::max(g, r->m_max_gap);
        if (g != e.m_max_gap)
            return "stale max gap";
        prev_end = e.m_end;
        ++count;
        bytes += e.m_end - e.m_start;
    }
    if (count != m_entry_count || bytes != m_mapped_bytes)
        return "counters disagree with the tree";
    return nullptr;
}

} // namespace vm
