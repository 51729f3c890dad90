// kernel/top/syscall/path_at.h -- where a path call's path starts: dirfd, AT_FDCWD, AT_EMPTY_PATH.
//
// What every *at() call shares (sys_path.cpp, sys_names.cpp, sys_attr.cpp):
// a relative path is resolved from dirfd's directory -- a copy of the
// process's fs::Context whose cwd is that File's vnode (ENOTDIR if it is
// not a directory); AT_FDCWD (-100) is the process's own cwd; an absolute
// path ignores dirfd, as Linux. An O_PATH File serves as a dirfd and for
// AT_EMPTY_PATH (file_of_raw). See sys_path.cpp's top comment for the rest
// of the system-call layer's part of path calls.
#pragma once

#include <fs/vfs/namei.h>
#include <kernel/base/lib/ref_ptr.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_path.h>

namespace kern {

using VnodeRef = RefPtr<fs::Vnode>;
using Path = UserPtr<const char>;

// The current process's own Context, and its umask bits.
fs::Context& own_context();
u32 umask_bits();

// The Context `path` is resolved in: the process's own for an absolute
// path or AT_FDCWD, else a copy whose cwd is dirfd's directory.
// Errors: EBADF, ENOTDIR.
ErrorOr<fs::Context> context_at(int dirfd, const UserPath& path);

// A path and the Context to resolve it in.
struct PathAt {
    UserPath path;
    fs::Context ctx;
};

// Copy `user_path` in and pick its Context.
// Errors: EFAULT, ENAMETOOLONG, ENOENT (empty), EBADF, ENOTDIR.
ErrorOr<PathAt> path_at(int dirfd, Path user_path);

// dirfd's own vnode (the cwd for AT_FDCWD), referenced; an O_PATH File's
// too (AT_EMPTY_PATH works on one, as Linux). Errors: EBADF.
ErrorOr<VnodeRef> dirfd_vnode(int dirfd);

// What a stat-like call names: `user_path` under dirfd, following a final
// symlink unless AT_SYMLINK_NOFOLLOW; with AT_EMPTY_PATH an empty path is
// dirfd's own file. Returns the vnode, referenced.
// Errors: ENOENT, EBADF, ENOTDIR, namei's errors.
ErrorOr<VnodeRef> vnode_at(int dirfd, Path user_path, int flags);

} // namespace kern
