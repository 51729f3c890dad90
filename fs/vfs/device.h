// fs/vfs/device.h -- character and block devices: device numbers to the vnodes that drive them.
//
// A device node in a file system (tmpfs's /dev/console, made by mknod or
// the initramfs) is only a name with a type and a device number (rdev,
// Linux's encoding: makedev(major, minor)). Opening it opens the driver's
// own vnode instead: fs::open (fs/vfs/vfs.cpp) asks char_device(rdev) and
// puts the File on that vnode, a stream (fs/vfs/vnode.h) whose
// stream_read/stream_write/ioctl/poll are the driver. The same idea as
// BSD's specfs and Linux's chrdev table, without the layer of indirection
// per open node. Drivers register at boot (fs/dev/devices.cpp).
//
// Block devices (disks: fs/block/blkdev.h) have a table of their own, as
// in Linux and BSD: (9,0) the block device and (9,0) a character device
// are two different things. fs::open opens block_device(rdev) for a
// BlockDevice node the same way.
#pragma once

#include <fs/vfs/vnode.h>

namespace fs {

// Linux's dev_t encoding (glibc's makedev / major / minor).
constexpr u64 makedev(u32 major, u32 minor)
{
    return (u64(major & 0xfffff000) << 32) | (u64(major & 0xfff) << 8) |
           (u64(minor & 0xffffff00) << 12) | u64(minor & 0xff);
}
constexpr u32 dev_major(u64 dev) { return u32(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff)); }
constexpr u32 dev_minor(u64 dev) { return u32(((dev >> 12) & 0xffffff00) | (dev & 0xff)); }

// Make `vnode` (kept for ever, referenced here) the driver of `rdev`.
// Errors: EEXIST (taken), ENOMEM (the table is full).
ErrorOr<void> register_char_device(u64 rdev, Vnode& vnode);
// The driver's vnode for `rdev`, referenced. Errors: ENXIO (no such device).
ErrorOr<Vnode*> char_device(u64 rdev);

// The same for block devices. => EEXIST, ENOMEM; ENXIO.
ErrorOr<void> register_block_device(u64 rdev, Vnode& vnode);
ErrorOr<Vnode*> block_device(u64 rdev);

} // namespace fs
