// kernel/top/syscall/sys_process.cpp -- process calls: fork, execve, exit, wait4, ids, groups, signals.
//
// The work is in kernel/top/proc/ (fork.cpp, exec.cpp, process.cpp, signal.cpp);
// these handlers check and copy the user's arguments. Linux's conventions:
//   wait4 status  exit code << 8, or the signal number (no core dumps);
//                 a stop is (sig << 8) | 0x7f, a continue 0xffff
//   wait4 rusage  what the child used, with its own reaped children (a
//                 stopped or continued child: so far); reaping adds the
//                 same to the caller's RUSAGE_CHILDREN (kernel/top/proc/process.cpp)
//   clone         only process-creating flag sets (no CLONE_THREAD: one
//                 thread per process); CLONE_VM only with CLONE_VFORK (the
//                 child borrows the parent's memory until its execve or
//                 exit, as vfork)
//                 (kernel/top/proc/fork.cpp says why); CHILD_SETTID, PARENT_SETTID,
//                 SETTLS and the exit signal are honoured; CHILD_CLEARTID is
//                 accepted and ignored (it matters only to threads)
//   rt_sigaction  the kernel's struct sigaction (handler, flags, restorer,
//                 mask) and sigsetsize 8
//   restart_syscall  runs the restart block an interrupted sleep or poll
//                 left (kernel/top/proc/signal.h: RestartBlock)
#include <arch/usercopy.h>
#include <arch/usermode.h>
#include <fs/vfs/types.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/syscall/syscall.h>
#include <vm/vm.h>

namespace kern {

namespace {

// ---- execve's argument vectors ----

constexpr size_t MAX_ARGS = 8192;                // strings in argv + envp together
constexpr size_t MAX_ARG_BYTES = 128 * 1024;     // their bytes (E2BIG above); also one string's limit

struct ArgBudget {
    size_t bytes = MAX_ARG_BYTES;
    size_t strings = MAX_ARGS;
};

// A kernel copy of a user NULL-terminated array of strings, charged to
// `budget`. => EFAULT, E2BIG, ENOMEM.
ErrorOr<char**> copy_string_vector(uptr user_array, ArgBudget& budget)
{
    size_t n = 0;
    if (user_array) {
        for (;; ++n) {
            if (n >= budget.strings)
                return Errno::E2BIG;
            u64 ptr;
            TRY(arch::copy_from_user(&ptr, user_array + n * 8, 8));
            if (!ptr)
                break;
        }
    }
    auto** out = static_cast<char**>(kzalloc((n + 1) * sizeof(char*)));
    if (!out)
        return Errno::ENOMEM;
    budget.strings -= n;
    auto* buf = static_cast<char*>(kmalloc(MAX_ARG_BYTES));
    if (!buf) {
        kfree(out);
        return Errno::ENOMEM;
    }
    for (size_t i = 0; i < n; ++i) {
        u64 ptr;
        auto r = arch::copy_from_user(&ptr, user_array + i * 8, 8);
        auto len = r.is_error() ? ErrorOr<size_t>(r.error())
                                : arch::copy_string_from_user(buf, ptr, MAX_ARG_BYTES);
        Errno e = Errno::ENOMEM;
        if (len.is_error())
            e = len.error() == Errno::ENAMETOOLONG ? Errno::E2BIG : len.error();
        else if (len.value() + 1 > budget.bytes)
            e = Errno::E2BIG;
        else if ((out[i] = static_cast<char*>(kmalloc(len.value() + 1))))
            memcpy(out[i], buf, len.value() + 1);
        if (!out[i]) {
            kfree(buf);
            free_string_array(out);
            return e;
        }
        budget.bytes -= len.value() + 1;
    }
    kfree(buf);
    return out;
}

// ---- wait4 ----

constexpr u64 WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8;
constexpr u64 WAIT_KNOWN = WNOHANG | WUNTRACED | WCONTINUED | 0x01000000 /* WNOWAIT: refused below */ |
                           0x20000000 | 0x40000000 | 0x80000000;  // __WNOTHREAD, __WALL, __WCLONE

bool matches(const Process& caller, const Process& child, i64 pid)
{
    if (pid > 0)
        return child.pid() == u64(pid);
    if (pid == 0)
        return child.pgid() == caller.pgid();
    if (pid == -1)
        return true;
    return child.pgid() == u64(-pid);
}

// One look at the children. => 1: `found` is a zombie to reap; 2: a stop or
// continue to report (status in `status`); 0: nothing yet; ECHILD.
ErrorOr<int> scan_children_locked(Process& self, i64 pid, u64 options, Process*& found, int& status)
{
    bool any = false;
    for (Process& child : self.m_children) {
        if (!matches(self, child, pid))
            continue;
        any = true;
        if (child.m_state == Process::State::Zombie) {
            found = &child;
            return 1;
        }
        if ((options & WUNTRACED) && child.m_stopped && !child.m_stop_reported) {
            child.m_stop_reported = true;
            found = &child;
            status = (child.m_stop_signal << 8) | 0x7f;
            return 2;
        }
        if ((options & WCONTINUED) && child.m_continued) {
            child.m_continued = false;
            found = &child;
            status = 0xffff;
            return 2;
        }
    }
    if (!any)
        return Errno::ECHILD;
    return 0;
}

} // namespace

// ---- creating and ending processes ----

SYSCALL(57, fork) { return u64(TRY(fork_current(arch::current_user_regs(), ForkOptions{}))); }

// vfork: the child borrows our memory and we sleep until its execve or
// exit (kernel/top/proc/fork.cpp).
SYSCALL(58, vfork)
{
    ForkOptions options;
    options.share_memory = true;
    options.wait_for_release = true;
    return u64(TRY(fork_current(arch::current_user_regs(), options)));
}

// clone(flags, stack, parent_tid, child_tid, tls)
SYSCALL(56, clone)
{
    constexpr u64 CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
                  CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000,
                  CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
                  CLONE_CHILD_SETTID = 0x1000000;
    u64 flags = a.a0;
    if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES))
        return Errno::EINVAL;  // shared tables need threads: not supported
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return Errno::EINVAL;
    constexpr u64 KNOWN = 0xff | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID |
                          CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
    if (flags & ~KNOWN)
        return Errno::EINVAL;
    ForkOptions options;
    options.stack = a.a1;
    options.set_tls = flags & CLONE_SETTLS;
    options.tls = a.a4;
    options.child_tid = (flags & CLONE_CHILD_SETTID) ? a.a3 : 0;
    options.exit_signal = u8(flags & 0xff);
    options.share_memory = flags & CLONE_VM;
    options.wait_for_release = flags & CLONE_VFORK;
    if (options.exit_signal > NSIG)
        return Errno::EINVAL;
    u32 pid = TRY(fork_current(arch::current_user_regs(), options));
    if (flags & CLONE_PARENT_SETTID)
        (void)arch::copy_to_user(a.a2, &pid, sizeof(pid));
    return pid;
}

