// kernel/top/syscall/sys_file.cpp -- the calls that move data through descriptors: read, write, their
// vectored and positioned forms, sendfile (descriptors themselves: sys_fd.cpp).
//
// A descriptor names an fs::File (fs/vfs/file.h) in the process's FdTable
// (kernel/top/proc/fd_table.h). Every handler here has the same shape:
//
//     auto file = TRY(file_of(fd));   // EBADF; holds a File reference
//     ... check the other arguments as Linux does (same errno, same order) ...
//     return TRY(file->read(...));    // the File does the work
//
// and the File reference goes when `file` does, on every path. file_of
// refuses an O_PATH File (EBADF, as Linux's fdget); dup, fcntl, fstat and
// fchdir take it with file_of_raw (fdget_raw). The File
// checks the access mode (EBADF), the type (EISDIR, ESPIPE, ENOTDIR) and
// the offset; the vnode does the I/O, copying straight to or from the user
// buffer through an IoBuffer (EFAULT on a bad pointer, never a crash).
//
// Linux details kept here:
//   - the whole range [buf, buf + count) must lie in the user half
//     (access_ok, EFAULT before anything happens, checked after the access
//     mode's EBADF); then counts are cut to MAX_RW_COUNT, never refused;
//   - a write to a pipe with no reader fails with EPIPE *and* raises
//     SIGPIPE (which kills the writer unless caught or ignored);
//   - RLIMIT_FSIZE (fsize_limit, on fsize.h's fsize_room): a write
//     to a regular file (sendfile's too) is cut short at the limit; one
//     that starts at or past it, and an ftruncate that grows the file past
//     it, fail with EFBIG and raise SIGXFSZ (which kills unless caught or
//     ignored); RLIMIT_NOFILE bounds dup's and fcntl's new descriptors
//     (FdTable);
//   - readv/writev: the iovec array is checked whole first
//     (user_iovec.h); on a stream, only the first element may block: later
//     ones take what is already there, so a readv of a pipe returns the
//     bytes waiting, as Linux's pipe_read does; a writev of at most
//     PIPE_BUF bytes to a stream is gathered into one write so it stays
//     atomic on a pipe (POSIX);
//   - fsync and fdatasync are EINVAL for a file Linux has no fsync for
//     (pipes, terminals, character devices, /proc); sync drops errors,
//     syncfs reports them;
//   - getdents64 fills struct linux_dirent64 records (8-byte aligned,
//     d_off = the cookie after the entry) into a kernel buffer -- readdir
//     runs under the file system's lock, where a page fault on the user
//     buffer must not happen -- and copies them out afterwards.
//
// Read more: Linux fs/read_write.c (ksys_read, do_iter_readv_writev,
// do_sendfile), fs/readdir.c (filldir64), fs/fcntl.c (do_fcntl, f_dupfd),
// fs/file.c (ksys_dup3), fs/sync.c (do_fsync, ksys_sync, syncfs), mm/filemap.c
// (generic_write_check_limits), fs/attr.c (inode_newsize_ok),
// fs/ioctl.c (do_vfs_ioctl); xv6 sysfile.c;
// docs/vfs.md ("Open files"), docs/processes.md.
#include <fs/vfs/file.h>
#include <kernel/base/abi/linux/fcntl.h>
#include <kernel/base/abi/linux/fs.h>
#include <kernel/base/abi/linux/limits.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/signal.h>
#include <kernel/top/syscall/fsize.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_file.h>
#include <kernel/top/syscall/user_iovec.h>

