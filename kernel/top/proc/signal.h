// kernel/top/proc/signal.h -- POSIX signals, with Linux's numbers and structures.
//
// A signal is a bit in a process's pending set (Process::m_sig_pending).
// Sending one (send_signal) sets the bit and, unless the process blocks it,
// interrupts the process's thread: a wait_interruptible it sleeps in ends
// (the call returns EINTR) and the thread, on its way back to user mode
// (deliver_signals, called by the arch code after every system call and
// every interrupt or exception from user mode), takes the signal:
//
//   handler      push Linux's rt_sigframe (siginfo + ucontext with the
//                saved registers and signal mask) on the user stack -- or
//                on the alternate stack, for SA_ONSTACK -- and resume at
//                the handler; its return goes through
//                sa_restorer, which calls rt_sigreturn to pop the frame
//                (arch/x86_64/signal.cpp)
//   SIG_IGN      dropped
//   SIG_DFL      the default action: terminate (most), ignore (SIGCHLD,
//                SIGURG, SIGWINCH, SIGCONT), stop (SIGSTOP, SIGTSTP,
//                SIGTTIN, SIGTTOU) until SIGCONT or SIGKILL
//
// A terminal stop (SIGTSTP, SIGTTIN, SIGTTOU) taken with SIG_DFL does
// nothing in an orphaned process group (POSIX; see is_orphaned_pgrp_locked).
// SIGKILL and SIGSTOP cannot be caught, blocked or ignored. A CPU exception
// in user mode is a forced signal (force_signal): it is delivered even if
// blocked or ignored, as Linux does, so a fault never loops for ever.
// See docs/processes.md ("Signals").
#pragma once

#include <kernel/base/abi/linux/signal.h>
#include <kernel/base/abi/linux/unistd.h>
#include <arch/usermode.h>
#include <kernel/base/lib/error_or.h>

