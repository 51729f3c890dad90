// kernel/top/proc/process.cpp -- the process table and tree: spawning, exiting, reaping (see process.h).
//
// The pid table is a list (a teaching kernel runs tens of processes, not
// thousands); pids count up and wrap at PID_MAX, skipping ones in use.
// MAX_PROCESSES bounds the table: fork beyond it is EAGAIN, which is what
// stops a fork bomb before it exhausts memory.
//
// Accounting: an exiting process records its thread's Usage (CPU time,
// kernel/base/sched/cputime.cpp) in the same critical section that makes it a
// zombie, so a parent never reaps it without; reap_child adds it, with the
// child's own reaped children's, to the parent's m_children_usage.
//
// Orphaned process groups (POSIX). A group is orphaned when no member has
// its parent in another group of the same session: then no job-control
// shell is left that could continue it. A member's parent "links" the
// group unless it is init adopting an orphan (m_adopted): Linux skips a
// parent that is init (will_become_orphaned_pgrp); we skip only adoptions,
// because our login shell is init itself and its jobs must keep their link.
// An exit may orphan the exiting process's own group (it was the last link)
// and its children's groups (it linked them); an orphaned group with a
// stopped member then gets SIGHUP and SIGCONT (hang_up_if_orphaned_locked,
// Linux's kill_orphaned_pgrp), which ends it unless it handles SIGHUP.
// A session leader's exit also hangs up its controlling terminal's
// foreground group (fs/dev/tty.cpp:Tty::session_leader_exited).
//
// Resource limits. A process spawned by the kernel starts with
// DEFAULT_RLIMITS (Linux's INIT_RLIMITS, include/asm-generic/resource.h:
// what a process started by init has when nobody changed them); fork copies
// the parent's, execve keeps them. sys_resource.cpp:do_prlimit changes them.
//
// Design after xv6's proc.c (exit, wait, reparenting to init) and NetBSD's
// kern_exit.c; the code is our own. See docs/processes.md.
#include <arch/pmap.h>
#include <arch/usermode.h>
#include <fs/dev/devices.h>
#include <kernel/base/lib/own_ptr.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/thread.h>
#include <new>
#include <vm/map.h>

