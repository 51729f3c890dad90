// kernel/top/syscall/sys_misc.cpp -- the small calls every C library makes: names, clocks,
// sleeping, identities, randomness, limits, accounting, reboot.
//
// None of these has a subsystem of its own; each is a few lines over a
// kernel counter or an arch clock. They follow Linux's ABI and its choice of
// errno for each mistake (the man pages in section 2 name them; Linux's own
// code is cited where it decides a corner case). What teachos simplifies:
//
//   clocks     one time base, the TSC (arch::monotonic_ns): MONOTONIC, _RAW
//              and BOOTTIME are the same clock (no suspend, no NTP slewing);
//              REALTIME is MONOTONIC plus the CMOS clock's reading, taken once
//              (arch::wall_clock_seconds); the _COARSE clocks are those values
//              rounded down to a timer tick, as Linux's are "the time at the
//              last tick"; PROCESS_CPUTIME and THREAD_CPUTIME are the caller's
//              user + system time up to now (kernel/base/sched/cputime.cpp), to
//              the ns. Sleeping on PROCESS_CPUTIME waits in real time for the
//              CPU time asked (Linux waits until the process has used it,
//              which a lone thread asleep never does); on THREAD_CPUTIME it is
//              ENOTSUP, as in Linux.
//   sleeping   nanosleep and clock_nanosleep block interruptibly on a private
//              WaitQueue with a deadline. A signal whose handler runs ends the
//              sleep with EINTR and the time left in `rem` (even with
//              SA_RESTART, as in Linux). A signal that runs no handler (one
//              ignored, or a stop and continue) restarts the call
//              (kernel/top/proc/signal.cpp:return_to_user): a relative sleep
//              has armed the restart block (signal.h: RestartBlock) with its
//              absolute deadline, clock and `rem`, so it goes on through
//              restart_syscall (continue_sleep) to the same end -- the time
//              stopped counts, as in Linux; an absolute one is re-issued
//              unchanged. `rem` is written at every interruption, as Linux's
//              do_nanosleep writes it before either kind of restart.
//              The deadline is checked at timer ticks, so a sleep lasts at
//              least what was asked and at most one tick (1/HZ) more.
//   identity   there is one user, root: the ids come from the process's
//              credentials (fs::Cred, always 0 today); a set*id call that keeps
//              them is accepted, one that would change them is EPERM.
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
//              the other fields are 0. sysinfo reports the uptime, the process
//              count and the page allocator's totals.
//
// sysinfo's freeram is "the kernel counter of free memory" the user test
// harness (user/tests/harness.h) compares before and after a suite to find
// leaks, so it must come back to the byte when everything a suite made is
// gone. The page allocator's free count alone does not: the kernel heap may
// end a suite holding the same objects spread over one more slab page (a
// freed object's slot is not always the one reused), which looks like a
// one-page leak (seen: 1 run in 3 of an empty suite). So freeram counts
// every byte that holds nothing:
//
//     free pages + page-table pages + heap pages      (in bytes)
//     - bytes of live heap objects (heap_stats().bytes_in_use)
//
// Heap slack (free slots, spare slabs) is free memory here; a leaked
// 64-byte object is 64 bytes less. Page-table pages count as free, as in the
// in-kernel tests' leak check (kernel/base/ktest/ktest.cpp), because the kernel
// map keeps the tables it builds (user pmaps' tables are checked by the
// pmap and vm_map suites instead). With mem_unit 1 the value is in bytes.
//
// Sources: the Linux man pages uname(2), clock_gettime(2), clock_nanosleep(2),
// nanosleep(2), gettimeofday(2), time(2), getuid(2), setresuid(2),
// getgroups(2), getrandom(2), getrlimit(2), sysinfo(2), times(2),
// getrusage(2), reboot(2), set_robust_list(2), rseq(2); Linux
// kernel/time/posix-timers.c and posix-stubs.c (which clocks sleep),
// kernel/time/hrtimer.c (do_nanosleep, hrtimer_nanosleep_restart: the restart),
// kernel/sys.c (uname, set*id, prlimit64, sysinfo), kernel/reboot.c (the
// magic numbers), drivers/char/random.c (getrandom's flags).
#include <arch/cpu.h>
#include <arch/debug.h>
#include <arch/pmap.h>
#include <arch/time.h>
#include <arch/usercopy.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/base/page/page_allocator.h>

