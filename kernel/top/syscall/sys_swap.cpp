// kernel/top/syscall/sys_swap.cpp -- swapon(2) and swapoff(2).
//
//   swapon(path, flags)   path names a block device whose first page holds
//                         a Linux swap header (mkswap); its pages become swap
//                         (fs/block/swapdev.h, vm/swap.h)
//   swapoff(path)         every page on it is brought back into memory, then
//                         it stops being swap
//
// Flags: SWAP_FLAG_PREFER with a priority, and the discard flags, are
// accepted and ignored (devices are used in the order they were added);
// anything else is EINVAL. Everyone is root here, so there is no EPERM.
// Errors: EFAULT, ENAMETOOLONG, ENOENT and the rest of path lookup's;
// EINVAL (not a block device -- swap files are not supported --, no valid
// header, or for swapoff: not swap); EBUSY (swapon: already swap); EPERM
// (too many swap devices, as Linux); ENOMEM (swapoff: the pages do not fit
// in memory; the device stays swap, nothing is lost); EIO.
//
// Read more: Linux mm/swapfile.c (sys_swapon, sys_swapoff), swapon(2).
// Design only; our own code.
#include <fs/block/blkdev.h>
#include <fs/block/swapdev.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_path.h>

namespace kern {

namespace {

constexpr int SWAP_FLAG_PRIO_MASK = 0x7fff;
constexpr int SWAP_FLAG_PREFER = 0x8000;
constexpr int SWAP_FLAG_DISCARD = 0x10000;
constexpr int SWAP_FLAG_DISCARD_ONCE = 0x20000;
constexpr int SWAP_FLAG_DISCARD_PAGES = 0x40000;
constexpr int SWAP_FLAGS_VALID = SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD |
                                 SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES;

// The disk named by the user's path. Errors: lookup's, EINVAL (not a
// block device).
ErrorOr<block::BlockDevice*> swap_device_of(UserPtr<const char> user_path)
{
    auto path = TRY(UserPath::copy_in(user_path));
    fs::Vnode* node = TRY(fs::lookup(Process::current()->fs_context(), path.view(), fs::Follow::Yes));
    auto attr = node->getattr();
    node->unref();
    if (attr.is_error())
        return attr.error();
    if (attr.value().type != fs::VType::BlockDevice)
        return Errno::EINVAL;
    return TRY(block::device_by_number(attr.value().rdev));
}

} // namespace

static ErrorOr<u64> sys_swapon(UserPtr<const char> user_path, int flags)
{
    if (flags & ~SWAP_FLAGS_VALID)
        return Errno::EINVAL;
    block::BlockDevice* dev = TRY(swap_device_of(user_path));
    TRY(block::swap_on_device(*dev));
    return 0;
}
SYSCALL(167, swapon);

static ErrorOr<u64> sys_swapoff(UserPtr<const char> user_path)
{
    block::BlockDevice* dev = TRY(swap_device_of(user_path));
    TRY(block::swap_off_device(*dev));
    return 0;
}
SYSCALL(168, swapoff);

} // namespace kern
