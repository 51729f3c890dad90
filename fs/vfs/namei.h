// fs/vfs/namei.h -- path lookup: from a string to a vnode.
//
// lookup() walks a path one component at a time (fs/vfs/namei.cpp has the
// step-by-step essay): it starts at ctx.root for an absolute path and
// ctx.cwd otherwise; "." stays, ".." goes up (staying at ctx.root, and
// crossing from a mounted root to the vnode it covers first); a directory
// that is a mount point is replaced by the root of what is mounted there; a
// symbolic link is replaced by its target, inside the path, at most
// SYMLOOP_MAX times per lookup. Results are referenced.
//
// Errors, for every function here:
//   ENOENT        empty path; a missing component; an empty symlink target
//   ENOTDIR       a non-directory in the middle, or before a trailing slash
//   ENAMETOOLONG  a component > NAME_MAX; a path >= PATH_MAX (also after
//                 replacing a symlink by its target)
//   ELOOP         more than SYMLOOP_MAX symlinks
//   EINVAL        a NUL inside the path
//   ENOMEM        the path buffer could not be allocated
// plus whatever Vnode::lookup/readlink return (EIO on a disk fs).
#pragma once

#include <fs/vfs/context.h>
#include <fs/vfs/types.h>
#include <fs/vfs/vnode.h>

namespace fs {

enum class Follow : u8 { No, Yes };

// The vnode `path` names, referenced. With Follow::No a final symlink is
// returned itself -- unless the path ends in '/', which always follows it
// (as Linux: lstat("link/") is the directory).
ErrorOr<Vnode*> lookup(const Context& ctx, StringView path, Follow follow);

// What lookup_parent found as the last component.
enum class LastKind : u8 {
    Normal,  // a name in `dir`
    Dot,     // "." : `dir` is the directory named by the path itself
    DotDot,  // ".." : `dir` is the directory before the ".." (not resolved)
    Root,    // no component at all ("/", "//"): `dir` is the start directory
};

// The result of lookup_parent: the directory that holds (or would hold) the
// last component, referenced, and that component's name (copied, since it
// may come from a symlink target that the lookup freed).
struct ParentLookup {
    Vnode* dir = nullptr;  // referenced on success; the caller unrefs
    LastKind kind = LastKind::Root;
    bool trailing_slash = false;  // the path ended with '/'
    char name_buffer[NAME_MAX + 1];
    size_t name_length = 0;
    StringView name() const { return StringView(name_buffer, name_length); }
};

// For create, unlink, rename, link, symlink, mkdir, rmdir: walk every
// component but the last (following symlinks on the way), and report the
// last one without looking it up. The caller chooses the errno for ".",
// ".." and "/" (vfs.h lists Linux's choice per call). Fills `out`.
// With Follow::Yes (open with O_CREAT) a last component that exists and is
// a symlink (without a trailing '/') is followed first, however many links
// in a row, so `out` names what the link points at, which may not exist:
// Linux creates a dangling symlink's target. ELOOP past SYMLOOP_MAX.
ErrorOr<void> lookup_parent(const Context& ctx, StringView path, ParentLookup& out,
                            Follow follow = Follow::No);

// One step: `name` in directory `dir`, with "." / ".." and mount crossing
// as lookup() does them (but no symlink following). Returns the vnode,
// referenced. Errors: ENOTDIR, ENOENT.
ErrorOr<Vnode*> lookup_component(const Context& ctx, Vnode& dir, StringView name);

// ---- mount crossing, implemented by the mount table (fs/vfs/mount.cpp) ----
// The root of the file system mounted on `v` (the topmost, if stacked),
// referenced; nullptr if `v` is not a mount point.
Vnode* mounted_root(Vnode& v);
// If `v` is the root of a mounted file system other than the root file
// system: the vnode it covers, referenced; else nullptr.
Vnode* covered_vnode(Vnode& v);
// Whether `v` is the root of some mounted file system (the root fs too).
bool is_mount_root(Vnode& v);
// The mounted FileSystem holding `v` (found by VAttr.dev), or nullptr.
class FileSystem;
FileSystem* filesystem_of(Vnode& v);

} // namespace fs
