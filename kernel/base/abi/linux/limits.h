// kernel/base/abi/linux/limits.h -- the fixed limits of the system-call interface.
//
// (PATH_MAX and NAME_MAX are the VFS's: fs/vfs/types.h.)
//
// Read more: include/uapi/linux/limits.h, include/uapi/linux/uio.h (UIO_MAXIOV).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 NGROUPS_MAX = 65536;  // supplementary groups
constexpr size_t PIPE_BUF = 4096;   // pipe writes up to this size are atomic
constexpr u64 UIO_MAXIOV = 1024;    // iovecs in one readv/writev (IOV_MAX)

} // namespace uapi
