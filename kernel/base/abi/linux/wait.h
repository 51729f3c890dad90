// kernel/base/abi/linux/wait.h -- the options of wait4(2) and waitid(2), and waitid's id types.
//
// Read more: include/uapi/linux/wait.h; wait4(2), waitid(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 WNOHANG = 0x00000001;     // do not block
constexpr u32 WUNTRACED = 0x00000002;   // report stopped children too
constexpr u32 WSTOPPED = WUNTRACED;     // waitid's name for it
constexpr u32 WEXITED = 0x00000004;     // waitid: report exited children
constexpr u32 WCONTINUED = 0x00000008;  // report continued children
constexpr u32 WNOWAIT = 0x01000000;     // leave the child waitable
constexpr u32 WNOTHREAD = 0x20000000;   // Linux's __WNOTHREAD: not the siblings' children
constexpr u32 WALL = 0x40000000;        // Linux's __WALL: clone children too
constexpr u32 WCLONE = 0x80000000;      // Linux's __WCLONE: only clone children

// waitid's idtype.
constexpr int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

} // namespace uapi
