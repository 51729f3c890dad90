// arch/x86_64/context.cpp -- arch/context.h on x86-64 (the switch is in switch.S).
#include "gdt.h"
#include "percpu.h"
#include <arch/context.h>

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
}

void context_switch(ThreadContext& from, ThreadContext& to) { x86_switch(&from.rsp, to.rsp); }

void set_kernel_stack(uptr stack_top)
{
    x86::tss_set_kernel_stack(stack_top);
    asm volatile("movq %0, %%gs:%c1" ::"r"(stack_top), "i"(offsetof(x86::PerCpu, kernel_rsp)));
}

} // namespace arch
