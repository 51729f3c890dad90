// kernel/base/sched/thread.cpp -- a thread's life: create, start, exit, join or detach, reap.
//
// What it is. The code behind thread.h's state diagram, except the switch
// itself (scheduler.cpp) and blocking (wait_queue.cpp). A Thread is one
// kmalloc'd object plus a kernel stack of STACK_PAGES pages from the page
// allocator, with a canary word at its lowest address that every switch
// checks (check_stack_canary). The boot context becomes the idle thread and
// has no stack of ours (adopt_boot_context).
//
// Dying. A thread cannot free the stack it runs on. thread_exit() marks it
// Dead and switches away for good; the thread that resumes on that CPU looks
// at the one it replaced (after_switch_locked):
//
//     detached   -> the zombie list; reap_zombies() frees it later, outside
//                   the lock (the idle loop, and every Thread::create)
//     not        -> its joiner is woken; join() frees it
//
// Invariants: a thread is on Scheduler::s_all from create() until it is
// freed; seen Dead under the scheduler lock, a thread is off its stack (Dead
// is set before the final switch, and the switch completes before anyone
// else can take the lock).
//
// Signals reach a thread here too: interrupt() ends an interruptible wait
// (WaitQueue::wait_interruptible) and marks the thread until
// clear_interrupt().
//
// Locks: the scheduler lock guards the state, the lists and m_interrupted's
// writes; the heap and page allocator are called without it. Lock order:
// docs/locking.md. See docs/threads.md.
#include <arch/context.h>
#include <arch/pmap.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/scheduler_internal.h>
#include <kernel/base/sched/thread.h>

namespace kern {

using S = Scheduler;

static constexpr u64 STACK_CANARY = 0x5ca1ab1e5ca1ab1eull;
static u64 s_next_id = 1;  // guarded by the scheduler lock

// ---- birth -----------------------------------------------------------------

Thread* Thread::allocate(const char* name)
{
    void* mem = kmalloc(sizeof(Thread));
    if (!mem)
        return nullptr;
    auto* t = new (mem) Thread;
    memcpy(t->m_name, name, strnlen(name, NAME_MAX));
    t->m_link.m_thread = t;
    return t;
}

void Thread::enroll()
{
    SpinGuard guard(S::s_lock);
    m_id = s_next_id++;
    S::s_all.push_back(*this);
}

ErrorOr<Thread*> Thread::create(const char* name, arch::ThreadEntry entry, void* arg)
{
    S::reap_zombies();
    Thread* t = allocate(name);
    if (!t)
        return Errno::ENOMEM;
    auto stack = vm::page_allocator().allocate(STACK_ORDER);
    if (stack.is_error()) {
        t->~Thread();
        kfree(t);
        return stack.error();
    }
    t->m_stack = vm::page_allocator().virt_of(*stack.value());
    *static_cast<u64*>(t->m_stack) = STACK_CANARY;
    arch::context_init(t->m_context, reinterpret_cast<void*>(t->stack_top()), entry, arg);
    t->enroll();
    return t;
}

Thread* Thread::adopt_boot_context(const char* name)
{
    Thread* t = allocate(name);
    KASSERT(t);
    t->m_state = State::Running;
    t->enroll();
    return t;
}

void Thread::start()
{
    SpinGuard guard(S::s_lock);
    KASSERT(m_state == State::Created);
    S::make_runnable_locked(*this);
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

// ---- the stack and the address space ---------------------------------------

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

// ---- death -----------------------------------------------------------------

void thread_exit()
{
    S::s_lock.lock();
    Thread* self = S::cpu().current;
    KASSERT(self != S::cpu().idle);
    self->m_state = Thread::State::Dead;
    S::switch_locked();
    VERIFY_NOT_REACHED();
}

void Scheduler::after_switch_locked()
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
        while (m_state != State::Dead)  // seen Dead: off its stack (the invariant above)
            S::block_on_locked(m_exit_waiters);
        S::s_all.remove(*this);
    }
    destroy(this);
}

void Scheduler::reap_zombies()
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

// ---- signals ---------------------------------------------------------------

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

} // namespace kern
