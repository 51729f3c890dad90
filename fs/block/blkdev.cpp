// fs/block/blkdev.cpp -- the block special file's read/write/ioctl, publishing disks, the boot's md and virtio-blk attach (see blkdev.h).
#include <fs/block/blkdev.h>
#include <fs/block/swapdev.h>
#include <fs/block/bufcache.h>
#include <fs/block/md.h>
#include <fs/block/virtio_blk.h>
#include <fs/vfs/device.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/cmdline.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>

namespace block {

using fs::IoBuffer;

namespace {

constexpr size_t BOUNCE_SIZE = MAX_TRANSFER;

// Linux's block ioctls (include/uapi/linux/fs.h).
constexpr u32 BLKROGET = 0x125e;
constexpr u32 BLKGETSIZE = 0x1260;
constexpr u32 BLKFLSBUF = 0x1261;
constexpr u32 BLKSSZGET = 0x1268;
constexpr u32 BLKBSZGET = 0x80081270;
constexpr u32 BLKGETSIZE64 = 0x80081272;

// A kernel buffer for one call, freed when it goes out of scope.
class Bounce {
public:
    Bounce() : m_data(new (std::nothrow) u8[BOUNCE_SIZE]) {}
    ~Bounce() { delete[] m_data; }
    Bounce(const Bounce&) = delete;
    Bounce& operator=(const Bounce&) = delete;
    u8* data() const { return m_data; }

private:
    u8* m_data;
};

// What a call returns when `error` stops it after `done` bytes: the bytes
// if there are any (as read(2) and write(2) do), else the error.
fs::ErrorOr<size_t> partial(size_t done, Errno error)
{
    if (done > 0)
        return done;
    return error;
}

// The published devices (few: a table, as fs/vfs/device.cpp).
constexpr size_t MAX_PUBLISHED = 16;
BlockDevice* s_published[MAX_PUBLISHED];
size_t s_published_count;  // guarded by s_published_lock
kern::SpinLock s_published_lock;

} // namespace

// One piece of a transfer: `bytes` of the caller's at `skip` bytes into
// sector `sector`, inside a run of `sectors` whole sectors that fits the
// bounce buffer.
struct BlockDeviceNode::Span {
    u64 sector;
    size_t skip;
    size_t bytes;
    size_t sectors;

