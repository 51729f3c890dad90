// tests/ktest/fs/virtio_blk_ktest.cpp -- the virtio-blk driver on a real (emulated) disk (suite virtio_blk).
//
// scripts/qemu.sh gives every boot a private, sparse swap disk: vda. These
// cases write to its first 16 MiB (nothing on the ktest boot uses it) and
// check the block layer's contract on the driver: data round-trips through
// b_data (page-aligned or not) and through page lists (b_pages); many
// requests in flight at once, more than the queue's descriptors hold, all
// completed by the device's interrupt; a range past the end refused. A
// boot without the disk (SWAP_DISK=none) fails here, naming the reason.
#include <arch/cpu.h>
#include <fs/block/blkdev.h>
#include <fs/block/virtio_blk.h>
#include <fs/vfs/device.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <tests/ktest/fs/block_ktest_util.h>

using namespace block;
using namespace block::ktest_util;

namespace {

constexpr u64 SPP = PAGE_SIZE / DEV_BSIZE;  // sectors per page

// vda, the virtio disk every boot has (scripts/qemu.sh), or nullptr.
VirtioBlk* vda()
{
    auto dev = device_by_name("vda");
    if (dev.is_error() || fs::dev_major(dev.value()->devno()) != VIRTIO_BLK_MAJOR)
        return nullptr;
    return static_cast<VirtioBlk*>(dev.value());
}

} // namespace

KTEST(virtio_blk, vda_is_attached_and_published)
{
    VirtioBlk* disk = vda();
    KREQUIRE(disk != nullptr);  // no vda: booted with SWAP_DISK=none?
    KEXPECT_EQ(fs::dev_major(disk->devno()), VIRTIO_BLK_MAJOR);
    KEXPECT_EQ(fs::dev_minor(disk->devno()), 0u);
    KEXPECT(disk->size_bytes() >= 16u * 1024 * 1024);
    KEXPECT(disk->queue_size() >= 32);
    KEXPECT_EQ(MUST(device_by_number(disk->devno())), static_cast<BlockDevice*>(disk));
    KEXPECT_EQ(device_by_name("vdz").error(), Errno::ENXIO);
}

KTEST(virtio_blk, sync_round_trip_aligned_and_not)
{
    VirtioBlk* disk = vda();
    KREQUIRE(disk != nullptr);
    const u64 interrupts = disk->interrupts();
    // 3 pages + 1 sector, starting 1 KiB into a heap page: five pieces of memory.
    constexpr size_t N = 3 * PAGE_SIZE + DEV_BSIZE;
    u8* out = new u8[N + 1024 + PAGE_SIZE];
    u8* in = new u8[N];
    u8* odd = out + 1024;
    fill(odd, 11, N);
    Buf bp;
    bio_prepare(bp, *disk, 9, odd, N, 0);
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT_EQ(bp.b_resid, 0u);
    memset(in, 0, N);
    bio_prepare(bp, *disk, 9, in, N, Buf::B_READ);
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT(matches(in, 11, N));
    // The same sectors, read one at a time from the middle: the disk has them at 9.. .
    bio_prepare(bp, *disk, 9 + 8, in, DEV_BSIZE, Buf::B_READ);
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT(memcmp(in, odd + 8 * DEV_BSIZE, DEV_BSIZE) == 0);
    KEXPECT(disk->interrupts() >= interrupts + 3);  // completions came by interrupt
    delete[] in;
    delete[] out;
}

