// kernel/syscall/sys_console.cpp -- write/writev/ioctl on the console, before file descriptors.
//
// Until the descriptor table exists, descriptors 1 and 2 are the console and
// every other descriptor is EBADF. User bytes are copied in through a small
// kernel buffer (copy_from_user: EFAULT for a bad pointer).
#include <arch/console.h>
#include <arch/usercopy.h>
#include <kernel/syscall/syscall.h>

namespace kern {

static ErrorOr<size_t> console_write_user(uptr buf, size_t n)
{
    char chunk[256];
    size_t done = 0;
    while (done < n) {
        size_t len = min(n - done, sizeof chunk);
        auto r = arch::copy_from_user(chunk, buf + done, len);
        if (r.is_error())
            return done ? ErrorOr<size_t>(done) : ErrorOr<size_t>(r.error());
        arch::console_write(chunk, len);
        done += len;
    }
    return done;
}

static bool is_console(u64 fd) { return fd == 1 || fd == 2; }

SYSCALL(1, write)
{
    if (!is_console(a.a0))
        return Errno::EBADF;
    return TRY(console_write_user(a.a1, size_t(a.a2)));
}

// writev(fd, iov, iovcnt): struct iovec { void* base; size_t len; }.
SYSCALL(20, writev)
{
    if (!is_console(a.a0))
        return Errno::EBADF;
    if (a.a2 > 1024)
        return Errno::EINVAL;  // IOV_MAX
    u64 total = 0;
    for (u64 i = 0; i < a.a2; ++i) {
        struct {
            u64 base, len;
        } iov;
        TRY(arch::copy_from_user(&iov, a.a1 + i * sizeof iov, sizeof iov));
        size_t n = TRY(console_write_user(iov.base, size_t(iov.len)));
        total += n;
        if (n < iov.len)
            break;
    }
    return total;
}

// ioctl: the console is not a terminal yet (the tty comes later): ENOTTY,
// which tells the C library to buffer stdout fully.
SYSCALL(16, ioctl)
{
    if (!is_console(a.a0) && a.a0 != 0)
        return Errno::EBADF;
    return Errno::ENOTTY;
}

} // namespace kern
