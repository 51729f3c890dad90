// fs/vfs/vnode.h -- Vnode: a file, as the rest of the kernel sees it.
//
// Every file, directory, symlink or device node that the kernel is using is
// a Vnode: an object with a type and a set of operations that its file
// system implements (the virtual functions below -- SunOS's "vnode
// interface", which every BSD and Linux's inodes descend from). A file
// system subclasses Vnode (tmpfs's nodes *are* vnodes; a disk file system
// would keep a vnode per in-use inode). The VFS layer (fs/vfs/namei.h,
// fs/vfs/vfs.h) only calls these operations; it never looks inside.
//
// References. A Vnode counts its references: path lookup, open files, the
// current directory, a mapping's object, a mount point each hold one.
// Operations that return a Vnode* return it *referenced*; the caller drops
// it with unref() (or holds it in a kern::RefPtr). When the count reaches
// zero, inactive() lets the file system decide: tmpfs frees a node whose
// link count is also zero (the memory of a deleted file goes back at once).
// Directory entries do not hold references: they are counted in nlink.
//
// Locking: callers hold no lock when they call an operation; each file
// system does its own locking inside (tmpfs: docs/tmpfs.md). Operations may
// sleep.
//
// Names: the VFS checks a component's length (ENAMETOOLONG) and that it has
// no '/' or NUL before calling; it resolves "." itself and never passes it.
// ".." is passed to lookup() (the file system knows a directory's parent);
// the VFS handles ".." at mount roots and at the process's root.
//
// Errors: each operation lists its own; ENOTDIR for a directory operation
// on a non-directory and EISDIR / EINVAL for file operations on a directory
// are the defaults below.
#pragma once

#include <fs/vfs/iobuffer.h>
#include <fs/vfs/types.h>

namespace vm {
class VmObject;
}

namespace fs {

class Mount;
class Vnode;

// One entry delivered by readdir().
struct DirEntry {
    u64 ino;
    VType type;
    StringView name;
    u64 next_cookie;  // pass this to readdir() to continue after this entry
};

// Receives readdir() entries; emit() returns false when it has no room
// (the entry was not taken; readdir stops and reports where).
class ReaddirSink {
public:
    virtual bool emit(const DirEntry& entry) = 0;

protected:
    ~ReaddirSink() = default;
};

class Vnode {
public:
    Vnode(const Vnode&) = delete;
    Vnode& operator=(const Vnode&) = delete;

    void ref() { __atomic_add_fetch(&m_ref_count, 1, __ATOMIC_RELAXED); }
    // Drop a reference; the last one calls inactive().
    void unref();
    u32 ref_count() const { return __atomic_load_n(&m_ref_count, __ATOMIC_RELAXED); }

    VType type() const { return m_type; }
    bool is_directory() const { return m_type == VType::Directory; }
    // The mount this vnode belongs to -- or nullptr: tmpfs makes its nodes
    // before the Mount object exists, and device and pipe vnodes belong to
    // none. Nothing uses it yet; the VFS compares VAttr::dev with
    // FileSystem::id() instead (fs/vfs/vfs.cpp, EXDEV checks).
    Mount* mount() const { return m_mount; }

    // The mount whose root covers this vnode (it is a mount point), or nullptr.
    // Guarded by the mount table's lock (fs/vfs/mount.cpp).
    Mount* mounted_here() const { return m_mounted_here; }
    void set_mounted_here(Mount* m) { m_mounted_here = m; }
    // May a file system be mounted on this directory? Only if the next
    // lookup of its name finds this very vnode again (that is where the
    // mount is recorded). A file system that makes a fresh vnode per
    // lookup (procfs) says no: a mount there could be neither seen nor
    // unmounted.
    virtual bool can_be_mount_point() const { return true; }

    // ---- directories ----
    // The entry `name` (may be ".."), referenced. Errors: ENOENT, ENOTDIR.
    virtual ErrorOr<Vnode*> lookup(StringView name);
    // A new node of `type` (Regular, Directory, CharDevice, BlockDevice,
    // Fifo, Socket) named `name`, referenced. Errors: EEXIST, ENOSPC,
    // ENOTDIR, EMLINK (directory link count), ENOENT (this directory was
    // removed).
    virtual ErrorOr<Vnode*> create(StringView name, VType type, u32 mode, u64 rdev, const Cred& cred);
    // A symbolic link `name` -> `target`, referenced. Errors: EEXIST, ENOSPC,
    // ENAMETOOLONG (target longer than PATH_MAX - 1).
    virtual ErrorOr<Vnode*> symlink(StringView name, StringView target, const Cred& cred);
    // A new name for `target` (same file system, not a directory: the VFS
    // checks). Errors: EEXIST, EMLINK, ENOSPC.
    virtual ErrorOr<void> link(StringView name, Vnode& target);
    // Remove a non-directory entry. Errors: ENOENT, EISDIR.
    virtual ErrorOr<void> unlink(StringView name);
    // Remove an empty directory. Errors: ENOENT, ENOTDIR, ENOTEMPTY, EBUSY
    // (a mount point), EINVAL ("." or "..").
    virtual ErrorOr<void> rmdir(StringView name);
    // Move entry `from` of this directory to `to` in `to_dir` (same file
    // system: the VFS checks), replacing what is there per POSIX: a file by a
    // file, an empty directory by a directory; a directory's ".." follows it.
    // Errors: ENOENT, EEXIST/ENOTEMPTY (non-empty directory in the way),
    // ENOTDIR (directory over a file), EISDIR (file over a directory), EINVAL (a
    // directory into its own subtree), EBUSY (a mount point). Renaming a name
    // onto itself (the same file) succeeds and changes nothing.
    // `flags` (fs/vfs/types.h): RENAME_NOREPLACE fails with EEXIST if `to`
    // exists (even as another name of the same file), decided atomically
    // with the move; RENAME_EXCHANGE swaps the two entries (ENOENT unless
    // both exist; any two types; EINVAL if either directory would end up
    // inside itself; EMLINK if a directory's new parent is full).
    virtual ErrorOr<void> rename(StringView from, Vnode& to_dir, StringView to, u32 flags);
    // Deliver entries from position `cookie` (0: the start; "." and ".."
    // come first) until the sink is full or the directory ends. Cookies stay
    // valid while entries are added and removed: an entry present throughout
    // is delivered exactly once. Returns the cookie to continue from.
    // Errors: ENOTDIR.
    virtual ErrorOr<u64> readdir(u64 cookie, ReaddirSink& sink);

