// tests/host/fs/pipe/fifo_ends_test.cpp -- the ends of a pipe and fifo(7)'s open rules.
#include <fs/pipe/fifo_ends.h>

using fs::Errno;
using fs::FifoEnds;
using fs::O_NONBLOCK;
using fs::O_RDONLY;
using fs::O_RDWR;
using fs::O_WRONLY;

TEST(FifoEnds, AddAndRemoveCountBothEndsOfRdwr)
{
    FifoEnds ends;
    ends.add(O_RDONLY);
    ends.add(O_WRONLY);
    ends.add(O_RDWR);
    EXPECT_EQ(ends.readers(), 2u);
    EXPECT_EQ(ends.writers(), 2u);
    ends.remove(O_RDWR);
    ends.remove(O_RDONLY);
    EXPECT_EQ(ends.readers(), 0u);
    EXPECT_EQ(ends.writers(), 1u);
}

TEST(FifoEnds, ReaderWaitsUntilAWriterOpens)
{
    FifoEnds ends;
    auto reader = MUST(ends.begin_open(O_RDONLY));
    EXPECT_EQ(ends.readers(), 1u);  // counted while it waits
    EXPECT_TRUE(ends.must_wait(reader));
    auto writer = MUST(ends.begin_open(O_WRONLY));
    EXPECT_FALSE(ends.must_wait(writer));  // a reader is there
    EXPECT_FALSE(ends.must_wait(reader));
}

TEST(FifoEnds, WriterWaitsUntilAReaderOpens)
{
    FifoEnds ends;
    auto writer = MUST(ends.begin_open(O_WRONLY));
    EXPECT_TRUE(ends.must_wait(writer));
    MUST(ends.begin_open(O_RDONLY | O_NONBLOCK));
    EXPECT_FALSE(ends.must_wait(writer));
}

TEST(FifoEnds, PartnerThatCameAndWentStillReleases)
{
    FifoEnds ends;
    auto reader = MUST(ends.begin_open(O_RDONLY));
    auto writer = MUST(ends.begin_open(O_WRONLY));
    ends.remove(writer.mode);  // gone before the reader looked again
    EXPECT_EQ(ends.writers(), 0u);
    EXPECT_FALSE(ends.must_wait(reader));
}

TEST(FifoEnds, NonblockingReaderAndRdwrNeverWait)
{
    FifoEnds ends;
    EXPECT_FALSE(ends.must_wait(MUST(ends.begin_open(O_RDONLY | O_NONBLOCK))));
    FifoEnds other;
    EXPECT_FALSE(other.must_wait(MUST(other.begin_open(O_RDWR))));
    EXPECT_EQ(other.readers(), 1u);
    EXPECT_EQ(other.writers(), 1u);
}

TEST(FifoEnds, NonblockingWriterWithoutReaderIsEnxio)
{
    FifoEnds ends;
    auto r = ends.begin_open(O_WRONLY | O_NONBLOCK);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error(), Errno::ENXIO);
    EXPECT_EQ(ends.writers(), 0u);  // nothing counted
    MUST(ends.begin_open(O_RDONLY | O_NONBLOCK));
    EXPECT_FALSE(ends.must_wait(MUST(ends.begin_open(O_WRONLY | O_NONBLOCK))));
    EXPECT_EQ(ends.writers(), 1u);
}

TEST(FifoEnds, GivingUpUncounts)
{
    FifoEnds ends;
    auto writer = MUST(ends.begin_open(O_WRONLY));
    ASSERT_TRUE(ends.must_wait(writer));
    ends.remove(writer.mode);  // interrupted by a signal
    EXPECT_EQ(ends.writers(), 0u);
    // A later reader must not think a writer is there.
    EXPECT_TRUE(ends.must_wait(MUST(ends.begin_open(O_RDONLY))));
}

TEST(FifoEnds, SecondReaderDoesNotWaitWhileAWriterIsOpen)
{
    FifoEnds ends;
    MUST(ends.begin_open(O_RDWR));
    EXPECT_FALSE(ends.must_wait(MUST(ends.begin_open(O_RDONLY))));
    EXPECT_FALSE(ends.must_wait(MUST(ends.begin_open(O_WRONLY))));
}
