// fs/tmpfs/tmpfs.h -- tmpfs, the native memory file system: its public face.
//
// tmpfs keeps a tree of nodes in kernel memory and each regular file's data
// in an anonymous VM object (vm/aobj.h), read and written through the
// unified buffer cache (fs/ubc/ubc.h): one copy, and memory goes back as
// soon as a file is gone. Everything else goes through the VFS: mount(2)
// with type "tmpfs" and options "size=64m,nodes=1000" makes a
// fs::tmpfs::TmpfsMount (fs/tmpfs/tmpfs_mount.h).
//
// Files: tmpfs_mount.cpp (instances, options, limits, node allocation),
// tmpfs_node.cpp (attributes, times, symlinks, when a node is freed),
// tmpfs_dir.cpp (entries, lookup, create, link, unlink, rmdir, readdir),
// tmpfs_rename.cpp, tmpfs_file.cpp (read, write, truncate).
// Read more: docs/tmpfs.md; Julio Merino's tmpfs(9) and NetBSD sys/fs/tmpfs.
#pragma once

#include <fs/vfs/mount.h>

namespace fs::tmpfs {

// Make "tmpfs" known to mount(). => at boot, once, before any mount.
void tmpfs_register();
// The type itself: {"tmpfs", create}, create(options) fails with EINVAL, ENOMEM.
const FileSystemType& tmpfs_type();

} // namespace fs::tmpfs

namespace fs {
using tmpfs::tmpfs_register;
}
