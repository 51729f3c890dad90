// kernel/top/syscall/sys_process.cpp -- process calls: fork, clone, execve, exit, wait4, ids, groups, prctl.
//
// The work is in kernel/top/proc/ (fork.cpp, exec.cpp, wait.cpp,
// process.cpp), asked through process.h and exec.h; these handlers check
// and copy the user's arguments. (The signal calls
// are sys_signal.cpp's.) Linux's conventions:
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
//   prctl         only the process name (PR_SET_NAME, PR_GET_NAME)
//
// Read more: Linux kernel/fork.c (kernel_clone, sys_clone), fs/exec.c
// (do_execveat_common, copy_strings), kernel/exit.c (do_wait, wait4),
// kernel/sys.c (setpgid, setsid, prctl); fork(2), clone(2), execve(2),
// wait4(2), setpgid(2); include/uapi/linux/sched.h and wait.h
// (kernel/base/abi/linux/).
#include <arch/usermode.h>
#include <fs/vfs/types.h>
#include <kernel/base/abi/asm/prctl.h>
#include <kernel/base/abi/linux/prctl.h>
#include <kernel/base/abi/linux/sched.h>
#include <kernel/base/abi/linux/wait.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_path.h>
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

// A user's NULL-terminated array of string pointers (argv, envp).
using UserStringArray = UserPtr<const uptr>;

// Append copies of the strings of a user NULL-terminated array to `out`,
// charged to `budget`: first the pointers are counted (E2BIG before any
// string is read), then each string is copied through `scratch`
// (MAX_ARG_BYTES). Errors: EFAULT, E2BIG, ENOMEM.
ErrorOr<void> copy_string_vector(UserStringArray user_array, ArgBudget& budget, KBuffer& scratch,
                                 StringList& out)
{
    size_t n = 0;
    if (user_array) {
        for (;; ++n) {
            if (n >= budget.strings)
                return Errno::E2BIG;
            uptr ptr;
            TRY(copy_from_user(&ptr, user_array.element(n)));
            if (!ptr)
                break;
        }
    }
    budget.strings -= n;
    auto* buf = reinterpret_cast<char*>(scratch.data());
    for (size_t i = 0; i < n; ++i) {
        uptr ptr;
        TRY(copy_from_user(&ptr, user_array.element(i)));
        auto len = copy_string_from_user(buf, UserPtr<const char>(ptr), MAX_ARG_BYTES);
        if (len.is_error())
            return len.error() == Errno::ENAMETOOLONG ? Errno::E2BIG : len.error();
        if (len.value() + 1 > budget.bytes)
            return Errno::E2BIG;
        TRY(out.try_append(StringView(buf, len.value())));
        budget.bytes -= len.value() + 1;
    }
    return {};
}

// ---- wait4 ----

using uapi::WCONTINUED, uapi::WNOHANG, uapi::WNOWAIT, uapi::WUNTRACED;
// The options wait4 knows (WNOWAIT is then refused: not supported).
constexpr u32 WAIT_KNOWN = WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT | uapi::WNOTHREAD | uapi::WALL | uapi::WCLONE;

} // namespace

// ---- creating and ending processes ----

// fork(). Returns the child's pid (0 in the child). Errors: ENOMEM, EAGAIN.
static ErrorOr<u64> sys_fork() { return u64(TRY(fork_current(arch::current_user_regs(), ForkOptions{}))); }
SYSCALL(57, fork);

// vfork(): the child borrows our memory and we sleep until its execve or
// exit (kernel/top/proc/fork.cpp). Returns and fails as fork.
static ErrorOr<u64> sys_vfork()
{
    ForkOptions options;
    options.share_memory = true;
    options.wait_for_release = true;
    return u64(TRY(fork_current(arch::current_user_regs(), options)));
}
SYSCALL(58, vfork);

