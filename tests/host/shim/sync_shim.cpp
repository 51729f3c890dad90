// tests/host/shim/sync_shim.cpp -- kern::Mutex for the single-threaded host tests.
//
// The kernel's Mutex (kernel/base/sync/mutex.cpp) sleeps through the scheduler,
// which the host build does not have. The host tests run on one thread, so
// here a Mutex only records that it is held: locking a held Mutex can only
// be a deadlock (or a missing unlock) and panics, which is what a test of
// the lock discipline wants to see.
#include <kernel/base/sync/mutex.h>

namespace kern {

// Any non-null owner will do: there is one "thread".
static Thread* host_thread()
{
    static int token;
    return reinterpret_cast<Thread*>(&token);
}

void Mutex::lock()
{
    KASSERT_MSG(m_owner == nullptr, "host Mutex: already locked (a deadlock on a real kernel)");
    m_owner = host_thread();
}

bool Mutex::try_lock()
{
    if (m_owner)
        return false;
    m_owner = host_thread();
    return true;
}

void Mutex::unlock()
{
    KASSERT(m_owner == host_thread());
    m_owner = nullptr;
}

bool Mutex::is_locked_by_me() const { return m_owner == host_thread(); }

} // namespace kern

// kern::CondVar on the host: with one thread, waiting could never end.
#include <kernel/base/sync/condvar.h>

namespace kern {

void CondVar::wait(Mutex&) { panic("host CondVar: wait() would never wake (single-threaded tests)"); }
void CondVar::notify_one() {}
void CondVar::notify_all() {}

// ru_majflt (kernel/base/sched/cputime.cpp): no threads to charge here.
void account_major_fault() {}

} // namespace kern
