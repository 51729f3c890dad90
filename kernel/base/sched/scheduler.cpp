// kernel/base/sched/scheduler.cpp -- the run queue, the context switch, sleeping, the tick.
//
// What it is. A preemptive round robin over one run queue (sched.h has the
// interface). The data structures are Scheduler's (scheduler_internal.h):
//
//   s_run_queue   Runnable threads, FIFO, linked through Thread::m_link
//   s_sleepers    threads with a deadline (sleep_ns, timed waits), sorted by
//                 it, linked through Thread::m_sleep_node; the tick wakes
//                 those whose deadline passed
//   s_cpu[]       per CPU: the running thread, the idle thread, the thread
//                 just switched away from, need_resched, the preemption count
//
// Invariants, under the scheduler lock: a thread is Running on at most one
// CPU (s_cpu[i].current); a Runnable thread other than an idle one is on the
// run queue; a thread's m_link is on the run queue, one WaitQueue, the
// zombie list, or nothing; m_wake_deadline != 0 exactly when it is on the
// sleep list.
//
// switch_locked() is the only place a context switch happens. The lock is
// held across it (scheduler_internal.h shows the shape of every caller).
// Every real switch also reads the clock once to charge the outgoing
// thread's CPU time and start the incoming one's (account_switch; the design
// is in kernel/base/sched/cputime.cpp), and the tick samples the running
// thread's resident set for ru_maxrss.
//
// The rest of a thread's life (create, exit, reaping) is in thread.cpp;
// blocking on a WaitQueue in wait_queue.cpp.
//
// Locks: the scheduler lock guards everything here. Lock order:
// docs/locking.md. See docs/threads.md. Design after xv6's proc.c
// (sched/yield/sleep/wakeup) and NetBSD's kern_synch.c; the code is our own.
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/pmap.h>
#include <arch/time.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/scheduler_internal.h>
#include <kernel/base/sched/thread.h>

