// kernel/base/sched/thread.h -- kernel threads.
//
// A Thread is a kernel stack, a saved CPU context, a state, and the links
// that put it on the run queue, a wait queue or the sleep list. Its life
// (thread.cpp) and its switches (scheduler.cpp) move it through the states:
//
//     create() -> Created --start()--> Runnable <--> Running
//                                        ^  |            |
//                               wakeup   |  v  block     | thread_exit()
//                                       Blocked        Dead --join()/detach--> freed
//
// Each thread also measures the CPU time it uses: exactly at each switch,
// split into user and system time by sampling at each tick (m_cpu;
// kernel/base/sched/cputime.cpp).
//
// Fields below the "scheduler lock" line are guarded by the scheduler lock.
// Stacks are STACK_PAGES pages from the page allocator, with a canary word
// at the bottom checked at every switch: an overflow panics with the
// thread's name instead of corrupting the page below. (There is no guard
// page: stacks live in the direct map, which uses 2 MiB pages.)
// Lock order: docs/locking.md. See docs/threads.md.
#pragma once

#include <arch/context.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/usage.h>
#include <kernel/base/sched/wait_queue.h>

namespace arch {
class Pmap;
}
namespace vm {
class VmMap;
}

namespace kern {

class Process;

// End the current thread. Its stack is freed after it has switched away.
[[noreturn]] void thread_exit();

class Thread {
public:
    enum class State : u8 { Created, Runnable, Running, Blocked, Dead };

    static constexpr size_t STACK_PAGES = 4;  // 16 KiB
    static constexpr unsigned STACK_ORDER = 2;
    static constexpr size_t NAME_MAX = 31;

    // A new thread that will run entry(arg) once start()ed. If entry returns,
    // the thread exits. Returns the thread, Created.
    // Errors: ENOMEM (no memory for the Thread or its stack).
    static ErrorOr<Thread*> create(const char* name, arch::ThreadEntry entry, void* arg);

    // Free a thread that was created but never started (an error path).
    static void destroy_unstarted(Thread* t);

    // Make a Created thread runnable.
    void start();
    // Wait until the thread has exited, then free it.
    // => not detached, not the current thread; called at most once.
    void join();
    // Free the thread automatically when it exits. No join() after this.
    void detach();

    static Thread* current();

    // The address space the thread runs in: nullptr for a kernel thread (the
    // kernel pmap is loaded). The scheduler loads the thread's pmap when it
    // switches to it.
    // => called on the current thread, or before start().
    void set_address_space(vm::VmMap* map, arch::Pmap* pmap);
    vm::VmMap* vm_map() const { return m_vm_map; }
    // The process this thread runs for, or nullptr for a kernel thread.
    Process* process() const { return m_process; }
    void set_process(Process* p) { m_process = p; }
    arch::Pmap* pmap() const { return m_pmap; }
    const char* name() const { return m_name; }
    u64 id() const { return m_id; }
    State state() const { return m_state; }
    uptr stack_top() const;

    // Signals (kernel/top/proc/signal.h). interrupt() marks that the thread has
    // a signal to take and ends a WaitQueue::wait_interruptible it sleeps
    // in (or the next one it starts); the mark stays until
    // clear_interrupt(), called when no deliverable signal is left.
    void interrupt();
    void clear_interrupt();
    bool interrupt_pending() const;

    // May this thread allocate user pages below the page daemon's reserve
    // without waiting (vm/pageq.h)? Set while a thread serves the daemon:
    // the MFS server writing out the pages the daemon waits for.
    // => the thread itself.
    void set_may_use_reserve(bool yes) { m_may_use_reserve = yes; }
    bool may_use_reserve() const { return m_may_use_reserve; }

    // The scheduler's own thread for the boot context; no stack allocated.
    static Thread* adopt_boot_context(const char* name);

    // CPU time and the rest of struct rusage (kernel/base/sched/cputime.cpp).
    // For the current thread the time up to now is included (charged as
    // system time: we are in the kernel) and the resident set is sampled;
    // another thread's is as of its last switch.
    // => the thread is not being freed.
    Usage usage();
    // The accounting state.
    // => the thread itself, on its CPU, with interrupts off; or the
    // scheduler switching it (scheduler lock held).
    CpuClock& cpu_clock() { return m_cpu; }

private:
    friend class WaitQueue;
    friend class Scheduler;
    friend void thread_exit();
    friend void sleep_ns(u64);
    friend void scheduler_tick(bool user_mode);
    Thread() = default;
    // A Thread with its name and link set, on no list yet. Returns nullptr
    // when the heap is out of memory.
    static Thread* allocate(const char* name);
    // Give the thread its id and put it on the list of all threads.
    void enroll();
    static void destroy(Thread* t);
    void check_stack_canary() const;

    char m_name[NAME_MAX + 1] = {};
    vm::VmMap* m_vm_map = nullptr;
    Process* m_process = nullptr;
    arch::Pmap* m_pmap = nullptr;
    u64 m_id = 0;
    void* m_stack = nullptr;       // lowest address; nullptr for the boot context
    arch::ThreadContext m_context;
    CpuClock m_cpu;                // see cpu_clock()

    // ---- scheduler lock ----
    State m_state = State::Created;
    bool m_detached = false;
    bool m_timed_out = false;      // a timed wait ended by its deadline
    bool m_interruptible = false;  // blocked in wait_interruptible
    bool m_interrupted = false;    // interrupt() called since clear_interrupt()
    bool m_may_use_reserve = false;
    u32 m_slice = 0;               // ticks left in the time slice
    u64 m_wake_deadline = 0;       // ns; 0 when not on the sleep list
    WaitQueue* m_waiting_on = nullptr;
    WaitQueue m_exit_waiters;      // join() sleeps here
    SchedLink m_link;              // run queue or a WaitQueue
public:
    ListNode m_sleep_node;         // the sleep list (timed waits)
    ListNode m_all_node;           // every thread, for debugging
};

} // namespace kern
