// arch/x86_64/timer.cpp -- time: the TSC clock and the local APIC timer.
//
// Two clocks, two jobs:
//   - the TSC (time-stamp counter) counts CPU cycles; read with one
//     instruction, it is the monotonic nanosecond clock (arch::monotonic_ns).
//   - the local APIC timer interrupts every 1/HZ s; each tick calls the
//     scheduler (kern::scheduler_tick) for preemption and sleeping threads.
// Neither has a known frequency, so both are calibrated at boot against the
// PIT (8254), whose input clock is fixed at 1.193182 MHz: we program PIT
// channel 2 for a 50 ms one-shot, count TSC cycles and APIC-timer ticks until
// it ends, and scale. The 8259 PICs are masked: interrupts come from the APIC.
// Under QEMU's TCG the TSC follows the host's clock, so the calibration holds.
#include "timer.h"
#include "kpagetable.h"
#include "serial.h"
#include "trap.h"
#include "x86.h"
#include <arch/mmu.h>
#include <arch/time.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/sched.h>

namespace x86 {

static constexpr u64 PIT_HZ = 1193182;
static constexpr u32 CALIBRATION_MS = 50;

// Local APIC registers (offsets in its 4 KiB MMIO page).
static constexpr u32 APIC_ID = 0x20;
static constexpr u32 APIC_EOI = 0xb0;
static constexpr u32 APIC_SPURIOUS = 0xf0;
static constexpr u32 APIC_LVT_TIMER = 0x320;
static constexpr u32 APIC_TIMER_INIT = 0x380;
static constexpr u32 APIC_TIMER_CURRENT = 0x390;
static constexpr u32 APIC_TIMER_DIVIDE = 0x3e0;
static constexpr u32 LVT_MASKED = 1u << 16;
static constexpr u32 LVT_PERIODIC = 1u << 17;

static volatile u32* s_apic;
static u64 s_tsc_per_ms;
static u64 s_tsc_at_boot;
static u32 s_apic_ticks_per_ms;
static u64 s_ticks;

static u32 apic_read(u32 reg) { return s_apic[reg / 4]; }
static void apic_write(u32 reg, u32 v) { s_apic[reg / 4] = v; }

void apic_eoi() { apic_write(APIC_EOI, 0); }

u32 apic_id() { return apic_read(APIC_ID) >> 24; }

static void pic_disable()
{
    // Remap the 8259s to vectors 0xf0.. (out of the exceptions' way), then
    // mask every line.
    outb(0x20, 0x11); outb(0xa0, 0x11);
    outb(0x21, 0xf0); outb(0xa1, 0xf8);
    outb(0x21, 4);    outb(0xa1, 2);
    outb(0x21, 1);    outb(0xa1, 1);
    outb(0x21, 0xff); outb(0xa1, 0xff);
}

// Measure TSC cycles and APIC-timer ticks during CALIBRATION_MS of PIT time.
static void calibrate()
{
    u32 pit_count = u32(PIT_HZ * CALIBRATION_MS / 1000);
    outb(0x61, u8((inb(0x61) & ~0x02) | 0x01));  // gate on, speaker off
    outb(0x43, 0xb0);                            // channel 2, lo/hi, mode 0
    outb(0x42, u8(pit_count));
    outb(0x42, u8(pit_count >> 8));

    apic_write(APIC_TIMER_DIVIDE, 0x3);          // divide by 16
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    // Restart the one-shot by toggling the gate, then start both counters.
    u8 gate = inb(0x61);
    outb(0x61, u8(gate & ~0x01));
    outb(0x61, u8(gate | 0x01));
    apic_write(APIC_TIMER_INIT, 0xffffffff);
    u64 tsc0 = rdtsc();
    while ((inb(0x61) & 0x20) == 0)
        asm volatile("pause");
    u64 tsc1 = rdtsc();
    u32 apic_elapsed = 0xffffffff - apic_read(APIC_TIMER_CURRENT);
    apic_write(APIC_TIMER_INIT, 0);

    s_tsc_per_ms = (tsc1 - tsc0) / CALIBRATION_MS;
    s_apic_ticks_per_ms = apic_elapsed / CALIBRATION_MS;
    if (s_tsc_per_ms == 0)
        s_tsc_per_ms = 1;
}

static void timer_interrupt(TrapFrame& frame)
{
    ++s_ticks;
    apic_eoi();
    serial_poll_input();  // the console's typed bytes (fs/dev/tty.cpp)
    kern::scheduler_tick(frame.from_user());
}

void timer_init()
{
    pic_disable();
    u64 base = rdmsr(MSR_APIC_BASE);
    wrmsr(MSR_APIC_BASE, base | (1u << 11));     // globally enabled
    s_apic = static_cast<volatile u32*>(arch::phys_to_virt(base & ~0xfffull));
    apic_write(APIC_SPURIOUS, 0x100 | VECTOR_SPURIOUS);  // software enable

    calibrate();
    set_irq_handler(VECTOR_TIMER, timer_interrupt);
    apic_write(APIC_TIMER_DIVIDE, 0x3);
    apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VECTOR_TIMER);
    apic_write(APIC_TIMER_INIT, s_apic_ticks_per_ms * (1000 / kern::HZ));
    printk("timer: TSC %lu.%03lu MHz, local APIC (id %u) timer input %u MHz, tick at %u Hz\n",
           s_tsc_per_ms / 1000, s_tsc_per_ms % 1000, apic_read(APIC_ID) >> 24,
           s_apic_ticks_per_ms * 16 / 1000, kern::HZ);
}

u64 timer_ticks() { return s_ticks; }

void tsc_mark_boot() { s_tsc_at_boot = rdtsc(); }

} // namespace x86

namespace arch {

u64 cycles_to_ns(u64 cycles)
{
    if (x86::s_tsc_per_ms == 0)
        return 0;  // before calibration
    // cycles * 1e6 / tsc_per_ms, split to avoid overflowing 64 bits.
    u64 ms = cycles / x86::s_tsc_per_ms;
    u64 rest = cycles % x86::s_tsc_per_ms;
    return ms * 1000000 + rest * 1000000 / x86::s_tsc_per_ms;
}

u64 cpu_cycles() { return x86::rdtsc(); }

u64 monotonic_ns()
{
    if (x86::s_tsc_per_ms == 0)
        return 0;  // before calibration
    return cycles_to_ns(x86::rdtsc() - x86::s_tsc_at_boot);
}

} // namespace arch
