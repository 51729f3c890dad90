// arch/x86_64/context.cpp -- arch/context.h on x86-64 (the switch is in switch.S).
#include "gdt.h"
#include "percpu.h"
#include "x86.h"
#include <arch/context.h>
#include <arch/usermode.h>

extern "C" void x86_switch(uptr* from_rsp, uptr to_rsp);
extern "C" void x86_thread_trampoline();

namespace arch {

void context_init(ThreadContext& ctx, void* stack_top, ThreadEntry entry, void* arg)
{
    // After the six pops of x86_switch, `ret` pops the trampoline's address
    // and leaves %rsp == stack_top, 16-byte aligned, so the trampoline's
    // `call` enters kern_thread_start as the ABI expects.
    uptr* sp = static_cast<uptr*>(stack_top);
    *--sp = reinterpret_cast<uptr>(x86_thread_trampoline);
    *--sp = 0;                                          // rbp
    *--sp = 0;                                          // rbx
    *--sp = reinterpret_cast<uptr>(entry);              // r12
    *--sp = reinterpret_cast<uptr>(arg);                // r13
    *--sp = 0;                                          // r14
    *--sp = 0;                                          // r15
    ctx.rsp = reinterpret_cast<uptr>(sp);
    // The FPU state a program starts with (what FNINIT and the SysV ABI
    // give): x87 control word 0x37f, MXCSR 0x1f80 (all exceptions masked).
    *reinterpret_cast<u16*>(&ctx.fpu[0]) = 0x37f;
    *reinterpret_cast<u32*>(&ctx.fpu[24]) = 0x1f80;
}

// The FPU/SSE registers belong to user programs (the kernel is built with
// -mgeneral-regs-only), so they are saved and restored eagerly at every
// switch: 512 bytes each way, simple and always right. (Lazy switching with
// CR0.TS saves that work for threads that never use the FPU, at the price of
// a trap and subtle bugs.)
void context_switch(ThreadContext& from, ThreadContext& to)
{
    from.user_thread_pointer = x86::rdmsr(x86::MSR_FS_BASE);
    asm volatile("fxsave64 %0" : "=m"(from.fpu));
    asm volatile("fxrstor64 %0" ::"m"(to.fpu));
    x86::wrmsr(x86::MSR_FS_BASE, to.user_thread_pointer);
    x86_switch(&from.rsp, to.rsp);
}

void set_user_thread_pointer(uptr value) { x86::wrmsr(x86::MSR_FS_BASE, value); }
uptr user_thread_pointer() { return x86::rdmsr(x86::MSR_FS_BASE); }

void set_kernel_stack(uptr stack_top)
{
    x86::tss_set_kernel_stack(stack_top);
    asm volatile("movq %0, %%gs:%c1" ::"r"(stack_top), "i"(offsetof(x86::PerCpu, kernel_rsp)));
}

} // namespace arch
