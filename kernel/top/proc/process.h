// kernel/top/proc/process.h -- Process: a program running in its own address space.
//
// A process is one user thread (no CLONE_THREAD yet), an address space (a
// VmMap with its pmap), file descriptors (FdTable), a file-system context
// (root, cwd, credentials; fs/vfs/context.h), signal state, and its place
// in the process tree: a parent, children, a process group and a session.
//
// Life (docs/processes.md draws it):
//
//   Process::spawn (the kernel starts a program: init, tests)
//   fork()  ----->  Running --exit/exit_group/fatal signal--> Zombie --reap--> freed
//                    | execve replaces the address space        ^ wait4 by the parent,
//                                                               | or Process::wait+release
//                                                               | by the kernel creator
//
// Exiting (process_exit) frees the address space, the descriptors, the
// cwd and what execve kept for /proc (the path and the arguments) at once
// -- a zombie is only its pid, its status, this struct and its thread's
// kernel stack until the reaper joins it -- gives its children to init
// (pid 1) or, if there is none, lets each of them free itself on exit,
// sends SIGCHLD to its parent and wakes the parent's wait4. Reaping joins the process's thread (so its kernel stack
// is free when wait4 returns: the leak checks of the tests rely on it),
// adds the child's CPU time to the parent's children's (times' cutime) and
// frees the Process.
//
// The fields. What the rest of the kernel may know of a process is the
// calls of the class and the questions declared after it (the terminal's,
// /proc's: session_leader_running, check_group_in_session,
// snapshot_process, ...; implemented in snapshot.cpp), and the operations
// the system calls ask for (fork_current, wait_for_child,
// set_process_group, start_session; signal.h's for the signal calls). The
// fields are private to kernel/top/proc/ (the friends named in the class).
//
// Locking. s_tree_lock (process.cpp), a SpinLock, guards the pid table, the
// parent/children links, m_state, m_wait_status, m_pgid, m_sid and the signal
// fields (pending, blocked, actions): it must be a SpinLock because the
// terminal sends SIGINT from its interrupt handler. Everything else is used
// only by the process's own thread (m_fs, m_fds, m_map, the brk fields),
// except where a comment says otherwise.
#pragma once

#include <fs/vfs/context.h>
#include <kernel/base/abi/linux/resource.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/kstring.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/lib/vector.h>
#include <kernel/top/proc/fd_table.h>
#include <kernel/top/proc/signal.h>
#include <kernel/base/sched/usage.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/mutex.h>

namespace vm {
class VmMap;
}

namespace arch {
struct UserRegs;
}

namespace kern {

class Thread;
struct ExecImage;        // exec.h
struct ForkOptions;      // below
struct TimerSetting;     // alarm.cpp
struct ProcessSnapshot;  // below
struct ChildReport;      // below
enum class ChildEvent : u8;  // wait.cpp
struct TakenSignal;      // signal.cpp
[[noreturn]] void process_exit(int wait_status);  // below

// ---- resource limits: getrlimit(2), setrlimit(2), prlimit(2) ----
// Linux's resource numbers (kernel/base/abi/linux/resource.h, under the
// kernel's names here) and struct rlimit64: a soft limit (`cur`, what is
// enforced) at or below a hard one (`max`, the ceiling for the soft one).
// Defaults and enforcement: process.cpp (DEFAULT_RLIMITS) and
// docs/processes.md ("Resource limits").
using uapi::RLIMIT_CPU, uapi::RLIMIT_FSIZE, uapi::RLIMIT_DATA, uapi::RLIMIT_STACK, uapi::RLIMIT_CORE,
    uapi::RLIMIT_RSS, uapi::RLIMIT_NPROC, uapi::RLIMIT_NOFILE, uapi::RLIMIT_MEMLOCK, uapi::RLIMIT_AS,
    uapi::RLIMIT_LOCKS, uapi::RLIMIT_SIGPENDING, uapi::RLIMIT_MSGQUEUE, uapi::RLIMIT_NICE,
    uapi::RLIMIT_RTPRIO, uapi::RLIMIT_RTTIME, uapi::RLIM_NLIMITS, uapi::RLIM_INFINITY;

struct Rlimit {
    u64 cur;  // soft
    u64 max;  // hard
};

class Process {
    // The links of the process tree (s_tree_lock): in the parent's
    // m_children and in the pid table (process.cpp).
    ListNode m_sibling_node;
    ListNode m_table_node;

public:
    enum class State : u8 { Running, Zombie };
    static constexpr size_t NAME_LEN = 16;       // Linux's TASK_COMM_LEN
    static constexpr size_t CMDLINE_MAX = 4096;  // what execve keeps of argv for /proc

