// fs/pipe/pipe_ring.h -- PipeRing: the byte ring inside a pipe, without locks or waiting.
//
// A pipe's data is a ring buffer of CAPACITY bytes (a power of two) and two
// free-running 64-bit counters: m_written (bytes ever put in) and m_read
// (bytes ever taken out). used = m_written - m_read; a byte's slot is its
// counter modulo the capacity, so the counters never need resetting and
// "full" and "empty" are never confused.
//
// The copies to and from user memory happen *outside* the pipe's lock (a
// copy may fault and sleep), so the ring hands out spans instead of copying:
//
//   writer: room() under the lock -> write_spans(k) -> unlock -> copy into
//           the spans -> lock -> commit_write(k)
//   reader: used() under the lock -> read_spans(k) -> unlock -> copy out of
//           the spans -> lock -> consume(k)
//
// While a writer copies, the bytes it fills lie past m_written, where no
// reader looks; while a reader copies, its bytes lie before m_read + k,
// where no writer writes (they are not free until consume). fs/pipe/pipe.cpp
// lets one reader and one writer copy at a time. A span pair has two parts
// when the range wraps around the end of the storage.
//
// Pure code: tested on the host (tests/host/fs/pipe/pipe_ring_test.cpp).
#pragma once

#include <kernel/base/lib/assert.h>
#include <kernel/base/lib/types.h>

namespace fs {

class PipeRing {
public:
    struct Span {
        u8* data;
        size_t length;
    };
    // At most two pieces, in order; the second may be empty.
    struct Spans {
        Span part[2];
        size_t total() const { return part[0].length + part[1].length; }
    };

    // => capacity a power of two; `storage` lives as long as the ring.
    PipeRing(u8* storage, size_t capacity);

    size_t capacity() const { return m_capacity; }
    size_t used() const { return size_t(m_written - m_read); }
    size_t room() const { return m_capacity - used(); }

    // Where the next `n` bytes go (n <= room()); commit_write(n) publishes them.
    Spans write_spans(size_t n) const { return spans_at(m_written, n); }
    void commit_write(size_t n);
    // Where the oldest `n` bytes are (n <= used()); consume(n) frees them.
    Spans read_spans(size_t n) const { return spans_at(m_read, n); }
    void consume(size_t n);

private:
    Spans spans_at(u64 position, size_t n) const;

    u8* m_storage;
    size_t m_capacity;
    u64 m_written = 0;
    u64 m_read = 0;
};

} // namespace fs
