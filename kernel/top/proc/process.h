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
// cwd and what execve kept for /proc (the path and the arguments) at once -- a zombie is only its pid, its status, this struct and its
// thread's kernel stack until the reaper joins it --
// gives its children to init (pid 1) or, if there is none, lets each of
// them free itself on exit, sends SIGCHLD to its parent and wakes the
// parent's wait4. Reaping joins the process's thread (so its kernel stack
// is free when wait4 returns: the leak checks of the tests rely on it),
// adds the child's CPU time to the parent's children's (times' cutime) and
// frees the Process.
//
// Locking. s_tree_lock (process.cpp), a SpinLock, guards the pid table, the
// parent/children links, m_state, m_status, m_pgid, m_sid and the signal
// fields (pending, blocked, actions): it must be a SpinLock because the
// terminal sends SIGINT from its interrupt handler. Everything else is used
// only by the process's own thread (m_fs, m_fds, m_map, the brk fields),
// except where a comment says otherwise.
#pragma once

#include <fs/vfs/context.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/list.h>
#include <kernel/top/proc/fd_table.h>
#include <kernel/top/proc/signal.h>
#include <kernel/base/sched/usage.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/mutex.h>

namespace vm {
class VmMap;
}

namespace kern {

class Thread;

// ---- resource limits: getrlimit(2), setrlimit(2), prlimit(2) ----
// Linux's resource numbers and struct rlimit64: a soft limit (`cur`, what is
// enforced) at or below a hard one (`max`, the ceiling for the soft one).
// Defaults and enforcement: process.cpp (DEFAULT_RLIMITS) and
// docs/processes.md ("Resource limits").
enum : u32 {
    RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
    RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
    RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
    RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16,
};
constexpr u64 RLIM_INFINITY = ~0ull;  // "no limit"

struct Rlimit {
    u64 cur;  // soft
    u64 max;  // hard
};

class Process {
public:
    enum class State : u8 { Running, Zombie };
    static constexpr size_t NAME_LEN = 16;  // Linux's TASK_COMM_LEN

    // Start `path` with `argv` / `envp` (NULL-terminated; copied) in a new
    // process with no parent: the kernel caller waits for it with wait()
    // and frees it with release(). Its descriptors 0, 1 and 2 are the
    // console; its file-system context is `ctx`. The program is loaded by
    // the new thread; if loading fails the process exits with status 127.
    // It leads a new session and process group. With `as_init` it becomes
    // init, the heir of orphans, before it can run. => ENOMEM, EAGAIN.
    static ErrorOr<Process*> spawn(const fs::Context& ctx, StringView path, const char* const* argv,
                                   const char* const* envp, bool as_init = false);

    // For spawn()'s caller: sleep until the process has exited. => a shell's
    // view of its status: the exit code (0-255), or 128 + n if signal n
    // killed it.
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
    const char* name() const { return m_name; }
    vm::VmMap* map() const { return m_map; }
    Thread* thread() const { return m_thread; }

    // The file-system context (chdir, chroot change it) and descriptors:
    // the process's own thread only.
    fs::Context& fs_context() { return m_fs; }
    FdTable& fds() { return m_fds; }
    u32 umask() const { return m_umask; }
    void set_umask(u32 mask) { m_umask = mask & 0777; }

    // The program break (brk): the heap grows up from m_brk_start. Guarded
    // by m_brk_lock (threads of one process will share it).
    Mutex m_brk_lock;
    uptr m_brk_start = 0;
    uptr m_brk = 0;

    // ---- the rest belongs to kernel/top/proc/*.cpp (process, fork, exec,
    // wait, signal); other code uses the calls above. ----
    Process();  // the default resource limits (DEFAULT_RLIMITS)
    ~Process();  // frees m_exe_path and m_cmdline

    u32 m_pid = 0;
    char m_name[NAME_LEN] = {};  // the program's base name (execve sets it)
    fs::Context m_fs;
    FdTable m_fds;
    vm::VmMap* m_map = nullptr;
    bool m_borrowed_map = false;  // vfork: m_map is the parent's, not ours to destroy
    Thread* m_thread = nullptr;
    u32 m_umask = 022;
    // sigaltstack's setting (signal.h). Its thread's own: set by sigaltstack
    // and rt_sigreturn, read when a signal is delivered, copied by fork,
    // emptied by execve; no lock.
    SigAltStack m_alt_stack;
    // What an interrupted sleep or poll continues with (signal.h:
    // RestartBlock). Its thread's own: armed by the call, used and emptied
    // by return_to_user and restart_syscall, emptied by execve; no lock.
    RestartBlock m_restart;

