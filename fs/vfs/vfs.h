// fs/vfs/vfs.h -- the file-system calls, by path: what system calls use.
//
// Each function resolves its path(s) with fs/vfs/namei.h, relative to a
// Context (fs/vfs/context.h: root, cwd, cred), then calls the vnode
// operations (fs/vfs/vnode.h). No function keeps a reference it took: every
// vnode looked up is unref'd before returning, on every path. Functions that
// return a File* or a Vnode* return it referenced (the caller unrefs).
//
// Paths are kernel strings (the system-call layer copies user strings in
// first). Errors common to every path argument, from namei:
//   ENOENT        empty path, or a component missing
//   ENOTDIR       a non-directory used as a directory (middle component, or a
//                 trailing slash on a non-directory)
//   ENAMETOOLONG  a component longer than NAME_MAX, a path of PATH_MAX bytes
//                 or more (also after symlink expansion)
//   ELOOP         more than SYMLOOP_MAX symbolic links
//   EINVAL        a NUL byte inside the path
//   ENOMEM        no memory for the lookup buffer
// Each function lists only its own errors on top of these. Errno choices
// for "." / ".." / "/" as the last component follow Linux (see each one).
//
// Locking: none held across calls; rename() of a directory takes the global
// rename lock (fs/vfs/vfs.cpp) so the subtree check cannot race another
// rename. See docs/vfs.md.
#pragma once

#include <fs/vfs/context.h>
#include <fs/vfs/file.h>
#include <fs/vfs/iobuffer.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/types.h>

