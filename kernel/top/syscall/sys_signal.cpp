// kernel/top/syscall/sys_signal.cpp -- signal calls: kill, rt_sigaction, rt_sigprocmask, sigaltstack, ...
//
// The work is in kernel/top/proc/signal.cpp (sending, delivering, the
// restart of interrupted calls); these handlers check and copy the user's
// arguments. Linux's conventions:
//   kill          pid > 0 a process, 0 the caller's group, -1 everyone it
//                 may signal, < -1 the group -pid; sig 0 only checks
//   tgkill, tkill a thread is its process here (one thread per process)
//   rt_sigaction  the kernel's struct sigaction (handler, flags, restorer,
//                 mask) and sigsetsize 8; setting SIG_IGN, or SIG_DFL of a
//                 signal ignored by default, discards one pending (POSIX)
//   rt_sigprocmask, rt_sigsuspend  SIGKILL and SIGSTOP are never blocked;
//                 unblocking a pending signal interrupts the caller at once
//   rt_sigreturn  pops the frame a handler was entered with
//                 (arch/x86_64/signal.cpp)
//   restart_syscall  runs the restart block an interrupted sleep or poll
//                 left (kernel/top/proc/signal.h: RestartBlock)
//
// Read more: Linux kernel/signal.c (do_sigaction, sigprocmask,
// sigsuspend, do_sigaltstack), arch/x86/kernel/signal.c (rt_sigreturn);
// signal(7), sigaction(2), sigprocmask(2), sigaltstack(2).
#include <arch/usermode.h>
#include <kernel/base/abi/linux/signal.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/signal.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

// ---- sending ----

// kill(pid, sig). Errors: EINVAL (sig), ESRCH (no such process or group).
static ErrorOr<u64> sys_kill(pid_t pid, int sig)
{
    TRY(kern::kill(pid, sig));
    return 0;
}
SYSCALL(62, kill);

// tgkill(tgid, tid, sig) and tkill(tid, sig): a thread is its process here.
// Errors: EINVAL (an id <= 0, sig), ESRCH (tid is not in tgid; no such thread).
static ErrorOr<u64> sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
    if (tgid <= 0 || tid <= 0)
        return Errno::EINVAL;
    if (tgid != tid)
        return Errno::ESRCH;
    TRY(kern::kill(tid, sig));
    return 0;
}
SYSCALL(234, tgkill);

static ErrorOr<u64> sys_tkill(pid_t tid, int sig)
{
    if (tid <= 0)
        return Errno::EINVAL;
    TRY(kern::kill(tid, sig));
    return 0;
}
SYSCALL(200, tkill);

// ---- actions and the mask ----

