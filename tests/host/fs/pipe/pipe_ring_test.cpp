// tests/host/fs/pipe/pipe_ring_test.cpp -- the spans of a pipe's ring buffer.
#include <fs/pipe/pipe_ring.h>

#include <string>
#include <vector>

using fs::PipeRing;

namespace {

// Copy `data` into the ring through write_spans, as a writer does.
void put(PipeRing& ring, const std::string& data)
{
    PipeRing::Spans s = ring.write_spans(data.size());
    ASSERT_EQ(s.total(), data.size());
    memcpy(s.part[0].data, data.data(), s.part[0].length);
    memcpy(s.part[1].data, data.data() + s.part[0].length, s.part[1].length);
    ring.commit_write(data.size());
}

std::string take(PipeRing& ring, size_t n)
{
    PipeRing::Spans s = ring.read_spans(n);
    std::string out(reinterpret_cast<char*>(s.part[0].data), s.part[0].length);
    out.append(reinterpret_cast<char*>(s.part[1].data), s.part[1].length);
    ring.consume(n);
    return out;
}

} // namespace

TEST(PipeRing, StartsEmpty)
{
    std::vector<u8> storage(16);
    PipeRing ring(storage.data(), storage.size());
    EXPECT_EQ(ring.used(), 0u);
    EXPECT_EQ(ring.room(), 16u);
    EXPECT_EQ(ring.capacity(), 16u);
}

TEST(PipeRing, BytesComeOutInOrder)
{
    std::vector<u8> storage(16);
    PipeRing ring(storage.data(), storage.size());
    put(ring, "hello");
    EXPECT_EQ(ring.used(), 5u);
    EXPECT_EQ(ring.room(), 11u);
    EXPECT_EQ(take(ring, 2), "he");
    EXPECT_EQ(take(ring, 3), "llo");
    EXPECT_EQ(ring.used(), 0u);
}

TEST(PipeRing, SpansSplitAtTheEndOfTheStorage)
{
    std::vector<u8> storage(8);
    PipeRing ring(storage.data(), storage.size());
    put(ring, "abcdef");
    EXPECT_EQ(take(ring, 6), "abcdef");
    PipeRing::Spans s = ring.write_spans(5);  // positions 6, 7, then 0, 1, 2
    EXPECT_EQ(s.part[0].data, storage.data() + 6);
    EXPECT_EQ(s.part[0].length, 2u);
    EXPECT_EQ(s.part[1].data, storage.data());
    EXPECT_EQ(s.part[1].length, 3u);
    put(ring, "ghijk");
    EXPECT_EQ(take(ring, 5), "ghijk");
}

TEST(PipeRing, FillsToCapacity)
{
    std::vector<u8> storage(8);
    PipeRing ring(storage.data(), storage.size());
    put(ring, "12345678");
    EXPECT_EQ(ring.room(), 0u);
    EXPECT_EQ(ring.used(), 8u);
    EXPECT_EQ(take(ring, 8), "12345678");
}

TEST(PipeRing, UncommittedBytesAreInvisible)
{
    // A writer copying into its spans, unlocked: readers see nothing yet.
    std::vector<u8> storage(8);
    PipeRing ring(storage.data(), storage.size());
    put(ring, "ab");
    PipeRing::Spans s = ring.write_spans(3);
    memcpy(s.part[0].data, "xyz", 3);
    EXPECT_EQ(ring.used(), 2u);
    EXPECT_EQ(take(ring, 2), "ab");  // a reader takes the old bytes meanwhile
    ring.commit_write(3);
    EXPECT_EQ(take(ring, 3), "xyz");
}

TEST(PipeRing, ManyLapsKeepTheData)
{
    std::vector<u8> storage(64);
    PipeRing ring(storage.data(), storage.size());
    std::string expect;
    u64 moved = 0;
    for (int i = 0; i < 1000; ++i) {
        std::string chunk(size_t(i % 37 + 1), char('a' + i % 26));
        if (chunk.size() > ring.room())
            chunk.resize(ring.room());
        put(ring, chunk);
        expect += chunk;
        size_t n = std::min(ring.used(), size_t(i % 29 + 1));
        ASSERT_EQ(take(ring, n), expect.substr(0, n));
        expect.erase(0, n);
        moved += n;
    }
    EXPECT_GT(moved, 64u * 100);  // the counters went around many times
}
