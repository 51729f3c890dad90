// kernel/top/syscall/sys_path.cpp -- the calls that name files by path: open, stat, mkdir, rename, ...
//
// Each handler copies its path(s) in (user_path.h: EFAULT, ENAMETOOLONG),
// picks the fs::Context the path is resolved in, and makes one call of
// fs/vfs/vfs.h (or a lookup and one vnode operation for the attribute
// calls). The VFS gives Linux's errno for every path mistake; what is left
// here is the system-call layer's part:
//
//   *at() and dirfd  A relative path is resolved from dirfd's directory:
//                    the handler builds a copy of the process's Context
//                    whose cwd is that File's vnode (ENOTDIR if it is not a
//                    directory). AT_FDCWD (-100) is the process's own cwd;
//                    an absolute path ignores dirfd altogether, as Linux.
//   AT_EMPTY_PATH    stat, chown, access, utimensat on dirfd's file itself.
//   O_PATH           a path-only File (fs/vfs/file.h) serves as a dirfd and
//                    for AT_EMPTY_PATH (file_of_raw); fchmod, fchown and
//                    futimens refuse it (file_of: EBADF), as Linux.
//   umask            applied to the permission bits of every new file,
//                    directory and node (Process::umask).
//   two paths        rename and link resolve both paths in one Context
//                    (fs::rename and fs::link take one). When two relative
//                    paths hang off two different dirfds, the old one is
//                    spelled out from the root first (fs::getcwd of its
//                    directory + "/" + path).
//   everyone is root permission checks pass, except that access(X_OK)
//                    wants some execute bit on a non-directory (Linux's
//                    rule for root); chown clears set-user-ID (and
//                    set-group-ID with group execute) on non-directories.
//   descriptors      open makes the File first, then takes the lowest free
//                    descriptor; a full table is checked before anything is
//                    created, so open(O_CREAT) at EMFILE leaves no file.
//
// Read more: Linux fs/open.c (do_sys_openat2, build_open_flags,
// do_faccessat, chown_common), fs/namei.c (do_mkdirat, do_renameat2,
// do_linkat), fs/stat.c (vfs_fstatat, cp_statx), fs/statfs.c, fs/utimes.c;
// xv6 sysfile.c (sys_open, sys_link); docs/vfs.md, docs/processes.md.
#include <fs/vfs/device.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/abi/linux/fcntl.h>
#include <kernel/base/abi/linux/stat.h>
#include <kernel/base/abi/linux/statfs.h>
#include <kernel/base/abi/linux/unistd.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/fsize.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_file.h>
#include <kernel/top/syscall/user_path.h>
#include <kernel/top/syscall/user_stat.h>

