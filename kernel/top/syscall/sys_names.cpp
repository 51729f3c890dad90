// kernel/top/syscall/sys_names.cpp -- the calls that make, remove and rename names: mkdir, mknod, unlink, rmdir, symlink, rename, link.
//
// Each copies its path(s) in, picks the Context, and makes one fs/vfs/vfs.h
// call, which gives Linux's errno for every path mistake. rename and link
// resolve both paths in one Context; when two relative paths hang off two
// different dirfds, the old one is spelled out from the root first.
//
// Read more: Linux fs/namei.c (do_mkdirat, do_unlinkat, do_renameat2,
// do_linkat, do_symlinkat); xv6 sysfile.c (sys_link, sys_unlink).
//
// The path calls share where a path starts (path_at.h) and the rules in
// sys_path.cpp's top comment (dirfd, AT_EMPTY_PATH, O_PATH, umask, root).
#include <fs/vfs/device.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/abi/linux/fcntl.h>
#include <kernel/base/abi/linux/stat.h>
#include <kernel/base/abi/linux/statfs.h>
#include <kernel/base/abi/linux/unistd.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/fsize.h>
#include <kernel/top/syscall/path_at.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_file.h>
#include <kernel/top/syscall/user_path.h>
#include <kernel/top/syscall/user_stat.h>

