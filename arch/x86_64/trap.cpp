// arch/x86_64/trap.cpp -- the IDT, and what happens after trap_entry.S.
//
// trap_dispatch() sorts a trap by vector:
//   0..31    CPU exceptions. A page fault (14) goes to the VM fault handler
//            (page_fault below). From user mode, an exception (or a fault
//            nobody can resolve) becomes a signal for the process
//            (user_exception). In the kernel it is a bug: we print the
//            vector's name, the error code, all registers, CR2 and a
//            symbolized backtrace, then panic.
//   32..255  device interrupts, routed through a table of handlers; after the
//            handler, if the scheduler asked for it, the interrupted thread is
//            preempted (kern::preempt_from_interrupt).
// Every trap from user mode ends in kern::return_to_user, which takes
// pending signals before the iretq.
// See docs/boot.md.
#include "trap.h"
#include "gdt.h"
#include "x86.h"
#include <arch/cpu.h>
#include <arch/debug.h>
#include <arch/usercopy.h>
#include <kernel/base/lib/assert.h>
#include <kernel/base/printk.h>
#include <kernel/top/proc/process.h>
#include <kernel/base/sched/sched.h>
#include <vm/fault.h>

extern "C" const u64 trap_stub_table[256];

namespace x86 {

struct [[gnu::packed]] IdtEntry {
    u16 offset_low;
    u16 selector;
    u8 ist;
    u8 type_attr;
    u16 offset_mid;
    u32 offset_high;
    u32 zero;
};

struct [[gnu::packed]] IdtPointer {
    u16 limit;
    u64 base;
};

static IdtEntry s_idt[256];
static IrqHandler s_handlers[256];

static void set_gate(u8 vector, u64 handler, u8 ist, u8 dpl)
{
    IdtEntry& e = s_idt[vector];
    e.offset_low = u16(handler);
    e.selector = KERNEL_CS;
    e.ist = ist;
    e.type_attr = u8(0x8e | (dpl << 5));  // present, 64-bit interrupt gate
    e.offset_mid = u16(handler >> 16);
    e.offset_high = u32(handler >> 32);
    e.zero = 0;
}

void idt_init()
{
    for (int v = 0; v < 256; ++v)
        set_gate(u8(v), trap_stub_table[v], v == 8 ? IST_DOUBLE_FAULT : 0, 0);
    set_gate(3, trap_stub_table[3], 0, 3);  // int3 allowed from user mode
    IdtPointer ptr{u16(sizeof s_idt - 1), reinterpret_cast<u64>(s_idt)};
    asm volatile("lidt %0" ::"m"(ptr));
}

void set_irq_handler(u8 vector, IrqHandler handler)
{
    KASSERT(vector >= 32);
    s_handlers[vector] = handler;
}

static const char* const s_exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", "reserved", "x87 FP error", "alignment check", "machine check",
    "SIMD FP error", "virtualization", "control protection", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "hypervisor injection",
    "VMM communication", "security", "reserved",
};

