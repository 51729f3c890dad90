// fs/ffs/ffs_register.cpp -- the "ffs" file-system type: mount(2)'s way in.
//
// mount("/dev/md0", "/mnt", "ffs", 0, "") reaches FfsMount through here: the
// VFS looks the source up (a block device node) and passes its device
// number; the block layer's table of published devices (fs/block/blkdev.h)
// turns that into the BlockDevice. Kept apart from ffs_mount.cpp because
// the host tests build FFS without the device table (they hand FfsMount a
// fake disk directly).
#include <fs/block/blkdev.h>
#include <fs/ffs/ffs_mount.h>

namespace fs::ffs {

ErrorOr<FileSystem*> FfsMount::create_on_device(u64 rdev, StringView options)
{
    block::BlockDevice* dev = TRY(block::device_by_number(rdev));
    return static_cast<FileSystem*>(TRY(mount(*dev, options)));
}

namespace {
const FileSystemType s_ffs_type = {"ffs", nullptr, &FfsMount::create_on_device};
} // namespace

void ffs_register() { register_filesystem(s_ffs_type); }

} // namespace fs::ffs
