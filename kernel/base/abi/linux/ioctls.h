// kernel/base/abi/linux/ioctls.h -- the ioctl(2) requests every file answers.
//
// (A terminal's own requests -- TCGETS, TIOCSPGRP, ... -- are still listed
// in fs/dev/tty.cpp, which answers them.)
//
// Read more: include/uapi/asm-generic/ioctls.h; ioctl(2), ioctl_tty(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 FIONREAD = 0x541b;  // bytes ready to read
constexpr u32 FIONBIO = 0x5421;   // set or clear O_NONBLOCK
constexpr u32 FIONCLEX = 0x5450;  // clear close-on-exec
constexpr u32 FIOCLEX = 0x5451;   // set close-on-exec

} // namespace uapi