    // ---- s_tree_lock ----
    u32 m_pgid = 0;
    u32 m_sid = 0;
    Process* m_parent = nullptr;  // nullptr: spawned by the kernel, or orphaned with no init
    bool m_adopted = false;       // m_parent is init, which adopted it: links no group (orphans)
    bool m_kernel_waits = false;  // spawn(): wait()/release() reap it
    bool m_did_exec = false;      // execve succeeded since fork (setpgid's EACCES)
    Process* m_vfork_parent = nullptr;  // vfork: the parent waiting for our execve or exit
    bool m_vfork_waiting = false;  // vfork: this process waits on m_vfork_done
    State m_state = State::Running;
    bool m_stopped = false;       // job control: stopped by SIGSTOP/SIGTSTP/...
    u8 m_stop_signal = 0;         // the signal that stopped it (wait4 reports it)
    u8 m_exit_signal = SIGCHLD;   // sent to the parent at exit (clone's low byte; 0: none)
    bool m_stop_reported = true;  // wait4(WUNTRACED) has seen the stop
    bool m_continued = false;     // wait4(WCONTINUED) has not seen the SIGCONT yet
    int m_wait_status = 0;        // Linux's encoding: code << 8, or the signal number
    ListNode m_sibling_node;      // in the parent's m_children
    ListNode m_table_node;        // in the pid table
    IntrusiveList<Process, &Process::m_sibling_node> m_children;
    WaitQueue m_child_waiters;    // wait4 (and wait()) sleep here
    WaitQueue m_stop_waiters;     // a stopped process sleeps here until SIGCONT
    WaitQueue m_vfork_done;       // a vfork parent sleeps here until its child lets go
    SigSet m_sig_pending = 0;
    SigSet m_sig_blocked = 0;
    SigAction m_sig_actions[NSIG];
    SigInfo m_sig_forced;         // force_signal's, if its bit is pending
    u32 m_sig_sender[NSIG] = {};  // the pid that sent each pending signal (si_pid)
    u64 m_alarm_ns = 0;           // alarm(2) deadline, monotonic ns; 0: none (alarm.cpp)
    u64 m_alarm_interval_ns = 0;  // setitimer's period, 0: one shot
    bool m_has_saved_mask = false; // rt_sigsuspend: the mask to restore after the handler
    SigSet m_saved_mask = 0;

    // ---- what execve kept for /proc/<pid>/exe and cmdline (fs/procfs):
    // set by execve and fork, freed by process_exit, each with s_tree_lock
    // held (a reader in procfs copies them under it); the process's own
    // thread reads them without it. Heap copies; nullptr: none kept (never
    // exec'd, a zombie, or the heap was short at execve). ----
    char* m_exe_path = nullptr;  // the program's absolute path, symlinks followed, NUL-terminated
    char* m_cmdline = nullptr;   // argv's strings, each with its NUL, cut at CMDLINE_MAX bytes
    size_t m_cmdline_length = 0;
    static constexpr size_t CMDLINE_MAX = 4096;

    // ---- accounting, s_tree_lock (see process_usage_locked below) ----
    Usage m_exit_usage;           // its threads' usage, recorded as it became a zombie
    Usage m_children_usage;       // reaped children's, each with its reaped children's

    // ---- resource limits: written with s_tree_lock held (prlimit may set
    // another process's), read by the process's own thread without it (each
    // value is one aligned word: rlimit() loads it atomically) ----
    Rlimit m_rlimits[RLIM_NLIMITS];

    // Limit `resource` (< RLIM_NLIMITS): its soft value is what is enforced.
    Rlimit rlimit(u32 resource) const
    {
        return {__atomic_load_n(&m_rlimits[resource].cur, __ATOMIC_RELAXED),
                __atomic_load_n(&m_rlimits[resource].max, __ATOMIC_RELAXED)};
    }
    // Set it (checked by the caller: cur <= max); RLIMIT_NOFILE's soft value
    // also goes to the descriptor table. => s_tree_lock held.
    void set_rlimit_locked(u32 resource, Rlimit limit);
};

// The lock named in the header comment (for signal.cpp, sys_* code that
// walks the tree: kill, setpgid).
SpinLock& process_tree_lock();

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
