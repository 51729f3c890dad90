// kernel/base/abi/linux/stat.h -- the mode bits, statx(2)'s mask, utimensat(2)'s special times.
//
// (The structures -- struct stat, struct statx -- are laid out where they
// are filled: kernel/top/syscall/user_stat.h and sys_path.cpp.)
//
// Read more: include/uapi/linux/stat.h; inode(7), statx(2), utimensat(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 S_IFMT = 0170000;  // the type bits
constexpr u32 S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;
constexpr u32 S_IRWXU = 0700, S_IRWXG = 0070, S_IRWXO = 0007;
constexpr u32 S_IXUSR = 0100, S_IXGRP = 0010, S_IXOTH = 0001;

constexpr u32 STATX_BASIC_STATS = 0x7ff;  // type, mode, nlink, uid, gid, times, ino, size, blocks
constexpr u32 STATX_BTIME = 0x800;
constexpr u32 STATX_RESERVED = 0x80000000;

// utimensat's tv_nsec values that are not times.
constexpr i64 UTIME_NOW = (1l << 30) - 1;
constexpr i64 UTIME_OMIT = (1l << 30) - 2;

} // namespace uapi