namespace kern {

namespace {

constexpr u64 NS_PER_SEC = 1000000000ull;
constexpr u64 NS_PER_TICK = NS_PER_SEC / HZ;
constexpr u64 KTIME_MAX = u64(INT64_MAX);  // "for ever", as Linux's ktime_t saturates

// ---- time ----

// Linux's struct timespec and struct timeval on x86-64.
struct Timespec {
    i64 tv_sec;
    i64 tv_nsec;
};
struct Timeval {
    i64 tv_sec;
    i64 tv_usec;
};

// The clock ids of <linux/time.h>.
enum ClockId : i64 {
    CLOCK_REALTIME = 0,
    CLOCK_MONOTONIC = 1,
    CLOCK_PROCESS_CPUTIME_ID = 2,
    CLOCK_THREAD_CPUTIME_ID = 3,
    CLOCK_MONOTONIC_RAW = 4,
    CLOCK_REALTIME_COARSE = 5,
    CLOCK_MONOTONIC_COARSE = 6,
    CLOCK_BOOTTIME = 7,
};
constexpr u64 TIMER_ABSTIME = 1;

// Realtime minus monotonic time, in ns (arch/time.h).
u64 realtime_offset() { return arch::realtime_offset_ns(); }

bool is_realtime(i64 clock) { return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE; }
bool is_coarse(i64 clock) { return clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE; }

// The calling process's own usage. With one thread per process it is the
// thread's, read without the tree lock: the caller is alive, and only its
// own thread changes its clock (process_usage_locked is for other
// processes and zombies).
Usage own_usage() { return Thread::current()->usage(); }

// The caller's CPU time, user + system, up to now: its thread's or its
// process's (all its threads': one today).
u64 cpu_time_now(i64 clock)
{
    UNUSED(clock);  // CLOCK_THREAD_CPUTIME_ID and _PROCESS_ agree while a process has one thread
    Usage used = own_usage();
    return used.user_ns + used.system_ns;
}

// The time on `clock`, in ns since its epoch. => EINVAL (unknown clock).
ErrorOr<u64> clock_now(i64 clock)
{
    if (clock < CLOCK_REALTIME || clock > CLOCK_BOOTTIME)
        return Errno::EINVAL;  // also the negative ids of other processes' CPU clocks
    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
        return cpu_time_now(clock);
    u64 now = arch::monotonic_ns();
    if (is_realtime(clock))
        now += realtime_offset();
    if (is_coarse(clock))
        now -= now % NS_PER_TICK;
    return now;
}

// The resolution of `clock`. => EINVAL (unknown clock).
ErrorOr<u64> clock_resolution(i64 clock)
{
    TRY(clock_now(clock));
    return is_coarse(clock) ? NS_PER_TICK : 1;
}

Timespec to_timespec(u64 ns) { return {i64(ns / NS_PER_SEC), i64(ns % NS_PER_SEC)}; }

// A user's struct timespec as a duration or a point in ns, saturated at
// KTIME_MAX. => EFAULT, EINVAL (negative, or tv_nsec not below 10^9).
ErrorOr<u64> copy_timespec_in(uptr user_ts)
{
    Timespec ts;
    TRY(arch::copy_from_user(&ts, user_ts, sizeof(ts)));
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || u64(ts.tv_nsec) >= NS_PER_SEC)
        return Errno::EINVAL;
    if (u64(ts.tv_sec) >= KTIME_MAX / NS_PER_SEC)
        return KTIME_MAX;
    return u64(ts.tv_sec) * NS_PER_SEC + u64(ts.tv_nsec);
}

ErrorOr<void> copy_timespec_out(uptr user_ts, u64 ns)
{
    Timespec ts = to_timespec(ns);
    return arch::copy_to_user(user_ts, &ts, sizeof(ts));
}

// Block until monotonic time `deadline` or until a signal arrives.
// => EINTR (a signal: the caller reports the time left).
ErrorOr<void> sleep_until(u64 deadline)
{
    SpinLock lock;
    WaitQueue nobody_wakes_this;  // only the deadline or a signal ends the wait
    SpinGuard guard(lock);
    while (arch::monotonic_ns() < deadline) {
        if (nobody_wakes_this.wait_interruptible(lock, deadline) == WaitQueue::Result::Interrupted)
            return Errno::EINTR;
    }
    return {};
}

ErrorOr<u64> continue_sleep(const RestartBlock& block);

// The body of a relative sleep on `clock`, made absolute: block until
// `deadline`; on EINTR write the time left to `user_rem` (if non-null) and
// arm the restart block, so that a restart (no handler ran) continues to
// the same deadline (Linux's do_nanosleep and hrtimer_nanosleep).
// => 0; EINTR, EFAULT (`user_rem` bad: only noticed when it is written).
ErrorOr<u64> sleep_to_deadline(u64 deadline, i64 clock, uptr user_rem)
{
    if (!sleep_until(deadline).is_error())
        return 0;
    if (user_rem) {
        u64 now = arch::monotonic_ns();
        TRY(copy_timespec_out(user_rem, deadline > now ? deadline - now : 0));
    }
    RestartBlock block;
    block.fn = continue_sleep;
    block.deadline = deadline;
    block.clock = clock;
    block.user_rem = user_rem;
    arm_restart_block(block);
    return Errno::EINTR;
}

// restart_syscall's continuation of a relative sleep (Linux's
// hrtimer_nanosleep_restart).
ErrorOr<u64> continue_sleep(const RestartBlock& block)
{
    return sleep_to_deadline(block.deadline, block.clock, block.user_rem);
}

// Sleep for `ns` ns on `clock` (see sleep_to_deadline). => 0; EINTR, EFAULT.
ErrorOr<u64> sleep_relative(u64 ns, i64 clock, uptr user_rem)
{
    u64 now = arch::monotonic_ns();
    return sleep_to_deadline(ns > KTIME_MAX - now ? KTIME_MAX : now + ns, clock, user_rem);
}

// ---- resource limits ----

// The process `pid` names (0: the caller). => s_tree_lock held. => nullptr
// if there is none (a zombie not yet reaped still counts, as in Linux).
Process* rlimit_target_locked(u64 pid)
{
    if (pid == 0)
        return Process::current();
    if (i64(i32(pid)) < 0)
        return nullptr;
    return Process::find_locked(u32(pid));
}

// The common part of prlimit64, getrlimit and setrlimit, in Linux's order
// (prlimit64, then do_prlimit): read the new limit (EFAULT), find the
// process (ESRCH), check the resource (EINVAL), the new limit (EINVAL: soft
// above hard; EPERM: RLIMIT_NOFILE above NR_OPEN, Linux's fs.nr_open), then
// swap and write the old one out (EFAULT -- the new one is set even so).
// Raising a hard limit is allowed: the caller is root (CAP_SYS_RESOURCE).
// => 0.
ErrorOr<u64> do_prlimit(u64 pid, u64 resource, uptr user_new, uptr user_old)
{
    Rlimit wanted{}, old{};
    if (user_new)
        TRY(arch::copy_from_user(&wanted, user_new, sizeof(wanted)));
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
        old = p->rlimit(u32(resource));
        if (user_new)
            p->set_rlimit_locked(u32(resource), wanted);
    }
    if (user_old)
        TRY(arch::copy_to_user(user_old, &old, sizeof(old)));
    return 0;
}

