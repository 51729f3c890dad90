// tests/host/shim/printk_shim.cpp -- the kernel's console, on the host.
//
// Host-built code that reports on the console (a damaged FFS image, ...)
// prints through printk; here the line goes to a buffer the tests can read
// (host::last_console_line) instead of a serial port.
#include <kernel/base/printk.h>
#include <tests/host/shim/printk_shim.h>

#include <cstdio>
#include <string>

namespace {
std::string s_last;
} // namespace

void vprintk(const char* fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    s_last = line;
}

void printk(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

namespace kern::host {
const char* last_console_line() { return s_last.c_str(); }
void clear_console() { s_last.clear(); }
} // namespace kern::host
