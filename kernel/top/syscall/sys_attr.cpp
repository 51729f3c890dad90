// kernel/top/syscall/sys_attr.cpp -- a file's mode, owner and times by path or descriptor: chmod, chown, umask, utimensat.
//
// Everyone is root here: permission checks pass, and chown clears
// set-user-ID (and set-group-ID with group execute) on non-directories, as
// Linux does for root. AT_EMPTY_PATH and O_PATH as in sys_path.cpp.
//
// Read more: Linux fs/open.c (chmod_common, chown_common), fs/utimes.c.
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
