// kernel/top/proc/oom.cpp -- the out-of-memory killer: when the page daemon can free nothing more.
//
// The page daemon (vm/pagedaemon.cpp) calls oom_kill() when a pass freed no
// page while threads wait for memory and free memory is down to the
// reserve: every page that could be written to swap or to a file has been,
// or swap is full. Then one process must go, or every waiter would wait for
// ever. As Linux's OOM killer in miniature:
//
//   victim   the process with the largest address space (mapped bytes):
//            Linux weighs resident plus swapped pages; the mapped size is
//            what this kernel knows without taking a lock per map, and it
//            is what a memory hog has most of. Never init (pid 1), never a
//            zombie, never one already dying.
//   action   SIGKILL, and a console line naming it:
//              oom: killed process 42 (hog), 393216 KiB mapped
//   then     no second victim until the first has exited and its memory
//            is back: until then oom_kill() answers "on its way" (true), so
//            the waiters keep waiting instead of failing -- unless the
//            victim has not exited after 2 s (STUCK_NS): then it is stuck
//            behind a lock, and the next victim is chosen.
//
// Waiters whose own process is the victim stop waiting (sigkill pending:
// current_is_dying), so their allocation fails, the fault returns, and the
// SIGKILL ends them.
//
// Lock: the process tree lock while choosing and signalling (a SpinLock;
// nothing here sleeps). s_victim is written only by the daemon thread.
//
// Read more: Linux mm/oom_kill.c (select_bad_process, oom_badness,
// oom_kill_process). Design only; our own code.
#include <arch/time.h>
#include <kernel/base/printk.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/top/proc/signal.h>
#include <vm/map.h>
#include <vm/pageout.h>

namespace kern {

namespace {

u32 s_victim = 0;        // pid of the last victim, 0: none
u64 s_victim_since = 0;  // when it was chosen (monotonic ns)
// A victim that has not exited after this long is stuck -- most likely
// waiting for a lock that a thread waiting for memory holds (an amap lock
// shared since fork) -- and the next one is chosen; the thread that waits
// holding the lock may be it, and its death frees the lock.
constexpr u64 STUCK_NS = 2'000'000'000;

struct Choice {
    Process* victim = nullptr;
    size_t mapped = 0;
};

void consider_locked(Process& p, void* arg)
{
    auto& c = *static_cast<Choice*>(arg);
    if (p.pid() == 1 || p.is_zombie_locked() || sigkill_pending_locked(p) || !p.map())
        return;
    const size_t mapped = p.map()->mapped_bytes();
    if (!c.victim || mapped > c.mapped) {
        c.victim = &p;
        c.mapped = mapped;
    }
}

bool oom_kill()
{
    SpinGuard guard(process_tree_lock());
    if (s_victim) {
        Process* last = Process::find_locked(s_victim);
        const bool stuck = arch::monotonic_ns() - s_victim_since > STUCK_NS;
        if (last && !last->is_zombie_locked() && !stuck)
            return true;  // still exiting: its memory is on its way back
        s_victim = 0;
    }
    Choice c;
    for_each_process_locked(consider_locked, &c);
    if (!c.victim)
        return false;
    s_victim = c.victim->pid();
    s_victim_since = arch::monotonic_ns();
    printk("oom: killed process %u (%s), %zu KiB mapped\n", c.victim->pid(), c.victim->name(),
           c.mapped / 1024);
    send_signal_locked(*c.victim, SIGKILL, 0);
    return true;
}

bool current_is_dying()
{
    Process* self = Process::current();
    if (!self)
        return false;
    SpinGuard guard(process_tree_lock());
    return sigkill_pending_locked(*self);
}

} // namespace

bool sigkill_pending_locked(const Process& p)
{
    return (p.m_sig_pending & sig_bit(SIGKILL)) != 0;
}

void oom_init()
{
    vm::set_paging_hooks({oom_kill, current_is_dying});
}

} // namespace kern