// clone(flags, stack, parent_tid, child_tid, tls). Returns and fails as
// fork; also EINVAL (a flag set that is not process-creating, see the top).
static ErrorOr<u64> sys_clone(u64 flags, uptr stack, UserPtr<u32> parent_tid, uptr child_tid, u64 tls)
{
    using namespace uapi;
    if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_FS | CLONE_FILES))
        return Errno::EINVAL;  // shared tables need threads: not supported
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return Errno::EINVAL;
    constexpr u64 KNOWN = CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID |
                          CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
    if (flags & ~KNOWN)
        return Errno::EINVAL;
    ForkOptions options;
    options.stack = stack;
    options.set_tls = flags & CLONE_SETTLS;
    options.tls = tls;
    options.child_tid = (flags & CLONE_CHILD_SETTID) ? child_tid : 0;
    options.exit_signal = u8(flags & CSIGNAL);
    options.share_memory = flags & CLONE_VM;
    options.wait_for_release = flags & CLONE_VFORK;
    if (options.exit_signal > NSIG)
        return Errno::EINVAL;
    u32 pid = TRY(fork_current(arch::current_user_regs(), options));
    if (flags & CLONE_PARENT_SETTID)
        (void)copy_to_user(parent_tid, &pid);
    return pid;
}
SYSCALL(56, clone);

// execve(path, argv, envp). Returns 0 (the new program's rax); does not
// return to the old program. Errors: EFAULT, ENAMETOOLONG, E2BIG, ENOMEM,
// and exec_current's (ENOENT, ENOEXEC, EACCES, ...).
static ErrorOr<u64> sys_execve(UserPtr<const char> user_path, UserStringArray user_argv,
                               UserStringArray user_envp)
{
    UserPath path = TRY(UserPath::copy_in(user_path));
    KBuffer scratch = TRY(KBuffer::create(MAX_ARG_BYTES));
    ArgBudget budget;
    StringList argv, envp;
    TRY(copy_string_vector(user_argv, budget, scratch, argv));
    TRY(copy_string_vector(user_envp, budget, scratch, envp));
    ExecImage image = TRY(exec_current(path.view(), argv.pointers(), envp.pointers()));
    arch::user_regs_reset(arch::current_user_regs(), image.entry, image.stack_pointer);
    return 0;  // rax of the new program
}
SYSCALL(59, execve);

// exit(status) and exit_group(status): one thread per process, so the
// same. Does not return.
static ErrorOr<u64> sys_exit_group(int status) { process_exit((status & 0xff) << 8); }
SYSCALL(231, exit_group);
SYSCALL_ALIAS(60, exit, exit_group);

// wait4(pid, status, options, rusage). Returns the pid of the child
// reported, 0 (WNOHANG, nothing yet). Errors: EINVAL (an unknown option,
// or WNOWAIT), ESRCH (pid INT_MIN), ECHILD, EINTR, EFAULT.
static ErrorOr<u64> sys_wait4(pid_t pid, UserPtr<int> user_status, int options_arg,
                              UserPtr<LinuxRusage> user_rusage)
{
    u32 options = u32(options_arg);
    if ((options & ~WAIT_KNOWN) || (options & WNOWAIT))
        return Errno::EINVAL;
    if (pid == INT32_MIN)
        return Errno::ESRCH;
    ChildReport report = TRY(wait_for_child(pid, options));
    if (report.pid == 0)
        return 0;  // WNOHANG: nothing yet
    if (user_status)
        TRY(copy_to_user(user_status, &report.status));
    if (user_rusage) {
        const LinuxRusage usage = to_linux_rusage(report.usage);
        TRY(copy_to_user(user_rusage, &usage));
    }
    return report.pid;
}
SYSCALL(61, wait4);

// ---- identities ----

static ErrorOr<u64> sys_getpid() { return u64(Process::current()->pid()); }
SYSCALL(39, getpid);
static ErrorOr<u64> sys_gettid() { return u64(Process::current()->pid()); }
SYSCALL(186, gettid);
static ErrorOr<u64> sys_getppid() { return u64(Process::current()->ppid()); }
SYSCALL(110, getppid);

