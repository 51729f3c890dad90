// arch/include/arch/time.h -- the monotonic clock.
#pragma once

#include <kernel/lib/types.h>

namespace arch {

// Nanoseconds since boot; never goes backwards. On x86-64: the TSC, calibrated
// against the PIT at boot (arch/x86_64/tsc.cpp).
u64 monotonic_ns();

} // namespace arch