// execve(path, argv, envp)
SYSCALL(59, execve)
{
    char* path = static_cast<char*>(kmalloc(fs::PATH_MAX));
    if (!path)
        return Errno::ENOMEM;
    auto len = arch::copy_string_from_user(path, a.a0, fs::PATH_MAX);
    if (len.is_error()) {
        kfree(path);
        return len.error();
    }
    ArgBudget budget;
    auto argv = copy_string_vector(a.a1, budget);
    auto envp = argv.is_error() ? ErrorOr<char**>(argv.error()) : copy_string_vector(a.a2, budget);
    ErrorOr<ExecImage> result = Errno::ENOMEM;
    if (argv.is_error())
        result = argv.error();
    else if (envp.is_error())
        result = envp.error();
    else
        result = exec_current(StringView(path, len.value()), argv.value(), envp.value());
    if (!argv.is_error())
        free_string_array(argv.value());
    if (!envp.is_error())
        free_string_array(envp.value());
    kfree(path);
    if (result.is_error())
        return result.error();
    arch::user_regs_reset(arch::current_user_regs(), result.value().entry,
                          result.value().stack_pointer);
    return 0;  // rax of the new program
}

// exit(status) and exit_group(status): one thread per process, so the same.
SYSCALL(231, exit_group) { process_exit(int(a.a0 & 0xff) << 8); }
SYSCALL_ALIAS(60, exit, sys_exit_group);

