// kernel/top/proc/signal.cpp -- sending and delivering signals (see signal.h).
//
// Sending (send_signal_locked) only sets a bit and wakes the target's
// thread out of an interruptible wait; all the work happens on the target's
// own thread, in return_to_user, when it is about to resume user mode. So a
// signal never interrupts kernel code in the middle of anything: a blocking
// call returns EINTR, unwinds normally (dropping locks and references), and
// only then is the signal taken. That is the classic Unix design (4.4BSD
// issignal/postsig, Linux's get_signal); the code is our own.
//
// A system call that failed with EINTR is restarted (the `syscall`
// instruction executed again) when no handler ran -- the signal was ignored,
// or stopped and continued the process -- or when the handler has
// SA_RESTART and the call is not one that waits for signals or time
// (restartable below); otherwise the program sees EINTR. How it restarts
// (Restart below):
//
//   Reissue    rax gets the call's number back: the same call, the same
//              arguments (Linux's -ERESTARTSYS, -ERESTARTNOHAND)
//   Continue   the call armed the restart block (a relative sleep, poll):
//              rax gets restart_syscall's number, which continues to the
//              saved deadline (Linux's -ERESTART_RESTARTBLOCK)
//
// The block's `armed` flag says "the call that just returned set me"; it
// is taken down at every system call's return, and the block emptied
// unless this return goes to restart_syscall -- so a block never outlives
// the call that set it, except into the restart_syscall that continues it.
// A block emptied so, or left by a process that exits (a SIGKILL while it
// was stopped), runs its `abandon`: a call that holds something while it
// waits to be continued (MFS's server, its device) lets go of it there.
// After a handler the interrupted sleep returns EINTR and its block is
// gone, as Linux's rt_sigreturn empties it. See docs/processes.md
// ("Restarting an interrupted call").
//
// Job control. The terminal stops (SIGTSTP, SIGTTIN, SIGTTOU) with their
// default action stop the process, unless its process group is orphaned
// (process.cpp:is_orphaned_pgrp_locked): then nobody in the session could
// continue it, and the signal is dropped, as POSIX and Linux's get_signal
// do. A terminal asks background_terminal_access before a background read
// or write: it sends SIGTTIN or SIGTTOU to the caller's group and fails
// the call with EINTR, which the restart rule above turns into "try again
// after the stop" (Linux's -ERESTARTSYS).
//
// Alternate stacks. change_alt_stack is sigaltstack's logic (Linux's
// do_sigaltstack), used by the call and by rt_sigreturn; where a frame goes
// is the arch code's (arch/x86_64/signal.cpp:place_frame). A handler's
// effects -- its mask, SS_AUTODISARM's disarming -- take hold only once
// its frame is written; a frame that cannot be written is Linux's
// force_sigsegv (frame_failed).
#include <arch/usermode.h>
#include <kernel/base/abi/linux/signal.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/thread.h>

