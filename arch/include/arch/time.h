// arch/include/arch/time.h -- the monotonic clock and the wall clock.
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

// Nanoseconds since boot; never goes backwards. On x86-64: the TSC, calibrated
// against the PIT at boot (arch/x86_64/tsc.cpp).
u64 monotonic_ns();

// The same clock, raw and cheap: CPU cycles (the TSC), for code that reads
// the time very often and converts seldom (kernel/base/sched/cputime.cpp). Only
// differences of two readings mean anything.
u64 cpu_cycles();
// A number of cycles (a difference, or a sum of differences) in ns.
u64 cycles_to_ns(u64 cycles);

// Seconds since 1970-01-01 00:00:00 UTC from the battery-backed clock
// (x86: the CMOS RTC, arch/x86_64/rtc.cpp), one-second resolution; a few
// microseconds of port I/O, so read it once and add monotonic_ns() to it.
// Returns 0 if the clock holds no valid date.
u64 wall_clock_seconds();

// Real time minus monotonic time, in ns: the RTC is read at the first call
// and never again (so the real-time clock runs at the monotonic clock's
// rate and never jumps). Real time = monotonic_ns() + this.
u64 realtime_offset_ns();

} // namespace arch
