// kernel/base/abi/linux/ioctls.h -- the ioctl(2) requests: those every file answers, and a terminal's.
//
// The terminal's (fs/dev/tty.cpp answers them) are Linux's asm-generic
// numbers, with tcflush's arguments from termbits.h.
//
// Read more: include/uapi/asm-generic/ioctls.h and termbits.h; ioctl(2),
// ioctl_tty(2).
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

// A terminal's settings (struct termios): tcgetattr, tcsetattr now /
// after output drains / after output drains and input is dropped; the
// line controls tcsendbreak (and tcdrain), tcflow, tcflush.
constexpr u32 TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
constexpr u32 TCSBRK = 0x5409, TCXONC = 0x540a, TCFLSH = 0x540b;
// Job control: take or give up the controlling terminal; its foreground
// process group; its session.
constexpr u32 TIOCSCTTY = 0x540e, TIOCNOTTY = 0x5422;
constexpr u32 TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCGSID = 0x5429;
// Output queued; the window size.
constexpr u32 TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
// TCFLSH's argument: drop the input, the output, or both.
constexpr u64 TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;

} // namespace uapi
