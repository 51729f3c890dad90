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
#include <fs/mfs/mfs.h>
#include <fs/mfs/mfs_args.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/abi/linux/mount.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/signal.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_path.h>
#include <vm/map.h>

namespace kern {

namespace {

using uapi::MS_MGC_MSK, uapi::MS_MGC_VAL;
constexpr u64 MOUNT_FLAGS_IGNORED = uapi::MS_NOATIME | uapi::MS_NODIRATIME | uapi::MS_SILENT |
                                    uapi::MS_RELATIME | uapi::MS_STRICTATIME | uapi::MS_LAZYTIME;

// A string argument that may be NULL (then empty). Errors: EFAULT, ENAMETOOLONG.
ErrorOr<UserPath> optional_string(UserPtr<const char> user_string)
{
    if (!user_string)
        return UserPath::joined("", "");
    return UserPath::copy_in(user_string);
}

} // namespace

// mount(source, target, fstype, flags, data): see the top of the file.
// ---- MFS: mount(2) that becomes the file system's server ----
//
// mount("mfs", dir, "mfs", 0, &mfs_args) mounts an FFS on the caller's own
// memory (fs/mfs/mfs.h) and then does not return: the thread serves the
// file system's block requests until it is unmounted (then mount returns
// 0). A signal that only stops the process (SIGSTOP) or is ignored ends the
// wait for a moment: the call returns to take it with a restart block
// armed, and restart_syscall comes back here to serve again -- requests
// queue meanwhile, nothing fails. A signal that ends the call for good (a
// fatal one, or a handler to run) ends the service: the device is gone,
// every request fails with EIO, and the mount can only be unmounted. So
// does a SIGKILL that comes while the server is stopped: the process then
// exits from the stop, never back here, and the restart block's abandon
// (run by process_exit) tells the device.

namespace {

ErrorOr<u64> serve_mfs(fs::mfs::MfsDevice& dev)
{
    auto served = fs::mfs::serve(dev);
    if (!served.is_error())
        return 0;  // unmounted
    if (pending_signals_end_call()) {
        fs::mfs::server_died(dev);
        return Errno::EINTR;
    }
    RestartBlock block;
    block.fn = [](const RestartBlock& b) { return serve_mfs(*static_cast<fs::mfs::MfsDevice*>(b.object)); };
    block.object = &dev;
    // Killed while stopped (or a handler's signal came after the check
    // above): nobody will serve again.
    block.abandon = [](const RestartBlock& b) {
        fs::mfs::server_died(*static_cast<fs::mfs::MfsDevice*>(b.object));
    };
    arm_restart_block(block);
    return Errno::EINTR;
}

// MFS's discard: the server drops the pages of freed blocks from its own
// memory, as madvise(MADV_DONTNEED) on private anonymous memory would.
ErrorOr<void> drop_server_pages(uptr start, size_t length)
{
    return Process::current()->map()->discard(start, length, vm::DISCARD_ANON_ONLY);
}

// Errors: EFAULT (args), EINVAL (a version this kernel does not know), and
// fs::mfs::mount's.
ErrorOr<u64> mount_mfs(UserPtr<const char> user_args, const UserPath& target)
{
    fs::mfs::set_discard_hook(drop_server_pages);
    if (!user_args)
        return Errno::EINVAL;
    mfs_args args;
    TRY(arch::copy_from_user(&args, user_args.address(), sizeof args));
    if (args.version != MFS_ARGS_VERSION)
        return Errno::EINVAL;
    auto* dev = TRY(fs::mfs::mount(Process::current()->fs_context(), target.view(), uptr(args.base), args.size,
                                   args.flags));
    return serve_mfs(*dev);
}

} // namespace

static ErrorOr<u64> sys_mount(UserPtr<const char> user_source, UserPtr<const char> user_target,
                              UserPtr<const char> user_fstype, u64 flags, UserPtr<const char> user_data)
{
    if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
        flags &= ~MS_MGC_MSK;
    auto source = TRY(optional_string(user_source));  // a device node for a disk file system
    auto target = TRY(UserPath::copy_in(user_target));
    if (!user_fstype)
        return Errno::EINVAL;  // a new mount needs a type
    auto fstype = TRY(UserPath::copy_in(user_fstype));
    if (fstype.view() == "mfs") {
        if (flags & ~MOUNT_FLAGS_IGNORED)
            return Errno::EINVAL;
        return mount_mfs(user_data, target);
    }
    auto data = TRY(optional_string(user_data));
    if (flags & ~MOUNT_FLAGS_IGNORED)
        return Errno::EINVAL;
    TRY(fs::mount(Process::current()->fs_context(), fstype.view(), source.view(), target.view(),
                        data.view()));
    return 0;
}
SYSCALL(165, mount);

// umount2(target, flags): see the top of the file.
static ErrorOr<u64> sys_umount2(UserPtr<const char> user_target, int flags)
{
    if (flags & ~uapi::UMOUNT_NOFOLLOW)
        return Errno::EINVAL;
    auto target = TRY(UserPath::copy_in(user_target));
    TRY(fs::unmount(Process::current()->fs_context(), target.view()));
    return 0;
}
SYSCALL(166, umount2);

} // namespace kern
