// tests/host/shim/wait_queue_shim.cpp -- kern::WaitQueue for the single-threaded host tests.
//
// See wait_queue_shim.h: wait() runs the test's hook in place of the other
// threads; wake_one/wake_all have nobody to wake.
#include <kernel/base/sched/wait_queue.h>
#include <tests/host/shim/wait_queue_shim.h>

namespace kern {

namespace {
std::function<bool()> s_hook;
unsigned long s_waits;
} // namespace

namespace host {
std::function<bool()> set_wait_hook(std::function<bool()> hook)
{
    std::function<bool()> old = std::move(s_hook);
    s_hook = std::move(hook);
    return old;
}
unsigned long wait_count() { return s_waits; }
} // namespace host

WaitQueue::Result WaitQueue::wait_common(SpinLock& lock, u64, bool)
{
    KASSERT_MSG(s_hook, "host WaitQueue: wait() would never wake (no wait hook installed)");
    ++s_waits;
    // The guard that holds `lock` restores the interrupt state on its own
    // release; here interrupts stay "off" (0) across the hook, as they would
    // not matter to a sleeping thread.
    lock.unlock(0);
    const bool progressed = s_hook();
    (void)lock.lock();
    KASSERT_MSG(progressed, "host WaitQueue: the wait hook made no progress: the kernel would sleep for ever");
    return Result::Woken;
}

void WaitQueue::wait(SpinLock& lock) { (void)wait_common(lock, 0, false); }
bool WaitQueue::wait_until(SpinLock& lock, u64 deadline) { return wait_common(lock, deadline, false) == Result::Woken; }
WaitQueue::Result WaitQueue::wait_interruptible(SpinLock& lock, u64 deadline) { return wait_common(lock, deadline, true); }
size_t WaitQueue::wake_one() { return 0; }
size_t WaitQueue::wake_all() { return 0; }
bool WaitQueue::has_waiters() const { return false; }

} // namespace kern