namespace kern {

namespace {

using VnodeRef = RefPtr<fs::Vnode>;

using uapi::AT_EACCESS, uapi::AT_EMPTY_PATH, uapi::AT_FDCWD, uapi::AT_NO_AUTOMOUNT, uapi::AT_REMOVEDIR,
    uapi::AT_STATX_SYNC_TYPE, uapi::AT_SYMLINK_FOLLOW, uapi::AT_SYMLINK_NOFOLLOW;
using uapi::S_IFMT, uapi::S_ISGID, uapi::S_ISUID, uapi::S_IXGRP;
using Path = UserPtr<const char>;

fs::Context& own_context() { return Process::current()->fs_context(); }
u32 umask_bits() { return Process::current()->umask(); }

// ---- where a path starts ----

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

// A path and the Context to resolve it in.
struct PathAt {
    UserPath path;
    fs::Context ctx;
};

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

} // namespace

// ---- open ----

namespace {

using uapi::O_DIRECT, uapi::O_DSYNC, uapi::O_LARGEFILE, uapi::O_NOATIME, uapi::O_SYNC, uapi::O_TMPFILE_BIT;
// The flags a File keeps (F_GETFL shows them); the rest are dropped, as
// Linux drops unknown bits. O_CLOEXEC belongs to the descriptor.
constexpr u32 KEPT_OPEN_FLAGS = fs::O_ACCMODE | fs::O_CREAT | fs::O_EXCL | fs::O_NOCTTY | fs::O_TRUNC |
                                fs::O_APPEND | fs::O_NONBLOCK | O_DSYNC | O_DIRECT | fs::O_DIRECTORY |
                                fs::O_NOFOLLOW | O_NOATIME | O_SYNC;

// The flags the File of an open gets. O_PATH keeps only O_DIRECTORY and
// O_NOFOLLOW with it (and F_GETFL shows no O_LARGEFILE then, as Linux).
u32 file_flags(u32 flags)
{
    if (flags & fs::O_PATH)
        return flags & (fs::O_PATH | fs::O_DIRECTORY | fs::O_NOFOLLOW);
    // Linux sets O_LARGEFILE on every open of a 64-bit process.
    return (flags & KEPT_OPEN_FLAGS) | O_LARGEFILE;
}

// open/openat/creat. Returns the descriptor. O_PATH makes a path-only File
// (fs/vfs/file.h): nothing is opened, created or truncated, so a FIFO does
// not wait and a device's open code does not run.
// Errors: EMFILE, EOPNOTSUPP (O_TMPFILE), and fs::open's errors.
ErrorOr<u64> open_at(int dirfd, Path user_path, int open_flags, mode_t raw_mode)
{
    u32 flags = u32(open_flags);
    if (flags & O_TMPFILE_BIT)
        return Errno::ENOTSUP;
    auto at = TRY(path_at(dirfd, user_path));
    FdTable& fds = Process::current()->fds();
    if (!fds.has_room())
        return Errno::EMFILE;  // under RLIMIT_NOFILE; before creating anything
    u32 mode = raw_mode & 07777 & ~umask_bits();
    auto file = RefPtr<fs::File>::adopt(TRY(fs::open(at.ctx, at.path.view(), file_flags(flags), mode)));
    return u64(TRY(fds.install(*file, flags & fs::O_CLOEXEC)));
}

} // namespace

// open(path, flags, mode), openat(dirfd, path, flags, mode) and
// creat(path, mode): see open_at.
static ErrorOr<u64> sys_open(Path path, int flags, mode_t mode) { return open_at(AT_FDCWD, path, flags, mode); }
SYSCALL(2, open);

static ErrorOr<u64> sys_openat(int dirfd, Path path, int flags, mode_t mode)
{
    return open_at(dirfd, path, flags, mode);
}
SYSCALL(257, openat);

static ErrorOr<u64> sys_creat(Path path, mode_t mode)
{
    return open_at(AT_FDCWD, path, fs::O_CREAT | fs::O_WRONLY | fs::O_TRUNC, mode);
}
SYSCALL(85, creat);

// ---- stat ----

namespace {

// stat/lstat/newfstatat. Errors: EINVAL (an unknown flag), EFAULT, lookup's errors.
ErrorOr<u64> stat_at(int dirfd, Path user_path, UserPtr<LinuxStat> user_buf, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
        return Errno::EINVAL;
    auto v = TRY(vnode_at(dirfd, user_path, flags));
    fs::VAttr attr = TRY(v->getattr());
    TRY(copy_stat_out(user_buf, attr));
    return 0;
}

// Linux's struct statx (include/uapi/linux/stat.h), 256 bytes.
struct StatxTimestamp {
    i64 sec;
    u32 nsec;
    i32 reserved;
};
struct Statx {
    u32 mask, blksize;
    u64 attributes;
    u32 nlink, uid, gid;
    u16 mode, spare0;
    u64 ino, size, blocks, attributes_mask;
    StatxTimestamp atime, btime, ctime, mtime;
    u32 rdev_major, rdev_minor, dev_major, dev_minor;
    u64 mnt_id;
    u32 dio_mem_align, dio_offset_align;
    u64 spare3[12];
};
static_assert(sizeof(Statx) == 256);

using uapi::STATX_BASIC_STATS, uapi::STATX_BTIME, uapi::STATX_RESERVED;

StatxTimestamp statx_time(const fs::Timespec& t) { return {t.sec, u32(t.nsec), 0}; }

Statx to_statx(const fs::VAttr& attr)
{
    Statx st;
    memset(&st, 0, sizeof st);
    st.mask = STATX_BASIC_STATS | STATX_BTIME;
    st.blksize = attr.blksize;
    st.nlink = attr.nlink;
    st.uid = attr.uid;
    st.gid = attr.gid;
    st.mode = u16(fs::vtype_to_mode(attr.type) | (attr.mode & 07777));
    st.ino = attr.ino;
    st.size = attr.size;
    st.blocks = attr.blocks;
    st.atime = statx_time(attr.atime);
    st.btime = statx_time(attr.btime);
    st.ctime = statx_time(attr.ctime);
    st.mtime = statx_time(attr.mtime);
    st.rdev_major = fs::dev_major(attr.rdev);
    st.rdev_minor = fs::dev_minor(attr.rdev);
    st.dev_major = fs::dev_major(attr.dev);
    st.dev_minor = fs::dev_minor(attr.dev);
    return st;
}

} // namespace

// stat(path, buf), lstat(path, buf), newfstatat(dirfd, path, buf, flags).
static ErrorOr<u64> sys_stat(Path path, UserPtr<LinuxStat> buf) { return stat_at(AT_FDCWD, path, buf, 0); }
SYSCALL(4, stat);

static ErrorOr<u64> sys_lstat(Path path, UserPtr<LinuxStat> buf)
{
    return stat_at(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}
SYSCALL(6, lstat);

static ErrorOr<u64> sys_newfstatat(int dirfd, Path path, UserPtr<LinuxStat> buf, int flags)
{
    return stat_at(dirfd, path, buf, flags);
}
SYSCALL(262, newfstatat);

// statx(dirfd, path, flags, mask, buf): every basic field and the birth
// time, whatever `mask` asks. Errors: EINVAL (unknown flags, the reserved
// mask bit), EFAULT, lookup's errors.
static ErrorOr<u64> sys_statx(int dirfd, Path path, unsigned flags, unsigned mask, UserPtr<Statx> buf)
{
    if (flags & ~unsigned(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
        return Errno::EINVAL;
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED))
        return Errno::EINVAL;
    auto v = TRY(vnode_at(dirfd, path, int(flags)));
    Statx st = to_statx(TRY(v->getattr()));
    TRY(copy_to_user(buf, &st));
    return 0;
}
SYSCALL(332, statx);

// ---- access ----

namespace {

using uapi::R_OK, uapi::W_OK, uapi::X_OK;

// Everyone is root: a file that exists may be read and written; X_OK wants
// an execute bit somewhere unless it is a directory. Errors: EINVAL (bad
// mode or flags), EACCES, lookup's errors.
ErrorOr<u64> access_at(int dirfd, Path user_path, int mode, int flags)
{
    if (mode & ~(R_OK | W_OK | X_OK))
        return Errno::EINVAL;
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Errno::EINVAL;
    auto v = TRY(vnode_at(dirfd, user_path, flags));
    if (mode & X_OK) {
        fs::VAttr attr = TRY(v->getattr());
        if (!v->is_directory() && !(attr.mode & 0111))
            return Errno::EACCES;
    }
    return 0;
}

} // namespace

// access(path, mode), faccessat(dirfd, path, mode), faccessat2(dirfd, path, mode, flags).
static ErrorOr<u64> sys_access(Path path, int mode) { return access_at(AT_FDCWD, path, mode, 0); }
SYSCALL(21, access);

static ErrorOr<u64> sys_faccessat(int dirfd, Path path, int mode) { return access_at(dirfd, path, mode, 0); }
SYSCALL(269, faccessat);

static ErrorOr<u64> sys_faccessat2(int dirfd, Path path, int mode, int flags)
{
    return access_at(dirfd, path, mode, flags);
}
SYSCALL(439, faccessat2);

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

// ---- reading a symlink ----

// readlinkat(dirfd, path, buf, bufsiz): the target, not NUL-terminated,
// cut to bufsiz. An empty path reads the symlink dirfd itself names (an
// O_PATH|O_NOFOLLOW descriptor); any other dirfd, AT_FDCWD included, is
// then ENOENT, as Linux. Returns the length. Errors: EINVAL (bufsiz <= 0,
// not a symlink), EFAULT, EBADF, ENOENT.
static ErrorOr<u64> sys_readlinkat(int dirfd, Path user_path, UserPtr<char> user_buf, int bufsiz)
{
    if (bufsiz <= 0)
        return Errno::EINVAL;
    auto buf = fs::IoBuffer::user(user_buf.address());
    size_t n = size_t(bufsiz);
    auto path = TRY(UserPath::copy_in(user_path));
    if (path.is_empty()) {
        auto v = TRY(dirfd_vnode(dirfd));
        if (v->type() != fs::VType::Symlink)
            return Errno::ENOENT;
        return TRY(v->readlink(buf, n));
    }
    fs::Context ctx = TRY(context_at(dirfd, path));
    return TRY(fs::readlink(ctx, path.view(), buf, n));
}
SYSCALL(267, readlinkat);

static ErrorOr<u64> sys_readlink(Path path, UserPtr<char> buf, int bufsiz)
{
    return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
SYSCALL(89, readlink);

// ---- the current directory ----

// chdir(path). Errors: path_at's, fs::chdir's (ENOTDIR, ...).
static ErrorOr<u64> sys_chdir(Path path)
{
    auto at = TRY(path_at(AT_FDCWD, path));
    fs::Vnode* dir = TRY(fs::chdir(at.ctx, at.path.view()));
    own_context().cwd = VnodeRef::adopt(dir);
    return 0;
}
SYSCALL(80, chdir);

// getcwd(buf, size): Returns the length with the NUL. Errors: ERANGE (size
// too small), ENOENT (the cwd was removed), EFAULT.
static ErrorOr<u64> sys_getcwd(UserPtr<char> buf, u64 size)
{
    KBuffer path = TRY(KBuffer::create(fs::PATH_MAX));
    auto* chars = reinterpret_cast<char*>(path.data());
    size_t length = TRY(fs::getcwd(own_context(), chars, min(size_t(size), fs::PATH_MAX)));
    TRY(copy_to_user(buf, chars, length + 1));
    return length + 1;
}
SYSCALL(79, getcwd);

// ---- size ----

// truncate(path, length). Errors: EINVAL (negative length, not a regular
// file), EISDIR, EFBIG (also: growing the file past RLIMIT_FSIZE, which
// raises SIGXFSZ too -- Linux's inode_newsize_ok, as ftruncate). The size
// is looked up first, then the file again by fs::truncate: a rename
// between the two could let a file pass the limit, which one thread per
// process makes moot.
static ErrorOr<u64> sys_truncate(Path path, i64 length)
{
    if (length < 0)
        return Errno::EINVAL;
    auto at = TRY(path_at(AT_FDCWD, path));
    if (Process::current()->rlimit(RLIMIT_FSIZE).cur != RLIM_INFINITY) {  // else no need to look
        fs::VAttr attr = TRY(fs::stat(at.ctx, at.path.view()));
        if (attr.type == fs::VType::Regular)  // else fs::truncate's EISDIR or EINVAL
            TRY(fsize_check_resize(attr.size, u64(length)));
    }
    TRY(fs::truncate(at.ctx, at.path.view(), u64(length)));
    return 0;
}
SYSCALL(76, truncate);

// ---- statfs ----

namespace {

// Linux x86-64's struct statfs, 120 bytes.
struct LinuxStatfs {
    i64 type, bsize;
    u64 blocks, bfree, bavail, files, ffree;
    i32 fsid[2];
    i64 namelen, frsize, flags;
    i64 spare[4];
};
static_assert(sizeof(LinuxStatfs) == 120);

using uapi::ST_VALID, uapi::TMPFS_MAGIC;  // tmpfs: the only file system so far

// The statfs of the file system holding `v`; a vnode of no mounted file
// system (a device's own vnode) reports an empty one. Errors: EFAULT,
// the file system's.
ErrorOr<u64> statfs_out(fs::Vnode& v, UserPtr<LinuxStatfs> user_buf)
{
    LinuxStatfs st;
    memset(&st, 0, sizeof st);
    st.bsize = st.frsize = PAGE_SIZE;
    st.namelen = fs::NAME_MAX;
    st.flags = ST_VALID;
    if (fs::FileSystem* fsys = fs::filesystem_of(v)) {
        fs::StatVfs s = TRY(fsys->statvfs());
        st.type = TMPFS_MAGIC;
        st.bsize = st.frsize = i64(s.bsize);
        st.blocks = s.blocks;
        st.bfree = s.bfree;
        st.bavail = s.bavail;
        st.files = s.files;
        st.ffree = s.ffree;
        st.fsid[0] = i32(u32(s.fsid));
        st.fsid[1] = i32(u32(s.fsid >> 32));
        st.namelen = i64(s.namemax);
        st.flags = ST_VALID | i64(s.flags);
    }
    TRY(copy_to_user(user_buf, &st));
    return 0;
}

} // namespace

// statfs(path, buf), fstatfs(fd, buf).
static ErrorOr<u64> sys_statfs(Path path, UserPtr<LinuxStatfs> buf)
{
    auto v = TRY(vnode_at(AT_FDCWD, path, 0));
    return statfs_out(*v, buf);
}
SYSCALL(137, statfs);

static ErrorOr<u64> sys_fstatfs(int fd, UserPtr<LinuxStatfs> buf)
{
    auto file = TRY(file_of_raw(fd));  // O_PATH too, as Linux
    return statfs_out(file->vnode(), buf);
}
SYSCALL(138, fstatfs);

// ---- mode and owner ----

namespace {

ErrorOr<u64> set_mode(fs::Vnode& v, mode_t mode)
{
    fs::VAttr attr;
    attr.mode = mode & 07777;
    TRY(v.setattr(attr, fs::SETATTR_MODE));
    return 0;
}

// uid or gid (u32)-1: unchanged. On a non-directory, set-user-ID goes, and
// set-group-ID if group execute is on (Linux's ATTR_KILL_SUID/SGID, which
// apply to root too).
ErrorOr<u64> set_owner(fs::Vnode& v, uid_t uid, gid_t gid)
{
    fs::VAttr attr;
    u32 mask = 0;
    if (uid != ~0u) {
        attr.uid = uid;
        mask |= fs::SETATTR_UID;
    }
    if (gid != ~0u) {
        attr.gid = gid;
        mask |= fs::SETATTR_GID;
    }
    if (!v.is_directory()) {
        u32 mode = TRY(v.getattr()).mode;
        attr.mode = mode & ~S_ISUID;
        if (mode & S_IXGRP)
            attr.mode &= ~S_ISGID;
        if (attr.mode != mode)
            mask |= fs::SETATTR_MODE;
    }
    TRY(v.setattr(attr, mask));  // the change time moves even for (-1, -1)
    return 0;
}

ErrorOr<u64> chown_at(int dirfd, Path user_path, uid_t uid, gid_t gid, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Errno::EINVAL;
    auto v = TRY(vnode_at(dirfd, user_path, flags));
    return set_owner(*v, uid, gid);
}

} // namespace

// chmod(path, mode), fchmod(fd, mode), fchmodat(dirfd, path, mode).
static ErrorOr<u64> sys_chmod(Path path, mode_t mode)
{
    auto v = TRY(vnode_at(AT_FDCWD, path, 0));
    return set_mode(*v, mode);
}
SYSCALL(90, chmod);

static ErrorOr<u64> sys_fchmod(int fd, mode_t mode)
{
    auto file = TRY(file_of(fd));
    return set_mode(file->vnode(), mode);
}
SYSCALL(91, fchmod);

// fchmodat(dirfd, path, mode): Linux's call has no flags argument.
static ErrorOr<u64> sys_fchmodat(int dirfd, Path path, mode_t mode)
{
    auto v = TRY(vnode_at(dirfd, path, 0));
    return set_mode(*v, mode);
}
SYSCALL(268, fchmodat);

// chown(path, uid, gid), lchown, fchownat(dirfd, path, uid, gid, flags), fchown(fd, uid, gid).
static ErrorOr<u64> sys_chown(Path path, uid_t uid, gid_t gid) { return chown_at(AT_FDCWD, path, uid, gid, 0); }
SYSCALL(92, chown);

static ErrorOr<u64> sys_lchown(Path path, uid_t uid, gid_t gid)
{
    return chown_at(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}
SYSCALL(94, lchown);

static ErrorOr<u64> sys_fchownat(int dirfd, Path path, uid_t uid, gid_t gid, int flags)
{
    return chown_at(dirfd, path, uid, gid, flags);
}
SYSCALL(260, fchownat);

static ErrorOr<u64> sys_fchown(int fd, uid_t uid, gid_t gid)
{
    auto file = TRY(file_of(fd));
    return set_owner(file->vnode(), uid, gid);
}
SYSCALL(93, fchown);

// umask(mask): Returns the old mask.
static ErrorOr<u64> sys_umask(int mask)
{
    Process* p = Process::current();
    u32 old = p->umask();
    p->set_umask(u32(mask));
    return old;
}
SYSCALL(95, umask);

// ---- times ----

namespace {

using uapi::UTIME_NOW, uapi::UTIME_OMIT;
constexpr i64 NSEC_PER_SEC = 1000000000;

// One of utimensat's two timespecs into `attr` (`which` is SETATTR_ATIME
// or SETATTR_MTIME). Errors: EINVAL (nanoseconds out of range).
ErrorOr<void> take_time(const fs::Timespec& in, u32 which, fs::VAttr& attr, u32& mask)
{
    if (in.nsec == UTIME_OMIT)
        return {};
    if (in.nsec != UTIME_NOW && (in.nsec < 0 || in.nsec >= NSEC_PER_SEC))
        return Errno::EINVAL;
    fs::Timespec t = in.nsec == UTIME_NOW ? fs::current_time() : in;
    (which == fs::SETATTR_ATIME ? attr.atime : attr.mtime) = t;
    mask |= which;
    return {};
}

} // namespace

// utimensat(dirfd, path, times[2], flags): times NULL is "now" for both;
// a path NULL means dirfd itself (Linux's futimens). Errors: EINVAL,
// EFAULT, EBADF, lookup's errors.
static ErrorOr<u64> sys_utimensat(int dirfd, Path user_path, UserPtr<const fs::Timespec> user_times, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Errno::EINVAL;
    fs::Timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    if (user_times)
        TRY(copy_from_user(times, user_times, 2));
    fs::VAttr attr;
    u32 mask = 0;
    TRY(take_time(times[0], fs::SETATTR_ATIME, attr, mask));
    TRY(take_time(times[1], fs::SETATTR_MTIME, attr, mask));
    if (mask == 0)
        return 0;  // both UTIME_OMIT: nothing to do, the path is not even looked at
    VnodeRef v;
    if (!user_path) {
        if (dirfd == AT_FDCWD)
            return Errno::EFAULT;
        if (flags & AT_SYMLINK_NOFOLLOW)
            return Errno::EINVAL;
        auto file = TRY(file_of(dirfd));  // futimens: not on an O_PATH File (EBADF)
        v = VnodeRef(&file->vnode());
    } else {
        v = TRY(vnode_at(dirfd, user_path, flags));
    }
    TRY(v->setattr(attr, mask));
    return 0;
}
SYSCALL(280, utimensat);

} // namespace kern
