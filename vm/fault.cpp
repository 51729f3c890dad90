// vm/fault.cpp -- the page-fault handler: making a page present.
//
// A fault at virtual address va for an access (read, write, execute) is
// resolved by looking in the faulting entry's two layers, top first, as UVM
// does (Cranor & Parulkar 1999, section 5; NetBSD uvm_fault.c):
//
//        +-------------------------------------------------------------+
//        |  entry [start, end)  prot  COPY_ON_WRITE?  NEEDS_COPY?      |
//        +-------------------------------------------------------------+
//   1.   |  amap (anon layer):   ... | anon | empty | anon | ...       |  private pages
//   2.   |  object (backing):    ... | page | page  | page | ...       |  file / aobj pages
//        +-------------------------------------------------------------+
//
//   0. NEEDS_COPY and the access is a write, or the entry has no object (so
//      a zero-filled page would go into the amap): give the entry an amap of
//      its own (resolve_needs_copy):
//      - no amap: a new empty one (for big entries, only a chunk around va:
//        the entry is clipped first, so huge sparse mappings stay cheap);
//      - an amap no other entry uses: just clear NEEDS_COPY;
//      - a shared amap (after fork): copy it -- the new amap holds the same
//        anons, each anon's count goes up. Pages are not copied yet.
//   1. the amap has an anon for va's slot (its page read back from swap
//      first if the page daemon put it there: a major fault):
//      1A read, or write to an anon only we hold: map its page. If the anon
//         is shared (count > 1) or the amap still needs copying, map it
//         read-only, so a later write faults again and lands in 1B.
//      1B write to a shared anon: "promote": copy the page into a new anon,
//         put it in the slot (the old anon loses a reference), map the copy
//         writable. This is copy-on-write of anonymous memory.
//   2. no anon, but an object: get the page from the object's pager.
//      2A shared mapping, or a read: map the object's page (read-only if the
//         entry is copy-on-write: the page belongs to the file).
//      2B write to a copy-on-write entry: promote the object page into a new
//         anon in the amap, map that. The file is never written.
//   3. neither: zero-fill -- a new anon with a zeroed page.
//
// The counters in vm::stats() count each case.
//
// Locking: the caller of fault() holds nothing; we hold the map's lock for
// the whole fault (so the entry cannot change under us), then the amap lock,
// then the object lock (the documented order). UVM instead drops the map lock
// during I/O and re-validates afterwards; we keep it: simpler to read, and
// correct, at the cost of serializing faults within one address space. A
// consequence: code holding a map's lock must never touch user memory of that
// map (the fault would wait for itself; Mutex::lock KASSERTs it).
//
// Wiring: with `wire`, the page is entered with PMAP_WIRED and its
// m_wire_count raised (vm/map_wire.cpp undoes both).
//
// Reading order: fault() takes the map lock; fault_locked() does step 0 and
// fault_in_entry() picks the case, in the order of the algorithm above;
// each case is one short function (fault_anon, fault_object,
// fault_zero_fill), and all of them end in enter().
#include <arch/pmap.h>
#include <vm/amap.h>
#include <vm/fault.h>
#include <vm/map.h>
#include <vm/object.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/pageq.h>
#include <vm/stats.h>
#include <vm/swap.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

// Entries larger than this get an amap for one chunk around the fault only.
static constexpr size_t AMAP_CHUNK_PAGES = 256;  // 1 MiB

// Step 0. Returns the entry now covering va (clipping may have replaced
// `e`'s range).
ErrorOr<MapEntry*> VmMap::resolve_needs_copy_locked(MapEntry& entry, uptr va)
{
    MapEntry* e = &entry;
    if (!e->m_amap) {
        if (e->pages() > AMAP_CHUNK_PAGES) {
            uptr chunk = AMAP_CHUNK_PAGES * PAGE_SIZE;
            uptr start = ::max(e->m_start, align_down(va, chunk));
            uptr end = ::min(e->m_end, start + chunk);
            TRY(clip_range_locked(start, end));
            e = lookup_locked(va);
        }
        e->m_amap = TRY(Amap::create(e->pages()));
        e->m_amap_slot = 0;
        e->m_flags &= u8(~MapEntry::NEEDS_COPY);
        return e;
    }
    Amap* old = e->m_amap;
    {
        MutexGuard guard(old->lock());
        if (old->ref_count_locked() == 1) {
            e->m_flags &= u8(~MapEntry::NEEDS_COPY);
            return e;
        }
        e->m_amap = TRY(Amap::copy_locked(*old, e->m_amap_slot, e->pages()));
    }
    old->unref(e->m_amap_slot, e->pages());
    e->m_amap_slot = 0;
    e->m_flags &= u8(~MapEntry::NEEDS_COPY);
    stat_add(stats().faults_amap_copy);
    return e;
}

// Enter `page` at va, wired if asked. Errors: ENOMEM (page tables).
static ErrorOr<void> enter(VmMap& map, uptr va, Page& page, Prot prot, bool wire)
{
    PhysAddr pa = page_allocator().phys_of(page);
    TRY(arch::pmap_enter(map.pmap(), va, pa, prot, wire ? arch::PMAP_WIRED : 0));
    if (wire && page.m_wire_count++ == 0)
        stat_add(stats().wired_pages);
    return {};
}

