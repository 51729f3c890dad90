// kernel/top/syscall/sys_fd.cpp -- the calls that manage descriptors and
// what they name, rather than move data: lseek, close, dup*, fcntl, ioctl,
// fstat, ftruncate, fsync/fdatasync/sync/syncfs, fchdir, getdents64.
//
// The shape of every handler, and file_of/file_of_raw (O_PATH), are those
// of kernel/top/syscall/sys_file.cpp (read, write and the other calls that
// move data), whose top comment tells the Linux details both keep.
#include <fs/vfs/file.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/abi/linux/fcntl.h>
#include <kernel/base/abi/linux/fs.h>
#include <kernel/base/abi/linux/ioctls.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/fsize.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_file.h>
#include <kernel/top/syscall/user_stat.h>

namespace kern {

// ---- the offset, and closing ----

// lseek(fd, offset, whence). Returns the new offset. Errors: EINVAL (bad
// whence -- SEEK_DATA and SEEK_HOLE too, not supported on a file -- or a
// negative result), ESPIPE (a stream, for any whence up to SEEK_HOLE:
// Linux's ksys_lseek refuses a whence above SEEK_MAX before it asks the
// file), EOVERFLOW, EBADF.
static ErrorOr<u64> sys_lseek(int fd, i64 offset, unsigned whence)
{
    auto file = TRY(file_of(fd));
    if (whence > unsigned(uapi::SEEK_MAX))
        return Errno::EINVAL;
    return TRY(file->lseek(offset, int(whence)));
}
SYSCALL(8, lseek);

// close(fd). Errors: EBADF.
static ErrorOr<u64> sys_close(int fd)
{
    TRY(Process::current()->fds().close(fd));
    return 0;
}
SYSCALL(3, close);

// ---- duplicating ----

// dup(fd). Returns the new descriptor. Errors: EBADF, EMFILE.
static ErrorOr<u64> sys_dup(int fd)
{
    auto file = TRY(file_of_raw(fd));
    return u64(TRY(Process::current()->fds().install(*file, false)));
}
SYSCALL(32, dup);

// dup2(old, new): old == new only checks old. Returns `new`. Errors: EBADF
// (old free, new out of range).
static ErrorOr<u64> sys_dup2(int old_fd, int new_fd)
{
    return u64(TRY(Process::current()->fds().duplicate_to(old_fd, new_fd, false)));
}
SYSCALL(33, dup2);

// dup3(old, new, flags). Returns `new`. Errors: EINVAL (a flag other than
// O_CLOEXEC, or old == new), EBADF.
static ErrorOr<u64> sys_dup3(int old_fd, int new_fd, int flags)
{
    if (flags & ~int(uapi::O_CLOEXEC))
        return Errno::EINVAL;
    if (old_fd == new_fd)
        return Errno::EINVAL;
    return u64(TRY(Process::current()->fds().duplicate_to(old_fd, new_fd, flags & uapi::O_CLOEXEC)));
}
SYSCALL(292, dup3);

// ---- fcntl and ioctl ----

namespace {

using uapi::F_DUPFD, uapi::F_GETFD, uapi::F_SETFD, uapi::F_GETFL, uapi::F_SETFL,
    uapi::F_DUPFD_CLOEXEC, uapi::FD_CLOEXEC;

// F_DUPFD / F_DUPFD_CLOEXEC: the lowest free descriptor >= min_fd.
// Returns it. Errors: EINVAL (min_fd at or above RLIMIT_NOFILE, as Linux's
// f_dupfd), EMFILE.
ErrorOr<u64> dup_at_least(fs::File& file, u64 min_fd, bool cloexec)
{
    FdTable& fds = Process::current()->fds();
    if (min_fd >= u64(fds.limit()))
        return Errno::EINVAL;
    return u64(TRY(fds.install(file, cloexec, int(min_fd))));
}

} // namespace

// fcntl(fd, cmd, arg): descriptor flags, status flags, dup. No locks
// (F_GETLK, F_SETLK...) yet. On an O_PATH File only the dups, F_GETFD,
// F_SETFD and F_GETFL work; any other cmd, even an unknown one, is EBADF
// (Linux's check_fcntl_cmd). Errors: EBADF, EINVAL (an unknown cmd).
static ErrorOr<u64> sys_fcntl(int fd, unsigned cmd, u64 arg)
{
    auto file = TRY(file_of_raw(fd));
    FdTable& fds = Process::current()->fds();
    bool path_ok = cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD || cmd == F_GETFL;
    if (file->is_path() && !path_ok)
        return Errno::EBADF;
    switch (cmd) {
    case F_DUPFD: return dup_at_least(*file, arg, false);
    case F_DUPFD_CLOEXEC: return dup_at_least(*file, arg, true);
    case F_GETFD: return TRY(fds.cloexec(fd)) ? FD_CLOEXEC : 0;
    case F_SETFD: TRY(fds.set_cloexec(fd, arg & FD_CLOEXEC)); return 0;
    case F_GETFL: return u64(file->flags() & ~fs::O_CLOEXEC);  // per descriptor, not per File
    case F_SETFL: file->set_status_flags(u32(arg)); return 0;
    default: return Errno::EINVAL;
    }
}
SYSCALL(72, fcntl);

// ioctl(fd, request, arg): the requests every file understands here, the
// rest to the vnode (a terminal's TCGETS, ...). Errors: EBADF, EFAULT,
// ENOTTY (a request the file does not know: any for a plain file).
static ErrorOr<u64> sys_ioctl(int fd, unsigned request, u64 arg)
{
    auto file = TRY(file_of(fd));
    switch (request) {
    case uapi::FIOCLEX:
    case uapi::FIONCLEX:
        TRY(Process::current()->fds().set_cloexec(fd, request == uapi::FIOCLEX));
        return 0;
    case uapi::FIONBIO: {
        int on;
        TRY(copy_from_user(&on, UserPtr<const int>(arg)));
        u32 flags = file->flags();
        file->set_status_flags(on ? flags | fs::O_NONBLOCK : flags & ~fs::O_NONBLOCK);
        return 0;
    }
    default: return TRY(file->vnode().ioctl(request, arg));
    }
}
SYSCALL(16, ioctl);

// ---- attributes, size, directory ----

// fstat(fd, buf). Errors: EBADF, EFAULT.
static ErrorOr<u64> sys_fstat(int fd, UserPtr<LinuxStat> buf)
{
    auto file = TRY(file_of_raw(fd));  // O_PATH too
    fs::VAttr attr = TRY(file->stat());
    TRY(copy_stat_out(buf, attr));
    return 0;
}
SYSCALL(5, fstat);

// ftruncate(fd, length). Errors: EINVAL (negative length; not open for
// writing; not a regular file), EBADF, EFBIG (also: growing the file past
// RLIMIT_FSIZE, which raises SIGXFSZ too -- Linux's inode_newsize_ok).
static ErrorOr<u64> sys_ftruncate(int fd, i64 length)
{
    if (length < 0)
        return Errno::EINVAL;
    auto file = TRY(file_of(fd));
    if (file->writable() && file->vnode().type() == fs::VType::Regular)  // else truncate's EINVAL
        TRY(fsize_check_resize(TRY(file->stat()).size, u64(length)));
    TRY(file->truncate(u64(length)));
    return 0;
}
SYSCALL(77, ftruncate);

// ---- writing back: fsync, fdatasync, sync, syncfs ----
//
// A file system in memory (tmpfs) has nothing to write back and says so at
// once (the defaults of Vnode::fsync and FileSystem::sync); one on a disk
// writes its dirty pages, inodes and metadata and waits for them.

// fsync(fd) and fdatasync(fd): the file's dirty data and inode, written
// back and waited for (Vnode::fsync). fdatasync may leave out what is not
// needed to read the data back (the times), but no file system here tells
// the two apart. Linux says EINVAL for a file whose operations have no
// fsync (vfs_fsync_range): pipes and FIFOs, sockets, terminals and the
// other character devices (null, zero, random: none has one) -- here the
// stream and CharDevice vnodes; procfs's nodes say it themselves
// (ProcNode::fsync). A directory and a block device are synced. Checked
// on Linux 6.18. Errors: EBADF (also an O_PATH descriptor), EINVAL, EIO.
static ErrorOr<u64> sys_fsync(int fd)
{
    auto file = TRY(file_of(fd));
    fs::Vnode& vnode = file->vnode();
    if (vnode.is_stream() || vnode.type() == fs::VType::CharDevice)
        return Errno::EINVAL;
    TRY(vnode.fsync());
    return 0;
}
SYSCALL(74, fsync);
SYSCALL_ALIAS(75, fdatasync, fsync);

// sync(): every mounted file system writes everything dirty back
// (fs::sync_all). sync(2) returns nothing: errors are dropped, as Linux's
// ksys_sync drops them (syncfs and fsync are the calls that report them).
static ErrorOr<u64> sys_sync()
{
    (void)fs::sync_all();
    return 0;
}
SYSCALL(162, sync);

// syncfs(fd): the same for the one file system that holds fd's file
// (fs::filesystem_of). The File's reference keeps that file system
// mounted meanwhile (unmount says EBUSY while a file is in use). A vnode
// of no mounted file system (a pipe, a device's driver) has nothing to
// sync: 0, as Linux's syncfs of a pipe. Unlike sync, its error is
// returned (Linux does since 5.8). Errors: EBADF (also O_PATH), EIO.
static ErrorOr<u64> sys_syncfs(int fd)
{
    auto file = TRY(file_of(fd));
    if (fs::FileSystem* fsys = fs::filesystem_of(file->vnode()))
        TRY(fsys->sync());
    return 0;
}
SYSCALL(306, syncfs);

// fchdir(fd). Errors: EBADF, ENOTDIR.
static ErrorOr<u64> sys_fchdir(int fd)
{
    auto file = TRY(file_of_raw(fd));  // an O_PATH directory too
    if (!file->vnode().is_directory())
        return Errno::ENOTDIR;
    Process::current()->fs_context().cwd = RefPtr<fs::Vnode>(&file->vnode());
    return 0;
}
SYSCALL(81, fchdir);

// ---- getdents64 ----

namespace {

// struct linux_dirent64: ino, off, reclen, type, then the name and its NUL,
// padded to 8 bytes.
struct [[gnu::packed]] Dirent64Header {
    u64 ino;
    i64 off;
    u16 reclen;
    u8 type;
};
static_assert(sizeof(Dirent64Header) == 19);

constexpr size_t GETDENTS_CHUNK = 32 * 1024;  // kernel buffer per call, at most

// Packs entries into a kernel buffer until the next one does not fit.
class Dirent64Sink final : public fs::ReaddirSink {
public:
    Dirent64Sink(u8* buf, size_t size) : m_buf(buf), m_size(size) {}
    bool emit(const fs::DirEntry& entry) override
    {
        size_t reclen = align_up(sizeof(Dirent64Header) + entry.name.length() + 1, 8);
        if (reclen > m_size - m_used) {
            m_full = true;
            return false;
        }
        u8* record = m_buf + m_used;
        memset(record, 0, reclen);
        // Linux's DT_* is the S_IFMT type shifted down (fs_umode_to_dtype).
        Dirent64Header header{entry.ino, i64(entry.next_cookie), u16(reclen),
                              u8(fs::vtype_to_mode(entry.type) >> 12)};
        memcpy(record, &header, sizeof header);
        memcpy(record + sizeof header, entry.name.characters(), entry.name.length());
        m_used += reclen;
        return true;
    }
    size_t used() const { return m_used; }
    bool full() const { return m_full; }

private:
    u8* m_buf;
    size_t m_size;
    size_t m_used = 0;
    bool m_full = false;
};

} // namespace

// getdents64(fd, dirp, count). Returns the bytes filled, 0 at the end.
// Errors: EBADF, ENOTDIR, EINVAL (count too small for the next entry),
// EFAULT (the offset is put back, so the entries are not lost).
static ErrorOr<u64> sys_getdents64(int fd, UserPtr<u8> dirp, unsigned count)
{
    auto file = TRY(file_of(fd));
    if (!file->vnode().is_directory())
        return Errno::ENOTDIR;  // before the buffer, as Linux's iterate_dir
    TRY(check_user_range(dirp, count));
    size_t size = min(size_t(count), GETDENTS_CHUNK);
    KBuffer buf = TRY(KBuffer::create(max<size_t>(size, 1)));
    u64 before = TRY(file->lseek(0, fs::SEEK_CUR));
    Dirent64Sink sink(buf.data(), size);
    TRY(file->readdir(sink));
    if (sink.used() == 0 && sink.full())
        return Errno::EINVAL;
    if (copy_to_user(dirp, buf.data(), sink.used()).is_error()) {
        (void)file->lseek(i64(before), fs::SEEK_SET);
        return Errno::EFAULT;
    }
    return sink.used();
}
SYSCALL(217, getdents64);

} // namespace kern
