// fs/block/virtio_blk.h -- virtio-blk: the disk QEMU (and every hypervisor) offers, on the block layer.
//
// A virtio-blk device (virtio v1.1, 5.2 "Block Device") has one virtqueue
// of requests. A request is a chain of descriptors (fs/block/virtqueue.h):
//
//    +------------------------+   +-------------- - - ---------+   +--------+
//    | header (device reads)  |-->| data: one descriptor per   |-->| status |
//    | type IN/OUT, sector    |   | physically contiguous piece|   | (dev.  |
//    | 16 bytes               |   | (device writes on a read)  |   | writes)|
//    +------------------------+   +-------------- - - ---------+   +--------+
//
// The driver offers the chain on the available ring and rings the queue's
// doorbell; the device does the transfer by DMA while the CPU runs other
// threads, puts the chain's head on the used ring and raises its MSI-X
// interrupt. The handler (VirtioBlk::interrupt) takes the finished chains
// off the used ring, frees their descriptors, starts requests that were
// waiting for descriptors, and calls biodone() for each finished Buf.
// Nothing ever waits for the device by spinning.
//
// Many requests are in flight at once: as many as the queue's descriptors
// hold (the device's queue size, e.g. 256: about 12 requests of 64 KiB in
// 4 KiB pieces, 85 of 4 KiB). A request that finds too few free
// descriptors waits in the driver's software queue (m_pending, in
// arrival order) and is started by the interrupt that frees enough --
// BSD's bufq and ld_start. No thread sleeps for descriptors: strategy()
// never blocks, so a completion callback may submit the next request from
// interrupt context (the swap code's clustered page-outs will).
//
// A Buf's data -- b_data, or b_pages (a page list: bio_prepare_pages) --
// becomes one descriptor per physically contiguous piece: each page of
// b_pages, each page of b_data, merged when neighbours are adjacent in
// physical memory.
//
// Devices: each virtio-blk function on PCI bus 0, in slot order, becomes
// vda, vdb, ... (scripts/qemu.sh attaches the swap disk first: vda).
// Block major VIRTIO_BLK_MAJOR (254: Linux's virtblk takes a dynamic
// major, 254 on a typical system), minor 16 * unit (Linux leaves 15
// minors per disk for partitions: vda = 254,0, vdb = 254,16).
//
// Lock: VirtioBlk::m_lock (SpinLock) guards the virtqueue, the request
// slots and m_pending. It is taken by strategy() and the interrupt handler;
// under it only the kernel pmap's lock (pmap_extract, translating b_data)
// and a Buf's b_lock (bioerror) are taken, both leaves. biodone() is
// called with it released (a callback may submit again).
//
// Read more: virtio v1.1, 5.2.6 (the request: virtio_blk_req); xv6-riscv
// kernel/virtio_disk.c (a three-descriptor chain per request, the
// interrupt handler walking the used ring); NetBSD sys/dev/pci/ld_virtio.c
// (ld_virtio_start: a request's DMA map as the data descriptors;
// ld_virtio_vq_done). docs/block.md ("virtio-blk"). Design only; our own
// code.
#pragma once

#include <arch/pci.h>
#include <fs/block/buf.h>
#include <fs/block/virtio_pci.h>
#include <fs/block/virtqueue.h>

namespace block {

constexpr u32 VIRTIO_BLK_MAJOR = 254;
constexpr u32 VIRTIO_BLK_MINORS_PER_DISK = 16;
constexpr u32 VIRTIO_BLK_MAX_UNITS = 8;

class VirtioBlk final : public BlockDevice {
public:
    void strategy(Buf& bp) override;

    // Interrupts taken, and requests that had to wait for descriptors
    // (for tests and docs/block.md's measurements).
    u64 interrupts() const;
    u64 waited_for_descriptors() const;
    u16 queue_size() const { return m_vq ? m_vq->size() : 0; }

private:
    friend ErrorOr<VirtioBlk*> virtio_blk_attach(const arch::PciDevice& pci, u32 unit);

    // The part of a request the device reads and writes besides the data:
    // the header and the status byte (virtio_blk_req), one per descriptor
    // slot, indexed by the chain's head, in DMA-able kernel pages.
    struct Request {
        u32 type;      // IN (read) or OUT (write)
        u32 reserved;
        u64 sector;
        u8 status;     // written by the device: OK, IOERR, UNSUPP
        u8 pad[7];
        Buf* bp;       // the request this slot carries, nullptr if idle
    };
    static_assert(sizeof(Request) == 32);

    VirtioBlk(const char* name, u64 devno, u64 sectors) : BlockDevice(name, devno, sectors) {}
    ~VirtioBlk() override = default;

    static void interrupt(void* self);
    void complete();
    void start_locked();
    bool issue_locked(Buf& bp);
    u16 data_segments(const Buf& bp, Virtqueue::Segment* out) const;
    PhysAddr request_phys(u16 head) const;

    VirtioPci m_transport;
    Virtqueue* m_vq = nullptr;
    vm::Page* m_ring_pages = nullptr;     // the virtqueue's memory
    vm::Page* m_request_pages = nullptr;  // m_requests' memory
    Request* m_requests = nullptr;
    u16 m_max_segments = 0;               // descriptors one request may use
    u8 m_vector = 0;

    mutable kern::SpinLock m_lock;
    // Guarded by m_lock.
    kern::IntrusiveList<Buf, &Buf::b_actq> m_pending;  // waiting for descriptors
    u64 m_waited = 0;
};

// Set up the virtio-blk function `pci` as vd<'a' + unit>: negotiate, make
// its queue, take an interrupt vector and MSI-X entry 0, DRIVER_OK. Not
// published yet (blkdev.h: publish). Errors: ENODEV (not a usable modern
// virtio-blk device), ENXIO (its registers are out of reach), ENOMEM,
// ENOSPC (no interrupt vector), EIO (the device refused the set-up).
ErrorOr<VirtioBlk*> virtio_blk_attach(const arch::PciDevice& pci, u32 unit);

// Is `pci` a virtio-blk function (vendor 0x1af4, device 0x1001 or 0x1042)?
bool is_virtio_blk(const arch::PciDevice& pci);

} // namespace block
