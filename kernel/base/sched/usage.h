// kernel/base/sched/usage.h -- what a thread has used of the machine: CPU time and the rest of struct rusage.
//
// Usage is the kernel's form of Linux's struct rusage: user and system CPU
// time in nanoseconds, the resident-set high-water mark in pages, minor
// page faults and context switches. A thread keeps one (Thread::usage(),
// filled in by kernel/base/sched/cputime.cpp); a process adds its threads' up,
// and on reaping a child adds the child's own and the child's reaped
// children's to its "children" Usage (kernel/top/proc/process.cpp), which is
// what times(2) calls cutime/cstime and getrusage(2) RUSAGE_CHILDREN.
//
// CpuClock is the CPU-time half of the bookkeeping, Linux's design
// (its kernel/sched/cputime.c with tick accounting, and cputime_adjust):
//
//   how long the thread ran   measured exactly, at context switches only:
//                             switch_in stamps the cycle counter
//                             (arch::cpu_cycles, one rdtsc), switch_out adds
//                             the cycles since the stamp to the runtime
//   user or system            sampled: each timer tick that finds the thread
//                             running counts for the mode it interrupted
//                             (tick(user_mode)); the runtime is split in the
//                             ratio of the two counts when it is read
//
// So a system call pays nothing for accounting: measuring every crossing
// between user mode and the kernel (an rdtsc each way) cost ~130 ns per
// getpid under QEMU's TCG, a quarter of the call -- too much to pay on the
// path whose speed the benchmarks compare with Linux, which samples too.
// The price: a short run is split coarsely (under a tick, all of it is user
// time, as Linux says), while the total -- and CLOCK_*_CPUTIME_ID -- stays
// exact. Reads never make a time go backwards (the split is clamped to the
// last one reported, as Linux's prev_cputime). Time off the CPU is nobody's:
// switch_in moves the stamp over it. The arithmetic is tested on the host
// (tests/host/kernel/base/sched/), where a cycle is a nanosecond. See
// docs/threads.md ("CPU-time accounting").
#pragma once

#include <arch/time.h>
#include <kernel/base/lib/types.h>

namespace kern {

struct Usage {
    u64 user_ns = 0;
    u64 system_ns = 0;
    u64 maxrss_pages = 0;  // a maximum over time, not a sum
    u64 minflt = 0;        // page faults resolved (every one, here)
    u64 majflt = 0;        // of which read a page back from swap (I/O)
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
        majflt += other.majflt;
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
// library reads from the aux vector's AT_CLKTCK (kernel/top/proc/exec.cpp
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
    r.majflt = i64(u.majflt);
    r.nvcsw = i64(u.nvcsw);
    r.nivcsw = i64(u.nivcsw);
    return r;
}

// ---- a thread's CPU clock ----

class CpuClock {
public:
    // The thread starts running at `now` (cycles).
    void switch_in(u64 now) { m_stamp = now; }
    // The thread stops running at `now`.
    void switch_out(u64 now) { m_runtime += take(now); }
    // The thread, running, reads its own usage at `now` (getrusage): count
    // the time up to now.
    void catch_up(u64 now) { m_runtime += take(now); }
    // A timer tick found the thread running, in user mode or in the kernel.
    void tick(bool user_mode) { ++(user_mode ? m_user_ticks : m_system_ticks); }

    // The counters (faults, switches, resident high-water mark), to bump.
    Usage& counters() { return m_usage; }
    // Everything, the runtime split into user and system time (ns).
    Usage usage() const
    {
        Usage u = m_usage;
        split(arch::cycles_to_ns(m_runtime), u.user_ns, u.system_ns);
        return u;
    }

private:
    // The time since the stamp, and the stamp moves to `now`. A clock read
    // on another CPU may be a little behind: never a negative charge.
    u64 take(u64 now)
    {
        u64 elapsed = now > m_stamp ? now - m_stamp : 0;
        m_stamp = now;
        return elapsed;
    }

    // Linux's cputime_adjust: `total` in the ratio of the tick counts, and
    // neither part below what an earlier read reported.
    void split(u64 total, u64& user, u64& system) const
    {
        if (m_prev_user + m_prev_system >= total) {
            user = m_prev_user;
            system = m_prev_system;
            return;
        }
        const u64 ticks = m_user_ticks + m_system_ticks;
        if (m_system_ticks == 0)
            system = 0;
        else if (m_user_ticks == 0)
            system = total;
        else  // total * system_ticks / ticks, without overflowing 64 bits
            system = total / ticks * m_system_ticks + total % ticks * m_system_ticks / ticks;
        if (system < m_prev_system)
            system = m_prev_system;
        user = total - system;
        if (user < m_prev_user) {
            user = m_prev_user;
            system = total - user;
        }
        m_prev_user = user;
        m_prev_system = system;
    }

    Usage m_usage;  // its user_ns/system_ns unused: usage() computes them
    u64 m_runtime = 0;  // cycles on the CPU, up to the last switch_out/catch_up
    u64 m_stamp = 0;    // cycle count of the last switch_in/catch_up
    u64 m_user_ticks = 0, m_system_ticks = 0;
    mutable u64 m_prev_user = 0, m_prev_system = 0;  // ns, the last split reported
};

} // namespace kern
