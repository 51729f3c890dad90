// kernel/base/sched/cputime.cpp -- CPU-time accounting: how much user and system time each thread used.
//
// What Linux reports in times(2), getrusage(2), wait4(2)'s rusage and the
// CPU-time clocks, per thread: the time it ran in user mode and the time it
// ran in the kernel on its own behalf. Two measurements, as Linux's default
// (tick-based) accounting makes them:
//
//     how long it ran       exact: the cycle counter (arch::cpu_cycles, one
//                           rdtsc) read at each context switch
//                           (scheduler.cpp:Scheduler::account_switch):
//                           the thread leaving adds the cycles since it
//                           came in
//     in which mode         sampled: each timer tick counts for user or
//                           system time by the mode it interrupted
//                           (scheduler_tick(user_mode), from
//                           arch/x86_64/timer.cpp)
//
// and a read (Thread::usage -> CpuClock::usage, kernel/base/sched/usage.h)
// splits the exact runtime in the ratio of the two counts, never letting
// either part go backwards (Linux's cputime_adjust).
//
// Why not measure every crossing between user mode and the kernel exactly
// (Linux's VIRT_CPU_ACCOUNTING_GEN)? It was done so here at first: an
// rdtsc on each side of every system call and trap. Under QEMU's TCG that
// cost ~130 ns per getpid (~490 -> ~630 ns; with the cycles scaled to ns at
// each crossing, two 64-bit divisions run as helper calls, ~720 ns) -- a
// quarter of the call, on the path whose speed the benchmarks compare with
// Linux, which samples by default too. Sampling costs nothing there. Its
// price is a coarse split for short runs (under a tick, Linux and we call it
// all user time); the total, and the CPU-time clocks, stay exact.
//
// Invariant (why there is no lock): a thread's CpuClock changes only on the
// CPU the thread runs on, with interrupts off -- by the thread itself
// (Thread::usage), by the scheduler switching it in or out (scheduler lock
// held) or by the tick that interrupts it. Another thread reading it (wait4
// reading a child) sees the runtime as of its last switch; 64-bit loads do
// not tear.
//
// What goes where, as in Linux without CONFIG_IRQ_TIME_ACCOUNTING:
//   - an interrupt handler's time is system time of the thread it interrupted;
//   - the idle thread's "system" time is the CPU's idle time (nobody reads it);
//   - a process's own time is its threads' (one per process today); when it
//     exits, its Usage is recorded as it becomes a zombie (kernel/top/proc/
//     process.cpp) -- the microseconds from there to its final switch are lost.
//
// The rest of struct rusage, kept in the same Usage:
//   ru_maxrss    the resident set (arch::pmap_resident_count) sampled at every
//                timer tick, when a thread leaves an address space (exit,
//                execve: Thread::set_address_space) and when usage is read. A
//                peak that comes and goes between two samples is missed
//                (Linux raises its mark on every unmap: vm/ is not ours to hook).
//   ru_minflt    every page fault that the VM layer resolved, counted in
//                arch/x86_64/trap.cpp;
//   ru_majflt    every page the thread had read back from swap (the VM
//                counts it where it reads: vm/anon.cpp, vm/aobj.cpp) -- a
//                read(2) of a tmpfs page on swap counts too, as on Linux.
//   ru_nvcsw     switches away because the thread blocked or exited;
//   ru_nivcsw    because it was preempted or yielded (scheduler.cpp).
//
// See docs/threads.md ("CPU-time accounting") and docs/processes.md
// ("Accounting"). Linux: kernel/sched/cputime.c (account_process_tick,
// cputime_adjust; VIRT_CPU_ACCOUNTING_GEN is the exact-crossings mode).
#include <arch/cpu.h>
#include <arch/pmap.h>
#include <arch/time.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>

namespace kern {

void account_page_fault()
{
    if (Thread* t = Thread::current())  // none before the scheduler starts
        ++t->cpu_clock().counters().minflt;
}

void account_major_fault()
{
    if (Thread* t = Thread::current())
        ++t->cpu_clock().counters().majflt;
}

Usage Thread::usage()
{
    if (this != current())
        return m_cpu.usage();
    arch::IrqState state = arch::irq_save();
    m_cpu.catch_up(arch::cpu_cycles());
    if (m_pmap)
        m_cpu.counters().note_resident(arch::pmap_resident_count(m_pmap));
    Usage now = m_cpu.usage();
    arch::irq_restore(state);
    return now;
}

} // namespace kern
