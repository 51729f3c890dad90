// vm/pageq.cpp -- the paging queues and the allocation of user pages (see vm/pageq.h).
//
// What it is. Two lists of pages under one SpinLock, and the one place user
// and file pages are allocated, which is where memory pressure is noticed.
//
// Allocation. allocate_user_page() takes a page only while more than
// `reserve` pages would stay free; below freemin it wakes the page daemon
// too. When the reserve is reached, the caller waits for the daemon (the
// memory-wait hook): each wait lasts until the daemon has finished a pass,
// and the hook says whether trying again is worth it. The daemon itself,
// and the MFS server while it serves the daemon's writes, may use the
// reserve (the reserve hook): they free memory, and must not wait for
// themselves (the deadlock every pageable-memory file system must avoid:
// docs/pageout.md).
//
// Targets. From the number of managed pages, as UVM's uvmpd_tune() does in
// spirit: freemin 1/64 of memory (at least 64 pages), freetarg 4/3 of it,
// the reserve half of freemin, inactarg a third of the pages in use.
//
// Locking: the queue lock is a leaf but for the page allocator's, which
// allocate_user_page does not hold it across. Callers hold owner locks
// (amap lock, object lock) when they enqueue and dequeue.
//
// Read more: NetBSD sys/uvm/uvm_pdaemon.c (uvmpd_tune), uvm_page.c
// (uvm_pagealloc_strat: the reserve for the kernel and the pagedaemon,
// uvm_pageactivate, uvm_pagedeactivate, uvm_pagedequeue). Design only; our
// own code.
#include <kernel/base/page/page_allocator.h>
#include <vm/pageq.h>

namespace vm {

using kern::SpinGuard;

namespace {

PageTargets s_targets = {0, 0, 0, 0};
MemoryWaitHook s_wait_hook = nullptr;
DaemonWakeHook s_wake_hook = nullptr;
ReserveHook s_reserve_hook = nullptr;
ProgressHook s_progress_hook = nullptr;

} // namespace

PageQueues& page_queues()
{
    static PageQueues queues;
    return queues;
}

PageTargets& page_targets() { return s_targets; }

void set_page_targets(size_t total_pages)
{
    PageTargets t;
    t.freemin = ::max(total_pages / 64, size_t(64));
    t.freetarg = t.freemin * 4 / 3;
    t.reserve = t.freemin / 2;
    t.inactarg = total_pages / 3;
    s_targets = t;
}

void set_memory_wait_hook(MemoryWaitHook hook) { s_wait_hook = hook; }
void set_daemon_wake_hook(DaemonWakeHook hook) { s_wake_hook = hook; }
void set_reserve_hook(ReserveHook hook) { s_reserve_hook = hook; }
void set_progress_hook(ProgressHook hook) { s_progress_hook = hook; }

void pageout_progress()
{
    if (s_progress_hook)
        s_progress_hook();
}

// ---- the queues ---------------------------------------------------------------

// Put `page` at the tail of the active queue (`active`) or the inactive
// one, off whichever it was on. => queue lock held.
static void put_at_tail_locked(Page& page, bool active)
{
    PageQueues& q = page_queues();
    pageq_dequeue_locked(page);
    (active ? q.active : q.inactive).push_back(page);
    page.m_flags |= active ? Page::ACTIVE : Page::INACTIVE;
    ++(active ? q.active_count : q.inactive_count);
}

void pageq_enqueue(Page& page)
{
    SpinGuard guard(page_queues().lock);
    KASSERT(!page.has(Page::ACTIVE) && !page.has(Page::INACTIVE));
    put_at_tail_locked(page, true);
}

void pageq_dequeue_locked(Page& page)
{
    PageQueues& q = page_queues();
    if (page.has(Page::ACTIVE)) {
        q.active.remove(page);
        --q.active_count;
    } else if (page.has(Page::INACTIVE)) {
        q.inactive.remove(page);
        --q.inactive_count;
    }
    page.m_flags &= ~(Page::ACTIVE | Page::INACTIVE);
}

void pageq_dequeue(Page& page)
{
    SpinGuard guard(page_queues().lock);
    pageq_dequeue_locked(page);
}

void pageq_activate(Page& page)
{
    SpinGuard guard(page_queues().lock);
    put_at_tail_locked(page, true);
}

void pageq_activate_locked(Page& page) { put_at_tail_locked(page, true); }
void pageq_deactivate_locked(Page& page) { put_at_tail_locked(page, false); }

// ---- allocation -----------------------------------------------------------------

ErrorOr<Page*> allocate_user_page(bool may_oom)
{
    PageAllocator& pages = page_allocator();
    for (;;) {
        const size_t free = pages.stats().free;
        const PageTargets& t = s_targets;
        if (free < t.freemin && s_wake_hook)
            s_wake_hook();
        if (free > t.reserve || (s_reserve_hook && s_reserve_hook())) {
            auto page = pages.allocate();
            if (!page.is_error() || !s_wait_hook)
                return page;
        }
        // Short of memory: wait for the daemon, unless it can do no more.
        if (!s_wait_hook || !s_wait_hook(may_oom))
            return Errno::ENOMEM;
    }
}

ErrorOr<Page*> allocate_user_page_nowait()
{
    if (page_allocator().stats().free <= s_targets.freemin) {
        if (s_wake_hook)
            s_wake_hook();
        return Errno::ENOMEM;
    }
    return page_allocator().allocate();
}

size_t allocate_user_pages(Page** pages, size_t count)
{
    // Plenty free: one lock round trip for all of them.
    if (page_allocator().stats().free > s_targets.freemin + count)
        return page_allocator().allocate_each(pages, count);
    size_t n = 0;
    for (; n < count; ++n) {
        auto page = allocate_user_page();
        if (page.is_error())
            break;
        pages[n] = page.value();
    }
    return n;
}

} // namespace vm
