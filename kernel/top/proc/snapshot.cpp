// kernel/top/proc/snapshot.cpp -- what the rest of the kernel may learn about processes.
//
// The terminal (fs/dev/tty.cpp) and /proc (fs/procfs) need to know things
// about processes that are not their own: whether a session's leader is
// still there, which session a process group belongs to, and for /proc a
// picture of one process, the list of pids and a few counts. They ask here
// (the questions are declared in process.h) instead of walking the process
// table themselves, so the table's shape and the Process fields stay
// kernel/top/proc's business (process_internal.h is not theirs to include).
//
// Every answer is a copy made under the process-tree lock (a SpinLock:
// interrupts off, no sleeping). No caller keeps a Process* past the lock,
// so a process that exits or is reaped meanwhile cannot be freed under
// anyone: it is simply not found the next time (ESRCH). Where the answer
// needs memory (list_pids), it is allocated before the lock is taken.
//
// Fields read: pid, parent, group, session, name, state, the stop flag,
// the signal sets, exit signal and status -- all guarded by the tree lock
// -- the CPU usage through process_usage_locked and
// process_children_usage_locked, and what execve kept (m_exe_path,
// m_cmdline), which the tree lock guards too. See docs/processes.md and
// docs/procfs.md.
#include <kernel/base/lib/string.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/process_internal.h>

namespace kern {

// The letter ps shows: R running or runnable, S sleeping, T stopped, Z zombie.
// => the tree lock held.
char state_letter_locked(const Process& p)
{
    if (p.m_state == Process::State::Zombie)
        return 'Z';
    if (p.m_stopped)
        return 'T';
    Thread* t = p.thread();
    if (t && (t->state() == Thread::State::Running || t->state() == Thread::State::Runnable))
        return 'R';
    return 'S';
}

namespace {

// What check_group_in_session learns in one walk of the table.
struct GroupSearch {
    u32 number;
    bool used = false;              // some process has it as its pid, group or session
    bool has_member = false;        // some process is in group `number`
    u32 owner_session = 0;          // the session of the process whose pid it is (0: none)
};

void look_at_process(Process& p, void* arg)
{
    auto& search = *static_cast<GroupSearch*>(arg);
    u32 n = search.number;
    if (p.pid() == n || p.pgid() == n || p.sid() == n)
        search.used = true;
    if (p.pgid() == n)
        search.has_member = true;
    if (p.pid() == n)
        search.owner_session = p.sid();
}

void add_pid(Process& p, void* arg) { MUST(static_cast<Vector<u32>*>(arg)->try_append(p.pid())); }

void count_process(Process& p, void* arg)
{
    auto& counts = *static_cast<ProcessCounts*>(arg);
    ++counts.total;
    if (state_letter_locked(p) == 'R')
        ++counts.running;
    if (!p.is_zombie_locked() && p.thread()) {
        Usage u = process_usage_locked(p);
        counts.user_ns += u.user_ns;
        counts.system_ns += u.system_ns;
        counts.switches += u.nvcsw + u.nivcsw;
    }
}

} // namespace

// ---- the terminal ----

bool session_leader_running(u32 sid)
{
    SpinGuard guard(process_tree_lock());
    Process* leader = Process::find_locked(sid);
    return leader && !leader->is_zombie_locked();
}

ErrorOr<void> check_group_in_session(u32 pgid, u32 sid)
{
    if (pgid == 0)
        return Errno::ESRCH;
    SpinGuard guard(process_tree_lock());
    if (group_exists_in_session_locked(pgid, sid))
        return {};
    GroupSearch search{pgid};
    for_each_process_locked(look_at_process, &search);
    if (!search.used)
        return Errno::ESRCH;
    if (search.has_member || search.owner_session != sid)
        return Errno::EPERM;  // a group of another session (or the process whose pid it is)
    return {};
}

// ---- /proc ----

ErrorOr<ProcessSnapshot> snapshot_process(u32 pid)
{
    ProcessSnapshot out;
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(pid);
    if (!p)
        return Errno::ESRCH;
    bool zombie = p->m_state == Process::State::Zombie;
    out.pid = p->m_pid;
    out.ppid = p->m_parent ? p->m_parent->m_pid : 0;
    out.pgid = p->m_pgid;
    out.sid = p->m_sid;
    memcpy(out.name, p->m_name, sizeof out.name);
    out.name[sizeof out.name - 1] = 0;
    out.state = state_letter_locked(*p);
    out.exit_signal = p->m_exit_signal;
    out.exit_code = zombie ? p->m_wait_status : 0;
    out.sig_pending = p->m_sig_pending;
    out.sig_blocked = p->m_sig_blocked;
    if (zombie || p->m_thread)
        out.usage = process_usage_locked(*p);
    out.children_usage = process_children_usage_locked(*p);
    return out;
}

bool process_exists(u32 pid)
{
    SpinGuard guard(process_tree_lock());
    return Process::find_locked(pid) != nullptr;
}

ErrorOr<Vector<u32>> list_pids()
{
    Vector<u32> pids;
    TRY(pids.try_reserve(MAX_PROCESSES));  // the table never holds more: no allocation under the lock
    {
        SpinGuard guard(process_tree_lock());
        for_each_process_locked(add_pid, &pids);
    }
    // The table is in creation order; pids wrap, so sort (insertion: few).
    for (size_t i = 1; i < pids.size(); ++i)
        for (size_t j = i; j > 0 && pids[j - 1] > pids[j]; --j) {
            u32 t = pids[j];
            pids[j] = pids[j - 1];
            pids[j - 1] = t;
        }
    return pids;
}

ErrorOr<size_t> copy_process_cmdline(u32 pid, char* buf, size_t n)
{
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(pid);
    if (!p)
        return Errno::ESRCH;
    if (p->m_state == Process::State::Zombie)
        return size_t(0);  // empty, as Linux's
    if (p->m_cmdline_kept) {
        size_t length = min(n, p->m_cmdline.size());
        memcpy(buf, p->m_cmdline.data(), length);
        return length;
    }
    size_t length = min(n, strnlen(p->m_name, Process::NAME_LEN - 1) + 1);  // the name and its NUL
    memcpy(buf, p->m_name, length);
    if (length)
        buf[length - 1] = 0;
    return length;
}

ErrorOr<size_t> copy_process_exe(u32 pid, char* buf, size_t n)
{
    SpinGuard guard(process_tree_lock());
    Process* p = Process::find_locked(pid);
    if (!p)
        return Errno::ESRCH;
    size_t length = min(n, p->m_exe_path.length());
    memcpy(buf, p->m_exe_path.characters(), length);
    return length;
}

ProcessCounts count_processes()
{
    ProcessCounts counts;
    SpinGuard guard(process_tree_lock());
    for_each_process_locked(count_process, &counts);
    counts.last_pid = last_pid_locked();
    return counts;
}

} // namespace kern
