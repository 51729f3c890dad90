// tests/host/kernel/sched/usage_test.cpp -- Usage and CpuClock (kernel/sched/usage.h).
//
// The arithmetic of CPU-time accounting with the clock passed in by hand:
// a thread's life as a sequence of transitions (switch in, user mode,
// system calls, a preemption, a wait off the CPU), the sum a parent makes of
// a reaped child, and the conversion to Linux's struct rusage and clock_t.
#include <kernel/sched/usage.h>

#include <gtest/gtest.h>

namespace {

using kern::CpuClock;
using kern::LinuxRusage;
using kern::Usage;

constexpr u64 MS = 1000 * 1000;

TEST(CpuClock, ChargesEachModeItsOwnTime)
{
    CpuClock c;
    c.switch_in(1000 * MS);       // starts running (in the kernel)
    c.leave_kernel(1002 * MS);    // 2 ms of kernel start-up
    c.enter_kernel(1010 * MS);    // 8 ms in user mode, then a system call
    c.leave_kernel(1011 * MS);    // 1 ms in the kernel
    c.enter_kernel(1040 * MS);    // 29 ms of user mode, then a timer interrupt
    EXPECT_EQ(c.usage().user_ns, 37 * MS);
    EXPECT_EQ(c.usage().system_ns, 3 * MS);
}

TEST(CpuClock, TimeOffTheCpuIsNobodys)
{
    CpuClock c;
    c.switch_in(0);
    c.enter_kernel(5 * MS);       // 5 ms user
    c.switch_out(6 * MS);         // blocks: 1 ms system, charged up to the switch
    c.switch_in(500 * MS);        // woken much later
    c.leave_kernel(501 * MS);     // 1 ms system
    c.enter_kernel(503 * MS);     // 2 ms user
    EXPECT_EQ(c.usage().user_ns, 7 * MS);
    EXPECT_EQ(c.usage().system_ns, 2 * MS);
}

TEST(CpuClock, CatchUpChargesTheKernelTimeSoFar)
{
    CpuClock c;
    c.switch_in(10 * MS);
    c.leave_kernel(10 * MS);
    c.enter_kernel(30 * MS);      // getrusage: 20 ms user
    c.catch_up(31 * MS);          // it reads itself: 1 ms system so far
    EXPECT_EQ(c.usage().user_ns, 20 * MS);
    EXPECT_EQ(c.usage().system_ns, 1 * MS);
    c.leave_kernel(32 * MS);      // the rest of the call, not counted twice
    EXPECT_EQ(c.usage().system_ns, 2 * MS);
}

TEST(CpuClock, AClockBehindTheStampChargesNothing)
{
    CpuClock c;
    c.switch_in(100 * MS);
    c.enter_kernel(99 * MS);      // another CPU's clock, a little behind
    EXPECT_EQ(c.usage().user_ns, 0u);
    c.leave_kernel(101 * MS);
    EXPECT_EQ(c.usage().system_ns, 2 * MS);
}

TEST(Usage, AddSumsTimesAndCountsAndKeepsTheLargerRss)
{
    Usage parent{1, 2, 100, 3, 4, 5};
    Usage child{10, 20, 50, 30, 40, 50};
    parent.add(child);
    EXPECT_EQ(parent.user_ns, 11u);
    EXPECT_EQ(parent.system_ns, 22u);
    EXPECT_EQ(parent.maxrss_pages, 100u);
    EXPECT_EQ(parent.minflt, 33u);
    EXPECT_EQ(parent.nvcsw, 44u);
    EXPECT_EQ(parent.nivcsw, 55u);
    Usage bigger{};
    bigger.maxrss_pages = 300;
    parent.add(bigger);
    EXPECT_EQ(parent.maxrss_pages, 300u);
}

TEST(Usage, NoteResidentIsAHighWaterMark)
{
    Usage u;
    u.note_resident(10);
    u.note_resident(40);
    u.note_resident(20);
    EXPECT_EQ(u.maxrss_pages, 40u);
}

TEST(Usage, ClockTicksAreHundredthsRoundedDown)
{
    EXPECT_EQ(kern::USER_HZ, 100u);
    EXPECT_EQ(kern::ns_to_clock_ticks(0), 0);
    EXPECT_EQ(kern::ns_to_clock_ticks(9999999), 0);
    EXPECT_EQ(kern::ns_to_clock_ticks(10 * MS), 1);
    EXPECT_EQ(kern::ns_to_clock_ticks(2345 * MS), 234);
}

TEST(Usage, LinuxRusageUnits)
{
    Usage u;
    u.user_ns = 3 * 1000 * MS + 123456789;  // 3.123456789 s
    u.system_ns = 999999;                   // just under a millisecond
    u.maxrss_pages = 25;
    u.minflt = 7;
    u.nvcsw = 2;
    u.nivcsw = 1;
    LinuxRusage r = kern::to_linux_rusage(u);
    EXPECT_EQ(r.utime_sec, 3);
    EXPECT_EQ(r.utime_usec, 123456);
    EXPECT_EQ(r.stime_sec, 0);
    EXPECT_EQ(r.stime_usec, 999);
    EXPECT_EQ(r.maxrss, 100);  // KiB
    EXPECT_EQ(r.minflt, 7);
    EXPECT_EQ(r.majflt, 0);
    EXPECT_EQ(r.nvcsw, 2);
    EXPECT_EQ(r.nivcsw, 1);
    EXPECT_EQ(r.ixrss + r.idrss + r.isrss + r.nswap + r.inblock + r.oublock, 0);
}

} // namespace
