// fs/pipe/pipe_ring.cpp -- the spans of a pipe's ring buffer (see pipe_ring.h).
#include <fs/pipe/pipe_ring.h>

namespace fs {

PipeRing::PipeRing(u8* storage, size_t capacity) : m_storage(storage), m_capacity(capacity)
{
    KASSERT(capacity > 0 && (capacity & (capacity - 1)) == 0);
}

PipeRing::Spans PipeRing::spans_at(u64 position, size_t n) const
{
    KASSERT(n <= m_capacity);
    size_t start = size_t(position & (m_capacity - 1));
    size_t first = min(n, m_capacity - start);
    Spans s;
    s.part[0] = {m_storage + start, first};
    s.part[1] = {m_storage, n - first};
    return s;
}

void PipeRing::commit_write(size_t n)
{
    KASSERT(n <= room());
    m_written += n;
}

void PipeRing::consume(size_t n)
{
    KASSERT(n <= used());
    m_read += n;
}

} // namespace fs
