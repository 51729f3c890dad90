// fs/pipe/pipe.cpp -- the pipe vnode: waiting, counting the ends, copying outside the lock; named FIFOs.
//
// State (all guarded by m_lock, a SpinLock, and waited on in m_waiters):
//
//   m_ring           the bytes (fs/pipe/pipe_ring.h) in a 64 KiB kmalloc'd
//                    buffer (16 pages), allocated with the pipe and freed
//                    with it in inactive();
//   m_ends           how many Files are open for reading / writing (the
//                    open/close hooks; fork and dup share Files and do not
//                    count), and fifo(7)'s open rules (fs/pipe/fifo_ends.h);
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
// Named FIFOs. A FIFO node (mknod S_IFIFO, in tmpfs) holds no data; every
// open of it joins one Pipe, the node's *attached* pipe, and the File is put
// on that Pipe (as a device node's File is put on the driver). The
// attachments are a list of named Pipes, s_named, under s_fifo_lock; a
// named Pipe keeps its node in m_node (referenced, so an unlinked node
// lives on while it is open) and counts its users in m_users: Files on it
// plus opens under way. The list holds the Pipe while m_users > 0:
//
//   open_fifo(node)   attach: find the node's Pipe, or make one and
//                     attach it; ++m_users and a reference for the opener
//                     -> File::create -> Pipe::open: fifo(7)'s rules, which
//                     may wait for the other end (interruptibly)
//                     -> on failure drop_user()
//   File's last unref -> Pipe::close -> drop_user(): the last user takes
//                     the Pipe off the list; the next open makes a fresh
//                     one, and this one goes, its bytes with it, when its
//                     last reference does (Linux: put_pipe_info).
//
// A Pipe on the list has m_users > 0, so a File or an opener holds a
// reference to it: attach's ref() never brings a Pipe back from zero.
// s_fifo_lock and Pipe::m_lock are never held together. Lock order:
// docs/locking.md.
// A named Pipe's fstat is its node's (ino, mode, links), as in Linux.
//
// Read more: pipe(7), fifo(7); Linux fs/pipe.c (pipe_read, pipe_write,
// pipe_poll, fifo_open); xv6 pipe.c (piperead, pipewrite: the same loop,
// smaller).
#include <fs/pipe/fifo_ends.h>
#include <fs/pipe/pipe.h>
#include <fs/pipe/pipe_ring.h>
#include <fs/vfs/poll.h>
#include <kernel/base/abi/linux/ioctls.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/spinlock.h>

namespace fs {

namespace {

using uapi::FIONREAD;  // kernel/base/abi/linux/ioctls.h

u64 next_pipe_ino()
{
    static u64 s_next = 0;
    return __atomic_add_fetch(&s_next, 1, __ATOMIC_RELAXED);
}

class Pipe final : public Vnode {
public:
    // A pipe with no ends open yet and no references. Returns nullptr (no memory).
    static Pipe* create();
    // The pipe attached to FIFO node `node` (attaching a new one if it has
    // none), with one more user and one reference for the caller. Errors: ENOMEM.
    static ErrorOr<Pipe*> attach(Vnode& node);
    // A user of a named pipe is gone (its File closed, or its open failed).
    void drop_user();

    bool is_stream() const override { return true; }
    ErrorOr<size_t> stream_read(const IoBuffer& buf, size_t n, u32 file_flags) override;
    ErrorOr<size_t> stream_write(const IoBuffer& buf, size_t n, u32 file_flags) override;
    ErrorOr<void> open(u32 file_flags) override;
    void close(u32 file_flags) override;
    ErrorOr<u64> ioctl(u32 request, uptr arg) override;
    u32 poll(u32 events) override;
    ErrorOr<VAttr> getattr() override;
    ErrorOr<void> setattr(const VAttr& attr, u32 mask) override;

    kern::ListNode m_named_link;  // on s_named; under s_fifo_lock

protected:
    void inactive() override { delete this; }

private:
    Pipe(u8* storage)
        : Vnode(VType::Fifo, nullptr), m_storage(storage), m_ring(storage, PIPE_CAPACITY),
          m_ino(next_pipe_ino()), m_created(current_time())
    {
    }
    ~Pipe() override
    {
        kern::kfree(m_storage);
        if (m_node)
            m_node->unref();
    }

    // => m_lock held. Wait until a read may take bytes (returns true) or the
    // pipe is at end of file (returns false). Errors: EAGAIN, EINTR.
    ErrorOr<bool> wait_to_read_locked(u32 file_flags);
    // => m_lock held. Wait until a write of `want` more bytes (`done` so
    // far) may put some in. Returns how many it may put in now. Errors:
    // EPIPE, EAGAIN, EINTR.
    ErrorOr<size_t> wait_to_write_locked(size_t want, size_t done, u32 file_flags);
    // A turn ended (bytes moved, or an end opened or closed): wake everyone.
    void changed_locked() { m_waiters.wake_all(); }
    // fifo(7)'s open: count the end, then wait for a partner if the rules
    // say so. Errors: ENXIO, EINTR (nothing counted then).
    ErrorOr<void> open_named(u32 file_flags);

