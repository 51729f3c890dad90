// tests/host/fs/block/bufcache_test.cpp -- the buffer cache against a fake asynchronous disk.
//
// The disk (fake_disk.h) completes nothing by itself: a test either
// completes requests by hand, to look at the states in between, or runs
// the disk "while the thread sleeps" (DiskRunsWhileWaiting). A BUSY wait
// is played by a hook that releases the buffer as another thread would.
#include <fs/block/bufcache.h>
#include <tests/host/fs/block/fake_disk.h>

using namespace block;
using block::test::DiskRunsWhileWaiting;
using block::test::FakeDisk;

namespace {

constexpr size_t BS = 4096;               // the file system's block size
constexpr u64 SPB = BS / DEV_BSIZE;       // sectors per block

class BufCacheTest : public ::testing::Test {
protected:
    FakeDisk disk{1024};
    std::unique_ptr<BufCache> cache = std::make_unique<BufCache>(64 * BS);

    // Fill disk block `b` with `value`.
    void put(u64 b, u8 value) { memset(disk.sector(b * SPB), value, BS); }
    Buf* read(u64 b)
    {
        DiskRunsWhileWaiting running(disk);
        return MUST(cache->bread(disk, b * SPB, BS));
    }
    std::vector<u64> lru()
    {
        u64 blocks[64];
        size_t n = cache->lru_order(blocks, 64);
        std::vector<u64> v;
        for (size_t i = 0; i < n && i < 64; ++i)
            v.push_back(blocks[i] / SPB);
        return v;
    }
};

} // namespace

TEST_F(BufCacheTest, MissThenHit)
{
    put(2, 0xab);
    Buf* bp = read(2);
    EXPECT_EQ(static_cast<u8*>(bp->b_data)[100], 0xab);
    cache->brelse(*bp);
    EXPECT_EQ(disk.submitted(), 1u);
    bp = read(2);  // no request: the cache has it
    EXPECT_EQ(static_cast<u8*>(bp->b_data)[BS - 1], 0xab);
    cache->brelse(*bp);
    EXPECT_EQ(disk.submitted(), 1u);
    BufCacheStats s = cache->stats();
    EXPECT_EQ(s.misses, 1u);
    EXPECT_EQ(s.hits, 1u);
    EXPECT_EQ(s.reads, 1u);
    EXPECT_EQ(s.buffers, 1u);
    EXPECT_EQ(s.bytes, BS);
}

TEST_F(BufCacheTest, GetblkOfANewBlockIsNotValidAndNeedsNoRead)
{
    Buf* bp = MUST(cache->getblk(disk, 8 * SPB, BS));
    EXPECT_EQ(cache->cflags(disk, 8 * SPB), Buf::BC_BUSY);
    EXPECT_EQ(disk.submitted(), 0u);
    cache->brelse(*bp);  // never filled: not kept
    EXPECT_FALSE(cache->cached(disk, 8 * SPB));
}

TEST_F(BufCacheTest, LruOrderFollowsReleases)
{
    Buf* a = read(0);
    Buf* b = read(1);
    Buf* c = read(2);
    cache->brelse(*b);
    cache->brelse(*a);
    cache->brelse(*c);
    EXPECT_EQ(lru(), (std::vector<u64>{1, 0, 2}));
    cache->brelse(*read(1));  // used again: the most recent
    EXPECT_EQ(lru(), (std::vector<u64>{0, 2, 1}));
}

TEST_F(BufCacheTest, LimitFreesTheLeastRecentlyUsed)
{
    cache->set_limit(3 * BS);
    for (u64 b = 0; b < 4; ++b)
        cache->brelse(*read(b));
    EXPECT_FALSE(cache->cached(disk, 0));
    EXPECT_TRUE(cache->cached(disk, 3 * SPB));
    EXPECT_EQ(cache->stats().buffers, 3u);
    EXPECT_EQ(cache->stats().bytes, 3 * BS);
    EXPECT_EQ(cache->stats().freed, 1u);
    EXPECT_EQ(lru(), (std::vector<u64>{1, 2, 3}));
}

