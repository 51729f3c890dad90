// fs/procfs/procfs.h -- /proc: a file system made up on demand, read-only but for /proc/sys.
//
// procfs has no storage. Its nodes are made by lookup and readdir and freed
// when their last reference goes; a file's text is made when it is read at
// offset 0 and kept in the node (one node per open: every lookup makes a new
// one) so a reader with a small buffer sees one consistent snapshot. The tree:
//
//   /proc/meminfo uptime loadavg stat version mounts   the system
//   /proc/vmstat                                       drop_caches' counts
//   /proc/sys/vm/drop_caches                           write-only (0200): "1",
//                                                      "2", "3" drop clean caches
//   /proc/self -> "<pid of the reader>"                a symlink
//   /proc/<pid>/stat status cmdline maps smaps         one per live process
//   /proc/<pid>/exe -> the program's path              a symlink (what execve kept)
//   /proc/fs/mfs/<unit>                                one per live MFS device:
//                                                      its server's counters
//
// Formats are Linux's (proc(5)) where busybox's ps, free, df, uptime and
// mount read them. See docs/procfs.md for what is filled and what is zero.
//
// What procfs shows of processes comes from kernel/top/proc's questions
// (process.h: snapshot_process, list_pids, copy_process_cmdline, ...),
// each a copy made under the process-tree lock: procfs never walks the
// process table nor keeps a Process*.
//
// Files: procfs.h (this: the interface and what the files share),
// proc_text.cpp (the text of each file), maps_line.h (a line of
// maps), proc_sys.cpp and sysctl_int.h (what a write to /proc/sys does),
// proc_node.cpp (the vnodes and the FileSystem).
#pragma once

#include <fs/vfs/iobuffer.h>
#include <fs/vfs/types.h>
#include <kernel/base/lib/types.h>
#include <kernel/base/lib/vector.h>

namespace fs::procfs {

// Make the type "proc" known to mount(). => called once, at boot
// (kernel/top/main.cpp).
void procfs_register();

// ---- shared by the files of fs/procfs ----

// A growable text buffer on the kernel heap (a Vector<char>). A failed
// allocation sets failed() and drops what would not fit; the generator
// then says ENOMEM.
class Text {
public:
    void append(const char* s, size_t n);
    void printf(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    const char* data() const { return m_chars.data(); }
    size_t length() const { return m_chars.size(); }
    bool failed() const { return m_failed; }
    void fail() { m_failed = true; }
    // Hand the characters to the caller; the Text is empty after.
    kern::Vector<char> take() { return std::move(m_chars); }

private:
    kern::Vector<char> m_chars;
    bool m_failed = false;
};

// Which file a node is.
enum class Kind : u8 {
    Root, Self, PidDir,
    Meminfo, Uptime, Loadavg, Stat, Version, Mounts,  // in /proc
    PidStat, PidStatus, PidCmdline, PidExe, PidMaps,   // in /proc/<pid>
    PidSmaps,
    Vmstat, SysDir,                                    // in /proc
    SysVmDir,                                          // /proc/sys/vm
    DropCaches,                                        // in /proc/sys/vm
    FsDir,                                             // /proc/fs
    FsMfsDir,                                          // /proc/fs/mfs
    MfsUnit,                                           // /proc/fs/mfs/<unit>
    Swaps,                                             // in /proc
};

// Write file `kind`'s text (of process `pid` for the Pid* kinds, of MFS
// unit `pid` for MfsUnit). Errors: ESRCH (the process is gone), ENODEV
// (the MFS device is gone), ENOMEM.
ErrorOr<void> generate(Kind kind, u32 pid, Text& out);
// The VM's files (fs/procfs/proc_vm.cpp).
void meminfo(Text& out);
void vmstat(Text& out);
void swaps(Text& out);

// ---- /proc/sys (proc_sys.cpp) ----

// A write of n bytes at `offset` to the writable file `kind`. Returns the
// bytes taken. Errors: EINVAL (not a number in the file's range; more than
// SYSCTL_WRITE_MAX bytes), EFAULT.
ErrorOr<size_t> write_sysctl(Kind kind, u64 offset, const IoBuffer& buf, size_t n);
// A write looks at most this many bytes (Linux: a page).
constexpr size_t SYSCTL_WRITE_MAX = 64;

// How often drop_caches dropped the page cache (1 or 3 written) and the
// rest (2 or 3): /proc/vmstat's drop_pagecache and drop_slab, as Linux's.
struct DropCounts {
    u64 pagecache;
    u64 slab;
};
DropCounts drop_counts();

} // namespace fs::procfs
