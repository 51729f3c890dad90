// kernel/top/syscall/sys_poll.cpp -- poll, ppoll, select and pselect6: waiting for any of many files.
//
// Every variant is the same loop over a set of files (Linux's do_poll and
// do_select):
//
//   for (;;) {
//       seen = fs::poll_generation();        // before asking, so no wakeup is lost
//       ask each file: vnode().poll(events)   // which events hold now
//       if any file is ready, or the timeout is 0 or past: return
//       fs::poll_wait(seen, deadline)         // until a stream changes, the
//   }                                         // deadline, or a signal (EINTR)
//
// A stream calls fs::poll_notify() whenever its answer may have changed
// (fs/vfs/poll.h: one global generation, so every poller wakes and looks
// again; simple, and never loses a wakeup). Regular files and directories
// are always ready (Vnode::poll's default). A pipe's two ends are one vnode:
// the File's access mode says which end is asked, so POLLIN is not reported
// on a write end nor POLLOUT on a read end.
//
// What differs between the four calls:
//
//   poll(fds, n, ms)         struct pollfd[n]; ms < 0: no timeout. A bad
//                            descriptor is POLLNVAL in its revents (not an
//                            error); fd < 0 is skipped. n > RLIMIT_NOFILE
//                            (1024 here): EINVAL.
//   ppoll(fds, n, ts, mask)  a struct timespec (NULL: none), and a signal
//                            mask in place while waiting.
//   select(n, r, w, e, tv)   three fd_set bitmaps of n bits, replaced by the
//                            ready ones; a set bit naming no open descriptor:
//                            EBADF. POLLIN|POLLHUP|POLLERR count as readable,
//                            POLLOUT|POLLERR as writable, POLLPRI as an
//                            exception. n < 0: EINVAL; as Linux, n above the
//                            descriptor table's size (1024) is cut to it,
//                            not refused.
//   pselect6(..., ts, sig)   a struct timespec, and sig -> {mask*, size}.
//
// Timeouts are relative; the kernel turns them into a monotonic deadline
// (arch/time.h). A negative or malformed time is EINVAL. As Linux, select,
// ppoll and pselect6 write the time left back (failing to write it is not
// an error). A signal ends the wait with EINTR. When no handler ran (the
// signal was ignored, or stopped and continued the process) the signal code
// restarts the call: poll has armed the restart block (signal.h:
// RestartBlock) with its fds, nfds and absolute deadline, and goes on
// through restart_syscall (continue_poll) to the same deadline, as Linux's
// do_restart_poll; select, ppoll and pselect6 are re-issued, having
// written the time left back. After a handler the caller
// sees EINTR, even with SA_RESTART, as in Linux, which never restarts poll
// or select after a handler (kernel/top/proc/signal.cpp:restartable).
//
// The temporary signal mask of ppoll/pselect6 (kernel/top/proc/signal.h:
// TemporarySignalMask) works as rt_sigsuspend's: when the wait ends with
// EINTR, the old mask is saved in the process and comes back after the
// handler; otherwise it comes back at once.
//
// Read more: poll(2), select(2); Linux fs/select.c (do_sys_poll,
// core_sys_select, poll_select_finish, do_restart_poll); fs/vfs/poll.h.
#include <arch/time.h>
#include <fs/vfs/poll.h>
#include <kernel/base/sched/thread.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>
#include <kernel/top/syscall/user_file.h>