KTEST(virtio_blk, many_requests_in_flight_more_than_the_ring_holds)
{
    VirtioBlk* disk = vda();
    KREQUIRE(disk != nullptr);
    // Every request takes at least three descriptors (header, data,
    // status), so 128 of them need more than the queue's 256 at most. They
    // are submitted with interrupts masked -- no completion can free a
    // descriptor meanwhile (QEMU is quick: otherwise the ring might never
    // fill) -- so the last ones must wait for the interrupt.
    constexpr size_t N = 128;
    constexpr size_t LEN = 16 * 1024;
    constexpr u64 BASE = 2048;  // 1 MiB into the disk
    auto* bufs = new Buf[N];
    u8** data = new u8*[N];
    for (size_t i = 0; i < N; ++i)
        data[i] = new u8[LEN];
    const BlockStats before = disk->stats();
    const u64 waited = disk->waited_for_descriptors();
    const u64 interrupts = disk->interrupts();
    Completions c;
    c.submitter = Thread::current();
    for (size_t i = 0; i < N; ++i)
        fill(data[i], 100 + i, LEN);
    const arch::IrqState irq = arch::irq_save();
    for (size_t i = 0; i < N; ++i) {
        bio_prepare(bufs[i], *disk, BASE + i * (LEN / DEV_BSIZE), data[i], LEN, Buf::B_ASYNC);
        bufs[i].b_iodone = count_completion;
        bufs[i].b_private = &c;
        submit(bufs[i]);
    }
    arch::irq_restore(irq);
    c.wait_for(N);
    BlockStats s = disk->stats();
    KEXPECT_EQ(s.writes - before.writes, N);
    KEXPECT_EQ(s.bytes_written - before.bytes_written, N * LEN);
    KEXPECT_EQ(s.in_flight, 0u);
    KEXPECT(s.in_flight_max > 1);  // submitted together, in flight together
    KEXPECT(s.in_flight_max >= N);        // all of them at once, waiting ones included
    KEXPECT(disk->waited_for_descriptors() > waited);
    KEXPECT(disk->interrupts() > interrupts);
    for (size_t i = 0; i < N; ++i) {
        memset(data[i], 0, LEN);
        bio_prepare(bufs[i], *disk, BASE + i * (LEN / DEV_BSIZE), data[i], LEN, Buf::B_READ | Buf::B_ASYNC);
        bufs[i].b_iodone = count_completion;
        submit(bufs[i]);
    }
    c.wait_for(2 * N);
    for (size_t i = 0; i < N; ++i) {
        KEXPECT(matches(data[i], 100 + i, LEN));
        KEXPECT(!(bufs[i].b_oflags & Buf::B_ERROR));
        delete[] data[i];
    }
    KEXPECT_EQ(disk->stats().in_flight, 0u);
    delete[] data;
    delete[] bufs;
}

KTEST(virtio_blk, page_list_requests)
{
    VirtioBlk* disk = vda();
    KREQUIRE(disk != nullptr);
    constexpr u32 NPAGES = MAX_TRANSFER / PAGE_SIZE;
    constexpr u64 AT = 8192;  // 4 MiB into the disk
    vm::PageAllocator& pa = vm::page_allocator();
    vm::Page* pages[2 * NPAGES];
    KREQUIRE(pa.allocate_each(pages, 2 * NPAGES) == 2 * NPAGES);
    // Write from every other page (never two neighbours in one piece), in reverse order.
    vm::Page* out[NPAGES];
    for (u32 i = 0; i < NPAGES; ++i) {
        out[i] = pages[2 * (NPAGES - 1 - i)];
        fill(static_cast<u8*>(pa.virt_of(*out[i])), 500 + i, PAGE_SIZE);
    }
    Buf bp;
    bio_prepare_pages(bp, *disk, AT, out, NPAGES, 0);
    KEXPECT(!bio_sync(bp).is_error());
    // Read it back into the other pages, and once more as one b_data buffer.
    vm::Page* in[NPAGES];
    for (u32 i = 0; i < NPAGES; ++i) {
        in[i] = pages[2 * i + 1];
        memset(pa.virt_of(*in[i]), 0, PAGE_SIZE);
    }
    bio_prepare_pages(bp, *disk, AT, in, NPAGES, Buf::B_READ);
    KEXPECT(!bio_sync(bp).is_error());
    for (u32 i = 0; i < NPAGES; ++i)
        KEXPECT(matches(static_cast<u8*>(pa.virt_of(*in[i])), 500 + i, PAGE_SIZE));
    u8* flat = new u8[MAX_TRANSFER];
    bio_prepare(bp, *disk, AT + SPP, flat, PAGE_SIZE, Buf::B_READ);  // the second page alone
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT(matches(flat, 501, PAGE_SIZE));
    delete[] flat;
    for (vm::Page* page : pages)
        pa.free(page);
}

KTEST(virtio_blk, requests_past_the_end_fail)
{
    VirtioBlk* disk = vda();
    KREQUIRE(disk != nullptr);
    const u64 end = disk->size_sectors();
    u8* buf = new u8[2 * DEV_BSIZE];
    const u64 errors = disk->stats().errors;
    Buf bp;
    bio_prepare(bp, *disk, end, buf, DEV_BSIZE, Buf::B_READ);
    KEXPECT_EQ(bio_sync(bp).error(), Errno::EIO);
    bio_prepare(bp, *disk, end - 1, buf, 2 * DEV_BSIZE, 0);
    KEXPECT_EQ(bio_sync(bp).error(), Errno::EIO);
    bio_prepare(bp, *disk, 0, buf, 100, 0);
    KEXPECT_EQ(bio_sync(bp).error(), Errno::EINVAL);
    KEXPECT_EQ(disk->stats().errors, errors + 3);
    fill(buf, 7, DEV_BSIZE);
    bio_prepare(bp, *disk, end - 1, buf, DEV_BSIZE, 0);  // the last sector is fine
    KEXPECT(!bio_sync(bp).is_error());
    bio_prepare(bp, *disk, end - 1, buf + DEV_BSIZE, DEV_BSIZE, Buf::B_READ);
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT(matches(buf + DEV_BSIZE, 7, DEV_BSIZE));
    delete[] buf;
}
