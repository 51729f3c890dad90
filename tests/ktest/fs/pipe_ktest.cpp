// tests/ktest/fs/pipe_ktest.cpp -- pipes between kernel threads, and the memory devices (suites pipe, dev).
//
// The ring's arithmetic is tested on the host (tests/host/fs/pipe/); the
// user-visible calls in the guest (user/tests/pipe_test.c). Here: the Pipe
// vnode with real threads and the real allocator -- a reader blocked until
// a writer comes, a writer blocked until a reader makes room, end of file
// and EPIPE (also for a thread already waiting), atomic PIPE_BUF writes
// from two writers at once, poll bits and the poll generation, and the
// 16 pages of the buffer back when both ends are closed. The runner checks
// free pages and heap bytes around every case as well.
#include <fs/dev/devices.h>
#include <fs/pipe/pipe.h>
#include <fs/vfs/device.h>
#include <fs/vfs/poll.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/page/page_allocator.h>

using namespace fs;
using kern::Thread;

namespace {

constexpr u64 MS = 1000000;

struct Ends {
    File* reader;
    File* writer;
};

Ends make_pipe(u32 flags = 0)
{
    Ends e;
    MUST(create_pipe(flags, e.reader, e.writer));
    return e;
}

ErrorOr<size_t> put(File* f, const void* data, size_t n) { return f->write(IoBuffer::kernel(data), n); }
ErrorOr<size_t> get(File* f, void* data, size_t n) { return f->read(IoBuffer::kernel(data), n); }

Thread* start(const char* name, void (*fn)(void*), void* arg)
{
    Thread* t = MUST(Thread::create(name, fn, arg));
    t->start();
    return t;
}

// A thread's read or write, and when it ended.
struct Op {
    File* file;
    u8* buffer;
    size_t length;
    volatile bool finished = false;
    ErrorOr<size_t> result = Errno::EINVAL;
};

void read_op(void* arg)
{
    auto* op = static_cast<Op*>(arg);
    op->result = get(op->file, op->buffer, op->length);
    op->finished = true;
}

void write_op(void* arg)
{
    auto* op = static_cast<Op*>(arg);
    op->result = put(op->file, op->buffer, op->length);
    op->finished = true;
}

u8 s_big[PIPE_CAPACITY + PIPE_BUF];
u8 s_sink[PIPE_CAPACITY + PIPE_BUF];

size_t free_pages()
{
    kern::kernel_heap().shrink();
    return vm::page_allocator().stats().free;
}

} // namespace

KTEST(pipe, write_then_read)
{
    Ends p = make_pipe();
    char buf[16] = {};
    KEXPECT_EQ(MUST(put(p.writer, "hello", 5)), 5u);
    KEXPECT_EQ(MUST(get(p.reader, buf, sizeof buf)), 5u);
    KEXPECT(memcmp(buf, "hello", 5) == 0);
    KEXPECT_EQ(MUST(p.reader->stat()).type, VType::Fifo);
    KEXPECT(p.reader->lseek(0, SEEK_SET).is_error());  // ESPIPE
    KEXPECT(get(p.writer, buf, 1).is_error());          // EBADF: the wrong end
    p.reader->unref();
    p.writer->unref();
}

KTEST(pipe, reader_blocks_until_a_write)
{
    Ends p = make_pipe();
    u8 buf[8] = {};
    Op op{p.reader, buf, sizeof buf};
    Thread* t = start("pipe-reader", read_op, &op);
    kern::sleep_ns(20 * MS);
    KEXPECT(!op.finished);  // nothing to read yet: asleep
    KEXPECT_EQ(MUST(put(p.writer, "wake", 4)), 4u);
    t->join();
    KEXPECT(op.finished);
    KEXPECT_EQ(op.result.value(), 4u);
    KEXPECT(memcmp(buf, "wake", 4) == 0);
    p.reader->unref();
    p.writer->unref();
}

