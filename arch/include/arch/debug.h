// arch/include/arch/debug.h -- what panic() and the test runner need from the CPU.
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

// Print "  #n 0x<addr> <function>+0x<off>" for each frame of the current
// call stack, walking the frame-pointer chain (the kernel is built with
// -fno-omit-frame-pointer) and naming addresses from the kernel's own symbol
// table (kernel/base/ksyms.cpp).
void print_backtrace_here();
// The same, starting from a saved frame (a trap frame's rbp, rip and rsp;
// rsp 0 if unknown).
void print_backtrace(uptr rbp, uptr rip, uptr rsp);

// End the machine with `status`: under QEMU through the isa-debug-exit
// device (QEMU exits with (status << 1) | 1); elsewhere halt.
[[noreturn]] void system_exit(int status);

// Reset the machine (reboot(2)'s RESTART): x86 pulses the reset line
// through the keyboard controller, else triple-faults. QEMU started with
// -no-reboot (scripts/qemu.sh) exits with status 0 instead of rebooting.
[[noreturn]] void system_reset();

} // namespace arch