// set_tid_address(ptr): remembered for thread exit by Linux; we have one
// thread per process, so only the tid is returned.
static ErrorOr<u64> sys_set_tid_address() { return u64(Process::current()->pid()); }
SYSCALL(218, set_tid_address);

// setpgid(pid, pgid): the caller or its child, into a group of the same
// session. Errors, in Linux's order (kernel/sys.c): EINVAL (pgid < 0),
// ESRCH (not the caller nor its child), EPERM (a child in another
// session), EACCES (a child that has called execve), EPERM (a session
// leader; a group that is not in the caller's session).
static ErrorOr<u64> sys_setpgid(pid_t pid, pid_t pgid)
{
    if (pgid < 0)
        return Errno::EINVAL;
    TRY(set_process_group(u32(pid), u32(pgid)));
    return 0;
}
SYSCALL(109, setpgid);

// getpgid(pid): 0 is the caller. Errors: ESRCH.
static ErrorOr<u64> sys_getpgid(pid_t pid)
{
    if (pid == 0)
        return u64(Process::current()->pgid());
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(u32(pid));
    if (!p)
        return Errno::ESRCH;
    return u64(p->pgid());
}
SYSCALL(121, getpgid);

static ErrorOr<u64> sys_getpgrp() { return u64(Process::current()->pgid()); }
SYSCALL(111, getpgrp);

// getsid(pid): 0 is the caller. Errors: ESRCH.
static ErrorOr<u64> sys_getsid(pid_t pid)
{
    if (pid == 0)
        return u64(Process::current()->sid());
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(u32(pid));
    if (!p)
        return Errno::ESRCH;
    return u64(p->sid());
}
SYSCALL(124, getsid);

// setsid(): a new session and group, led by the caller. Returns the new
// session id. Errors: EPERM (the caller leads a group already).
static ErrorOr<u64> sys_setsid() { return u64(TRY(start_session())); }
SYSCALL(112, setsid);

// prctl(option, ...): only the process name (PR_SET_NAME, PR_GET_NAME),
// which busybox and others set. Errors: EINVAL (every other option), EFAULT.
static ErrorOr<u64> sys_prctl(int option, uptr arg2)
{
    static_assert(Process::NAME_LEN == uapi::TASK_COMM_LEN);
    Process& self = *Process::current();
    if (option == uapi::PR_SET_NAME) {
        UserPtr<const char> user_name(arg2);
        char name[Process::NAME_LEN] = {};
        auto len = copy_string_from_user(name, user_name, sizeof(name));
        if (len.is_error() && len.error() != Errno::ENAMETOOLONG)
            return len.error();
        if (len.is_error())  // longer names are cut, as in Linux
            TRY(copy_from_user(name, user_name, sizeof(name) - 1));
        name[sizeof(name) - 1] = 0;
        self.set_name(StringView(name, strlen(name)));
        return 0;
    }
    if (option == uapi::PR_GET_NAME) {
        TRY(copy_to_user(UserPtr<char>(arg2), self.name(), Process::NAME_LEN));
        return 0;
    }
    return Errno::EINVAL;
}
SYSCALL(157, prctl);

// ---- the thread set-up calls of a C library ----

// arch_prctl(code, addr): ARCH_SET_FS / ARCH_GET_FS (the TLS pointer).
// Errors: EPERM (a kernel or non-canonical address), EFAULT, EINVAL (any
// other code).
static ErrorOr<u64> sys_arch_prctl(int code, uptr addr)
{
    if (code == uapi::ARCH_SET_FS) {
        if (addr >= vm::USER_MAX)
            return Errno::EPERM;  // Linux's answer for a non-canonical or kernel address
        arch::set_user_thread_pointer(addr);
        return 0;
    }
    if (code == uapi::ARCH_GET_FS) {
        u64 value = arch::user_thread_pointer();
        TRY(copy_to_user(UserPtr<u64>(addr), &value));
        return 0;
    }
    return Errno::EINVAL;
}
SYSCALL(158, arch_prctl);

} // namespace kern
