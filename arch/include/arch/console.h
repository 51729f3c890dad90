// arch/include/arch/console.h -- the raw console printk writes to.
// In the kernel: the COM1 serial port (and nothing else needed to debug).
// On the host: standard error.
#pragma once

#include <kernel/lib/types.h>

namespace arch {

// Write `len` bytes; "\n" becomes "\r\n" on a serial line. Safe with
// interrupts off and from a panic; callers serialize (printk holds a lock).
void console_write(const char* s, size_t len);

} // namespace arch
