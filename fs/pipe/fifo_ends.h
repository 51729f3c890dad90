// fs/pipe/fifo_ends.h -- FifoEnds: who has a pipe open, and fifo(7)'s rules for opening one.
//
// A pipe counts its ends: readers (Files open for reading) and writers
// (open for writing); an O_RDWR File is both. Reads see end of file when
// no writer is left, writes fail with EPIPE when no reader is.
//
// An anonymous pipe's two Files are made together (pipe(2)), so there is
// nothing to decide. A named FIFO is opened by path, one end at a time, and
// open(2) follows these rules (fifo(7), Linux fs/pipe.c:fifo_open):
//
//   O_RDONLY             wait until a writer has opened
//   O_RDONLY|O_NONBLOCK  go on at once (reads see end of file until a
//                        writer comes)
//   O_WRONLY             wait until a reader has opened
//   O_WRONLY|O_NONBLOCK  ENXIO if no reader has it open, else go on
//   O_RDWR               go on at once: the opener is its own partner
//
// "Until a writer has opened", not "until there is a writer": a writer that
// opens and closes again before the waiting reader runs must still release
// it (the reader then reads end of file). So besides the counts there are
// two counters that only grow, reader_opens and writer_opens (Linux's
// r_counter and w_counter). A waiting opener keeps, in its Ticket, the
// value its partner's counter had when it started, and waits until it
// moves.
//
// Pure code, no lock and no waiting: fs/pipe/pipe.cpp calls it under
// Pipe::m_lock and sleeps in between. Tested on the host
// (tests/host/fs/pipe/fifo_ends_test.cpp).
#pragma once

#include <fs/vfs/types.h>

namespace fs {

class FifoEnds {
public:
    u32 readers() const { return m_readers; }
    u32 writers() const { return m_writers; }
    // Has any writer ever opened this pipe? (Pipe::poll holds POLLHUP back
    // until one has.)
    bool writer_has_opened() const { return m_writer_opens > 0; }

    // Count one File with access mode `mode` (O_RDONLY, O_WRONLY, O_RDWR).
    void add(u32 mode);
    // Uncount one: its last reference went, or its open was given up.
    // => it was counted.
    void remove(u32 mode);

    // Opening a named FIFO:
    //   begin_open(flags)  fails with ENXIO (O_WRONLY|O_NONBLOCK, no reader;
    //                      nothing counted); else counts the end and gives a
    //                      Ticket;
    //   must_wait(ticket)  true while the opener has to wait for a partner
    //                      (never for O_RDWR or O_NONBLOCK);
    //   remove(ticket.mode)  if the opener gives up (a signal: EINTR).
    struct Ticket {
        u32 mode;
        bool wait;           // a partner is needed
        u64 partner_opens;   // its counter when this open began
    };
    ErrorOr<Ticket> begin_open(u32 flags);
    bool must_wait(const Ticket& ticket) const;

private:
    u32 m_readers = 0;
    u32 m_writers = 0;
    u64 m_reader_opens = 0;
    u64 m_writer_opens = 0;
};

} // namespace fs
