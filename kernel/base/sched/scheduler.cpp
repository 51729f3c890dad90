// kernel/base/sched/scheduler.cpp -- run queue, context switches, blocking, sleeping.
//
// Read kernel/base/sched/sched.h first for the locking rule: one scheduler lock,
// held across every context switch and released by the thread that resumes.
// So every path into switch_locked() looks like
//
//     s_lock.lock();  change states / queues;  switch_locked();  s_lock.unlock();
//
// and the code after switch_locked() runs later, when some CPU switches back,
// still holding the lock (taken by whoever switched to us). A brand-new thread
// starts in kern_thread_start(), which releases the lock for it.
//
// Every real switch also reads the clock once to charge the outgoing
// thread's CPU time and start the incoming one's (account_switch; the
// design is in kernel/base/sched/cputime.cpp), and the tick samples the running
// thread's resident set for ru_maxrss.
//
// Dead threads cannot free their own stacks. After a switch, the resumed
// thread looks at the thread it replaced: if that one is dead and detached it
// goes on the zombie list, emptied by reap_zombies() outside the lock.
//
// See docs/threads.md. Design after xv6's proc.c (sched/yield/sleep/wakeup)
// and NetBSD's kern_synch.c; the code is our own.
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/pmap.h>
#include <arch/time.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/page/page_allocator.h>

namespace kern {

// Per-CPU scheduling state, indexed by arch::cpu_id().
struct CpuSched {
    Thread* current = nullptr;
    Thread* idle = nullptr;
    Thread* previous = nullptr;    // the thread switched away from, for reaping
    bool need_resched = false;
    int preempt_disabled = 0;
};

class Scheduler {
public:
    static SpinLock s_lock;
    static SchedQueue s_run_queue;
    static IntrusiveList<Thread, &Thread::m_sleep_node> s_sleepers;  // by deadline
    static IntrusiveList<Thread, &Thread::m_all_node> s_all;
    static SchedQueue s_zombies;
    static CpuSched s_cpu[arch::MAX_CPUS];
    static u64 s_ticks;
    static u64 s_switches;

    // Free the threads that died detached (outside the lock: freeing takes
    // the heap's and the page allocator's locks).
    static void reap_zombies()
    {
        for (;;) {
            Thread* t;
            {
                SpinGuard guard(s_lock);
                if (s_zombies.is_empty())
                    return;
                t = s_zombies.take_first().m_thread;
                s_all.remove(*t);
            }
            Thread::destroy(t);
        }
    }

    static CpuSched& cpu() { return s_cpu[arch::cpu_id()]; }

    static void make_runnable_locked(Thread& t)
    {
        KASSERT(s_lock.is_locked_by_me());
        t.m_state = Thread::State::Runnable;
        s_run_queue.push_back(t.m_link);
    }

    // Pick the next thread and switch to it. The current thread's state was
    // already set by the caller (Runnable threads are requeued here).
    static void switch_locked()
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

    // CPU time (kernel/base/sched/cputime.cpp): `prev`'s runs up to the switch,
    // `next`'s from it; one clock read.
    static void account_switch(Thread& prev, Thread& next, bool preempted)
    {
        u64 now = arch::cpu_cycles();
        prev.m_cpu.switch_out(now);
        next.m_cpu.switch_in(now);
        ++(preempted ? prev.m_cpu.counters().nivcsw : prev.m_cpu.counters().nvcsw);
    }

    // On the resumed thread, lock held: deal with the thread we replaced.
    static void after_switch_locked()
    {
        CpuSched& c = cpu();
        Thread* prev = c.previous;
        c.previous = nullptr;
        if (prev && prev->m_state == Thread::State::Dead) {
            if (prev->m_detached)
                s_zombies.push_back(prev->m_link);
            else
                wake_all_locked(prev->m_exit_waiters);
        }
    }

    // Sleep on `q` when the condition is guarded by the scheduler lock itself.
    // => lock held; held again on return.
    static void block_on_locked(WaitQueue& q)
    {
        Thread* self = cpu().current;
        self->m_state = Thread::State::Blocked;
        self->m_waiting_on = &q;
        q.m_waiters.push_back(self->m_link);
        switch_locked();
    }

    static void wake_locked(Thread& t)
    {
        if (t.m_wake_deadline) {
            s_sleepers.remove(t);
            t.m_wake_deadline = 0;
        }
        t.m_waiting_on = nullptr;
        make_runnable_locked(t);
    }

