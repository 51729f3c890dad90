// tests/host/kernel/base/sched/usage_test.cpp -- Usage and CpuClock (kernel/base/sched/usage.h).
//
// The arithmetic of CPU-time accounting with the clock passed in by hand:
// a thread's runtime measured at its switches, split by the ticks that
// found it in user mode or in the kernel (never backwards), the sum a
// parent makes of a reaped child, and the conversion to Linux's struct
// rusage and clock_t.
#include <kernel/base/sched/usage.h>

#include <gtest/gtest.h>

namespace {

using kern::CpuClock;
using kern::LinuxRusage;
using kern::Usage;

constexpr u64 MS = 1000 * 1000;

TEST(CpuClock, RuntimeIsMeasuredAtSwitchesAndTimeOffTheCpuIsNobodys)
{
    CpuClock c;
    c.switch_in(1000 * MS);
    c.switch_out(1040 * MS);      // 40 ms on the CPU
    c.switch_in(5000 * MS);       // woken much later: the wait is nobody's
    c.switch_out(5010 * MS);      // 10 ms more
    c.tick(true);                 // no system tick: all of it is user time
    EXPECT_EQ(c.usage().user_ns, 50 * MS);
    EXPECT_EQ(c.usage().system_ns, 0u);
}

TEST(CpuClock, TicksSplitTheRuntime)
{
    CpuClock c;
    c.switch_in(0);
    for (int i = 0; i < 3; ++i)
        c.tick(true);
    c.tick(false);
    c.switch_out(40 * MS);        // 40 ms, three ticks in user mode, one in the kernel
    EXPECT_EQ(c.usage().user_ns, 30 * MS);
    EXPECT_EQ(c.usage().system_ns, 10 * MS);
}

TEST(CpuClock, NoTickAtAllIsUserTimeAndOnlySystemTicksIsSystemTime)
{
    CpuClock none;
    none.switch_in(0);
    none.switch_out(3 * MS);      // shorter than a tick: Linux says "user"
    EXPECT_EQ(none.usage().user_ns, 3 * MS);
    CpuClock kernel;
    kernel.switch_in(0);
    kernel.tick(false);
    kernel.switch_out(12 * MS);
    EXPECT_EQ(kernel.usage().system_ns, 12 * MS);
    EXPECT_EQ(kernel.usage().user_ns, 0u);
}

TEST(CpuClock, CatchUpCountsTheTimeSoFar)
{
    CpuClock c;
    c.switch_in(10 * MS);
    c.tick(true);
    c.catch_up(30 * MS);          // getrusage reads itself: 20 ms so far
    EXPECT_EQ(c.usage().user_ns, 20 * MS);
    c.switch_out(32 * MS);        // the rest, not counted twice
    EXPECT_EQ(c.usage().user_ns, 22 * MS);
}

TEST(CpuClock, NeitherPartGoesBackwards)
{
    CpuClock c;
    c.switch_in(0);
    c.tick(true);
    c.switch_out(100 * MS);
    EXPECT_EQ(c.usage().user_ns, 100 * MS);  // reported: 100 ms user
    c.switch_in(200 * MS);
    c.tick(false);
    c.tick(false);
    c.tick(false);
    c.switch_out(220 * MS);       // 120 ms in all, split 1:3 would be 30 ms user
    Usage u = c.usage();
    EXPECT_EQ(u.user_ns, 100 * MS);  // clamped to what was reported
    EXPECT_EQ(u.system_ns, 20 * MS);
    EXPECT_EQ(u.user_ns + u.system_ns, 120 * MS);
}

TEST(CpuClock, AClockBehindTheStampChargesNothing)
{
    CpuClock c;
    c.switch_in(100 * MS);
    c.switch_out(99 * MS);        // another CPU's clock, a little behind
    EXPECT_EQ(c.usage().user_ns + c.usage().system_ns, 0u);
}

TEST(Usage, AddSumsTimesAndCountsAndKeepsTheLargerRss)
{
    Usage parent{.user_ns = 1, .system_ns = 2, .maxrss_pages = 100, .minflt = 3, .majflt = 6, .nvcsw = 4,
                 .nivcsw = 5};
    Usage child{.user_ns = 10, .system_ns = 20, .maxrss_pages = 50, .minflt = 30, .majflt = 60,
                .nvcsw = 40, .nivcsw = 50};
    parent.add(child);
    EXPECT_EQ(parent.user_ns, 11u);
    EXPECT_EQ(parent.system_ns, 22u);
    EXPECT_EQ(parent.maxrss_pages, 100u);
    EXPECT_EQ(parent.minflt, 33u);
    EXPECT_EQ(parent.majflt, 66u);
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