    // Start `path` with `argv` / `envp` (NULL-terminated; copied) in a new
    // process with no parent: the kernel caller waits for it with wait()
    // and frees it with release(). Its descriptors 0, 1 and 2 are the
    // console; its file-system context is `ctx`. The program is loaded by
    // the new thread; if loading fails the process exits with status 127.
    // It leads a new session and process group. With `as_init` it becomes
    // init, the heir of orphans, before it can run.
    // Errors: ENAMETOOLONG (path), ENOMEM, EAGAIN (the table is full).
    static ErrorOr<Process*> spawn(const fs::Context& ctx, StringView path, const char* const* argv,
                                   const char* const* envp, bool as_init = false);

    // For spawn()'s caller: sleep until the process has exited. Returns a
    // shell's view of its status: the exit code (0-255), or 128 + n if
    // signal n killed it.
    int wait();
    // Reap it. => wait() returned.
    void release();

    static Process* current();
    // The process with `pid`, or nullptr. => s_tree_lock held (process_tree_lock()).
    static Process* find_locked(u32 pid);

    u32 pid() const { return m_pid; }
    u32 ppid() const;
    u32 pgid() const { return __atomic_load_n(&m_pgid, __ATOMIC_RELAXED); }
    u32 sid() const { return __atomic_load_n(&m_sid, __ATOMIC_RELAXED); }
    // Has it exited (a zombie waiting to be reaped)? => s_tree_lock held.
    bool is_zombie_locked() const { return m_state == State::Zombie; }
    const char* name() const { return m_name; }
    // Set the name from a program's path: its last component, cut at
    // NAME_LEN - 1 characters (execve, prctl(PR_SET_NAME)).
    void set_name(StringView path);
    vm::VmMap* map() const { return m_map; }
    Thread* thread() const { return m_thread; }

    // The file-system context (chdir, chroot change it) and descriptors:
    // the process's own thread only.
    fs::Context& fs_context() { return m_fs; }
    FdTable& fds() { return m_fds; }
    u32 umask() const { return m_umask; }
    void set_umask(u32 mask) { m_umask = mask & 0777; }

    // Limit `resource` (< RLIM_NLIMITS): its soft value is what is enforced.
    Rlimit rlimit(u32 resource) const
    {
        return {__atomic_load_n(&m_rlimits[resource].cur, __ATOMIC_RELAXED),
                __atomic_load_n(&m_rlimits[resource].max, __ATOMIC_RELAXED)};
    }
    // Set it (checked by the caller: cur <= max); RLIMIT_NOFILE's soft value
    // also goes to the descriptor table. => s_tree_lock held.
    void set_rlimit_locked(u32 resource, Rlimit limit);

    Process();   // the default resource limits (DEFAULT_RLIMITS)
    ~Process();

    // The list of a process's children, and the pid table's (process.cpp).
    using ChildList = IntrusiveList<Process, &Process::m_sibling_node>;
    using TableList = IntrusiveList<Process, &Process::m_table_node>;

    // sigaltstack's setting (signal.h). Its thread's own: set by sigaltstack
    // and rt_sigreturn, read when a signal is delivered, copied by fork,
    // emptied by execve; no lock.
    SigAltStack& alt_stack() { return m_alt_stack; }
    // What an interrupted sleep or poll continues with (signal.h:
    // RestartBlock). Its thread's own: armed by the call, used and emptied
    // by return_to_user and restart_syscall, emptied by execve; no lock.
    RestartBlock& restart_block() { return m_restart; }