// ---- identities ----

fs::Cred& cred() { return Process::current()->fs_context().cred; }

// A set*id argument: -1 ("leave it") or the id it already has.
// => EPERM (any other id: there is no other user to become).
ErrorOr<void> keep_id(u64 wanted, u32 current)
{
    if (u32(wanted) == u32(-1) || u32(wanted) == current)
        return {};
    return Errno::EPERM;
}

ErrorOr<u64> set_one_id(u64 wanted, u32 current)
{
    if (u32(wanted) == u32(-1))
        return Errno::EINVAL;  // setuid(-1): Linux's answer
    TRY(keep_id(wanted, current));
    return 0;
}

// getresuid/getresgid: the real, effective and saved ids (all the same here).
ErrorOr<u64> get_three_ids(u32 id, uptr user_real, uptr user_effective, uptr user_saved)
{
    TRY(arch::copy_to_user(user_real, &id, sizeof(id)));
    TRY(arch::copy_to_user(user_effective, &id, sizeof(id)));
    TRY(arch::copy_to_user(user_saved, &id, sizeof(id)));
    return 0;
}

// ---- reboot ----

constexpr u64 REBOOT_MAGIC1 = 0xfee1dead;
constexpr u64 REBOOT_MAGIC2[] = {672274793, 85072278, 369367448, 537993216};  // birthdays
constexpr u64 REBOOT_CMD_RESTART = 0x01234567, REBOOT_CMD_HALT = 0xcdef0123,
              REBOOT_CMD_POWER_OFF = 0x4321fedc, REBOOT_CMD_RESTART2 = 0xa1b2c3d4,
              REBOOT_CMD_CAD_ON = 0x89abcdef, REBOOT_CMD_CAD_OFF = 0;

} // namespace