namespace kern {

using uapi::AT_EACCESS, uapi::AT_EMPTY_PATH, uapi::AT_FDCWD, uapi::AT_NO_AUTOMOUNT, uapi::AT_REMOVEDIR,
    uapi::AT_STATX_SYNC_TYPE, uapi::AT_SYMLINK_FOLLOW, uapi::AT_SYMLINK_NOFOLLOW;
using uapi::S_IFMT, uapi::S_ISGID, uapi::S_ISUID, uapi::S_IXGRP;

// ---- making and removing names ----

namespace {

// mkdir keeps the sticky bit but not set-user/group-ID (Linux's
// S_IRWXUGO | S_ISVTX), minus the umask.
ErrorOr<u64> mkdir_at(int dirfd, Path user_path, mode_t mode)
{
    auto at = TRY(path_at(dirfd, user_path));
    TRY(fs::mkdir(at.ctx, at.path.view(), mode & 01777 & ~umask_bits()));
    return 0;
}

// mknod: the S_IFMT type as given, the permission bits minus the umask;
// `dev` is Linux's 32-bit encoding (the low half of fs::makedev's).
ErrorOr<u64> mknod_at(int dirfd, Path user_path, mode_t mode, dev_t dev)
{
    auto at = TRY(path_at(dirfd, user_path));
    u32 m = (mode & S_IFMT) | (mode & 07777 & ~umask_bits());
    TRY(fs::mknod(at.ctx, at.path.view(), m, dev));
    return 0;
}

// unlinkat: AT_REMOVEDIR makes it rmdir. Errors: EINVAL (another flag),
// path_at's, fs::unlink's or fs::rmdir's.
ErrorOr<u64> unlink_at(int dirfd, Path user_path, int flags)
{
    if (flags & ~AT_REMOVEDIR)
        return Errno::EINVAL;
    auto at = TRY(path_at(dirfd, user_path));
    if (flags & AT_REMOVEDIR)
        TRY(fs::rmdir(at.ctx, at.path.view()));
    else
        TRY(fs::unlink(at.ctx, at.path.view()));
    return 0;
}

} // namespace

static ErrorOr<u64> sys_mkdir(Path path, mode_t mode) { return mkdir_at(AT_FDCWD, path, mode); }
SYSCALL(83, mkdir);

static ErrorOr<u64> sys_mkdirat(int dirfd, Path path, mode_t mode) { return mkdir_at(dirfd, path, mode); }
SYSCALL(258, mkdirat);

static ErrorOr<u64> sys_mknod(Path path, mode_t mode, dev_t dev) { return mknod_at(AT_FDCWD, path, mode, dev); }
SYSCALL(133, mknod);

static ErrorOr<u64> sys_mknodat(int dirfd, Path path, mode_t mode, dev_t dev)
{
    return mknod_at(dirfd, path, mode, dev);
}
SYSCALL(259, mknodat);

static ErrorOr<u64> sys_unlink(Path path) { return unlink_at(AT_FDCWD, path, 0); }
SYSCALL(87, unlink);

static ErrorOr<u64> sys_rmdir(Path path) { return unlink_at(AT_FDCWD, path, AT_REMOVEDIR); }
SYSCALL(84, rmdir);

static ErrorOr<u64> sys_unlinkat(int dirfd, Path path, int flags) { return unlink_at(dirfd, path, flags); }
SYSCALL(263, unlinkat);

// symlinkat(target, dirfd, linkpath): the target is stored as given.
// Errors: path_at's, fs::symlink's.
static ErrorOr<u64> sys_symlinkat(Path user_target, int dirfd, Path linkpath)
{
    auto target = TRY(UserPath::copy_in(user_target));
    auto at = TRY(path_at(dirfd, linkpath));
    TRY(fs::symlink(at.ctx, target.view(), at.path.view()));
    return 0;
}
SYSCALL(266, symlinkat);

static ErrorOr<u64> sys_symlink(Path target, Path linkpath) { return sys_symlinkat(target, AT_FDCWD, linkpath); }
SYSCALL(88, symlink);

// ---- two paths: rename and link ----

namespace {

struct TwoPaths {
    fs::Context ctx;
    UserPath from;
    UserPath to;
};

// Both paths of a rename or link, in one Context (see the top comment).
// Errors: path_at's, fs::getcwd's (ENOENT: the old directory was removed).
ErrorOr<TwoPaths> two_paths_at(int from_dirfd, Path from_user, int to_dirfd, Path to_user)
{
    auto from = TRY(path_at(from_dirfd, from_user));
    auto to = TRY(path_at(to_dirfd, to_user));
    if (from.path.is_absolute() || from.ctx.cwd == to.ctx.cwd)
        return TwoPaths{std::move(to.ctx), std::move(from.path), std::move(to.path)};
    if (to.path.is_absolute())
        return TwoPaths{std::move(from.ctx), std::move(from.path), std::move(to.path)};
    KBuffer dir = TRY(KBuffer::create(fs::PATH_MAX));
    auto* dir_chars = reinterpret_cast<char*>(dir.data());
    size_t length = TRY(fs::getcwd(from.ctx, dir_chars, fs::PATH_MAX));
    auto absolute = TRY(UserPath::joined(StringView(dir_chars, length), from.path.view()));
    return TwoPaths{std::move(to.ctx), std::move(absolute), std::move(to.path)};
}

// The path with its final symlinks replaced by their targets, as text
// (linkat's AT_SYMLINK_FOLLOW: fs::link itself never follows). A relative
// target replaces the last component. Returns the path.
// Errors: ELOOP, ENOENT, namei's errors.
ErrorOr<UserPath> follow_final_symlinks(const fs::Context& ctx, UserPath path)
{
    KBuffer target = TRY(KBuffer::create(fs::PATH_MAX));
    for (unsigned links = 0;; ++links) {
        auto v = VnodeRef::adopt(TRY(fs::lookup(ctx, path.view(), fs::Follow::No)));
        if (v->type() != fs::VType::Symlink)
            return path;
        if (links == fs::SYMLOOP_MAX)
            return Errno::ELOOP;
        size_t n = TRY(v->readlink(fs::IoBuffer::kernel(target.data()), fs::PATH_MAX - 1));
        if (n == 0)
            return Errno::ENOENT;
        StringView text(reinterpret_cast<const char*>(target.data()), n);
        size_t slash = path.view().find_last('/');
        if (text.starts_with('/') || slash == StringView::NPOS)
            path = TRY(UserPath::joined("", text));
        else
            path = TRY(UserPath::joined(path.view().substring(0, slash + 1), text));
    }
}

// renameat2's flags: RENAME_NOREPLACE and RENAME_EXCHANGE (fs::rename);
// RENAME_WHITEOUT, both of those together, or any other bit: EINVAL, before
// the paths are read (Linux checks the flags first too).
ErrorOr<u64> rename_at(int from_dirfd, Path from, int to_dirfd, Path to, unsigned flags)
{
    if (flags & ~(fs::RENAME_NOREPLACE | fs::RENAME_EXCHANGE))
        return Errno::EINVAL;  // RENAME_WHITEOUT too: no whiteouts here
    if ((flags & fs::RENAME_NOREPLACE) && (flags & fs::RENAME_EXCHANGE))
        return Errno::EINVAL;
    auto paths = TRY(two_paths_at(from_dirfd, from, to_dirfd, to));
    TRY(fs::rename(paths.ctx, paths.from.view(), paths.to.view(), flags));
    return 0;
}

// linkat: AT_SYMLINK_FOLLOW links what a final symlink points at.
// AT_EMPTY_PATH (link a descriptor) is not supported: its empty path is
// ENOENT, as Linux answers a caller without CAP_DAC_READ_SEARCH.
ErrorOr<u64> link_at(int from_dirfd, Path from, int to_dirfd, Path to, int flags)
{
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return Errno::EINVAL;
    auto paths = TRY(two_paths_at(from_dirfd, from, to_dirfd, to));
    if (flags & AT_SYMLINK_FOLLOW)
        paths.from = TRY(follow_final_symlinks(paths.ctx, std::move(paths.from)));
    TRY(fs::link(paths.ctx, paths.from.view(), paths.to.view()));
    return 0;
}

} // namespace

static ErrorOr<u64> sys_rename(Path from, Path to) { return rename_at(AT_FDCWD, from, AT_FDCWD, to, 0); }
SYSCALL(82, rename);

static ErrorOr<u64> sys_renameat(int from_dirfd, Path from, int to_dirfd, Path to)
{
    return rename_at(from_dirfd, from, to_dirfd, to, 0);
}
SYSCALL(264, renameat);

static ErrorOr<u64> sys_renameat2(int from_dirfd, Path from, int to_dirfd, Path to, unsigned flags)
{
    return rename_at(from_dirfd, from, to_dirfd, to, flags);
}
SYSCALL(316, renameat2);

static ErrorOr<u64> sys_link(Path from, Path to) { return link_at(AT_FDCWD, from, AT_FDCWD, to, 0); }
SYSCALL(86, link);

static ErrorOr<u64> sys_linkat(int from_dirfd, Path from, int to_dirfd, Path to, int flags)
{
    return link_at(from_dirfd, from, to_dirfd, to, flags);
}
SYSCALL(265, linkat);

} // namespace kern
