// kernel/base/printk.h -- the kernel's console output.
//
// printk formats like printf (kernel/base/lib/format.h lists the conversions; the
// compiler checks the arguments) and writes to the console (COM1). Lines from
// different CPUs or threads do not interleave within one call.
#pragma once

#include <kernel/base/lib/types.h>
#include <stdarg.h>

void printk(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char* fmt, va_list ap);

namespace kern {
// After the message: the backtrace, then halt -- or, when the command line
// says panic=exit (the test runner does), end QEMU with a failure status.
[[noreturn]] void panic_halt();
// Set from the command line by kernel/top/main.cpp.
extern bool g_panic_exits;
}
