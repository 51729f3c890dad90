// kernel/top/syscall/user_args.h -- what the file system calls take from and give to user space.
//
// What every file or path call needs, in one place so each handler stays a
// few lines long (kernel/top/syscall/sys_file.cpp, sys_path.cpp):
//
//   file_of      a descriptor turned into its File, referenced (EBADF;
//                file_of_raw also hands out O_PATH Files);
//   check_user_range  Linux's access_ok, for calls that take a buffer;
//   UserPath     a path string copied in (a user pointer is never read
//                twice, so another thread cannot change the path between a
//                check and its use);
//   copy_stat_out  a VAttr turned into Linux's struct stat and copied out;
//   IovecArray + transfer_iovecs  readv/writev/preadv/pwritev: the array
//                of struct iovec copied in and checked, then one transfer
//                per element until one comes back short;
//   KernelBuffer a heap scratch buffer that frees itself;
//   fsize_room, fsize_check_resize  RLIMIT_FSIZE for writes (sys_file.cpp)
//                and for truncate by descriptor or by path.
//
// Errors are Linux's: EFAULT for any pointer that cannot be read or written
// (arch/usercopy.h checks the range and recovers from the fault),
// ENAMETOOLONG for a path with no NUL within PATH_MAX bytes, EINVAL for an
// iovec count above IOV_MAX or a negative length. See docs/vfs.md and
// Linux's fs/namei.c (getname), fs/stat.c (cp_new_stat) and lib/iov_iter.c
// (iovec_from_user).
#pragma once

#include <fs/vfs/file.h>
#include <fs/vfs/iobuffer.h>
#include <fs/vfs/types.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/ref_ptr.h>
#include <kernel/base/lib/string_view.h>

namespace kern {

// Linux's largest single transfer (INT_MAX rounded down to a page): larger
// counts are cut to it, never refused.
constexpr size_t MAX_RW_COUNT = 0x7ffff000;
// Linux's UIO_MAXIOV.
constexpr u64 IOV_MAX = 1024;

// The File that descriptor `fd` of the current process names, referenced
// for as long as the RefPtr lives (so a close() by another thread meanwhile
// is harmless). Linux takes descriptors as unsigned int: only the low 32
// bits count, and -1 is as bad as 2^31. => EBADF, also for an O_PATH File
// (Linux's fdget: no I/O, ioctl, fsync, fchmod, ... on a path-only file).
ErrorOr<RefPtr<fs::File>> file_of(u64 fd);
// The same, O_PATH Files included (Linux's fdget_raw): for the calls that
// need only the location -- dup, fcntl's descriptor commands, fstat,
// fstatfs, fchdir, a *at() call's dirfd. => EBADF.
ErrorOr<RefPtr<fs::File>> file_of_raw(u64 fd);

// Linux's access_ok(): [addr, addr + n) lies below the top of the user half
// (no lower bound: a small address is caught by the copy itself). Calls
// that take a buffer check it first, so a kernel address is EFAULT even
// when nothing would be copied. => EFAULT.
ErrorOr<void> check_user_range(uptr addr, size_t n);

// RLIMIT_FSIZE, the caller's limit on the size of a regular file it writes
// or resizes (Linux's generic_write_check_limits and inode_newsize_ok). A
// file may reach the limit, not pass it; the call that would pass it
// raises SIGXFSZ in the caller (which kills it unless caught or ignored).
//   fsize_room(at)  how many bytes a write starting at offset `at` may
//                   put in (RLIM_INFINITY: no limit). => EFBIG (`at` is at
//                   or past the limit).
//   fsize_check_resize(size, length)  truncate/ftruncate of a file of
//                   `size` bytes to `length`: shrinking is always allowed,
//                   growing up to the limit. => EFBIG.
ErrorOr<u64> fsize_room(u64 at);
ErrorOr<void> fsize_check_resize(u64 size, u64 length);

// A kmalloc'd scratch buffer that frees itself (kernel stacks are small).
class KernelBuffer {
public:
    explicit KernelBuffer(size_t n);
    KernelBuffer(const KernelBuffer&) = delete;
    KernelBuffer& operator=(const KernelBuffer&) = delete;
    ~KernelBuffer();
    u8* get() const { return m_bytes; }
    char* chars() const { return reinterpret_cast<char*>(m_bytes); }
    explicit operator bool() const { return m_bytes != nullptr; }

private:
    u8* m_bytes;
};

// A NUL-terminated path copied in from user space into a heap buffer of
// PATH_MAX bytes. Movable, not copyable; frees its buffer when it goes.
class UserPath {
public:
    // => EFAULT (a bad pointer, or the string runs into an unmapped page),
    // ENAMETOOLONG (no NUL within PATH_MAX bytes), ENOMEM. An empty string
    // is allowed here (namei answers ENOENT; AT_EMPTY_PATH wants it).
    static ErrorOr<UserPath> copy_in(uptr user_path);
    // "dir/rest" ("rest" if dir is empty), made in the kernel (renameat
    // with two directories; linkat following a symlink).
    // => ENAMETOOLONG (PATH_MAX or longer), ENOMEM.
    static ErrorOr<UserPath> joined(StringView dir, StringView rest);