TEST_F(BufCacheTest, BusyBufferMakesTheSecondGetblkWait)
{
    Buf* held = read(5);
    // The other "thread" releases its buffer while we sleep.
    int wakeups = 0;
    auto old = kern::host::set_wait_hook([&] {
        if (wakeups++ > 0)
            return false;
        static_cast<u8*>(held->b_data)[0] = 0x77;
        cache->bdwrite(*held);
        return true;
    });
    const unsigned long waits = kern::host::wait_count();
    Buf* again = MUST(cache->getblk(disk, 5 * SPB, BS));
    kern::host::set_wait_hook(std::move(old));
    EXPECT_EQ(kern::host::wait_count(), waits + 1);
    EXPECT_EQ(again, held);
    EXPECT_EQ(static_cast<u8*>(again->b_data)[0], 0x77);  // its change is there
    EXPECT_TRUE(cache->cflags(disk, 5 * SPB) & Buf::BC_DELWRI);
    cache->brelse(*again);
}

TEST_F(BufCacheTest, DelayedWriteReachesTheDiskOnFlush)
{
    Buf* bp = MUST(cache->getblk(disk, 7 * SPB, BS));
    memset(bp->b_data, 0xd1, BS);
    cache->bdwrite(*bp);
    EXPECT_EQ(disk.submitted(), 0u);  // delayed
    EXPECT_EQ(disk.sector(7 * SPB)[0], 0);
    EXPECT_EQ(cache->stats().dirty, 1u);
    {
        DiskRunsWhileWaiting running(disk);
        EXPECT_FALSE(cache->flush(disk).is_error());
    }
    EXPECT_EQ(disk.sector(7 * SPB)[BS - 1], 0xd1);
    EXPECT_EQ(cache->stats().dirty, 0u);
    EXPECT_TRUE(cache->cflags(disk, 7 * SPB) & Buf::BC_VALID);  // still cached, clean
    EXPECT_EQ(disk.submitted(), 1u);
}

TEST_F(BufCacheTest, AsyncWriteCompletesLaterAndReleases)
{
    Buf* bp = MUST(cache->getblk(disk, 9 * SPB, BS));
    memset(bp->b_data, 0x42, BS);
    cache->bawrite(*bp);
    EXPECT_EQ(disk.pending(), 1u);
    u32 f = cache->cflags(disk, 9 * SPB);
    EXPECT_TRUE((f & Buf::BC_BUSY) && (f & Buf::BC_WRITING));
    disk.complete();
    f = cache->cflags(disk, 9 * SPB);
    EXPECT_EQ(f, Buf::BC_VALID);  // idle and clean
    EXPECT_EQ(disk.sector(9 * SPB)[0], 0x42);
    EXPECT_EQ(lru(), (std::vector<u64>{9}));
}

TEST_F(BufCacheTest, FlushWaitsForWritesInFlight)
{
    Buf* bp = MUST(cache->getblk(disk, 1 * SPB, BS));
    memset(bp->b_data, 0x99, BS);
    cache->bawrite(*bp);
    {
        DiskRunsWhileWaiting running(disk);
        EXPECT_FALSE(cache->flush(disk).is_error());
    }
    EXPECT_EQ(disk.pending(), 0u);
    EXPECT_EQ(disk.sector(SPB)[0], 0x99);
}

TEST_F(BufCacheTest, FlushSkipsOtherDevices)
{
    FakeDisk other(1024, 0x0901);
    Buf* a = MUST(cache->getblk(disk, 0, BS));
    Buf* b = MUST(cache->getblk(other, 0, BS));
    memset(a->b_data, 1, BS);
    memset(b->b_data, 2, BS);
    cache->bdwrite(*a);
    cache->bdwrite(*b);
    {
        DiskRunsWhileWaiting running(disk);
        EXPECT_FALSE(cache->flush(disk).is_error());
    }
    EXPECT_EQ(disk.sector(0)[0], 1);
    EXPECT_EQ(other.sector(0)[0], 0);
    EXPECT_EQ(cache->stats().dirty, 1u);
    cache->invalidate(other);  // before `other` goes away
}

TEST_F(BufCacheTest, InvalidateDropsEverythingOfTheDevice)
{
    cache->brelse(*read(0));
    Buf* bp = MUST(cache->getblk(disk, 4 * SPB, BS));
    memset(bp->b_data, 0xee, BS);
    cache->bdwrite(*bp);
    cache->invalidate(disk);
    EXPECT_EQ(cache->stats().buffers, 0u);
    EXPECT_EQ(cache->stats().bytes, 0u);
    EXPECT_EQ(disk.sector(4 * SPB)[0], 0);  // the dirty one was not written
    EXPECT_EQ(disk.submitted(), 1u);
}

