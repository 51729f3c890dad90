// kernel/top/syscall/sys_resource.cpp -- resource limits and accounting: prlimit64, getrlimit, times, getrusage.
//
//   limits     getrlimit/setrlimit/prlimit64 read and set the process's
//              Process::m_rlimits (kernel/top/proc/process.h; defaults in
//              process.cpp); prlimit64 may name any process (the caller is
//              root). Where each limit is enforced: docs/processes.md
//              ("Resource limits").
//   accounting times and getrusage report the CPU time the scheduler measures
//              at every user/kernel crossing and context switch (design:
//              kernel/base/sched/cputime.cpp; the struct rusage conversion:
//              kernel/base/sched/usage.h): RUSAGE_SELF and tms_utime/stime are the
//              process's, RUSAGE_CHILDREN and tms_cutime/cstime its reaped
//              children's (kernel/top/proc/process.h), RUSAGE_THREAD the calling
//              thread's. ru_maxrss is a sampled high-water mark, ru_minflt
//              counts resolved page faults, ru_nvcsw/nivcsw context switches;
//              the other fields are 0.
//
// Sources: the Linux man pages getrlimit(2), times(2), getrusage(2); Linux
// kernel/sys.c (prlimit64, do_prlimit, getrusage).
#include <arch/time.h>
#include <kernel/base/abi/linux/resource.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

namespace {

constexpr u64 NS_PER_SEC = 1000000000ull;

// The calling process's own usage. With one thread per process it is the
// thread's, read without the tree lock: the caller is alive, and only its
// own thread changes its clock (process_usage_locked is for other
// processes and zombies).
Usage own_usage() { return Thread::current()->usage(); }

// Returns the process `pid` names (0: the caller), or nullptr if there is
// none (a zombie not yet reaped still counts, as in Linux).
// => s_tree_lock held.
Process* rlimit_target_locked(pid_t pid)
{
    if (pid == 0)
        return Process::current();
    if (pid < 0)
        return nullptr;
    return Process::find_locked(u32(pid));
}

using UserRlimit = UserPtr<Rlimit>;

// The common part of prlimit64, getrlimit and setrlimit, in Linux's order
// (prlimit64, then do_prlimit): read the new limit (EFAULT), find the
// process (ESRCH), check the resource (EINVAL), the new limit (EINVAL: soft
// above hard; EPERM: RLIMIT_NOFILE above NR_OPEN, Linux's fs.nr_open), then
// swap and write the old one out (EFAULT -- the new one is set even so).
// Raising a hard limit is allowed: the caller is root (CAP_SYS_RESOURCE).
// Returns 0. Errors: as listed.
ErrorOr<u64> do_prlimit(pid_t pid, unsigned resource, UserPtr<const Rlimit> user_new, UserRlimit user_old)
{
    Rlimit wanted{}, old{};
    if (user_new)
        TRY(copy_from_user(&wanted, user_new));
    {
        SpinGuard guard(process_tree_lock());
        Process* p = rlimit_target_locked(pid);
        if (!p)
            return Errno::ESRCH;
        if (resource >= RLIM_NLIMITS)
            return Errno::EINVAL;
        if (user_new) {
            if (wanted.cur > wanted.max)
                return Errno::EINVAL;
            if (resource == RLIMIT_NOFILE && wanted.max > u64(FdTable::NR_OPEN))
                return Errno::EPERM;
        }
        old = p->rlimit(resource);
        if (user_new)
            p->set_rlimit_locked(resource, wanted);
    }
    if (user_old)
        TRY(copy_to_user(user_old, &old));
    return 0;
}

} // namespace

// ---- resource limits ----

// prlimit64(pid, resource, new, old): pid 0 is the caller. Errors: as do_prlimit.
static ErrorOr<u64> sys_prlimit64(pid_t pid, unsigned resource, UserPtr<const Rlimit> new_limit,
                                  UserRlimit old_limit)
{
    return do_prlimit(pid, resource, new_limit, old_limit);
}
SYSCALL(302, prlimit64);

// getrlimit(resource, old) / setrlimit(resource, new).
// Errors: EINVAL (resource), EFAULT (also a NULL pointer).
static ErrorOr<u64> sys_getrlimit(unsigned resource, UserRlimit old_limit)
{
    if (resource >= RLIM_NLIMITS)
        return Errno::EINVAL;
    if (!old_limit)
        return Errno::EFAULT;
    return do_prlimit(0, resource, {}, old_limit);
}
SYSCALL(97, getrlimit);

static ErrorOr<u64> sys_setrlimit(unsigned resource, UserPtr<const Rlimit> new_limit)
{
    if (!new_limit)
        return Errno::EFAULT;
    return do_prlimit(0, resource, new_limit, {});
}
SYSCALL(160, setrlimit);

// ---- accounting ----

// times(buf): Returns the clock ticks (USER_HZ) since boot; buf (may be
// NULL) gets struct tms, four clock_t: the process's user and system time,
// and its reaped children's (see the top comment). Errors: EFAULT.
static ErrorOr<u64> sys_times(UserPtr<i64> buf)
{
    if (buf) {
        Usage self = own_usage(), children;
        {
            SpinGuard guard(process_tree_lock());
            children = process_children_usage_locked(*Process::current());
        }
        const i64 tms[4] = {ns_to_clock_ticks(self.user_ns), ns_to_clock_ticks(self.system_ns),
                            ns_to_clock_ticks(children.user_ns),
                            ns_to_clock_ticks(children.system_ns)};
        TRY(copy_to_user(buf, tms, 4));
    }
    return arch::monotonic_ns() / (NS_PER_SEC / USER_HZ);
}
SYSCALL(100, times);

// getrusage(who, usage): struct rusage of the process (RUSAGE_SELF), its
// reaped children (RUSAGE_CHILDREN) or the calling thread (RUSAGE_THREAD).
// Errors: EINVAL (another who), EFAULT.
static ErrorOr<u64> sys_getrusage(int who, UserPtr<LinuxRusage> user_usage)
{
    using uapi::RUSAGE_CHILDREN, uapi::RUSAGE_SELF, uapi::RUSAGE_THREAD;
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
        return Errno::EINVAL;
    Usage used;
    if (who != RUSAGE_CHILDREN) {
        used = own_usage();  // RUSAGE_SELF and RUSAGE_THREAD: one thread per process
    } else {
        SpinGuard guard(process_tree_lock());
        used = process_children_usage_locked(*Process::current());
    }
    const LinuxRusage usage = to_linux_rusage(used);
    TRY(copy_to_user(user_usage, &usage));
    return 0;
}
SYSCALL(98, getrusage);

} // namespace kern