namespace kern {

SpinLock Scheduler::s_lock;
SchedQueue Scheduler::s_run_queue;
IntrusiveList<Thread, &Thread::m_sleep_node> Scheduler::s_sleepers;
IntrusiveList<Thread, &Thread::m_all_node> Scheduler::s_all;
SchedQueue Scheduler::s_zombies;
CpuSched Scheduler::s_cpu[arch::MAX_CPUS];
u64 Scheduler::s_ticks;
u64 Scheduler::s_switches;

using S = Scheduler;

// ---- switching -------------------------------------------------------------

void Scheduler::switch_locked()
{
    KASSERT(s_lock.is_locked_by_me());
    CpuSched& c = cpu();
    Thread* prev = c.current;
    prev->check_stack_canary();
    const bool preempted = prev->m_state == Thread::State::Running;  // else it blocked or died
    if (preempted) {
        if (prev == c.idle)
            prev->m_state = Thread::State::Runnable;
        else
            make_runnable_locked(*prev);
    }
    Thread* next = s_run_queue.is_empty() ? c.idle : s_run_queue.take_first().m_thread;
    next->m_state = Thread::State::Running;
    next->m_slice = SLICE_TICKS;
    c.need_resched = false;
    if (next == prev)
        return;
    ++s_switches;
    account_switch(*prev, *next, preempted);
    c.current = next;
    c.previous = prev;
    arch::set_kernel_stack(next->stack_top());
    if (next->m_pmap != prev->m_pmap)
        arch::pmap_activate(next->m_pmap ? next->m_pmap : arch::pmap_kernel());
    arch::context_switch(prev->m_context, next->m_context);
    after_switch_locked();
}

void Scheduler::account_switch(Thread& prev, Thread& next, bool preempted)
{
    u64 now = arch::cpu_cycles();
    prev.m_cpu.switch_out(now);
    next.m_cpu.switch_in(now);
    ++(preempted ? prev.m_cpu.counters().nivcsw : prev.m_cpu.counters().nvcsw);
}

void Scheduler::block_on_locked(WaitQueue& q)
{
    Thread* self = cpu().current;
    self->m_state = Thread::State::Blocked;
    self->m_waiting_on = &q;
    q.m_waiters.push_back(self->m_link);
    switch_locked();
}

// ---- waking ----------------------------------------------------------------

void Scheduler::wake_locked(Thread& t)
{
    if (t.m_wake_deadline) {
        s_sleepers.remove(t);
        t.m_wake_deadline = 0;
    }
    t.m_waiting_on = nullptr;
    make_runnable_locked(t);
}

size_t Scheduler::wake_all_locked(WaitQueue& q)
{
    size_t n = 0;
    while (!q.m_waiters.is_empty()) {
        wake_locked(*q.m_waiters.take_first().m_thread);
        ++n;
    }
    return n;
}

// ---- the sleep list --------------------------------------------------------

void Scheduler::add_sleeper_locked(Thread& t, u64 deadline)
{
    t.m_wake_deadline = deadline ? deadline : 1;
    for (Thread& other : s_sleepers) {
        if (other.m_wake_deadline > t.m_wake_deadline) {
            s_sleepers.insert_before(other, t);
            return;
        }
    }
    s_sleepers.push_back(t);
}

// A sleeper that is also on a WaitQueue (a timed wait) leaves it too, and
// learns that its deadline ended the wait.
void Scheduler::wake_expired_locked(u64 now)
{
    while (Thread* t = s_sleepers.first()) {
        if (t->m_wake_deadline > now)
            break;
        if (t->m_waiting_on) {
            t->m_waiting_on->m_waiters.remove(t->m_link);
            t->m_timed_out = true;
        }
        wake_locked(*t);
    }
}

// ---- the interface (sched.h) -----------------------------------------------

void scheduler_init()
{
    Thread* idle = Thread::adopt_boot_context("idle0");
    CpuSched& c = S::cpu();
    c.current = idle;
    c.idle = idle;
}

void yield()
{
    arch::IrqState state = S::s_lock.lock();
    S::switch_locked();
    S::s_lock.unlock(state);
}

void sleep_ns(u64 ns)
{
    u64 deadline = arch::monotonic_ns() + ns;
    arch::IrqState state = S::s_lock.lock();
    Thread* self = S::cpu().current;
    KASSERT(self != S::cpu().idle);
    self->m_state = Thread::State::Blocked;
    S::add_sleeper_locked(*self, deadline);
    S::switch_locked();
    S::s_lock.unlock(state);
}

void idle_loop()
{
    for (;;) {
        S::reap_zombies();
        // A peek without the lock is enough on one CPU with interrupts off;
        // on several, a missed thread is picked up at the next tick.
        arch::irq_disable();
        if (!S::s_run_queue.is_empty() || S::cpu().need_resched) {
            arch::irq_enable();
            yield();
            continue;
        }
        arch::wait_for_interrupt();  // sti; hlt: no wakeup is lost in between
    }
}

void scheduler_tick(bool user_mode)
{
    SpinGuard guard(S::s_lock);
    ++S::s_ticks;
    S::wake_expired_locked(arch::monotonic_ns());
    CpuSched& c = S::cpu();
    Thread* t = c.current;
    if (t != c.idle)
        t->m_cpu.tick(user_mode);  // user or system time: sampled (kernel/base/sched/usage.h)
    if (t->m_pmap)  // ru_maxrss: the resident set, sampled at every tick
        t->m_cpu.counters().note_resident(arch::pmap_resident_count(t->m_pmap));
    if (t == c.idle) {
        if (!S::s_run_queue.is_empty())
            c.need_resched = true;
    } else if (t->m_slice == 0 || --t->m_slice == 0) {
        c.need_resched = true;  // the slice is used up
    }
}

void preempt_from_interrupt()
{
    CpuSched& c = S::cpu();
    if (c.need_resched && c.preempt_disabled == 0)
        yield();
}

void preempt_disable()
{
    arch::IrqState s = arch::irq_save();
    ++S::cpu().preempt_disabled;
    arch::irq_restore(s);
}

void preempt_enable()
{
    arch::IrqState s = arch::irq_save();
    KASSERT(S::cpu().preempt_disabled > 0);
    --S::cpu().preempt_disabled;
    arch::irq_restore(s);
}

u64 scheduler_ticks() { return S::s_ticks; }
u64 context_switch_count() { return S::s_switches; }

} // namespace kern