namespace kern {

namespace {

using fs::POLLERR, fs::POLLHUP, fs::POLLIN, fs::POLLNVAL, fs::POLLOUT, fs::POLLPRI, fs::POLLRDBAND,
    fs::POLLRDNORM, fs::POLLWRBAND, fs::POLLWRNORM;

constexpr u32 POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
constexpr u32 POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
constexpr u32 POLLEX_SET = POLLPRI;

constexpr u64 NS_PER_SEC = 1000000000;
constexpr u64 NO_DEADLINE = ~u64(0);

// ---- asking one file ----

// Which of `events` hold for `file` (POLLERR and POLLHUP always count).
u32 file_ready(fs::File& file, u32 events)
{
    u32 wanted = events | POLLERR | POLLHUP;
    u32 ready = file.vnode().poll(wanted);
    if (file.vnode().is_stream()) {
        if (!file.readable())
            ready &= ~(POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI);
        if (!file.writable())
            ready &= ~(POLLOUT | POLLWRNORM | POLLWRBAND);
    }
    return ready & wanted;
}

// ---- the loop ----

// Ask with `scan` (which returns how many files are ready) until one is,
// the deadline (absolute ns, or NO_DEADLINE; "now" for a zero timeout)
// passes, or a signal comes. Returns the last scan's count (0: timed out).
// Errors: EINTR.
template <typename Scan> ErrorOr<u64> poll_loop(u64 deadline, Scan&& scan)
{
    for (;;) {
        u64 seen = fs::poll_generation();
        u64 ready = TRY(scan());
        if (ready > 0)
            return ready;
        if (deadline != NO_DEADLINE && arch::monotonic_ns() >= deadline)
            return u64(0);
        u64 until = deadline == NO_DEADLINE ? 0 : max(deadline, u64(1));  // 0 means "none"
        if (fs::poll_wait(seen, until) == WaitQueue::Result::Interrupted)
            return Errno::EINTR;
    }
}

// ---- timeouts ----

// Now + `ns`, saturated.
u64 deadline_after(u64 ns)
{
    u64 now = arch::monotonic_ns();
    return ns >= NO_DEADLINE - now ? NO_DEADLINE - 1 : now + ns;
}

struct LinuxTimespec {
    i64 sec, nsec;
};
struct LinuxTimeval {
    i64 sec, usec;
};

using UserTimespec = UserPtr<LinuxTimespec>;
using UserTimeval = UserPtr<LinuxTimeval>;

// Returns the deadline of a relative struct timespec (NULL: no deadline).
// Errors: EFAULT, EINVAL.
ErrorOr<u64> timespec_deadline(UserTimespec user_ts)
{
    if (!user_ts)
        return NO_DEADLINE;
    LinuxTimespec ts;
    TRY(copy_from_user(&ts, user_ts));
    if (ts.sec < 0 || ts.nsec < 0 || u64(ts.nsec) >= NS_PER_SEC)
        return Errno::EINVAL;
    if (u64(ts.sec) >= (NO_DEADLINE - NS_PER_SEC) / NS_PER_SEC)
        return deadline_after(NO_DEADLINE);
    return deadline_after(u64(ts.sec) * NS_PER_SEC + u64(ts.nsec));
}

// select's struct timeval; as Linux, usec beyond a second carries over.
// Errors: EFAULT, EINVAL.
ErrorOr<u64> timeval_deadline(UserTimeval user_tv)
{
    if (!user_tv)
        return NO_DEADLINE;
    LinuxTimeval tv;
    TRY(copy_from_user(&tv, user_tv));
    i64 sec = tv.sec + tv.usec / 1000000;
    i64 nsec = (tv.usec % 1000000) * 1000;
    if (tv.sec < 0 || sec < 0 || nsec < 0)
        return Errno::EINVAL;
    if (u64(sec) >= (NO_DEADLINE - NS_PER_SEC) / NS_PER_SEC)
        return deadline_after(NO_DEADLINE);
    return deadline_after(u64(sec) * NS_PER_SEC + u64(nsec));
}

u64 time_left(u64 deadline)
{
    u64 now = arch::monotonic_ns();
    return deadline > now ? deadline - now : 0;
}

// Write the time left back (Linux does; a fault there is ignored, as Linux's
// poll_select_finish ignores it).
void write_back_timespec(UserTimespec user_ts, u64 deadline)
{
    if (!user_ts || deadline == NO_DEADLINE)
        return;
    u64 left = time_left(deadline);
    LinuxTimespec ts{i64(left / NS_PER_SEC), i64(left % NS_PER_SEC)};
    (void)copy_to_user(user_ts, &ts);
}

void write_back_timeval(UserTimeval user_tv, u64 deadline)
{
    if (!user_tv || deadline == NO_DEADLINE)
        return;
    u64 left = time_left(deadline);
    LinuxTimeval tv{i64(left / NS_PER_SEC), i64(left % NS_PER_SEC / 1000)};
    (void)copy_to_user(user_tv, &tv);
}

// Run `call` with the user's mask at `user_mask` (NULL: the current one).
// Returns call's result. Errors: EINVAL (size), EFAULT, call's.
template <typename Call> ErrorOr<u64> with_mask(UserPtr<const SigSet> user_mask, u64 size, Call&& call)
{
    if (!user_mask)
        return call();
    if (size != sizeof(SigSet))
        return Errno::EINVAL;
    SigSet mask;
    TRY(copy_from_user(&mask, user_mask));
    TemporarySignalMask temporary(mask);
    ErrorOr<u64> result = call();
    temporary.finish(result.is_error() && result.error() == Errno::EINTR);
    return result;
}

// ---- poll ----

struct PollFd {
    i32 fd;
    i16 events;
    i16 revents;
};
static_assert(sizeof(PollFd) == 8);

// Fill every revents. Returns how many are non-zero.
u64 scan_pollfds(PollFd* fds, u64 n)
{
    u64 ready = 0;
    for (u64 i = 0; i < n; ++i) {
        PollFd& p = fds[i];
        p.revents = 0;
        if (p.fd < 0)
            continue;
        auto file = file_of(p.fd);
        u32 revents = file.is_error() ? POLLNVAL : file_ready(*file.value(), u16(p.events));
        p.revents = i16(revents);
        if (revents)
            ++ready;
    }
    return ready;
}

using UserPollFds = UserPtr<PollFd>;

// Returns the number of ready entries. Errors: EINVAL (nfds), EFAULT,
// ENOMEM, EINTR.
ErrorOr<u64> do_poll(UserPollFds user_fds, u64 nfds, u64 deadline)
{
    if (nfds > u64(Process::current()->fds().limit()))
        return Errno::EINVAL;  // above RLIMIT_NOFILE, as Linux
    KBuffer buf = TRY(KBuffer::create(max<size_t>(nfds * sizeof(PollFd), 1)));
    auto* fds = reinterpret_cast<PollFd*>(buf.data());
    if (nfds > 0)  // poll(NULL, 0, ms) is a sleep
        TRY(copy_from_user(fds, user_fds, nfds));
    ErrorOr<u64> result = poll_loop(deadline, [&]() -> ErrorOr<u64> { return scan_pollfds(fds, nfds); });
    for (u64 i = 0; i < nfds; ++i) {
        UserPtr<i16> revents(user_fds.element(i).address() + offsetof(PollFd, revents));
        TRY(copy_to_user(revents, &fds[i].revents));
    }
    return result;
}

ErrorOr<u64> continue_poll(const RestartBlock& block);

// poll's body: do_poll, and on EINTR the restart block armed so that a
// restart goes on to the same deadline (Linux's sys_poll). Returns and
// fails as do_poll.
ErrorOr<u64> poll_with_restart(UserPollFds user_fds, u64 nfds, u64 deadline)
{
    ErrorOr<u64> result = do_poll(user_fds, nfds, deadline);
    if (result.is_error() && result.error() == Errno::EINTR) {
        RestartBlock block;
        block.fn = continue_poll;
        block.user_fds = user_fds.address();
        block.nfds = nfds;
        block.deadline = deadline;
        arm_restart_block(block);
    }
    return result;
}

// restart_syscall's continuation of poll (Linux's do_restart_poll).
ErrorOr<u64> continue_poll(const RestartBlock& block)
{
    return poll_with_restart(UserPollFds(block.user_fds), block.nfds, block.deadline);
}

// ---- select ----

constexpr u64 SELECT_MAX = FdTable::MAX_FDS;
constexpr size_t SET_WORDS = SELECT_MAX / 64;

struct FdSets {
    u64 in[SET_WORDS], out[SET_WORDS], ex[SET_WORDS];
};

bool test_bit(const u64* set, u64 fd) { return (set[fd / 64] >> (fd % 64)) & 1; }
void set_bit(u64* set, u64 fd) { set[fd / 64] |= u64(1) << (fd % 64); }

// A user's fd_set: an array of bits, in 64-bit words.
using UserFdSet = UserPtr<u64>;

// Copy a user fd_set of `bytes` in (NULL: empty). Errors: EFAULT.
ErrorOr<void> copy_set_in(u64* set, UserFdSet user_set, size_t bytes)
{
    for (size_t i = 0; i < SET_WORDS; ++i)
        set[i] = 0;
    if (user_set)
        TRY(copy_from_user(set, user_set, bytes / sizeof(u64)));
    return {};
}

// Every descriptor named in any set must be open. Errors: EBADF.
ErrorOr<void> check_select_fds(const FdSets& want, u64 n)
{
    for (u64 fd = 0; fd < n; ++fd)
        if (test_bit(want.in, fd) || test_bit(want.out, fd) || test_bit(want.ex, fd))
            TRY(file_of(int(fd)));
    return {};
}

// One pass: the ready descriptors into `got`. Returns how many bits are set.
u64 scan_fd_sets(const FdSets& want, FdSets& got, u64 n)
{
    got = FdSets{};
    u64 ready = 0;
    for (u64 fd = 0; fd < n; ++fd) {
        bool in = test_bit(want.in, fd), out = test_bit(want.out, fd), ex = test_bit(want.ex, fd);
        if (!in && !out && !ex)
            continue;
        auto file = file_of(int(fd));
        if (file.is_error())
            continue;  // closed since the check: never ready
        u32 events = (in ? POLLIN_SET : 0) | (out ? POLLOUT_SET : 0) | (ex ? POLLEX_SET : 0);
        u32 r = file_ready(*file.value(), events);
        if (in && (r & POLLIN_SET)) {
            set_bit(got.in, fd);
            ++ready;
        }
        if (out && (r & POLLOUT_SET)) {
            set_bit(got.out, fd);
            ++ready;
        }
        if (ex && (r & POLLEX_SET)) {
            set_bit(got.ex, fd);
            ++ready;
        }
    }
    return ready;
}

// Returns the number of ready bits. Errors: EINVAL (n < 0), EFAULT, EBADF, EINTR.
ErrorOr<u64> do_select(int n_arg, UserFdSet user_in, UserFdSet user_out, UserFdSet user_ex, u64 deadline)
{
    if (n_arg < 0)
        return Errno::EINVAL;
    u64 n = min(u64(n_arg), SELECT_MAX);  // Linux cuts n to the table's size
    size_t bytes = size_t((n + 63) / 64 * 8);
    FdSets want, got;
    TRY(copy_set_in(want.in, user_in, bytes));
    TRY(copy_set_in(want.out, user_out, bytes));
    TRY(copy_set_in(want.ex, user_ex, bytes));
    TRY(check_select_fds(want, n));
    u64 ready = TRY(poll_loop(deadline, [&]() -> ErrorOr<u64> { return scan_fd_sets(want, got, n); }));
    if (user_in)
        TRY(copy_to_user(user_in, got.in, bytes / sizeof(u64)));
    if (user_out)
        TRY(copy_to_user(user_out, got.out, bytes / sizeof(u64)));
    if (user_ex)
        TRY(copy_to_user(user_ex, got.ex, bytes / sizeof(u64)));
    return ready;
}

// pselect6's last argument points at this (either field may be NULL).
struct PselectSigmask {
    uptr mask;  // const sigset_t*
    u64 size;
};

} // namespace

// poll(fds, nfds, timeout_ms). Returns the ready entries. Errors: EINVAL,
// EFAULT, EINTR, ENOMEM.
static ErrorOr<u64> sys_poll(UserPollFds fds, unsigned nfds, int timeout_ms)
{
    u64 deadline = timeout_ms < 0 ? NO_DEADLINE : deadline_after(u64(timeout_ms) * 1000000);
    return poll_with_restart(fds, nfds, deadline);
}
SYSCALL(7, poll);

// ppoll(fds, nfds, timeout_ts, sigmask, sigsetsize). Returns as poll.
// Errors: as poll, and EINVAL for a bad timespec or sigsetsize != 8.
static ErrorOr<u64> sys_ppoll(UserPollFds fds, unsigned nfds, UserTimespec timeout,
                              UserPtr<const SigSet> sigmask, size_t sigsetsize)
{
    u64 deadline = TRY(timespec_deadline(timeout));
    auto result = with_mask(sigmask, sigsetsize, [&] { return do_poll(fds, nfds, deadline); });
    write_back_timespec(timeout, deadline);
    return result;
}
SYSCALL(271, ppoll);

// select(n, readfds, writefds, exceptfds, timeout_tv). Returns the ready
// bits. Errors: EINVAL (n < 0, a negative time), EBADF, EFAULT, EINTR.
static ErrorOr<u64> sys_select(int n, UserFdSet in, UserFdSet out, UserFdSet ex, UserTimeval timeout)
{
    u64 deadline = TRY(timeval_deadline(timeout));
    auto result = do_select(n, in, out, ex, deadline);
    write_back_timeval(timeout, deadline);
    return result;
}
SYSCALL(23, select);

// pselect6(n, readfds, writefds, exceptfds, timeout_ts, sig): sig points
// at {const sigset_t* mask; size_t size} (either may be NULL). Returns and
// fails as select, and as ppoll for the mask.
static ErrorOr<u64> sys_pselect6(int n, UserFdSet in, UserFdSet out, UserFdSet ex, UserTimespec timeout,
                                 UserPtr<const PselectSigmask> user_sig)
{
    u64 deadline = TRY(timespec_deadline(timeout));
    PselectSigmask sig = {0, 0};
    if (user_sig)
        TRY(copy_from_user(&sig, user_sig));
    auto result = with_mask(UserPtr<const SigSet>(sig.mask), sig.size,
                            [&] { return do_select(n, in, out, ex, deadline); });
    write_back_timespec(timeout, deadline);
    return result;
}
SYSCALL(270, pselect6);

} // namespace kern