    u8* m_storage;
    kern::SpinLock m_lock;
    kern::WaitQueue m_waiters;  // readers and writers; under m_lock
    // ---- m_lock ----
    PipeRing m_ring;
    FifoEnds m_ends;
    bool m_reading = false;
    bool m_writing = false;
    // ---- s_fifo_lock ----
    u32 m_users = 0;  // named pipes: Files on it plus opens under way
    // ---- constant (m_node: from attach on) ----
    Vnode* m_node = nullptr;  // the FIFO node it serves (referenced), or none
    u64 m_ino;
    Timespec m_created;
};

// The named pipes, each attached to its FIFO node (see the top of the file).
kern::SpinLock s_fifo_lock;
kern::IntrusiveList<Pipe, &Pipe::m_named_link> s_named;  // under s_fifo_lock

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
        if (!m_reading && m_ends.writers() == 0)
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
        if (m_ends.readers() == 0)
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
    if (m_node)
        return open_named(file_flags);
    kern::SpinGuard guard(m_lock);  // pipe(2): both ends at once, no rules
    m_ends.add(file_flags & O_ACCMODE);
    return {};
}

ErrorOr<void> Pipe::open_named(u32 file_flags)
{
    ErrorOr<void> result;
    {
        kern::SpinGuard guard(m_lock);
        auto ticket = TRY(m_ends.begin_open(file_flags));
        changed_locked();  // an opener waiting for this end may go on now
        while (m_ends.must_wait(ticket)) {
            if (m_waiters.wait_interruptible(m_lock) == kern::WaitQueue::Result::Interrupted) {
                m_ends.remove(ticket.mode);
                changed_locked();
                result = Errno::EINTR;
                break;
            }
        }
    }
    poll_notify();  // POLLHUP / POLLERR may have changed
    return result;
}

void Pipe::close(u32 file_flags)
{
    {
        kern::SpinGuard guard(m_lock);
        m_ends.remove(file_flags & O_ACCMODE);
        changed_locked();  // readers may see EOF now, writers EPIPE
    }
    poll_notify();
    if (m_node)
        drop_user();
}

// ---- named FIFOs: attaching a pipe to its node ----

ErrorOr<Pipe*> Pipe::attach(Vnode& node)
{
    Pipe* fresh = nullptr;  // made outside the lock, in case none is attached
    Pipe* found = nullptr;
    while (!found) {
        {
            kern::SpinGuard guard(s_fifo_lock);
            for (Pipe& pipe : s_named) {
                if (pipe.m_node == &node) {
                    found = &pipe;
                    break;
                }
            }
            if (!found && fresh) {
                node.ref();
                fresh->m_node = &node;
                s_named.push_back(*fresh);
                found = fresh;
                fresh = nullptr;
            }
            if (found) {
                ++found->m_users;
                found->ref();  // a found one from >= 1: see the top of the file
            }
        }
        if (!found) {
            fresh = create();
            if (!fresh)
                return Errno::ENOMEM;
        }
    }
    delete fresh;  // another opener attached one first (or nullptr)
    return found;
}

void Pipe::drop_user()
{
    kern::SpinGuard guard(s_fifo_lock);
    KASSERT(m_users > 0);
    if (--m_users == 0)
        s_named.remove(*this);  // the next open makes a fresh pipe
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

// POLLHUP means "the writers have come and gone": a FIFO reader that
// opened with O_NONBLOCK before any writer sees no POLLHUP (and so no
// readable descriptor) until a writer has opened and closed again, as
// Linux. Linux keeps, per File, the writer count it saw at open
// (pipe_poll compares filp->f_pipe with pipe->w_counter); Vnode::poll is
// not told which File asks, so we keep one fact per pipe: has any writer
// opened it? The same answer, except for a second reader that opens with
// O_NONBLOCK after a writer came and went while the pipe stayed open
// (another File kept it): it sees POLLHUP at once, Linux only after the
// next writer. (An anonymous pipe always has had its writer.)
u32 Pipe::poll(u32 events)
{
    kern::SpinGuard guard(m_lock);
    u32 ready = 0;
    if (m_ring.used() > 0)
        ready |= POLLIN | POLLRDNORM;
    if (m_ring.room() >= PIPE_BUF)
        ready |= POLLOUT | POLLWRNORM;
    if (m_ends.writers() == 0 && m_ends.writer_has_opened())
        ready |= POLLHUP;  // seen by the read end: the writers are gone
    if (m_ends.readers() == 0)
        ready |= POLLERR;  // seen by the write end: a write would be EPIPE
    return ready & (events | POLLHUP | POLLERR);
}

ErrorOr<VAttr> Pipe::getattr()
{
    if (m_node)
        return m_node->getattr();  // fstat on a FIFO shows the node, as Linux
    VAttr attr;
    attr.type = VType::Fifo;
    attr.mode = 0600;
    attr.nlink = 1;
    attr.ino = m_ino;
    attr.blksize = PAGE_SIZE;
    attr.atime = attr.mtime = attr.ctime = attr.btime = m_created;
    return attr;
}

// fchmod and friends change a FIFO's node; on an anonymous pipe they are
// accepted and forgotten. A pipe has no size to set.
ErrorOr<void> Pipe::setattr(const VAttr& attr, u32 mask)
{
    if (mask & SETATTR_SIZE)
        return Errno::EINVAL;
    if (m_node)
        return m_node->setattr(attr, mask);
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

ErrorOr<File*> open_fifo(Vnode& node, u32 flags)
{
    KASSERT(node.type() == VType::Fifo);
    Pipe* pipe = TRY(Pipe::attach(node));
    auto file = File::create(*pipe, flags);  // Pipe::open: may wait for the other end
    if (file.is_error())
        pipe->drop_user();
    pipe->unref();  // the File holds its own
    return file;
}

} // namespace fs
