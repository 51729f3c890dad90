// kernel/base/abi/linux/sched.h -- clone(2)'s flags.
//
// The low byte of clone's flags is the signal the child sends its parent
// when it exits (CSIGNAL); the rest say what the child shares with its
// parent. kernel/top/syscall/sys_process.cpp says which are supported
// (process-creating sets only: one thread per process).
//
// Read more: include/uapi/linux/sched.h; clone(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u64 CSIGNAL = 0xff;                   // the exit signal
constexpr u64 CLONE_VM = 0x100;                 // share the address space
constexpr u64 CLONE_FS = 0x200;                 // share cwd, root, umask
constexpr u64 CLONE_FILES = 0x400;              // share the descriptor table
constexpr u64 CLONE_SIGHAND = 0x800;            // share signal handlers
constexpr u64 CLONE_PIDFD = 0x1000;
constexpr u64 CLONE_PTRACE = 0x2000;
constexpr u64 CLONE_VFORK = 0x4000;             // the parent sleeps until the child's exec or exit
constexpr u64 CLONE_PARENT = 0x8000;
constexpr u64 CLONE_THREAD = 0x10000;           // same thread group
constexpr u64 CLONE_NEWNS = 0x20000;
constexpr u64 CLONE_SYSVSEM = 0x40000;
constexpr u64 CLONE_SETTLS = 0x80000;           // the child's TLS pointer is `tls`
constexpr u64 CLONE_PARENT_SETTID = 0x100000;   // store the child's tid at parent_tid
constexpr u64 CLONE_CHILD_CLEARTID = 0x200000;  // clear child_tid (and futex-wake) at exit
constexpr u64 CLONE_DETACHED = 0x400000;
constexpr u64 CLONE_UNTRACED = 0x800000;
constexpr u64 CLONE_CHILD_SETTID = 0x1000000;   // store the child's tid at child_tid, in the child

} // namespace uapi
