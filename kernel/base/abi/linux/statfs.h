// kernel/base/abi/linux/statfs.h -- statfs(2)'s file-system magic numbers and flags.
//
// Read more: include/uapi/linux/magic.h, include/linux/statfs.h; statfs(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr i64 TMPFS_MAGIC = 0x01021994;
constexpr i64 PROC_SUPER_MAGIC = 0x9fa0;
constexpr i64 UFS_MAGIC = 0x00011954;  // Linux's UFS, FFS's own family: our ffs says it
constexpr i64 ST_VALID = 0x20;  // f_flags is filled in

} // namespace uapi
