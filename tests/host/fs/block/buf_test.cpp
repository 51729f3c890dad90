// tests/host/fs/block/buf_test.cpp -- requests: submit, biodone, biowait, callbacks, counters.
#include <fs/block/buf.h>
#include <tests/host/fs/block/fake_disk.h>

using namespace block;
using block::test::DiskRunsWhileWaiting;
using block::test::FakeDisk;

namespace {

u8 s_buffer[8 * DEV_BSIZE];
int s_callbacks;
void count_callback(Buf& bp)
{
    ++s_callbacks;
    EXPECT_EQ(bp.b_private, &s_callbacks);
}

} // namespace

TEST(BlockBuf, StrategyQueuesAndBiodoneCompletesLater)
{
    FakeDisk disk(64);
    memset(disk.sector(3), 0x5a, DEV_BSIZE);
    Buf bp;
    bio_prepare(bp, disk, 3, s_buffer, DEV_BSIZE, Buf::B_READ);
    submit(bp);
    EXPECT_EQ(disk.pending(), 1u);
    EXPECT_FALSE(bp.b_oflags & Buf::B_DONE);  // queued, not done
    disk.complete();
    EXPECT_TRUE(bp.b_oflags & Buf::B_DONE);
    EXPECT_FALSE(biowait(bp).is_error());  // already done: no sleep
    EXPECT_EQ(s_buffer[0], 0x5a);
    EXPECT_EQ(s_buffer[DEV_BSIZE - 1], 0x5a);
}

TEST(BlockBuf, BiowaitSleepsUntilTheDiskCompletes)
{
    FakeDisk disk(64);
    DiskRunsWhileWaiting running(disk);
    memset(s_buffer, 0x33, 2 * DEV_BSIZE);
    Buf bp;
    bio_prepare(bp, disk, 10, s_buffer, 2 * DEV_BSIZE, 0);
    const unsigned long waits = kern::host::wait_count();
    EXPECT_FALSE(bio_sync(bp).is_error());
    EXPECT_EQ(kern::host::wait_count(), waits + 1);
    EXPECT_EQ(disk.sector(11)[7], 0x33);
}

TEST(BlockBuf, CallbackOwnsTheCompletion)
{
    FakeDisk disk(64);
    s_callbacks = 0;
    Buf bp;
    bio_prepare(bp, disk, 0, s_buffer, DEV_BSIZE, Buf::B_ASYNC);
    bp.b_iodone = count_callback;
    bp.b_private = &s_callbacks;
    submit(bp);
    EXPECT_EQ(s_callbacks, 0);  // never inline
    disk.complete();
    EXPECT_EQ(s_callbacks, 1);
    EXPECT_FALSE(bp.b_oflags & Buf::B_DONE);  // the callback decides what "done" means
}

TEST(BlockBuf, DeviceErrorReachesTheWaiter)
{
    FakeDisk disk(64);
    DiskRunsWhileWaiting running(disk);
    disk.fail_sector(5);
    Buf bp;
    bio_prepare(bp, disk, 4, s_buffer, 2 * DEV_BSIZE, Buf::B_READ);
    auto result = bio_sync(bp);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error(), Errno::EIO);
    EXPECT_EQ(disk.stats().errors, 1u);
}

TEST(BlockBuf, SubmitRefusesBadRequests)
{
    FakeDisk disk(16);
    Buf bp;
    bio_prepare(bp, disk, 15, s_buffer, 2 * DEV_BSIZE, Buf::B_READ);  // one sector past the end
    EXPECT_EQ(bio_sync(bp).error(), Errno::EIO);
    bio_prepare(bp, disk, 16, s_buffer, DEV_BSIZE, Buf::B_READ);  // at the end
    EXPECT_EQ(bio_sync(bp).error(), Errno::EIO);
    bio_prepare(bp, disk, 0, s_buffer, 100, Buf::B_READ);  // not whole sectors
    EXPECT_EQ(bio_sync(bp).error(), Errno::EINVAL);
    bio_prepare(bp, disk, 0, s_buffer, 0, Buf::B_READ);
    EXPECT_EQ(bio_sync(bp).error(), Errno::EINVAL);
    EXPECT_EQ(disk.submitted(), 0u);  // none reached the driver
    EXPECT_EQ(disk.stats().errors, 4u);
    EXPECT_EQ(disk.stats().in_flight, 0u);
}

TEST(BlockBuf, CountersTrackDepthAndBytes)
{
    FakeDisk disk(64);
    Buf a, b, c;
    bio_prepare(a, disk, 0, s_buffer, DEV_BSIZE, Buf::B_READ);
    bio_prepare(b, disk, 1, s_buffer, 2 * DEV_BSIZE, 0);
    bio_prepare(c, disk, 8, s_buffer, 4 * DEV_BSIZE, Buf::B_READ);
    submit(a);
    submit(b);
    submit(c);
    EXPECT_EQ(disk.stats().in_flight, 3u);
    disk.complete(1);  // out of order, as a disk may
    disk.complete_all();
    BlockStats s = disk.stats();
    EXPECT_EQ(s.in_flight, 0u);
    EXPECT_EQ(s.in_flight_max, 3u);
    EXPECT_EQ(s.reads, 2u);
    EXPECT_EQ(s.writes, 1u);
    EXPECT_EQ(s.bytes_read, 5 * DEV_BSIZE);
    EXPECT_EQ(s.bytes_written, 2 * DEV_BSIZE);
    EXPECT_FALSE(biowait(a).is_error() || biowait(b).is_error() || biowait(c).is_error());
}
