// fs/pipe/pipe.cpp -- the pipe vnode: waiting, counting the ends, copying outside the lock.
//
// State (all guarded by m_lock, a SpinLock, and waited on in m_waiters):
//
//   m_ring           the bytes (fs/pipe/pipe_ring.h) in a 64 KiB kmalloc'd
//                    buffer (16 pages), allocated with the pipe and freed
//                    with it in inactive();
//   m_readers,       how many Files are open for reading / writing (the
//   m_writers        open/close hooks; fork and dup share Files and do not
//                    count);
//   m_reading,       a reader / a writer is copying between the ring and
//   m_writing        user memory right now, with m_lock released.
//
// Why the two flags. Copying to or from user memory may fault, and the
// fault handler may sleep, so the copy cannot happen under a SpinLock. So a
// read is: lock, wait until there is data and no other reader is copying,
// mark m_reading, note the spans, unlock, copy, lock, consume, clear
// m_reading, wake everyone. A write is the same with m_writing and room.
// One reader and one writer may copy at the same time (their bytes never
// overlap: see pipe_ring.h); two readers, or two writers, take turns, which
// is what keeps a write of at most PIPE_BUF bytes in one piece: it waits
// for room for all of it and copies it in one turn. A larger write goes in
// as many turns as it needs, and another writer's bytes may come between
// them (POSIX allows exactly that). (Linux holds pipe->mutex over the copy
// instead; our Mutex cannot be waited on interruptibly.)
//
// A failed copy (EFAULT) moves nothing: the reader leaves the bytes in the
// pipe, the writer publishes none of the chunk.
//
// Wakeups: one queue for readers and writers; every change (bytes in,
// bytes out, a turn ended, an end closed) wakes all of them and calls
// fs::poll_notify() for poll/select. Waits are wait_interruptible: EINTR,
// or the count moved so far when some bytes were.
//
// Read more: pipe(7); Linux fs/pipe.c (pipe_read, pipe_write, pipe_poll);
// xv6 pipe.c (piperead, pipewrite: the same loop, smaller).
#include <fs/pipe/pipe.h>
#include <fs/pipe/pipe_ring.h>
#include <fs/vfs/poll.h>
#include <kernel/heap/heap.h>
#include <kernel/sched/wait_queue.h>
#include <kernel/sync/spinlock.h>

namespace fs {

namespace {

constexpr u32 FIONREAD = 0x541b;

u64 next_pipe_ino()
{
    static u64 s_next = 0;
    return __atomic_add_fetch(&s_next, 1, __ATOMIC_RELAXED);
}

class Pipe final : public Vnode {
public:
    // A pipe with no ends open yet and no references. => nullptr (no memory).
    static Pipe* create();

    bool is_stream() const override { return true; }
    ErrorOr<size_t> stream_read(const IoBuffer& buf, size_t n, u32 file_flags) override;
    ErrorOr<size_t> stream_write(const IoBuffer& buf, size_t n, u32 file_flags) override;
    ErrorOr<void> open(u32 file_flags) override;
    void close(u32 file_flags) override;
    ErrorOr<u64> ioctl(u32 request, uptr arg) override;
    u32 poll(u32 events) override;
    ErrorOr<VAttr> getattr() override;
    ErrorOr<void> setattr(const VAttr& attr, u32 mask) override;

protected:
    void inactive() override { delete this; }

private:
    Pipe(u8* storage)
        : Vnode(VType::Fifo, nullptr), m_storage(storage), m_ring(storage, PIPE_CAPACITY),
          m_ino(next_pipe_ino()), m_created(current_time())
    {
    }
    ~Pipe() override { kern::kfree(m_storage); }

    // => m_lock held. Wait until a read may take bytes (=> true) or the
    // pipe is at end of file (=> false). EAGAIN, EINTR.
    ErrorOr<bool> wait_to_read_locked(u32 file_flags);
    // => m_lock held. Wait until a write of `want` more bytes (`done` so
    // far) may put some in. => how many it may put in now. EPIPE, EAGAIN,
    // EINTR.
    ErrorOr<size_t> wait_to_write_locked(size_t want, size_t done, u32 file_flags);
    // A turn ended (bytes moved, or an end opened or closed): wake everyone.
    void changed_locked() { m_waiters.wake_all(); }