    UserPath(UserPath&& other) : m_chars(other.m_chars), m_length(other.m_length)
    {
        other.m_chars = nullptr;
    }
    UserPath(const UserPath&) = delete;
    UserPath& operator=(const UserPath&) = delete;
    UserPath& operator=(UserPath&& other)
    {
        std::swap(m_chars, other.m_chars);
        std::swap(m_length, other.m_length);
        return *this;
    }
    ~UserPath();

    StringView view() const { return StringView(m_chars, m_length); }
    bool is_empty() const { return m_length == 0; }
    bool is_absolute() const { return m_length > 0 && m_chars[0] == '/'; }

private:
    UserPath(char* chars, size_t length) : m_chars(chars), m_length(length) {}
    char* m_chars;  // PATH_MAX bytes, NUL-terminated
    size_t m_length;
};

// Linux x86-64's struct stat (asm/stat.h), 144 bytes.
struct LinuxStat {
    u64 dev;
    u64 ino;
    u64 nlink;
    u32 mode;  // S_IFMT type | permission bits
    u32 uid;
    u32 gid;
    u32 pad0;
    u64 rdev;
    i64 size;
    i64 blksize;
    i64 blocks;  // 512-byte units
    i64 atime_sec, atime_nsec;
    i64 mtime_sec, mtime_nsec;
    i64 ctime_sec, ctime_nsec;
    i64 unused[3];
};
static_assert(sizeof(LinuxStat) == 144);

// Fill a struct stat from `attr`.
LinuxStat to_linux_stat(const fs::VAttr& attr);
// Copy `attr` out as a struct stat to `user_buf`. => EFAULT.
ErrorOr<void> copy_stat_out(uptr user_buf, const fs::VAttr& attr);

// One element of a user's struct iovec array.
struct UserIovec {
    uptr base;
    u64 length;
};

// A user's iovec array, copied in and checked: at most IOV_MAX elements,
// no negative length (as ssize_t), and lengths cut so that the total stays
// within MAX_RW_COUNT (as Linux does).
class IovecArray {
public:
    // => EINVAL (count above IOV_MAX, a negative length), EFAULT (the array
    // cannot be read, or an element's range leaves the user half), ENOMEM.
    static ErrorOr<IovecArray> copy_in(uptr user_iov, u64 count);

    IovecArray(IovecArray&& other) : m_items(other.m_items), m_count(other.m_count), m_total(other.m_total)
    {
        other.m_items = nullptr;
    }
    IovecArray(const IovecArray&) = delete;
    IovecArray& operator=(const IovecArray&) = delete;
    IovecArray& operator=(IovecArray&&) = delete;
    ~IovecArray();

    size_t count() const { return m_count; }
    const UserIovec& operator[](size_t i) const { return m_items[i]; }
    // The sum of the lengths (at most MAX_RW_COUNT).
    size_t total() const { return m_total; }

private:
    IovecArray(UserIovec* items, size_t count, size_t total)
        : m_items(items), m_count(count), m_total(total)
    {
    }
    UserIovec* m_items;  // kmalloc'd (nullptr when count is 0)
    size_t m_count;
    size_t m_total;
};

// The walk readv and writev share: `step(buffer, length, done)` moves up to
// `length` bytes for one element (`done` bytes moved before it) and returns
// how many it moved. The walk stops at the first short step. An error after
// some bytes moved is forgotten (=> what moved), as read(2) and Linux's
// do_loop_readv_writev do; an error before any is returned.
template <typename Step> ErrorOr<size_t> transfer_iovecs(const IovecArray& iov, Step&& step)
{
    size_t done = 0;
    for (size_t i = 0; i < iov.count(); ++i) {
        size_t length = size_t(iov[i].length);
        if (length == 0)
            continue;
        ErrorOr<size_t> moved = step(fs::IoBuffer::user(iov[i].base), length, done);
        if (moved.is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(moved.error());
        done += moved.value();
        if (moved.value() < length)
            break;
    }
    return done;
}

} // namespace kern