namespace kern {

namespace {

constexpr u32 PID_MAX = 32768;
SpinLock s_tree_lock;
Process::TableList s_table;
size_t s_count;
u32 s_next_pid = 1;
Process* s_init;

// What spawn hands its new thread: the program and its arguments, copied.
struct SpawnArgs {
    KString path;
    StringList argv;
    StringList envp;
};

// Load the spawned program; its arguments are freed on the way out.
ErrorOr<ExecImage> load_spawned(SpawnArgs* arg)
{
    OwnPtr<SpawnArgs> a = OwnPtr<SpawnArgs>::adopt(arg);
    auto image = exec_current(a->path.view(), a->argv.pointers(), a->envp.pointers());
    if (image.is_error())
        printk("exec %s: %s\n", a->path.characters(), errno_name(image.error()));
    return image;
}

// The spawned process's first code: load the program and enter it, or exit
// with 127 (neither returns).
void spawn_thread_main(void* arg)
{
    auto image = load_spawned(static_cast<SpawnArgs*>(arg));
    if (image.is_error())
        process_exit(127 << 8);
    arch::enter_user_mode(image.value().entry, image.value().stack_pointer);
}

// Free a zombie that is out of the table and the tree.
void reap(Process* z)
{
    z->thread()->join();  // its kernel stack is free when this returns
    delete z;
}

} // namespace

SpinLock& process_tree_lock() { return s_tree_lock; }

// ---- resource limits ----

namespace {

constexpr u64 INF = RLIM_INFINITY;
// In RLIMIT_* order. Where Linux sizes a limit from memory (NPROC and
// SIGPENDING: max_threads / 2), ours is the process table's size.
constexpr Rlimit DEFAULT_RLIMITS[RLIM_NLIMITS] = {
    {INF, INF},                             // CPU        seconds (stored only)
    {INF, INF},                             // FSIZE      bytes a write may reach
    {INF, INF},                             // DATA       data + bss + heap + private writable mmaps
    {USER_STACK_SIZE, INF},                 // STACK      8 MiB: execve's stack region
    {0, INF},                               // CORE       no core files (stored only)
    {INF, INF},                             // RSS        (stored only, as in Linux)
    {MAX_PROCESSES, MAX_PROCESSES},         // NPROC      root is not held to it (Linux)
    {FdTable::MAX_FDS, FdTable::HARD_FDS},  // NOFILE     1024 / 4096
    {8u << 20, 8u << 20},                   // MEMLOCK    8 MiB (stored only)
    {INF, INF},                             // AS         bytes mapped
    {INF, INF},                             // LOCKS      (stored only)
    {MAX_PROCESSES, MAX_PROCESSES},         // SIGPENDING (stored only)
    {819200, 819200},                       // MSGQUEUE   (stored only)
    {0, 0},                                 // NICE       (stored only)
    {0, 0},                                 // RTPRIO     (stored only)
    {INF, INF},                             // RTTIME     (stored only)
};

} // namespace

Process::Process()
{
    for (u32 r = 0; r < RLIM_NLIMITS; ++r)
        m_rlimits[r] = DEFAULT_RLIMITS[r];
}

// What execve kept goes with its owners. A map is still here only if the
// process never ran (fork's and spawn's error paths): process_exit takes it
// away otherwise.
Process::~Process()
{
    if (m_map && !m_borrowed_map)
        m_map->destroy();
}

void Process::set_rlimit_locked(u32 resource, Rlimit limit)
{
    KASSERT(s_tree_lock.is_locked_by_me() && resource < RLIM_NLIMITS && limit.cur <= limit.max);
    __atomic_store_n(&m_rlimits[resource].cur, limit.cur, __ATOMIC_RELAXED);
    __atomic_store_n(&m_rlimits[resource].max, limit.max, __ATOMIC_RELAXED);
    if (resource == RLIMIT_NOFILE)
        m_fds.set_limit(int(limit.cur));  // at most NR_OPEN: do_prlimit's EPERM
}

size_t process_count()
{
    SpinGuard guard(s_tree_lock);
    return s_count;
}

void Process::set_name(StringView path)
{
    size_t slash = path.length();
    while (slash > 0 && path[slash - 1] != '/')
        --slash;
    StringView base = path.substring(slash);
    size_t n = min(base.length(), NAME_LEN - 1);
    memcpy(m_name, base.characters(), n);
    m_name[n] = 0;
}

ErrorOr<void> register_process(Process& p, Process* parent, bool as_init)
{
    SpinGuard guard(s_tree_lock);
    if (s_count >= MAX_PROCESSES)
        return Errno::EAGAIN;
    for (;;) {
        u32 pid = s_next_pid;
        s_next_pid = s_next_pid % PID_MAX + 1;
        if (!Process::find_locked(pid)) {
            p.m_pid = pid;
            break;
        }
    }
    s_table.push_back(p);
    ++s_count;
    p.m_parent = parent;
    if (parent) {
        parent->m_children.push_back(p);
    } else {
        p.m_pgid = p.m_sid = p.m_pid;  // spawned: leads a new session and group
        if (as_init)
            s_init = &p;
    }
    return {};
}

Process* Process::find_locked(u32 pid)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    for (Process& p : s_table)
        if (p.m_pid == pid)
            return &p;
    return nullptr;
}

u32 Process::ppid() const
{
    SpinGuard guard(s_tree_lock);
    return m_parent ? m_parent->m_pid : 0;
}

void for_each_process_locked(void (*fn)(Process&, void*), void* arg)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    for (Process& p : s_table)
        fn(p, arg);
}

Process* init_process_locked() { return s_init; }

u32 last_pid_locked()
{
    KASSERT(s_tree_lock.is_locked_by_me());
    return s_next_pid == 1 ? PID_MAX : s_next_pid - 1;
}

// A zombie is still a member of its group until it is reaped, as in Linux
// (so is it for kill: signal.cpp:send_to_member).
void release_vfork_parent_locked(Process& child)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    Process* parent = child.m_vfork_parent;
    if (!parent)
        return;
    child.m_vfork_parent = nullptr;
    child.m_borrowed_map = false;
    parent->m_vfork_waiting = false;
    parent->m_vfork_done.wake_all();
}

bool group_exists_in_session_locked(u32 pgid, u32 sid)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    for (Process& p : s_table)
        if (p.m_pgid == pgid && p.m_sid == sid)
            return true;
    return false;
}

ErrorOr<void> set_process_group(u32 pid, u32 pgid)
{
    Process& self = *Process::current();
    SpinGuard guard(s_tree_lock);
    Process* target = pid == 0 ? &self : Process::find_locked(pid);
    if (!target || (target != &self && target->m_parent != &self))
        return Errno::ESRCH;
    if (target->m_sid != self.m_sid)
        return Errno::EPERM;
    if (target != &self && target->m_did_exec)
        return Errno::EACCES;
    if (target->m_pid == target->m_sid)
        return Errno::EPERM;  // a session leader stays in its group
    u32 group = pgid == 0 ? target->m_pid : pgid;
    if (group != target->m_pid && !group_exists_in_session_locked(group, self.m_sid))
        return Errno::EPERM;
    __atomic_store_n(&target->m_pgid, group, __ATOMIC_RELAXED);
    return {};
}

