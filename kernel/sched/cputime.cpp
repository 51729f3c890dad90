// kernel/sched/cputime.cpp -- CPU-time accounting: how much user and system time each thread used.
//
// What Linux reports in times(2), getrusage(2), wait4(2)'s rusage and the
// CPU-time clocks, per thread: the time it ran in user mode and the time it
// ran in the kernel on its own behalf. We measure it at the transitions,
// with the monotonic clock (arch::monotonic_ns, the TSC scaled to ns):
//
//     user mode  --syscall, interrupt, exception-->  kernel   account_kernel_entry:  user   += now - stamp
//     kernel     --iretq-->  user mode                        account_kernel_exit:   system += now - stamp
//     kernel     --context switch-->  another thread          (scheduler.cpp:account_switch)
//                                     the one leaving:        system += now - stamp
//                                     the one arriving:       stamp = now
//
// (The arithmetic is CpuClock's, kernel/sched/usage.h.) A thread switches
// only from inside the kernel, so the time of a thread switched out is
// charged, as system time, up to the switch; the time it spends waiting is
// charged to nobody, because switching in moves its stamp past it.
//
// Why not sample at the timer tick, as old Unix did (and Linux still can)?
// A tick charges a whole 1/HZ = 10 ms to whoever runs at that instant: a
// 200 ms benchmark is off by a tick or two, and a thread that always blocks
// just before the tick (or a burst of short system calls between two ticks)
// is charged nothing, or ten times too much. Transition accounting is exact
// to the clock's resolution and costs one clock read per transition: two per
// system call or interrupt from user mode, one per context switch. A read is
// rdtsc, a multiply and two divisions: about 10 ns under QEMU's TCG, so a
// getpid round trip went from ~425 to ~445 ns (`make bench`; docs/threads.md).
//
// Where the hooks are. Entry and exit: arch/x86_64/usermode.cpp
// (syscall_dispatch, and return_through, the first entry into user mode of
// a new program or of fork's child) and arch/x86_64/trap.cpp (trap_dispatch,
// for a trap from ring 3). Both run with interrupts off, before interrupts
// are enabled on the way in and after they are disabled on the way out, so
// a preemption never falls between a transition and its bookkeeping.
//
// Invariant (why there is no lock): a thread's CpuClock changes only on the
// CPU the thread runs on, with interrupts off -- by the thread itself (the
// hooks above, Thread::usage) or by the scheduler switching it in or out
// (scheduler lock held). Another thread reading it (wait4 reading a child)
// sees the values as of its last switch; 64-bit loads do not tear.
//
// What goes where, as in Linux without CONFIG_IRQ_TIME_ACCOUNTING:
//   - an interrupt handler's time is system time of the thread it interrupted;
//   - the idle thread's "system" time is the CPU's idle time (nobody reads it);
//   - a process's own time is its threads' (one per process today); when it
//     exits, its Usage is recorded as it becomes a zombie (kernel/proc/
//     process.cpp) -- the microseconds from there to its final switch are lost.
//
// The rest of struct rusage, kept in the same Usage:
//   ru_maxrss    the resident set (arch::pmap_resident_count) sampled at every
//                timer tick, when a thread leaves an address space (exit,
//                execve: Thread::set_address_space) and when usage is read. A
//                peak that comes and goes between two samples is missed
//                (Linux raises its mark on every unmap: vm/ is not ours to hook).
//   ru_minflt    every page fault that the VM layer resolved, counted in
//                arch/x86_64/trap.cpp; ru_majflt stays 0 (vm::handle_page_fault
//                does not say whether it waited for I/O).
//   ru_nvcsw     switches away because the thread blocked or exited;
//   ru_nivcsw    because it was preempted or yielded (scheduler.cpp).
//
// See docs/threads.md ("CPU-time accounting") and docs/processes.md
// ("Accounting"). Linux: kernel/sched/cputime.c (its VIRT_CPU_ACCOUNTING_GEN
// mode is this design; the tick mode is the sampling one).
#include <arch/cpu.h>
#include <arch/pmap.h>
#include <arch/time.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/thread.h>

namespace kern {

void account_kernel_entry() { Thread::current()->cpu_clock().enter_kernel(arch::monotonic_ns()); }

void account_kernel_exit() { Thread::current()->cpu_clock().leave_kernel(arch::monotonic_ns()); }

void account_page_fault()
{
    if (Thread* t = Thread::current())  // none before the scheduler starts
        ++t->cpu_clock().usage().minflt;
}

Usage Thread::usage()
{
    if (this != current())
        return m_cpu.usage();
    arch::IrqState state = arch::irq_save();
    m_cpu.catch_up(arch::monotonic_ns());
    if (m_pmap)
        m_cpu.usage().note_resident(arch::pmap_resident_count(m_pmap));
    Usage now = m_cpu.usage();
    arch::irq_restore(state);
    return now;
}

} // namespace kern