// wait4(pid, status, options, rusage)
SYSCALL(61, wait4)
{
    i64 pid = i64(i32(a.a0));
    u64 options = a.a2;
    if ((options & ~WAIT_KNOWN) || (options & 0x01000000))
        return Errno::EINVAL;
    if (pid == i64(INT32_MIN))
        return Errno::ESRCH;
    Process& self = *Process::current();
    for (;;) {
        Process* found = nullptr;
        int status = 0;
        int kind;
        Usage used;
        {
            SpinGuard guard(process_tree_lock());
            auto scan = scan_children_locked(self, pid, options, found, status);
            if (scan.is_error())
                return scan.error();
            kind = scan.value();
            if (kind == 0) {
                if (options & WNOHANG)
                    return 0;
                if (self.m_child_waiters.wait_interruptible(process_tree_lock()) ==
                    WaitQueue::Result::Interrupted)
                    return Errno::EINTR;
                continue;
            }
            // The rusage: the child's own and its reaped children's (Linux's
            // RUSAGE_BOTH); final for a zombie, so the same after the reap.
            used = process_usage_locked(*found);
            used.add(process_children_usage_locked(*found));
        }
        u32 child_pid = found->pid();
        if (kind == 1 && !reap_child(self, *found, status))
            continue;  // someone else reaped it
        if (a.a1)
            TRY(arch::copy_to_user(a.a1, &status, sizeof(status)));
        if (a.a3) {
            const LinuxRusage usage = to_linux_rusage(used);
            TRY(arch::copy_to_user(a.a3, &usage, sizeof(usage)));
        }
        return child_pid;
    }
}

// ---- identities ----

SYSCALL(39, getpid) { return u64(Process::current()->pid()); }
SYSCALL(186, gettid) { return u64(Process::current()->pid()); }
SYSCALL(110, getppid) { return u64(Process::current()->ppid()); }

// set_tid_address(ptr): remembered for thread exit by Linux; we have one
// thread per process, so only the tid is returned.
SYSCALL(218, set_tid_address) { return u64(Process::current()->pid()); }

// setpgid(pid, pgid): the caller or its child, into a group of the same
// session. Linux's order (kernel/sys.c): => EINVAL (pgid < 0), ESRCH (not
// the caller nor its child), EPERM (a child in another session), EACCES (a
// child that has called execve), EPERM (a session leader; a group that is
// not in the caller's session).
SYSCALL(109, setpgid)
{
    Process& self = *Process::current();
    i64 pid = i64(i32(a.a0)), pgid = i64(i32(a.a1));
    if (pgid < 0)
        return Errno::EINVAL;
    SpinGuard guard(process_tree_lock());
    Process* target = pid == 0 ? &self : Process::find_locked(u32(pid));
    if (!target || (target != &self && target->m_parent != &self))
        return Errno::ESRCH;
    if (target->sid() != self.sid())
        return Errno::EPERM;
    if (target != &self && target->m_did_exec)
        return Errno::EACCES;
    if (target->pid() == target->sid())
        return Errno::EPERM;  // a session leader stays in its group
    u32 group = pgid == 0 ? target->pid() : u32(pgid);
    if (group != target->pid() && !group_exists_in_session_locked(group, self.sid()))
        return Errno::EPERM;
    __atomic_store_n(&target->m_pgid, group, __ATOMIC_RELAXED);
    return 0;
}

SYSCALL(121, getpgid)
{
    i64 pid = i64(i32(a.a0));
    if (pid == 0)
        return u64(Process::current()->pgid());
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(u32(pid));
    if (!p)
        return Errno::ESRCH;
    return u64(p->pgid());
}

SYSCALL(111, getpgrp) { return u64(Process::current()->pgid()); }

SYSCALL(124, getsid)
{
    i64 pid = i64(i32(a.a0));
    if (pid == 0)
        return u64(Process::current()->sid());
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(u32(pid));
    if (!p)
        return Errno::ESRCH;
    return u64(p->sid());
}

SYSCALL(112, setsid)
{
    Process& self = *Process::current();
    SpinGuard guard(process_tree_lock());
    if (self.pgid() == self.pid())
        return Errno::EPERM;  // already a group leader
    __atomic_store_n(&self.m_sid, self.pid(), __ATOMIC_RELAXED);
    __atomic_store_n(&self.m_pgid, self.pid(), __ATOMIC_RELAXED);
    return u64(self.pid());
}

// ---- signals ----

// kill(pid, sig)
SYSCALL(62, kill)
{
    TRY(kern::kill(i64(i32(a.a0)), int(a.a1)));
    return 0;
}

