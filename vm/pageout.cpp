// vm/pageout.cpp -- one pass of the page daemon: the clock over the paging queues.
//
// The algorithm (UVM's uvmpd_scan, itself 4.4BSD's two-handed clock made of
// two queues; docs/pageout.md draws it):
//
//   1. refill: while the inactive queue holds less than a third of the
//      queued pages (or fewer than the pass wants to free), move pages from
//      the head (oldest) of the active queue
//      to the tail of the inactive one, clearing their MMU referenced bit
//      (pmap_clear_reference: the x86 accessed bit, in every mapping);
//   2. scan the inactive queue from its head. For each page:
//      - referenced since it was deactivated: back to the active queue
//        (its second chance);
//      - its owner's lock cannot be had at once (try_lock: we hold the
//        queue lock, and the documented order is owner first): to the tail
//        of the inactive queue, for the next pass;
//      - else the page is taken off the queue, and so are the inactive
//        pages right behind it that have the same owner (a cluster: pages
//        of one process or one file, often neighbours, deactivated
//        together because they were used together), and the owner cleans
//        and frees them:
//          anon pages     -> written to swap in one request per run of
//                            slots, each anon keeps its slot (Anon::page_out_locked)
//          aobj pages     -> the same, the object keeps the slots (AnonObject::pageout_locked)
//          file pages     -> written back if dirty, then freed (VmObject::pageout_locked)
//        Wired, held or BUSY pages are not touched; pages that could not be
//        cleaned go back to the active queue.
//   The pass ends when `want` pages are freed or every inactive page has
//   been looked at once.
//
// Without swap space, anonymous pages are skipped before they are unmapped:
// nothing can be done with them, and unmapping would only cost faults.
//
// Locking: the queue lock (a SpinLock) while choosing; then the owner's lock
// alone (a Mutex: the writes sleep). A page on a queue cannot be freed
// without the queue lock, so the owner found from it -- the anon's amap lock
// (Anon::m_lock), the object's lock -- is alive while we try it; once we
// hold the owner's lock, the pages we took are ours until we give them back.
//
// Read more: NetBSD sys/uvm/uvm_pdaemon.c (uvmpd_scan_queue,
// uvmpd_scan_inactive, swap clustering via uvm_pager_put), Cranor's thesis
// (1998) chapter 7; Linux mm/vmscan.c (shrink_active_list, the accessed
// bit as the reference). Design only; our own code.
#include <arch/pmap.h>
#include <vm/amap.h>
#include <vm/object.h>
#include <vm/pageout.h>
#include <vm/pageq.h>
#include <vm/stats.h>
#include <vm/swap.h>

