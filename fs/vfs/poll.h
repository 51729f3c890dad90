// fs/vfs/poll.h -- readiness of streams for poll(2)/select(2), and one wakeup for all pollers.
//
// Vnode::poll(events) answers "which of these events hold now" without
// registering anything. A poller (kernel/top/syscall/sys_poll.cpp) asks every
// file it watches; if none is ready it sleeps in poll_wait() until some
// stream calls poll_notify() (data arrived, room appeared, the other end
// closed), then asks again. One global generation counter and wait queue
// serve every poller: a wakeup is never lost (the poller reads the
// generation before asking and sleeps only if it is unchanged) and the code
// is short; the price is that every poller wakes on every event. Linux's
// per-file wait queues (poll_table) avoid that; see docs/vfs.md.
#pragma once

#include <kernel/base/abi/linux/poll.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/sched/wait_queue.h>

namespace fs {

// Linux's poll event bits (kernel/base/abi/linux/poll.h).
using uapi::POLLIN, uapi::POLLPRI, uapi::POLLOUT, uapi::POLLERR, uapi::POLLHUP, uapi::POLLNVAL,
    uapi::POLLRDNORM, uapi::POLLRDBAND, uapi::POLLWRNORM, uapi::POLLWRBAND;

// The current generation: read it before asking the files.
u64 poll_generation();
// Something a poller may wait for has changed: wake them all.
void poll_notify();
// Sleep until the generation differs from `seen`, the monotonic `deadline_ns`
// passes (0: none), or a signal arrives.
kern::WaitQueue::Result poll_wait(u64 seen, u64 deadline_ns);

} // namespace fs
