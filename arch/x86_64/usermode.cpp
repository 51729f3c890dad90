// arch/x86_64/usermode.cpp -- system-call set-up, dispatch, and the way into user mode.
//
//   syscall_init      the MSRs that make `syscall` land in syscall_entry.S
//   syscall_dispatch  from syscall_entry.S: interrupts on, call the kernel's
//                     table (kern::syscall, kernel/syscall/), result in rax
//   enter_user_mode   the first return to user mode of a new program: a
//                     TrapFrame built by hand, then the common iretq path
// See docs/processes.md.
#include "percpu.h"
#include "trap.h"
#include "x86.h"
#include <arch/cpu.h>
#include <arch/usermode.h>
#include <kernel/syscall/syscall.h>

extern "C" void syscall_entry();
extern "C" [[noreturn]] void trap_return();

namespace x86 {

constexpr u64 EFER_SCE = 1u << 0;
constexpr u64 RFLAGS_DF = 1u << 10, RFLAGS_TF = 1u << 8, RFLAGS_AC = 1u << 18;

void syscall_init()
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    // STAR: kernel CS at 47:32 (SS = CS + 8); user base at 63:48 (sysret would
    // use SS = base + 8, CS = base + 16: 0x20 and 0x28, see x86.h).
    wrmsr(MSR_STAR, (u64(0x18) << 48) | (u64(KERNEL_CS) << 32));
    wrmsr(MSR_LSTAR, reinterpret_cast<u64>(syscall_entry));
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
}

} // namespace x86

extern "C" void syscall_dispatch(x86::TrapFrame* f)
{
    arch::irq_enable();
    kern::SyscallArgs args{f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
    f->rax = u64(kern::syscall(f->rax, args));
    arch::irq_disable();
}

namespace arch {

void enter_user_mode(uptr rip, uptr rsp)
{
    x86::TrapFrame frame{};
    frame.rip = rip;
    frame.cs = x86::USER_CS;
    frame.rflags = x86::RFLAGS_IF | 0x2;  // bit 1 is always set
    frame.rsp = rsp;
    frame.ss = x86::USER_DS;
    irq_disable();
    asm volatile("movq %0, %%rsp\n"
                 "jmp trap_return"
                 :
                 : "r"(&frame)
                 : "memory");
    __builtin_unreachable();
}

} // namespace arch
