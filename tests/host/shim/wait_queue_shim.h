// tests/host/shim/wait_queue_shim.h -- what a sleeping thread's wait means on the one-thread host.
//
// The host tests have no scheduler and one thread, so a WaitQueue::wait()
// can never be ended by another thread. Instead, a test that exercises
// code which sleeps (biowait, a BUSY buffer) installs a "the rest of the
// world" hook: wait() releases its SpinLock, calls the hook -- which plays
// the other threads and devices, e.g. a fake disk completing its queued
// requests, or another "thread" releasing a buffer -- and takes the lock
// again, and the caller re-checks its condition as it always does. A hook
// that returns false ("nothing happened") means the kernel code would
// sleep for ever: the test fails with a panic. Without a hook, every wait
// panics. Wakeups are no-ops (there is nobody asleep).
#pragma once

#include <functional>

namespace kern::host {

// Install `hook` for the waits of the current test (an empty function
// removes it). Returns the previous one.
std::function<bool()> set_wait_hook(std::function<bool()> hook);

// Counts waits, for tests that check that code did (or did not) sleep.
unsigned long wait_count();

} // namespace kern::host
