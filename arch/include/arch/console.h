// arch/include/arch/console.h -- the raw console printk writes to.
// In the kernel: the COM1 serial port (and nothing else needed to debug).
// On the host: standard error.
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

// Write `len` bytes; "\n" becomes "\r\n" on a serial line. Safe with
// interrupts off and from a panic; callers serialize (printk holds a lock).
void console_write(const char* s, size_t len);

// Write `len` bytes exactly as given (no "\n" translation): for the
// terminal driver, whose line discipline does its own output processing
// (fs/dev/tty.cpp). Same rules as console_write.
void console_write_raw(const char* s, size_t len);

// Console input, for the terminal driver. The arch code calls `handler` in
// interrupt context whenever typed bytes may be waiting (x86-64: at every
// timer tick, which polls the UART); the handler takes them one by one
// with console_try_read() for as long as it has room, so bytes it leaves
// stay with the hardware (and, under QEMU, in the host's input): nothing
// is lost. nullptr stops the calls.
using ConsoleInputHandler = void (*)();
void console_set_input_handler(ConsoleInputHandler handler);
// Returns true and the byte in `c` if one was typed and not taken yet.
bool console_try_read(char& c);

} // namespace arch