    // The program break (brk(2)): the heap grows up from brk_start() (set
    // by execve) to brk_end_locked(), which brk moves. Guarded by brk_lock()
    // (threads of one process will share it).
    Mutex& brk_lock() { return m_brk_lock; }
    uptr brk_start() const { return m_brk_start; }
    // => brk_lock() held.
    uptr brk_end_locked() const { return m_brk; }
    // => brk_lock() held.
    void set_brk_end_locked(uptr end) { m_brk = end; }

private:
    // The code of kernel/top/proc/ that works on the fields below; nothing
    // else may (the rest of the kernel uses the calls above, and the
    // questions declared after the class).
    // process.cpp: the table, the tree, exit and reaping.
    friend ErrorOr<void> register_process(Process&, Process*, bool);
    friend void release_vfork_parent_locked(Process&);
    friend bool links_group_locked(const Process&, const Process*);
    friend bool group_exists_in_session_locked(u32, u32);
    friend bool has_stopped_member_locked(u32);
    friend bool is_orphaned_pgrp_locked(u32, const Process*);
    friend void process_exit(int);
    friend bool reap_child(Process&, Process&, int&);
    friend Usage process_usage_locked(Process&);
    friend Usage process_children_usage_locked(Process&);
    friend ErrorOr<void> set_process_group(u32, u32);
    friend ErrorOr<u32> start_session();
    // wait.cpp: wait4.
    friend ErrorOr<ChildEvent> scan_children_locked(Process&, i64, u32, Process*&, int&);
    friend ErrorOr<ChildReport> wait_for_child(i64, u32);
    // fork.cpp, exec.cpp: a new process, a new program.
    friend ErrorOr<u32> fork_current(const arch::UserRegs&, const ForkOptions&);
    friend ErrorOr<ExecImage> exec_current(StringView, const char* const*, const char* const*);
    // signal.cpp: sending, forcing, taking and stopping.
    friend void send_signal_locked(Process&, int, u32);
    friend void force_signal(const SigInfo&);
    friend int next_signal_locked(const Process&);
    friend SigInfo dequeue_signal_locked(Process&, int, bool&);
    friend void stop_locked(Process&, int);
    friend bool is_ignored_locked(const Process&, int);
    friend void notify_parent_locked(Process&);
    friend TakenSignal take_signal(Process&, Thread&);
    friend void handler_started(Process&, Thread&, const TakenSignal&);
    friend void return_to_user(arch::UserRegs&, i64);
    friend bool pending_signals_end_call();
    friend ErrorOr<void> background_terminal_access(int);
    // oom.cpp: the OOM killer's victim and its SIGKILL.
    friend bool sigkill_pending_locked(const Process&);
    friend void set_blocked_locked(Process&, SigSet);
    friend SigAction exchange_signal_action(int, const SigAction*);
    friend SigSet change_signal_mask(u32, const SigSet*);
    friend SigSet blocked_pending_signals();
    friend void wait_for_signal_with_mask(SigSet);
    friend class TemporarySignalMask;
    // alarm.cpp: the real-time timer.
    friend void fire_or_note(Process&, void*);
    friend ErrorOr<TimerSetting> set_timer(const TimerSetting*);
    // snapshot.cpp: what the terminal and /proc are told.
    friend ErrorOr<ProcessSnapshot> snapshot_process(u32);
    friend char state_letter_locked(const Process&);
    friend ErrorOr<size_t> copy_process_cmdline(u32, char*, size_t);
    friend ErrorOr<size_t> copy_process_exe(u32, char*, size_t);

    u32 m_pid = 0;
    char m_name[NAME_LEN] = {};  // the program's base name (execve sets it)
    fs::Context m_fs;
    FdTable m_fds;
    vm::VmMap* m_map = nullptr;
    bool m_borrowed_map = false;  // vfork: m_map is the parent's, not ours to destroy
    Thread* m_thread = nullptr;
    u32 m_umask = 022;
    SigAltStack m_alt_stack;  // alt_stack()
    RestartBlock m_restart;   // restart_block()