namespace kern {

namespace {

enum class Default : u8 { Terminate, Ignore, Stop, Continue };

Default default_action(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: return Default::Ignore;
    case SIGCONT: return Default::Continue;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return Default::Stop;
    default: return Default::Terminate;
    }
}

constexpr SigSet STOP_SIGNALS = sig_bit(SIGSTOP) | sig_bit(SIGTSTP) | sig_bit(SIGTTIN) | sig_bit(SIGTTOU);

// A handler for `sig` could not get its frame (a bad or used-up stack, an
// overflowing alternate stack, no sa_restorer): Linux's force_sigsegv. A
// failed SIGSEGV kills the process; any other signal becomes a forced
// SIGSEGV, which a SIGSEGV handler (on the alternate stack, say) may catch.
void frame_failed(Process& p, int sig)
{
    if (sig == SIGSEGV) {
        printk("pid %u (%s): cannot deliver SIGSEGV (bad stack or no restorer): killed\n",
               p.pid(), p.name());
        process_exit(SIGSEGV);
    }
    SigInfo info;
    info.signo = SIGSEGV;
    info.code = SI_KERNEL;
    force_signal(info);
}

// May a call that a handler interrupted start again (SA_RESTART)? Not the
// ones whose point is to wait for a signal or for a time: pause and
// sigsuspend would never return, and a sleep or a poll would start its
// full timeout again (Linux's ERESTARTNOHAND and restart_block cases).
bool restartable(i64 number)
{
    switch (number) {
    case 7:    // poll
    case 23:   // select
    case 34:   // pause
    case 35:   // nanosleep
    case 130:  // rt_sigsuspend
    case 219:  // restart_syscall (a continued sleep or poll)
    case 230:  // clock_nanosleep
    case 270:  // pselect6
    case 271:  // ppoll
        return false;
    default:
        return true;
    }
}

// How a call interrupted with EINTR goes on, once no handler ran (see the
// top comment).
enum class Restart : u8 { None, Reissue, Continue };

// Empty the restart block of `p` without continuing it; its abandon (if
// any) lets go of what the call held.
void drop_restart_block(Process& p)
{
    RestartBlock block = p.restart_block();
    p.restart_block() = {};
    if (block.fn && block.abandon)
        block.abandon(block);
}

// The end of a system call's return: restart it as `how` says, and keep the
// restart block only for the restart_syscall that continues it.
void finish_call(Process& p, arch::UserRegs& regs, i64 syscall_number, Restart how)
{
    if (how == Restart::Reissue)
        arch::user_regs_restart_syscall(regs, u64(syscall_number));
    if (how == Restart::Continue)
        arch::user_regs_restart_syscall(regs, u64(SYS_RESTART_SYSCALL));
    else if (p.restart_block().fn)
        drop_restart_block(p);
}

} // namespace

// ---- the process's signal state (the functions below that read or write
// it are Process's friends, named in process.h) ----

// Does `p` ignore `sig`: SIG_IGN, or SIG_DFL of a signal ignored by
// default? => the tree lock held.
bool is_ignored_locked(const Process& p, int sig)
{
    const SigAction& a = p.m_sig_actions[sig - 1];
    return a.handler == SIG_IGN || (a.handler == SIG_DFL && default_action(sig) == Default::Ignore);
}

// The parent of `p` learns that it stopped or continued. => the tree lock held.
void notify_parent_locked(Process& p)
{
    Process* parent = p.m_parent;
    if (!parent)
        return;
    if (!(parent->m_sig_actions[SIGCHLD - 1].flags & SA_NOCLDSTOP))
        send_signal_locked(*parent, SIGCHLD, p.pid());
    parent->m_child_waiters.wake_all();
}

bool ignored_by_default(int sig) { return default_action(sig) == Default::Ignore; }

// The lowest pending signal that may be taken now, or 0. SIGKILL first.
// => the tree lock held.
int next_signal_locked(const Process& p)
{
    SigSet ready = p.m_sig_pending & ~(p.m_sig_blocked & ~UNBLOCKABLE);
    if (p.m_sig_forced.signo && (p.m_sig_pending & sig_bit(p.m_sig_forced.signo)))
        ready |= sig_bit(p.m_sig_forced.signo);  // forced: taken even if blocked
    if (!ready)
        return 0;
    if (ready & sig_bit(SIGKILL))
        return SIGKILL;
    return __builtin_ctzll(ready) + 1;
}

// Take `sig` off p's pending set (Linux's dequeue_signal). Returns what a
// handler is told of it; `forced` says whether force_signal sent it (a CPU
// exception). => the tree lock held.
SigInfo dequeue_signal_locked(Process& p, int sig, bool& forced)
{
    p.m_sig_pending &= ~sig_bit(sig);
    forced = p.m_sig_forced.signo == sig;
    SigInfo info = forced ? p.m_sig_forced : SigInfo{sig, SI_USER, p.m_sig_sender[sig - 1], 0};
    if (forced)
        p.m_sig_forced = {};
    return info;
}

