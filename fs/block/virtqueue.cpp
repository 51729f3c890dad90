// fs/block/virtqueue.cpp -- the driver's half of a split virtqueue (see virtqueue.h).
#include <fs/block/virtqueue.h>
#include <kernel/base/lib/assert.h>

namespace block {

namespace {
constexpr size_t RING_ALIGN = PAGE_SIZE;  // the used ring starts a page (only 4 is required)

// The device reads what we wrote before the index that publishes it, and
// we read what it wrote after the index that told us about it. On x86
// stores are not reordered with stores nor loads with loads, so these only
// stop the compiler; elsewhere they would be real barriers.
inline void release_fence() { __atomic_thread_fence(__ATOMIC_RELEASE); }
inline void acquire_fence() { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
} // namespace

size_t Virtqueue::bytes_for(u16 size)
{
    const size_t avail_end = size_t(size) * sizeof(VirtqDesc) + sizeof(u16) * (3 + size_t(size));
    const size_t used_start = (avail_end + RING_ALIGN - 1) / RING_ALIGN * RING_ALIGN;
    return used_start + sizeof(u16) * 3 + sizeof(VirtqUsedElem) * size;
}

size_t Virtqueue::used_offset() const
{
    const size_t avail_end = avail_offset() + sizeof(u16) * (3 + size_t(m_size));
    return (avail_end + RING_ALIGN - 1) / RING_ALIGN * RING_ALIGN;
}

Virtqueue::Virtqueue(void* memory, PhysAddr phys, u16 size) : m_phys(phys), m_size(size), m_free_count(size)
{
    KASSERT(size > 0 && size <= 32768 && (size & (size - 1)) == 0);
    u8* base = static_cast<u8*>(memory);
    m_desc = reinterpret_cast<volatile VirtqDesc*>(base);
    m_avail = reinterpret_cast<volatile u16*>(base + avail_offset());
    m_used = reinterpret_cast<volatile u16*>(base + used_offset());
    for (u16 i = 0; i < size; ++i)
        m_desc[i].next = u16(i + 1);  // the free list: 0 -> 1 -> ... -> size-1
}

u16 Virtqueue::add(const Segment* segments, u16 count)
{
    KASSERT(count > 0 && count <= m_free_count);
    const u16 head = m_free_head;
    u16 d = head;
    for (u16 i = 0; i < count; ++i) {
        volatile VirtqDesc& desc = m_desc[d];
        const u16 next_free = desc.next;
        desc.addr = segments[i].addr;
        desc.len = segments[i].len;
        desc.flags = u16((segments[i].device_writes ? DESC_F_WRITE : 0) | (i + 1 < count ? DESC_F_NEXT : 0));
        desc.next = next_free;  // for the last one: unused by the device, the free list's continuation
        d = next_free;
    }
    m_free_head = d;
    m_free_count = u16(m_free_count - count);
    m_avail[2 + m_avail_idx % m_size] = head;
    release_fence();  // the descriptors and the ring entry before the index
    m_avail[1] = ++m_avail_idx;
    return head;
}

bool Virtqueue::needs_notify() const
{
    // The device may set NO_NOTIFY and then look at avail.idx; our index
    // store must be visible before we read its flag (a store-load order:
    // a full fence even on x86), or both could miss each other.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return !(m_used[0] & USED_F_NO_NOTIFY);
}

bool Virtqueue::take_used(u16& head, u32& written)
{
    if (m_used[1] == m_last_used)
        return false;
    acquire_fence();  // the index before the entry it covers
    const auto* ring = reinterpret_cast<volatile const VirtqUsedElem*>(m_used + 2);
    const volatile VirtqUsedElem& elem = ring[m_last_used % m_size];
    head = u16(elem.id);
    written = elem.len;
    ++m_last_used;
    KASSERT(head < m_size);
    // Give the chain back: walk to its tail, splice it in front of the free list.
    u16 tail = head;
    u16 length = 1;
    while (m_desc[tail].flags & DESC_F_NEXT) {
        tail = m_desc[tail].next;
        ++length;
    }
    m_desc[tail].next = m_free_head;
    m_free_head = head;
    m_free_count = u16(m_free_count + length);
    KASSERT(m_free_count <= m_size);
    return true;
}

} // namespace block
