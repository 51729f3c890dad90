// fs/procfs/proc_info.cpp -- what procfs copies out of the process table.
//
// Everything here runs with the process-tree lock held (a SpinLock:
// interrupts off, no sleeping, no allocation) and only copies fields into
// caller-owned structs; the text is made afterwards, without the lock. So a
// process that exits or is reaped meanwhile cannot be freed under us: we
// never keep a Process* past the lock. A process whose pid is gone is
// simply not found (the caller says ESRCH or ENOENT).
//
// Fields read (kernel/top/proc/process.h): pid, parent, group, session, name,
// state, the stop flag, signal masks, exit signal and status -- all guarded
// by the tree lock -- and the CPU usage through process_usage_locked and
// process_children_usage_locked, which are made for exactly this. What
// execve kept (m_exe_path, m_cmdline) is copied into a buffer the caller
// allocated before taking the lock.
#include <fs/procfs/procfs.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/thread.h>

namespace fs::procfs {

using kern::Process;
using kern::SpinGuard;

namespace {

char state_letter_locked(Process& p)
{
    if (p.m_state == Process::State::Zombie)
        return 'Z';
    if (p.m_stopped)
        return 'T';
    kern::Thread* t = p.m_thread;
    if (t && (t->state() == kern::Thread::State::Running || t->state() == kern::Thread::State::Runnable))
        return 'R';
    return 'S';
}

void fill_locked(Process& p, ProcessInfo& out)
{
    out.pid = p.m_pid;
    out.ppid = p.m_parent ? p.m_parent->m_pid : 0;
    out.pgid = p.m_pgid;
    out.sid = p.m_sid;
    memcpy(out.name, p.m_name, sizeof out.name);
    out.name[sizeof out.name - 1] = 0;
    out.state = state_letter_locked(p);
    out.exit_signal = p.m_exit_signal;
    out.exit_code = p.m_state == Process::State::Zombie ? p.m_wait_status : 0;
    out.sig_pending = p.m_sig_pending;
    out.sig_blocked = p.m_sig_blocked;
    if (p.m_state == Process::State::Zombie || p.m_thread) {
        kern::Usage own = kern::process_usage_locked(p);
        out.utime_ns = own.user_ns;
        out.stime_ns = own.system_ns;
        out.minflt = own.minflt;
        out.maxrss_pages = own.maxrss_pages;
        out.nvcsw = own.nvcsw;
        out.nivcsw = own.nivcsw;
    }
    kern::Usage children = kern::process_children_usage_locked(p);
    out.cutime_ns = children.user_ns;
    out.cstime_ns = children.system_ns;
    out.cminflt = children.minflt;
}

struct PidList {
    u32* out;
    size_t max;
    size_t count;
};

void add_pid(Process& p, void* arg)
{
    auto& list = *static_cast<PidList*>(arg);
    if (list.count < list.max)
        list.out[list.count++] = p.m_pid;
}

void count_process(Process& p, void* arg)
{
    auto& counts = *static_cast<SystemCounts*>(arg);
    ++counts.total;
    if (state_letter_locked(p) == 'R')
        ++counts.running;
    if (p.m_state != Process::State::Zombie && p.m_thread) {
        kern::Usage u = kern::process_usage_locked(p);
        counts.user_ns += u.user_ns;
        counts.system_ns += u.system_ns;
        counts.switches += u.nvcsw + u.nivcsw;
    }
}

} // namespace

bool process_info(u32 pid, ProcessInfo& out)
{
    SpinGuard guard(kern::process_tree_lock());
    Process* p = Process::find_locked(pid);
    if (!p)
        return false;
    fill_locked(*p, out);
    return true;
}

bool process_exists(u32 pid)
{
    SpinGuard guard(kern::process_tree_lock());
    return Process::find_locked(pid) != nullptr;
}

bool process_cmdline(u32 pid, char* buf, size_t n, size_t& length)
{
    SpinGuard guard(kern::process_tree_lock());
    Process* p = Process::find_locked(pid);
    if (!p)
        return false;
    length = 0;
    if (p->m_state == Process::State::Zombie)
        return true;  // empty, as Linux's
    if (p->m_cmdline) {
        length = min(n, p->m_cmdline_length);
        memcpy(buf, p->m_cmdline, length);
    } else {
        length = min(n, strnlen(p->m_name, Process::NAME_LEN - 1) + 1);  // the name and its NUL
        memcpy(buf, p->m_name, length);
        if (length)
            buf[length - 1] = 0;
    }
    return true;
}

bool process_exe(u32 pid, char* buf, size_t n, size_t& length)
{
    SpinGuard guard(kern::process_tree_lock());
    Process* p = Process::find_locked(pid);
    if (!p)
        return false;
    length = 0;
    if (p->m_exe_path) {
        length = min(n, strlen(p->m_exe_path));
        memcpy(buf, p->m_exe_path, length);
    }
    return true;
}

size_t process_pids(u32* out, size_t max)
{
    PidList list{out, max, 0};
    {
        SpinGuard guard(kern::process_tree_lock());
        kern::for_each_process_locked(add_pid, &list);
    }
    // The table is in creation order; pids wrap, so sort (insertion: few).
    for (size_t i = 1; i < list.count; ++i)
        for (size_t j = i; j > 0 && out[j - 1] > out[j]; --j) {
            u32 t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return list.count;
}

SystemCounts system_counts()
{
    SystemCounts counts;
    SpinGuard guard(kern::process_tree_lock());
    kern::for_each_process_locked(count_process, &counts);
    counts.last_pid = kern::last_pid_locked();
    return counts;
}

u32 current_pid()
{
    kern::Thread* t = kern::Thread::current();
    Process* p = t ? t->process() : nullptr;
    return p ? p->pid() : 0;
}

} // namespace fs::procfs
