// kernel/top/syscall/sys_pipe.cpp -- pipe(2) and pipe2(2).
//
// pipe2(fds, flags) makes a pipe (fs/pipe/pipe.h: two Files on one vnode),
// installs the read end and the write end as the two lowest free
// descriptors, and writes them to fds[0] and fds[1] (two ints). flags may
// hold O_CLOEXEC (on both descriptors) and O_NONBLOCK (on both Files);
// anything else is EINVAL. pipe(fds) is pipe2(fds, 0).
//
// Order of work, so that a failure leaves nothing behind: make the pipe
// (ENOMEM frees it), install the read end, install the write end (EMFILE
// closes the read end's descriptor), copy the pair out (EFAULT closes both
// descriptors; the Files and the pipe go with them). Linux writes the pair
// before installing the descriptors; the result for the caller is the same.
// (Linux also accepts O_DIRECT, "packet mode", and O_NOTIFICATION_PIPE;
// here they are EINVAL.)
//
// Read more: pipe(2); Linux fs/pipe.c (do_pipe2); fs/pipe/pipe.cpp.
#include <fs/pipe/pipe.h>
#include <kernel/base/lib/ref_ptr.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

namespace {

// Returns 0. Errors: EINVAL (flags), EFAULT (fds), EMFILE, ENOMEM.
ErrorOr<u64> do_pipe2(UserPtr<int> user_fds, int flags)
{
    if (flags & ~int(fs::O_CLOEXEC | fs::O_NONBLOCK))
        return Errno::EINVAL;
    fs::File* read_end;
    fs::File* write_end;
    TRY(fs::create_pipe(u32(flags), read_end, write_end));
    auto reader = RefPtr<fs::File>::adopt(read_end);  // the descriptors take their own
    auto writer = RefPtr<fs::File>::adopt(write_end);

    bool cloexec = flags & fs::O_CLOEXEC;
    FdTable& fds = Process::current()->fds();
    int pair[2];
    pair[0] = TRY(fds.install(*reader, cloexec));
    auto w = fds.install(*writer, cloexec);
    if (w.is_error()) {
        (void)fds.close(pair[0]);
        return w.error();
    }
    pair[1] = w.value();
    if (copy_to_user(user_fds, pair, 2).is_error()) {
        (void)fds.close(pair[0]);
        (void)fds.close(pair[1]);
        return Errno::EFAULT;
    }
    return 0;
}

} // namespace

// pipe(fds). Errors: EFAULT, EMFILE, ENOMEM.
static ErrorOr<u64> sys_pipe(UserPtr<int> fds) { return do_pipe2(fds, 0); }
SYSCALL(22, pipe);

// pipe2(fds, flags). Errors: also EINVAL (a flag other than O_CLOEXEC, O_NONBLOCK).
static ErrorOr<u64> sys_pipe2(UserPtr<int> fds, int flags) { return do_pipe2(fds, flags); }
SYSCALL(293, pipe2);

} // namespace kern