    static size_t wake_all_locked(WaitQueue& q)
    {
        size_t n = 0;
        while (!q.m_waiters.is_empty()) {
            wake_locked(*q.m_waiters.take_first().m_thread);
            ++n;
        }
        return n;
    }

    // Insert into the sleep list, kept sorted by deadline.
    static void add_sleeper_locked(Thread& t, u64 deadline)
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

    static void wake_expired_locked(u64 now)
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
};

SpinLock Scheduler::s_lock;
SchedQueue Scheduler::s_run_queue;
IntrusiveList<Thread, &Thread::m_sleep_node> Scheduler::s_sleepers;
IntrusiveList<Thread, &Thread::m_all_node> Scheduler::s_all;
SchedQueue Scheduler::s_zombies;
CpuSched Scheduler::s_cpu[arch::MAX_CPUS];
u64 Scheduler::s_ticks;
u64 Scheduler::s_switches;

using S = Scheduler;

// ---- threads ---------------------------------------------------------------

static constexpr u64 STACK_CANARY = 0x5ca1ab1e5ca1ab1eull;
static u64 s_next_id = 1;

ErrorOr<Thread*> Thread::create(const char* name, arch::ThreadEntry entry, void* arg)
{
    S::reap_zombies();
    void* mem = kmalloc(sizeof(Thread));
    if (!mem)
        return Errno::ENOMEM;
    auto* t = new (mem) Thread;
    auto stack = vm::page_allocator().allocate(STACK_ORDER);
    if (stack.is_error()) {
        t->~Thread();
        kfree(mem);
        return stack.error();
    }
    t->m_stack = vm::page_allocator().virt_of(*stack.value());
    *static_cast<u64*>(t->m_stack) = STACK_CANARY;
    size_t n = strnlen(name, NAME_MAX);
    memcpy(t->m_name, name, n);
    t->m_link.m_thread = t;
    arch::context_init(t->m_context, reinterpret_cast<void*>(t->stack_top()), entry, arg);
    SpinGuard guard(S::s_lock);
    t->m_id = s_next_id++;
    S::s_all.push_back(*t);
    return t;
}

void Thread::destroy(Thread* t)
{
    vm::PageAllocator& pa = vm::page_allocator();
    pa.free(pa.page_for_virt(t->m_stack), STACK_ORDER);
    t->~Thread();
    kfree(t);
}

void Thread::destroy_unstarted(Thread* t)
{
    {
        SpinGuard guard(S::s_lock);
        KASSERT(t->m_state == State::Created);
        S::s_all.remove(*t);
    }
    destroy(t);
}

Thread* Thread::adopt_boot_context(const char* name)
{
    auto* t = new (kmalloc(sizeof(Thread))) Thread;
    KASSERT(t);
    memcpy(t->m_name, name, strnlen(name, NAME_MAX));
    t->m_link.m_thread = t;
    t->m_state = State::Running;
    SpinGuard guard(S::s_lock);
    t->m_id = s_next_id++;
    S::s_all.push_back(*t);
    return t;
}

uptr Thread::stack_top() const
{
    return m_stack ? reinterpret_cast<uptr>(m_stack) + STACK_PAGES * PAGE_SIZE : 0;
}

void Thread::check_stack_canary() const
{
    if (m_stack && *static_cast<const u64*>(m_stack) != STACK_CANARY)
        panic("kernel stack overflow in thread %lu (%s)", m_id, m_name);
}

Thread* Thread::current() { return S::cpu().current; }

void Thread::set_address_space(vm::VmMap* map, arch::Pmap* pmap)
{
    SpinGuard guard(S::s_lock);
    if (m_pmap)  // the resident set of the space we leave (exit, execve): ru_maxrss
        m_cpu.counters().note_resident(arch::pmap_resident_count(m_pmap));
    m_vm_map = map;
    m_pmap = pmap;
    if (this == S::cpu().current)
        arch::pmap_activate(pmap ? pmap : arch::pmap_kernel());
}

void Thread::start()
{
    SpinGuard guard(S::s_lock);
    KASSERT(m_state == State::Created);
    S::make_runnable_locked(*this);
}

void Thread::detach()
{
    SpinGuard guard(S::s_lock);
    KASSERT(!m_detached);
    m_detached = true;
    if (m_state == State::Dead && m_link.m_node.is_linked() == false) {
        // Already exited and switched away: hand it to the reaper.
        S::s_zombies.push_back(m_link);
    }
}

void Thread::join()
{
    KASSERT(this != current() && !m_detached);
    {
        SpinGuard guard(S::s_lock);
        // Dead is set before the final switch, and the switch completes
        // before anyone else can take the lock: seeing Dead here means the
        // thread is off its stack.
        while (m_state != State::Dead)
            S::block_on_locked(m_exit_waiters);
        S::s_all.remove(*this);
    }
    destroy(this);
}

void thread_exit()
{
    S::s_lock.lock();
    Thread* self = S::cpu().current;
    KASSERT(self != S::cpu().idle);
    self->m_state = Thread::State::Dead;
    S::switch_locked();
    VERIFY_NOT_REACHED();
}

extern "C" void kern_thread_start(arch::ThreadEntry entry, void* arg)
{
    // We arrive here from switch_locked() on a brand-new stack: finish its
    // bookkeeping and release the scheduler lock it holds for us.
    S::after_switch_locked();
    S::s_lock.unlock(1);  // interrupts on: threads start with them enabled
    entry(arg);
    thread_exit();
}

// ---- wait queues -----------------------------------------------------------

// The one blocking path of every wait below.
WaitQueue::Result WaitQueue::wait_common(SpinLock& lock, u64 deadline_ns, bool interruptible)
{
    KASSERT(lock.is_locked_by_me() && &lock != &S::s_lock);
    S::s_lock.lock();
    Thread* self = S::cpu().current;
    KASSERT(self != S::cpu().idle && S::cpu().preempt_disabled == 0);
    if (interruptible && self->m_interrupted) {
        S::s_lock.unlock(0);  // the caller's lock was never released
        return WaitQueue::Result::Interrupted;
    }
    self->m_state = Thread::State::Blocked;
    self->m_waiting_on = this;
    self->m_timed_out = false;
    self->m_interruptible = interruptible;
    m_waiters.push_back(self->m_link);
    if (deadline_ns)
        S::add_sleeper_locked(*self, deadline_ns);
    lock.unlock(0);       // keep interrupts off: we still hold the scheduler lock
    S::switch_locked();
    self->m_interruptible = false;
    WaitQueue::Result result = self->m_timed_out ? WaitQueue::Result::TimedOut
                               : interruptible && self->m_interrupted
                                   ? WaitQueue::Result::Interrupted
                                   : WaitQueue::Result::Woken;
    S::s_lock.unlock(0);
    (void)lock.lock();    // interrupts are off already; the caller's guard restores them
    return result;
}

bool WaitQueue::wait_until(SpinLock& lock, u64 deadline_ns)
{
    return wait_common(lock, deadline_ns, false) != Result::TimedOut;
}

void WaitQueue::wait(SpinLock& lock) { (void)wait_until(lock, 0); }

WaitQueue::Result WaitQueue::wait_interruptible(SpinLock& lock, u64 deadline_ns)
{
    return wait_common(lock, deadline_ns, true);
}

void Thread::interrupt()
{
    SpinGuard guard(S::s_lock);
    __atomic_store_n(&m_interrupted, true, __ATOMIC_RELEASE);
    if (m_state == State::Blocked && m_interruptible && m_waiting_on) {
        m_waiting_on->m_waiters.remove(m_link);
        S::wake_locked(*this);
    }
}

void Thread::clear_interrupt()
{
    SpinGuard guard(S::s_lock);
    __atomic_store_n(&m_interrupted, false, __ATOMIC_RELEASE);
}

// Read without the lock: the return-to-user path asks after every system
// call, and a flag set just after the look is seen at the next return.
bool Thread::interrupt_pending() const { return __atomic_load_n(&m_interrupted, __ATOMIC_ACQUIRE); }

size_t WaitQueue::wake_one()
{
    SpinGuard guard(S::s_lock);
    if (m_waiters.is_empty())
        return 0;
    S::wake_locked(*m_waiters.take_first().m_thread);
    return 1;
}

size_t WaitQueue::wake_all()
{
    SpinGuard guard(S::s_lock);
    return S::wake_all_locked(*this);
}

bool WaitQueue::has_waiters() const
{
    SpinGuard guard(S::s_lock);
    return !m_waiters.is_empty();
}

// ---- the scheduler proper --------------------------------------------------

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
    } else if (t->m_slice > 0 && --t->m_slice == 0) {
        c.need_resched = true;
    } else if (t->m_slice == 0) {
        c.need_resched = true;
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
