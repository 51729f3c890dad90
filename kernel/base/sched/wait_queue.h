// kernel/base/sched/wait_queue.h -- a list of threads waiting for something.
//
// The waiter checks its condition while holding some lock L that the waker
// also takes before changing the condition; wait(L) puts the thread on the
// queue and releases L atomically (under the scheduler lock), so a wakeup
// between "condition false" and "asleep" cannot be lost:
//
//     SpinGuard g(m_lock);                 // waker:  SpinGuard g(m_lock);
//     while (!m_ready)                     //         m_ready = true;
//         m_queue.wait(m_lock);            //         m_queue.wake_all();
//
// Wakeups may be spurious: always re-check the condition in a loop.
// The queue's list is guarded by the scheduler lock (wait_queue.cpp has the
// code). Lock order: docs/locking.md.
#pragma once

#include <kernel/base/lib/list.h>
#include <kernel/base/sync/spinlock.h>

namespace kern {

class Thread;

// The link that puts a thread on the run queue or on one WaitQueue (never
// both): embedded in Thread, so queueing never allocates.
struct SchedLink {
    ListNode m_node;
    Thread* m_thread = nullptr;
};
using SchedQueue = IntrusiveList<SchedLink, &SchedLink::m_node>;

class WaitQueue {
public:
    WaitQueue() = default;
    WaitQueue(const WaitQueue&) = delete;
    WaitQueue& operator=(const WaitQueue&) = delete;

    // Sleep until woken. `lock` is released while asleep and held again on
    // return. => `lock` held by the caller, and it is not the scheduler lock.
    void wait(SpinLock& lock);
    // As wait(), but give up at monotonic time `deadline_ns`. Returns false
    // if the deadline passed before a wakeup.
    bool wait_until(SpinLock& lock, u64 deadline_ns);

    // As wait_until() (deadline 0: none), but a signal for this thread
    // (Thread::interrupt) ends the wait too, also one that was already
    // pending before the call: the caller then gives up with EINTR (or
    // ERESTART...). Used by every wait a user can cause to last for ever:
    // pipes, the terminal, wait4, nanosleep, poll.
    enum class Result : u8 { Woken, TimedOut, Interrupted };
    Result wait_interruptible(SpinLock& lock, u64 deadline_ns = 0);

    // Wake the longest waiter / every waiter. Returns the number woken.
    size_t wake_one();
    size_t wake_all();

    bool has_waiters() const;

private:
    friend class Scheduler;
    friend class Thread;
    Result wait_common(SpinLock& lock, u64 deadline_ns, bool interruptible);
    SchedQueue m_waiters;  // guarded by the scheduler lock
};

} // namespace kern
