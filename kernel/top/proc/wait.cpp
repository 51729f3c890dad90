// kernel/top/proc/wait.cpp -- waiting for a child: wait4's work (see process.h: wait_for_child).
//
// A parent sleeps on its own m_child_waiters until one of its children has
// something to report; every change a parent may wait for wakes that
// queue, each with the tree lock held: an exit (process_exit), a stop and
// a continue (signal.cpp). Each wake-up looks at all the children again
// (scan_children_locked), in the order they were made:
//
//   a zombie                       reaped (reap_child, process.cpp); its
//                                  status is what it exited with
//   stopped, not yet reported      with WUNTRACED: (sig << 8) | 0x7f
//   continued, not yet reported    with WCONTINUED: 0xffff
//
// A stop or continue is reported once (m_stop_reported, m_continued). The
// usage reported is the child's own and its reaped children's, read under
// the same lock that found it: final for a zombie, so the same after the
// reap. Reaping itself drops the lock (it joins the child's thread), so
// another waiter may reap the child first: then this one looks again.
//
// Read more: Linux kernel/exit.c (do_wait, wait_consider_task,
// wait_task_zombie, wait_task_stopped, wait_task_continued); xv6's
// proc.c:wait; wait4(2). The system call is sys_process.cpp's.
#include <kernel/base/abi/linux/wait.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/process_internal.h>

namespace kern {

enum class ChildEvent : u8 {
    None,    // nothing to report yet
    Exited,  // a zombie to reap
    Changed, // a stop or a continue (the status is set)
};

namespace {

using uapi::WCONTINUED, uapi::WNOHANG, uapi::WUNTRACED;

// Does the selector `pid` (wait_for_child's) name `child` of `caller`?
bool matches(const Process& caller, const Process& child, i64 pid)
{
    if (pid > 0)
        return child.pid() == u64(pid);
    if (pid == 0)
        return child.pgid() == caller.pgid();
    if (pid == -1)
        return true;
    return child.pgid() == u64(-pid);
}

} // namespace

// One look at `self`'s children: the first that has something to report
// goes in `found` (and a stop's or continue's status in `status`, marked
// reported). Returns what it has. Errors: ECHILD (no child matches).
// => s_tree_lock held.
ErrorOr<ChildEvent> scan_children_locked(Process& self, i64 pid, u32 options, Process*& found, int& status)
{
    bool any = false;
    for (Process& child : self.m_children) {
        if (!matches(self, child, pid))
            continue;
        any = true;
        if (child.m_state == Process::State::Zombie) {
            found = &child;
            return ChildEvent::Exited;
        }
        if ((options & WUNTRACED) && child.m_stopped && !child.m_stop_reported) {
            child.m_stop_reported = true;
            found = &child;
            status = (child.m_stop_signal << 8) | 0x7f;
            return ChildEvent::Changed;
        }
        if ((options & WCONTINUED) && child.m_continued) {
            child.m_continued = false;
            found = &child;
            status = 0xffff;
            return ChildEvent::Changed;
        }
    }
    if (!any)
        return Errno::ECHILD;
    return ChildEvent::None;
}

ErrorOr<ChildReport> wait_for_child(i64 pid, u32 options)
{
    Process& self = *Process::current();
    for (;;) {
        Process* found = nullptr;
        ChildReport report;
        ChildEvent event;
        {
            SpinGuard guard(process_tree_lock());
            event = TRY(scan_children_locked(self, pid, options, found, report.status));
            if (event == ChildEvent::None) {
                if (options & WNOHANG)
                    return report;  // pid 0: nothing yet
                if (self.m_child_waiters.wait_interruptible(process_tree_lock()) ==
                    WaitQueue::Result::Interrupted)
                    return Errno::EINTR;
                continue;
            }
            report.usage = process_usage_locked(*found);
            report.usage.add(process_children_usage_locked(*found));
        }
        report.pid = found->pid();
        if (event == ChildEvent::Exited && !reap_child(self, *found, report.status))
            continue;  // someone else reaped it
        return report;
    }
}

} // namespace kern
