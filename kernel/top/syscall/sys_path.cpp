// kernel/top/syscall/sys_path.cpp -- the calls that name files by path: open, stat, access, readlink, chdir, truncate, statfs.
//
// The calls that make, remove and rename names are in sys_names.cpp, the
// mode/owner/times calls in sys_attr.cpp; all three share path_at.h.
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

using uapi::ST_VALID;

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
        st.type = i64(s.magic);
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

} // namespace kern
