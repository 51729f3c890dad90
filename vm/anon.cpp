// vm/anon.cpp -- Anon: one reference-counted page of anonymous memory.
//
// What it is. An anon (vm/anon.h) is the unit of copy-on-write sharing: amap
// slots hold references to anons, and after fork the parent's and the
// child's amaps point at the same anons. An anon owns exactly one page while
// resident (the page has Page::ANON and m_anon == the anon), or one swap
// slot once the swap chapter exists.
//
// Life of an anon:
//
//   create_zeroed / create_copy --> m_ref_count 1, m_page set (ANON, DIRTY)
//        amap copies / fork     --> m_ref_count n   (each slot holding it: +1)
//        unref_locked ...       --> m_ref_count 0:  page unmapped everywhere
//                                   (pmap_page_protect PROT_NONE), freed; anon
//                                   deleted
//
// Invariants (KASSERT):
//   - m_page == nullptr or (m_page has ANON, m_page->m_anon == this);
//   - a page being freed is not wired and not BUSY;
//   - vm::stats().anon_pages counts exactly the pages owned by live anons.
//
// DIRTY. A new anon page is marked DIRTY: anonymous memory has no backing
// store until it is swapped out, so the page is the only copy and the page
// daemon must never drop it without writing it first.
//
// Locking. An anon has no lock of its own: it is guarded by the AmapLock of
// the amaps that reference it (all of them share one, vm/amap.h). The
// create_* functions touch only the new anon and need no lock.
// Lock order: docs/locking.md.
//
// Read more: NetBSD sys/uvm/uvm_anon.c (uvm_analloc, uvm_anon_dispose /
// uvm_anfree) and Cranor & Parulkar, "The UVM Virtual Memory System"
// (USENIX 1999), section 4 (anons and amaps). Design only; our own code.
// docs/vm.md tells the whole story.
#include <arch/pmap.h>
#include <kernel/base/lib/string.h>
#include <new>
#include <vm/anon.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;

// A fresh anon owning `page`. => page allocated, not managed yet.
static Anon* adopt_page(Anon& anon, Page& page)
{
    KASSERT(!page.has(Page::ANON) && !page.has(Page::OBJECT));
    page.m_flags |= Page::ANON | Page::DIRTY;
    page.m_anon = &anon;
    anon.m_page = &page;
    anon.m_ref_count = 1;
    stat_add(stats().anon_pages);
    return &anon;
}

// An anon and an uninitialised page, or ENOMEM with nothing allocated.
static ErrorOr<Anon*> allocate_anon_and_page(Page*& page_out)
{
    Anon* anon = new (std::nothrow) Anon;
    if (!anon)
        return Errno::ENOMEM;
    auto page = page_allocator().allocate();
    if (page.is_error()) {
        delete anon;  // undo in reverse order
        return page.error();
    }
    page_out = page.value();
    return anon;
}

ErrorOr<Anon*> Anon::create_zeroed()
{
    Page* page = nullptr;
    Anon* anon = TRY(allocate_anon_and_page(page));
    page_allocator().zero_page(*page);
    return adopt_page(*anon, *page);
}

// => src is a page the caller keeps stable (its owner's lock held).
ErrorOr<Anon*> Anon::create_copy(const Page& src)
{
    Page* page = nullptr;
    Anon* anon = TRY(allocate_anon_and_page(page));
    PageAllocator& pages = page_allocator();
    memcpy(pages.virt_of(*page), pages.virt_of(src), PAGE_SIZE);
    return adopt_page(*anon, *page);
}

// Free the anon's page: every mapping goes first, so that no user pmap can
// reach the frame after it returns to the allocator.
static void free_anon_page(Anon& anon)
{
    Page& page = *anon.m_page;
    KASSERT(page.has(Page::ANON) && page.m_anon == &anon);
    KASSERT_MSG(page.m_wire_count == 0, "anon page freed while wired (%u)",
                unsigned(page.m_wire_count));
    KASSERT(!page.has(Page::BUSY));
    arch::pmap_page_protect(page, PROT_NONE);
    page.m_flags &= ~(Page::ANON | Page::DIRTY);
    page.m_anon = nullptr;
    anon.m_page = nullptr;
    page_allocator().free(&page);
    stat_add(stats().anon_pages, -1);
}

void Anon::unref_locked()
{
    KASSERT(m_ref_count > 0);
    if (--m_ref_count > 0)
        return;
    if (m_page)
        free_anon_page(*this);
    // The swap chapter releases m_swap_slot here; until then none exists.
    KASSERT(m_swap_slot == 0);
    delete this;
}

} // namespace vm
