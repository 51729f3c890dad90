// kernel/base/abi/linux/unistd.h -- system-call numbers that kernel code names; access(2)'s modes.
//
// Handlers register under their number with SYSCALL(nr, name)
// (kernel/top/syscall/syscall.h), which is written once, next to the
// handler; the full list of Linux's names, for the console line of an
// unimplemented call, is kernel/top/syscall/names.inc. The numbers here
// are the ones code outside a handler must recognise: the signal code
// treats rt_sigreturn's "result" and restart_syscall specially
// (kernel/top/proc/signal.cpp:return_to_user).
//
// Read more: arch/x86/entry/syscalls/syscall_64.tbl in Linux.
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr i64 SYS_RT_SIGRETURN = 15;
constexpr i64 SYS_RESTART_SYSCALL = 219;

// access(2)'s mode bits (F_OK is 0: the file exists).
constexpr int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;

} // namespace uapi