namespace vm {

using kern::SpinGuard;

namespace {

constexpr size_t MAX_CLUSTER = 16;  // pages per page-out request (64 KiB: block::MAX_TRANSFER)

// The lock that guards `page`, or nullptr (an anon not in an amap yet).
// => queue lock held (keeps the owner alive).
kern::Mutex* owner_lock(const Page& page)
{
    if (page.has(Page::ANON)) {
        AmapLock* lock = __atomic_load_n(&page.m_anon->m_lock, __ATOMIC_ACQUIRE);
        return lock ? &lock->m_mutex : nullptr;
    }
    if (page.has(Page::OBJECT))
        return &page.m_object->lock();
    return nullptr;
}

// Step 1: a third of the queued pages inactive, and at least as many as the
// pass wants to free (while there are active pages). => queue lock held.
void refill_inactive_locked(PageQueues& q, size_t want)
{
    const size_t queued = q.active_count + q.inactive_count;
    const size_t target = ::max(queued / 3, ::min(want, queued));
    size_t budget = q.active_count;
    while (q.inactive_count < target && budget-- > 0) {
        Page* page = q.active.first();
        if (!page)
            break;
        arch::pmap_clear_reference(*page);
        pageq_deactivate_locked(*page);
        stat_add(stats().pages_deactivated);
    }
}

// Anon pages of one amap lock: out to swap. => that lock held; the pages
// off the queues, not wired, held or BUSY.
size_t reclaim_anons_locked(Page* const* pages, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        arch::pmap_page_protect(*pages[i], PROT_NONE);  // no store may race the write
    u32 slots[MAX_CLUSTER];
    swap_out_cluster(pages, count, slots);
    size_t freed = 0;
    for (size_t i = 0; i < count; ++i) {
        if (slots[i] == 0) {
            pageq_activate(*pages[i]);
            continue;
        }
        pages[i]->m_anon->page_out_locked(slots[i]);
        ++freed;
    }
    return freed;
}

// The cluster's pages that the owner may give up now; the others go back
// to the active queue. Returns how many are left in pages[]. => owner lock held.
size_t keep_reclaimable(Page** pages, size_t count, bool needs_swap)
{
    size_t n = 0;
    const bool swap_left = !needs_swap || swap_totals().free_pages > 0;
    for (size_t i = 0; i < count; ++i) {
        Page& page = *pages[i];
        if (!swap_left || page.m_wire_count > 0 || page.m_hold_count > 0 || page.has(Page::BUSY))
            pageq_activate(page);
        else
            pages[n++] = &page;
    }
    return n;
}

// Does an owner's page need swap to be freed? Anons always; object pages
// when the object is anonymous (its absent pages have no file behind them).
bool needs_swap(const Page& page)
{
    return page.has(Page::ANON) || !page.m_object->absent_pages_have_data();
}

} // namespace

// Step 2 over the inactive queue as it is now: at most its length in pages.
// => nothing locked.
static void scan_inactive(size_t want, ScanResult& result)
{
    PageQueues& q = page_queues();
    size_t budget;
    {
        SpinGuard guard(q.lock);
        budget = q.inactive_count;
    }
    while (result.freed < want && budget > 0) {
        Page* cluster[MAX_CLUSTER];
        size_t n = 0;
        kern::Mutex* lock = nullptr;
        bool anon = false;
        {
            SpinGuard guard(q.lock);
            Page* page = q.inactive.first();
            if (!page)
                break;
            --budget;
            ++result.scanned;
            if (arch::pmap_clear_reference(*page)) {
                pageq_activate_locked(*page);  // used again: a second chance
                stat_add(stats().pages_reactivated);
                continue;
            }
            lock = owner_lock(*page);
            if (!lock || !lock->try_lock()) {
                pageq_deactivate_locked(*page);  // to the tail: next time
                continue;
            }
            anon = page->has(Page::ANON);
            pageq_dequeue_locked(*page);
            cluster[n++] = page;
            // The pages right behind it with the same owner join the cluster.
            Page* next = q.inactive.first();
            while (next && n < MAX_CLUSTER && budget > 0 && owner_lock(*next) == lock &&
                   next->has(Page::ANON) == anon) {
                Page* after = q.inactive.next(*next);
                --budget;
                ++result.scanned;
                if (arch::pmap_clear_reference(*next)) {
                    pageq_activate_locked(*next);
                    stat_add(stats().pages_reactivated);
                } else {
                    pageq_dequeue_locked(*next);
                    cluster[n++] = next;
                }
                next = after;
            }
        }
        // The owner's lock alone from here: the pages are ours.
        const bool swap = needs_swap(*cluster[0]);
        VmObject* object = anon ? nullptr : cluster[0]->m_object;
        n = keep_reclaimable(cluster, n, swap);
        size_t freed = 0;
        if (n > 0)
            freed = anon ? reclaim_anons_locked(cluster, n) : object->pageout_locked(cluster, n);
        lock->unlock();
        result.freed += freed;
        if (freed > 0)
            pageout_progress();
    }
}

ScanResult pageout_scan(size_t want)
{
    PageQueues& q = page_queues();
    ScanResult result = {0, 0};
    // A refill moves a third of the pages at most, so a pass that needs
    // more refills and scans again -- a few times, then lets the caller
    // decide (the daemon runs another pass if memory is still short).
    for (int round = 0; round < 4; ++round) {
        {
            SpinGuard guard(q.lock);
            refill_inactive_locked(q, want - result.freed);
        }
        const ScanResult before = result;
        scan_inactive(want, result);
        if (result.freed >= want || result.scanned == before.scanned)
            break;
    }
    stat_add(stats().pages_scanned, i64(result.scanned));
    stat_add(stats().pages_reclaimed, i64(result.freed));
    return result;
}

} // namespace vm
