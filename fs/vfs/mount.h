// fs/vfs/mount.h -- file-system types, mounted instances, the mount table.
//
// A FileSystemType ("tmpfs") knows how to make a FileSystem from mount
// options; a FileSystem is one mounted instance (its root vnode, its
// statvfs, its unmount). A Mount ties a FileSystem into the tree: the vnode
// it covers (its mount point, nullptr for the root file system) and the
// mount that vnode belongs to. Path lookup (fs/vfs/namei.cpp) crosses from a
// covered vnode to the mounted root going down, and from a mounted root to
// its mount point going up through "..".
//
// Errors: ENODEV (unknown type), EINVAL (bad options), EBUSY (already a
// mount point, or unmounting a busy file system), ENOTDIR, ENOMEM.
#pragma once

#include <fs/vfs/types.h>
#include <kernel/base/lib/list.h>

namespace fs {

class Vnode;

class FileSystem {
public:
    virtual ~FileSystem() = default;
    // The root directory, referenced.
    virtual Vnode* root() = 0;
    virtual ErrorOr<StatVfs> statvfs() = 0;
    // Prepare to go. Errors: EBUSY if anything but the root is still
    // referenced.
    // On success the FileSystem may be deleted by the caller.
    virtual ErrorOr<void> unmount() = 0;
    // Write everything dirty -- file data, inodes, metadata -- to the
    // backing store and wait for it (sync(2), syncfs(2), unmount). The
    // default: nothing to write (a file system in memory). Errors: EIO.
    virtual ErrorOr<void> sync() { return {}; }
    // Free what is cached but clean and unused -- pages of files nobody
    // has open, idle metadata buffers, inactive vnodes -- as Linux's
    // /proc/sys/vm/drop_caches does. Dirty data stays (sync first). The
    // default: nothing (tmpfs's pages *are* its files).
    virtual void drop_caches() {}
    u64 id() const { return m_id; }

protected:
    FileSystem();
    u64 m_id;  // unique per mounted instance: st_dev, statvfs f_fsid
};

struct FileSystemType {
    const char* name;
    // A new instance from comma-separated options ("size=64m,nodes=1000").
    // nullptr for a type that lives on a device (below).
    ErrorOr<FileSystem*> (*create)(StringView options);
    // For a file system on a disk ("ffs"): a new instance on the block
    // device numbered `rdev` (mount(2)'s source names a block device node;
    // the VFS looks it up and passes the node's device number). nullptr for
    // the others, whose source is only a label.
    ErrorOr<FileSystem*> (*create_on_device)(u64 rdev, StringView options) = nullptr;
};

// Make a type known to mount(). => at boot, before any mount.
void register_filesystem(const FileSystemType& type);

// One mount, as list_mounts reports it (for /proc/mounts).
struct MountEntry {
    const char* type;  // the FileSystemType's name
    Vnode* covered;    // referenced (the caller unrefs it); nullptr for the root
};
// Up to `max` mounts, in the order they were made (the root first).
// Returns how many. The mount may be gone by the time the caller looks at
// `covered`: it is only a reference to a directory.
size_t list_mounts(MountEntry* out, size_t max);

class Mount {
public:
    FileSystem& fs() const { return *m_fs; }
    Vnode* covered() const { return m_covered; }  // nullptr for the root mount
    kern::ListNode m_node;  // the mount table

private:
    friend class MountTable;
    FileSystem* m_fs = nullptr;
    Vnode* m_covered = nullptr;  // referenced while mounted
};

} // namespace fs
