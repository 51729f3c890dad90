// kernel/top/syscall/sys_time.cpp -- clocks and sleeping: clock_gettime, gettimeofday, nanosleep, ...
//
// Each call is a few lines over an arch clock (arch/time.h). They follow
// Linux's ABI and its choice of errno for each mistake. What teachos
// simplifies:
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
//   yielding   sched_yield lets another runnable thread run first.
//
// (alarm, setitimer and getitimer are kernel/top/proc/alarm.cpp's, with
// the timer thread that sends SIGALRM.)
//
// Sources: the Linux man pages clock_gettime(2), clock_nanosleep(2),
// nanosleep(2), gettimeofday(2), time(2), sched_yield(2); Linux
// kernel/time/posix-timers.c and posix-stubs.c (which clocks sleep),
// kernel/time/hrtimer.c (do_nanosleep, hrtimer_nanosleep_restart: the
// restart); include/uapi/linux/time.h (kernel/base/abi/linux/time.h).
#include <arch/cpu.h>
#include <arch/time.h>
#include <kernel/base/abi/linux/time.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/proc/signal.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

namespace {

using uapi::CLOCK_BOOTTIME, uapi::CLOCK_MONOTONIC, uapi::CLOCK_MONOTONIC_COARSE, uapi::CLOCK_MONOTONIC_RAW,
    uapi::CLOCK_PROCESS_CPUTIME_ID, uapi::CLOCK_REALTIME, uapi::CLOCK_REALTIME_COARSE,
    uapi::CLOCK_THREAD_CPUTIME_ID;

constexpr u64 NS_PER_SEC = 1000000000ull;
constexpr u64 NS_PER_TICK = NS_PER_SEC / HZ;
constexpr u64 KTIME_MAX = u64(INT64_MAX);  // "for ever", as Linux's ktime_t saturates

// Linux's struct timespec and struct timeval on x86-64.
struct Timespec {
    i64 tv_sec;
    i64 tv_nsec;
};
struct Timeval {
    i64 tv_sec;
    i64 tv_usec;
};

// Realtime minus monotonic time, in ns (arch/time.h).
u64 realtime_offset() { return arch::realtime_offset_ns(); }

bool is_realtime(clockid_t clock) { return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE; }
bool is_coarse(clockid_t clock) { return clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE; }

// The caller's CPU time, user + system, up to now: its thread's or its
// process's (all its threads': one today). With one thread per process it
// is the thread's, read without the tree lock: the caller is alive, and
// only its own thread changes its clock.
u64 cpu_time_now(clockid_t clock)
{
    UNUSED(clock);  // CLOCK_THREAD_CPUTIME_ID and _PROCESS_ agree while a process has one thread
    Usage used = Thread::current()->usage();
    return used.user_ns + used.system_ns;
}

// Returns the time on `clock`, in ns since its epoch. Errors: EINVAL
// (unknown clock).
ErrorOr<u64> clock_now(clockid_t clock)
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

// Returns the resolution of `clock`. Errors: EINVAL (unknown clock).
ErrorOr<u64> clock_resolution(clockid_t clock)
{
    TRY(clock_now(clock));
    return is_coarse(clock) ? NS_PER_TICK : 1;
}

Timespec to_timespec(u64 ns) { return {i64(ns / NS_PER_SEC), i64(ns % NS_PER_SEC)}; }

using UserTimespec = UserPtr<Timespec>;

// Returns a user's struct timespec as a duration or a point in ns,
// saturated at KTIME_MAX. Errors: EFAULT, EINVAL (negative, or tv_nsec not
// below 10^9).
ErrorOr<u64> copy_timespec_in(UserPtr<const Timespec> user_ts)
{
    Timespec ts;
    TRY(copy_from_user(&ts, user_ts));
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || u64(ts.tv_nsec) >= NS_PER_SEC)
        return Errno::EINVAL;
    if (u64(ts.tv_sec) >= KTIME_MAX / NS_PER_SEC)
        return KTIME_MAX;
    return u64(ts.tv_sec) * NS_PER_SEC + u64(ts.tv_nsec);
}

// Errors: EFAULT.
ErrorOr<void> copy_timespec_out(UserTimespec user_ts, u64 ns)
{
    Timespec ts = to_timespec(ns);
    return copy_to_user(user_ts, &ts);
}

// Block until monotonic time `deadline` or until a signal arrives.
// Errors: EINTR (a signal: the caller reports the time left).
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
// Returns 0. Errors: EINTR, EFAULT (`user_rem` bad: only noticed when it
// is written).
ErrorOr<u64> sleep_to_deadline(u64 deadline, clockid_t clock, UserTimespec user_rem)
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
    block.user_rem = user_rem.address();
    arm_restart_block(block);
    return Errno::EINTR;
}

