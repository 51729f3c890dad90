// vm/anon.cpp -- Anon: one reference-counted page of anonymous memory.
//
// What it is. An anon (vm/anon.h) is the unit of copy-on-write sharing: amap
// slots hold references to anons, and after fork the parent's and the
// child's amaps point at the same anons. An anon owns exactly one page while
// resident (the page has Page::ANON and m_anon == the anon), or one swap
// slot once the page daemon wrote the page out (docs/pageout.md).
//
// Life of an anon:
//
//   create_zeroed / create_copy --> m_ref_count 1, m_page set (ANON, DIRTY)
//        amap copies / fork     --> m_ref_count n   (each slot holding it: +1)
//        page daemon            --> page written to a swap slot, freed:
//                                   m_page nullptr, m_swap_slot set (page_out_locked)
//        next touch             --> page_in_locked: a new page read from the
//                                   slot, the slot freed (a major fault)
//        unref_locked ...       --> m_ref_count 0:  page unmapped everywhere
//                                   (pmap_page_protect PROT_NONE), freed, or
//                                   the slot freed; anon deleted
//
// Invariants (KASSERT):
//   - m_page == nullptr or (m_page has ANON, m_page->m_anon == this);
//   - a page or a slot, never both; a live anon has one of them;
//   - a page being freed is not wired and not BUSY;
//   - vm::stats().anon_pages counts exactly the resident pages of live anons;
//   - a resident anon page is on a paging queue (vm/pageq.h).
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
#include <kernel/base/sched/sched.h>
#include <new>
#include <vm/anon.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/pageq.h>
#include <vm/stats.h>
#include <vm/swap.h>

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
    stat_add(stats().anon_pages);
    pageq_enqueue(page);
    return &anon;
}

// An anon and an uninitialised page, or ENOMEM with nothing allocated.
static ErrorOr<Anon*> allocate_anon_and_page(Page*& page_out)
{
    Anon* anon = new (std::nothrow) Anon;
    if (!anon)
        return Errno::ENOMEM;
    auto page = allocate_user_page();
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
    anon->m_ref_count = 1;
    return adopt_page(*anon, *page);
}

// => src is a page the caller keeps stable (its owner's lock held).
ErrorOr<Anon*> Anon::create_copy(const Page& src)
{
    Page* page = nullptr;
    Anon* anon = TRY(allocate_anon_and_page(page));
    PageAllocator& pages = page_allocator();
    memcpy(pages.virt_of(*page), pages.virt_of(src), PAGE_SIZE);
    anon->m_ref_count = 1;
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
    pageq_dequeue(page);
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
    if (m_swap_slot)
        swap_free(m_swap_slot);
    delete this;
}

ErrorOr<Page*> Anon::page_in_locked(bool may_oom)
{
    if (m_page)
        return m_page;
    Anon* self = this;
    TRY(page_in_run_locked(&self, 1, may_oom));
    return m_page;
}

ErrorOr<size_t> Anon::page_in_run_locked(Anon* const* anons, size_t count, bool may_oom)
{
    KASSERT(count > 0 && count <= SWAP_MAX_RUN);
    const u32 first = anons[0]->m_swap_slot;
    KASSERT(!anons[0]->m_page && first != 0);
    Page* pages[SWAP_MAX_RUN];
    pages[0] = TRY(allocate_user_page(may_oom));
    size_t n = 1;
    for (; n < count; ++n) {
        KASSERT(!anons[n]->m_page && anons[n]->m_swap_slot == first + n);
        auto extra = allocate_user_page_nowait();  // read-ahead never waits
        if (extra.is_error())
            break;
        pages[n] = extra.value();
    }
    if (auto read = swap_read_run(pages, n, first); read.is_error()) {
        for (size_t i = 0; i < n; ++i)
            page_allocator().free(pages[i]);
        return read.error();
    }
    swap_free(first, n);
    for (size_t i = 0; i < n; ++i) {
        anons[i]->m_swap_slot = 0;
        adopt_page(*anons[i], *pages[i]);
    }
    stat_add(stats().faults_swap_in);
    kern::account_major_fault();
    return n;
}

void Anon::page_out_locked(u32 slot)
{
    KASSERT(m_page && m_swap_slot == 0 && slot != 0);
    KASSERT(arch::pmap_mapping_count(*m_page) == 0);
    free_anon_page(*this);
    m_swap_slot = slot;
}

} // namespace vm
