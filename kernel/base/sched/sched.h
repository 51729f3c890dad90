// kernel/base/sched/sched.h -- the scheduler's interface.
//
// A preemptive round-robin scheduler over one run queue. Every thread gets
// a time slice of SLICE_TICKS timer ticks; the timer interrupt counts it
// down and, at zero, asks for a reschedule, which happens on the way out of
// the interrupt (preempt_from_interrupt) unless preemption is disabled.
// Blocking (WaitQueue, Mutex, sleep) and yielding switch at once.
//
// One SpinLock, the scheduler lock, guards the run queue, every thread's
// state, every WaitQueue and the sleep list. It is held across
// context_switch: the thread that switches away takes it, the thread that
// resumes releases it. That hand-off is what makes "mark myself blocked,
// then switch" atomic with respect to a wakeup on another CPU (the xv6 idea).
//
// The code: scheduler.cpp (the run queue, the switch, the tick), thread.cpp
// (a thread's life), wait_queue.cpp (blocking), cputime.cpp (CPU time);
// scheduler_internal.h is the state they share.
// Lock order: docs/locking.md. See docs/threads.md.
#pragma once

#include <kernel/base/lib/types.h>

namespace kern {

class Thread;

constexpr u32 HZ = 100;           // timer interrupts per second
constexpr u32 SLICE_TICKS = 2;    // a time slice: 20 ms

// Called once on the boot CPU: the running boot code becomes this CPU's idle
// thread. => the page allocator and the heap are set up.
void scheduler_init();

// Give the CPU to another runnable thread, if any; come back later.
void yield();

// Sleep for at least `ns` nanoseconds (rounded up to a timer tick).
void sleep_ns(u64 ns);

// The idle loop of a CPU: never returns.
[[noreturn]] void idle_loop();

// From the timer interrupt (interrupts off): wake sleepers, count the slice.
// `user_mode`: the tick interrupted user mode (CPU-time accounting samples it).
void scheduler_tick(bool user_mode);
// On the way out of any interrupt: switch if a reschedule is pending.
void preempt_from_interrupt();

// Preemption can be held off around code that must stay on this CPU
// (per-CPU data). Nests. Blocking while disabled is a bug.
void preempt_disable();
void preempt_enable();

// A page fault of the current thread was resolved (rusage's ru_minflt).
void account_page_fault();
// A page of the current thread was read back from swap (ru_majflt):
// called by the VM (vm/anon.cpp, vm/aobj.cpp); the host tests' shim
// counts nothing.
void account_major_fault();

// Ticks since the scheduler started, and context switches so far.
u64 scheduler_ticks();
u64 context_switch_count();

} // namespace kern
