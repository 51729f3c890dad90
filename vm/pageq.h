// vm/pageq.h -- the paging queues: which pages the page daemon may take, oldest first.
//
// Every page that holds user or file data (Page::ANON or Page::OBJECT) is on
// one of two queues, as in UVM (and 4.4BSD before it):
//
//   active     pages in use. New pages go to its tail.
//   inactive   candidates for reclaim. The page daemon moves pages here
//              from the head of the active queue (clearing their MMU
//              referenced bit); a page referenced again before the daemon
//              reaches it goes back to the active queue ("second chance"),
//              one that is not is cleaned (written to swap or to its file)
//              and freed.
//
//   alloc --> [active: head ... tail] --deactivate--> [inactive: head ... tail] --> laundered, freed
//                  ^                                          |
//                  '--------------- referenced again ---------'
//
// The owner of a page (the amap lock for an anon's page, the object's lock
// for an object's) enqueues it when it gains the page (vm/anon.cpp,
// vm/object.cpp:insert_page_locked) and dequeues it before freeing it.
// Wired pages stay on the queues; the page daemon skips them.
//
// User pages come from allocate_user_page(), not from the page allocator
// directly: it keeps a reserve for the kernel and the page daemon (the
// daemon needs memory to free memory: records for swap slots, requests), and
// when free memory is short it wakes the daemon and waits for it, rather
// than failing while pages could still be freed.
//
// Lock: one SpinLock for both queues and the counts (UVM's
// uvm_pageqlock). It nests inside owner locks; the page daemon, which
// goes the other way (queue first, then the owner), only try_locks owners.
// docs/locking.md, docs/pageout.md.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sync/spinlock.h>
#include <kernel/base/page/page.h>

namespace vm {

using PageQueue = kern::IntrusiveList<Page, &Page::m_node>;

// The two queues and their counts. Guarded by lock.
struct PageQueues {
    kern::SpinLock lock;
    PageQueue active;
    PageQueue inactive;
    size_t active_count = 0;
    size_t inactive_count = 0;
};

PageQueues& page_queues();

// Put a page its owner just gained at the tail of the active queue.
// => the owner's lock held (or the page not yet reachable).
void pageq_enqueue(Page& page);
// Take it off whichever queue it is on. => the owner's lock held.
void pageq_dequeue(Page& page);
// Put a page back at the tail of the active queue (a page the daemon could
// not free). => the owner's lock held.
void pageq_activate(Page& page);
// Queue moves, for the page daemon. => page-queue lock held.
void pageq_dequeue_locked(Page& page);
void pageq_activate_locked(Page& page);
void pageq_deactivate_locked(Page& page);

// Free-memory thresholds, in pages, from the machine's size (set_targets).
struct PageTargets {
    size_t reserve;    // user allocations leave this many free (kernel, daemon)
    size_t freemin;    // below this the daemon is woken
    size_t freetarg;   // the daemon frees until this many are free
    size_t inactarg;   // and keeps this many on the inactive queue
};
PageTargets& page_targets();
// Derive the targets from the number of managed pages (boot; tests).
void set_page_targets(size_t total_pages);

// The same, but never waits: ENOMEM below freemin (read-ahead, which
// should not push other pages out). Errors: ENOMEM.
kern::ErrorOr<Page*> allocate_user_page_nowait();

// `count` pages as from allocate_user_page, into pages[0..n); returns n,
// fewer only when memory ran out (a write window, fs/ubc/ubc.cpp).
size_t allocate_user_pages(Page** pages, size_t count);

// A page for user or file data, not zeroed. Waits for the page daemon while
// it can free memory (unless the calling thread is the daemon or serves
// it); fails only when nothing more can be freed -- and by then the daemon
// has called the OOM killer for it. With `may_oom` false (swapoff, which
// must fail with ENOMEM rather than kill for room), it fails as soon as a
// pass of the daemon freed nothing, and no process is killed for it.
// Errors: ENOMEM.
kern::ErrorOr<Page*> allocate_user_page(bool may_oom = true);

// What allocate_user_page does when memory is short: the page daemon
// (vm/pagedaemon.cpp) installs it. Returns true if it is worth trying
// again (memory may have been freed). Without it (host tests, early boot),
// allocation simply fails.
using MemoryWaitHook = bool (*)(bool may_oom);
void set_memory_wait_hook(MemoryWaitHook hook);
// Called by the scan after each cluster it freed: lets waiters go early.
using ProgressHook = void (*)();
void set_progress_hook(ProgressHook hook);
void pageout_progress();
// Wakes the daemon: installed with it.
using DaemonWakeHook = void (*)();
void set_daemon_wake_hook(DaemonWakeHook hook);
// May the current thread dip into the reserve (the page daemon, the MFS
// server while it serves requests)? Installed with the daemon.
using ReserveHook = bool (*)();
void set_reserve_hook(ReserveHook hook);

} // namespace vm
