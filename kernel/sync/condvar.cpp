// kernel/sync/condvar.cpp -- see condvar.h.
#include <kernel/sync/condvar.h>

namespace kern {

void CondVar::wait(Mutex& mutex)
{
    {
        SpinGuard guard(m_spin);
        mutex.unlock();        // a notifier needs m_spin: it cannot slip in here
        m_queue.wait(m_spin);  // enqueue and release m_spin atomically
    }
    mutex.lock();
}

void CondVar::notify_one()
{
    SpinGuard guard(m_spin);
    m_queue.wake_one();
}

void CondVar::notify_all()
{
    SpinGuard guard(m_spin);
    m_queue.wake_all();
}

} // namespace kern
