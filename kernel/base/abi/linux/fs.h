// kernel/base/abi/linux/fs.h -- lseek(2)'s whence, renameat2(2)'s flags, the largest transfer.
//
// Read more: include/uapi/linux/fs.h, include/linux/fs.h (MAX_RW_COUNT);
// lseek(2), rename(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
constexpr int SEEK_MAX = SEEK_HOLE;

// renameat2's flags. RENAME_WHITEOUT (overlayfs's whiteouts) is refused here.
constexpr u32 RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

// Linux's largest single read or write (INT_MAX rounded down to a page):
// larger counts are cut to it, never refused.
constexpr size_t MAX_RW_COUNT = 0x7ffff000;

} // namespace uapi