ErrorOr<u32> start_session()
{
    Process& self = *Process::current();
    SpinGuard guard(s_tree_lock);
    if (self.m_pgid == self.m_pid)
        return Errno::EPERM;  // already a group leader
    __atomic_store_n(&self.m_sid, self.m_pid, __ATOMIC_RELAXED);
    __atomic_store_n(&self.m_pgid, self.m_pid, __ATOMIC_RELAXED);
    return self.m_pid;
}

// Does `p` keep its group from being orphaned: is its parent in another
// group of the same session? `exiting` counts neither as member nor parent.
// => s_tree_lock held.
bool links_group_locked(const Process& p, const Process* exiting)
{
    const Process* parent = p.m_parent;
    if (&p == exiting || p.m_state != Process::State::Running || !parent || parent == exiting ||
        p.m_adopted)
        return false;
    return parent->m_pgid != p.m_pgid && parent->m_sid == p.m_sid;
}

// Is a member of group `pgid` stopped? => s_tree_lock held.
bool has_stopped_member_locked(u32 pgid)
{
    for (Process& p : s_table)
        if (p.m_pgid == pgid && p.m_stopped && p.m_state == Process::State::Running)
            return true;
    return false;
}

namespace {

// The exit of `exiting` took away a link of group `pgid`: if that orphaned
// it and a member is stopped, SIGHUP then SIGCONT to the group (POSIX).
void hang_up_if_orphaned_locked(u32 pgid, const Process& exiting)
{
    if (!is_orphaned_pgrp_locked(pgid, &exiting) || !has_stopped_member_locked(pgid))
        return;
    signal_process_group_locked(pgid, SIGHUP);
    signal_process_group_locked(pgid, SIGCONT);
}

} // namespace

bool is_orphaned_pgrp_locked(u32 pgid, const Process* exiting)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    for (Process& p : s_table)
        if (p.m_pgid == pgid && links_group_locked(p, exiting))
            return false;
    return true;
}

ErrorOr<Process*> Process::spawn(const fs::Context& ctx, StringView path, const char* const* argv,
                                 const char* const* envp, bool as_init)
{
    if (path.length() >= fs::PATH_MAX)
        return Errno::ENAMETOOLONG;
    // Owned until the thread starts: an error frees both (the Process's
    // FdTable and Context drop their references).
    OwnPtr<Process> p = TRY(make_own<Process>());
    OwnPtr<SpawnArgs> args = TRY(make_own<SpawnArgs>());
    args->path = TRY(KString::create(path));
    args->argv = TRY(StringList::copy(argv));
    args->envp = TRY(StringList::copy(envp));
    p->m_fs = ctx;
    p->m_kernel_waits = true;
    if (auto console = dev::open_console(); !console.is_error()) {
        for (int fd = 0; fd < 3; ++fd)
            (void)p->m_fds.install(*console.value(), false, fd);
        console.value()->unref();
    }
    p->set_name(path);
    Thread* thread = TRY(Thread::create(p->m_name, spawn_thread_main, args.get()));
    p->m_thread = thread;  // before the table shows it: a signal interrupts it
    if (auto r = register_process(*p, nullptr, as_init); r.is_error()) {
        Thread::destroy_unstarted(thread);
        return r.error();
    }
    // Nothing below can fail: the thread owns the arguments, the table the process.
    (void)args.leak();
    thread->set_process(p.get());
    thread->start();
    return p.leak();
}

int Process::wait()
{
    SpinGuard guard(s_tree_lock);
    KASSERT(m_kernel_waits);
    while (m_state != State::Zombie)
        m_child_waiters.wait(s_tree_lock);
    return shell_status(m_wait_status);
}

void Process::release()
{
    {
        SpinGuard guard(s_tree_lock);
        KASSERT(m_state == State::Zombie && m_kernel_waits);
        s_table.remove(*this);
        --s_count;
        if (s_init == this)
            s_init = nullptr;
    }
    reap(this);
}

Process* Process::current() { return Thread::current()->process(); }

int shell_status(int wait_status)
{
    if ((wait_status & 0x7f) == 0)
        return (wait_status >> 8) & 0xff;  // exited
    return 128 + (wait_status & 0x7f);      // killed by a signal
}

