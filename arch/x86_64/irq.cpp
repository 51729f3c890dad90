// arch/x86_64/irq.cpp -- device interrupt vectors for drivers, and their MSI messages (see arch/interrupt.h).
//
// The vectors: 0..31 are the CPU's exceptions, 32 the local APIC timer
// (timer.h), 0xf0..0xff the masked 8259s' and the APIC's spurious vector.
// Drivers get vectors from FIRST_DEVICE_VECTOR up. Each has a slot
// (handler, argument, count); trap_dispatch() calls device_interrupt() for
// it through the table of arch/x86_64/trap.cpp, which runs the driver's
// handler and then signals end-of-interrupt to the local APIC (an MSI is
// edge-triggered: the EOI only lets the APIC deliver the next one).
//
// An MSI is a 32-bit write by the device to 0xFEE00000 | (APIC id << 12)
// with the vector in the data's low byte (fixed delivery, edge): the local
// APIC of that CPU takes it like any other interrupt. One CPU here, so
// every message goes to the boot CPU.
//
// Lock: s_lock (SpinLock) guards allocation; the interrupt path reads a
// slot without it (the slot is written completely, interrupts off, before
// the vector is handed to anyone who could make a device raise it).
#include "timer.h"
#include "trap.h"
#include <arch/interrupt.h>
#include <kernel/base/lib/assert.h>
#include <kernel/base/sync/spinlock.h>

namespace x86 {

namespace {

constexpr u8 FIRST_DEVICE_VECTOR = 48;
constexpr u8 LAST_DEVICE_VECTOR = 0xef;

struct Slot {
    arch::InterruptHandler handler = nullptr;
    void* arg = nullptr;
    u64 count = 0;
};

kern::SpinLock s_lock;
Slot s_slots[256];

void device_interrupt(TrapFrame& frame)
{
    Slot& slot = s_slots[frame.vector];
    ++slot.count;
    if (slot.handler)
        slot.handler(slot.arg);
    apic_eoi();
}

} // namespace

} // namespace x86

namespace arch {

kern::ErrorOr<u8> interrupt_allocate(InterruptHandler handler, void* arg)
{
    KASSERT(handler);
    kern::SpinGuard guard(x86::s_lock);
    for (unsigned v = x86::FIRST_DEVICE_VECTOR; v <= x86::LAST_DEVICE_VECTOR; ++v) {
        x86::Slot& slot = x86::s_slots[v];
        if (slot.handler)
            continue;
        slot.arg = arg;
        slot.count = 0;
        slot.handler = handler;
        x86::set_irq_handler(u8(v), x86::device_interrupt);
        return u8(v);
    }
    return kern::Errno::ENOSPC;
}

void interrupt_free(u8 vector)
{
    kern::SpinGuard guard(x86::s_lock);
    KASSERT(vector >= x86::FIRST_DEVICE_VECTOR && vector <= x86::LAST_DEVICE_VECTOR);
    KASSERT(x86::s_slots[vector].handler);
    x86::s_slots[vector] = x86::Slot{};
}

MsiMessage msi_message(u8 vector)
{
    return MsiMessage{0xfee00000ull | (u64(x86::apic_id()) << 12), vector};
}

u64 interrupt_count(u8 vector) { return x86::s_slots[vector].count; }

} // namespace arch
