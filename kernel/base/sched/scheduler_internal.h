// kernel/base/sched/scheduler_internal.h -- the scheduler's state, shared by
// the three files of kernel/base/sched that change it. Nobody else includes it.
//
//   scheduler.cpp    the run queue, the switch, the sleep list, the tick
//   thread.cpp       a thread's life: create, start, exit, join/detach, reap
//   wait_queue.cpp   blocking on a WaitQueue and waking from it
//
// Scheduler is a namespace with access to Thread's and WaitQueue's private
// fields (both name it a friend). Everything in it is guarded by s_lock, the
// scheduler lock, except s_cpu[i].preempt_disabled (changed only by CPU i,
// interrupts off). A _locked function asserts or assumes s_lock is held.
//
// The lock is held across every context switch and released by the thread
// that resumes (sched.h). So every path into switch_locked() reads
//
//     s_lock.lock();  change states / queues;  switch_locked();  s_lock.unlock();
//
// and the code after switch_locked() runs later, when some CPU switches back,
// still holding the lock (taken by whoever switched to us). A brand-new
// thread starts in kern_thread_start() (thread.cpp), which releases it.
//
// Lock order: docs/locking.md. See docs/threads.md.
#pragma once

#include <arch/cpu.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/spinlock.h>

namespace kern {

// Per-CPU scheduling state, indexed by arch::cpu_id().
struct CpuSched {
    Thread* current = nullptr;
    Thread* idle = nullptr;
    Thread* previous = nullptr;    // the thread switched away from, for reaping
    bool need_resched = false;
    int preempt_disabled = 0;
};

class Scheduler {
public:
    static SpinLock s_lock;
    // ---- guarded by s_lock ----
    static SchedQueue s_run_queue;
    static IntrusiveList<Thread, &Thread::m_sleep_node> s_sleepers;  // by deadline
    static IntrusiveList<Thread, &Thread::m_all_node> s_all;
    static SchedQueue s_zombies;   // dead and detached: reap_zombies frees them
    static CpuSched s_cpu[arch::MAX_CPUS];
    static u64 s_ticks;
    static u64 s_switches;

    static CpuSched& cpu() { return s_cpu[arch::cpu_id()]; }

    // Put `t` at the tail of the run queue. => s_lock held.
    static void make_runnable_locked(Thread& t)
    {
        KASSERT(s_lock.is_locked_by_me());
        t.m_state = Thread::State::Runnable;
        s_run_queue.push_back(t.m_link);
    }

    // Pick the next thread and switch to it. The current thread's state was
    // already set by the caller (a Running one is requeued here).
    // => s_lock held; held again on return, which is when some CPU switches back.
    static void switch_locked();
    // On the resumed thread: deal with the thread it replaced (a dead one
    // goes to the reaper, or wakes its joiner; thread.cpp). => s_lock held.
    static void after_switch_locked();

    // Sleep on `q` when the condition is guarded by s_lock itself (join).
    // => s_lock held; held again on return.
    static void block_on_locked(WaitQueue& q);
    // Take `t` off the sleep list and make it runnable. => s_lock held, `t`
    // already off its WaitQueue.
    static void wake_locked(Thread& t);
    // Returns the number of threads woken. => s_lock held.
    static size_t wake_all_locked(WaitQueue& q);
    // Put `t` on the sleep list, woken at monotonic time `deadline` (ns).
    // => s_lock held.
    static void add_sleeper_locked(Thread& t, u64 deadline);

    // Free the threads that died detached (thread.cpp). => s_lock not held
    // (freeing takes the heap's and the page allocator's locks).
    static void reap_zombies();

    // Charge `prev` the CPU time up to now and start `next`'s: one clock read
    // (kernel/base/sched/cputime.cpp). => s_lock held.
    static void account_switch(Thread& prev, Thread& next, bool preempted);
    // Wake the sleepers whose deadline is at or before `now`. => s_lock held.
    static void wake_expired_locked(u64 now);
};

} // namespace kern
