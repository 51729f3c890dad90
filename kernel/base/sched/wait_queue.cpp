// kernel/base/sched/wait_queue.cpp -- blocking on a WaitQueue, and waking from it.
//
// What it is. The code behind wait_queue.h: a thread waits with a lock L of
// its own held (the one that guards its condition), and wait_common() puts
// it on the queue and releases L *while holding the scheduler lock*, then
// switches. A waker takes L to change the condition, then the scheduler lock
// to wake: it cannot run between "condition false" and "on the queue", so
// no wakeup is lost (xv6's sleep/wakeup, with the scheduler lock in the role
// of p->lock).
//
// Data structures. A WaitQueue is an intrusive FIFO of Thread::m_link (the
// longest waiter first); a timed wait also puts the thread on the sleep list
// (scheduler.cpp), and whichever comes first -- a wakeup, the deadline, or a
// signal for an interruptible wait (Thread::interrupt) -- takes it off both.
// Why the wait ended is read from the thread afterwards: m_timed_out,
// m_interrupted.
//
// Invariant: a thread on a queue is Blocked and its m_waiting_on names that
// queue.
//
// Locks: the scheduler lock guards every queue's list; the caller's L is
// released only while the thread sleeps, and L is never the scheduler lock
// itself. Lock order: docs/locking.md. See docs/threads.md ("Blocking").
#include <kernel/base/sched/scheduler_internal.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/sched/wait_queue.h>

namespace kern {

using S = Scheduler;

// The one blocking path of every wait below.
WaitQueue::Result WaitQueue::wait_common(SpinLock& lock, u64 deadline_ns, bool interruptible)
{
    KASSERT(lock.is_locked_by_me() && &lock != &S::s_lock);
    S::s_lock.lock();
    Thread* self = S::cpu().current;
    KASSERT(self != S::cpu().idle && S::cpu().preempt_disabled == 0);
    if (interruptible && self->m_interrupted) {
        S::s_lock.unlock(0);  // the caller's lock was never released
        return WaitQueue::Result::Interrupted;
    }
    self->m_state = Thread::State::Blocked;
    self->m_waiting_on = this;
    self->m_timed_out = false;
    self->m_interruptible = interruptible;
    m_waiters.push_back(self->m_link);
    if (deadline_ns)
        S::add_sleeper_locked(*self, deadline_ns);
    lock.unlock(0);       // keep interrupts off: we still hold the scheduler lock
    S::switch_locked();
    self->m_interruptible = false;
    WaitQueue::Result result = self->m_timed_out ? WaitQueue::Result::TimedOut
                               : interruptible && self->m_interrupted
                                   ? WaitQueue::Result::Interrupted
                                   : WaitQueue::Result::Woken;
    S::s_lock.unlock(0);
    (void)lock.lock();    // interrupts are off already; the caller's guard restores them
    return result;
}

bool WaitQueue::wait_until(SpinLock& lock, u64 deadline_ns)
{
    return wait_common(lock, deadline_ns, false) != Result::TimedOut;
}

void WaitQueue::wait(SpinLock& lock) { (void)wait_until(lock, 0); }

WaitQueue::Result WaitQueue::wait_interruptible(SpinLock& lock, u64 deadline_ns)
{
    return wait_common(lock, deadline_ns, true);
}

size_t WaitQueue::wake_one()
{
    SpinGuard guard(S::s_lock);
    if (m_waiters.is_empty())
        return 0;
    S::wake_locked(*m_waiters.take_first().m_thread);
    return 1;
}

size_t WaitQueue::wake_all()
{
    SpinGuard guard(S::s_lock);
    return S::wake_all_locked(*this);
}

bool WaitQueue::has_waiters() const
{
    SpinGuard guard(S::s_lock);
    return !m_waiters.is_empty();
}

} // namespace kern