KTEST(pipe, writer_blocks_until_a_read)
{
    Ends p = make_pipe();
    Op op{p.writer, s_big, sizeof s_big};  // 4 KiB more than fits
    Thread* t = start("pipe-writer", write_op, &op);
    kern::sleep_ns(20 * MS);
    KEXPECT(!op.finished);
    size_t total = 0;
    while (total < sizeof s_big)
        total += MUST(get(p.reader, s_sink + total, sizeof s_sink - total));
    t->join();
    KEXPECT_EQ(op.result.value(), sizeof s_big);
    KEXPECT_EQ(total, sizeof s_big);
    p.reader->unref();
    p.writer->unref();
}

KTEST(pipe, end_of_file_when_the_writer_closes)
{
    Ends p = make_pipe();
    u8 buf[4];
    KEXPECT_EQ(MUST(put(p.writer, "ab", 2)), 2u);
    p.writer->unref();
    KEXPECT_EQ(MUST(get(p.reader, buf, sizeof buf)), 2u);
    KEXPECT_EQ(MUST(get(p.reader, buf, sizeof buf)), 0u);
    p.reader->unref();
}

KTEST(pipe, closing_the_writer_wakes_a_blocked_reader)
{
    Ends p = make_pipe();
    u8 buf[4];
    Op op{p.reader, buf, sizeof buf};
    Thread* t = start("pipe-reader", read_op, &op);
    kern::sleep_ns(20 * MS);
    KEXPECT(!op.finished);
    p.writer->unref();
    t->join();
    KEXPECT_EQ(op.result.value(), 0u);
    p.reader->unref();
}

KTEST(pipe, epipe_without_readers)
{
    Ends p = make_pipe();
    p.reader->unref();
    auto r = put(p.writer, "x", 1);
    KEXPECT(r.is_error() && r.error() == Errno::EPIPE);
    p.writer->unref();
}

KTEST(pipe, closing_the_reader_wakes_a_blocked_writer)
{
    Ends p = make_pipe();
    KEXPECT_EQ(MUST(put(p.writer, s_big, PIPE_CAPACITY)), PIPE_CAPACITY);
    Op op{p.writer, s_big, 10};
    Thread* t = start("pipe-writer", write_op, &op);
    kern::sleep_ns(20 * MS);
    KEXPECT(!op.finished);  // full: waiting for room
    p.reader->unref();
    t->join();
    KEXPECT(op.result.is_error() && op.result.error() == Errno::EPIPE);
    p.writer->unref();
}

KTEST(pipe, nonblocking_ends)
{
    Ends p = make_pipe(O_NONBLOCK);
    u8 buf[4];
    auto r = get(p.reader, buf, sizeof buf);
    KEXPECT(r.is_error() && r.error() == Errno::EAGAIN);
    KEXPECT_EQ(MUST(put(p.writer, s_big, sizeof s_big)), PIPE_CAPACITY);  // what fits
    auto w = put(p.writer, s_big, 1);
    KEXPECT(w.is_error() && w.error() == Errno::EAGAIN);
    p.reader->unref();
    p.writer->unref();
}

namespace {
struct Writer {
    File* file;
    u8 letter;
    int records;
};

void write_records(void* arg)
{
    auto* w = static_cast<Writer*>(arg);
    static u8 records[2][PIPE_BUF];
    u8* record = records[w->letter - 'a'];
    memset(record, w->letter, PIPE_BUF);
    for (int i = 0; i < w->records; ++i)
        MUST(put(w->file, record, PIPE_BUF));
}
} // namespace

// Two writers of PIPE_BUF-byte records: every record arrives whole.
KTEST(pipe, small_writes_are_atomic)
{
    Ends p = make_pipe();
    constexpr int RECORDS = 64;
    Writer a{p.writer, 'a', RECORDS}, b{p.writer, 'b', RECORDS};
    Thread* ta = start("pipe-a", write_records, &a);
    Thread* tb = start("pipe-b", write_records, &b);
    static u8 record[PIPE_BUF];
    int counts[2] = {};
    bool whole = true;
    for (int i = 0; i < 2 * RECORDS; ++i) {
        size_t got = 0;
        while (got < PIPE_BUF)  // reads may return less than asked
            got += MUST(get(p.reader, record + got, PIPE_BUF - got));
        for (size_t k = 1; k < PIPE_BUF; ++k)
            whole = whole && record[k] == record[0];
        if (record[0] == 'a' || record[0] == 'b')
            ++counts[record[0] - 'a'];
    }
    ta->join();
    tb->join();
    KEXPECT(whole);
    KEXPECT_EQ(counts[0], RECORDS);
    KEXPECT_EQ(counts[1], RECORDS);
    p.reader->unref();
    p.writer->unref();
}