    // ---- regular files: data through the unified page cache (fs/ubc/ubc.h) ----
    // Returns the number of bytes read (0 at or past the end). Errors:
    // EISDIR, EINVAL, EFAULT.
    virtual ErrorOr<size_t> read(u64 offset, const IoBuffer& buf, size_t n);
    // Returns the number of bytes written (all of them unless ENOSPC/EFAULT
    // stopped it part way, in which case the part written counts). Errors:
    // ENOSPC, EFBIG, EFAULT, EISDIR.
    virtual ErrorOr<size_t> write(u64 offset, const IoBuffer& buf, size_t n);
    // Write at the end of the file (O_APPEND): the end is read, and the
    // bytes written, under the file's own lock, so two appenders never
    // write over each other. Returns the number of bytes written, as
    // write(); `at` = the offset they went to. The default reads the size,
    // then writes: right for a file system whose write() serializes nothing
    // (tmpfs overrides).
    virtual ErrorOr<size_t> append(const IoBuffer& buf, size_t n, u64& at);

    // Write the file's dirty data and its inode to the backing store and
    // wait (fsync(2); fdatasync(2) too). The default: nothing to write (a
    // file in memory). Errors: EIO.
    virtual ErrorOr<void> fsync() { return {}; }

    // ---- symbolic links ----
    // Copy the target (no NUL) into buf, at most n bytes. Returns its
    // length. Errors: EINVAL.
    virtual ErrorOr<size_t> readlink(const IoBuffer& buf, size_t n);

    // ---- streams: terminals, pipes, device nodes (fs/dev, fs/pipe) ----
    // A stream has no file offset: File sends read/write here (not to
    // read/write above), without its offset lock, and lseek/pread/pwrite
    // give ESPIPE. A stream call may block until data or room arrives;
    // such a wait is interruptible (EINTR) unless `file_flags` has
    // O_NONBLOCK (then EAGAIN).
    virtual bool is_stream() const { return false; }
    // Returns the number of bytes read (0: end of file). Errors: EAGAIN,
    // EINTR, EFAULT, EIO.
    virtual ErrorOr<size_t> stream_read(const IoBuffer& buf, size_t n, u32 file_flags);
    // Returns the number of bytes written (maybe fewer than n if interrupted
    // after some). Errors: EAGAIN, EINTR, EPIPE (no reader: the caller also
    // raises SIGPIPE), EFAULT.
    virtual ErrorOr<size_t> stream_write(const IoBuffer& buf, size_t n, u32 file_flags);
    // A File is being opened on this vnode / its last reference went
    // (pipes count their readers and writers here). Errors of open: ENXIO, ...
    virtual ErrorOr<void> open(u32 file_flags) { (void)file_flags; return {}; }
    virtual void close(u32 file_flags) { (void)file_flags; }
    // ioctl(2) with a user-space argument. Errors: ENOTTY (the default),
    // EINVAL, EFAULT.
    virtual ErrorOr<u64> ioctl(u32 request, uptr arg);
    // poll(2): which of `events` (fs/vfs/poll.h: POLLIN, POLLOUT, ...) hold
    // now, plus POLLHUP / POLLERR. The default (files, directories): always
    // readable and writable. A stream calls fs::poll_notify() whenever its
    // answer may have changed, which wakes every poller to look again.
    virtual u32 poll(u32 events);

    // ---- every vnode ----
    virtual ErrorOr<VAttr> getattr() = 0;
    // Change the fields in `mask`. SETATTR_SIZE truncates or extends a
    // regular file (freeing the pages past a new end at once). Errors: EISDIR,
    // EINVAL, ENOSPC, EFBIG.
    virtual ErrorOr<void> setattr(const VAttr& attr, u32 mask) = 0;
    // The VM object holding a regular file's pages (read/write and mmap use
    // the same one), not referenced; nullptr for other types.
    virtual vm::VmObject* vm_object() { return nullptr; }

protected:
    Vnode(VType type, Mount* mount) : m_type(type), m_mount(mount) {}
    // Checks every file system's read/write/append/truncate begins with:
    // the vnode is a regular file. Errors: EISDIR, EINVAL (another type).
    ErrorOr<void> check_regular() const;
    // Checks every file system's rename begins with (this is the source
    // directory): known flags, not both RENAME_NOREPLACE and
    // RENAME_EXCHANGE, both directories, no "." or ".." on either side.
    // Errors: EINVAL, ENOTDIR.
    ErrorOr<void> check_rename_args(StringView from, const Vnode& to_dir, StringView to, u32 flags) const;
    virtual ~Vnode() = default;
    // The last reference went. The default does nothing (the file system
    // keeps the vnode); tmpfs frees a node with no links left.
    virtual void inactive() {}

private:
    u32 m_ref_count = 0;
    VType m_type;
    Mount* m_mount;
    Mount* m_mounted_here = nullptr;
};

} // namespace fs
