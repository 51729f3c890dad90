// kernel/top/proc/fd_table.h -- FdTable: a process's file descriptors.
//
// A descriptor is a small integer naming an open file (fs::File, which holds
// the offset and the open flags) plus one per-descriptor flag, close-on-exec.
// dup() and fork() make several descriptors share one File (and so one
// offset), as POSIX requires; each descriptor holds one File reference.
//
// The table is an array that grows on demand (doubling from 16 slots); a
// new descriptor is always the lowest free number at or above the one asked
// for (POSIX), and below the table's limit: the process's RLIMIT_NOFILE soft
// value (Process::set_rlimit_locked keeps the copy here; 1024 by default).
// The limit may be raised up to NR_OPEN, the most the array can hold (Linux's
// fs.nr_open; setrlimit answers EPERM above it). Lowering it closes nothing:
// descriptors already at or above it stay usable, only new ones are refused
// (Linux's alloc_fd). m_lock (a Mutex) guards the array; File references are
// dropped after it is released, because the last unref may call into a file
// system or a pipe.
//
// Every call that takes a descriptor answers EBADF for a negative number,
// one past the end, or a free slot: user space can pass anything.
// See docs/processes.md ("File descriptors").
#pragma once

#include <fs/vfs/file.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/vector.h>
#include <kernel/base/sync/mutex.h>

namespace kern {

class FdTable {
public:
    // The default soft and hard RLIMIT_NOFILE (Linux's INR_OPEN_CUR and
    // INR_OPEN_MAX). MAX_FDS also sizes poll's and select's arrays.
    static constexpr int MAX_FDS = 1024;
    static constexpr int HARD_FDS = 4096;
    // The largest limit: 65536 slots of 16 bytes are a 1 MiB array (the
    // kernel heap's large runs go up to 4 MiB).
    static constexpr int NR_OPEN = 65536;

    FdTable() = default;
    FdTable(const FdTable&) = delete;
    FdTable& operator=(const FdTable&) = delete;
    ~FdTable() { close_all(); }

    // A new descriptor >= min_fd for `file` (takes its own reference).
    // Returns the descriptor. Errors: EMFILE (none free below the limit),
    // ENOMEM, EINVAL (min_fd negative).
    ErrorOr<int> install(fs::File& file, bool cloexec, int min_fd = 0);
    // The File of `fd`, referenced: the caller unrefs it (an fs::File stays
    // usable even if another thread closes the descriptor meanwhile).
    // Errors: EBADF.
    ErrorOr<fs::File*> get(int fd);
    // Errors: EBADF.
    ErrorOr<void> close(int fd);
    // dup2/dup3: make `new_fd` name old_fd's File, closing what it named.
    // old_fd == new_fd is allowed (dup2 returns it; dup3's EINVAL is the
    // caller's check), even if new_fd is at or above the limit. Returns
    // new_fd. Errors: EBADF (old_fd free; new_fd negative or at or above the
    // limit), ENOMEM.
    ErrorOr<int> duplicate_to(int old_fd, int new_fd, bool cloexec);
    // F_GETFD / F_SETFD. Errors: EBADF.
    ErrorOr<bool> cloexec(int fd);
    ErrorOr<void> set_cloexec(int fd, bool on);

    // The limit: descriptors are numbered below it. set_limit: 0 <= limit
    // <= NR_OPEN; it takes no lock (a process's prlimit may set another's
    // with the process tree's spinlock held), the value is one atomic word.
    int limit() const { return __atomic_load_n(&m_limit, __ATOMIC_RELAXED); }
    void set_limit(int limit);

    // fork: this (empty) table becomes a copy of `other`, sharing its Files
    // (and its limit). Errors: ENOMEM (the table is left empty).
    ErrorOr<void> copy_from(FdTable& other);
    // execve: close the close-on-exec descriptors.
    void close_on_exec();
    // exit: close everything.
    void close_all();
    // How many descriptors are open (tests, /proc later).
    int count();
    // Is a descriptor below the limit free (install would not say EMFILE)?
    // open checks it before it creates a file, as Linux takes the
    // descriptor first.
    bool has_room();

private:
    struct Slot {
        fs::File* file;
        bool cloexec;
    };
    // Make room for descriptor `fd`. => m_lock held. Errors: ENOMEM.
    ErrorOr<void> grow_locked(int fd);
    // How many slots there are. => m_lock held.
    int capacity_locked() const { return int(m_slots.size()); }

    Mutex m_lock;
    Vector<Slot> m_slots;     // one per descriptor number; guarded by m_lock
    int m_limit = MAX_FDS;    // RLIMIT_NOFILE's soft value; atomic, see set_limit
};

} // namespace kern