// ---- names ----

// uname(buf): struct utsname, six NUL-terminated fields of 65 bytes.  => EFAULT.
SYSCALL(63, uname)
{
    constexpr size_t LEN = 65;
    struct {
        char sysname[LEN], nodename[LEN], release[LEN], version[LEN], machine[LEN], domainname[LEN];
    } u;
    memset(&u, 0, sizeof(u));
    auto put = [](char* field, const char* text) { memcpy(field, text, strlen(text) + 1); };
    put(u.sysname, "teachos");
    put(u.nodename, "teachos");
    put(u.release, "0.1");
    put(u.version, "#1 teachos 0.1 (an x86-64 teaching kernel)");
    put(u.machine, "x86_64");
    put(u.domainname, "(none)");
    TRY(arch::copy_to_user(a.a0, &u, sizeof(u)));
    return 0;
}

// ---- clocks ----

// clock_gettime(clock, ts).  => EINVAL (clock), EFAULT.
SYSCALL(228, clock_gettime)
{
    u64 now = TRY(clock_now(i64(i32(a.a0))));
    TRY(copy_timespec_out(a.a1, now));
    return 0;
}

// clock_getres(clock, res): res may be NULL.  => EINVAL (clock), EFAULT.
SYSCALL(229, clock_getres)
{
    u64 resolution = TRY(clock_resolution(i64(i32(a.a0))));
    if (a.a1)
        TRY(copy_timespec_out(a.a1, resolution));
    return 0;
}

// gettimeofday(tv, tz): either may be NULL; the time zone is always UTC
// (struct timezone: minutes west 0, no DST).  => EFAULT.
SYSCALL(96, gettimeofday)
{
    if (a.a0) {
        u64 now = MUST(clock_now(CLOCK_REALTIME));
        Timeval tv = {i64(now / NS_PER_SEC), i64(now % NS_PER_SEC / 1000)};
        TRY(arch::copy_to_user(a.a0, &tv, sizeof(tv)));
    }
    if (a.a1) {
        const i32 utc[2] = {0, 0};
        TRY(arch::copy_to_user(a.a1, utc, sizeof(utc)));
    }
    return 0;
}

