// arch/include/arch/usermode.h -- leaving the kernel for user mode.
#pragma once

#include <kernel/lib/types.h>

namespace arch {

// Start running user code at `rip` with stack pointer `rsp`, all other
// registers zero, interrupts on. The current thread's kernel stack is where
// its system calls and interrupts will land. Never returns: the thread comes
// back into the kernel only through system calls, faults and interrupts.
[[noreturn]] void enter_user_mode(uptr rip, uptr rsp);

// The user thread-pointer register (x86: FS base, set by arch_prctl and by
// the C library's TLS set-up); saved and restored per thread on switches.
void set_user_thread_pointer(uptr value);
uptr user_thread_pointer();

} // namespace arch
