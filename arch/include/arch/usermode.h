// arch/include/arch/usermode.h -- leaving the kernel for user mode, and the saved user registers.
#pragma once

#include <kernel/base/lib/error_or.h>

namespace kern {
struct SigAltStack;  // kernel/top/proc/signal.h
}

namespace arch {

// Start running user code at `rip` with stack pointer `rsp`, all other
// registers zero, interrupts on. The current thread's kernel stack is where
// its system calls and interrupts will land. Never returns: the thread comes
// back into the kernel only through system calls, faults and interrupts.
[[noreturn]] void enter_user_mode(uptr rip, uptr rsp);

// The user thread-pointer register (x86: FS base, set by arch_prctl and by
// the C library's TLS set-up); saved and restored per thread on switches.
void set_user_thread_pointer(uptr value);
uptr user_thread_pointer();

// ---- the FPU/SSE state of user code -------------------------------------
// The kernel never uses the FPU, so the live registers are always the
// current thread's user state. fork copies them to the child.
struct FpuState {
    alignas(16) u8 bytes[512];
};
void fpu_save(FpuState& state);
void fpu_load(const FpuState& state);
// The state a new program (and a signal handler) starts with.
void fpu_reset();

// ---- the saved user registers -------------------------------------------
// Every entry from user mode (system call, interrupt, exception) saves the
// user's registers in one block at the top of the thread's kernel stack
// (x86: a TrapFrame). fork copies it, execve resets it, signals rewrite it.
struct UserRegs;
constexpr size_t USER_REGS_SIZE = 22 * 8;

// The current thread's block. => called from a system call or a trap that
// came from user mode.
UserRegs& current_user_regs();
// Return to user mode with a copy of `regs` (fork's child: the parent's
// registers with the result register set to 0).
[[noreturn]] void enter_user_mode_with(const UserRegs& regs);
void user_regs_set_result(UserRegs& regs, u64 value);
u64 user_regs_result(const UserRegs& regs);
uptr user_regs_pc(const UserRegs& regs);
uptr user_regs_sp(const UserRegs& regs);
void user_regs_set_stack(UserRegs& regs, uptr sp);
// execve: the new program starts at `rip` with stack `rsp`, every other
// register zero, and a fresh FPU state.
void user_regs_reset(UserRegs& regs, uptr rip, uptr rsp);
// A system call interrupted by a signal whose handler has SA_RESTART: make
// the return to user mode execute the `syscall` instruction again with
// `number` in the number register.
void user_regs_restart_syscall(UserRegs& regs, u64 number);

// ---- signal frames (arch/x86_64/signal.cpp) ------------------------------
struct SignalFrameInfo {
    int signo;
    int code;
    u32 sender_pid;
    uptr address;      // fault address (SIGSEGV, SIGBUS)
    uptr handler;
    uptr restorer;     // sa_restorer: its code calls rt_sigreturn
    u64 saved_mask;    // the signal mask to restore on return
    bool on_stack;     // the handler has SA_ONSTACK
    const kern::SigAltStack* alt_stack;  // the thread's sigaltstack setting
};
// Push Linux's rt_sigframe (return address, ucontext with the registers,
// `saved_mask` and the alternate-stack setting, siginfo, FPU state) below
// the user stack pointer -- or at the top of the alternate stack, when the
// handler has SA_ONSTACK and the thread has one it is not already on --
// and point `regs` at the handler: handler(signo, &info, &ucontext).
// Errors: EFAULT (the stack is bad, or the frame would overflow the alternate
// stack: the caller forces SIGSEGV).
kern::ErrorOr<void> push_signal_frame(UserRegs& regs, const SignalFrameInfo& info);
// rt_sigreturn: restore the registers and FPU state from the frame the
// handler returned through, and give back the frame's uc_stack in
// `uc_stack` (the caller sets it again). Returns the saved mask. Errors:
// EFAULT (a bad frame).
kern::ErrorOr<u64> pop_signal_frame(UserRegs& regs, kern::SigAltStack& uc_stack);

} // namespace arch