// time(tloc): => seconds since the epoch, also stored at tloc if non-NULL.
// => EFAULT.
SYSCALL(201, time)
{
    i64 seconds = i64(MUST(clock_now(CLOCK_REALTIME)) / NS_PER_SEC);
    if (a.a0)
        TRY(arch::copy_to_user(a.a0, &seconds, sizeof(seconds)));
    return u64(seconds);
}

// ---- sleeping ----

// nanosleep(req, rem).  => EINTR (rem, if non-NULL, gets the time left),
// EINVAL (req negative or tv_nsec >= 10^9), EFAULT.
SYSCALL(35, nanosleep)
{
    u64 ns = TRY(copy_timespec_in(a.a0));
    return sleep_relative(ns, CLOCK_MONOTONIC, a.a1);
}

// clock_nanosleep(clock, flags, req, rem): req is a duration, or with
// TIMER_ABSTIME a time on `clock` (then rem is not written). Other flag bits
// are ignored, as Linux ignores them (posix-timers.c: common_nsleep).
// => EINTR, EINVAL (clock, req), ENOTSUP (a clock one cannot sleep on:
// THREAD_CPUTIME, MONOTONIC_RAW and the _COARSE ones, as in Linux), EFAULT.
SYSCALL(230, clock_nanosleep)
{
    i64 clock = i64(i32(a.a0));
    u64 flags = a.a1;
    TRY(clock_now(clock));  // EINVAL for an unknown clock
    if (clock == CLOCK_THREAD_CPUTIME_ID || clock == CLOCK_MONOTONIC_RAW || is_coarse(clock))
        return Errno::ENOTSUP;
    u64 request = TRY(copy_timespec_in(a.a2));
    if (!(flags & TIMER_ABSTIME))
        return sleep_relative(request, clock, a.a3);
    // An absolute sleep is re-issued as it was if a signal interrupts it
    // (Linux's -ERESTARTNOHAND): the same end, no restart block.
    if (clock == CLOCK_PROCESS_CPUTIME_ID) {  // the CPU time still to go, in real time (top comment)
        u64 used = cpu_time_now(clock);
        TRY(sleep_until(arch::monotonic_ns() + (request > used ? request - used : 0)));
        return 0;
    }
    // An absolute time on the realtime clock: the same instant on the monotonic one.
    u64 offset = is_realtime(clock) ? realtime_offset() : 0;
    TRY(sleep_until(request > offset ? request - offset : 0));
    return 0;
}

// sched_yield(): let another runnable thread run first.
SYSCALL(24, sched_yield)
{
    yield();
    return 0;
}

// ---- identities ----

SYSCALL(102, getuid) { return cred().uid; }
SYSCALL(107, geteuid) { return cred().uid; }
SYSCALL(104, getgid) { return cred().gid; }
SYSCALL(108, getegid) { return cred().gid; }

// getresuid(ruid, euid, suid) / getresgid(rgid, egid, sgid).  => EFAULT.
SYSCALL(118, getresuid) { return get_three_ids(cred().uid, a.a0, a.a1, a.a2); }
SYSCALL(120, getresgid) { return get_three_ids(cred().gid, a.a0, a.a1, a.a2); }

// setuid(uid) / setgid(gid).  => EINVAL (-1), EPERM (not the current id).
SYSCALL(105, setuid) { return set_one_id(a.a0, cred().uid); }
SYSCALL(106, setgid) { return set_one_id(a.a0, cred().gid); }

// setreuid(ruid, euid) / setregid; setresuid(ruid, euid, suid) / setresgid:
// each id -1 or the current one.  => EPERM.
SYSCALL(113, setreuid)
{
    TRY(keep_id(a.a0, cred().uid));
    TRY(keep_id(a.a1, cred().uid));
    return 0;
}
SYSCALL(114, setregid)
{
    TRY(keep_id(a.a0, cred().gid));
    TRY(keep_id(a.a1, cred().gid));
    return 0;
}
SYSCALL(117, setresuid)
{
    TRY(keep_id(a.a0, cred().uid));
    TRY(keep_id(a.a1, cred().uid));
    TRY(keep_id(a.a2, cred().uid));
    return 0;
}
SYSCALL(119, setresgid)
{
    TRY(keep_id(a.a0, cred().gid));
    TRY(keep_id(a.a1, cred().gid));
    TRY(keep_id(a.a2, cred().gid));
    return 0;
}

