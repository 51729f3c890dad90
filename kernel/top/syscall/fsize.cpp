// kernel/top/syscall/fsize.cpp -- RLIMIT_FSIZE's checks (see fsize.h).
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/signal.h>
#include <kernel/top/syscall/fsize.h>

namespace kern {

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

} // namespace kern
