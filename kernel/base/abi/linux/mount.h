// kernel/base/abi/linux/mount.h -- mount(2)'s and umount2(2)'s flags.
//
// Read more: include/uapi/linux/mount.h, include/linux/fs.h (MNT_*,
// UMOUNT_NOFOLLOW); mount(2), umount(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u64 MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
              MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256,
              MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192,
              MS_REC = 16384, MS_SILENT = 32768;
constexpr u64 MS_RELATIME = 1u << 21, MS_STRICTATIME = 1u << 24, MS_LAZYTIME = 1u << 25;
// Old programs put this magic number in the high half of the flags.
constexpr u64 MS_MGC_VAL = 0xc0ed0000, MS_MGC_MSK = 0xffff0000;

constexpr int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

} // namespace uapi