// Stop the current process until SIGCONT or SIGKILL. => the tree lock
// held (it is dropped while the process sleeps, and held again on return).
void stop_locked(Process& p, int sig)
{
    p.m_stopped = true;
    p.m_stop_signal = u8(sig);
    p.m_stop_reported = false;
    notify_parent_locked(p);
    while (p.m_stopped && !(p.m_sig_pending & sig_bit(SIGKILL)))
        p.m_stop_waiters.wait(process_tree_lock());
}

void arm_restart_block(const RestartBlock& block)
{
    KASSERT(block.fn);
    Process* p = Process::current();
    p->restart_block() = block;
    p->restart_block().armed = true;
}

void abandon_restart_block() { drop_restart_block(*Process::current()); }

ErrorOr<u64> run_restart_block()
{
    Process* p = Process::current();
    RestartBlock block = p->restart_block();
    p->restart_block() = {};  // the continuation arms it again if it is interrupted again
    if (!block.fn)
        return Errno::EINTR;
    return block.fn(block);
}

void send_signal_locked(Process& p, int sig, u32 sender_pid)
{
    KASSERT(process_tree_lock().is_locked_by_me());
    if (sig <= 0 || sig > NSIG || p.m_state == Process::State::Zombie)
        return;
    if (sig == SIGCONT || sig == SIGKILL) {
        p.m_sig_pending &= ~STOP_SIGNALS;
        if (p.m_stopped) {
            p.m_stopped = false;
            p.m_stop_waiters.wake_all();
            if (sig == SIGCONT) {  // a SIGKILL is reported as the death it causes
                p.m_continued = true;
                notify_parent_locked(p);
            }
        }
    }
    if (STOP_SIGNALS & sig_bit(sig))
        p.m_sig_pending &= ~sig_bit(SIGCONT);
    // An ignored signal is dropped at once (so it interrupts nothing),
    // unless blocked: the handler may change before it is unblocked.
    if (is_ignored_locked(p, sig) && !(p.m_sig_blocked & sig_bit(sig)) && sig != SIGKILL)
        return;
    p.m_sig_pending |= sig_bit(sig);
    p.m_sig_sender[sig - 1] = sender_pid;
    if (!(p.m_sig_blocked & sig_bit(sig)) || (UNBLOCKABLE & sig_bit(sig)))
        p.thread()->interrupt();
}

void send_signal(Process& p, int sig, u32 sender_pid)
{
    SpinGuard guard(process_tree_lock());
    send_signal_locked(p, sig, sender_pid);
}

void force_signal(const SigInfo& info)
{
    Process* p = Process::current();
    SpinGuard guard(process_tree_lock());
    p->m_sig_forced = info;
    p->m_sig_pending |= sig_bit(info.signo);
    Thread::current()->interrupt();
}

namespace {
// A send to many: the members of group `pgid`, or with `all` every process
// but init and `skip` (kill(-1, sig)). A zombie is a member until it is
// reaped, as in Linux: it counts (so a group of zombies is not ESRCH) and
// takes the signal silently (send_signal_locked drops it).
struct GroupSend {
    u32 pgid;
    int sig;
    u32 sender;
    Process* skip;
    bool all;
    size_t found;
};
void send_to_member(Process& p, void* arg)
{
    auto* g = static_cast<GroupSend*>(arg);
    if (&p == g->skip)
        return;
    if (g->all ? p.pid() == 1 : p.pgid() != g->pgid)
        return;
    ++g->found;
    send_signal_locked(p, g->sig, g->sender);
}
} // namespace

size_t signal_process_group_locked(u32 pgid, int sig)
{
    GroupSend g{pgid, sig, 0, nullptr, false, 0};
    for_each_process_locked(send_to_member, &g);
    return g.found;
}

ErrorOr<void> signal_process_group(u32 pgid, int sig)
{
    SpinGuard guard(process_tree_lock());
    return signal_process_group_locked(pgid, sig) ? ErrorOr<void>{} : Errno::ESRCH;
}