// setfsuid(uid) / setfsgid(gid): => the previous id, never an error (Linux).
SYSCALL(122, setfsuid) { return cred().uid; }
SYSCALL(123, setfsgid) { return cred().gid; }

// getgroups(size, list): no supplementary groups.  => 0; EINVAL (size < 0).
SYSCALL(115, getgroups)
{
    if (i32(a.a0) < 0)
        return Errno::EINVAL;
    return 0;
}

// setgroups(size, list): only root's own group (0) may be listed.
// => EINVAL (size above NGROUPS_MAX), EFAULT, EPERM (another group).
SYSCALL(116, setgroups)
{
    constexpr u64 NGROUPS_MAX = 65536;
    if (a.a0 > NGROUPS_MAX)
        return Errno::EINVAL;
    for (u64 i = 0; i < a.a0; ++i) {
        u32 gid;
        TRY(arch::copy_from_user(&gid, a.a1 + i * sizeof(gid), sizeof(gid)));
        if (gid != cred().gid)
            return Errno::EPERM;
    }
    return 0;
}

// ---- randomness ----

// getrandom(buf, count, flags): arch::random_u64's bits (never blocks).
// => bytes written (fewer if a signal arrived or a page was bad after some
// bytes had been written); EINVAL (flags), EFAULT.
SYSCALL(318, getrandom)
{
    constexpr u64 GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    u64 flags = a.a2;
    if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return Errno::EINVAL;
    size_t count = min<u64>(a.a1, INT32_MAX), done = 0;
    u64 chunk[32];
    while (done < count) {
        if (done && (done % PAGE_SIZE) == 0 && Thread::current()->interrupt_pending())
            break;  // a long request gives way to a signal, as in Linux
        for (u64& word : chunk)
            word = arch::random_u64();
        size_t n = min(count - done, sizeof(chunk));
        if (arch::copy_to_user(a.a0 + done, chunk, n).is_error())
            return done ? ErrorOr<u64>(done) : ErrorOr<u64>(Errno::EFAULT);
        done += n;
    }
    return done;
}

// ---- what a C library sets up at start ----

// set_robust_list(head, len): the futex list a thread library keeps; with
// one thread per process nothing walks it.  => EINVAL (len is not the size
// of struct robust_list_head).
SYSCALL(273, set_robust_list)
{
    if (a.a1 != 24)
        return Errno::EINVAL;
    return 0;
}

// rseq(...): restartable sequences are not implemented. Registered so that
// the answer is the one old kernels give, without a console line each boot.
SYSCALL(334, rseq) { return Errno::ENOSYS; }

// ---- resource limits ----

// prlimit64(pid, resource, new, old): pid 0 is the caller.
SYSCALL(302, prlimit64) { return do_prlimit(a.a0, u32(a.a1), a.a2, a.a3); }
// getrlimit(resource, old) / setrlimit(resource, new).
// The resource is an unsigned int: only its low 32 bits count.
SYSCALL(97, getrlimit)
{
    if (u32(a.a0) >= RLIM_NLIMITS)
        return Errno::EINVAL;
    if (!a.a1)
        return Errno::EFAULT;
    return do_prlimit(0, u32(a.a0), 0, a.a1);
}
SYSCALL(160, setrlimit)
{
    if (!a.a1)
        return Errno::EFAULT;
    return do_prlimit(0, u32(a.a0), a.a1, 0);
}

// ---- accounting ----

