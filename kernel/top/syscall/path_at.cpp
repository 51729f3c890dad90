// kernel/top/syscall/path_at.cpp -- where a path call's path starts (see path_at.h).
#include <fs/vfs/vfs.h>
#include <kernel/base/abi/linux/fcntl.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/path_at.h>
#include <kernel/top/syscall/user_file.h>

namespace kern {

using uapi::AT_EMPTY_PATH, uapi::AT_FDCWD, uapi::AT_SYMLINK_NOFOLLOW;

fs::Context& own_context() { return Process::current()->fs_context(); }
u32 umask_bits() { return Process::current()->umask(); }

// The Context `path` is resolved in: the process's own for an absolute
// path or AT_FDCWD, else a copy whose cwd is dirfd's directory.
// Errors: EBADF, ENOTDIR.
ErrorOr<fs::Context> context_at(int dirfd, const UserPath& path)
{
    if (path.is_absolute() || dirfd == AT_FDCWD)
        return own_context();
    auto file = TRY(file_of_raw(dirfd));  // an O_PATH directory too
    if (!file->vnode().is_directory())
        return Errno::ENOTDIR;
    fs::Context ctx = own_context();
    ctx.cwd = VnodeRef(&file->vnode());
    return ctx;
}

// Errors: EFAULT, ENAMETOOLONG, ENOENT (empty), EBADF, ENOTDIR.
ErrorOr<PathAt> path_at(int dirfd, Path user_path)
{
    auto path = TRY(UserPath::copy_in(user_path));
    if (path.is_empty())
        return Errno::ENOENT;
    fs::Context ctx = TRY(context_at(dirfd, path));
    return PathAt{std::move(path), std::move(ctx)};
}

// dirfd's own vnode (the cwd for AT_FDCWD), referenced; an O_PATH File's
// too (AT_EMPTY_PATH works on one, as Linux). Errors: EBADF.
ErrorOr<VnodeRef> dirfd_vnode(int dirfd)
{
    if (dirfd == AT_FDCWD)
        return own_context().cwd;
    auto file = TRY(file_of_raw(dirfd));
    return VnodeRef(&file->vnode());
}

// What a stat-like call names: `user_path` under dirfd, following a final
// symlink unless AT_SYMLINK_NOFOLLOW; with AT_EMPTY_PATH an empty path is
// dirfd's own file. Returns the vnode, referenced.
// Errors: ENOENT, EBADF, ENOTDIR, namei's errors.
ErrorOr<VnodeRef> vnode_at(int dirfd, Path user_path, int flags)
{
    auto path = TRY(UserPath::copy_in(user_path));
    if (path.is_empty()) {
        if (!(flags & AT_EMPTY_PATH))
            return Errno::ENOENT;
        return dirfd_vnode(dirfd);
    }
    fs::Context ctx = TRY(context_at(dirfd, path));
    auto follow = (flags & AT_SYMLINK_NOFOLLOW) ? fs::Follow::No : fs::Follow::Yes;
    return VnodeRef::adopt(TRY(fs::lookup(ctx, path.view(), follow)));
}

} // namespace kern
