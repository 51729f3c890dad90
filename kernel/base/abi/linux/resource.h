// kernel/base/abi/linux/resource.h -- getrusage(2)'s `who`.
//
// (The RLIMIT_* numbers are still kernel/top/proc/process.h's, where the
// limits live.)
//
// Read more: include/uapi/linux/resource.h; getrusage(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

} // namespace uapi
