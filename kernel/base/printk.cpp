// kernel/base/printk.cpp -- printk and panic.
//
// printk formats straight into the console with kern::vformat, holding a
// SpinLock so that concurrent lines stay whole. panic() must work from any
// state (interrupts off, heap broken, inside printk on this CPU): it prints
// without the lock if this CPU already holds it, and stops the machine.
#include <arch/console.h>
#include <arch/cpu.h>
#include <arch/debug.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/printk.h>
#include <kernel/base/sync/spinlock.h>

namespace kern {

static SpinLock s_console_lock;
bool g_panic_exits = false;
static bool s_panicking = false;

static void console_sink(void*, const char* s, size_t len) { arch::console_write(s, len); }

void panic_halt()
{
    if (g_panic_exits)
        arch::system_exit(3);
    arch::halt_forever();
}

void panic(const char* fmt, ...)
{
    arch::irq_disable();
    bool nested = s_panicking;
    s_panicking = true;
    const char prefix[] = "\nPANIC: ";
    arch::console_write(prefix, sizeof prefix - 1);
    va_list ap;
    va_start(ap, fmt);
    vformat(console_sink, nullptr, fmt, ap);
    va_end(ap);
    arch::console_write("\n", 1);
    if (!nested) {
        arch::console_write("backtrace:\n", 11);
        arch::print_backtrace_here();
    }
    panic_halt();
}

} // namespace kern

void vprintk(const char* fmt, va_list ap)
{
    using namespace kern;
    if (s_panicking || s_console_lock.is_locked_by_me()) {
        // Inside panic, or a fault while printing: don't wait for ourselves.
        vformat(console_sink, nullptr, fmt, ap);
        return;
    }
    SpinGuard guard(s_console_lock);
    vformat(console_sink, nullptr, fmt, ap);
}

void printk(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