    // The program break (brk_lock()).
    Mutex m_brk_lock;
    uptr m_brk_start = 0;
    uptr m_brk = 0;

    // ---- s_tree_lock ----
    u32 m_pgid = 0;
    u32 m_sid = 0;
    Process* m_parent = nullptr;  // nullptr: spawned by the kernel, or orphaned with no init
    bool m_did_exec = false;      // execve succeeded since fork (setpgid's EACCES)
    State m_state = State::Running;
    bool m_stopped = false;       // job control: stopped by SIGSTOP/SIGTSTP/...
    u8 m_stop_signal = 0;         // the signal that stopped it (wait4 reports it)
    bool m_stop_reported = true;  // wait4(WUNTRACED) has seen the stop
    bool m_continued = false;     // wait4(WCONTINUED) has not seen the SIGCONT yet
    ChildList m_children;
    WaitQueue m_child_waiters;    // wait4 (and wait()) sleep here
    SigSet m_sig_pending = 0;
    SigSet m_sig_blocked = 0;
    SigAction m_sig_actions[NSIG];
    bool m_has_saved_mask = false; // rt_sigsuspend, ppoll: the mask to restore after the handler
    SigSet m_saved_mask = 0;
    bool m_adopted = false;       // m_parent is init, which adopted it: links no group (orphans)
    bool m_kernel_waits = false;  // spawn(): wait()/release() reap it
    Process* m_vfork_parent = nullptr;  // vfork: the parent waiting for our execve or exit
    bool m_vfork_waiting = false;  // vfork: this process waits on m_vfork_done
    u8 m_exit_signal = SIGCHLD;   // sent to the parent at exit (clone's low byte; 0: none)
    int m_wait_status = 0;        // Linux's encoding: code << 8, or the signal number
    WaitQueue m_stop_waiters;     // a stopped process sleeps here until SIGCONT
    WaitQueue m_vfork_done;       // a vfork parent sleeps here until its child lets go
    SigInfo m_sig_forced;         // force_signal's, if its bit is pending
    u32 m_sig_sender[NSIG] = {};  // the pid that sent each pending signal (si_pid)
    u64 m_alarm_ns = 0;           // alarm(2) deadline, monotonic ns; 0: none (alarm.cpp)
    u64 m_alarm_interval_ns = 0;  // setitimer's period, 0: one shot

    // ---- what execve kept for /proc/<pid>/exe and cmdline: set by execve
    // and fork, emptied by process_exit, each with s_tree_lock held (a
    // reader copies them under it: snapshot.cpp); the process's own thread
    // reads them without it. Empty: none kept (never exec'd, a zombie, or
    // the heap was short at execve). ----
    KString m_exe_path;        // the program's absolute path, symlinks followed
    KBuffer m_cmdline;         // argv's strings, each with its NUL, cut at CMDLINE_MAX bytes
    bool m_cmdline_kept = false;  // m_cmdline is argv's (even an empty one)

    // ---- accounting, s_tree_lock (see process_usage_locked below) ----
    Usage m_exit_usage;           // its threads' usage, recorded as it became a zombie
    Usage m_children_usage;       // reaped children's, each with its reaped children's

