// kernel/proc/fd_table.h -- FdTable: a process's file descriptors.
//
// A descriptor is a small integer naming an open file (fs::File, which holds
// the offset and the open flags) plus one per-descriptor flag, close-on-exec.
// dup() and fork() make several descriptors share one File (and so one
// offset), as POSIX requires; each descriptor holds one File reference.
//
// The table is an array that grows on demand up to MAX_FDS (Linux's default
// RLIMIT_NOFILE soft limit); a new descriptor is always the lowest free
// number at or above the one asked for (POSIX). m_lock (a Mutex) guards the
// array; File references are dropped after it is released, because the
// last unref may call into a file system or a pipe.
//
// Every call that takes a descriptor answers EBADF for a negative number,
// one past the end, or a free slot: user space can pass anything.
// See docs/processes.md ("File descriptors").
#pragma once

#include <fs/vfs/file.h>
#include <kernel/lib/error_or.h>
#include <kernel/sync/mutex.h>

namespace kern {

class FdTable {
public:
    static constexpr int MAX_FDS = 1024;

    FdTable() = default;
    FdTable(const FdTable&) = delete;
    FdTable& operator=(const FdTable&) = delete;
    ~FdTable() { close_all(); }

    // A new descriptor >= min_fd for `file` (takes its own reference).
    // => the descriptor. EMFILE (none free below MAX_FDS), ENOMEM,
    // EINVAL (min_fd out of range).
    ErrorOr<int> install(fs::File& file, bool cloexec, int min_fd = 0);
    // The File of `fd`, referenced: the caller unrefs it (an fs::File stays
    // usable even if another thread closes the descriptor meanwhile).
    // => EBADF.
    ErrorOr<fs::File*> get(int fd);
    // => EBADF.
    ErrorOr<void> close(int fd);
    // dup2/dup3: make `new_fd` name old_fd's File, closing what it named.
    // old_fd == new_fd is allowed (dup2 returns it; dup3's EINVAL is the
    // caller's check). => new_fd. EBADF (old_fd free, new_fd out of range).
    ErrorOr<int> duplicate_to(int old_fd, int new_fd, bool cloexec);
    // F_GETFD / F_SETFD. => EBADF.
    ErrorOr<bool> cloexec(int fd);
    ErrorOr<void> set_cloexec(int fd, bool on);

    // fork: this (empty) table becomes a copy of `other`, sharing its Files.
    // => ENOMEM (the table is left empty).
    ErrorOr<void> copy_from(FdTable& other);
    // execve: close the close-on-exec descriptors.
    void close_on_exec();
    // exit: close everything.
    void close_all();
    // How many descriptors are open (tests, /proc later).
    int count();

private:
    struct Slot {
        fs::File* file;
        bool cloexec;
    };
    // => m_lock held. Room for descriptor `fd`. => ENOMEM.
    ErrorOr<void> grow_locked(int fd);

    Mutex m_lock;
    Slot* m_slots = nullptr;  // kmalloc'd, m_capacity long; guarded by m_lock
    int m_capacity = 0;
};

} // namespace kern
