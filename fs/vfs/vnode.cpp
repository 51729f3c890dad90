// fs/vfs/vnode.cpp -- reference counting and the default vnode operations.
//
// A file system overrides only the operations its vnode types support; the
// defaults here give the errno POSIX expects for an operation that makes no
// sense on the vnode's type:
//   directory operations on a non-directory      ENOTDIR
//   (on a directory whose fs does not implement it: EPERM for link/symlink,
//    as Linux's "operation not permitted" by this fs)
//   read/write on a directory                    EISDIR
//   read/write on any other type without data    EINVAL
//   readlink on a non-symlink                    EINVAL
//
// unref(): the count lives in the Vnode (vnode.h); the thread that drops it
// to zero calls inactive(), which the file system uses to free a vnode that
// has no names left. The count may go up again after that (a file system
// that keeps its vnodes, like tmpfs, hands the same node out again);
// keeping that safe is the file system's job (it looks nodes up under its
// own lock).
#include <fs/vfs/poll.h>
#include <fs/vfs/vnode.h>

namespace fs {

ErrorOr<void> Vnode::check_regular() const
{
    if (is_directory())
        return Errno::EISDIR;
    if (type() != VType::Regular)
        return Errno::EINVAL;
    return {};
}

ErrorOr<void> Vnode::check_rename_args(StringView from, const Vnode& to_dir, StringView to, u32 flags) const
{
    if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) ||
        (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE))
        return Errno::EINVAL;
    if (!is_directory() || !to_dir.is_directory())
        return Errno::ENOTDIR;
    if (from == "." || from == ".." || to == "." || to == "..")
        return Errno::EINVAL;
    return {};
}

void Vnode::unref()
{
    u32 old = __atomic_fetch_sub(&m_ref_count, 1, __ATOMIC_ACQ_REL);
    KASSERT_MSG(old > 0, "Vnode::unref: reference count underflow");
    if (old == 1)
        inactive();
}

ErrorOr<Vnode*> Vnode::lookup(StringView) { return is_directory() ? Errno::ENOENT : Errno::ENOTDIR; }

ErrorOr<Vnode*> Vnode::create(StringView, VType, u32, u64, const Cred&)
{
    return is_directory() ? Errno::EPERM : Errno::ENOTDIR;
}

ErrorOr<Vnode*> Vnode::symlink(StringView, StringView, const Cred&)
{
    return is_directory() ? Errno::EPERM : Errno::ENOTDIR;
}

ErrorOr<void> Vnode::link(StringView, Vnode&) { return is_directory() ? Errno::EPERM : Errno::ENOTDIR; }

ErrorOr<void> Vnode::unlink(StringView) { return is_directory() ? Errno::ENOENT : Errno::ENOTDIR; }

ErrorOr<void> Vnode::rmdir(StringView) { return is_directory() ? Errno::ENOENT : Errno::ENOTDIR; }

ErrorOr<void> Vnode::rename(StringView, Vnode&, StringView, u32)
{
    return is_directory() ? Errno::ENOENT : Errno::ENOTDIR;
}

ErrorOr<u64> Vnode::readdir(u64, ReaddirSink&) { return is_directory() ? Errno::EINVAL : Errno::ENOTDIR; }

ErrorOr<size_t> Vnode::read(u64, const IoBuffer&, size_t)
{
    return is_directory() ? Errno::EISDIR : Errno::EINVAL;
}

ErrorOr<size_t> Vnode::write(u64, const IoBuffer&, size_t)
{
    return is_directory() ? Errno::EISDIR : Errno::EINVAL;
}

ErrorOr<size_t> Vnode::append(const IoBuffer& buf, size_t n, u64& at)
{
    at = TRY(getattr()).size;
    return write(at, buf, n);
}

ErrorOr<size_t> Vnode::readlink(const IoBuffer&, size_t) { return Errno::EINVAL; }

// Streams: only stream vnodes (is_stream()) get these calls.
ErrorOr<size_t> Vnode::stream_read(const IoBuffer&, size_t, u32) { return Errno::EINVAL; }
ErrorOr<size_t> Vnode::stream_write(const IoBuffer&, size_t, u32) { return Errno::EINVAL; }
ErrorOr<u64> Vnode::ioctl(u32, uptr) { return Errno::ENOTTY; }
u32 Vnode::poll(u32 events) { return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM); }

} // namespace fs
