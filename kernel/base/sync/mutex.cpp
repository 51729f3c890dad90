// kernel/base/sync/mutex.cpp -- the sleeping lock (see mutex.h).
//
// m_spin protects the owner field; a thread that finds the mutex held sleeps
// on m_waiters, releasing m_spin atomically (WaitQueue::wait). unlock()
// clears the owner and wakes one waiter, which competes again for the mutex
// (no direct hand-off: simpler, and a running thread may take it first).
#include <kernel/base/sched/thread.h>
#include <kernel/base/sync/mutex.h>

namespace kern {

void Mutex::lock()
{
    Thread* self = Thread::current();
    SpinGuard guard(m_spin);
    KASSERT_MSG(m_owner != self, "Mutex locked twice by thread %s", self->name());
    while (m_owner)
        m_waiters.wait(m_spin);
    m_owner = self;
}

bool Mutex::try_lock()
{
    SpinGuard guard(m_spin);
    if (m_owner)
        return false;
    m_owner = Thread::current();
    return true;
}

void Mutex::unlock()
{
    SpinGuard guard(m_spin);
    KASSERT(m_owner == Thread::current());
    m_owner = nullptr;
    m_waiters.wake_one();
}

bool Mutex::is_locked_by_me() const { return m_owner && m_owner == Thread::current(); }

} // namespace kern
