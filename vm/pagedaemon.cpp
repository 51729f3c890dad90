// vm/pagedaemon.cpp -- the page daemon thread, and waiting for memory (see vm/pageout.h).
//
// One kernel thread, "pagedaemon". It sleeps until woken -- by an
// allocation that finds free memory below freemin (vm/pageq.cpp), or by a
// thread waiting for memory -- or for a second, and then:
//
//   free < freetarg, or someone waits  ->  pageout_scan(freetarg - free)
//   a pass that freed nothing while someone waits and free memory is at
//   the reserve                        ->  the OOM hook kills a process
//   then                               ->  s_pass++, wake every waiter
//
// Waiting (wait_for_memory, the memory-wait hook of vm/pageq.h): a thread
// whose allocation found the reserve reached waits until the daemon has
// freed a batch of pages (the scan reports each cluster: freed_some), or
// else until the end of the next whole pass, and then tries again if that
// pass made progress (pages freed, a victim chosen). The daemon never waits for itself; a thread being killed
// stops waiting (its allocation fails, and it dies of its SIGKILL).
//
// The reserve: the daemon itself allocates (swap records, requests), and
// so may the MFS server whose writes it waits for (fs/mfs/mfs.cpp marks it:
// Thread::set_may_use_reserve): those threads allocate below the reserve
// without waiting (the reserve hook).
//
// Locking: s_lock (a SpinLock) guards the pass counter, the wake flag and
// the waiter count; the two WaitQueues sleep on it. Nothing else is held
// with it.
//
// Read more: NetBSD sys/uvm/uvm_pdaemon.c (uvm_pageout, uvm_wait,
// uvm_kick_pdaemon), Linux mm/oom_kill.c (out_of_memory, oom_badness:
// the largest resident set). Design only; our own code.
#include <arch/time.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/sched/wait_queue.h>
#include <vm/pageout.h>
#include <vm/pageq.h>
#include <vm/stats.h>

namespace vm {

using kern::SpinGuard;

namespace {

kern::SpinLock s_lock;
kern::WaitQueue s_daemon_sleeps;  // the daemon, between passes
kern::WaitQueue s_waiters;        // threads waiting for a pass to end
u64 s_started = 0;                // passes begun
u64 s_pass = 0;                   // passes completed
bool s_wake = false;              // a pass is wanted now
size_t s_waiting = 0;             // threads in wait_for_memory
size_t s_oom_waiting = 0;         // ... of which would have a process killed for them
bool s_last_progress = true;      // did the last pass free memory or kill?
bool s_last_freed = true;         // did it free memory (not counting a kill)?
kern::Thread* s_daemon = nullptr;
constexpr size_t WAKE_BATCH = 32;  // pages free above the reserve that end a wait
PagingHooks s_hooks = {nullptr, nullptr};

size_t free_pages() { return page_allocator().stats().free; }

void wake_daemon()
{
    SpinGuard guard(s_lock);
    if (!s_wake) {
        s_wake = true;
        s_daemon_sleeps.wake_one();
    }
}

bool is_daemon() { return kern::Thread::current() == s_daemon; }

// Enough free pages that a waiter may try again before the pass ends.
bool memory_is_back() { return free_pages() > page_targets().reserve + WAKE_BATCH; }

bool wait_for_memory(bool may_oom)
{
    if (is_daemon())
        return false;
    if (s_hooks.current_is_dying && s_hooks.current_is_dying())
        return false;
    SpinGuard guard(s_lock);
    const u64 until = s_started + 1;  // the next pass to begin: one under way began before us
    ++s_waiting;
    s_oom_waiting += may_oom;
    s_wake = true;
    s_daemon_sleeps.wake_one();
    while (s_pass < until && !memory_is_back())
        s_waiters.wait(s_lock);
    --s_waiting;
    s_oom_waiting -= may_oom;
    if (s_pass < until)
        return true;  // woken early: memory came back
    return may_oom ? s_last_progress : s_last_freed;
}

// From the scan, after each cluster freed (the pageq progress hook): let
// waiters go as soon as there is memory for them, not at the end of the pass.
void freed_some()
{
    SpinGuard guard(s_lock);
    if (s_waiting > 0 && memory_is_back())
        s_waiters.wake_all();
}

// One pass, as the top of the file says. => nothing locked.
void run_pass()
{
    const PageTargets& t = page_targets();
    size_t waiting, oom_waiting;
    {
        SpinGuard guard(s_lock);
        waiting = s_waiting;
        oom_waiting = s_oom_waiting;
    }
    const size_t free = free_pages();
    bool freed = free > t.reserve;
    bool progress = freed;
    if (free < t.freetarg || waiting > 0) {
        const size_t want = (t.freetarg > free ? t.freetarg - free : 0) + (waiting ? 16 : 0);
        ScanResult r = pageout_scan(want);
        stat_add(stats().daemon_passes);
        freed = freed || r.freed > 0;
        progress = freed;
        if (!progress && oom_waiting > 0 && s_hooks.oom_kill && s_hooks.oom_kill()) {
            stat_add(stats().oom_kills);
            progress = true;
        }
    }
    {
        SpinGuard guard(s_lock);
        ++s_pass;
        s_last_progress = progress;
        s_last_freed = freed;
        s_waiters.wake_all();
    }
    if (!progress && waiting > 0)
        kern::sleep_ns(10'000'000);  // nothing to do but wait for exits: do not spin
}

void daemon_main(void*)
{
    for (;;) {
        {
            SpinGuard guard(s_lock);
            const u64 deadline = arch::monotonic_ns() + 1'000'000'000;
            while (!s_wake && free_pages() >= page_targets().freemin)
                if (!s_daemon_sleeps.wait_until(s_lock, deadline))
                    break;
            s_wake = false;
            ++s_started;
        }
        run_pass();
    }
}

bool may_use_reserve() { return is_daemon() || kern::Thread::current()->may_use_reserve(); }

} // namespace

void set_paging_hooks(const PagingHooks& hooks) { s_hooks = hooks; }

void pagedaemon_start()
{
    set_page_targets(page_allocator().stats().total);
    auto thread = kern::Thread::create("pagedaemon", daemon_main, nullptr);
    if (thread.is_error())
        kern::panic("pagedaemon: cannot create the thread");
    s_daemon = thread.value();
    set_daemon_wake_hook(wake_daemon);
    set_memory_wait_hook(wait_for_memory);
    set_reserve_hook(may_use_reserve);
    set_progress_hook(freed_some);
    s_daemon->detach();
    s_daemon->start();
    const PageTargets& t = page_targets();
    printk("pagedaemon: freemin %zu, freetarg %zu, reserve %zu pages\n", t.freemin, t.freetarg,
           t.reserve);
}

} // namespace vm