ErrorOr<void> background_terminal_access(int sig)
{
    KASSERT(sig == SIGTTIN || sig == SIGTTOU);
    Process* self = Process::current();
    KASSERT(self);
    SpinGuard guard(process_tree_lock());
    bool ignored = self->m_sig_actions[sig - 1].handler == SIG_IGN ||
                   (self->m_sig_blocked & sig_bit(sig));
    if (ignored)  // a shell ignores SIGTTOU to take the terminal back with tcsetpgrp
        return sig == SIGTTIN ? ErrorOr<void>(Errno::EIO) : ErrorOr<void>{};
    if (is_orphaned_pgrp_locked(self->m_pgid))
        return Errno::EIO;
    signal_process_group_locked(self->m_pgid, sig);  // interrupts our own thread too
    return Errno::EINTR;
}

ErrorOr<void> kill(i64 pid, int sig)
{
    if (sig < 0 || sig > NSIG)
        return Errno::EINVAL;
    Process* self = Process::current();
    u32 sender = self ? self->pid() : 0;
    SpinGuard guard(process_tree_lock());
    if (pid > 0) {
        Process* p = pid <= 0xffffffff ? Process::find_locked(u32(pid)) : nullptr;
        if (!p || p->is_zombie_locked())
            return p ? ErrorOr<void>{} : Errno::ESRCH;  // a zombie takes signals silently
        send_signal_locked(*p, sig, sender);
        return {};
    }
    GroupSend g{0, sig, sender, nullptr, false, 0};
    if (pid == -1) {
        g.all = true;
        g.skip = self;
    } else {
        g.pgid = pid == 0 ? (self ? self->pgid() : 0) : u32(-pid);
    }
    for_each_process_locked(send_to_member, &g);
    return g.found ? ErrorOr<void>{} : Errno::ESRCH;
}

// ---- the current process's actions and mask ----

// Put `blocked` in place (never SIGKILL, SIGSTOP); a pending signal it
// unblocks interrupts the thread. => s_tree_lock held, `p` is current.
void set_blocked_locked(Process& p, SigSet blocked)
{
    p.m_sig_blocked = blocked & ~UNBLOCKABLE;
    if (p.m_sig_pending & ~p.m_sig_blocked)
        Thread::current()->interrupt();  // something just became deliverable
}

SigAction exchange_signal_action(int sig, const SigAction* next)
{
    Process& self = *Process::current();
    SpinGuard guard(process_tree_lock());
    SigAction old = self.m_sig_actions[sig - 1];
    if (next) {
        self.m_sig_actions[sig - 1] = *next;
        bool ignored = next->handler == SIG_IGN || (next->handler == SIG_DFL && ignored_by_default(sig));
        if (ignored)
            self.m_sig_pending &= ~sig_bit(sig);
    }
    return old;
}

SigSet change_signal_mask(u32 how, const SigSet* set)
{
    using uapi::SIG_BLOCK, uapi::SIG_UNBLOCK;
    Process& self = *Process::current();
    SpinGuard guard(process_tree_lock());
    SigSet old = self.m_sig_blocked;
    if (set)
        set_blocked_locked(self, how == u32(SIG_BLOCK) ? old | *set : how == u32(SIG_UNBLOCK) ? old & ~*set : *set);
    return old;
}

SigSet blocked_pending_signals()
{
    Process& self = *Process::current();
    SpinGuard guard(process_tree_lock());
    return self.m_sig_pending & self.m_sig_blocked;
}

void wait_for_signal_with_mask(SigSet mask)
{
    Process& self = *Process::current();
    SpinGuard guard(process_tree_lock());
    self.m_saved_mask = self.m_sig_blocked;
    self.m_has_saved_mask = true;
    set_blocked_locked(self, mask);
    WaitQueue never;
    while (never.wait_interruptible(process_tree_lock()) != WaitQueue::Result::Interrupted) {
    }
}

