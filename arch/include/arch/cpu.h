// arch/include/arch/cpu.h -- the CPU operations machine-independent code may use.
//
// Everything outside arch/ and boot/ reaches the processor only through the
// small headers in arch/include/arch/. The x86-64 kernel implements them in
// arch/x86_64/; the host test build implements them in tests/host/shim/ so
// kernel/base/lib, vm/ and fs/ compile and run under GoogleTest unchanged.
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

// Interrupt state as saved by irq_save(): opaque to callers.
using IrqState = u64;

// Disable interrupts on this CPU and return the previous state.
IrqState irq_save();
// Restore the state irq_save() returned (re-enables only if it was enabled).
void irq_restore(IrqState state);
void irq_enable();
void irq_disable();
bool irq_enabled();

// Hint inside a spin loop (x86: pause).
void cpu_relax();

// Index of the running CPU, 0 .. MAX_CPUS-1.
unsigned cpu_id();
constexpr unsigned MAX_CPUS = 16;

// Stop this CPU for good (interrupts off).
[[noreturn]] void halt_forever();

// Wait for the next interrupt (x86: sti; hlt). Used by the idle thread.
void wait_for_interrupt();

// 64 unpredictable-enough bits (x86: RDRAND when the CPU has it, else a
// mix of the time-stamp counter): for AT_RANDOM and getrandom. Not a
// cryptographic generator.
u64 random_u64();
// The CPU feature bits a program's C library asks for in AT_HWCAP
// (x86: CPUID leaf 1, EDX).
u64 cpu_hwcap();

} // namespace arch
