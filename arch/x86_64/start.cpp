// arch/x86_64/start.cpp -- the first C++ code: kmain_entry, called by boot/boot.S.
//
// Order matters here: the console first (so anything after can report), then
// global constructors (the scheduler's lists are C++ objects), the per-CPU
// block (cpu_id() and SpinLock need %gs), the GDT and IDT (so exceptions are
// caught and reported), then the boot information. Then kern::kmain() takes
// over; it calls back arch_late_init() once memory and the scheduler exist.
#include "gdt.h"
#include "multiboot2.h"
#include "percpu.h"
#include "serial.h"
#include "timer.h"
#include "trap.h"
#include "x86.h"
#include <kernel/top/main.h>

namespace kern {
void run_global_constructors();
}

// Allow SSE instructions (user programs use them; the kernel itself is built
// with -mgeneral-regs-only). The FPU/SSE state is saved per thread once user
// mode exists.
static void enable_sse()
{
    u64 cr0 = x86::read_cr0();
    cr0 &= ~(1ull << 2);  // EM: no emulation
    cr0 |= (1ull << 1);   // MP
    x86::write_cr0(cr0);
    x86::write_cr4(x86::read_cr4() | (1ull << 9) | (1ull << 10));  // OSFXSR, OSXMMEXCPT
}

extern "C" [[noreturn]] void kmain_entry(PhysAddr multiboot_info)
{
    x86::tsc_mark_boot();
    x86::serial_init();
    kern::run_global_constructors();
    x86::percpu_init_boot_cpu();
    x86::gdt_init();
    x86::idt_init();
    x86::syscall_init();
    enable_sse();
    x86::multiboot2_parse(multiboot_info);
    kern::kmain();
}

namespace arch {
void late_init() { x86::timer_init(); }
}
