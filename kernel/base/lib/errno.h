// kernel/base/lib/errno.h -- error numbers, with Linux x86-64's values.
// The user ABI is Linux's, so the kernel uses the same numbers inside: the
// syscall boundary returns -int(errno) without translation.
#pragma once

#ifdef KERNEL_HOST
// On the host, libc defines these names as macros, which would rewrite the
// enumerators below. Include libc's header once (its include guard keeps it
// from coming back) and drop the macros: host tests use Errno::ENOENT too.
#include <errno.h>
#undef EPERM
#undef ENOENT
#undef ESRCH
#undef EINTR
#undef EIO
#undef ENXIO
#undef E2BIG
#undef ENOEXEC
#undef EBADF
#undef ECHILD
#undef EAGAIN
#undef ENOMEM
#undef EACCES
#undef EFAULT
#undef ENOTBLK
#undef EBUSY
#undef EEXIST
#undef EXDEV
#undef ENODEV
#undef ENOTDIR
#undef EISDIR
#undef EINVAL
#undef ENFILE
#undef EMFILE
#undef ENOTTY
#undef ETXTBSY
#undef EFBIG
#undef ENOSPC
#undef ESPIPE
#undef EROFS
#undef EMLINK
#undef EPIPE
#undef EDOM
#undef ERANGE
#undef EDEADLK
#undef ENAMETOOLONG
#undef ENOLCK
#undef ENOSYS
#undef ENOTEMPTY
#undef ELOOP
#undef ENOMSG
#undef EOVERFLOW
#undef ENOTSUP
#undef ETIMEDOUT
#undef EUCLEAN
#undef ECANCELED
#endif

namespace kern {

enum class Errno : int {
    EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
    ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
    EFAULT = 14, ENOTBLK = 15, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19,
    ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24,
    ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
    EMLINK = 31, EPIPE = 32, EDOM = 33, ERANGE = 34, EDEADLK = 35,
    ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40,
    ENOMSG = 42, EOVERFLOW = 75, ENOTSUP = 95, ETIMEDOUT = 110,
    EUCLEAN = 117,  // "structure needs cleaning": a damaged file-system image
    ECANCELED = 125,
};

// The symbolic name ("ENOENT"), or "E?" for a number not listed above.
const char* errno_name(Errno e);

} // namespace kern
