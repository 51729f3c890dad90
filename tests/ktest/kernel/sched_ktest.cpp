// tests/ktest/kernel/sched_ktest.cpp -- threads, the scheduler, wait queues, Mutex.
#include <arch/cpu.h>
#include <arch/time.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/sync/mutex.h>

using namespace kern;

namespace {

void set_flag(void* arg) { *static_cast<volatile int*>(arg) = 1; }

struct Counter {
    Mutex lock;
    u64 value = 0;
    int iterations = 0;
};

void add_under_mutex(void* arg)
{
    auto* c = static_cast<Counter*>(arg);
    for (int i = 0; i < c->iterations; ++i) {
        MutexGuard guard(c->lock);
        u64 v = c->value;
        if (i % 7 == 0)
            yield();  // invite another thread into the critical section
        c->value = v + 1;
    }
}

struct Spinner {
    volatile bool stop = false;
    volatile u64 count = 0;
};

void spin_until_stopped(void* arg)
{
    auto* s = static_cast<Spinner*>(arg);
    while (!s->stop)
        s->count = s->count + 1;  // never yields: only preemption lets others run
}

struct Gate {
    SpinLock lock;
    WaitQueue queue;
    int opened = 0;
    int passed = 0;
};

void wait_at_gate(void* arg)
{
    auto* g = static_cast<Gate*>(arg);
    SpinGuard guard(g->lock);
    while (!g->opened)
        g->queue.wait(g->lock);
    ++g->passed;
}

} // namespace

KTEST(sched, thread_runs_and_joins)
{
    volatile int flag = 0;
    Thread* t = MUST(Thread::create("flag", set_flag, const_cast<int*>(&flag)));
    t->start();
    t->join();
    KEXPECT_EQ(flag, 1);
}

KTEST(sched, many_threads)
{
    constexpr int N = 32;
    volatile int flags[N] = {};
    Thread* threads[N];
    for (int i = 0; i < N; ++i) {
        threads[i] = MUST(Thread::create("many", set_flag, const_cast<int*>(&flags[i])));
        threads[i]->start();
    }
    for (int i = 0; i < N; ++i)
        threads[i]->join();
    int sum = 0;
    for (int i = 0; i < N; ++i)
        sum += flags[i];
    KEXPECT_EQ(sum, N);
}

KTEST(sched, mutex_excludes)
{
    Counter c;
    c.iterations = 300;
    constexpr int N = 4;
    Thread* threads[N];
    for (int i = 0; i < N; ++i) {
        threads[i] = MUST(Thread::create("mutex", add_under_mutex, &c));
        threads[i]->start();
    }
    for (int i = 0; i < N; ++i)
        threads[i]->join();
    KEXPECT_EQ(c.value, u64(N * c.iterations));
    KEXPECT(!c.lock.is_locked());
}

KTEST(sched, preemption_shares_cpu)
{
    // A thread that never yields must not starve this one: the timer preempts it.
    Spinner s;
    Thread* t = MUST(Thread::create("spinner", spin_until_stopped, &s));
    t->start();
    u64 start = arch::monotonic_ns();
    while (s.count == 0 && arch::monotonic_ns() - start < 2000000000ull)
        yield();
    u64 seen = s.count;
    // Now busy-wait without yielding: only a timer preemption lets the spinner run.
    u64 spin_start = arch::monotonic_ns();
    while (arch::monotonic_ns() - spin_start < 100000000ull)
        arch::cpu_relax();
    KEXPECT(seen > 0);
    s.stop = true;
    t->join();
    KEXPECT(s.count > seen);
}

KTEST(sched, sleep_waits_at_least)
{
    u64 start = arch::monotonic_ns();
    sleep_ns(30000000);  // 30 ms
    u64 elapsed = arch::monotonic_ns() - start;
    KEXPECT(elapsed >= 30000000);
    KEXPECT(elapsed < 2000000000);  // and returns
}

KTEST(sched, wait_queue_wakes_all)
{
    Gate g;
    constexpr int N = 5;
    Thread* threads[N];
    for (int i = 0; i < N; ++i) {
        threads[i] = MUST(Thread::create("gate", wait_at_gate, &g));
        threads[i]->start();
    }
    sleep_ns(20000000);  // let them block
    {
        SpinGuard guard(g.lock);
        KEXPECT_EQ(g.passed, 0);
        g.opened = 1;
    }
    g.queue.wake_all();
    for (int i = 0; i < N; ++i)
        threads[i]->join();
    KEXPECT_EQ(g.passed, N);
}

KTEST(sched, timed_wait_times_out)
{
    SpinLock lock;
    WaitQueue queue;
    u64 start = arch::monotonic_ns();
    bool woken;
    {
        SpinGuard guard(lock);
        woken = queue.wait_until(lock, start + 20000000);
    }
    KEXPECT(!woken);
    KEXPECT(arch::monotonic_ns() - start >= 20000000);
    KEXPECT(!queue.has_waiters());
}

KTEST(sched, detached_thread_is_freed)
{
    // The runner's leak check verifies that the stack and Thread went back.
    volatile int flag = 0;
    Thread* t = MUST(Thread::create("detached", set_flag, const_cast<int*>(&flag)));
    t->detach();
    t->start();
    while (!flag)
        yield();
    sleep_ns(10000000);  // let the idle thread reap it
}

KTEST(time, monotonic_clock_and_ticks)
{
    u64 a = arch::monotonic_ns();
    u64 b = arch::monotonic_ns();
    KEXPECT(b >= a);
    u64 ticks0 = scheduler_ticks();
    sleep_ns(200000000);  // 200 ms: 20 ticks at 100 Hz
    u64 ticks = scheduler_ticks() - ticks0;
    KEXPECT(ticks >= 10);
    KEXPECT(ticks <= 60);
}
