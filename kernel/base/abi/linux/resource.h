// kernel/base/abi/linux/resource.h -- the resource limits' numbers (getrlimit(2)), getrusage(2)'s `who`.
//
// The limits themselves live in the Process (kernel/top/proc/process.h,
// which gives these names to the kernel with using-declarations).
//
// Read more: include/uapi/linux/resource.h and
// include/uapi/asm-generic/resource.h; getrlimit(2), getrusage(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

// The resources a limit applies to (asm-generic/resource.h).
enum : u32 {
    RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
    RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
    RLIMIT_LOCKS = 10, RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13,
    RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16,
};
constexpr u64 RLIM_INFINITY = ~0ull;  // "no limit" (struct rlimit64's)

} // namespace uapi
