// fs/block/virtio_blk.cpp -- the virtio-blk driver: attach, strategy, the interrupt (see virtio_blk.h).
#include <arch/interrupt.h>
#include <arch/pmap.h>
#include <fs/block/virtio_blk.h>
#include <fs/vfs/device.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/page/page_allocator.h>

namespace block {

namespace {

// virtio_blk_req.type and .status (virtio v1.1, 5.2.6).
constexpr u32 T_IN = 0;   // read: device -> memory
constexpr u32 T_OUT = 1;  // write
constexpr u8 S_OK = 0;

// Feature bits (5.2.3) and configuration offsets (5.2.4).
constexpr u64 F_SEG_MAX = u64(1) << 2;
constexpr u32 CONFIG_CAPACITY = 0;  // le64, in 512-byte sectors
constexpr u32 CONFIG_SEG_MAX = 12;  // le32, data descriptors per request

constexpr u16 MAX_QUEUE_SIZE = 256;
// A request's data pieces at worst: every page of a 64 KiB transfer that
// does not start on a page boundary.
constexpr u16 MAX_DATA_SEGMENTS = MAX_TRANSFER / PAGE_SIZE + 1;

size_t pages_for(size_t bytes) { return (bytes + PAGE_SIZE - 1) / PAGE_SIZE; }

} // namespace

bool is_virtio_blk(const arch::PciDevice& pci)
{
    return pci.vendor == 0x1af4 && (pci.device == 0x1001 || pci.device == 0x1042);
}

u64 VirtioBlk::interrupts() const { return arch::interrupt_count(m_vector); }

u64 VirtioBlk::waited_for_descriptors() const
{
    kern::SpinGuard guard(m_lock);
    return m_waited;
}

PhysAddr VirtioBlk::request_phys(u16 head) const
{
    return vm::page_allocator().phys_of(*m_request_pages) + size_t(head) * sizeof(Request);
}

// Fill `out` with the physical pieces of bp's data, merging neighbours
// that touch in physical memory. Returns how many.
u16 VirtioBlk::data_segments(const Buf& bp, Virtqueue::Segment* out) const
{
    vm::PageAllocator& pa = vm::page_allocator();
    u16 n = 0;
    size_t done = 0;
    while (done < bp.b_bcount) {
        PhysAddr phys;
        size_t length;
        if (bp.b_pages) {
            phys = pa.phys_of(*bp.b_pages[done / PAGE_SIZE]);
            length = PAGE_SIZE;
        } else {
            const uptr va = reinterpret_cast<uptr>(bp.b_data) + done;
            length = min(PAGE_SIZE - va % PAGE_SIZE, bp.b_bcount - done);
            const bool mapped = arch::pmap_extract(arch::pmap_kernel(), va, &phys);
            KASSERT(mapped);  // b_data is kernel memory (the heap, the image)
        }
        if (n > 0 && out[n - 1].addr + out[n - 1].len == phys) {
            out[n - 1].len += u32(length);
        } else {
            KASSERT(n < MAX_DATA_SEGMENTS);
            out[n++] = {phys, u32(length), bp.is_read()};
        }
        done += length;
    }
    return n;
}

// Put `bp` on the ring as header + data + status. Returns false, doing
// nothing, if the queue lacks the descriptors.  => m_lock held.
bool VirtioBlk::issue_locked(Buf& bp)
{
    KASSERT(m_lock.is_locked_by_me());
    Virtqueue::Segment segments[MAX_DATA_SEGMENTS + 2];
    const u16 data = data_segments(bp, segments + 1);
    const u16 count = u16(data + 2);
    if (m_vq->free_count() < count)
        return false;
    const u16 head = m_vq->next_head();
    Request& r = m_requests[head];
    KASSERT(r.bp == nullptr);
    r.type = bp.is_read() ? T_IN : T_OUT;
    r.reserved = 0;
    r.sector = bp.b_blkno;
    r.status = 0xff;  // the device overwrites it
    r.bp = &bp;
    const PhysAddr header = request_phys(head);
    segments[0] = {header, 16, false};
    segments[count - 1] = {header + 16, 1, true};
    const u16 used = m_vq->add(segments, count);
    KASSERT(used == head);
    return true;
}

// Start waiting requests, oldest first, while descriptors last; ring the
// doorbell once for all of them.  => m_lock held.
void VirtioBlk::start_locked()
{
    bool added = false;
    while (Buf* bp = m_pending.first()) {
        if (!issue_locked(*bp))
            break;
        m_pending.remove(*bp);
        added = true;
    }
    if (added && m_vq->needs_notify())
        m_transport.notify(0);
}

void VirtioBlk::strategy(Buf& bp)
{
    kern::SpinGuard guard(m_lock);
    m_pending.push_back(bp);
    start_locked();
    if (bp.b_actq.is_linked())
        ++m_waited;  // still queued: it waits for an interrupt to free descriptors
}

void VirtioBlk::interrupt(void* self) { static_cast<VirtioBlk*>(self)->complete(); }

// The interrupt: collect the finished requests, refill the ring from
// m_pending, then complete them with the lock released (biodone may call
// a callback that submits again).
void VirtioBlk::complete()
{
    kern::IntrusiveList<Buf, &Buf::b_actq> done;
    {
        kern::SpinGuard guard(m_lock);
        u16 head;
        u32 written;
        while (m_vq->take_used(head, written)) {
            Request& r = m_requests[head];
            Buf& bp = *r.bp;
            r.bp = nullptr;
            if (r.status == S_OK) {
                bp.b_resid = 0;
            } else {
                bp.b_resid = bp.b_bcount;
                bioerror(bp, Errno::EIO);
            }
            done.push_back(bp);
        }
        start_locked();
    }
    while (!done.is_empty())
        biodone(done.take_first());
}

// ---- attach -------------------------------------------------------------------

ErrorOr<VirtioBlk*> virtio_blk_attach(const arch::PciDevice& pci, u32 unit)
{
    if (unit >= VIRTIO_BLK_MAX_UNITS || !is_virtio_blk(pci))
        return Errno::ENODEV;
    VirtioPci transport;
    TRY(transport.attach(pci));
    auto accepted = transport.negotiate(F_SEG_MAX);
    const u32 seg_max = accepted.is_error() ? 0
                        : (accepted.value() & F_SEG_MAX) ? transport.config_read32(CONFIG_SEG_MAX)
                                                         : MAX_DATA_SEGMENTS;
    u16 size = transport.queue_max_size(0);
    if (seg_max < MAX_DATA_SEGMENTS || size < MAX_DATA_SEGMENTS + 2) {
        transport.failed();  // not a device we can drive (or it refused the features)
        return Errno::ENODEV;
    }
    size = min(size, MAX_QUEUE_SIZE);
    while (size & (size - 1))
        size = u16(size & (size - 1));  // a power of two (a split ring's size is one)

    char name[8];
    kern::snprintf(name, sizeof name, "vd%c", char('a' + unit));
    const u64 devno = fs::makedev(VIRTIO_BLK_MAJOR, unit * VIRTIO_BLK_MINORS_PER_DISK);
    auto* blk = new (std::nothrow) VirtioBlk(name, devno, transport.config_read64(CONFIG_CAPACITY));
    vm::PageAllocator& pa = vm::page_allocator();
    // Undo what this function did so far, in reverse order (any of it may be missing).
    auto destroy = [&pa](VirtioBlk* blk, vm::Page* ring, size_t ring_pages, vm::Page* requests,
                         size_t request_pages, Virtqueue* vq) {
        delete vq;
        if (requests)
            pa.free_pages(requests, request_pages);
        if (ring)
            pa.free_pages(ring, ring_pages);
        delete blk;
    };
    const size_t ring_pages = pages_for(Virtqueue::bytes_for(size));
    const size_t request_pages = pages_for(size_t(size) * sizeof(VirtioBlk::Request));
    auto ring = blk ? pa.allocate_pages(ring_pages) : ErrorOr<vm::Page*>(Errno::ENOMEM);
    auto requests = ring.is_error() ? ErrorOr<vm::Page*>(Errno::ENOMEM) : pa.allocate_pages(request_pages);
    Virtqueue* vq = nullptr;
    if (!requests.is_error()) {
        pa.zero_pages(*ring.value(), ring_pages);
        pa.zero_pages(*requests.value(), request_pages);
        vq = new (std::nothrow) Virtqueue(pa.virt_of(*ring.value()), pa.phys_of(*ring.value()), size);
    }
    if (!vq) {
        transport.failed();
        destroy(blk, ring.is_error() ? nullptr : ring.value(), ring_pages,
                requests.is_error() ? nullptr : requests.value(), request_pages, nullptr);
        return Errno::ENOMEM;
    }
    blk->m_transport = transport;
    blk->m_vq = vq;
    blk->m_ring_pages = ring.value();
    blk->m_request_pages = requests.value();
    blk->m_requests = static_cast<VirtioBlk::Request*>(pa.virt_of(*requests.value()));
    blk->m_max_segments = u16(MAX_DATA_SEGMENTS + 2);

    auto vector = arch::interrupt_allocate(VirtioBlk::interrupt, blk);
    auto routed = vector.is_error() ? ErrorOr<void>(vector.error()) : arch::pci_msix_enable(pci, 0, vector.value());
    auto set_up = routed.is_error() ? routed : transport.setup_queue(0, *vq, 0);
    if (set_up.is_error()) {
        transport.failed();
        if (!vector.is_error())
            arch::interrupt_free(vector.value());
        destroy(blk, blk->m_ring_pages, ring_pages, blk->m_request_pages, request_pages, vq);
        return set_up.error();
    }
    blk->m_vector = vector.value();  // nothing below can fail
    blk->m_transport = transport;    // with the queue's doorbell
    transport.driver_ok();
    return blk;
}

} // namespace block
