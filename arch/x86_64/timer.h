// arch/x86_64/timer.h -- see timer.cpp.
#pragma once

#include <kernel/base/lib/types.h>

namespace x86 {
// Mask the PICs, enable the local APIC, calibrate, start the periodic tick.
void timer_init();
void apic_eoi();
// This CPU's local APIC id (the destination of an MSI: arch/x86_64/irq.cpp).
u32 apic_id();
u64 timer_ticks();
// Time zero of arch::monotonic_ns(): called first thing at boot.
void tsc_mark_boot();
}
