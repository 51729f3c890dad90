// fs/block/blkdev.h -- block special files (/dev/md0): a disk read and written as a file, and the boot's attach.
//
// A block device node in a file system is, like a character device node,
// only a name with a device number (fs/vfs/device.h); opening it opens
// the driver's vnode, registered under that number. For every disk that
// vnode is a BlockDeviceNode: it turns read/write at any byte offset and
// length into whole-sector requests through the block layer -- submit,
// then wait -- using a bounce buffer in the kernel:
//
//    user buffer  <--copy-->  bounce buffer (<= 64 KiB, whole sectors)  <--request-->  disk
//
// A write that covers a sector only in part reads that sector first and
// writes the whole of it back (read-modify-write); the node's Mutex
// serializes writes so two of them cannot undo each other's half-sector.
// Reads need no lock. Nothing is cached here: every read asks the disk,
// every write has reached the disk when write() returns, so fsync() has
// nothing to do (Linux caches block devices in the page cache; a later
// step could put the node's data in a UBC object). This is what `dd`, a
// guest `newfs` or `fsck` use on /dev/md0.
//
// fstat() on an open node reports the disk's size in st_size (stat() on
// the name reports the name's: 0, as on Linux) and 4096 in st_blksize;
// lseek(SEEK_END) works from it. ioctl: BLKGETSIZE64 (bytes, u64),
// BLKGETSIZE (sectors, unsigned long), BLKSSZGET (512, int), BLKBSZGET
// (4096, int), BLKROGET (0), BLKFLSBUF (writes the buffer cache's dirty
// buffers of the disk).
//
// Attach at boot: `md0=64M` (K, M, G suffixes; md0..md7) on the kernel
// command line makes a RAM disk (fs/block/md.h), publishes it, and makes
// /dev/md0 (block major 9) in the root file system when /dev exists; every
// virtio-blk disk QEMU offers becomes /dev/vda, /dev/vdb, ... (major 254,
// minors 0, 16, ...) the same way.
#pragma once

#include <fs/block/buf.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/sync/mutex.h>

namespace block {

class BlockDeviceNode final : public fs::Vnode {
public:
    explicit BlockDeviceNode(BlockDevice& dev) : fs::Vnode(fs::VType::BlockDevice, nullptr), m_dev(dev) {}
    ~BlockDeviceNode() override = default;

    BlockDevice& device() const { return m_dev; }

    // Returns the bytes read (0 at or past the end; fewer than n if the
    // disk ends first or an error stopped it part way).
    // Errors: EIO (the disk failed), EFAULT, ENOMEM.
    fs::ErrorOr<size_t> read(u64 offset, const fs::IoBuffer& buf, size_t n) override;
    // Returns the bytes written (fewer than n if the disk ends first).
    // Errors: ENOSPC (at or past the end), EIO, EFAULT, ENOMEM, ETXTBSY
    // (the disk is swap now: fs/block/swapdev.h).
    fs::ErrorOr<size_t> write(u64 offset, const fs::IoBuffer& buf, size_t n) override;
    // Errors: ENOTTY (not a block ioctl), EFAULT.
    fs::ErrorOr<u64> ioctl(u32 request, uptr arg) override;
    fs::ErrorOr<fs::VAttr> getattr() override;
    // Errors: EINVAL (a size: a disk's size is fixed).
    fs::ErrorOr<void> setattr(const fs::VAttr& attr, u32 mask) override;

private:
    struct Span;
    fs::ErrorOr<void> io(u64 sector, u8* bounce, size_t bytes, u32 flags);
    fs::ErrorOr<void> fill_partial_sectors(const Span& span, u8* bounce);

    BlockDevice& m_dev;
    kern::Mutex m_write_lock;  // one write (read-modify-write) at a time
};

// Make `dev` reachable: a node for it registered under dev.devno() with
// fs/vfs/device.h (what opening /dev/mdN finds), and the device itself
// for device_by_number(). Published devices stay for ever (no unpublish
// yet). Errors: EEXIST (the number is taken), ENOMEM.
fs::ErrorOr<void> publish(BlockDevice& dev);

// The published device numbered `rdev` (a file system's mount looks up
// the node's rdev here). Errors: ENXIO.
fs::ErrorOr<BlockDevice*> device_by_number(u64 rdev);
// The published device called `name` ("vda", "md0": BlockDevice::name(),
// the /dev name without "/dev/"). Errors: ENXIO.
fs::ErrorOr<BlockDevice*> device_by_name(const char* name);

// Parse a size: digits with an optional K, M or G (powers of 1024).
// Returns false if `text` is not one.
bool parse_size(const char* text, u64& bytes);

// At boot (kernel/top/main.cpp, after the root and /dev exist): attach the
// md units the command line asks for and every virtio-blk disk on PCI
// (fs/block/virtio_blk.h: vda, vdb, ...), publish them, make their /dev
// nodes, and say so on the console ("vda: virtio-blk, 2048 MiB ...").
// Problems are reported on the console, never fatal.
void init();

} // namespace block
