// vm/map_clone.cpp -- VmMap::clone: the address space of a forked child.
//
// For each entry of the parent, by its inheritance (vm/vm.h: Inherit):
//   None   the child gets nothing there.
//   Share  the child's entry references the same amap and object: both
//          processes see each other's writes. If the parent's entry still
//          needs its own amap, it gets one first, so that there is one amap
//          to share.
//   Copy   (private memory) the child's entry references the same amap and
//          object, and both entries become NEEDS_COPY + COPY_ON_WRITE: the
//          first write on either side copies the amap (vm/fault.cpp step 0)
//          and promotes the one page written. The parent's pages are made
//          read-only in its pmap now, so its next write faults too.
//          A wired parent entry cannot wait for a fault (its pages must stay
//          writable and resident), so the child gets its copies at once.
// Nothing is copied eagerly otherwise: fork costs O(entries), plus the
// write-protection of the parent's resident pages.
//
// The child is built completely before the parent is changed, so ENOMEM
// leaves the parent as it was (the half-built child is destroyed).
// After NetBSD uvm_map.c:uvmspace_fork and uvm_mapent_forkcopy.
#include <kernel/base/lib/string.h>
#include <new>
#include <vm/amap.h>
#include <vm/map.h>
#include <vm/object.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

// The child's copy of `e`'s attributes, referencing e's layers.
static ErrorOr<MapEntry*> copy_entry(const MapEntry& e)
{
    auto* c = new (std::nothrow) MapEntry;
    if (!c)
        return Errno::ENOMEM;
    c->m_start = e.m_start;
    c->m_end = e.m_end;
    c->m_prot = e.m_prot;
    c->m_max_prot = e.m_max_prot;
    c->m_inherit = e.m_inherit;
    c->m_advice = e.m_advice;
    c->m_flags = e.m_flags;
    c->m_amap = e.m_amap;
    c->m_amap_slot = e.m_amap_slot;
    c->m_object = e.m_object;
    c->m_object_offset = e.m_object_offset;
    if (c->m_amap) {
        MutexGuard guard(c->m_amap->lock());
        c->m_amap->ref_locked(c->m_amap_slot, c->pages());
    }
    if (c->m_object)
        c->m_object->reference();
    return c;
}

// A wired private entry: give the child's entry an amap of copied pages.
// On ENOMEM the child's entry still holds a valid amap (partly copied) that
// goes away with the half-built child map.
static ErrorOr<void> copy_pages_now(MapEntry& child)
{
    Amap* shared = child.m_amap;
    Amap* own;
    Errno failure = Errno(0);
    {
        MutexGuard guard(shared->lock());
        own = TRY(Amap::copy_locked(*shared, child.m_amap_slot, child.pages()));
        for (size_t slot = 0; slot < child.pages(); ++slot) {
            Anon* anon = own->lookup_locked(slot);
            if (!anon)
                continue;
            auto page = anon->page_in_locked();  // wired pages stay in; be safe
            auto copy = page.is_error() ? ErrorOr<Anon*>(page.error()) : Anon::create_copy(*page.value());
            if (copy.is_error()) {
                failure = copy.error();
                break;
            }
            own->replace_locked(slot, *copy.value());
        }
    }
    shared->unref(child.m_amap_slot, child.pages());
    child.m_amap = own;
    child.m_amap_slot = 0;
    child.m_flags &= u8(~MapEntry::NEEDS_COPY);
    if (int(failure))
        return failure;
    return {};
}

ErrorOr<void> VmMap::clone_entry_locked(MapEntry& e, VmMap& child)
{
    if (e.m_inherit == Inherit::None)
        return {};
    if (e.m_inherit == Inherit::Share && e.has(MapEntry::NEEDS_COPY) && !(e.m_object && !e.m_amap))
        TRY(resolve_needs_copy_locked(e, e.m_start));
    MapEntry* c = TRY(copy_entry(e));
    if (e.m_inherit == Inherit::Copy && (e.m_amap || e.has(MapEntry::COPY_ON_WRITE))) {
        c->m_flags |= MapEntry::COPY_ON_WRITE | MapEntry::NEEDS_COPY;
        if (e.m_wired_count && c->m_amap) {
            auto copied = copy_pages_now(*c);
            if (copied.is_error()) {
                child.insert_locked(*c);  // freed with the child map
                return copied.error();
            }
        }
    }
    child.insert_locked(*c);
    return {};
}

ErrorOr<VmMap*> VmMap::clone()
{
    arch::Pmap* child_pmap = TRY(arch::pmap_create());
    auto created = create(m_min, m_max, child_pmap);
    if (created.is_error()) {
        arch::pmap_destroy(child_pmap);
        return created.error();
    }
    VmMap* child = created.value();
    MutexGuard guard(m_lock);
    Errno failure = Errno(0);
    {
        MutexGuard child_guard(child->m_lock);
        for (MapEntry* e = m_entries.first(); e && !int(failure); e = m_entries.next(*e)) {
            auto r = clone_entry_locked(*e, *child);
            if (r.is_error())
                failure = r.error();
        }
    }
    if (int(failure)) {
        child->destroy();  // drops the references its entries took
        return failure;
    }
    // Nothing can fail now: make the parent's private entries copy-on-write.
    for (MapEntry* e = m_entries.first(); e; e = m_entries.next(*e)) {
        if (e->m_inherit != Inherit::Copy || e->m_wired_count)
            continue;
        if (!e->m_amap && !e->has(MapEntry::COPY_ON_WRITE))
            continue;
        e->m_flags |= MapEntry::COPY_ON_WRITE | MapEntry::NEEDS_COPY;
        if (e->m_prot & PROT_WRITE)
            arch::pmap_protect(m_pmap, e->m_start, e->m_end, e->m_prot & Prot(~PROT_WRITE));
    }
    arch::pmap_update(m_pmap);
    return child;
}

} // namespace vm
