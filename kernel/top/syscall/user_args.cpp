// kernel/top/syscall/user_args.cpp -- copying paths, iovecs and struct stat across the user boundary.
//
// (Also RLIMIT_FSIZE's check, shared by the write and truncate calls of
// sys_file.cpp and sys_path.cpp: see user_args.h.)
//
// Paths. arch::copy_string_from_user reads the user string a byte at a time
// until the NUL, so a path that ends just before an unmapped page is fine
// and one that runs into it is EFAULT; it stops at PATH_MAX bytes without a
// NUL (ENAMETOOLONG, as Linux's getname). The copy goes into a heap buffer:
// kernel stacks are too small for PATH_MAX bytes per argument.
//
// Iovecs. The whole array is copied in once (at most IOV_MAX * 16 = 16 KiB)
// and checked before anything moves, as Linux's iovec_from_user and
// import_iovec do: a negative length is EINVAL, a range that leaves the
// user half is EFAULT, and lengths past MAX_RW_COUNT in total are cut.
//
// struct stat. Linux x86-64's layout (arch/x86/include/uapi/asm/stat.h),
// filled like fs/stat.c:cp_new_stat: the type bits joined to the mode,
// times as seconds + nanoseconds.
#include <arch/usercopy.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/signal.h>
#include <kernel/top/syscall/user_args.h>
#include <vm/vm.h>

namespace kern {

// ---- descriptors and buffers ----

ErrorOr<RefPtr<fs::File>> file_of_raw(u64 fd)
{
    fs::File* file = TRY(Process::current()->fds().get(int(u32(fd))));
    return RefPtr<fs::File>::adopt(file);
}

ErrorOr<RefPtr<fs::File>> file_of(u64 fd)
{
    auto file = TRY(file_of_raw(fd));
    if (file->is_path())
        return Errno::EBADF;
    return file;
}

ErrorOr<void> check_user_range(uptr addr, size_t n)
{
    if (addr > vm::USER_MAX || n > vm::USER_MAX - addr)
        return Errno::EFAULT;
    return {};
}

// ---- RLIMIT_FSIZE ----

ErrorOr<u64> fsize_room(u64 at)
{
    u64 limit = Process::current()->rlimit(RLIMIT_FSIZE).cur;
    if (limit == RLIM_INFINITY)
        return RLIM_INFINITY;
    if (at >= limit) {
        send_signal(*Process::current(), SIGXFSZ);
        return Errno::EFBIG;
    }
    return limit - at;
}

ErrorOr<void> fsize_check_resize(u64 size, u64 length)
{
    if (length > size)
        TRY(fsize_room(length - 1));  // the new last byte must be within the limit
    return {};
}

KernelBuffer::KernelBuffer(size_t n) : m_bytes(static_cast<u8*>(kmalloc(n))) {}
KernelBuffer::~KernelBuffer() { kfree(m_bytes); }

// ---- paths ----

ErrorOr<UserPath> UserPath::copy_in(uptr user_path)
{
    auto* chars = static_cast<char*>(kmalloc(fs::PATH_MAX));
    if (!chars)
        return Errno::ENOMEM;
    auto length = arch::copy_string_from_user(chars, user_path, fs::PATH_MAX);
    if (length.is_error()) {
        kfree(chars);
        return length.error();
    }
    return UserPath(chars, length.value());
}

ErrorOr<UserPath> UserPath::joined(StringView dir, StringView rest)
{
    bool slash = !dir.is_empty() && !dir.ends_with('/');
    size_t length = dir.length() + (slash ? 1 : 0) + rest.length();
    if (length >= fs::PATH_MAX)
        return Errno::ENAMETOOLONG;
    auto* chars = static_cast<char*>(kmalloc(fs::PATH_MAX));
    if (!chars)
        return Errno::ENOMEM;
    memcpy(chars, dir.characters(), dir.length());
    if (slash)
        chars[dir.length()] = '/';
    memcpy(chars + length - rest.length(), rest.characters(), rest.length());
    chars[length] = '\0';
    return UserPath(chars, length);
}

UserPath::~UserPath() { kfree(m_chars); }

// ---- struct stat ----

LinuxStat to_linux_stat(const fs::VAttr& attr)
{
    LinuxStat st;
    memset(&st, 0, sizeof st);
    st.dev = attr.dev;
    st.ino = attr.ino;
    st.nlink = attr.nlink;
    st.mode = fs::vtype_to_mode(attr.type) | (attr.mode & 07777);
    st.uid = attr.uid;
    st.gid = attr.gid;
    st.rdev = attr.rdev;
    st.size = i64(attr.size);
    st.blksize = attr.blksize;
    st.blocks = i64(attr.blocks);
    st.atime_sec = attr.atime.sec;
    st.atime_nsec = attr.atime.nsec;
    st.mtime_sec = attr.mtime.sec;
    st.mtime_nsec = attr.mtime.nsec;
    st.ctime_sec = attr.ctime.sec;
    st.ctime_nsec = attr.ctime.nsec;
    return st;
}

ErrorOr<void> copy_stat_out(uptr user_buf, const fs::VAttr& attr)
{
    LinuxStat st = to_linux_stat(attr);
    return arch::copy_to_user(user_buf, &st, sizeof st);
}

// ---- iovecs ----

namespace {

// The checks of Linux's iovec_from_user on one element; cuts its length so
// the running total stays within MAX_RW_COUNT. => EINVAL, EFAULT.
ErrorOr<void> check_iovec(UserIovec& iov, size_t& total)
{
    if (i64(iov.length) < 0)
        return Errno::EINVAL;
    TRY(check_user_range(iov.base, size_t(iov.length)));  // Linux's access_ok
    if (iov.length > MAX_RW_COUNT - total)
        iov.length = MAX_RW_COUNT - total;
    total += size_t(iov.length);
    return {};
}

} // namespace

ErrorOr<IovecArray> IovecArray::copy_in(uptr user_iov, u64 count)
{
    if (count > IOV_MAX)
        return Errno::EINVAL;
    if (count == 0)
        return IovecArray(nullptr, 0, 0);
    auto* items = static_cast<UserIovec*>(kmalloc(count * sizeof(UserIovec)));
    if (!items)
        return Errno::ENOMEM;
    IovecArray array(items, count, 0);  // frees `items` on every return below
    TRY(arch::copy_from_user(items, user_iov, count * sizeof(UserIovec)));
    for (size_t i = 0; i < count; ++i)
        TRY(check_iovec(items[i], array.m_total));
    return array;
}

IovecArray::~IovecArray() { kfree(m_items); }

} // namespace kern