namespace kern {

class Process;

// Linux's signal numbers, SIG_DFL/SIG_IGN and sa_flags bits, under the
// kernel's names (kernel/base/abi/linux/signal.h).
using uapi::SIGHUP, uapi::SIGINT, uapi::SIGQUIT, uapi::SIGILL, uapi::SIGTRAP, uapi::SIGABRT,
    uapi::SIGBUS, uapi::SIGFPE, uapi::SIGKILL, uapi::SIGUSR1, uapi::SIGSEGV, uapi::SIGUSR2,
    uapi::SIGPIPE, uapi::SIGALRM, uapi::SIGTERM, uapi::SIGSTKFLT, uapi::SIGCHLD, uapi::SIGCONT,
    uapi::SIGSTOP, uapi::SIGTSTP, uapi::SIGTTIN, uapi::SIGTTOU, uapi::SIGURG, uapi::SIGXCPU,
    uapi::SIGXFSZ, uapi::SIGVTALRM, uapi::SIGPROF, uapi::SIGWINCH, uapi::SIGIO, uapi::SIGPWR,
    uapi::SIGSYS, uapi::NSIG;
using uapi::SIG_DFL, uapi::SIG_IGN;
using uapi::SA_NOCLDSTOP, uapi::SA_NOCLDWAIT, uapi::SA_SIGINFO, uapi::SA_RESTORER, uapi::SA_ONSTACK,
    uapi::SA_RESTART, uapi::SA_NODEFER, uapi::SA_RESETHAND;

// One bit per signal: bit (sig - 1). The layout of Linux's kernel sigset_t.
using SigSet = u64;
constexpr SigSet sig_bit(int sig) { return SigSet(1) << (sig - 1); }
constexpr SigSet UNBLOCKABLE = sig_bit(SIGKILL) | sig_bit(SIGSTOP);

// rt_sigaction's struct (the kernel's layout, not libc's).
struct SigAction {
    uptr handler = SIG_DFL;
    u64 flags = 0;
    uptr restorer = 0;
    SigSet mask = 0;
};
static_assert(sizeof(SigAction) == 32);

// What a handler with SA_SIGINFO gets to know (the fields we fill).
struct SigInfo {
    int signo = 0;
    int code = 0;     // SI_USER (0), SI_KERNEL (0x80), SEGV_MAPERR (1), ...
    u32 pid = 0;      // sender, for kill()
    uptr address = 0; // fault address, for SIGSEGV/SIGBUS
};
using uapi::SI_USER, uapi::SI_KERNEL, uapi::SEGV_MAPERR, uapi::SEGV_ACCERR, uapi::BUS_ADRERR;

// ---- the alternate signal stack (sigaltstack(2); Linux's sas_ss_*) ----
// A thread may name a block of its memory where the handlers that ask for
// it (SA_ONSTACK) run, so that one can run even when the normal stack is
// used up (a SIGSEGV from a runaway recursion). The setting is Linux's
// stack_t; `flags` keeps what the program set (0 or SS_ONSTACK, with
// SS_AUTODISARM on top; SS_DISABLE with size 0 when there is none). The
// signal frame's uc_stack saves it and rt_sigreturn sets it again.
using uapi::SS_ONSTACK, uapi::SS_DISABLE, uapi::SS_AUTODISARM;
using uapi::MINSIGSTKSZ;  // smaller is ENOMEM
struct SigAltStack {
    uptr sp = 0;      // the lowest address
    u32 flags = 0;
    u32 pad = 0;
    u64 size = 0;     // 0: no alternate stack
};
static_assert(sizeof(SigAltStack) == 24);

// Does `sp` lie in the stack (sp - 1 is its top byte)? (Linux's __on_sig_stack.)
inline bool alt_stack_contains(const SigAltStack& s, uptr sp)
{
    return sp > s.sp && sp - s.sp <= s.size;
}
// Linux's on_sig_stack: the same, except that a stack set with
// SS_AUTODISARM never counts as "on" (it is disarmed while a handler uses
// it, so a stale or corrupt rsp near it cannot lock the program out of it).
inline bool on_alt_stack(const SigAltStack& s, uptr sp)
{
    return !(s.flags & SS_AUTODISARM) && alt_stack_contains(s, sp);
}
// What sigaltstack reports for code running at `sp`: SS_DISABLE (none),
// SS_ONSTACK (running on it), or 0 (set, not in use). (Linux's sas_ss_flags.)
inline u32 alt_stack_state(const SigAltStack& s, uptr sp)
{
    if (!s.size)
        return SS_DISABLE;
    return on_alt_stack(s, sp) ? SS_ONSTACK : 0;
}
// sigaltstack for `p`'s thread running at user stack pointer `sp`: report
// the setting in `old` (if not null; its flags as alt_stack_state, plus
// SS_AUTODISARM if set), then install `wanted` (if not null). `old` is
// filled even when it fails. Errors: EPERM (`sp` is on the current
// alternate stack), EINVAL (a mode other than 0, SS_ONSTACK, SS_DISABLE,
// with SS_AUTODISARM allowed on top), ENOMEM (size below MINSIGSTKSZ).
// => called on `p`'s own thread (the setting is only its thread's).
ErrorOr<void> change_alt_stack(Process& p, const SigAltStack* wanted, SigAltStack* old, uptr sp);

// Send `sig` (1..64; 0 only checks) to `p`, from `sender_pid` (0: the kernel).
void send_signal(Process& p, int sig, u32 sender_pid = 0);
// kill(2)'s targets: a pid (> 0), a process group (pid < -1: -pgid; 0:
// the caller's group), or everyone but init (-1). Errors: ESRCH (nobody),
// EINVAL (a bad signal number).
ErrorOr<void> kill(i64 pid, int sig);
// Is `sig` ignored when its action is SIG_DFL (SIGCHLD, SIGURG, SIGWINCH)?
bool ignored_by_default(int sig);
// Send `sig` to every process of group `pgid` (the terminal's Ctrl-C).
// Errors: ESRCH (an empty group).
ErrorOr<void> signal_process_group(u32 pgid, int sig);
// Job control for a terminal (fs/dev/tty.cpp; Linux's __tty_check_change).
// The current process, in the terminal's session but not in its foreground
// process group, reads it (`sig` = SIGTTIN) or writes it with TOSTOP set or
// changes its settings (SIGTTOU):
//   the caller blocks or ignores `sig`   SIGTTIN: EIO; SIGTTOU: success, go on
//   the caller's group is orphaned      EIO (nobody would continue it)
//   otherwise                           `sig` goes to the caller's whole group
//                                       and EINTR: return it as the call's
//                                       result; the call restarts after the
//                                       stop and continue (return_to_user)
ErrorOr<void> background_terminal_access(int sig);
// The current process raised a CPU exception: deliver `info.signo` at the
// next return to user mode even if it is blocked or ignored (then as SIG_DFL).
void force_signal(const SigInfo& info);

// ---- the current process's actions and mask (the signal calls) ----
// Each takes the tree lock itself. SIGKILL and SIGSTOP are never blocked;
// a change that unblocks a pending signal interrupts the caller at once.

// rt_sigaction: the action for `sig`, replaced by `*next` if not null.
// Setting SIG_IGN (or SIG_DFL of an ignored-by-default signal) discards a
// pending `sig` (POSIX). Returns the old action. => 1 <= sig <= NSIG; `next`
// is null for SIGKILL and SIGSTOP.
SigAction exchange_signal_action(int sig, const SigAction* next);
// rt_sigprocmask: apply `*set` as `how` says (uapi::SIG_BLOCK, SIG_UNBLOCK,
// SIG_SETMASK), if `set` is not null. Returns the old mask.
// => `how` is one of the three when `set` is not null.
SigSet change_signal_mask(u32 how, const SigSet* set);
// rt_sigpending: the signals that are pending and blocked.
SigSet blocked_pending_signals();
// rt_sigsuspend: put `mask` in place until a signal comes; it stays for
// the handler and the old mask returns after it (rt_sigreturn). Returns
// when the sleep is interrupted (the call's EINTR).
void wait_for_signal_with_mask(SigSet mask);

// ppoll's and pselect6's mask: `mask` in place for the call, then the old
// one back -- at once, or after the handler if the call ends with EINTR
// (then as rt_sigsuspend's). => on the current process's thread.
class TemporarySignalMask {
public:
    // Put `mask` in place; a pending signal it unblocks interrupts the
    // wait at once.
    explicit TemporarySignalMask(SigSet mask);
    // The call ends: after EINTR the old mask returns after the handler
    // runs, otherwise now.
    void finish(bool interrupted);

private:
    Process& m_process;
    SigSet m_old = 0;
};

// ---- continuing an interrupted sleep (Linux's restart_block) ----
// A relative sleep (nanosleep, clock_nanosleep without TIMER_ABSTIME) or a
// poll that a signal interrupts, and that no handler follows -- the signal
// was ignored, or stopped and continued the process -- must not start its
// whole timeout again. Before it returns EINTR it saves here what is left
// to do (arm_restart_block): a continuation and its state, with the
// deadline made absolute. return_to_user then sends the program back into
// restart_syscall (219) instead of into the original call, and
// restart_syscall runs the continuation (run_restart_block), which goes on
// to the same deadline. The block is the process's thread's own (no lock).
using uapi::SYS_RESTART_SYSCALL;  // kernel/base/abi/linux/unistd.h

struct RestartBlock {
    // The rest of the call; it may arm the block again (another EINTR).
    using Continuation = ErrorOr<u64> (*)(const RestartBlock&);
    Continuation fn = nullptr;  // nullptr: nothing to continue
    bool armed = false;         // set by the call that just returned EINTR
    u64 deadline = 0;           // absolute, monotonic ns (poll: ~0 for none)
    i64 clock = 0;              // nanosleep, clock_nanosleep: the clock slept on
    uptr user_rem = 0;          // nanosleep, clock_nanosleep: where the time left goes (0: nowhere)
    uptr user_fds = 0;          // poll: struct pollfd[nfds]
    u64 nfds = 0;
    void* object = nullptr;     // mount (MFS): the device the server serves
    // The call will never be continued -- a handler ran instead, or the
    // process exits (killed while stopped, say): let go of what the block
    // holds. nullptr: nothing to let go (a sleep's deadline).
    using Abandon = void (*)(const RestartBlock&);
    Abandon abandon = nullptr;
};

// The current call is about to return EINTR: if no handler runs, continue
// with `block` (its fn not null) through restart_syscall. Replaces any
// earlier block. => called on the process's own thread, in a system call.
void arm_restart_block(const RestartBlock& block);
// The current process exits: its block, if any, will never be continued
// (its abandon runs). => process_exit, on the process's own thread.
void abandon_restart_block();
// restart_syscall: take the block and run its continuation. Returns its
// result. Errors: EINTR if there is none (Linux's do_no_restart_syscall),
// and the continuation's.
ErrorOr<u64> run_restart_block();

// Will the current process's pending signals end the system call in
// progress for good -- one that terminates the process or runs a handler --
// rather than only stop the process for a while or be ignored (after which
// a restart block continues the call)? For calls that must know whether
// they will be continued: MFS's server (kernel/top/syscall/sys_mount.cpp).
bool pending_signals_end_call();

// On the way back to user mode (after every system call, interrupt and
// exception from user mode), with interrupts on: take every pending,
// unblocked signal of the current process. `regs` is the saved user
// register block (arch::current_user_regs()); `syscall_number` is the call
// just made, or -1 after an interrupt. A call that failed with EINTR is
// restarted when no handler ran (through restart_syscall if it armed a
// restart block, else re-issued with the same registers) or when the
// handler has SA_RESTART (restartable calls only). May not return (a fatal
// signal).
void return_to_user(arch::UserRegs& regs, i64 syscall_number);

} // namespace kern
