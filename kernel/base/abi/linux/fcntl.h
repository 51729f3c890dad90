// kernel/base/abi/linux/fcntl.h -- open(2)'s flags, the *at() calls' AT_* words, fcntl(2)'s commands.
//
// The O_* flags pass through the system-call layer into the VFS unchanged
// (fs/vfs/types.h uses these names as fs::O_*); which ones a File keeps is
// kernel/top/syscall/sys_path.cpp's file_flags. The AT_* values overlap
// (AT_REMOVEDIR and AT_EACCESS are both 0x200): each belongs to the calls
// that take it.
//
// Read more: include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h;
// open(2), openat(2), fcntl(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

// ---- open(2) ----
constexpr u32 O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3;
constexpr u32 O_CREAT = 0100;
constexpr u32 O_EXCL = 0200;
constexpr u32 O_NOCTTY = 0400;
constexpr u32 O_TRUNC = 01000;
constexpr u32 O_APPEND = 02000;
constexpr u32 O_NONBLOCK = 04000;
constexpr u32 O_DSYNC = 010000;
constexpr u32 O_DIRECT = 040000;
constexpr u32 O_LARGEFILE = 0100000;
constexpr u32 O_DIRECTORY = 0200000;
constexpr u32 O_NOFOLLOW = 0400000;
constexpr u32 O_NOATIME = 01000000;
constexpr u32 O_CLOEXEC = 02000000;
constexpr u32 O_SYNC = 04010000;       // Linux's __O_SYNC | O_DSYNC
constexpr u32 O_PATH = 010000000;      // a File that only names a location
constexpr u32 O_TMPFILE_BIT = 020000000;  // Linux's __O_TMPFILE (O_TMPFILE is it | O_DIRECTORY)

// ---- the *at() calls ----
constexpr int AT_FDCWD = -100;               // dirfd: the current directory
constexpr int AT_SYMLINK_NOFOLLOW = 0x100;   // do not follow a final symlink
constexpr int AT_EACCESS = 0x200;            // faccessat: effective ids
constexpr int AT_REMOVEDIR = 0x200;          // unlinkat: rmdir
constexpr int AT_SYMLINK_FOLLOW = 0x400;     // linkat: follow a final symlink
constexpr int AT_NO_AUTOMOUNT = 0x800;
constexpr int AT_EMPTY_PATH = 0x1000;        // an empty path names dirfd itself
constexpr int AT_STATX_SYNC_TYPE = 0x6000;   // statx: the two sync bits

// ---- fcntl(2) ----
constexpr u32 F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5,
              F_SETLK = 6, F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9;
constexpr u32 F_DUPFD_CLOEXEC = 1030;  // F_LINUX_SPECIFIC_BASE + 6
constexpr u64 FD_CLOEXEC = 1;          // F_GETFD / F_SETFD's one flag

} // namespace uapi