namespace fs {

// ---- mounts (fs/vfs/mount.cpp) ----
// Mount the root file system (once, at boot). Errors: ENODEV, EINVAL, ENOMEM,
// EBUSY (a root is already mounted).
ErrorOr<void> mount_root(StringView fstype, StringView options);
// Unmount the root file system (shutdown, tests). Errors: EBUSY (other mounts,
// or anything in it still referenced), EINVAL (none mounted).
ErrorOr<void> unmount_root();
// A Context with root = cwd = the root file system's root. Errors: ENOENT (no
// root mounted yet).
ErrorOr<Context> root_context();
// Mount a new `fstype` instance on the directory `path`. Errors: ENODEV, EINVAL
// (bad options; a directory whose file system cannot hold a mount there:
// Vnode::can_be_mount_point), EBUSY (already a mount point), ENOTDIR, ENOMEM.
ErrorOr<void> mount(const Context& ctx, StringView fstype, StringView path, StringView options);
// The same with mount(2)'s `source`: for a type that lives on a device
// (FileSystemType::create_on_device) the path of a block device node.
// Errors: as above; ENOENT, ENOTDIR, ELOOP (looking up the source), ENOTBLK
// (the source is not a block device node), EBUSY (the device is in use), and
// the file system's (EINVAL, EIO, EUCLEAN for a damaged image).
ErrorOr<void> mount(const Context& ctx, StringView fstype, StringView source, StringView path,
                    StringView options);
// Mount `fs`, made by its own code rather than through a FileSystemType
// (MFS: fs/mfs/mfs.h, whose mount(2) builds its device from the caller's
// memory first), on the directory `path`; /proc/mounts names it
// `type_name` (a string that lives for ever). On an error `fs` is
// unmounted and deleted. Errors: ENOTDIR, EINVAL, EBUSY, ENOMEM, lookup's.
ErrorOr<void> mount_instance(const Context& ctx, FileSystem& fs, const char* type_name, StringView path);
// sync(2): every mounted file system's FileSystem::sync(). Returns the first
// error. Errors: EIO.
ErrorOr<void> sync_all();
// /proc/sys/vm/drop_caches: every mounted file system's drop_caches().
void drop_caches_all();
// Unmount the file system whose root is `path`. Errors: EINVAL (not a mount
// root), EBUSY (the root file system; files, directories or a cwd in use;
// mounts below it).
ErrorOr<void> unmount(const Context& ctx, StringView path);

// ---- files ----
// Open (and with O_CREAT maybe create, with permission bits `mode`). Returns a
// File, referenced. Errors: EEXIST (O_CREAT|O_EXCL and it exists, even as a
// symlink), EISDIR (a directory opened for writing; O_CREAT with a trailing
// slash or on "." / ".." / "/"), ENOTDIR (O_DIRECTORY on a non-directory),
// ELOOP (O_NOFOLLOW and the last component is a symlink), EINVAL (O_ACCMODE ==
// 3, O_CREAT|O_DIRECTORY), ENOSPC, and the create() errors. O_CREAT without
// O_EXCL or O_NOFOLLOW follows a final symlink, and if it dangles creates its
// target, as Linux (a relative target from the link's directory; ENOENT if the
// target's directory is missing). O_TRUNC empties a regular file opened for
// writing (with O_RDONLY it is ignored; Linux truncates). With O_PATH every
// flag but O_DIRECTORY and O_NOFOLLOW is ignored: the File names the node (a
// symlink itself with O_NOFOLLOW) without opening it -- no device driver, no
// FIFO wait (fs/vfs/file.h).
ErrorOr<File*> open(const Context& ctx, StringView path, u32 flags, u32 mode);

// ---- names ----
// Errors: EEXIST (it exists, also for ".", ".." and "/"), ENOSPC, EMLINK.
// A trailing slash is allowed.
ErrorOr<void> mkdir(const Context& ctx, StringView path, u32 mode);
// A regular file, device node, fifo or socket; `mode` holds the S_IFMT type
// (0 = regular) and the permission bits. Errors: EEXIST (also ".", "..", "/"),
// EPERM (S_IFDIR), EINVAL (S_IFLNK or an unknown type), ENOENT (a trailing
// slash on a new name), ENOSPC.
ErrorOr<void> mknod(const Context& ctx, StringView path, u32 mode, u64 rdev);
// Remove a non-directory. Errors: EISDIR (a directory, or ".", "..", "/"),
// ENOTDIR (a trailing slash on a non-directory), EBUSY (a mount point).
ErrorOr<void> unlink(const Context& ctx, StringView path);
// Remove an empty directory. Errors: EINVAL ("." last), ENOTEMPTY (".." last, or
// not empty), EBUSY ("/" or a mount point), ENOTDIR.
ErrorOr<void> rmdir(const Context& ctx, StringView path);
// Rename, replacing per POSIX; `flags` are renameat2's:
//   RENAME_NOREPLACE  EEXIST if `to` exists (also ".", "..", "/"), checked
//                     by the file system under the lock it renames under,
//                     so no one can create `to` in between;
//   RENAME_EXCHANGE   swap the two names atomically; both must exist
//                     (ENOENT), of any types; a directory that changes
//                     parent has its ".." follow, either way.
// Errors: EINVAL (another flag, RENAME_WHITEOUT, or NOREPLACE|EXCHANGE), EBUSY
// (".", "..", "/" on either side, or a mount point), EXDEV (different file
// systems), EINVAL (a directory into its own subtree -- either directory,
// in an exchange: checked here by walking ".." up from the new parent),
// ENOTDIR (a trailing slash on a non-directory source or target, directory
// over a file), EISDIR (a file over a directory), ENOTEMPTY, ENOSPC.
ErrorOr<void> rename(const Context& ctx, StringView from, StringView to, u32 flags = 0);
// A new name `new_path` for `existing` (not followed if a symlink, as
// Linux's link(2)). Errors: EPERM (a directory), EXDEV, EEXIST (also ".", "..",
// "/"), ENOENT (a trailing slash on the new name), EMLINK, ENOSPC.
ErrorOr<void> link(const Context& ctx, StringView existing, StringView new_path);
// A symlink at `link_path` containing `target` (not checked; may dangle).
// Errors: EEXIST (also ".", "..", "/"), ENOENT (empty target, or a trailing
// slash on the new name), ENAMETOOLONG (target of PATH_MAX bytes or more),
// ENOSPC.
ErrorOr<void> symlink(const Context& ctx, StringView target, StringView link_path);
// Copy a symlink's target (no NUL) into buf, at most n bytes. Returns its
// length, cut to n. Errors: EINVAL (not a symlink), EFAULT.
ErrorOr<size_t> readlink(const Context& ctx, StringView path, const IoBuffer& buf, size_t n);

// ---- attributes ----
ErrorOr<VAttr> stat(const Context& ctx, StringView path);   // follows a final symlink
ErrorOr<VAttr> lstat(const Context& ctx, StringView path);  // does not
// Set a regular file's size. Errors: EISDIR (directory), EINVAL (other types),
// EFBIG, ENOSPC.
ErrorOr<void> truncate(const Context& ctx, StringView path, u64 length);
// The statvfs of the file system holding `path`. Errors: ENOENT, ...
ErrorOr<StatVfs> statvfs(const Context& ctx, StringView path);

// ---- the current directory ----
// The directory `path`, referenced, to become a Context's cwd:
//   ctx.cwd = kern::RefPtr<Vnode>::adopt(TRY(fs::chdir(ctx, path)));
// Errors: ENOTDIR.
ErrorOr<Vnode*> chdir(const Context& ctx, StringView path);
// The absolute path of ctx.cwd as seen from ctx.root, NUL-terminated, into
// buf (n bytes), found by walking ".." (fs/vfs/getcwd.cpp). Returns its
// length without the NUL. Errors: ERANGE (n too small), ENOENT (the cwd
// was removed, or is not below ctx.root), ENAMETOOLONG (PATH_MAX or
// longer), ENOMEM.
ErrorOr<size_t> getcwd(const Context& ctx, char* buf, size_t n);

} // namespace fs
