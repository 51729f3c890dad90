// kernel/top/syscall/sys_path.cpp -- the calls that name files by path: open, stat, mkdir, rename, ...
//
// Each handler copies its path(s) in (user_args.h: EFAULT, ENAMETOOLONG),
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
#include <arch/usercopy.h>
#include <fs/vfs/device.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_args.h>

namespace kern {

namespace {

using VnodeRef = RefPtr<fs::Vnode>;

constexpr int AT_FDCWD = -100;
constexpr u64 AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200,
              AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000,
              AT_STATX_SYNC_TYPE = 0x6000;
constexpr u32 S_IFMT = 0170000, S_ISUID = 04000, S_ISGID = 02000, S_IXGRP = 0010;

fs::Context& own_context() { return Process::current()->fs_context(); }
u32 umask_bits() { return Process::current()->umask(); }

// ---- where a path starts ----

// The Context `path` is resolved in: the process's own for an absolute
// path or AT_FDCWD, else a copy whose cwd is dirfd's directory.
// => EBADF, ENOTDIR.
ErrorOr<fs::Context> context_at(u64 dirfd, const UserPath& path)
{
    if (path.is_absolute() || int(u32(dirfd)) == AT_FDCWD)
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

// => EFAULT, ENAMETOOLONG, ENOENT (empty), EBADF, ENOTDIR.
ErrorOr<PathAt> path_at(u64 dirfd, uptr user_path)
{
    auto path = TRY(UserPath::copy_in(user_path));
    if (path.is_empty())
        return Errno::ENOENT;
    fs::Context ctx = TRY(context_at(dirfd, path));
    return PathAt{std::move(path), std::move(ctx)};
}

// dirfd's own vnode (the cwd for AT_FDCWD), referenced; an O_PATH File's
// too (AT_EMPTY_PATH works on one, as Linux). => EBADF.
ErrorOr<VnodeRef> dirfd_vnode(u64 dirfd)
{
    if (int(u32(dirfd)) == AT_FDCWD)
        return own_context().cwd;
    auto file = TRY(file_of_raw(dirfd));
    return VnodeRef(&file->vnode());
}

// What a stat-like call names: `user_path` under dirfd, following a final
// symlink unless AT_SYMLINK_NOFOLLOW; with AT_EMPTY_PATH an empty path is
// dirfd's own file. => referenced. ENOENT, EBADF, ENOTDIR, namei's errors.
ErrorOr<VnodeRef> vnode_at(u64 dirfd, uptr user_path, u64 flags)
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

constexpr u32 O_DSYNC = 010000, O_DIRECT = 040000, O_LARGEFILE = 0100000, O_NOATIME = 01000000,
              O_SYNC = 04010000, O_TMPFILE_BIT = 020000000;
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

// open/openat/creat. => the descriptor. EMFILE, EOPNOTSUPP (O_TMPFILE),
// and fs::open's errors. O_PATH makes a path-only File (fs/vfs/file.h):
// nothing is opened, created or truncated, so a FIFO does not wait and a
// device's open code does not run.
ErrorOr<u64> open_at(u64 dirfd, uptr user_path, u64 raw_flags, u64 raw_mode)
{
    u32 flags = u32(raw_flags);
    if (flags & O_TMPFILE_BIT)
        return Errno::ENOTSUP;
    auto at = TRY(path_at(dirfd, user_path));
    FdTable& fds = Process::current()->fds();
    if (!fds.has_room())
        return Errno::EMFILE;  // under RLIMIT_NOFILE; before creating anything
    u32 mode = u32(raw_mode) & 07777 & ~umask_bits();
    auto file = RefPtr<fs::File>::adopt(TRY(fs::open(at.ctx, at.path.view(), file_flags(flags), mode)));
    return u64(TRY(fds.install(*file, flags & fs::O_CLOEXEC)));
}

} // namespace

SYSCALL(2, open) { return open_at(u64(AT_FDCWD), a.a0, a.a1, a.a2); }
SYSCALL(257, openat) { return open_at(a.a0, a.a1, a.a2, a.a3); }
SYSCALL(85, creat) { return open_at(u64(AT_FDCWD), a.a0, fs::O_CREAT | fs::O_WRONLY | fs::O_TRUNC, a.a1); }

// ---- stat ----

namespace {

// stat/lstat/newfstatat. => EINVAL (an unknown flag), EFAULT, lookup's errors.
ErrorOr<u64> stat_at(u64 dirfd, uptr user_path, uptr user_buf, u64 flags)
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

constexpr u32 STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_RESERVED = 0x80000000;

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

SYSCALL(4, stat) { return stat_at(u64(AT_FDCWD), a.a0, a.a1, 0); }
SYSCALL(6, lstat) { return stat_at(u64(AT_FDCWD), a.a0, a.a1, AT_SYMLINK_NOFOLLOW); }
// newfstatat(dirfd, path, buf, flags)
SYSCALL(262, newfstatat) { return stat_at(a.a0, a.a1, a.a2, a.a3); }

// statx(dirfd, path, flags, mask, buf): every basic field and the birth
// time, whatever `mask` asks. => EINVAL (unknown flags, the reserved mask bit).
SYSCALL(332, statx)
{
    u64 flags = a.a2;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
        return Errno::EINVAL;
    if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (a.a3 & STATX_RESERVED))
        return Errno::EINVAL;
    auto v = TRY(vnode_at(a.a0, a.a1, flags));
    Statx st = to_statx(TRY(v->getattr()));
    TRY(arch::copy_to_user(a.a4, &st, sizeof st));
    return 0;
}

// ---- access ----

namespace {

constexpr u64 R_OK = 4, W_OK = 2, X_OK = 1;

// Everyone is root: a file that exists may be read and written; X_OK wants
// an execute bit somewhere unless it is a directory. => EINVAL (bad mode
// or flags), EACCES, lookup's errors.
ErrorOr<u64> access_at(u64 dirfd, uptr user_path, u64 mode, u64 flags)
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

SYSCALL(21, access) { return access_at(u64(AT_FDCWD), a.a0, a.a1, 0); }
SYSCALL(269, faccessat) { return access_at(a.a0, a.a1, a.a2, 0); }
SYSCALL(439, faccessat2) { return access_at(a.a0, a.a1, a.a2, a.a3); }

// ---- making and removing names ----

namespace {

// mkdir keeps the sticky bit but not set-user/group-ID (Linux's
// S_IRWXUGO | S_ISVTX), minus the umask.
ErrorOr<u64> mkdir_at(u64 dirfd, uptr user_path, u64 mode)
{
    auto at = TRY(path_at(dirfd, user_path));
    TRY(fs::mkdir(at.ctx, at.path.view(), u32(mode) & 01777 & ~umask_bits()));
    return 0;
}

// mknod: the S_IFMT type as given, the permission bits minus the umask;
// `dev` is Linux's 32-bit encoding (the low half of fs::makedev's).
ErrorOr<u64> mknod_at(u64 dirfd, uptr user_path, u64 mode, u64 dev)
{
    auto at = TRY(path_at(dirfd, user_path));
    u32 m = (u32(mode) & S_IFMT) | (u32(mode) & 07777 & ~umask_bits());
    TRY(fs::mknod(at.ctx, at.path.view(), m, u32(dev)));
    return 0;
}

// unlinkat: AT_REMOVEDIR makes it rmdir. => EINVAL (another flag).
ErrorOr<u64> unlink_at(u64 dirfd, uptr user_path, u64 flags)
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

SYSCALL(83, mkdir) { return mkdir_at(u64(AT_FDCWD), a.a0, a.a1); }
SYSCALL(258, mkdirat) { return mkdir_at(a.a0, a.a1, a.a2); }
SYSCALL(133, mknod) { return mknod_at(u64(AT_FDCWD), a.a0, a.a1, a.a2); }
SYSCALL(259, mknodat) { return mknod_at(a.a0, a.a1, a.a2, a.a3); }
SYSCALL(87, unlink) { return unlink_at(u64(AT_FDCWD), a.a0, 0); }
SYSCALL(84, rmdir) { return unlink_at(u64(AT_FDCWD), a.a0, AT_REMOVEDIR); }
SYSCALL(263, unlinkat) { return unlink_at(a.a0, a.a1, a.a2); }

// symlinkat(target, dirfd, linkpath): the target is stored as given.
SYSCALL(266, symlinkat)
{
    auto target = TRY(UserPath::copy_in(a.a0));
    auto at = TRY(path_at(a.a1, a.a2));
    TRY(fs::symlink(at.ctx, target.view(), at.path.view()));
    return 0;
}

SYSCALL(88, symlink)
{
    SyscallArgs args{a.a0, u64(AT_FDCWD), a.a1, 0, 0, 0};
    return sys_symlinkat(args);
}

// ---- two paths: rename and link ----

namespace {

struct TwoPaths {
    fs::Context ctx;
    UserPath from;
    UserPath to;
};

// Both paths of a rename or link, in one Context (see the top comment).
// => path_at's errors, fs::getcwd's (ENOENT: the old directory was removed).
ErrorOr<TwoPaths> two_paths_at(u64 from_dirfd, uptr from_user, u64 to_dirfd, uptr to_user)
{
    auto from = TRY(path_at(from_dirfd, from_user));
    auto to = TRY(path_at(to_dirfd, to_user));
    if (from.path.is_absolute() || from.ctx.cwd == to.ctx.cwd)
        return TwoPaths{std::move(to.ctx), std::move(from.path), std::move(to.path)};
    if (to.path.is_absolute())
        return TwoPaths{std::move(from.ctx), std::move(from.path), std::move(to.path)};
    KernelBuffer dir(fs::PATH_MAX);
    if (!dir)
        return Errno::ENOMEM;
    size_t length = TRY(fs::getcwd(from.ctx, dir.chars(), fs::PATH_MAX));
    auto absolute = TRY(UserPath::joined(StringView(dir.chars(), length), from.path.view()));
    return TwoPaths{std::move(to.ctx), std::move(absolute), std::move(to.path)};
}

// The path with its final symlinks replaced by their targets, as text
// (linkat's AT_SYMLINK_FOLLOW: fs::link itself never follows). A relative
// target replaces the last component. => ELOOP, ENOENT, namei's errors.
ErrorOr<UserPath> follow_final_symlinks(const fs::Context& ctx, UserPath path)
{
    KernelBuffer target(fs::PATH_MAX);
    if (!target)
        return Errno::ENOMEM;
    for (unsigned links = 0;; ++links) {
        auto v = VnodeRef::adopt(TRY(fs::lookup(ctx, path.view(), fs::Follow::No)));
        if (v->type() != fs::VType::Symlink)
            return path;
        if (links == fs::SYMLOOP_MAX)
            return Errno::ELOOP;
        size_t n = TRY(v->readlink(fs::IoBuffer::kernel(target.get()), fs::PATH_MAX - 1));
        if (n == 0)
            return Errno::ENOENT;
        StringView text(target.chars(), n);
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
ErrorOr<u64> rename_at(u64 from_dirfd, uptr from, u64 to_dirfd, uptr to, u64 flags)
{
    if (flags & ~u64(fs::RENAME_NOREPLACE | fs::RENAME_EXCHANGE))
        return Errno::EINVAL;  // RENAME_WHITEOUT too: no whiteouts here
    if ((flags & fs::RENAME_NOREPLACE) && (flags & fs::RENAME_EXCHANGE))
        return Errno::EINVAL;
    auto paths = TRY(two_paths_at(from_dirfd, from, to_dirfd, to));
    TRY(fs::rename(paths.ctx, paths.from.view(), paths.to.view(), u32(flags)));
    return 0;
}

// linkat: AT_SYMLINK_FOLLOW links what a final symlink points at.
// AT_EMPTY_PATH (link a descriptor) is not supported: its empty path is
// ENOENT, as Linux answers a caller without CAP_DAC_READ_SEARCH.
ErrorOr<u64> link_at(u64 from_dirfd, uptr from, u64 to_dirfd, uptr to, u64 flags)
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

SYSCALL(82, rename) { return rename_at(u64(AT_FDCWD), a.a0, u64(AT_FDCWD), a.a1, 0); }
SYSCALL(264, renameat) { return rename_at(a.a0, a.a1, a.a2, a.a3, 0); }
SYSCALL(316, renameat2) { return rename_at(a.a0, a.a1, a.a2, a.a3, a.a4); }
SYSCALL(86, link) { return link_at(u64(AT_FDCWD), a.a0, u64(AT_FDCWD), a.a1, 0); }
SYSCALL(265, linkat) { return link_at(a.a0, a.a1, a.a2, a.a3, a.a4); }

// ---- reading a symlink ----

// readlinkat(dirfd, path, buf, bufsiz): the target, not NUL-terminated,
// cut to bufsiz. An empty path reads the symlink dirfd itself names (an
// O_PATH|O_NOFOLLOW descriptor); any other dirfd, AT_FDCWD included, is
// then ENOENT, as Linux. => EINVAL (bufsiz <= 0, not a symlink), EFAULT,
// EBADF, ENOENT.
SYSCALL(267, readlinkat)
{
    if (i32(a.a3) <= 0)
        return Errno::EINVAL;
    auto buf = fs::IoBuffer::user(a.a2);
    size_t n = size_t(i32(a.a3));
    auto path = TRY(UserPath::copy_in(a.a1));
    if (path.is_empty()) {
        auto v = TRY(dirfd_vnode(a.a0));
        if (v->type() != fs::VType::Symlink)
            return Errno::ENOENT;
        return TRY(v->readlink(buf, n));
    }
    fs::Context ctx = TRY(context_at(a.a0, path));
    return TRY(fs::readlink(ctx, path.view(), buf, n));
}

SYSCALL(89, readlink)
{
    SyscallArgs args{u64(AT_FDCWD), a.a0, a.a1, a.a2, 0, 0};
    return sys_readlinkat(args);
}

// ---- the current directory ----

SYSCALL(80, chdir)
{
    auto at = TRY(path_at(u64(AT_FDCWD), a.a0));
    fs::Vnode* dir = TRY(fs::chdir(at.ctx, at.path.view()));
    own_context().cwd = VnodeRef::adopt(dir);
    return 0;
}

// getcwd(buf, size): => the length with the NUL. ERANGE (size too small),
// ENOENT (the cwd was removed), EFAULT.
SYSCALL(79, getcwd)
{
    KernelBuffer path(fs::PATH_MAX);
    if (!path)
        return Errno::ENOMEM;
    size_t length = TRY(fs::getcwd(own_context(), path.chars(), min(size_t(a.a1), fs::PATH_MAX)));
    TRY(arch::copy_to_user(a.a0, path.get(), length + 1));
    return length + 1;
}

// ---- size ----

// truncate(path, length). => EINVAL (negative length, not a regular
// file), EISDIR, EFBIG (also: growing the file past RLIMIT_FSIZE, which
// raises SIGXFSZ too -- Linux's inode_newsize_ok, as ftruncate). The size
// is looked up first, then the file again by fs::truncate: a rename
// between the two could let a file pass the limit, which one thread per
// process makes moot.
SYSCALL(76, truncate)
{
    if (i64(a.a1) < 0)
        return Errno::EINVAL;
    auto at = TRY(path_at(u64(AT_FDCWD), a.a0));
    if (Process::current()->rlimit(RLIMIT_FSIZE).cur != RLIM_INFINITY) {  // else no need to look
        fs::VAttr attr = TRY(fs::stat(at.ctx, at.path.view()));
        if (attr.type == fs::VType::Regular)  // else fs::truncate's EISDIR or EINVAL
            TRY(fsize_check_resize(attr.size, a.a1));
    }
    TRY(fs::truncate(at.ctx, at.path.view(), a.a1));
    return 0;
}

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

constexpr i64 TMPFS_MAGIC = 0x01021994;  // the only file system so far
constexpr i64 ST_VALID = 0x20;

// The statfs of the file system holding `v`; a vnode of no mounted file
// system (a device's own vnode) reports an empty one.
ErrorOr<u64> statfs_out(fs::Vnode& v, uptr user_buf)
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
    TRY(arch::copy_to_user(user_buf, &st, sizeof st));
    return 0;
}

} // namespace

SYSCALL(137, statfs)
{
    auto v = TRY(vnode_at(u64(AT_FDCWD), a.a0, 0));
    return statfs_out(*v, a.a1);
}

SYSCALL(138, fstatfs)
{
    auto file = TRY(file_of_raw(a.a0));  // O_PATH too, as Linux
    return statfs_out(file->vnode(), a.a1);
}

// ---- mode and owner ----

namespace {

ErrorOr<u64> set_mode(fs::Vnode& v, u64 mode)
{
    fs::VAttr attr;
    attr.mode = u32(mode) & 07777;
    TRY(v.setattr(attr, fs::SETATTR_MODE));
    return 0;
}

// uid or gid (u32)-1: unchanged. On a non-directory, set-user-ID goes, and
// set-group-ID if group execute is on (Linux's ATTR_KILL_SUID/SGID, which
// apply to root too).
ErrorOr<u64> set_owner(fs::Vnode& v, u64 uid, u64 gid)
{
    fs::VAttr attr;
    u32 mask = 0;
    if (u32(uid) != ~0u) {
        attr.uid = u32(uid);
        mask |= fs::SETATTR_UID;
    }
    if (u32(gid) != ~0u) {
        attr.gid = u32(gid);
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

ErrorOr<u64> chown_at(u64 dirfd, uptr user_path, u64 uid, u64 gid, u64 flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Errno::EINVAL;
    auto v = TRY(vnode_at(dirfd, user_path, flags));
    return set_owner(*v, uid, gid);
}

} // namespace

SYSCALL(90, chmod)
{
    auto v = TRY(vnode_at(u64(AT_FDCWD), a.a0, 0));
    return set_mode(*v, a.a1);
}

SYSCALL(91, fchmod)
{
    auto file = TRY(file_of(a.a0));
    return set_mode(file->vnode(), a.a1);
}

// fchmodat(dirfd, path, mode): Linux's call has no flags argument.
SYSCALL(268, fchmodat)
{
    auto v = TRY(vnode_at(a.a0, a.a1, 0));
    return set_mode(*v, a.a2);
}

SYSCALL(92, chown) { return chown_at(u64(AT_FDCWD), a.a0, a.a1, a.a2, 0); }
SYSCALL(94, lchown) { return chown_at(u64(AT_FDCWD), a.a0, a.a1, a.a2, AT_SYMLINK_NOFOLLOW); }
SYSCALL(260, fchownat) { return chown_at(a.a0, a.a1, a.a2, a.a3, a.a4); }

SYSCALL(93, fchown)
{
    auto file = TRY(file_of(a.a0));
    return set_owner(file->vnode(), a.a1, a.a2);
}

// umask(mask): => the old mask.
SYSCALL(95, umask)
{
    Process* p = Process::current();
    u32 old = p->umask();
    p->set_umask(u32(a.a0));
    return old;
}

// ---- times ----

namespace {

constexpr i64 UTIME_NOW = (1l << 30) - 1, UTIME_OMIT = (1l << 30) - 2;
constexpr i64 NSEC_PER_SEC = 1000000000;

// One of utimensat's two timespecs into `attr` (`which` is SETATTR_ATIME
// or SETATTR_MTIME). => EINVAL (nanoseconds out of range).
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
// a path NULL means dirfd itself (Linux's futimens). => EINVAL, EFAULT,
// EBADF, lookup's errors.
SYSCALL(280, utimensat)
{
    u64 dirfd = a.a0, flags = a.a3;
    uptr user_path = a.a1, user_times = a.a2;
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return Errno::EINVAL;
    fs::Timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    if (user_times)
        TRY(arch::copy_from_user(times, user_times, sizeof times));
    fs::VAttr attr;
    u32 mask = 0;
    TRY(take_time(times[0], fs::SETATTR_ATIME, attr, mask));
    TRY(take_time(times[1], fs::SETATTR_MTIME, attr, mask));
    if (mask == 0)
        return 0;  // both UTIME_OMIT: nothing to do, the path is not even looked at
    VnodeRef v;
    if (user_path == 0) {
        if (int(u32(dirfd)) == AT_FDCWD)
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

} // namespace kern