TemporarySignalMask::TemporarySignalMask(SigSet mask) : m_process(*Process::current())
{
    SpinGuard guard(process_tree_lock());
    m_old = m_process.m_sig_blocked;
    set_blocked_locked(m_process, mask);
}

void TemporarySignalMask::finish(bool interrupted)
{
    SpinGuard guard(process_tree_lock());
    if (interrupted) {
        m_process.m_saved_mask = m_old;
        m_process.m_has_saved_mask = true;
        return;
    }
    set_blocked_locked(m_process, m_old);
}

ErrorOr<void> change_alt_stack(Process& p, const SigAltStack* wanted, SigAltStack* old, uptr sp)
{
    SigAltStack& now = p.alt_stack();
    if (old) {
        *old = {};
        old->sp = now.sp;
        old->size = now.size;
        old->flags = alt_stack_state(now, sp) | (now.flags & SS_AUTODISARM);
    }
    if (!wanted)
        return {};
    if (on_alt_stack(now, sp))
        return Errno::EPERM;  // the handler running on it would lose its stack
    u32 mode = wanted->flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return Errno::EINVAL;
    if (mode == SS_DISABLE) {
        now = {0, wanted->flags, 0, 0};
        return {};
    }
    if (wanted->size < MINSIGSTKSZ)
        return Errno::ENOMEM;
    now = {wanted->sp, wanted->flags, 0, wanted->size};
    return {};
}

// One pending signal taken off the pending set, and what is left to do
// with it outside the tree lock.
struct TakenSignal {
    enum class Then : u8 {
        NoneLeft,   // nothing deliverable: the interrupt flag is down
        Done,       // ignored, or it stopped and continued the process
        Terminate,  // the default action ends the process
        Handler,    // push a frame for `action`
    };
    Then then = Then::NoneLeft;
    int sig = 0;
    SigInfo info;
    SigAction action;
    SigSet saved_mask = 0;  // the mask the handler's sigreturn restores
};

bool pending_signals_end_call()
{
    Process* p = Process::current();
    if (!p)
        return false;
    SpinGuard guard(process_tree_lock());
    SigSet ready = p->m_sig_pending & ~(p->m_sig_blocked & ~UNBLOCKABLE);
    for (int sig = 1; ready; ++sig, ready >>= 1) {
        if (!(ready & 1))
            continue;
        const SigAction& action = p->m_sig_actions[sig - 1];
        if (sig == SIGKILL || (action.handler != SIG_IGN && action.handler != SIG_DFL))
            return true;
        if (action.handler == SIG_DFL && default_action(sig) == Default::Terminate)
            return true;
    }
    return false;
}

// Take the next deliverable signal of the current process `p` and do what
// needs no user stack and no exit: drop an ignored one, stop for a stop
// signal (sleeping until SIGCONT). Returns what is left to do.
TakenSignal take_signal(Process& p, Thread& self)
{
    SpinGuard guard(process_tree_lock());
    TakenSignal t;
    t.sig = next_signal_locked(p);
    if (!t.sig) {
        self.clear_interrupt();  // under the tree lock: a new signal re-sets it after this
        return t;
    }
    const int sig = t.sig;
    bool forced;
    t.info = dequeue_signal_locked(p, sig, forced);
    t.action = p.m_sig_actions[sig - 1];
    if (forced && (t.action.handler == SIG_IGN || (p.m_sig_blocked & sig_bit(sig))))
        t.action = {};  // a fault cannot be ignored or blocked away
    t.then = TakenSignal::Then::Done;
    if (t.action.handler == SIG_IGN)
        return t;
    if (t.action.handler == SIG_DFL) {
        Default d = default_action(sig);
        if (d == Default::Stop && sig != SIGSTOP && is_orphaned_pgrp_locked(p.m_pgid))
            d = Default::Ignore;  // POSIX: an orphaned group ignores terminal stops
        if (d == Default::Stop)
            stop_locked(p, sig);
        if (d == Default::Terminate)
            t.then = TakenSignal::Then::Terminate;
        return t;
    }
    t.then = TakenSignal::Then::Handler;
    t.saved_mask = p.m_has_saved_mask ? p.m_saved_mask : p.m_sig_blocked;
    if (t.action.flags & SA_RESETHAND)
        p.m_sig_actions[sig - 1] = {};
    return t;
}