namespace kern {

namespace {

using uapi::MAX_RW_COUNT, uapi::PIPE_BUF;

// EPIPE from a write also raises SIGPIPE (Linux's pipe_write does both).
ErrorOr<size_t> raise_sigpipe_on_epipe(ErrorOr<size_t> result)
{
    if (result.is_error() && result.error() == Errno::EPIPE)
        send_signal(*Process::current(), SIGPIPE);
    return result;
}

ErrorOr<size_t> write_file(fs::File& file, const fs::IoBuffer& buf, size_t n)
{
    return raise_sigpipe_on_epipe(file.write(buf, n));
}

// RLIMIT_FSIZE, as Linux's generic_write_check_limits: a write of n > 0
// bytes to a regular file that would start at or past the limit raises
// SIGXFSZ and fails with EFBIG; one that would cross it is cut to end at
// the limit. `at` is where it starts: `offset`, or (offset < 0) the file
// offset; with O_APPEND, the end of the file. (Read here, before the write,
// so a second writer moving the offset or the end meanwhile may let one
// write cross the limit: one thread per process and no file sharing in the
// tests make that moot.) Returns the count allowed. Errors: EFBIG.
ErrorOr<size_t> fsize_limit(fs::File& file, i64 offset, size_t n)
{
    if (Process::current()->rlimit(RLIMIT_FSIZE).cur == RLIM_INFINITY || n == 0 ||
        file.vnode().type() != fs::VType::Regular)
        return n;
    u64 at;
    if (file.flags() & fs::O_APPEND)
        at = TRY(file.stat()).size;
    else if (offset >= 0)
        at = u64(offset);
    else
        at = TRY(file.lseek(0, fs::SEEK_CUR));
    return size_t(min(u64(n), TRY(fsize_room(at))));  // fsize.h
}

} // namespace

// ---- read and write ----

namespace {

// The checks Linux's vfs_read/vfs_write make before any I/O, in its order:
// the access mode (EBADF), then access_ok on the whole count as given
// (EFAULT: a count that runs past the user half is refused even though it
// would be cut). Returns the count cut to MAX_RW_COUNT. Errors: EBADF, EFAULT.
ErrorOr<size_t> check_transfer(fs::File& file, bool writing, UserPtr<const u8> buf, size_t count)
{
    if (writing ? !file.writable() : !file.readable())
        return Errno::EBADF;
    TRY(check_user_range(buf, count));
    return min(count, MAX_RW_COUNT);
}

// pread64/pwrite64 check more, in Linux's order (ksys_pread64): a
// negative offset (EINVAL) before even the descriptor, then -- with the
// File in hand -- ESPIPE (a pipe or terminal) before the buffer.
ErrorOr<size_t> check_positioned(fs::File& file, bool writing, UserPtr<const u8> buf, size_t count)
{
    if (file.vnode().is_stream())
        return Errno::ESPIPE;
    return check_transfer(file, writing, buf, count);
}

} // namespace

// read(fd, buf, count). Returns the bytes read (0 at the end of the file).
// Errors: EBADF, EFAULT, and the File's (EISDIR, EAGAIN, EINTR, ...).
static ErrorOr<u64> sys_read(int fd, UserPtr<u8> buf, size_t count)
{
    auto file = TRY(file_of(fd));
    size_t n = TRY(check_transfer(*file, false, buf, count));
    return TRY(file->read(fs::IoBuffer::user(buf.address()), n));
}
SYSCALL(0, read);

// write(fd, buf, count). Returns the bytes written.
// Errors: EBADF, EFAULT, EPIPE (+ SIGPIPE), EFBIG (+ SIGXFSZ), the File's.
static ErrorOr<u64> sys_write(int fd, UserPtr<const u8> buf, size_t count)
{
    auto file = TRY(file_of(fd));
    size_t n = TRY(check_transfer(*file, true, buf, count));
    n = TRY(fsize_limit(*file, -1, n));
    return TRY(write_file(*file, fs::IoBuffer::user(buf.address()), n));
}
SYSCALL(1, write);

// pread64(fd, buf, count, offset): at `offset`, the file offset unchanged.
// Errors: also EINVAL (negative offset), ESPIPE (a pipe or terminal).
static ErrorOr<u64> sys_pread64(int fd, UserPtr<u8> buf, size_t count, loff_t offset)
{
    if (offset < 0)
        return Errno::EINVAL;
    auto file = TRY(file_of(fd));
    size_t n = TRY(check_positioned(*file, false, buf, count));
    return TRY(file->pread(u64(offset), fs::IoBuffer::user(buf.address()), n));
}
SYSCALL(17, pread64);

// pwrite64(fd, buf, count, offset): as pread64.
static ErrorOr<u64> sys_pwrite64(int fd, UserPtr<const u8> buf, size_t count, loff_t offset)
{
    if (offset < 0)
        return Errno::EINVAL;
    auto file = TRY(file_of(fd));
    size_t n = TRY(check_positioned(*file, true, buf, count));
    n = TRY(fsize_limit(*file, offset, n));
    return TRY(file->pwrite(u64(offset), fs::IoBuffer::user(buf.address()), n));
}
SYSCALL(18, pwrite64);

// ---- readv and writev ----

namespace {

// A stream read that takes only what is there now: EAGAIN becomes 0.
ErrorOr<size_t> stream_read_available(fs::File& file, const fs::IoBuffer& buf, size_t n)
{
    auto r = file.vnode().stream_read(buf, n, file.flags() | fs::O_NONBLOCK);
    if (r.is_error() && r.error() == Errno::EAGAIN)
        return size_t(0);
    return r;
}

// readv at the file offset (offset < 0) or at `offset` (preadv).
ErrorOr<size_t> read_vector(fs::File& file, const IovecArray& iov, i64 offset)
{
    bool stream = file.vnode().is_stream();
    return transfer_iovecs(iov, [&](const fs::IoBuffer& buf, size_t n, size_t done) -> ErrorOr<size_t> {
        if (offset >= 0)
            return file.pread(u64(offset) + done, buf, n);
        if (stream && done > 0)
            return stream_read_available(file, buf, n);  // never block for the rest
        return file.read(buf, n);
    });
}

// A short writev to a stream in one write (atomic on a pipe). The bytes
// are gathered until the first element that cannot be read. Returns the
// bytes written. Errors: EFAULT (not even the first could), EPIPE, EAGAIN, ...
ErrorOr<size_t> write_gathered(fs::File& file, const IovecArray& iov)
{
    // Not zeroed: only the `gathered` bytes copied in are written out.
    KBuffer buf = TRY(KBuffer::create_uninitialized(max<size_t>(iov.total(), 1)));
    size_t gathered = 0;
    for (size_t i = 0; i < iov.count(); ++i) {
        if (iov[i].length == 0)
            continue;  // its base may be anything, even NULL
        UserPtr<const u8> base(iov[i].base);
        if (copy_from_user(buf.data() + gathered, base, size_t(iov[i].length)).is_error()) {
            if (gathered == 0)
                return Errno::EFAULT;
            break;
        }
        gathered += size_t(iov[i].length);
    }
    return write_file(file, fs::IoBuffer::kernel(buf.data()), gathered);
}

// writev at the file offset (offset < 0) or at `offset` (pwritev). The
// RLIMIT_FSIZE check is made once for the whole vector, as Linux does: the
// elements past the allowed count are not written.
ErrorOr<size_t> write_vector(fs::File& file, const IovecArray& iov, i64 offset)
{
    if (offset < 0 && file.vnode().is_stream() && iov.count() > 1 && iov.total() > 0 &&
        iov.total() <= PIPE_BUF)
        return write_gathered(file, iov);
    size_t allowed = TRY(fsize_limit(file, offset, iov.total()));
    return transfer_iovecs(iov, [&](const fs::IoBuffer& buf, size_t n, size_t done) -> ErrorOr<size_t> {
        n = min(n, allowed - done);
        if (n == 0)
            return size_t(0);  // the limit: transfer_iovecs stops at a short step
        if (offset >= 0)
            return file.pwrite(u64(offset) + done, buf, n);
        return write_file(file, buf, n);
    });
}

// The checks readv/preadv make before the iovecs (Linux's vfs_readv):
// EBADF (not open for reading), ESPIPE (p-variants on a stream), EINVAL
// (negative offset).
ErrorOr<void> check_vector_call(fs::File& file, bool writing, bool positioned, i64 offset)
{
    if (writing ? !file.writable() : !file.readable())
        return Errno::EBADF;
    if (positioned && file.vnode().is_stream())
        return Errno::ESPIPE;
    if (positioned && offset < 0)
        return Errno::EINVAL;
    return {};
}

using Iovecs = UserPtr<const UserIovec>;

// readv, writev, preadv, pwritev (offset -1 and positioned false: at the
// file offset). Returns the bytes moved.
ErrorOr<u64> vector_call(int fd, Iovecs user_iov, u64 count, bool writing, bool positioned, i64 offset)
{
    auto file = TRY(file_of(fd));
    TRY(check_vector_call(*file, writing, positioned, offset));
    auto iov = TRY(IovecArray::copy_in(user_iov, count));
    if (!positioned)
        offset = -1;
    return TRY(writing ? write_vector(*file, iov, offset) : read_vector(*file, iov, offset));
}

// preadv2/pwritev2: flags (RWF_*) are not supported; offset -1 means the
// file offset. Errors: EOPNOTSUPP (flags).
ErrorOr<u64> vector2_call(int fd, Iovecs iov, u64 count, i64 offset, int flags, bool writing)
{
    if (flags != 0)
        return Errno::ENOTSUP;
    return vector_call(fd, iov, count, writing, offset != -1, offset);
}

} // namespace

// readv(fd, iov, iovcnt). Errors: as read, and EINVAL (iovcnt > 1024, a
// negative length).
static ErrorOr<u64> sys_readv(int fd, Iovecs iov, u64 iovcnt)
{
    return vector_call(fd, iov, iovcnt, false, false, -1);
}
SYSCALL(19, readv);

static ErrorOr<u64> sys_writev(int fd, Iovecs iov, u64 iovcnt)
{
    return vector_call(fd, iov, iovcnt, true, false, -1);
}
SYSCALL(20, writev);

// preadv(fd, iov, iovcnt, pos_l, pos_h): on x86-64 pos_l holds all 64 bits.
static ErrorOr<u64> sys_preadv(int fd, Iovecs iov, u64 iovcnt, i64 pos)
{
    return vector_call(fd, iov, iovcnt, false, true, pos);
}
SYSCALL(295, preadv);

static ErrorOr<u64> sys_pwritev(int fd, Iovecs iov, u64 iovcnt, i64 pos)
{
    return vector_call(fd, iov, iovcnt, true, true, pos);
}
SYSCALL(296, pwritev);

// preadv2(fd, iov, iovcnt, pos_l, pos_h, flags)
static ErrorOr<u64> sys_preadv2(int fd, Iovecs iov, u64 iovcnt, i64 pos, u64 pos_h, int flags)
{
    UNUSED(pos_h);
    return vector2_call(fd, iov, iovcnt, pos, flags, false);
}
SYSCALL(327, preadv2);

static ErrorOr<u64> sys_pwritev2(int fd, Iovecs iov, u64 iovcnt, i64 pos, u64 pos_h, int flags)
{
    UNUSED(pos_h);
    return vector2_call(fd, iov, iovcnt, pos, flags, true);
}
SYSCALL(328, pwritev2);

// ---- sendfile ----

namespace {

constexpr size_t SENDFILE_CHUNK = 16 * 1024;

// Copy up to `count` bytes from `in` at `*position` to `out` through a
// kernel buffer, advancing *position by what was written. Returns the
// bytes copied; an error after some bytes moved is forgotten, as write(2)
// does.
//
// RLIMIT_FSIZE is checked for each chunk as it is written (fsize_limit),
// where Linux's splice loop meets it (generic_write_checks): a copy that
// starts at the limit fails with EFBIG and SIGXFSZ; a chunk that would
// cross it is cut there, and then, as Linux's iter_file_splice_write
// tries the rest of its chunk again, the check is made once more at the
// limit, which raises SIGXFSZ (the bytes up to the limit are still
// returned). Nothing is checked when `in` has nothing to give (a read of
// 0 ends the copy first).
ErrorOr<size_t> copy_between(fs::File& in, fs::File& out, u64& position, size_t count)
{
    // Not zeroed: only the bytes a read put in are written out.
    KBuffer buf = TRY(KBuffer::create_uninitialized(SENDFILE_CHUNK));
    size_t done = 0;
    while (done < count) {
        size_t want = min(count - done, SENDFILE_CHUNK);
        auto got = in.pread(position, fs::IoBuffer::kernel(buf.data()), want);
        if (got.is_error() || got.value() == 0)
            return done > 0 || !got.is_error() ? ErrorOr<size_t>(done) : ErrorOr<size_t>(got.error());
        auto allowed = fsize_limit(out, -1, got.value());
        if (allowed.is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(allowed.error());
        auto put = write_file(out, fs::IoBuffer::kernel(buf.data()), allowed.value());
        if (put.is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(put.error());
        position += put.value();
        done += put.value();
        if (put.value() < got.value()) {
            if (put.value() == allowed.value())  // cut by the limit: Linux meets it, SIGXFSZ
                send_signal(*Process::current(), SIGXFSZ);
            break;
        }
    }
    return done;
}

} // namespace

// sendfile(out_fd, in_fd, offset_ptr, count): from a file (not a stream)
// to anything. With offset_ptr, read at *offset_ptr and store the new
// position there (in_fd's offset unchanged); without, use and advance
// in_fd's offset. Returns the bytes copied.
// Errors: EBADF (in not readable, out not writable), EINVAL (in
// is a stream; negative offset; out opened with O_APPEND, as Linux's
// do_splice_direct refuses it, after the offset's checks), EFAULT, EPIPE
// (+ SIGPIPE), EFBIG (+ SIGXFSZ: out is a regular file whose offset is at
// RLIMIT_FSIZE; a copy that would cross it is cut short there).
static ErrorOr<u64> sys_sendfile(int out_fd, int in_fd, UserPtr<loff_t> offset_ptr, size_t count)
{
    auto out = TRY(file_of(out_fd));
    auto in = TRY(file_of(in_fd));
    if (!in->readable() || !out->writable())
        return Errno::EBADF;
    if (in->vnode().is_stream())
        return Errno::EINVAL;
    count = min(count, MAX_RW_COUNT);
    i64 start;
    if (offset_ptr) {
        TRY(copy_from_user(&start, offset_ptr));
        if (start < 0)
            return Errno::EINVAL;
    } else {
        start = i64(TRY(in->lseek(0, fs::SEEK_CUR)));
    }
    if (out->flags() & fs::O_APPEND)
        return Errno::EINVAL;
    u64 position = u64(start);
    size_t done = TRY(copy_between(*in, *out, position, count));
    if (offset_ptr) {
        i64 end = i64(position);
        TRY(copy_to_user(offset_ptr, &end));
    } else {
        TRY(in->lseek(i64(position), fs::SEEK_SET));
    }
    return done;
}
SYSCALL(40, sendfile);

} // namespace kern