TEST_F(BufCacheTest, ShrinkFreesOldCleanBuffersAndStartsDirtyWrites)
{
    for (u64 b = 0; b < 4; ++b)
        cache->brelse(*read(b));
    EXPECT_EQ(cache->shrink(2 * BS), 2 * BS);
    EXPECT_EQ(lru(), (std::vector<u64>{2, 3}));
    // A dirty oldest buffer is written first and freed by a later pass.
    Buf* bp = MUST(cache->getblk(disk, 2 * SPB, BS));
    cache->bdwrite(*bp);  // now the LRU is 3, 2(dirty)
    EXPECT_EQ(cache->shrink(2 * BS), BS);  // 3 is freed; 2 is being written
    EXPECT_EQ(disk.pending(), 1u);
    disk.complete();
    EXPECT_EQ(cache->shrink(BS), BS);
    EXPECT_EQ(cache->stats().buffers, 0u);
}

TEST_F(BufCacheTest, ReadErrorIsReportedAndNotCached)
{
    disk.fail_sector(3 * SPB + 2);
    {
        DiskRunsWhileWaiting running(disk);
        auto r = cache->bread(disk, 3 * SPB, BS);
        ASSERT_TRUE(r.is_error());
        EXPECT_EQ(r.error(), Errno::EIO);
    }
    EXPECT_FALSE(cache->cached(disk, 3 * SPB));
    EXPECT_EQ(cache->stats().errors, 1u);
    disk.heal();
    put(3, 0x31);
    Buf* bp = read(3);  // asks the disk again
    EXPECT_EQ(static_cast<u8*>(bp->b_data)[0], 0x31);
    cache->brelse(*bp);
}

TEST_F(BufCacheTest, WriteErrorIsReportedAndTheBufferDropped)
{
    disk.fail_sector(6 * SPB);
    Buf* bp = MUST(cache->getblk(disk, 6 * SPB, BS));
    DiskRunsWhileWaiting running(disk);
    auto r = cache->bwrite(*bp);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error(), Errno::EIO);
    EXPECT_FALSE(cache->cached(disk, 6 * SPB));
    // A failed delayed write shows up at flush time.
    bp = MUST(cache->getblk(disk, 6 * SPB, BS));
    cache->bdwrite(*bp);
    EXPECT_EQ(cache->flush(disk).error(), Errno::EIO);
    EXPECT_EQ(cache->stats().dirty, 0u);
}

TEST_F(BufCacheTest, ReadPastTheEndIsRefused)
{
    DiskRunsWhileWaiting running(disk);
    EXPECT_EQ(cache->bread(disk, 1024 * 4, BS).error(), Errno::EIO);
    EXPECT_EQ(cache->bread(disk, 1022, BS).error(), Errno::EIO);  // straddles the end
    EXPECT_EQ(cache->bread(disk, 0, 1000).error(), Errno::EINVAL);
    EXPECT_EQ(cache->bread(disk, 0, 128 * 1024).error(), Errno::EINVAL);
    EXPECT_EQ(cache->stats().buffers, 0u);
}

TEST_F(BufCacheTest, SizeChangeWritesDirtyContentsFirst)
{
    Buf* bp = MUST(cache->getblk(disk, 0, 1024));
    memset(bp->b_data, 0x12, 1024);
    cache->bdwrite(*bp);
    put(0, 0);
    memset(disk.sector(2), 0x34, 2 * DEV_BSIZE);
    {
        DiskRunsWhileWaiting running(disk);
        bp = MUST(cache->bread(disk, 0, BS));
    }
    const u8* data = static_cast<u8*>(bp->b_data);
    EXPECT_EQ(data[0], 0x12);     // written out, then read back at the new size
    EXPECT_EQ(data[1024], 0x34);
    EXPECT_EQ(cache->stats().bytes, BS);
    cache->brelse(*bp);
}

TEST_F(BufCacheTest, OtherBlockSizesUpTo64K)
{
    for (size_t size : {size_t(512), size_t(8192), size_t(65536)}) {
        Buf* bp = MUST(cache->getblk(disk, 256, size));
        memset(bp->b_data, int(size >> 9), size);
        DiskRunsWhileWaiting running(disk);
        EXPECT_FALSE(cache->bwrite(*bp).is_error());
        EXPECT_EQ(disk.sector(256 + size / DEV_BSIZE - 1)[0], u8(size >> 9));
    }
}
