// kernel/base/sync/condvar.h -- CondVar: wait for a condition guarded by a Mutex.
//
// A WaitQueue waits under a SpinLock; code that guards its state with a
// sleeping Mutex (VM objects, file systems) waits with a CondVar:
//
//     MutexGuard g(m_lock);                 // waker:  MutexGuard g(m_lock);
//     while (page.m_hold_count > 0)         //         --page.m_hold_count;
//         m_holds_done.wait(m_lock);        //         m_holds_done.notify_all();
//
// wait() releases the Mutex and sleeps as one step (the CondVar's own
// SpinLock is held across both, and notify takes it), so a notify between
// "condition false" and "asleep" is not lost. Notify with the Mutex held,
// as above: waiters count themselves under it (m_waiters), and a notify
// that finds none returns without touching the SpinLock -- a VM object
// releases a page hold per page copied, and almost never has a waiter. Wakeups may be spurious:
// always re-check in a loop. Never call notify while holding another
// CondVar's spin. Lock order: docs/locking.md.
#pragma once

#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/mutex.h>
#include <kernel/base/sync/spinlock.h>

namespace kern {

class CondVar {
public:
    CondVar() = default;
    CondVar(const CondVar&) = delete;
    CondVar& operator=(const CondVar&) = delete;

    // => `mutex` held by the caller; released while asleep, held on return.
    void wait(Mutex& mutex);
    void notify_one();
    void notify_all();

private:
    SpinLock m_spin;
    WaitQueue m_queue;
    u32 m_waiters = 0;  // threads in wait(); guarded by the Mutex they wait with
};

} // namespace kern