// rt_sigaction(sig, act, oldact, sigsetsize). Errors, in Linux's order:
// EINVAL (the size), EFAULT (the copy of act), EINVAL (the signal;
// SIGKILL and SIGSTOP cannot be changed), EFAULT (the copy of oldact).
static ErrorOr<u64> sys_rt_sigaction(int sig, UserPtr<const SigAction> act, UserPtr<SigAction> oldact,
                                     size_t sigsetsize)
{
    if (sigsetsize != sizeof(SigSet))
        return Errno::EINVAL;
    SigAction next;
    if (act)
        TRY(copy_from_user(&next, act));
    if (sig < 1 || sig > NSIG || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return Errno::EINVAL;
    SigAction old = exchange_signal_action(sig, act ? &next : nullptr);
    if (oldact)
        TRY(copy_to_user(oldact, &old));
    return 0;
}
SYSCALL(13, rt_sigaction);

// rt_sigprocmask(how, set, oldset, sigsetsize). Errors, in Linux's order:
// EINVAL (the size), EFAULT (the copy of the set), EINVAL (`how`, looked
// at only when there is a set to apply), EFAULT (the copy of oldset).
static ErrorOr<u64> sys_rt_sigprocmask(int how_arg, UserPtr<const SigSet> user_set, UserPtr<SigSet> oldset,
                                       size_t sigsetsize)
{
    if (sigsetsize != sizeof(SigSet))
        return Errno::EINVAL;
    SigSet set = 0;
    u32 how = u32(how_arg);
    if (user_set) {
        TRY(copy_from_user(&set, user_set));
        if (how > u32(uapi::SIG_SETMASK))
            return Errno::EINVAL;
    }
    SigSet old = change_signal_mask(how, user_set ? &set : nullptr);
    if (oldset)
        TRY(copy_to_user(oldset, &old));
    return 0;
}
SYSCALL(14, rt_sigprocmask);

// rt_sigpending(set, sigsetsize): as Linux, a size below 8 copies that
// many bytes (the low signals). Errors: EINVAL (a size above 8), EFAULT.
static ErrorOr<u64> sys_rt_sigpending(UserPtr<u8> set, size_t sigsetsize)
{
    if (sigsetsize > sizeof(SigSet))
        return Errno::EINVAL;
    SigSet pending = blocked_pending_signals();
    TRY(copy_to_user(set, reinterpret_cast<const u8*>(&pending), sigsetsize));
    return 0;
}
SYSCALL(127, rt_sigpending);

// ---- handlers ----

// rt_sigreturn(): back from a handler (arch/x86_64/signal.cpp pops the frame).
// The frame's uc_stack is set again as sigaltstack would from the restored
// rsp, its errors ignored (Linux's restore_altstack): that re-arms an
// SS_AUTODISARM stack, and leaves alone one the interrupted code was on.
// Returns the interrupted code's rax. Errors: EFAULT (a bad frame: SIGSEGV
// is forced).
static ErrorOr<u64> sys_rt_sigreturn()
{
    arch::UserRegs& regs = arch::current_user_regs();
    SigAltStack uc_stack;
    auto mask = arch::pop_signal_frame(regs, uc_stack);
    if (mask.is_error()) {
        SigInfo info;
        info.signo = SIGSEGV;
        info.code = SI_KERNEL;
        force_signal(info);
        return Errno::EFAULT;
    }
    (void)change_alt_stack(*Process::current(), &uc_stack, nullptr, arch::user_regs_sp(regs));
    (void)change_signal_mask(uapi::SIG_SETMASK, &mask.value());
    // The restored rax goes back through the syscall return path.
    return arch::user_regs_result(regs);
}
SYSCALL(15, rt_sigreturn);

// restart_syscall(): where a sleep or poll that a signal interrupted, and
// no handler followed, goes on (return_to_user puts this number in rax;
// kernel/top/proc/signal.h: RestartBlock). Returns the continued call's
// result. Errors: the continued call's; EINTR with nothing to continue
// (Linux's do_no_restart_syscall: after a handler, or called by a program).
static ErrorOr<u64> sys_restart_syscall() { return run_restart_block(); }
SYSCALL(219, restart_syscall);

// ---- waiting for a signal ----

// rt_sigsuspend(mask, sigsetsize): wait for a signal with `mask` in place.
// Errors: EINTR (always: a signal came), EINVAL (the size), EFAULT.
static ErrorOr<u64> sys_rt_sigsuspend(UserPtr<const SigSet> user_mask, size_t sigsetsize)
{
    if (sigsetsize != sizeof(SigSet))
        return Errno::EINVAL;
    SigSet mask;
    TRY(copy_from_user(&mask, user_mask));
    wait_for_signal_with_mask(mask);
    return Errno::EINTR;
}
SYSCALL(130, rt_sigsuspend);

// pause(): wait for a signal. Errors: EINTR (always).
static ErrorOr<u64> sys_pause()
{
    SpinGuard guard(process_tree_lock());
    WaitQueue never;
    while (never.wait_interruptible(process_tree_lock()) != WaitQueue::Result::Interrupted) {
    }
    return Errno::EINTR;
}
SYSCALL(34, pause);

// sigaltstack(ss, old_ss): the thread's alternate signal stack (stack_t
// is SigAltStack; the rules are change_alt_stack's, kernel/top/proc/signal.cpp).
// Errors, in Linux's order: EFAULT (copying `ss` in), EPERM, EINVAL,
// ENOMEM (the change), and only if that worked EFAULT (copying the old
// setting out).
static ErrorOr<u64> sys_sigaltstack(UserPtr<const SigAltStack> ss, UserPtr<SigAltStack> old_ss)
{
    SigAltStack wanted, old;
    if (ss)
        TRY(copy_from_user(&wanted, ss));
    uptr sp = arch::user_regs_sp(arch::current_user_regs());
    TRY(change_alt_stack(*Process::current(), ss ? &wanted : nullptr, old_ss ? &old : nullptr, sp));
    if (old_ss)
        TRY(copy_to_user(old_ss, &old));
    return 0;
}
SYSCALL(131, sigaltstack);

} // namespace kern
