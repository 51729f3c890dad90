// kernel/top/syscall/user_stat.h -- struct stat: a VAttr in Linux x86-64's layout, copied out.
//
// stat, lstat, fstat and newfstatat all answer with Linux x86-64's struct
// stat (arch/x86/include/uapi/asm/stat.h, 144 bytes), filled as Linux's
// cp_new_stat fills it: the S_IFMT type bits joined to the mode, times as
// seconds + nanoseconds, blocks in 512-byte units. (statx's larger struct
// is sys_path.cpp's, its only user.)
//
// Read more: Linux fs/stat.c (cp_new_stat); stat(2).
#pragma once

#include <fs/vfs/types.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/top/syscall/user_ptr.h>

namespace kern {

// Linux x86-64's struct stat.
struct LinuxStat {
    u64 dev;
    u64 ino;
    u64 nlink;
    u32 mode;  // S_IFMT type | permission bits
    u32 uid;
    u32 gid;
    u32 pad0;
    u64 rdev;
    i64 size;
    i64 blksize;
    i64 blocks;  // 512-byte units
    i64 atime_sec, atime_nsec;
    i64 mtime_sec, mtime_nsec;
    i64 ctime_sec, ctime_nsec;
    i64 unused[3];
};
static_assert(sizeof(LinuxStat) == 144);

// Returns the struct stat of `attr`.
LinuxStat to_linux_stat(const fs::VAttr& attr);
// Copy `attr` out as a struct stat to `user_buf`. Errors: EFAULT.
ErrorOr<void> copy_stat_out(UserPtr<LinuxStat> user_buf, const fs::VAttr& attr);

} // namespace kern