// tgkill(tgid, tid, sig) and tkill(tid, sig): a thread is its process here.
SYSCALL(234, tgkill)
{
    if (i32(a.a0) <= 0 || i32(a.a1) <= 0)
        return Errno::EINVAL;
    if (a.a0 != a.a1)
        return Errno::ESRCH;
    TRY(kern::kill(i64(i32(a.a1)), int(a.a2)));
    return 0;
}

SYSCALL(200, tkill)
{
    if (i32(a.a0) <= 0)
        return Errno::EINVAL;
    TRY(kern::kill(i64(i32(a.a0)), int(a.a1)));
    return 0;
}

// rt_sigaction(sig, act, oldact, sigsetsize)
SYSCALL(13, rt_sigaction)
{
    // Linux's order: the size, then the copy (EFAULT), then the signal.
    int sig = int(a.a0);
    if (a.a3 != sizeof(SigSet))
        return Errno::EINVAL;
    SigAction next;
    if (a.a1)
        TRY(arch::copy_from_user(&next, a.a1, sizeof(next)));
    if (sig < 1 || sig > NSIG || (a.a1 && (sig == SIGKILL || sig == SIGSTOP)))
        return Errno::EINVAL;
    Process& self = *Process::current();
    SigAction old;
    {
        SpinGuard guard(process_tree_lock());
        old = self.m_sig_actions[sig - 1];
        if (a.a1) {
            self.m_sig_actions[sig - 1] = next;
            // Setting SIG_IGN (or SIG_DFL of an ignore-by-default signal)
            // discards one that is pending (POSIX).
            bool ignored = next.handler == SIG_IGN ||
                           (next.handler == SIG_DFL &&
                            (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH));
            if (ignored)
                self.m_sig_pending &= ~sig_bit(sig);
        }
    }
    if (a.a2)
        TRY(arch::copy_to_user(a.a2, &old, sizeof(old)));
    return 0;
}

// rt_sigprocmask(how, set, oldset, sigsetsize)
SYSCALL(14, rt_sigprocmask)
{
    // Linux's order: the size, the copy of the set (EFAULT), then `how`
    // (an int), which is looked at only when there is a set to apply.
    constexpr u32 SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    if (a.a3 != sizeof(SigSet))
        return Errno::EINVAL;
    SigSet set = 0;
    u32 how = u32(a.a0);
    if (a.a1) {
        TRY(arch::copy_from_user(&set, a.a1, sizeof(set)));
        if (how > SIG_SETMASK)
            return Errno::EINVAL;
    }
    Process& self = *Process::current();
    SigSet old;
    {
        SpinGuard guard(process_tree_lock());
        old = self.m_sig_blocked;
        if (a.a1) {
            SigSet next = how == SIG_BLOCK ? old | set : how == SIG_UNBLOCK ? old & ~set : set;
            self.m_sig_blocked = next & ~UNBLOCKABLE;
            if (self.m_sig_pending & ~self.m_sig_blocked)
                Thread::current()->interrupt();  // something just became deliverable
        }
    }
    if (a.a2)
        TRY(arch::copy_to_user(a.a2, &old, sizeof(old)));
    return 0;
}

// rt_sigpending(set, sigsetsize): as Linux, a size below 8 copies that
// many bytes (the low signals); above 8 is EINVAL.
SYSCALL(127, rt_sigpending)
{
    if (a.a1 > sizeof(SigSet))
        return Errno::EINVAL;
    Process& self = *Process::current();
    SigSet pending;
    {
        SpinGuard guard(process_tree_lock());
        pending = self.m_sig_pending & self.m_sig_blocked;
    }
    TRY(arch::copy_to_user(a.a0, &pending, size_t(a.a1)));
    return 0;
}

// rt_sigreturn(): back from a handler (arch/x86_64/signal.cpp pops the frame).
// The frame's uc_stack is set again as sigaltstack would from the restored
// rsp, its errors ignored (Linux's restore_altstack): that re-arms an
// SS_AUTODISARM stack, and leaves alone one the interrupted code was on.
SYSCALL(15, rt_sigreturn)
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
    Process& self = *Process::current();
    (void)change_alt_stack(self, &uc_stack, nullptr, arch::user_regs_sp(regs));
    {
        SpinGuard guard(process_tree_lock());
        self.m_sig_blocked = mask.value() & ~UNBLOCKABLE;
        if (self.m_sig_pending & ~self.m_sig_blocked)
            Thread::current()->interrupt();
    }
    // The restored rax goes back through the syscall return path.
    return arch::user_regs_result(regs);
}

