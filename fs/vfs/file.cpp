// fs/vfs/file.cpp -- open files: the offset, the access mode, the vnode.
//
// Every call checks the access mode first (EBADF: reading a file opened
// O_WRONLY, writing one opened O_RDONLY, anything on an O_PATH File), then
// passes the I/O to the vnode at an offset: m_offset for read/write/readdir
// (under m_lock, advanced by what was done), the caller's for pread/pwrite
// (no lock). For a directory m_offset is the readdir cookie. Lock order:
// docs/locking.md. See file.h for the contract and docs/vfs.md ("Open
// files").
#include <fs/vfs/file.h>

namespace fs {

namespace {
constexpr u64 OFFSET_MAX = ~u64(0) >> 1;  // off_t is signed

// Counts the entries that reach the caller's sink.
class CountingSink final : public ReaddirSink {
public:
    explicit CountingSink(ReaddirSink& inner) : m_inner(inner) {}
    bool emit(const DirEntry& entry) override
    {
        if (!m_inner.emit(entry))
            return false;
        ++m_count;
        return true;
    }
    size_t count() const { return m_count; }

private:
    ReaddirSink& m_inner;
    size_t m_count = 0;
};
} // namespace

ErrorOr<File*> File::create(Vnode& vnode, u32 flags)
{
    auto* file = new (std::nothrow) File(vnode, flags);
    if (!file)
        return Errno::ENOMEM;
    if (!(flags & O_PATH)) {  // a path-only File opens nothing
        auto opened = vnode.open(flags);
        if (opened.is_error()) {
            delete file;
            return opened.error();
        }
    }
    vnode.ref();
    return file;
}

void File::unref()
{
    u32 old = __atomic_fetch_sub(&m_ref_count, 1, __ATOMIC_ACQ_REL);
    KASSERT_MSG(old > 0, "File::unref: reference count underflow");
    if (old != 1)
        return;
    KASSERT(!m_lock.is_locked());
    if (!is_path())
        m_vnode->close(m_flags);
    m_vnode->unref();
    delete this;
}

ErrorOr<size_t> File::read(const IoBuffer& buf, size_t n)
{
    if (!readable())
        return Errno::EBADF;
    if (m_vnode->is_stream())
        return m_vnode->stream_read(buf, n, flags());
    kern::MutexGuard guard(m_lock);
    size_t done = TRY(m_vnode->read(m_offset, buf, n));
    m_offset += done;
    return done;
}

ErrorOr<size_t> File::write(const IoBuffer& buf, size_t n)
{
    if (!writable())
        return Errno::EBADF;
    if (m_vnode->is_stream())
        return m_vnode->stream_write(buf, n, flags());
    kern::MutexGuard guard(m_lock);
    u64 at = m_offset;
    size_t done = (m_flags & O_APPEND) ? TRY(m_vnode->append(buf, n, at))
                                       : TRY(m_vnode->write(at, buf, n));
    m_offset = at + done;
    return done;
}

ErrorOr<size_t> File::pread(u64 offset, const IoBuffer& buf, size_t n)
{
    if (!readable())
        return Errno::EBADF;
    if (m_vnode->is_stream())
        return Errno::ESPIPE;
    if (offset > OFFSET_MAX)
        return Errno::EINVAL;
    return m_vnode->read(offset, buf, n);
}

ErrorOr<size_t> File::pwrite(u64 offset, const IoBuffer& buf, size_t n)
{
    if (!writable())
        return Errno::EBADF;
    if (m_vnode->is_stream())
        return Errno::ESPIPE;
    if (offset > OFFSET_MAX)
        return Errno::EINVAL;
    if (m_flags & O_APPEND) {
        u64 at;  // Linux appends, whatever the offset (pwrite(2), BUGS)
        return m_vnode->append(buf, n, at);
    }
    return m_vnode->write(offset, buf, n);
}

ErrorOr<u64> File::lseek(i64 offset, int whence)
{
    if (is_path())
        return Errno::EBADF;
    if (m_vnode->is_stream())
        return Errno::ESPIPE;
    kern::MutexGuard guard(m_lock);
    i64 base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = i64(m_offset); break;
    case SEEK_END: {
        if (m_vnode->is_directory())
            return Errno::EINVAL;
        VAttr attr = TRY(m_vnode->getattr());
        base = i64(attr.size);
        break;
    }
    default: return Errno::EINVAL;
    }
    i64 result;
    if (__builtin_add_overflow(base, offset, &result))
        return offset < 0 ? Errno::EINVAL : Errno::EOVERFLOW;
    if (result < 0)
        return Errno::EINVAL;
    m_offset = u64(result);
    return m_offset;
}

ErrorOr<size_t> File::readdir(ReaddirSink& sink)
{
    if (is_path())
        return Errno::EBADF;
    if (!m_vnode->is_directory())
        return Errno::ENOTDIR;
    if (!readable())
        return Errno::EBADF;
    kern::MutexGuard guard(m_lock);
    CountingSink counter(sink);
    m_offset = TRY(m_vnode->readdir(m_offset, counter));
    return counter.count();
}

void File::set_status_flags(u32 flags)
{
    constexpr u32 CHANGEABLE = O_APPEND | O_NONBLOCK;
    u32 old = __atomic_load_n(&m_flags, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&m_flags, &old, (old & ~CHANGEABLE) | (flags & CHANGEABLE),
                                        false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

ErrorOr<void> File::truncate(u64 length)
{
    if (is_path())
        return Errno::EBADF;
    if (!writable() || m_vnode->type() != VType::Regular)
        return Errno::EINVAL;  // Linux's ftruncate: EINVAL for both
    VAttr attr;
    attr.size = length;
    return m_vnode->setattr(attr, SETATTR_SIZE);
}

} // namespace fs
