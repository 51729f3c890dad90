// fs/block/md.h -- md, the RAM disk: a block device whose sectors live in wired kernel pages.
//
// md ("memory disk", the name of BSD's driver) is the simplest disk there
// can be, and the "dedicated memory RAM disk" the MFS paper argues against:
// its memory is taken at attach time, from the page allocator, and stays
// taken -- it never pages and never shrinks -- until detach. It is the
// third point of the MFS/tmpfs comparison (docs/block.md, docs/mfs.md).
//
// Although its "transfer" is a memcpy, md behaves like a real disk towards
// the layer above: strategy() only queues the request, and a kernel thread
// per device ("md0", ...) takes requests off the queue, copies, and calls
// biodone(). So completion is asynchronous, a request can wait in a queue,
// and code written against md (the buffer cache, FFS, AIO) is written for
// virtio-blk too.
//
// Storage: an array of page pointers, one per 4 KiB of disk, each a single
// page from the page allocator (not one contiguous run: a 64 MiB disk
// should not need 64 MiB of physically contiguous memory). Sector s lives
// at byte (s * 512) % 4096 of page (s * 512) / 4096. Pages are zeroed at
// attach: a new disk reads as zeros.
//
// Attach: md_attach() from kernel code (the ktests), or at boot from the
// command line (`md0=64M`, fs/block/blkdev.h). Device numbers: block major
// MD_MAJOR (9, the major Linux gives its "md" devices), minor = unit.
//
// Lock: MemoryDisk::m_lock (SpinLock) guards the queue and the stop flag;
// a leaf (the copy and biodone() run with it released).
//
// Read more: NetBSD sys/dev/md.c (md_strategy queues to a server when the
// memory is a user process's -- MFS -- and copies at once otherwise; here
// it always queues). Design only.
#pragma once

#include <fs/block/buf.h>

namespace kern {
class Thread;
}
namespace vm {
struct Page;
}

namespace block {

constexpr u32 MD_MAJOR = 9;
constexpr u32 MD_MAX_UNITS = 8;

class MemoryDisk final : public BlockDevice {
public:
    void strategy(Buf& bp) override;

private:
    friend ErrorOr<MemoryDisk*> md_attach(u64 bytes, int unit);
    friend void md_detach(MemoryDisk& md);
    MemoryDisk(u32 unit, const char* name, u64 sectors) : BlockDevice(name, makedev_md(unit), sectors), m_unit(unit) {}
    ~MemoryDisk() override = default;
    static u64 makedev_md(u32 unit);

    ErrorOr<void> allocate_pages(size_t count);
    void free_pages();
    static void thread_main(void* self);
    void serve();
    void transfer(Buf& bp);

    u32 m_unit;
    vm::Page** m_pages = nullptr;  // m_page_count single pages, set at attach
    size_t m_page_count = 0;
    kern::Thread* m_thread = nullptr;

    kern::SpinLock m_lock;
    // Guarded by m_lock.
    kern::IntrusiveList<Buf, &Buf::b_actq> m_queue;
    kern::WaitQueue m_work;  // the thread sleeps here while the queue is empty
    bool m_stopping = false;
};

// Make a RAM disk of `bytes` (rounded up to a page) as md<unit>, or the
// lowest free unit when `unit` is -1, and start its thread. Returns the
// device, not yet visible as a /dev node (fs/block/blkdev.h: publish).
// Errors: EINVAL (bytes 0, a unit out of range), EBUSY (the unit is
// taken), ENOMEM (not enough free pages: md leaves 1/8 of memory free).
ErrorOr<MemoryDisk*> md_attach(u64 bytes, int unit = -1);

// Stop md's thread and give back every page.
// => nothing in flight on `md` and nobody will submit again (no mount, no
//    /dev node -- published devices are never detached yet).
void md_detach(MemoryDisk& md);

} // namespace block