    u8* m_storage;
    kern::SpinLock m_lock;
    kern::WaitQueue m_waiters;  // readers and writers; under m_lock
    // ---- m_lock ----
    PipeRing m_ring;
    u32 m_readers = 0;
    u32 m_writers = 0;
    bool m_reading = false;
    bool m_writing = false;
    // ---- constant ----
    u64 m_ino;
    Timespec m_created;
};

Pipe* Pipe::create()
{
    auto* storage = static_cast<u8*>(kern::kmalloc(PIPE_CAPACITY));
    if (!storage)
        return nullptr;
    auto* pipe = new (std::nothrow) Pipe(storage);
    if (!pipe)
        kern::kfree(storage);
    return pipe;
}

// Copy between an IoBuffer (at `offset`) and the ring's spans.
ErrorOr<void> copy_out(const IoBuffer& buf, const PipeRing::Spans& s)
{
    TRY(buf.write_from(0, s.part[0].data, s.part[0].length));
    if (s.part[1].length)
        TRY(buf.write_from(s.part[0].length, s.part[1].data, s.part[1].length));
    return {};
}

ErrorOr<void> copy_in(const PipeRing::Spans& s, const IoBuffer& buf, size_t offset)
{
    TRY(buf.read_into(s.part[0].data, offset, s.part[0].length));
    if (s.part[1].length)
        TRY(buf.read_into(s.part[1].data, offset + s.part[0].length, s.part[1].length));
    return {};
}

// ---- reading ----

ErrorOr<bool> Pipe::wait_to_read_locked(u32 file_flags)
{
    for (;;) {
        if (!m_reading && m_ring.used() > 0)
            return true;
        if (!m_reading && m_writers == 0)
            return false;
        // Another reader copying is a short wait, taken even with O_NONBLOCK.
        if ((file_flags & O_NONBLOCK) && !m_reading)
            return Errno::EAGAIN;
        if (m_waiters.wait_interruptible(m_lock) == kern::WaitQueue::Result::Interrupted)
            return Errno::EINTR;
    }
}

ErrorOr<size_t> Pipe::stream_read(const IoBuffer& buf, size_t n, u32 file_flags)
{
    if (n == 0)
        return size_t(0);
    PipeRing::Spans spans;
    {
        kern::SpinGuard guard(m_lock);
        if (!TRY(wait_to_read_locked(file_flags)))
            return size_t(0);  // end of file: empty, no writers
        spans = m_ring.read_spans(min(n, m_ring.used()));
        m_reading = true;
    }
    auto copied = copy_out(buf, spans);  // may fault and sleep: unlocked
    {
        kern::SpinGuard guard(m_lock);
        if (!copied.is_error())
            m_ring.consume(spans.total());
        m_reading = false;
        changed_locked();
    }
    poll_notify();
    if (copied.is_error())
        return copied.error();
    return spans.total();
}

// ---- writing ----

ErrorOr<size_t> Pipe::wait_to_write_locked(size_t want, size_t done, u32 file_flags)
{
    // POSIX: a write of at most PIPE_BUF bytes goes in whole or not at all.
    size_t need = done == 0 && want <= PIPE_BUF ? want : 1;
    for (;;) {
        if (m_readers == 0)
            return Errno::EPIPE;
        if (!m_writing && m_ring.room() >= need)
            return min(want, m_ring.room());
        if ((file_flags & O_NONBLOCK) && !m_writing)
            return Errno::EAGAIN;
        if (m_waiters.wait_interruptible(m_lock) == kern::WaitQueue::Result::Interrupted)
            return Errno::EINTR;
    }
}

ErrorOr<size_t> Pipe::stream_write(const IoBuffer& buf, size_t n, u32 file_flags)
{
    size_t done = 0;
    while (done < n) {
        PipeRing::Spans spans;
        {
            kern::SpinGuard guard(m_lock);
            auto room = wait_to_write_locked(n - done, done, file_flags);
            if (room.is_error())
                return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(room.error());
            spans = m_ring.write_spans(room.value());
            m_writing = true;
        }
        auto copied = copy_in(spans, buf, done);  // may fault and sleep: unlocked
        {
            kern::SpinGuard guard(m_lock);
            if (!copied.is_error())
                m_ring.commit_write(spans.total());
            m_writing = false;
            changed_locked();
        }
        poll_notify();
        if (copied.is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(copied.error());
        done += spans.total();
    }
    return done;
}

// ---- the ends ----

ErrorOr<void> Pipe::open(u32 file_flags)
{
    kern::SpinGuard guard(m_lock);
    u32 mode = file_flags & O_ACCMODE;
    if (mode != O_WRONLY)
        ++m_readers;
    if (mode != O_RDONLY)
        ++m_writers;
    return {};
}

void Pipe::close(u32 file_flags)
{
    {
        kern::SpinGuard guard(m_lock);
        u32 mode = file_flags & O_ACCMODE;
        if (mode != O_WRONLY) {
            KASSERT(m_readers > 0);
            --m_readers;
        }
        if (mode != O_RDONLY) {
            KASSERT(m_writers > 0);
            --m_writers;
        }
        changed_locked();  // readers may see EOF now, writers EPIPE
    }
    poll_notify();
}

// ---- the rest ----

ErrorOr<u64> Pipe::ioctl(u32 request, uptr arg)
{
    if (request != FIONREAD)
        return Errno::ENOTTY;
    int waiting;
    {
        kern::SpinGuard guard(m_lock);
        waiting = int(m_ring.used());
    }
    IoBuffer out = IoBuffer::user(arg);
    TRY(out.write_from(0, &waiting, sizeof waiting));
    return u64(0);
}

u32 Pipe::poll(u32 events)
{
    kern::SpinGuard guard(m_lock);
    u32 ready = 0;
    if (m_ring.used() > 0)
        ready |= POLLIN | POLLRDNORM;
    if (m_ring.room() >= PIPE_BUF)
        ready |= POLLOUT | POLLWRNORM;
    if (m_writers == 0)
        ready |= POLLHUP;  // seen by the read end: the writers are gone
    if (m_readers == 0)
        ready |= POLLERR;  // seen by the write end: a write would be EPIPE
    return ready & (events | POLLHUP | POLLERR);
}

ErrorOr<VAttr> Pipe::getattr()
{
    VAttr attr;
    attr.type = VType::Fifo;
    attr.mode = 0600;
    attr.nlink = 1;
    attr.ino = m_ino;
    attr.blksize = PAGE_SIZE;
    attr.atime = attr.mtime = attr.ctime = attr.btime = m_created;
    return attr;
}

// fchmod and friends are accepted and forgotten; a pipe has no size to set.
ErrorOr<void> Pipe::setattr(const VAttr&, u32 mask)
{
    if (mask & SETATTR_SIZE)
        return Errno::EINVAL;
    return {};
}

} // namespace

ErrorOr<void> create_pipe(u32 status_flags, File*& read_end, File*& write_end)
{
    Pipe* pipe = Pipe::create();
    if (!pipe)
        return Errno::ENOMEM;
    pipe->ref();  // ours, until both Files hold theirs
    u32 extra = status_flags & O_NONBLOCK;
    auto reader = File::create(*pipe, O_RDONLY | extra);
    if (reader.is_error()) {
        pipe->unref();  // frees it
        return reader.error();
    }
    auto writer = File::create(*pipe, O_WRONLY | extra);
    if (writer.is_error()) {
        reader.value()->unref();
        pipe->unref();
        return writer.error();
    }
    pipe->unref();  // the Files keep it now
    read_end = reader.value();
    write_end = writer.value();
    return {};
}

} // namespace fs