// The anon at `slot` is on swap: read it back, and with it -- in the same
// request -- the anons of the next amap slots of this entry whose pages
// went out to the slots right after its own (a sequential sweep wrote them
// so): swap read-ahead, where it costs nothing but memory. => amap lock held.
static ErrorOr<Page*> swap_in(MapEntry& e, Amap& amap, size_t slot, Anon& anon)
{
    if (anon.m_page)
        return anon.m_page;
    Anon* run[SWAP_MAX_RUN] = {&anon};
    size_t n = 1;
    const size_t end = e.m_amap_slot + e.pages();
    for (size_t s = slot + 1; s < end && n < SWAP_MAX_RUN; ++s, ++n) {
        Anon* next = amap.lookup_locked(s);
        if (!next || next->m_page || next->m_swap_slot != anon.m_swap_slot + n)
            break;
        run[n] = next;
    }
    TRY(Anon::page_in_run_locked(run, n));
    return anon.m_page;
}

// Cases 1A/1B. => amap lock held.
static ErrorOr<void> fault_anon(VmMap& map, MapEntry& e, Amap& amap, size_t slot, Anon& anon,
                                uptr va, Access access, bool wire)
{
    Prot prot = e.m_prot;
    Page& page = *TRY(swap_in(e, amap, slot, anon));  // from swap, if it is out
    if ((access & PROT_WRITE) && anon.m_ref_count > 1) {
        // 1B: promote.
        Anon* copy = TRY(Anon::create_copy(page));
        amap.replace_locked(slot, *copy);
        stat_add(stats().faults_cow_promote);
        return enter(map, va, *copy->m_page, prot, wire);
    }
    // 1A: map the anon's page; read-only while it is shared.
    if (anon.m_ref_count > 1 || e.has(MapEntry::NEEDS_COPY))
        prot &= Prot(~PROT_WRITE);
    stat_add(stats().faults_anon_hit);
    return enter(map, va, page, prot, wire);
}

// Cases 2A/2B. => amap lock held if `amap`.
static ErrorOr<void> fault_object(VmMap& map, MapEntry& e, Amap* amap, size_t slot, uptr va,
                                  Access access, bool wire)
{
    VmObject& object = *e.m_object;
    MutexGuard guard(object.lock());
    Page* page = TRY(object.get_page_locked(e.object_offset_of(va), access));
    if (e.has(MapEntry::COPY_ON_WRITE) && (access & PROT_WRITE)) {
        // 2B: the first write to a private file page copies it into the amap.
        KASSERT(amap && !e.has(MapEntry::NEEDS_COPY));
        Anon* copy = TRY(Anon::create_copy(*page));
        amap->add_locked(slot, *copy);
        stat_add(stats().faults_cow_promote);
        return enter(map, va, *copy->m_page, e.m_prot, wire);
    }
    // 2A: map the object's own page.
    Prot prot = e.m_prot;
    if (e.has(MapEntry::COPY_ON_WRITE) || (!(access & PROT_WRITE) && object.tracks_writes()))
        prot &= Prot(~PROT_WRITE);  // a store faults again (2B, or the pager sees it)
    else if (access & PROT_WRITE)
        page->m_flags |= Page::DIRTY;
    stat_add(stats().faults_object_hit);
    return enter(map, va, *page, prot, wire);
}

// Case 3. => amap lock held.
static ErrorOr<void> fault_zero_fill(VmMap& map, MapEntry& e, Amap& amap, size_t slot, uptr va,
                                     bool wire)
{
    Anon* anon = TRY(Anon::create_zeroed());
    amap.add_locked(slot, *anon);
    stat_add(stats().faults_zero_fill);
    return enter(map, va, *anon->m_page, e.m_prot, wire);
}

static ErrorOr<void> fault_in_entry(VmMap& map, MapEntry& e, uptr va, Access access, bool wire)
{
    Amap* amap = e.m_amap;
    if (!amap)
        return fault_object(map, e, nullptr, 0, va, access, wire);
    size_t slot = e.amap_slot_of(va);
    MutexGuard guard(amap->lock());
    if (Anon* anon = amap->lookup_locked(slot))
        return fault_anon(map, e, *amap, slot, *anon, va, access, wire);
    if (e.m_object)
        return fault_object(map, e, amap, slot, va, access, wire);
    return fault_zero_fill(map, e, *amap, slot, va, wire);
}

ErrorOr<void> fault_locked(VmMap& map, uptr va, Access access, bool wire)
{
    stat_add(stats().faults);
    va = align_down(va, PAGE_SIZE);
    MapEntry* e = map.lookup_locked(va);
    if (!e || (access & ~e->m_prot)) {
        // Nothing mapped, or mapped without this access: the signal's
        // si_code tells them apart (SEGV_MAPERR / SEGV_ACCERR).
        stat_add(stats().faults_failed);
        return e ? Errno::EACCES : Errno::EFAULT;
    }
    // Step 0: a write, or any touch of an entry without an object, needs an
    // amap of the entry's own: without an object, the page may be zero-filled
    // into the amap, and a shared amap would hand it to the other side too.
    if (e->has(MapEntry::NEEDS_COPY) && ((access & PROT_WRITE) || !e->m_object)) {
        auto resolved = map.resolve_needs_copy_locked(*e, va);
        if (resolved.is_error()) {
            stat_add(stats().faults_failed);
            return resolved.error();
        }
        e = resolved.value();
    }
    auto result = fault_in_entry(map, *e, va, access, wire);
    if (result.is_error())
        stat_add(stats().faults_failed);
    return result;
}

ErrorOr<void> fault(VmMap& map, uptr va, Access access, bool wire)
{
    MutexGuard guard(map.lock());
    return fault_locked(map, va, access, wire);
}

} // namespace vm