KTEST(pipe, poll_bits_and_generation)
{
    Ends p = make_pipe();
    Vnode& v = p.reader->vnode();
    KEXPECT_EQ(v.poll(POLLIN | POLLOUT), u32(POLLOUT));
    u64 generation = poll_generation();
    MUST(put(p.writer, "x", 1));
    KEXPECT(poll_generation() != generation);  // pollers were told
    KEXPECT_EQ(v.poll(POLLIN | POLLOUT), u32(POLLIN | POLLOUT));
    p.writer->unref();
    KEXPECT_EQ(v.poll(POLLIN), u32(POLLIN | POLLHUP));
    p.reader->unref();
}

KTEST(pipe, buffer_pages_come_back)
{
    size_t before = free_pages();
    Ends p = make_pipe();
    MUST(put(p.writer, s_big, PIPE_CAPACITY));
    size_t during = free_pages();
    KEXPECT(before - during >= PIPE_CAPACITY / PAGE_SIZE);
    p.writer->unref();
    KEXPECT_EQ(free_pages(), during);  // one end open: the pipe stays
    p.reader->unref();
    KEXPECT_EQ(free_pages(), before);
}

// ---- the memory devices (fs/dev/null_zero.cpp) ----

namespace {
File* open_device(u64 rdev)
{
    Vnode* driver = MUST(char_device(rdev));
    File* file = MUST(File::create(*driver, O_RDWR));
    driver->unref();
    return file;
}
} // namespace

KTEST(dev, null_zero_full)
{
    File* null = open_device(makedev(1, 3));
    File* zero = open_device(makedev(1, 5));
    File* full = open_device(makedev(1, 7));
    u8 buf[64];
    memset(buf, 0x5a, sizeof buf);
    KEXPECT_EQ(MUST(get(null, buf, sizeof buf)), 0u);
    KEXPECT_EQ(MUST(put(null, buf, sizeof buf)), sizeof buf);
    KEXPECT_EQ(MUST(get(zero, buf, sizeof buf)), sizeof buf);
    bool zeros = true;
    for (u8 b : buf)
        zeros = zeros && b == 0;
    KEXPECT(zeros);
    KEXPECT_EQ(MUST(null->stat()).rdev, makedev(1, 3));
    auto w = put(full, buf, 1);
    KEXPECT(w.is_error() && w.error() == Errno::ENOSPC);
    KEXPECT_EQ(MUST(full->pread(12345, IoBuffer::kernel(buf), 8)), 8u);  // not a stream: pread works
    null->unref();
    zero->unref();
    full->unref();
}

// The console File the first process gets: writes go out through the line
// discipline (this line appears on the console).
KTEST(dev, console_write)
{
    File* console = MUST(dev::open_console());
    KEXPECT(console->vnode().is_stream());
    KEXPECT_EQ(MUST(console->stat()).type, VType::CharDevice);
    const char line[] = "dev.console_write: through the tty\n";
    KEXPECT_EQ(MUST(put(console, line, sizeof line - 1)), sizeof line - 1);
    console->unref();
}

// Nobody types during the tests: a non-blocking read has nothing to give,
// and poll says so.
KTEST(dev, console_read_nonblocking)
{
    File* console = MUST(dev::open_console());
    char c;
    auto r = console->vnode().stream_read(IoBuffer::kernel(&c), 1, O_NONBLOCK);
    KEXPECT(r.is_error() && r.error() == Errno::EAGAIN);
    KEXPECT_EQ(console->vnode().poll(POLLIN | POLLOUT), u32(POLLOUT));
    KEXPECT_EQ(MUST(console->vnode().stream_read(IoBuffer::kernel(&c), 0, 0)), 0u);
    console->unref();
}