// restart_syscall(): where a sleep or poll that a signal interrupted, and
// no handler followed, goes on (return_to_user puts this number in rax;
// kernel/top/proc/signal.h: RestartBlock). The arguments are not used.
// => the continued call's result; EINTR with nothing to continue (Linux's
// do_no_restart_syscall: after a handler, or called by a program).
SYSCALL(219, restart_syscall) { return run_restart_block(); }

// rt_sigsuspend(mask, sigsetsize): wait for a signal with `mask` in place.
SYSCALL(130, rt_sigsuspend)
{
    if (a.a1 != sizeof(SigSet))
        return Errno::EINVAL;
    SigSet mask;
    TRY(arch::copy_from_user(&mask, a.a0, sizeof(mask)));
    Process& self = *Process::current();
    SpinGuard guard(process_tree_lock());
    self.m_saved_mask = self.m_sig_blocked;
    self.m_has_saved_mask = true;
    self.m_sig_blocked = mask & ~UNBLOCKABLE;
    if (self.m_sig_pending & ~self.m_sig_blocked)
        Thread::current()->interrupt();
    WaitQueue never;
    while (never.wait_interruptible(process_tree_lock()) != WaitQueue::Result::Interrupted) {
    }
    return Errno::EINTR;
}

// pause(): wait for a signal.
SYSCALL(34, pause)
{
    SpinGuard guard(process_tree_lock());
    WaitQueue never;
    while (never.wait_interruptible(process_tree_lock()) != WaitQueue::Result::Interrupted) {
    }
    return Errno::EINTR;
}

// sigaltstack(ss, old_ss): the thread's alternate signal stack (stack_t
// is SigAltStack; the rules are change_alt_stack's, kernel/top/proc/signal.cpp).
// Linux's order: copy `ss` in (EFAULT), change (EPERM, EINVAL, ENOMEM),
// and only if that worked copy the old setting out (EFAULT).
SYSCALL(131, sigaltstack)
{
    SigAltStack wanted, old;
    if (a.a0)
        TRY(arch::copy_from_user(&wanted, a.a0, sizeof(wanted)));
    uptr sp = arch::user_regs_sp(arch::current_user_regs());
    TRY(change_alt_stack(*Process::current(), a.a0 ? &wanted : nullptr, a.a1 ? &old : nullptr,
                         sp));
    if (a.a1)
        TRY(arch::copy_to_user(a.a1, &old, sizeof(old)));
    return 0;
}

// prctl(option, ...): only the process name (PR_SET_NAME, PR_GET_NAME),
// which busybox and others set; every other option is EINVAL.
SYSCALL(157, prctl)
{
    constexpr u64 PR_SET_NAME = 15, PR_GET_NAME = 16;
    Process& self = *Process::current();
    if (a.a0 == PR_SET_NAME) {
        char name[Process::NAME_LEN] = {};
        auto len = arch::copy_string_from_user(name, a.a1, sizeof(name));
        if (len.is_error() && len.error() != Errno::ENAMETOOLONG)
            return len.error();
        if (len.is_error())  // longer names are cut, as in Linux
            TRY(arch::copy_from_user(name, a.a1, sizeof(name) - 1));
        name[sizeof(name) - 1] = 0;
        set_process_name(self, StringView(name, strlen(name)));
        return 0;
    }
    if (a.a0 == PR_GET_NAME) {
        TRY(arch::copy_to_user(a.a1, self.name(), Process::NAME_LEN));
        return 0;
    }
    return Errno::EINVAL;
}

// ---- the thread set-up calls of a C library ----

// arch_prctl(code, addr): ARCH_SET_FS / ARCH_GET_FS (the TLS pointer).
SYSCALL(158, arch_prctl)
{
    constexpr u64 ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003;
    if (a.a0 == ARCH_SET_FS) {
        if (a.a1 >= vm::USER_MAX)
            return Errno::EPERM;  // Linux's answer for a non-canonical or kernel address
        arch::set_user_thread_pointer(a.a1);
        return 0;
    }
    if (a.a0 == ARCH_GET_FS) {
        u64 value = arch::user_thread_pointer();
        TRY(arch::copy_to_user(a.a1, &value, sizeof(value)));
        return 0;
    }
    return Errno::EINVAL;
}

} // namespace kern
