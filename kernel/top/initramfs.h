// kernel/top/initramfs.h -- unpack the initial RAM file system into the root tmpfs.
//
// The boot loader hands the kernel a cpio "newc" archive as a multiboot2
// module named "initramfs" (scripts/mkinitramfs.sh builds it, the Makefile
// passes it to scripts/mkiso.sh). After the root tmpfs is mounted, kmain
// calls initramfs_load_boot_module(), which unpacks the archive into "/"
// through the ordinary VFS calls (mkdir, open+write, symlink, mknod) and
// prints one line:
//
//   initramfs: 3 files, 9 directories, 1936 KiB (402 symlinks, 4 nodes) in 21 ms
//
// How (kernel/top/initramfs.cpp): the pure parser fs/cpio/cpio.h walks the
// archive twice -- first only to validate it (nothing is created if any
// entry is malformed), then with a visitor that creates each entry. Parent
// directories missing from the archive are made (mode 0755). An entry whose
// name exists already replaces it -- unless the existing one is a directory:
// a directory entry then merges into it, any other entry fails with EEXIST
// -- so a second archive can overlay the first, as with Linux's initramfs.
// Not done: hard links (nlink > 1 entries become separate files), owners and
// mtimes (everything is root's, with the current time).
// See docs/initramfs.md.
#pragma once

#include <fs/vfs/context.h>
#include <kernel/base/lib/error_or.h>

namespace kern {

struct InitramfsStats {
    size_t files = 0;     // regular files
    size_t dirs = 0;      // directories created (not ones that existed)
    size_t symlinks = 0;
    size_t nodes = 0;     // character and block devices, fifos, sockets
    u64 bytes = 0;        // regular files' data
};

// Unpack the newc archive in [data, data + size) relative to where.cwd
// (make where.root the same directory so that absolute symlinks met on the
// way stay inside it). Returns what was created. A message naming the
// entry and its offset is printed for every error. Errors:
//   EINVAL   the archive is malformed (fs/cpio/cpio.h lists how); nothing
//            was created;
//   EEXIST   an entry clashes with a directory of another type;
//   ENOSPC, ENOMEM, ENAMETOOLONG, ENOTDIR, ELOOP  from the VFS calls: the
//            entries before the failing one stay.
ErrorOr<InitramfsStats> initramfs_unpack(const fs::Context& where, const void* data, size_t size);

// At boot, after the root is mounted: unpack the module named "initramfs"
// (if there is one) into "/" and print the summary line, or the error.
// Returns whether a module was unpacked.
bool initramfs_load_boot_module();

} // namespace kern
