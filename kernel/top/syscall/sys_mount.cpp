// kernel/top/syscall/sys_mount.cpp -- mount(2) and umount2(2): file-system instances from user space.
//
// The root tmpfs is mounted by the kernel at boot (kernel/top/main.cpp); these
// two calls let a program -- busybox's `mount -t tmpfs -o size=1m x /mnt`
// -- add and remove more, each with its own limits (docs/tmpfs.md):
//
//   mount(source, target, fstype, flags, data)
//       source  a name only: teachos's file systems need no device (as
//               Linux's tmpfs, which ignores it); copied if not NULL
//       target  the directory to cover (fs::mount: ENOTDIR, EBUSY, ...)
//       fstype  a registered type ("tmpfs"): ENODEV otherwise
//       flags   a new mount only. Accepted and meaningless here: the magic
//               0xC0ED in the high half (old programs), MS_SILENT, and the
//               access-time policies (MS_NOATIME, MS_NODIRATIME,
//               MS_RELATIME, MS_STRICTATIME, MS_LAZYTIME). Anything else --
//               MS_RDONLY, MS_REMOUNT, MS_BIND, MS_MOVE, MS_NOEXEC,
//               MS_NOSUID, MS_NODEV, propagation -- would ask for a rule
//               teachos does not enforce: EINVAL rather than a silent lie.
//       data    the options string ("size=1m,nodes=100"); NULL = none
//   umount2(target, flags)
//       flags   0 or UMOUNT_NOFOLLOW -- accepted, but the target is
//               followed anyway (fs::unmount follows a last symlink; Linux
//               would answer EINVAL for a symlink, which is no mount
//               point); MNT_FORCE, MNT_DETACH, MNT_EXPIRE: EINVAL (no
//               forced or lazy unmounts).
//
// Everyone is root, so there is no EPERM. Errors: EFAULT, ENAMETOOLONG
// (a string with no NUL within 4 KiB), EINVAL, ENODEV, and fs::mount's /
// fs::unmount's (fs/vfs/vfs.h). Read more: Linux fs/namespace.c
// (path_mount, do_new_mount, copy_mount_options, ksys_umount), mount(2),
// umount(2); docs/vfs.md ("Mounts").
#include <fs/vfs/vfs.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_args.h>

namespace kern {

namespace {

constexpr u64 MS_MGC_MASK = 0xffff0000;  // MS_MGC_VAL (0xC0ED0000) lives here
constexpr u64 MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_SILENT = 32768;
constexpr u64 MS_RELATIME = 1u << 21, MS_STRICTATIME = 1u << 24, MS_LAZYTIME = 1u << 25;
constexpr u64 MOUNT_FLAGS_IGNORED =
    MS_NOATIME | MS_NODIRATIME | MS_SILENT | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME;

constexpr u64 UMOUNT_NOFOLLOW = 8;

// A string argument that may be NULL (then empty). => EFAULT, ENAMETOOLONG.
ErrorOr<UserPath> optional_string(uptr user_string)
{
    if (!user_string)
        return UserPath::joined("", "");
    return UserPath::copy_in(user_string);
}

} // namespace

SYSCALL(165, mount)
{
    u64 flags = a.a3;
    if ((flags & MS_MGC_MASK) == 0xc0ed0000)
        flags &= ~MS_MGC_MASK;
    auto source = TRY(optional_string(a.a0));  // read, as Linux does, then unused
    auto target = TRY(UserPath::copy_in(a.a1));
    if (!a.a2)
        return Errno::EINVAL;  // a new mount needs a type
    auto fstype = TRY(UserPath::copy_in(a.a2));
    auto data = TRY(optional_string(a.a4));
    UNUSED(source);
    if (flags & ~MOUNT_FLAGS_IGNORED)
        return Errno::EINVAL;
    TRY(fs::mount(Process::current()->fs_context(), fstype.view(), target.view(), data.view()));
    return 0;
}

SYSCALL(166, umount2)
{
    if (a.a1 & ~UMOUNT_NOFOLLOW)
        return Errno::EINVAL;
    auto target = TRY(UserPath::copy_in(a.a0));
    TRY(fs::unmount(Process::current()->fs_context(), target.view()));
    return 0;
}

} // namespace kern
