// fs/vfs/poll.cpp -- the global poll generation and wait queue (see poll.h).
#include <fs/vfs/poll.h>
#include <kernel/base/sync/spinlock.h>

namespace fs {

namespace {
kern::SpinLock s_lock;
kern::WaitQueue s_pollers;
u64 s_generation;  // guarded by s_lock
} // namespace

u64 poll_generation()
{
    kern::SpinGuard guard(s_lock);
    return s_generation;
}

void poll_notify()
{
    kern::SpinGuard guard(s_lock);
    ++s_generation;
    s_pollers.wake_all();
}

kern::WaitQueue::Result poll_wait(u64 seen, u64 deadline_ns)
{
    kern::SpinGuard guard(s_lock);
    while (s_generation == seen) {
        auto result = s_pollers.wait_interruptible(s_lock, deadline_ns);
        if (result != kern::WaitQueue::Result::Woken)
            return result;
    }
    return kern::WaitQueue::Result::Woken;
}

} // namespace fs