// sysinfo(info): struct sysinfo with mem_unit 1 (sizes in bytes).  => EFAULT.
SYSCALL(99, sysinfo)
{
    struct {
        i64 uptime;
        u64 loads[3];
        u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        u16 procs, pad;
        u64 totalhigh, freehigh;
        u32 mem_unit;
    } info;
    static_assert(sizeof(info) == 112, "Linux's struct sysinfo on x86-64");
    memset(&info, 0, sizeof(info));
    u64 now = arch::monotonic_ns();
    info.uptime = i64(now / NS_PER_SEC + (now % NS_PER_SEC ? 1 : 0));  // rounded up, as Linux
    vm::PageStats pages = vm::page_allocator().stats();
    HeapStats heap = heap_stats();
    info.totalram = pages.total * PAGE_SIZE;
    // Every byte that holds nothing: see the top comment.
    info.freeram = (pages.free + arch::pmap_table_pages() + heap.pages) * PAGE_SIZE - heap.bytes_in_use;
    {
        u32 count = 0;
        SpinGuard guard(process_tree_lock());
        for_each_process_locked([](Process&, void* n) { ++*static_cast<u32*>(n); }, &count);
        info.procs = u16(min<u32>(count, 0xffff));
    }
    info.mem_unit = 1;
    TRY(arch::copy_to_user(a.a0, &info, sizeof(info)));
    return 0;
}

// times(buf): => clock ticks (USER_HZ) since boot; buf (may be NULL) gets
// struct tms, four clock_t: the process's user and system time, and its
// reaped children's (see the top comment).  => EFAULT.
SYSCALL(100, times)
{
    if (a.a0) {
        Usage self = own_usage(), children;
        {
            SpinGuard guard(process_tree_lock());
            children = process_children_usage_locked(*Process::current());
        }
        const i64 tms[4] = {ns_to_clock_ticks(self.user_ns), ns_to_clock_ticks(self.system_ns),
                            ns_to_clock_ticks(children.user_ns),
                            ns_to_clock_ticks(children.system_ns)};
        TRY(arch::copy_to_user(a.a0, tms, sizeof(tms)));
    }
    return arch::monotonic_ns() / (NS_PER_SEC / USER_HZ);
}

// getrusage(who, usage): struct rusage of the process (RUSAGE_SELF 0), its
// reaped children (RUSAGE_CHILDREN -1) or the calling thread (RUSAGE_THREAD 1).
// => EINVAL (another who), EFAULT.
SYSCALL(98, getrusage)
{
    constexpr i32 RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    i32 who = i32(a.a0);
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
    TRY(arch::copy_to_user(a.a1, &usage, sizeof(usage)));
    return 0;
}

// ---- reboot ----

// reboot(magic1, magic2, cmd, arg): POWER_OFF and HALT end the machine with
// status 0 through isa-debug-exit (QEMU exits), RESTART and RESTART2 reset
// it (QEMU -no-reboot exits); CAD_ON/CAD_OFF are accepted and ignored.
// => EINVAL (a magic number or cmd); on success the first four do not return.
SYSCALL(169, reboot)
{
    bool magic2_ok = false;
    for (u64 m : REBOOT_MAGIC2)
        magic2_ok |= u32(a.a1) == m;
    if (u32(a.a0) != REBOOT_MAGIC1 || !magic2_ok)
        return Errno::EINVAL;
    switch (u32(a.a2)) {
    case REBOOT_CMD_POWER_OFF:
    case REBOOT_CMD_HALT:
        printk("teachos: power off (reboot from pid %u)\n", Process::current()->pid());
        arch::system_exit(0);
    case REBOOT_CMD_RESTART:
    case REBOOT_CMD_RESTART2:
        printk("teachos: restart (reboot from pid %u)\n", Process::current()->pid());
        arch::system_reset();
    case REBOOT_CMD_CAD_ON:
    case REBOOT_CMD_CAD_OFF:
        return 0;
    default:
        return Errno::EINVAL;
    }
}

} // namespace kern