    // ---- resource limits: written with s_tree_lock held (prlimit may set
    // another process's), read by the process's own thread without it (each
    // value is one aligned word: rlimit() loads it atomically) ----
    Rlimit m_rlimits[RLIM_NLIMITS];
};

// The lock named in the header comment (for signal.cpp, sys_* code that
// walks the tree: kill, setpgid).
SpinLock& process_tree_lock();

// oom.cpp: give the page daemon its OOM killer (vm/pageout.h:PagingHooks).
void oom_init();

// ---- what the system calls ask for (kernel/top/syscall/) ------------------
// Each works on the current process, takes the locks it needs itself and
// keeps Linux's order of checks (kernel/fork.c, kernel/exit.c, kernel/sys.c).

// fork.cpp: a copy of the current process whose thread resumes user mode
// with `regs` (result 0). Returns the child's pid. Errors: EAGAIN, ENOMEM.
struct ForkOptions {
    uptr stack = 0;          // the child's stack pointer, if not 0 (clone)
    bool set_tls = false;    // CLONE_SETTLS: the child's thread pointer is `tls`
    uptr tls = 0;
    uptr child_tid = 0;      // CLONE_CHILD_SETTID: store the child's tid here
    u8 exit_signal = SIGCHLD;  // what the parent gets when the child exits (0: nothing)
    bool share_memory = false;   // CLONE_VM (only with wait_for_release): the parent's map
    bool wait_for_release = false;  // CLONE_VFORK: the parent sleeps until the child's
                                    // execve or exit (release_vfork_parent)
};
ErrorOr<u32> fork_current(const arch::UserRegs& regs, const ForkOptions& options);

// wait.cpp: what wait4 reports about one child.
struct ChildReport {
    u32 pid = 0;     // the child; 0: none yet (WNOHANG)
    int status = 0;  // Linux's wait status: exit, signal, stop or continue
    Usage usage;     // the child's own and its reaped children's (RUSAGE_BOTH)
};
// wait4's work: sleep until a child the selector `pid` names (> 0 that
// pid, 0 the caller's group, -1 any, < -1 the group -pid) has exited --
// it is then reaped -- or, with WUNTRACED / WCONTINUED in `options`, has
// stopped or continued; with WNOHANG do not sleep.
// => `options` holds only WNOHANG, WUNTRACED, WCONTINUED (and the flags
// that change nothing here: __WALL, ...).
// Errors: ECHILD (no child matches), EINTR (a signal came first).
ErrorOr<ChildReport> wait_for_child(i64 pid, u32 options);

// process.cpp, setpgid(2): move the current process or its child `pid`
// (0: itself) into group `pgid` (0: the group `pid` leads), a group of the
// same session. Errors, in Linux's order: ESRCH (not the caller nor its
// child), EPERM (a child in another session), EACCES (a child that has
// called execve), EPERM (a session leader; a group that is not in the
// caller's session).
ErrorOr<void> set_process_group(u32 pid, u32 pgid);
// setsid(2): the current process leads a new session and a new group.
// Returns the new session id (its pid). Errors: EPERM (it leads a group
// already).
ErrorOr<u32> start_session();
// How many processes exist (zombies too).
size_t process_count();

// ---- questions from the rest of the kernel (snapshot.cpp) ----------------
// Each takes the tree lock itself and copies out what it found: no caller
// keeps a Process* past the lock, so a process that exits or is reaped
// meanwhile is simply not found (ESRCH) the next time.

// The terminal (fs/dev/tty.cpp; sending to a group and the background
// checks are signal.h's signal_process_group and background_terminal_access).
// Is the leader of session `sid` still there (not exited)?
bool session_leader_running(u32 sid);
// May group `pgid` become the foreground group of a terminal of session
// `sid` (TIOCSPGRP; Linux's tiocspgrp with session_of_pgrp)? Yes if a
// member of the group is in the session; a group with no member stands for
// the process whose pid the number is.
// Errors: ESRCH (0, or no process has the number as its pid, group or
// session), EPERM (the group, or that process, is of another session).
ErrorOr<void> check_group_in_session(u32 pgid, u32 sid);

// /proc (fs/procfs). One process as it was at one moment.
struct ProcessSnapshot {
    u32 pid = 0, ppid = 0, pgid = 0, sid = 0;
    char name[Process::NAME_LEN] = {};
    char state = 'S';          // R running, S sleeping, T stopped, Z zombie
    u8 exit_signal = 0;
    int exit_code = 0;         // a zombie's wait status; 0 while it runs
    Usage usage;               // its own (see process_usage_locked)
    Usage children_usage;      // its reaped children's
    SigSet sig_pending = 0, sig_blocked = 0;
};
// The process `pid` (zombies too). Errors: ESRCH (no such process).
ErrorOr<ProcessSnapshot> snapshot_process(u32 pid);
// Only whether `pid` is in the table (zombies too).
bool process_exists(u32 pid);
// The pids in the table, ascending. Errors: ENOMEM.
ErrorOr<Vector<u32>> list_pids();
// What execve kept of `pid`, copied into `buf` (at most `n` bytes). Returns
// how many bytes were copied:
//   cmdline: the arguments, NUL-separated; the name and a NUL if execve kept
//            none; nothing for a zombie (as Linux);
//   exe:     the program's path (no NUL); 0 if none is kept (never exec'd,
//            a zombie, a short heap at execve).
// Errors: ESRCH (no such process).
ErrorOr<size_t> copy_process_cmdline(u32 pid, char* buf, size_t n);
ErrorOr<size_t> copy_process_exe(u32 pid, char* buf, size_t n);
// One entry of a process's memory map, as /proc/<pid>/maps and smaps show
// it (maps.cpp copies them under the map's lock).
struct MapRegion {
    enum class Label : u8 { None, Heap, Stack };  // [heap], [stack]
    uptr start = 0, end = 0;  // [start, end), page-aligned
    u64 offset = 0;           // in the backing object (0 for zero-fill memory)
    u8 prot = 0;              // vm::PROT_READ | PROT_WRITE | PROT_EXEC
    u8 max_prot = 0;          // what mprotect may allow
    bool shared = false;      // writes reach the object (MAP_SHARED): not copy-on-write
    bool wired = false;       // mlock'ed (wire())
    bool not_inherited = false;  // fork leaves it out (MADV_DONTFORK)
    Label label = Label::None;
    // With `count_pages` only (smaps): pages present in the page table, in
    // bytes. rss = shared_* + private_* (shared: mapped by more than one
    // page table); pss_shifted is Linux's proportional share, each page's
    // size divided by its mapping count, << PSS_SHIFT.
    static constexpr u32 PSS_SHIFT = 12;
    u64 rss = 0, pss_shifted = 0, shared_clean = 0, shared_dirty = 0, private_clean = 0,
        private_dirty = 0, referenced = 0, anonymous = 0;
};
// The entries of `pid`'s address space in address order; none for a zombie.
// With `count_pages`, each entry's page counts too (a page-table lookup per
// page of the entry). Errors: ESRCH (no such process), ENOMEM.
ErrorOr<Vector<MapRegion>> copy_process_regions(u32 pid, bool count_pages = false);
// Counts for /proc/loadavg and /proc/stat: processes (zombies too), how many
// are runnable, the last pid given out, and the CPU time and context
// switches of the live ones.
struct ProcessCounts {
    u32 total = 0, running = 0, last_pid = 0;
    u64 user_ns = 0, system_ns = 0, switches = 0;
};
ProcessCounts count_processes();

// End the current process with wait status `wait_status` (Linux encoding:
// exit code << 8, or a signal number): see the header comment. => called on
// the process's own thread.
[[noreturn]] void process_exit(int wait_status);

// From the trap handler: the current process raised CPU exception `name`
// (at `address`, for `access`, if a page fault) at `rip`: force `signal`
// with si_code `code` (delivered on the way back to user mode; fatal unless
// handled).
void exit_on_exception(int signal, int code, const char* name, const char* access, uptr address,
                       uptr rip);

// At boot (kernel/top/main.cpp): start the thread that sends alarm(2)'s
// SIGALRM (kernel/top/proc/alarm.cpp).
void alarm_init();

// ---- accounting: times(2), getrusage(2), wait4's rusage ----
// A process's own usage is its threads' (kernel/base/sched/cputime.cpp); when it
// exits it is kept in m_exit_usage. Reaping a child (wait4) adds the
// child's own and its m_children_usage to the parent's m_children_usage:
// Linux's cutime/cstime, which count a grandchild only once both it and
// its parent were waited for.
// What `p` itself has used: up to now for the caller's own process, as of
// its last switch for another live one, at exit for a zombie (RUSAGE_SELF).
// => s_tree_lock held.
Usage process_usage_locked(Process& p);
// What `p`'s reaped children used (RUSAGE_CHILDREN). => s_tree_lock held.
Usage process_children_usage_locked(Process& p);

} // namespace kern