    static Span at(u64 pos, size_t left)
    {
        Span s;
        s.sector = pos / DEV_BSIZE;
        s.skip = pos % DEV_BSIZE;
        s.bytes = min(left, BOUNCE_SIZE - s.skip);
        s.sectors = (s.skip + s.bytes + DEV_BSIZE - 1) / DEV_BSIZE;
        return s;
    }
    size_t span_bytes() const { return sectors * DEV_BSIZE; }
};

// One synchronous request on the disk. Errors: EIO.
fs::ErrorOr<void> BlockDeviceNode::io(u64 sector, u8* bounce, size_t bytes, u32 flags)
{
    Buf bp;
    bio_prepare(bp, m_dev, sector, bounce, bytes, flags);
    return bio_sync(bp);
}

fs::ErrorOr<size_t> BlockDeviceNode::read(u64 offset, const IoBuffer& buf, size_t n)
{
    const u64 size = m_dev.size_bytes();
    if (offset >= size || n == 0)
        return size_t(0);
    n = size_t(min(u64(n), size - offset));
    Bounce bounce;
    if (!bounce.data())
        return Errno::ENOMEM;
    size_t done = 0;
    while (done < n) {
        const Span s = Span::at(offset + done, n - done);
        if (auto r = io(s.sector, bounce.data(), s.span_bytes(), Buf::B_READ); r.is_error())
            return partial(done, r.error());
        if (buf.write_from(done, bounce.data() + s.skip, s.bytes).is_error())
            return partial(done, Errno::EFAULT);
        done += s.bytes;
    }
    return done;
}

// Read-modify-write: read the first and last sectors of `span` that the
// caller's bytes cover only in part, so writing whole sectors keeps the
// rest of them. Errors: EIO.
fs::ErrorOr<void> BlockDeviceNode::fill_partial_sectors(const Span& span, u8* bounce)
{
    const size_t end = span.skip + span.bytes;
    if (span.skip != 0)
        TRY(io(span.sector, bounce, DEV_BSIZE, Buf::B_READ));
    const bool tail_partial = end % DEV_BSIZE != 0;
    const bool tail_is_head = span.sectors == 1 && span.skip != 0;
    if (tail_partial && !tail_is_head) {
        const size_t last = span.sectors - 1;
        TRY(io(span.sector + last, bounce + last * DEV_BSIZE, DEV_BSIZE, Buf::B_READ));
    }
    return {};
}

fs::ErrorOr<size_t> BlockDeviceNode::write(u64 offset, const IoBuffer& buf, size_t n)
{
    const u64 size = m_dev.size_bytes();
    if (is_swap_device(m_dev))
        return Errno::ETXTBSY;  // as Linux: swap's pages are not the caller's to overwrite
    if (n == 0)
        return size_t(0);
    if (offset >= size)
        return Errno::ENOSPC;
    n = size_t(min(u64(n), size - offset));
    Bounce bounce;
    if (!bounce.data())
        return Errno::ENOMEM;
    kern::MutexGuard guard(m_write_lock);
    size_t done = 0;
    while (done < n) {
        const Span s = Span::at(offset + done, n - done);
        if (auto r = fill_partial_sectors(s, bounce.data()); r.is_error())
            return partial(done, r.error());
        if (buf.read_into(bounce.data() + s.skip, done, s.bytes).is_error())
            return partial(done, Errno::EFAULT);
        if (auto r = io(s.sector, bounce.data(), s.span_bytes(), 0); r.is_error())
            return partial(done, r.error());
        done += s.bytes;
    }
    return done;
}

fs::ErrorOr<u64> BlockDeviceNode::ioctl(u32 request, uptr arg)
{
    const IoBuffer out = IoBuffer::user(arg);
    switch (request) {
    case BLKGETSIZE64: {
        const u64 bytes = m_dev.size_bytes();
        TRY(out.write_from(0, &bytes, sizeof bytes));
        return 0;
    }
    case BLKGETSIZE: {
        const unsigned long sectors = m_dev.size_sectors();
        TRY(out.write_from(0, &sectors, sizeof sectors));
        return 0;
    }
    case BLKSSZGET:
    case BLKBSZGET:
    case BLKROGET: {
        const int value = request == BLKSSZGET ? int(DEV_BSIZE) : request == BLKBSZGET ? 4096 : 0;
        TRY(out.write_from(0, &value, sizeof value));
        return 0;
    }
    case BLKFLSBUF:
        TRY(bufcache().flush(m_dev));
        return 0;
    default:
        return Errno::ENOTTY;
    }
}

fs::ErrorOr<fs::VAttr> BlockDeviceNode::getattr()
{
    fs::VAttr attr;
    attr.type = fs::VType::BlockDevice;
    attr.mode = 0660;
    attr.nlink = 1;
    attr.ino = 200 + fs::dev_minor(m_dev.devno());
    attr.rdev = m_dev.devno();
    attr.size = m_dev.size_bytes();
    attr.blksize = 4096;
    return attr;
}

fs::ErrorOr<void> BlockDeviceNode::setattr(const fs::VAttr&, u32 mask)
{
    if (mask & fs::SETATTR_SIZE)
        return Errno::EINVAL;
    return {};  // modes and times are accepted and forgotten, as /dev/null's
}

// ---- publishing ----------------------------------------------------------------

fs::ErrorOr<void> publish(BlockDevice& dev)
{
    auto* node = new (std::nothrow) BlockDeviceNode(dev);
    if (!node)
        return Errno::ENOMEM;
    {
        kern::SpinGuard guard(s_published_lock);
        if (s_published_count == MAX_PUBLISHED) {
            delete node;
            return Errno::ENOMEM;
        }
    }
    if (auto registered = fs::register_block_device(dev.devno(), *node); registered.is_error()) {
        delete node;
        return registered.error();
    }
    kern::SpinGuard guard(s_published_lock);  // the number is ours: no one else adds it
    s_published[s_published_count++] = &dev;
    return {};
}

fs::ErrorOr<BlockDevice*> device_by_number(u64 rdev)
{
    kern::SpinGuard guard(s_published_lock);
    for (size_t i = 0; i < s_published_count; ++i)
        if (s_published[i]->devno() == rdev)
            return s_published[i];
    return Errno::ENXIO;
}

fs::ErrorOr<BlockDevice*> device_by_name(const char* name)
{
    kern::SpinGuard guard(s_published_lock);
    for (size_t i = 0; i < s_published_count; ++i)
        if (strcmp(s_published[i]->name(), name) == 0)
            return s_published[i];
    return Errno::ENXIO;
}

// ---- the boot's attach ------------------------------------------------------------

bool parse_size(const char* text, u64& bytes)
{
    u64 value = 0;
    size_t i = 0;
    for (; text[i] >= '0' && text[i] <= '9'; ++i) {
        if (value > (u64(1) << 40))
            return false;
        value = value * 10 + u64(text[i] - '0');
    }
    if (i == 0)
        return false;
    unsigned shift = 0;
    switch (text[i]) {
    case '\0': break;
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    default: return false;
    }
    if (text[i] != '\0' && text[i + 1] != '\0')
        return false;
    bytes = value << shift;
    return true;
}

// Make /dev/<name> for the published `dev` in the root file system.
// Returns false (and says why on the console) if it cannot.
static bool make_dev_node(const BlockDevice& dev)
{
    char path[24];
    kern::snprintf(path, sizeof path, "/dev/%s", dev.name());
    auto root = fs::root_context();
    auto made = root.is_error() ? fs::ErrorOr<void>(root.error())
                                : fs::mknod(root.value(), path, fs::vtype_to_mode(fs::VType::BlockDevice) | 0660, dev.devno());
    if (made.is_error())
        printk("%s: attached, but no %s: %s\n", dev.name(), path, kern::errno_name(made.error()));
    return !made.is_error();
}

// Attach md<unit> of `text` bytes, publish it, make /dev/md<unit>.
static void attach_md_from_cmdline(u32 unit, const char* text)
{
    u64 bytes;
    if (!parse_size(text, bytes)) {
        printk("md%u: cannot read the size \"%s\" (e.g. md%u=64M)\n", unit, text, unit);
        return;
    }
    auto md = md_attach(bytes, int(unit));
    if (md.is_error()) {
        printk("md%u: not attached: %s\n", unit, kern::errno_name(md.error()));
        return;
    }
    MUST(publish(*md.value()));  // md's own major: nothing else registers it
    make_dev_node(*md.value());
    printk("md%u: RAM disk of %lu KiB (block device %u,%u)\n", unit, md.value()->size_bytes() >> 10,
           MD_MAJOR, unit);
}

// Every virtio-blk function on PCI bus 0, in slot order, as vda, vdb, ...
// A function that cannot be attached is reported and skipped (it takes
// no name).
static void attach_virtio_disks()
{
    constexpr size_t MAX_FUNCTIONS = 64;
    arch::PciDevice functions[MAX_FUNCTIONS];
    const size_t count = arch::pci_enumerate(functions, MAX_FUNCTIONS);
    u32 unit = 0;
    for (size_t i = 0; i < count; ++i) {
        const arch::PciDevice& pci = functions[i];
        if (!is_virtio_blk(pci))
            continue;
        if (unit == VIRTIO_BLK_MAX_UNITS) {
            printk("virtio-blk at pci 0:%u.%u: more than %u disks, not attached\n", pci.slot,
                   pci.function, VIRTIO_BLK_MAX_UNITS);
            continue;
        }
        auto vd = virtio_blk_attach(pci, unit);
        if (vd.is_error()) {
            printk("virtio-blk at pci 0:%u.%u: not attached: %s\n", pci.slot, pci.function,
                   kern::errno_name(vd.error()));
            continue;
        }
        ++unit;
        MUST(publish(*vd.value()));  // virtio-blk's own major: nothing else registers it
        make_dev_node(*vd.value());
        printk("%s: virtio-blk, %lu MiB (block device %u,%u, pci 0:%u.%u, %u descriptors)\n",
               vd.value()->name(), vd.value()->size_bytes() >> 20, VIRTIO_BLK_MAJOR,
               fs::dev_minor(vd.value()->devno()), pci.slot, pci.function, vd.value()->queue_size());
    }
}

void init()
{
    (void)bufcache();  // made here, on one thread, not by a first user racing another
    for (u32 unit = 0; unit < MD_MAX_UNITS; ++unit) {
        char key[8], value[32];
        kern::snprintf(key, sizeof key, "md%u", unit);
        if (kern::cmdline_get(key, value, sizeof value))
            attach_md_from_cmdline(unit, value);
    }
    attach_virtio_disks();
}

} // namespace block