void dump_trap_frame(const TrapFrame& f)
{
    printk("  rip %016lx  cs %04lx  rflags %016lx  rsp %016lx  ss %04lx\n", f.rip, f.cs,
           f.rflags, f.rsp, f.ss);
    printk("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f.rax, f.rbx, f.rcx, f.rdx);
    printk("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f.rsi, f.rdi, f.rbp, f.r8);
    printk("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f.r9, f.r10, f.r11, f.r12);
    printk("  r13 %016lx  r14 %016lx  r15 %016lx\n", f.r13, f.r14, f.r15);
    printk("  cr2 %016lx  cr3 %016lx  cr0 %016lx  cr4 %016lx\n", read_cr2(), read_cr3(),
           read_cr0(), read_cr4());
}

[[noreturn]] static void exception_panic(TrapFrame& f)
{
    const char* name = s_exception_names[f.vector];
    printk("\nPANIC: CPU exception %lu (%s), error code %#lx, in %s mode\n", f.vector, name,
           f.error_code, f.from_user() ? "user" : "kernel");
    if (f.vector == 14)
        printk("  page fault at %#lx: %s, %s, %s\n", read_cr2(),
               (f.error_code & 1) ? "protection violation" : "page not present",
               (f.error_code & 2) ? "write" : "read",
               (f.error_code & 16) ? "instruction fetch" : "data access");
    dump_trap_frame(f);
    printk("backtrace:\n");
    arch::print_backtrace(f.rbp, f.rip, f.from_user() ? 0 : f.rsp);
    kern::panic_halt();
}

// ---- exceptions in user mode ---------------------------------------------------
//
// A CPU exception raised by a user program is the program's problem, not the
// kernel's: it gets the signal POSIX names for it (SIGSEGV for a bad access,
// SIGILL, SIGFPE, SIGTRAP, SIGBUS), forced, with a line on the console; a
// handler may catch it, else the process dies (kernel/top/proc/signal.h).

static int signal_for(u64 vector)
{
    switch (vector) {
    case 0: case 16: case 19: return 8;  // divide error, x87/SIMD errors: SIGFPE
    case 1: case 3: return 5;            // debug, breakpoint: SIGTRAP
    case 6: return 4;                    // invalid opcode: SIGILL
    case 17: return 7;                   // alignment check: SIGBUS
    default: return 11;                  // page fault, general protection, ...: SIGSEGV
    }
}

// The signal is forced (kernel/top/proc/signal.h) and taken on the way out of
// trap_dispatch: a handler may run (and fix things, or longjmp away);
// otherwise the process dies.
// `code` is the si_code: for a page fault SEGV_ACCERR (mapped, but not for
// this access) or SEGV_MAPERR (nothing mapped); SI_KERNEL for the others.
// `signal` overrides the vector's (a page fault that found the mapping but
// no memory allowed behind it: SIGBUS).
static void user_exception(TrapFrame& f, uptr address, const char* what, int code = kern::SI_KERNEL,
                           int signal = 0)
{
    kern::exit_on_exception(signal ? signal : signal_for(f.vector), code, s_exception_names[f.vector],
                            what, address, f.rip);
}

// ---- the page-fault path ----------------------------------------------------
//
// The error code says why the MMU refused: bit 0 the page was present (a
// protection violation), bit 1 a write, bit 2 from user mode, bit 3 a
// reserved bit set in a table (corruption: always a bug), bit 4 an
// instruction fetch. CR2 holds the address.
//
//   1. Read CR2 first: once interrupts are on, another fault could change it.
//   2. If the interrupted code had interrupts enabled, enable them again: the
//      VM fault handler may sleep (map lock, pager I/O). If they were
//      disabled, the code holds a SpinLock or is an interrupt handler, and
//      must not sleep: the fault is unresolvable.
//   3. vm::handle_page_fault: success -> return, and the CPU retries the
//      instruction.
//   4. Unresolved, in the kernel, inside a user-copy routine and on a user
//      address -> resume at its fix-up (it returns EFAULT). A fault on the
//      kernel side of a copy is still a bug.
//   5. Unresolved in user mode -> the process ends with SIGSEGV
//      (user_exception above) -- or SIGBUS when the mapping is fine but
//      its object refused the page (ENOSPC: a tmpfs file over its mount's
//      size=, as Linux's shmem fault answers VM_FAULT_SIGBUS).
//   6. Anything else -> the usual exception report.
// Interrupts are disabled again before returning to trap_entry.S.

static vm::Access fault_access(u64 error_code)
{
    if (error_code & (1u << 1))
        return vm::PROT_WRITE;
    if (error_code & (1u << 4))
        return vm::PROT_EXEC;
    return vm::PROT_READ;
}

static const char* access_name(vm::Access access)
{
    return access == vm::PROT_WRITE ? "write" : access == vm::PROT_EXEC ? "execute" : "read";
}

static void page_fault(TrapFrame& f)
{
    const uptr va = read_cr2();
    const vm::Access access = fault_access(f.error_code);
    const bool reserved_bit = (f.error_code & (1u << 3)) != 0;
    bool out_of_memory = false, over_limit = false, refused = (f.error_code & 1) != 0;
    if ((f.rflags & RFLAGS_IF) && !reserved_bit) {
        arch::irq_enable();
        auto result = vm::handle_page_fault(va, access, f.from_user());
        arch::irq_disable();
        if (!result.is_error()) {
            kern::account_page_fault();  // ru_minflt
            return;
        }
        out_of_memory = result.error() == kern::Errno::ENOMEM;
        over_limit = result.error() == kern::Errno::ENOSPC;
        refused = result.error() == kern::Errno::EACCES;  // mapped, but not for this access
    }
    if (!f.from_user() && va < vm::USER_MAX && !reserved_bit) {
        if (uptr fixup = arch::usercopy_fixup(f.rip)) {
            f.rip = fixup;
            return;
        }
    }
    asm volatile("mov %0, %%cr2" ::"r"(va));  // for the report, if another fault changed it
    if (f.from_user()) {
        // Out of memory is not the program's bad access, but it cannot go
        // on either: it gets the same SIGSEGV, with the reason in the line.
        if (over_limit)
            user_exception(f, va, "a page over the file system's size limit", kern::BUS_ADRERR,
                           kern::SIGBUS);
        else
            user_exception(f, va, out_of_memory ? "out of memory for an access" : access_name(access),
                           refused ? kern::SEGV_ACCERR : kern::SEGV_MAPERR);
        return;
    }
    exception_panic(f);
}

} // namespace x86

extern "C" void trap_dispatch(x86::TrapFrame* frame)
{
    if (frame->vector == 14 && !frame->from_user()) {
        x86::page_fault(*frame);  // no preemption: the kernel may hold a SpinLock
        return;
    }
    const bool from_user = frame->from_user();
    if (frame->vector == 14)
        x86::page_fault(*frame);
    else if (frame->vector < 32 && from_user)
        x86::user_exception(*frame, 0, nullptr);
    else if (frame->vector < 32)
        x86::exception_panic(*frame);
    else if (x86::s_handlers[frame->vector])
        x86::s_handlers[frame->vector](*frame);
    else if (frame->vector != x86::VECTOR_SPURIOUS)
        printk("trap: unexpected interrupt vector %lu\n", frame->vector);
    kern::preempt_from_interrupt();
    if (from_user) {
        arch::irq_enable();  // delivering a signal writes the user stack: it may fault
        kern::return_to_user(arch::current_user_regs(), -1);  // *frame: the top of the kernel stack
        arch::irq_disable();
    }
}