// A handler's frame for `t` is on the user stack: block what the handler
// asks for while it runs, and disarm an SS_AUTODISARM stack until its
// rt_sigreturn.
void handler_started(Process& p, Thread& self, const TakenSignal& t)
{
    if (p.alt_stack().flags & SS_AUTODISARM)
        p.alt_stack() = {0, SS_DISABLE, 0, 0};
    SpinGuard guard(process_tree_lock());
    p.m_has_saved_mask = false;
    p.m_sig_blocked |= t.action.mask & ~UNBLOCKABLE;
    if (!(t.action.flags & SA_NODEFER))
        p.m_sig_blocked |= sig_bit(t.sig) & ~UNBLOCKABLE;
    // One frame per return; another deliverable signal is taken at the
    // next return (the flag stays up for it), else the flag goes down so
    // the handler's own calls are not interrupted for nothing.
    if (!next_signal_locked(p))
        self.clear_interrupt();
}

void return_to_user(arch::UserRegs& regs, i64 syscall_number)
{
    Process* p = Process::current();
    Thread* self = Thread::current();
    if (!p)
        return;
    bool is_call = syscall_number >= 0;
    // Did the call just made arm the block? Only this return may use it.
    bool armed = is_call && p->restart_block().armed;
    p->restart_block().armed = false;
    if (!self->interrupt_pending()) {
        if (is_call)
            finish_call(*p, regs, syscall_number, Restart::None);
        return;
    }
    // rt_sigreturn's "result" is the restored rax of the interrupted code,
    // which may well be -EINTR: it is not a call to restart.
    bool interrupted = is_call && syscall_number != uapi::SYS_RT_SIGRETURN &&
                       i64(arch::user_regs_result(regs)) == -i64(Errno::EINTR);
    bool handler_ran = false;
    for (;;) {
        TakenSignal t = take_signal(*p, *self);
        if (t.then == TakenSignal::Then::NoneLeft)
            break;
        if (t.then == TakenSignal::Then::Done)
            continue;
        if (t.then == TakenSignal::Then::Terminate)
            process_exit(t.sig);  // Linux's status for "killed by sig" (no core dumps here)
        // A handler.
        if (interrupted && (t.action.flags & SA_RESTART) && restartable(syscall_number))
            arch::user_regs_restart_syscall(regs, u64(syscall_number));
        interrupted = false;
        arch::SignalFrameInfo frame{t.sig, t.info.code, t.info.pid, t.info.address,
                                    t.action.handler, t.action.restorer, t.saved_mask,
                                    (t.action.flags & SA_ONSTACK) != 0, &p->alt_stack()};
        if (!(t.action.flags & SA_RESTORER) || arch::push_signal_frame(regs, frame).is_error()) {
            frame_failed(*p, t.sig);  // SIGSEGV, if the process lives on
            continue;
        }
        handler_ran = true;
        handler_started(*p, *self, t);
        break;
    }
    Restart how = Restart::None;
    if (interrupted && !handler_ran) {
        if (armed)
            how = Restart::Continue;
        else if (syscall_number != SYS_RESTART_SYSCALL)  // nothing was left to continue
            how = Restart::Reissue;
    }
    if (is_call)
        finish_call(*p, regs, syscall_number, how);
    if (!handler_ran && p->m_has_saved_mask) {
        // sigsuspend woke for a signal that ran no handler: it was restarted
        // just above (Linux keeps waiting too), and sets its mask again.
        SpinGuard guard(process_tree_lock());
        p->m_sig_blocked = p->m_saved_mask;
        p->m_has_saved_mask = false;
    }
}

} // namespace kern
