// kernel/top/proc/alarm.cpp -- alarm(2) and setitimer(ITIMER_REAL): SIGALRM after a while.
//
// Each process has at most one real-time timer: a deadline on the monotonic
// clock (Process::m_alarm_ns, 0 for none) and a period to re-arm it with
// (m_alarm_interval_ns, 0 for one shot), guarded by the process-tree lock.
// (musl's alarm() is setitimer; both are here.) One
// kernel thread, "alarm", sleeps until the earliest deadline of all (or
// until an alarm is set or changed), then sends SIGALRM to every process
// whose deadline has passed and clears it. The scan is over the whole
// process table, which is short here; a kernel with thousands of processes
// would keep the deadlines in a heap or a timer wheel (Linux's hrtimers).
// The thread starts at boot (alarm_init), not at the first alarm(): a
// thread appearing in the middle of a test would look like a leak.
#include <arch/time.h>
#include <kernel/base/abi/linux/time.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

namespace {

WaitQueue s_alarm_changed;  // the alarm thread sleeps here (tree lock)

struct Scan {
    u64 now;
    u64 earliest;  // the next deadline still to come, 0 if none
};

} // namespace

// For each process (`arg` is a Scan): send SIGALRM if its deadline has
// passed (re-arming a periodic timer), and note the earliest deadline to
// come. => the tree lock held.
void fire_or_note(Process& p, void* arg)
{
    auto* scan = static_cast<Scan*>(arg);
    if (!p.m_alarm_ns || p.m_state == Process::State::Zombie)
        return;
    if (p.m_alarm_ns <= scan->now) {
        p.m_alarm_ns = p.m_alarm_interval_ns ? scan->now + p.m_alarm_interval_ns : 0;
        send_signal_locked(p, SIGALRM, 0);
    }
    if (!p.m_alarm_ns)
        return;
    if (!scan->earliest || p.m_alarm_ns < scan->earliest) {
        scan->earliest = p.m_alarm_ns;
    }
}

namespace {

void alarm_thread(void*)
{
    SpinGuard guard(process_tree_lock());
    for (;;) {
        Scan scan{arch::monotonic_ns(), 0};
        for_each_process_locked(fire_or_note, &scan);
        // A deadline of 0 means "no timeout": sleep until an alarm is set.
        (void)s_alarm_changed.wait_until(process_tree_lock(), scan.earliest);
    }
}

} // namespace

// Set the current process's timer: first expiry after `value_ns` (0:
// disarm), then every `interval_ns`; nullptr only reads it (getitimer).
// Returns the old (value, interval) in ns.
struct TimerSetting {
    u64 value_ns;
    u64 interval_ns;
};

ErrorOr<TimerSetting> set_timer(const TimerSetting* next)
{
    Process& self = *Process::current();
    u64 now = arch::monotonic_ns();
    TimerSetting old;
    {
        SpinGuard guard(process_tree_lock());
        old = {self.m_alarm_ns > now ? self.m_alarm_ns - now : 0, self.m_alarm_interval_ns};
        if (!next)
            return old;
        self.m_alarm_ns = next->value_ns ? now + next->value_ns : 0;
        self.m_alarm_interval_ns = next->value_ns ? next->interval_ns : 0;
        s_alarm_changed.wake_all();
    }
    return old;
}

namespace {

constexpr u64 NS_PER_S = 1000000000ull, NS_PER_US = 1000;

struct Timeval {
    i64 sec;
    i64 usec;
};
struct ITimerval {
    Timeval interval;
    Timeval value;
};

ErrorOr<u64> timeval_ns(const Timeval& t)
{
    if (t.sec < 0 || t.usec < 0 || t.usec >= 1000000 || u64(t.sec) > ~u64(0) / NS_PER_S / 2)
        return Errno::EINVAL;
    return u64(t.sec) * NS_PER_S + u64(t.usec) * NS_PER_US;
}

Timeval ns_timeval(u64 ns)
{
    // Round a pending expiry up to a microsecond, so "set" never reads back as 0.
    u64 us = (ns + NS_PER_US - 1) / NS_PER_US;
    return {i64(us / 1000000), i64(us % 1000000)};
}

using uapi::ITIMER_REAL;  // kernel/base/abi/linux/time.h

} // namespace

void alarm_init()
{
    Thread* thread = MUST(Thread::create("alarm", alarm_thread, nullptr));
    thread->detach();
    thread->start();
}

// alarm(seconds): returns the seconds left of the previous alarm (rounded up), 0 if none.
static ErrorOr<u64> sys_alarm(unsigned seconds)
{
    TimerSetting next{u64(seconds) * NS_PER_S, 0};
    TimerSetting old = TRY(set_timer(&next));
    return (old.value_ns + NS_PER_S - 1) / NS_PER_S;
}
SYSCALL(37, alarm);

// setitimer(which, new, old): ITIMER_REAL only (the virtual and profiling
// timers need CPU-time accounting we do not keep: EINVAL). A NULL `new` is
// a zero value, so it disarms the timer, as Linux does (a misfeature it
// keeps for old programs; getitimer is the call that only reads).
// Errors: EINVAL (which; a negative time or usec >= 10^6), EFAULT.
static ErrorOr<u64> sys_setitimer(int which, UserPtr<const ITimerval> value, UserPtr<ITimerval> old_value)
{
    if (which != ITIMER_REAL)
        return Errno::EINVAL;
    TimerSetting next{0, 0};
    if (value) {
        ITimerval in;
        TRY(copy_from_user(&in, value));
        next = {TRY(timeval_ns(in.value)), TRY(timeval_ns(in.interval))};
    }
    TimerSetting old = TRY(set_timer(&next));
    if (old_value) {
        ITimerval out{ns_timeval(old.interval_ns), ns_timeval(old.value_ns)};
        TRY(copy_to_user(old_value, &out));
    }
    return 0;
}
SYSCALL(38, setitimer);

// getitimer(which, value). Errors: EINVAL (which), EFAULT.
static ErrorOr<u64> sys_getitimer(int which, UserPtr<ITimerval> value)
{
    if (which != ITIMER_REAL)
        return Errno::EINVAL;
    TimerSetting now = TRY(set_timer(nullptr));
    ITimerval out{ns_timeval(now.interval_ns), ns_timeval(now.value_ns)};
    TRY(copy_to_user(value, &out));
    return 0;
}
SYSCALL(36, getitimer);

} // namespace kern
