// arch/include/arch/context.h -- switching between kernel threads.
//
// A thread's CPU state, while it is not running, is a stack pointer: its
// callee-saved registers were pushed on its own kernel stack by
// context_switch(), which then loads another thread's stack pointer and pops
// that thread's registers. A new thread's stack is prepared by context_init()
// so that its first switch "returns" into kern_thread_start(entry, arg).
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

// Per-thread CPU state kept across switches: the kernel stack pointer, and
// the user-visible state the kernel itself does not use -- the FPU/SSE
// registers (FXSAVE format) and the user thread pointer (x86: FS base).
struct alignas(16) ThreadContext {
    uptr rsp = 0;
    uptr user_thread_pointer = 0;
    alignas(16) u8 fpu[512] = {};
};

using ThreadEntry = void (*)(void*);

// Prepare `ctx` to start `entry(arg)` on the stack ending at `stack_top`.
void context_init(ThreadContext& ctx, void* stack_top, ThreadEntry entry, void* arg);

// Save the running thread's state in `from`, resume the thread of `to`.
// Returns when some CPU switches back to `from`.
void context_switch(ThreadContext& from, ThreadContext& to);

// The stack the CPU uses when entering the kernel from user mode
// (x86: TSS.rsp0 and the syscall entry's stack). Set on every switch.
void set_kernel_stack(uptr stack_top);

} // namespace arch

// Defined by the scheduler: the first code a new thread runs, with the
// scheduler lock held (it releases it) and interrupts off.
extern "C" [[noreturn]] void kern_thread_start(arch::ThreadEntry entry, void* arg);
