// kernel/base/abi/linux/signal.h -- rt_sigprocmask(2)'s `how`.
//
// (The signal numbers, SIG_DFL/SIG_IGN and the SA_* flags are still
// kernel/top/proc/signal.h's, with the code that delivers signals.)
//
// Read more: include/uapi/asm-generic/signal-defs.h; sigprocmask(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

} // namespace uapi