// restart_syscall's continuation of a relative sleep (Linux's
// hrtimer_nanosleep_restart).
ErrorOr<u64> continue_sleep(const RestartBlock& block)
{
    return sleep_to_deadline(block.deadline, clockid_t(block.clock), UserTimespec(block.user_rem));
}

// Sleep for `ns` ns on `clock` (see sleep_to_deadline). Returns 0.
// Errors: EINTR, EFAULT.
ErrorOr<u64> sleep_relative(u64 ns, clockid_t clock, UserTimespec user_rem)
{
    u64 now = arch::monotonic_ns();
    return sleep_to_deadline(ns > KTIME_MAX - now ? KTIME_MAX : now + ns, clock, user_rem);
}

} // namespace

// ---- clocks ----

// clock_gettime(clock, ts). Errors: EINVAL (clock), EFAULT.
static ErrorOr<u64> sys_clock_gettime(clockid_t clock, UserTimespec ts)
{
    u64 now = TRY(clock_now(clock));
    TRY(copy_timespec_out(ts, now));
    return 0;
}
SYSCALL(228, clock_gettime);

// clock_getres(clock, res): res may be NULL. Errors: EINVAL (clock), EFAULT.
static ErrorOr<u64> sys_clock_getres(clockid_t clock, UserTimespec res)
{
    u64 resolution = TRY(clock_resolution(clock));
    if (res)
        TRY(copy_timespec_out(res, resolution));
    return 0;
}
SYSCALL(229, clock_getres);

// gettimeofday(tv, tz): either may be NULL; the time zone is always UTC
// (struct timezone: minutes west 0, no DST). Errors: EFAULT.
static ErrorOr<u64> sys_gettimeofday(UserPtr<Timeval> tv, UserPtr<i32> tz)
{
    if (tv) {
        u64 now = MUST(clock_now(CLOCK_REALTIME));
        Timeval value = {i64(now / NS_PER_SEC), i64(now % NS_PER_SEC / 1000)};
        TRY(copy_to_user(tv, &value));
    }
    if (tz) {
        const i32 utc[2] = {0, 0};
        TRY(copy_to_user(tz, utc, 2));
    }
    return 0;
}
SYSCALL(96, gettimeofday);

// time(tloc): Returns the seconds since the epoch, also stored at tloc if
// non-NULL. Errors: EFAULT.
static ErrorOr<u64> sys_time(UserPtr<i64> tloc)
{
    i64 seconds = i64(MUST(clock_now(CLOCK_REALTIME)) / NS_PER_SEC);
    if (tloc)
        TRY(copy_to_user(tloc, &seconds));
    return u64(seconds);
}
SYSCALL(201, time);

// ---- sleeping ----

// nanosleep(req, rem). Errors: EINTR (rem, if non-NULL, gets the time
// left), EINVAL (req negative or tv_nsec >= 10^9), EFAULT.
static ErrorOr<u64> sys_nanosleep(UserPtr<const Timespec> req, UserTimespec rem)
{
    u64 ns = TRY(copy_timespec_in(req));
    return sleep_relative(ns, CLOCK_MONOTONIC, rem);
}
SYSCALL(35, nanosleep);

// clock_nanosleep(clock, flags, req, rem): req is a duration, or with
// TIMER_ABSTIME a time on `clock` (then rem is not written). Other flag bits
// are ignored, as Linux ignores them (posix-timers.c: common_nsleep).
// Errors: EINTR, EINVAL (clock, req), ENOTSUP (a clock one cannot sleep
// on: THREAD_CPUTIME, MONOTONIC_RAW and the _COARSE ones, as in Linux),
// EFAULT.
static ErrorOr<u64> sys_clock_nanosleep(clockid_t clock, int flags, UserPtr<const Timespec> req,
                                        UserTimespec rem)
{
    TRY(clock_now(clock));  // EINVAL for an unknown clock
    if (clock == CLOCK_THREAD_CPUTIME_ID || clock == CLOCK_MONOTONIC_RAW || is_coarse(clock))
        return Errno::ENOTSUP;
    u64 request = TRY(copy_timespec_in(req));
    if (!(flags & uapi::TIMER_ABSTIME))
        return sleep_relative(request, clock, rem);
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
SYSCALL(230, clock_nanosleep);

// sched_yield(): let another runnable thread run first.
static ErrorOr<u64> sys_sched_yield()
{
    yield();
    return 0;
}
SYSCALL(24, sched_yield);

} // namespace kern
