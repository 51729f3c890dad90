// fs/pipe/fifo_ends.cpp -- counting a pipe's ends, and fifo(7)'s open rules (see fifo_ends.h).
#include <fs/pipe/fifo_ends.h>
#include <kernel/base/lib/assert.h>

namespace fs {

void FifoEnds::add(u32 mode)
{
    if (mode != O_WRONLY) {
        ++m_readers;
        ++m_reader_opens;
    }
    if (mode != O_RDONLY) {
        ++m_writers;
        ++m_writer_opens;
    }
}

void FifoEnds::remove(u32 mode)
{
    if (mode != O_WRONLY) {
        KASSERT(m_readers > 0);
        --m_readers;
    }
    if (mode != O_RDONLY) {
        KASSERT(m_writers > 0);
        --m_writers;
    }
}

ErrorOr<FifoEnds::Ticket> FifoEnds::begin_open(u32 flags)
{
    u32 mode = flags & O_ACCMODE;
    bool nonblock = flags & O_NONBLOCK;
    if (mode == O_WRONLY && nonblock && m_readers == 0)
        return Errno::ENXIO;
    Ticket ticket{mode, false, 0};
    if (mode == O_RDONLY && !nonblock && m_writers == 0)
        ticket = {mode, true, m_writer_opens};
    if (mode == O_WRONLY && m_readers == 0)
        ticket = {mode, true, m_reader_opens};
    add(mode);
    return ticket;
}

bool FifoEnds::must_wait(const Ticket& ticket) const
{
    if (!ticket.wait)
        return false;
    u64 partner = ticket.mode == O_RDONLY ? m_writer_opens : m_reader_opens;
    return partner == ticket.partner_opens;
}

} // namespace fs
