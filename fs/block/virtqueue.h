// fs/block/virtqueue.h -- a split virtqueue: the ring of buffers a driver and a virtio device share.
//
// A virtqueue (virtio 1.1, 2.6 "Split Virtqueues") is three arrays in
// memory the device reads and writes by DMA:
//
//   descriptor table (16 B each)      available ring (driver -> device)   used ring (device -> driver)
//   +------+-----+-------+------+     +-------+-----+----+----+--        +-------+-----+--------+--------+--
//   | addr | len | flags | next |     | flags | idx | h0 | h1 | ..       | flags | idx | id,len | id,len | ..
//   +------+-----+-------+------+     +-------+-----+----+----+--        +-------+-----+--------+--------+--
//   a buffer's pieces, chained by        heads of chains the driver        heads of chains the device
//   `next` (flags NEXT), each one        offers; idx counts every one      has finished; idx counts them,
//   device-readable or WRITE             ever added (mod 2^16)             len = bytes it wrote
//
// The driver writes descriptors, puts the head's index in avail.ring[idx %
// size] and then increments avail.idx; the device does the same in the used
// ring when it is done. Each side only ever writes its own ring, so the
// only ordering that matters is "entry before index" (a release fence) on
// the writer's side and "index before entry" on the reader's (acquire).
//
// This class is the driver's half, with no knowledge of PCI or of block
// requests: a free list of descriptors (chained through `next`, as xv6
// and NetBSD do), add() to offer a chain, take_used() to collect one and
// free its descriptors. It works on memory the caller gives it (the
// driver: kernel pages, whose physical address it passes too), so it
// runs on the host under a fake device as well.
//
// Lock: none of its own. The driver calls every method under its lock.
//
// Read more: virtio v1.1, 2.6 (split virtqueues) and 2.6.7-2.6.8 (the
// notification suppression: used.flags NO_NOTIFY); xv6-riscv
// kernel/virtio_disk.c (alloc_desc, free_chain); NetBSD sys/dev/pci/
// virtio.c (virtio_enqueue, virtio_dequeue). Design only; our own code.
#pragma once

#include <kernel/base/lib/types.h>

namespace block {

struct VirtqDesc {
    u64 addr;   // physical address of the piece
    u32 len;    // its length
    u16 flags;  // NEXT, WRITE
    u16 next;   // the chain's next descriptor, if NEXT
};
static_assert(sizeof(VirtqDesc) == 16);

struct VirtqUsedElem {
    u32 id;   // head of the finished chain
    u32 len;  // bytes the device wrote into it
};

class Virtqueue {
public:
    static constexpr u16 DESC_F_NEXT = 1;
    static constexpr u16 DESC_F_WRITE = 2;     // the device writes this piece
    static constexpr u16 USED_F_NO_NOTIFY = 1;

    // One piece of a chain.
    struct Segment {
        PhysAddr addr;
        u32 len;
        bool device_writes;
    };

    // The bytes the three arrays of a queue of `size` need (descriptors,
    // then the available ring, then the used ring on a page boundary).
    static size_t bytes_for(u16 size);

    // Lay out a queue of `size` descriptors in `memory` (bytes_for(size)
    // bytes, zeroed, page-aligned, physically contiguous at `phys`).
    // => size a power of two, 1 .. 32768.
    Virtqueue(void* memory, PhysAddr phys, u16 size);

    u16 size() const { return m_size; }
    u16 free_count() const { return m_free_count; }
    // Where the device finds the three arrays.
    PhysAddr desc_phys() const { return m_phys; }
    PhysAddr avail_phys() const { return m_phys + avail_offset(); }
    PhysAddr used_phys() const { return m_phys + used_offset(); }

    // The head the next add() will use (the driver keeps per-request data
    // by head, and must know it before it writes the chain).
    u16 next_head() const { return m_free_head; }

    // Write a chain of `count` segments and offer it to the device (the
    // available index moves after the descriptors are written). Returns
    // the chain's head, the id the used ring will return.
    // => 0 < count <= free_count().
    u16 add(const Segment* segments, u16 count);

    // Must the device be told (notified) about what add() offered? False
    // while the device says it is polling anyway (used.flags NO_NOTIFY).
    // Call after add(): it orders the index write before the flags read.
    bool needs_notify() const;

    // The next chain the device has finished: its head and the bytes the
    // device wrote. Frees the chain's descriptors. Returns false if the
    // device has finished nothing new.
    bool take_used(u16& head, u32& written);

    // Chains offered and not yet taken back.
    u16 in_flight() const { return u16(m_avail_idx - m_last_used); }

private:
    size_t avail_offset() const { return size_t(m_size) * sizeof(VirtqDesc); }
    size_t used_offset() const;

    volatile VirtqDesc* m_desc;
    volatile u16* m_avail;  // flags, idx, ring[size], used_event
    volatile u16* m_used;   // flags, idx, then VirtqUsedElem[size], avail_event
    PhysAddr m_phys;
    u16 m_size;
    u16 m_free_head = 0;    // first free descriptor (a list through `next`)
    u16 m_free_count;
    u16 m_avail_idx = 0;    // our copy of avail.idx
    u16 m_last_used = 0;    // used.idx up to which we have taken chains
};

} // namespace block