void process_exit(int wait_status)
{
    Process* p = Process::current();
    KASSERT(p);
    Thread* self = Thread::current();
    // A call waiting in the restart block is over for good (an MFS server
    // killed while stopped: its device fails its requests now).
    abandon_restart_block();
    // Everything but the zombie goes now: descriptors, directories, memory.
    p->m_fds.close_all();
    p->m_fs.root = nullptr;
    p->m_fs.cwd = nullptr;
    self->set_address_space(nullptr, nullptr);
    vm::VmMap* map;
    {
        MutexGuard guard(process_map_swap_lock());  // /proc's readers (maps.cpp)
        map = std::exchange(p->m_map, nullptr);
    }
    if (map && !p->m_borrowed_map)  // none if a spawned program failed to load
        map->destroy();
    {
        // A zombie has no exe and an empty cmdline (procfs). Moved out under
        // the lock, freed after it.
        KString exe_path;
        KBuffer cmdline;
        SpinGuard guard(s_tree_lock);
        release_vfork_parent_locked(*p);  // a vfork child that never exec'd
        std::swap(exe_path, p->m_exe_path);
        std::swap(cmdline, p->m_cmdline);
        p->m_cmdline_kept = false;
    }
    if (p->pid() == p->sid())
        dev::session_leader_exited(p->sid());  // SIGHUP to its terminal's foreground

    Process::ChildList orphans;  // zombies nobody will reap
    bool self_reap = false;
    {
        SpinGuard guard(s_tree_lock);
        bool linked_own_group = links_group_locked(*p, nullptr);
        Process* heir = s_init != p ? s_init : nullptr;
        u32 group_checked = 0;  // a pipeline's members share a group: check it once
        while (Process* child = p->m_children.first()) {
            p->m_children.remove(*child);
            child->m_parent = heir;
            child->m_adopted = heir != nullptr;
            if (child->m_sid == p->m_sid && child->m_pgid != p->m_pgid &&
                child->m_pgid != group_checked) {
                group_checked = child->m_pgid;
                hang_up_if_orphaned_locked(child->m_pgid, *p);  // we linked its group
            }
            if (heir) {
                heir->m_children.push_back(*child);
                if (child->m_state == Process::State::Zombie) {
                    send_signal_locked(*heir, SIGCHLD, child->m_pid);
                    heir->m_child_waiters.wake_all();
                }
            } else if (child->m_state == Process::State::Zombie) {
                s_table.remove(*child);
                --s_count;
                orphans.push_back(*child);
            }
        }
        if (linked_own_group)
            hang_up_if_orphaned_locked(p->m_pgid, *p);
        p->m_exit_usage = self->usage();  // before anyone can reap it
        p->m_state = Process::State::Zombie;
        p->m_wait_status = wait_status;
        if (p->m_parent) {
            send_signal_locked(*p->m_parent, p->m_exit_signal, p->m_pid);
            p->m_parent->m_child_waiters.wake_all();
        } else if (p->m_kernel_waits) {
            p->m_child_waiters.wake_all();
        } else {
            // An orphan with no init: nobody will wait, so it frees itself.
            s_table.remove(*p);
            --s_count;
            self_reap = true;
        }
        self->set_process(nullptr);
    }
    while (Process* z = orphans.first()) {
        orphans.remove(*z);
        reap(z);
    }
    if (self_reap) {
        self->detach();
        delete p;
    }
    // From here `p` may be reaped (and freed) by its parent at any time.
    thread_exit();
}

bool reap_child(Process& parent, Process& child, int& wait_status)
{
    {
        SpinGuard guard(s_tree_lock);
        if (child.m_parent != &parent || child.m_state != Process::State::Zombie)
            return false;
        parent.m_children.remove(child);
        s_table.remove(child);
        --s_count;
        wait_status = child.m_wait_status;
        parent.m_children_usage.add(child.m_exit_usage);      // cutime, cstime
        parent.m_children_usage.add(child.m_children_usage);
    }
    reap(&child);
    return true;
}

// ---- accounting ----

Usage process_usage_locked(Process& p)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    if (p.m_state == Process::State::Zombie)
        return p.m_exit_usage;
    return p.m_thread->usage();  // one thread per process
}

Usage process_children_usage_locked(Process& p)
{
    KASSERT(s_tree_lock.is_locked_by_me());
    return p.m_children_usage;
}

void exit_on_exception(int signal, int code, const char* name, const char* access, uptr address,
                       uptr rip)
{
    Process* p = Process::current();
    KASSERT_MSG(p, "user-mode exception without a process");
    if (access)
        printk("pid %u (%s): %s: %s at %#lx, rip %#lx: signal %d\n", p->pid(), p->name(), name,
               access, address, rip, signal);
    else
        printk("pid %u (%s): %s at rip %#lx: signal %d\n", p->pid(), p->name(), name, rip, signal);
    SigInfo info;
    info.signo = signal;
    info.code = code;
    info.address = access ? address : rip;  // the faulting instruction, for SIGILL/SIGFPE/...
    force_signal(info);
}

} // namespace kern
