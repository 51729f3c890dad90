// kernel/sched/usage.h -- what a thread has used of the machine: CPU time and the rest of struct rusage.
//
// Usage is the kernel's form of Linux's struct rusage: user and system CPU
// time in nanoseconds, the resident-set high-water mark in pages, minor
// page faults and context switches. A thread keeps one (Thread::usage(),
// filled in by kernel/sched/cputime.cpp); a process adds its threads' up,
// and on reaping a child adds the child's own and the child's reaped
// children's to its "children" Usage (kernel/proc/process.cpp), which is
// what times(2) calls cutime/cstime and getrusage(2) RUSAGE_CHILDREN.
//
// CpuClock is the CPU-time half of the bookkeeping: a stamp (the monotonic
// time of the thread's last transition) and the rule "the time since the
// stamp belongs to the mode we are leaving". Its callers pass the time in,
// so the arithmetic is tested on the host (tests/host/kernel/sched/).
//
//   user --syscall/interrupt/exception--> kernel    enter_kernel(now): user   += now - stamp
//   kernel --iretq--> user                          leave_kernel(now): system += now - stamp
//   kernel --context switch away-->                 switch_out(now):   system += now - stamp
//   --context switch in--> kernel                   switch_in(now):    stamp = now
//
// A thread is always in kernel mode when it switches, so the time of a
// thread that is switched out is charged up to the switch, and the time it
// spends off the CPU is charged to nobody (switch_in moves the stamp over
// it). See docs/threads.md ("CPU-time accounting").
#pragma once

#include <kernel/lib/types.h>

namespace kern {

struct Usage {
    u64 user_ns = 0;
    u64 system_ns = 0;
    u64 maxrss_pages = 0;  // a maximum over time, not a sum
    u64 minflt = 0;        // page faults resolved without I/O (every fault, here)
    u64 nvcsw = 0;         // voluntary context switches (blocked, exited)
    u64 nivcsw = 0;        // involuntary ones (preempted, yielded)

    // Fold `other` in: times and counts add up, maxrss is the larger
    // (Linux's cmaxrss is the largest of the children's, not a sum).
    void add(const Usage& other)
    {
        user_ns += other.user_ns;
        system_ns += other.system_ns;
        if (other.maxrss_pages > maxrss_pages)
            maxrss_pages = other.maxrss_pages;
        minflt += other.minflt;
        nvcsw += other.nvcsw;
        nivcsw += other.nivcsw;
    }

    void note_resident(u64 pages)
    {
        if (pages > maxrss_pages)
            maxrss_pages = pages;
    }
};

// ---- the ABI: Linux's units on x86-64 ----

constexpr u64 USAGE_NS_PER_SEC = 1000000000ull;
// times(2)'s clock_t counts USER_HZ ticks: sysconf(_SC_CLK_TCK), which the C
// library reads from the aux vector's AT_CLKTCK (kernel/proc/exec.cpp
// passes 100, as Linux on x86-64 does).
constexpr u64 USER_HZ = 100;

// ns -> clock_t, rounded down (Linux's nsec_to_clock_t).
constexpr i64 ns_to_clock_ticks(u64 ns) { return i64(ns / (USAGE_NS_PER_SEC / USER_HZ)); }

// struct rusage on x86-64: two struct timeval, then fourteen longs.
struct LinuxRusage {
    i64 utime_sec, utime_usec;
    i64 stime_sec, stime_usec;
    i64 maxrss;      // KiB
    i64 ixrss, idrss, isrss;  // unused by Linux: 0
    i64 minflt, majflt;
    i64 nswap, inblock, oublock, msgsnd, msgrcv, nsignals;  // 0 here
    i64 nvcsw, nivcsw;
};
static_assert(sizeof(LinuxRusage) == 144, "Linux's struct rusage on x86-64");

// `u` in the ABI's units: times as timeval (rounded down to the
// microsecond), the resident set in KiB.
constexpr LinuxRusage to_linux_rusage(const Usage& u)
{
    LinuxRusage r{};
    r.utime_sec = i64(u.user_ns / USAGE_NS_PER_SEC);
    r.utime_usec = i64(u.user_ns % USAGE_NS_PER_SEC / 1000);
    r.stime_sec = i64(u.system_ns / USAGE_NS_PER_SEC);
    r.stime_usec = i64(u.system_ns % USAGE_NS_PER_SEC / 1000);
    r.maxrss = i64(u.maxrss_pages * (PAGE_SIZE / 1024));
    r.minflt = i64(u.minflt);
    r.nvcsw = i64(u.nvcsw);
    r.nivcsw = i64(u.nivcsw);
    return r;
}

// ---- a thread's CPU clock ----

class CpuClock {
public:
    // The thread came into the kernel from user mode at `now`.
    void enter_kernel(u64 now) { m_usage.user_ns += take(now); }
    // The thread goes back to user mode at `now`.
    void leave_kernel(u64 now) { m_usage.system_ns += take(now); }
    // The thread stops running at `now` (it is in the kernel: it switches).
    void switch_out(u64 now) { m_usage.system_ns += take(now); }
    // The thread starts running at `now`.
    void switch_in(u64 now) { m_stamp = now; }
    // The thread, running in the kernel, reads its own usage at `now`
    // (getrusage): the time so far is system time.
    void catch_up(u64 now) { m_usage.system_ns += take(now); }

    Usage& usage() { return m_usage; }
    const Usage& usage() const { return m_usage; }

private:
    // The time since the stamp, and the stamp moves to `now`. A clock read
    // on another CPU may be a little behind: never a negative charge.
    u64 take(u64 now)
    {
        u64 elapsed = now > m_stamp ? now - m_stamp : 0;
        m_stamp = now;
        return elapsed;
    }

    Usage m_usage;
    u64 m_stamp = 0;  // monotonic ns of the last transition
};

} // namespace kern
