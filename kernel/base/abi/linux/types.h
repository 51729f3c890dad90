// kernel/base/abi/linux/types.h -- the scalar types of Linux's system-call arguments.
//
// The kernel's system-call handlers (kernel/top/syscall/) are declared with
// these names so that a handler reads like its Linux prototype
// (include/linux/syscalls.h): `sys_kill(pid_t pid, int sig)`. They are
// Linux x86-64's widths (include/uapi/asm-generic/posix_types.h); an
// argument of a 32-bit type takes the low half of its register, as Linux's
// own handlers do (kernel/top/syscall/syscall.h: from_register).
//
// Every header of kernel/base/abi/ names Linux's values with Linux's own
// spelling, in namespace `uapi` (Linux's name for the headers of its user
// API), and includes nothing but kernel/base/lib/types.h (and, in the host
// build only, host.h), so any layer may use it. docs/abi.md lists them.
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

using pid_t = i32;      // process, group and session ids
using uid_t = u32;      // user ids ((uid_t)-1: "leave it")
using gid_t = u32;      // group ids
using mode_t = u32;     // permission bits and the S_IFMT type (Linux's umode_t is 16 bits)
using clockid_t = i32;  // CLOCK_* (time.h); negative ids name CPU clocks
using loff_t = i64;     // a file offset
using dev_t = u32;      // mknod's device number, Linux's old 32-bit encoding

} // namespace uapi
