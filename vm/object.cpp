// vm/object.cpp -- VmObject: the parts every pager shares (see vm/object.h).
//
// What is here. The non-virtual half of a VM object: its reference count and
// its resident-page tree. The pagers (vm/aobj.cpp, later the vnode pager)
// supply get_page_locked / put_pages_locked / destroy.
//
// Data structures.
//   m_ref_count   atomic; map entries, open files, ... each hold one. The
//                 object starts with 1 (its creator's). The last detach()
//                 calls the pager's destroy(), which frees the pages and
//                 deletes the object.
//   m_pages       red-black tree of resident pages keyed by Page::m_offset;
//                 a page in it has OBJECT set and m_object == this.
//
// Invariants (KASSERT):
//   - page in m_pages <=> OBJECT set, m_object == this, m_offset page-aligned,
//     and no other page at the same offset;
//   - a page in an object is never also an anon's (ANON clear);
//   - vm::stats().object_pages == the sum of all objects' m_pages.size():
//     counted here, on insert and remove, so every pager is counted alike;
//   - a page is freed only when not wired and not BUSY, after every pmap
//     mapping of it is removed;
//   - the object is destroyed with an empty tree (~VmObject).
//
// Why the count is atomic and not under m_lock: detach() may destroy the
// object, and a thread cannot hold a mutex that lives inside memory it is
// about to free. reference()/detach() therefore need no lock; destroy() runs
// when nobody else can reach the object.
//
// Lock order: docs/locking.md.
//
// Read more: NetBSD sys/uvm/uvm_object.c (uvm_obj_init, uvm_obj_destroy),
// sys/uvm/uvm_page.c (uvm_pagelookup, uvm_pageinsert, uvm_pageremove,
// uvm_pagefree), and Cranor & Parulkar, "The UVM Virtual Memory System"
// (USENIX 1999), section 3 (memory objects). Design only; our own code.
#include <arch/pmap.h>
#include <vm/object.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/pageq.h>
#include <vm/stats.h>

namespace vm {

// ---- reference counting --------------------------------------------------------

void VmObject::reference()
{
    u32 before = __atomic_fetch_add(&m_ref_count, 1, __ATOMIC_RELAXED);
    KASSERT_MSG(before > 0, "VmObject::reference on a dead object");
}

// => m_lock not held (destroy() takes it, and may free it).
void VmObject::detach()
{
    KASSERT(!m_lock.is_locked_by_me());
    u32 before = __atomic_fetch_sub(&m_ref_count, 1, __ATOMIC_ACQ_REL);
    KASSERT_MSG(before > 0, "VmObject::detach: no reference left");
    if (before == 1)
        destroy();
}

VmObject::~VmObject()
{
    KASSERT_MSG(m_pages.is_empty(), "VmObject destroyed with %zu resident pages",
                m_pages.size());
}

// ---- the resident page tree ------------------------------------------------------

Page* VmObject::lookup_page_locked(u64 offset) const
{
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(is_page_aligned(offset));
    return m_pages.find(offset);
}

ErrorOr<void> VmObject::install_filled_page_locked(Page& page, u64 offset)
{
    page.m_flags |= Page::DIRTY;
    insert_page_locked(page, offset);  // asserts that nothing is at offset
    return {};
}

void VmObject::insert_page_locked(Page& page, u64 offset)
{
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(is_page_aligned(offset));
    KASSERT(!page.is_free() && !page.is_reserved());
    KASSERT(!page.has(Page::OBJECT) && !page.has(Page::ANON));
    page.m_flags |= Page::OBJECT;
    page.m_object = this;
    page.m_offset = offset;
    Page* in_the_way = m_pages.insert_unique(page);
    KASSERT_MSG(in_the_way == nullptr, "VmObject: a page is already at offset %#lx",
                (unsigned long)offset);
    stat_add(stats().object_pages);
    pageq_enqueue(page);
}

void VmObject::remove_page_locked(Page& page)
{
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(page.has(Page::OBJECT) && page.m_object == this);
    pageq_dequeue(page);
    m_pages.remove(page);
    page.m_flags &= ~Page::OBJECT;
    page.m_object = nullptr;
    page.m_offset = 0;
    stat_add(stats().object_pages, -1);
}

void VmObject::free_page_locked(Page& page)
{
    KASSERT(page.m_hold_count == 0);
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(page.has(Page::OBJECT) && page.m_object == this);
    KASSERT_MSG(page.m_wire_count == 0, "object page at %#lx freed while wired",
                (unsigned long)page.m_offset);
    KASSERT(!page.has(Page::BUSY));
    arch::pmap_page_protect(page, PROT_NONE);  // no mapping may outlive the frame
    remove_page_locked(page);
    page.m_flags &= ~Page::DIRTY;
    page_allocator().free(&page);
}

// ---- page-out -------------------------------------------------------------

size_t VmObject::pageout_locked(Page* const* pages, size_t count)
{
    KASSERT(m_lock.is_locked_by_me());
    size_t freed = 0;
    for (size_t i = 0; i < count; ++i) {
        Page& page = *pages[i];
        arch::pmap_page_protect(page, PROT_NONE);
        if (arch::pmap_clear_modify(page))
            page.m_flags |= Page::DIRTY;  // stored to through a mapping
        if (page.has(Page::DIRTY)) {
            const u64 offset = page.m_offset;
            auto cleaned = put_pages_locked(offset, offset + PAGE_SIZE, PUT_CLEAN);
            // The write may have slept: the page may be gone or busy again.
            if (cleaned.is_error() || lookup_page_locked(offset) != &page) {
                if (lookup_page_locked(offset) == &page)
                    pageq_activate(page);
                continue;
            }
        }
        if (page.has(Page::DIRTY) || page.has(Page::BUSY) || page.m_hold_count > 0 ||
            page.m_wire_count > 0) {
            pageq_activate(page);
            continue;
        }
        free_page_locked(page);
        ++freed;
    }
    return freed;
}

// ---- holds ----------------------------------------------------------------

void VmObject::hold_page_locked(Page& page)
{
    KASSERT(m_lock.is_locked_by_me() && page.m_object == this);
    ++page.m_hold_count;
}

void VmObject::release_hold_locked(Page& page)
{
    KASSERT(m_lock.is_locked_by_me() && page.m_hold_count > 0);
    if (--page.m_hold_count == 0)
        m_holds_done.notify_all();  // free when nobody waits (kernel/base/sync/condvar.h)
}

void VmObject::wait_for_holds_locked(Page& page)
{
    KASSERT(m_lock.is_locked_by_me());
    if (page.m_hold_count > 0)
        m_holds_done.wait(m_lock);
}

} // namespace vm
