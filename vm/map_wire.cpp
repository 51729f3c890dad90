// vm/map_wire.cpp -- wiring: keeping a range resident and mapped.
//
// Wiring a range (mlock, kernel buffers that interrupt handlers touch, the
// pages of an I/O in flight) faults every page in now and marks it wired:
// the pmap mapping is PMAP_WIRED (it stays until unwired) and the page's
// m_wire_count is raised (the page daemon will skip it). Each entry counts
// the wire() calls covering it (m_wired_count), so wire/unwire nest;
// unmapping a wired range unwires it first.
//
// Unwiring a page: find it through the pmap (pmap_extract), lower its wire
// count, clear the wired mark of the mapping.
#include <vm/fault.h>
#include <vm/map.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

void VmMap::unwire_pages_locked(uptr start, uptr end)
{
    for (uptr va = start; va < end; va += PAGE_SIZE) {
        PhysAddr pa;
        if (!arch::pmap_extract(m_pmap, va, &pa))
            continue;
        Page* page = page_allocator().page_for(pa);
        KASSERT(page && page->m_wire_count > 0);
        if (--page->m_wire_count == 0)
            stat_add(stats().wired_pages, -1);
        arch::pmap_unwire(m_pmap, va);
    }
}

void VmMap::unwire_entry_locked(MapEntry& e)
{
    for (; e.m_wired_count > 0; --e.m_wired_count)
        unwire_pages_locked(e.m_start, e.m_end);
}

ErrorOr<void> VmMap::wire_locked(uptr start, uptr end, Access access)
{
    TRY(check_range_locked(start, end, [&](const MapEntry& e) { return !(access & ~e.m_prot); },
                           Errno::EFAULT));
    TRY(clip_range_locked(start, end));
    for (MapEntry* e = lookup_locked(start); e && e->m_start < end; e = m_entries.next(*e)) {
        // Fault with the entry's own rights, so a writable private page is
        // promoted now: a wired page must not be replaced by a later
        // copy-on-write fault.
        Access fault_access = (e->m_prot & PROT_WRITE) ? Access(PROT_READ | PROT_WRITE) : PROT_READ;
        for (uptr va = e->m_start; va < e->m_end; va += PAGE_SIZE) {
            auto r = fault_locked(*this, va, fault_access, true);
            if (r.is_error()) {
                // Undo: the pages of this entry wired so far, then whole entries.
                unwire_pages_locked(e->m_start, va);
                for (MapEntry* w = lookup_locked(start); w != e; w = m_entries.next(*w)) {
                    unwire_pages_locked(w->m_start, w->m_end);
                    --w->m_wired_count;
                }
                return r.error();
            }
        }
        ++e->m_wired_count;
    }
    return {};
}

ErrorOr<void> VmMap::wire(uptr addr, size_t length, Access access)
{
    length = align_up(length, PAGE_SIZE);
    if (!range_ok(addr, length))
        return Errno::EINVAL;
    MutexGuard guard(m_lock);
    return wire_locked(addr, addr + length, access);
}

ErrorOr<void> VmMap::unwire(uptr addr, size_t length)
{
    length = align_up(length, PAGE_SIZE);
    if (!range_ok(addr, length))
        return Errno::EINVAL;
    uptr end = addr + length;
    MutexGuard guard(m_lock);
    TRY(check_range_locked(addr, end, [](const MapEntry& e) { return e.m_wired_count > 0; },
                           Errno::EINVAL));
    TRY(clip_range_locked(addr, end));
    for_range_locked(addr, end, [&](MapEntry& e) {
        unwire_pages_locked(e.m_start, e.m_end);
        --e.m_wired_count;
    });
    return {};
}

} // namespace vm
