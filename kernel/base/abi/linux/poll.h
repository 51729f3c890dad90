// kernel/base/abi/linux/poll.h -- poll(2)'s event bits.
//
// The VFS answers in these bits (fs/vfs/poll.h: Vnode::poll uses them as
// fs::POLLIN, ...); select(2)'s three sets are made of them
// (kernel/top/syscall/sys_poll.cpp).
//
// Read more: include/uapi/asm-generic/poll.h; poll(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 POLLIN = 0x001;      // data to read
constexpr u32 POLLPRI = 0x002;     // urgent data
constexpr u32 POLLOUT = 0x004;     // room to write
constexpr u32 POLLERR = 0x008;     // an error (always reported)
constexpr u32 POLLHUP = 0x010;     // the other end is gone (always reported)
constexpr u32 POLLNVAL = 0x020;    // not an open descriptor
constexpr u32 POLLRDNORM = 0x040;
constexpr u32 POLLRDBAND = 0x080;
constexpr u32 POLLWRNORM = 0x100;
constexpr u32 POLLWRBAND = 0x200;

} // namespace uapi
