// kernel/base/abi/linux/time.h -- clock ids, clock_nanosleep(2)'s flag, interval timers.
//
// Read more: include/uapi/linux/time.h; clock_gettime(2), setitimer(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr i32 CLOCK_REALTIME = 0;
constexpr i32 CLOCK_MONOTONIC = 1;
constexpr i32 CLOCK_PROCESS_CPUTIME_ID = 2;
constexpr i32 CLOCK_THREAD_CPUTIME_ID = 3;
constexpr i32 CLOCK_MONOTONIC_RAW = 4;
constexpr i32 CLOCK_REALTIME_COARSE = 5;
constexpr i32 CLOCK_MONOTONIC_COARSE = 6;
constexpr i32 CLOCK_BOOTTIME = 7;

constexpr int TIMER_ABSTIME = 1;  // clock_nanosleep: the time is absolute

constexpr int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

} // namespace uapi
