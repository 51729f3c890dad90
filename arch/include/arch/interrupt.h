// arch/include/arch/interrupt.h -- device interrupts for drivers: a vector, a handler, and the MSI message that raises it.
//
// A device driver above the machine layer (fs/block/virtio_blk.cpp) does not
// know the IDT or the local APIC. It asks for a vector with a handler and an
// argument; the machine routes that vector to the handler and sends the
// end-of-interrupt itself after the handler returns. A PCI device then
// raises the vector by a memory write -- MSI or MSI-X -- whose address and
// data come from msi_message(): no interrupt controller between the device
// and the CPU to program (no IOAPIC code exists, and the 8259s are masked).
//
// Handlers run with interrupts disabled on the interrupted CPU's kernel
// stack, maybe inside any thread: they may take SpinLocks and wake
// WaitQueues (biodone()), never sleep or take a Mutex. After the handler,
// the machine may preempt the interrupted thread, as after a timer tick.
//
// Read more: Intel SDM vol. 3, 11.11 ("Message Signalled Interrupts": the
// address 0xFEEx_xxxx and data formats); docs/boot.md ("Device interrupts").
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/types.h>

namespace arch {

using InterruptHandler = void (*)(void* arg);

// Route a free vector to handler(arg) and return it.
// Errors: ENOSPC (every device vector is taken).
kern::ErrorOr<u8> interrupt_allocate(InterruptHandler handler, void* arg);
// Give the vector back; it must not fire again (the device's MSI is off).
void interrupt_free(u8 vector);

// The memory write that raises `vector` on the boot CPU.
struct MsiMessage {
    u64 address;
    u32 data;
};
MsiMessage msi_message(u8 vector);

// How many times `vector` has fired since boot (for tests and /proc).
u64 interrupt_count(u8 vector);

} // namespace arch
