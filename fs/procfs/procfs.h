// fs/procfs/procfs.h -- /proc: a read-only file system made up on demand.
//
// procfs has no storage. Its nodes are made by lookup and readdir and freed
// when their last reference goes; a file's text is made when it is read at
// offset 0 and kept in the node (one node per open: every lookup makes a new
// one) so a reader with a small buffer sees one consistent snapshot. The tree:
//
//   /proc/meminfo uptime loadavg stat version mounts   the system
//   /proc/self -> "<pid of the reader>"                a symlink
//   /proc/<pid>/stat status cmdline                    one per live process
//   /proc/<pid>/exe -> the program's path              a symlink (what execve kept)
//
// Formats are Linux's (proc(5)) where busybox's ps, free, df, uptime and
// mount read them. See docs/procfs.md for what is filled and what is zero.
//
// Files: procfs.h (this: the interface and what the files share),
// proc_info.cpp (copies out of the process table, under its lock),
// proc_text.cpp (the text of each file), proc_node.cpp (the vnodes and
// the FileSystem).
#pragma once

#include <fs/vfs/types.h>
#include <kernel/base/lib/types.h>

namespace fs::procfs {

// Make the type "proc" known to mount(). => at boot (kernel/top/main.cpp).
void procfs_register();

// ---- shared by the files of fs/procfs ----

// A growable text buffer on the kernel heap. A failed allocation sets
// failed() and drops what would not fit; the generator then says ENOMEM.
class Text {
public:
    Text() = default;
    Text(const Text&) = delete;
    Text& operator=(const Text&) = delete;
    ~Text();

    void append(const char* s, size_t n);
    void printf(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    const char* data() const { return m_data; }
    size_t length() const { return m_length; }
    bool failed() const { return m_failed; }
    void fail() { m_failed = true; }
    // Hand the buffer to the caller (kfree it); the Text is empty after.
    char* release(size_t& length);

private:
    char* m_data = nullptr;
    size_t m_length = 0;
    size_t m_capacity = 0;
    bool m_failed = false;
};

// What procfs shows of one process, copied under the process-tree lock.
struct ProcessInfo {
    u32 pid = 0, ppid = 0, pgid = 0, sid = 0;
    char name[16] = {};
    char state = 'S';          // R running, S sleeping, T stopped, Z zombie
    u8 exit_signal = 0;
    int exit_code = 0;         // a zombie's wait status
    u64 utime_ns = 0, stime_ns = 0, cutime_ns = 0, cstime_ns = 0;
    u64 minflt = 0, cminflt = 0, maxrss_pages = 0, nvcsw = 0, nivcsw = 0;
    u64 sig_pending = 0, sig_blocked = 0;
};

// The process `pid`, if it is in the table (zombies too). => false if not.
bool process_info(u32 pid, ProcessInfo& out);
// Only whether `pid` is in the table (zombies too): what a lookup needs.
bool process_exists(u32 pid);
// What execve kept of `pid` (kernel/top/proc/process.h), copied into buf (n
// bytes) under the tree lock. => false: no such process. Otherwise
// `length` bytes were copied:
//   cmdline: the arguments, NUL-separated; the name and a NUL if execve kept
//            none; nothing for a zombie (as Linux);
//   exe:     the program's path (no NUL); 0 if none is kept (never exec'd,
//            a zombie, a short heap at execve).
bool process_cmdline(u32 pid, char* buf, size_t n, size_t& length);
bool process_exe(u32 pid, char* buf, size_t n, size_t& length);
// The pids in the table, ascending, at most `max`. => how many.
size_t process_pids(u32* out, size_t max);
// Counts for loadavg and stat: processes, how many are runnable, the last pid,
// and the CPU time used by the live ones (ns).
struct SystemCounts {
    u32 total = 0, running = 0, last_pid = 0;
    u64 user_ns = 0, system_ns = 0, switches = 0;
};
SystemCounts system_counts();
// The pid of the calling process (0: a kernel thread).
u32 current_pid();

// Which file a node is.
enum class Kind : u8 {
    Root, Self, PidDir,
    Meminfo, Uptime, Loadavg, Stat, Version, Mounts,  // in /proc
    PidStat, PidStatus, PidCmdline, PidExe,            // in /proc/<pid>
};

// Write file `kind`'s text (of process `pid` for the Pid* kinds).
// => ESRCH (the process is gone), ENOMEM.
ErrorOr<void> generate(Kind kind, u32 pid, Text& out);

} // namespace fs::procfs
