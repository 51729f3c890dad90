// vm/map_sync.cpp -- msync and madvise's discard: what a range of a map does to its pages.
//
// Two walks over the entries of a range, for the system calls that act on
// mapped pages without changing what is mapped where
// (kernel/top/syscall/sys_memory.cpp):
//
//   sync     msync(MS_SYNC). For each entry of the range that maps an object
//            shared (its writes reach the object), ask the object's pager to
//            write back the dirty pages of the part of the object the entry
//            covers: put_pages_locked(lo, hi, PUT_CLEAN). A private entry has
//            nothing to write: its changes live in its amap, never in the
//            object.
//   discard  madvise(MADV_DONTNEED, MADV_FREE). Remove the range's
//            translations from the pmap, and drop the private pages of the
//            copy-on-write entries, so the range reads as it did before it
//            was written: zeros for private anonymous memory, the file's
//            bytes for a private file mapping. A shared entry keeps its pages
//            in its object; only the translations go, and the next access
//            faults them back in.
//
// Holes. Both walks act on the mapped parts of the range and report ENOMEM
// at the end if a page of it was not mapped, as Linux's msync and
// madvise_walk_vmas do.
//
// Locking. sync does I/O, which sleeps for as long as the disk takes. It
// holds m_lock only to find the next entry and take a reference on its
// object, drops m_lock, and then holds only the object's lock for
// put_pages_locked -- as Linux's msync drops mmap_lock around
// vfs_fsync_range. So faults of other threads of the process go on, and the
// pager's own locks are never taken under a map lock. The map may change
// while the pages are written; the walk goes on from the end of the part it
// did and looks the next entry up again (Linux does the same). discard does
// no I/O and holds m_lock throughout, taking amap locks under it as the fault
// handler does (lock order: docs/locking.md).
//
// Dropping a copy-on-write entry's private pages. Its amap slots for the
// range hold the pages it has written (or copied). If the entry is the
// amap's only user -- no needs-copy, or needs-copy with the other references
// gone (the test the fault handler makes: vm/fault.cpp) -- the slots are
// emptied in place: each anon loses this amap's reference, and an anon
// nobody else references frees its page. After fork, a needs-copy entry
// shares its amap with the other process, whose pages must stay: the range
// is then clipped into an entry of its own, which drops its reference on the
// amap (slots only it covered free their anons) and starts again without an
// amap, needs-copy, as a fresh mapping does.
//
// Read more: Linux mm/msync.c (sys_msync), mm/madvise.c
// (madvise_walk_vmas, madvise_dontneed_free); NetBSD uvm_map.c
// (uvm_map_clean, uvm_map_advice); msync(2), madvise(2); docs/vm.md.
#include <kernel/base/printk.h>
#include <vm/amap.h>
#include <vm/map.h>
#include <vm/object.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

// The entry containing `va`, or else the first entry above it; nullptr if
// there is none. => m_lock held.
MapEntry* VmMap::first_entry_from_locked(uptr va) const
{
    if (MapEntry* e = lookup_locked(va))
        return e;
    return m_entries.lower_bound(va);
}

bool VmMap::is_fully_mapped(uptr addr, size_t length) const
{
    MutexGuard guard(m_lock);
    return fully_mapped_locked(addr, addr + length);
}

// ---- sync ----------------------------------------------------------------------

// Part of an object to write back, found under the map's lock; `object` is
// referenced (nullptr: nothing to write for this entry).
struct WriteBack {
    VmObject* object = nullptr;
    u64 start = 0;
    u64 end = 0;
};

// Write back the dirty pages of `wb`, then drop its reference.
// => no VM lock held. Errors: EIO (the pager's).
static ErrorOr<void> write_back(const WriteBack& wb)
{
    ErrorOr<void> result;
    {
        MutexGuard guard(wb.object->lock());
        result = wb.object->put_pages_locked(wb.start, wb.end, PUT_CLEAN);
    }
    wb.object->detach();
    return result;
}

ErrorOr<void> VmMap::sync(uptr addr, size_t length, u32 flags)
{
    KASSERT(is_page_aligned(addr) && is_page_aligned(length) && addr + length >= addr);
    const uptr end = addr + length;
    bool hole = false;
    for (uptr at = addr; at < end;) {
        WriteBack wb;
        {
            MutexGuard guard(m_lock);
            MapEntry* e = first_entry_from_locked(at);
            if (!e || e->m_start >= end)
                return Errno::ENOMEM;  // the rest of the range is a hole
            if (e->m_start > at)
                hole = true;
            if ((flags & SYNC_INVALIDATE) && e->m_wired_count)
                return Errno::EBUSY;
            uptr lo = ::max(at, e->m_start), hi = ::min(end, e->m_end);
            if ((flags & SYNC_WRITE) && e->m_object && !e->has(MapEntry::COPY_ON_WRITE)) {
                wb = {e->m_object, e->object_offset_of(lo), e->object_offset_of(lo) + (hi - lo)};
                wb.object->reference();
            }
            at = hi;
        }
        if (wb.object)
            TRY(write_back(wb));
    }
    if (hole)
        return Errno::ENOMEM;
    return {};
}

// ---- discard -------------------------------------------------------------------

// Drop e's private pages in [start, end) (inside e): see the top.
// => m_lock held, e copy-on-write with an amap. Errors: ENOMEM (the clip).
ErrorOr<void> VmMap::drop_private_pages_locked(MapEntry& e, uptr start, uptr end)
{
    Amap* amap = e.m_amap;
    {
        MutexGuard guard(amap->lock());
        if (!e.has(MapEntry::NEEDS_COPY) || amap->ref_count_locked() == 1) {
            for (size_t slot = e.amap_slot_of(start); slot < e.amap_slot_of(end); ++slot)
                amap->remove_locked(slot);
            return {};
        }
    }
    TRY(clip_range_locked(start, end));
    MapEntry* piece = lookup_locked(start);
    KASSERT(piece && piece->m_start == start && piece->m_end == end && piece->m_amap == amap);
    size_t first = piece->m_amap_slot;
    piece->m_amap = nullptr;
    piece->m_amap_slot = 0;
    amap->unref(first, piece->pages());  // piece stays NEEDS_COPY: "no amap yet"
    return {};
}

ErrorOr<void> VmMap::discard(uptr addr, size_t length, u32 flags)
{
    KASSERT(is_page_aligned(addr) && is_page_aligned(length) && addr + length >= addr);
    const uptr end = addr + length;
    MutexGuard guard(m_lock);
    // The refusals first, so that a refused call changes nothing.
    for (MapEntry* e = first_entry_from_locked(addr); e && e->m_start < end; e = m_entries.next(*e)) {
        if (e->m_wired_count > 0 || ((flags & DISCARD_ANON_ONLY) && e->m_object))
            return Errno::EINVAL;
    }
    bool hole = false;
    for (uptr at = addr; at < end;) {
        MapEntry* e = first_entry_from_locked(at);
        if (!e || e->m_start >= end) {
            hole = true;
            break;
        }
        if (e->m_start > at)
            hole = true;
        uptr lo = ::max(at, e->m_start), hi = ::min(end, e->m_end);
        // The translations go before the pages they point at are freed.
        arch::pmap_remove(m_pmap, lo, hi);
        arch::pmap_update(m_pmap);
        if (e->has(MapEntry::COPY_ON_WRITE) && e->m_amap)
            TRY(drop_private_pages_locked(*e, lo, hi));
        at = hi;
    }
    if (hole)
        return Errno::ENOMEM;
    return {};
}

} // namespace vm
