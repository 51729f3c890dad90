// tests/host/shim/arch_shim.cpp -- the arch/ interface, implemented on the host.
//
// GoogleTest builds kernel/base/lib, kernel/base/heap, vm/ (and later fs/) from the same
// sources as the kernel; this file stands in for arch/x86_64: interrupts are a
// flag, there is one CPU, the console is stderr, panic() aborts the test.
#include <arch/console.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/time.h>
#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/format.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

namespace arch {

uptr g_direct_map_base = 0;
static bool s_irq_enabled = true;

IrqState irq_save()
{
    IrqState was = s_irq_enabled;
    s_irq_enabled = false;
    return was;
}
void irq_restore(IrqState state) { s_irq_enabled = state != 0; }
void irq_enable() { s_irq_enabled = true; }
void irq_disable() { s_irq_enabled = false; }
bool irq_enabled() { return s_irq_enabled; }
void cpu_relax() {}
unsigned cpu_id() { return 0; }
void halt_forever() { abort(); }
void wait_for_interrupt() {}

void console_write(const char* s, size_t len) { (void)!write(2, s, len); }

u64 monotonic_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return u64(ts.tv_sec) * 1000000000ull + u64(ts.tv_nsec);
}

// On the host a "cycle" is a nanosecond of the monotonic clock.
u64 cpu_cycles() { return monotonic_ns(); }
u64 cycles_to_ns(u64 cycles) { return cycles; }

u64 realtime_offset_ns() { return 0; }  // host tests see times since the host's boot

} // namespace arch

namespace kern {

void panic(const char* fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    kern::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(stderr, "PANIC: %s\n", buf);
    abort();
}

} // namespace kern
