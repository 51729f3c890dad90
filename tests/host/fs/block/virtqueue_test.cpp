// tests/host/fs/block/virtqueue_test.cpp -- the split virtqueue against a fake device that reads the rings as a device would.
#include <fs/block/virtqueue.h>


using namespace block;

namespace {

// The rings in ordinary memory; "physical" addresses are offsets from
// PHYS, so the fake device can find what the driver wrote.
class FakeDevice {
public:
    static constexpr PhysAddr PHYS = 0x100000;

    explicit FakeDevice(u16 size) : m_size(size)
    {
        m_bytes = Virtqueue::bytes_for(size);
        m_memory = static_cast<u8*>(std::aligned_alloc(4096, (m_bytes + 4095) / 4096 * 4096));
        std::memset(m_memory, 0, m_bytes);
        vq = new Virtqueue(m_memory, PHYS, size);
    }
    ~FakeDevice()
    {
        delete vq;
        std::free(m_memory);
    }

    u16 avail_idx() const { return u16_at(vq->avail_phys() + 2); }
    // The chain offered at avail.ring[n], as (addr, len, flags) triples.
    std::vector<VirtqDesc> chain(u16 n) const
    {
        u16 d = u16_at(vq->avail_phys() + 4 + 2 * (n % m_size));
        std::vector<VirtqDesc> out;
        for (;;) {
            VirtqDesc desc;
            std::memcpy(&desc, m_memory + (vq->desc_phys() - PHYS) + 16 * size_t(d), sizeof desc);
            out.push_back(desc);
            if (!(desc.flags & Virtqueue::DESC_F_NEXT))
                return out;
            d = desc.next;
        }
    }
    u16 head(u16 n) const { return u16_at(vq->avail_phys() + 4 + 2 * (n % m_size)); }
    // Finish the chain with head `id`, having written `len` bytes.
    void use(u16 id, u32 len)
    {
        const size_t used = vq->used_phys() - PHYS;
        u16 idx;
        std::memcpy(&idx, m_memory + used + 2, 2);
        VirtqUsedElem elem{id, len};
        std::memcpy(m_memory + used + 4 + 8 * size_t(idx % m_size), &elem, sizeof elem);
        ++idx;
        std::memcpy(m_memory + used + 2, &idx, 2);
    }
    void set_no_notify(bool on)
    {
        u16 flags = on ? Virtqueue::USED_F_NO_NOTIFY : 0;
        std::memcpy(m_memory + (vq->used_phys() - PHYS), &flags, 2);
    }

    Virtqueue* vq;

private:
    u16 u16_at(PhysAddr pa) const
    {
        u16 v;
        std::memcpy(&v, m_memory + (pa - PHYS), 2);
        return v;
    }
    u16 m_size;
    size_t m_bytes;
    u8* m_memory;
};

Virtqueue::Segment seg(PhysAddr addr, u32 len, bool writes) { return {addr, len, writes}; }

} // namespace

TEST(Virtqueue, LayoutIsWhatTheSpecAsks)
{
    // Descriptors 16-aligned at the start; avail right after; used on the next page.
    EXPECT_EQ(Virtqueue::bytes_for(256), 8192u + 4 + 8 * 256 + 2);
    FakeDevice dev(256);
    EXPECT_EQ(dev.vq->desc_phys(), FakeDevice::PHYS);
    EXPECT_EQ(dev.vq->avail_phys(), FakeDevice::PHYS + 4096);
    EXPECT_EQ(dev.vq->used_phys() % 4096, 0u);
    EXPECT_EQ(dev.vq->free_count(), 256);
}

TEST(Virtqueue, AddWritesAChainAndPublishesItsHead)
{
    FakeDevice dev(8);
    Virtqueue::Segment s[3] = {seg(0x1000, 16, false), seg(0x2000, 4096, true), seg(0x1010, 1, true)};
    const u16 head = dev.vq->add(s, 3);
    EXPECT_EQ(dev.avail_idx(), 1);
    EXPECT_EQ(dev.head(0), head);
    auto chain = dev.chain(0);
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(chain[0].addr, 0x1000u);
    EXPECT_EQ(chain[0].flags, Virtqueue::DESC_F_NEXT);
    EXPECT_EQ(chain[1].len, 4096u);
    EXPECT_EQ(chain[1].flags, Virtqueue::DESC_F_NEXT | Virtqueue::DESC_F_WRITE);
    EXPECT_EQ(chain[2].flags, Virtqueue::DESC_F_WRITE);
    EXPECT_EQ(dev.vq->free_count(), 5);
    EXPECT_EQ(dev.vq->in_flight(), 1);
}

TEST(Virtqueue, TakeUsedFreesTheChainInAnyOrder)
{
    FakeDevice dev(8);
    Virtqueue::Segment s[3] = {seg(1, 1, false), seg(2, 2, false), seg(3, 3, true)};
    const u16 a = dev.vq->add(s, 3);
    const u16 b = dev.vq->add(s, 2);
    const u16 c = dev.vq->add(s, 3);
    EXPECT_EQ(dev.vq->free_count(), 0);
    u16 head;
    u32 len;
    EXPECT_FALSE(dev.vq->take_used(head, len));
    dev.use(b, 7);  // the device finishes out of order
    dev.use(a, 9);
    ASSERT_TRUE(dev.vq->take_used(head, len));
    EXPECT_EQ(head, b);
    EXPECT_EQ(len, 7u);
    EXPECT_EQ(dev.vq->free_count(), 2);
    ASSERT_TRUE(dev.vq->take_used(head, len));
    EXPECT_EQ(head, a);
    EXPECT_EQ(dev.vq->free_count(), 5);
    EXPECT_FALSE(dev.vq->take_used(head, len));
    // The freed descriptors make new chains, and every one comes back.
    const u16 d = dev.vq->add(s, 3);
    dev.use(c, 0);
    dev.use(d, 0);
    EXPECT_TRUE(dev.vq->take_used(head, len));
    EXPECT_TRUE(dev.vq->take_used(head, len));
    EXPECT_EQ(dev.vq->free_count(), 8);
    EXPECT_EQ(dev.vq->in_flight(), 0);
}

TEST(Virtqueue, IndicesWrapPastTheRingAndSixteenBits)
{
    FakeDevice dev(4);
    Virtqueue::Segment s[2] = {seg(0x10, 16, false), seg(0x20, 1, true)};
    for (u32 i = 0; i < 70000; ++i) {
        const u16 h = dev.vq->add(s, 2);
        EXPECT_EQ(dev.head(u16(i)), h);
        dev.use(h, 1);
        u16 head;
        u32 len;
        ASSERT_TRUE(dev.vq->take_used(head, len));
        ASSERT_EQ(head, h);
        ASSERT_EQ(dev.vq->free_count(), 4);
    }
    EXPECT_EQ(dev.avail_idx(), u16(70000));
}

TEST(Virtqueue, NotifyUnlessTheDeviceSaysNot)
{
    FakeDevice dev(4);
    Virtqueue::Segment s[1] = {seg(0x10, 16, false)};
    dev.vq->add(s, 1);
    EXPECT_TRUE(dev.vq->needs_notify());
    dev.set_no_notify(true);
    EXPECT_FALSE(dev.vq->needs_notify());
}
