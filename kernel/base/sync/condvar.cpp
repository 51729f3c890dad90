// kernel/base/sync/condvar.cpp -- see condvar.h.
#include <kernel/base/sync/condvar.h>

namespace kern {

void CondVar::wait(Mutex& mutex)
{
    ++m_waiters;  // under `mutex`, which every notifier holds too
    {
        SpinGuard guard(m_spin);
        mutex.unlock();        // a notifier needs m_spin: it cannot slip in here
        m_queue.wait(m_spin);  // enqueue and release m_spin atomically
    }
    mutex.lock();
    --m_waiters;
}

void CondVar::notify_one()
{
    if (m_waiters == 0)
        return;  // nobody to wake: no lock round trip
    SpinGuard guard(m_spin);
    m_queue.wake_one();
}

void CondVar::notify_all()
{
    if (m_waiters == 0)
        return;
    SpinGuard guard(m_spin);
    m_queue.wake_all();
}

} // namespace kern
