// fs/dev/tty.cpp -- the console terminal driver: input from the UART, reads, writes, ioctls, job control.
//
// Input: polled from the timer tick. The arch code calls our input
// handler (arch::console_set_input_handler) at every timer interrupt
// (HZ = 100), and the handler drains the UART with arch::console_try_read
// into the line discipline, in interrupt context. Why not the UART's own
// receive interrupt (IRQ 4)? It needs an interrupt controller route: the
// legacy PICs are masked (arch/x86_64/timer.cpp) and there is no I/O APIC
// driver yet, so IRQ 4 would mean writing one, and under TCG both ways
// behave the same. Polling costs one port read per tick, delays a keystroke
// by at most 10 ms, and loses nothing: bytes we do not take stay in the
// UART's 16-byte FIFO and QEMU holds back the rest of its input until
// there is room (its serial device only accepts what the FIFO can hold).
// When the line discipline's buffer is full we simply stop taking bytes,
// which is the same flow control. An interrupt-driven UART is a lab.
//
// Locking. m_lock, a SpinLock, guards the line discipline, the window size
// and the job-control fields; the input handler takes it in interrupt
// context, so it must be a SpinLock and nothing under it may sleep. Echo
// and output are written to the UART under m_lock (polled output: fast
// under QEMU; on real hardware a lab would add an output queue). Copies to
// and from user memory happen outside it, through a 256-byte bounce buffer
// on the stack. Signals are sent after m_lock is released: m_lock is never
// held while taking the process tree lock, nor the other way round.
//
// Reading (Linux's n_tty_read):
//   canonical   wait until a whole line (or ^D) is typed; return at most
//               that line; ^D at the start of a line returns 0 (EOF).
//   raw         c_cc[VMIN] and c_cc[VTIME] (tenths of a second) decide:
//                 MIN>0 TIME=0  wait until MIN bytes (or the count asked
//                               for) have been read
//                 MIN=0 TIME=0  return what is there, maybe 0, at once
//                 MIN=0 TIME>0  wait up to TIME for a first byte; 0 if none
//                 MIN>0 TIME>0  wait for a first byte, then until MIN, or
//                               TIME passes with no new byte
//   O_NONBLOCK gives EAGAIN instead of waiting (MIN=0 TIME=0 gives 0, as
//   Linux). A signal ends a wait: EINTR, or the bytes read so far.
//
// Job control. The terminal belongs to one session (m_session) and signals
// one foreground process group (m_foreground): ^C, ^\ and ^Z go there, and
// TIOCSPGRP moves it (a shell does, for each job) to another group of the
// session (EPERM for any other group, ESRCH if nobody has the number).
// Linux gives a session leader its controlling terminal when it opens
// one; our console Files are made before the first process exists
// (dev::open_console), so instead a session leader adopts the terminal at
// its first read or ioctl if the terminal is free: no session (none yet,
// or its leader exited and session_leader_exited cleared it), or a
// session whose leader is gone. That is how /init, or a shell run as
// process 1, gets ^C and job control. TIOCSCTTY takes it explicitly,
// TIOCNOTTY gives it up.
//
// Background jobs (termios(3), "Job control"; Linux's __tty_check_change).
// A process of the terminal's session that is not in the foreground group
// (check_foreground) may not read the terminal, nor write it when TOSTOP
// is set, nor change it (TCSETS*, TCFLSH, TCSBRK, TCXONC, TIOCSPGRP):
//
//                            read (SIGTTIN)   write with TOSTOP, change (SIGTTOU)
//   signal blocked/ignored   EIO              allowed (a shell ignores SIGTTOU
//                                             to take the terminal back)
//   group orphaned           EIO              EIO
//   otherwise                the signal to the caller's group, and EINTR: the
//                            call restarts after the stop and the continue
//
// The kernel side of that table is kern::background_terminal_access.
// Everything the terminal asks about processes -- whether a session's
// leader is alive, whether a group is of a session, sending a signal to a
// group -- goes through kernel/top/proc's public headers (process.h,
// signal.h); the terminal never walks the process table itself.
// A process outside the session (it has another controlling terminal, or
// none) is not checked. When the session leader exits, the foreground
// group gets SIGHUP then SIGCONT and the terminal is free
// (session_leader_exited, Linux's disassociate_ctty); TIOCNOTTY by the
// leader does the same. Unlike Linux, the terminal is not hung up:
// a process that survives SIGHUP may go on reading and writing it.
//
// Read more: Linux drivers/tty/tty_io.c (tty_ioctl, tiocspgrp, tiocsctty),
// drivers/tty/tty_jobctrl.c, drivers/tty/n_tty.c (n_tty_read, n_tty_poll);
// NetBSD sys/kern/tty.c (ttread's VMIN/VTIME table); xv6 console.c;
// termios(3), tty_ioctl(4).
#include <arch/console.h>
#include <arch/time.h>
#include <arch/usercopy.h>
#include <fs/dev/tty.h>
#include <fs/vfs/device.h>
#include <fs/vfs/poll.h>
#include <kernel/base/abi/linux/ioctls.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/proc/signal.h>

namespace dev {

using fs::POLLERR, fs::POLLHUP, fs::POLLIN, fs::POLLOUT, fs::POLLRDNORM, fs::POLLWRNORM;
using kern::Process;
using kern::SpinGuard;

namespace {

constexpr size_t CHUNK = 256;  // bytes per bounce through the stack
constexpr u64 NS_PER_DECISECOND = 100000000;

// ioctl requests: kernel/base/abi/linux/ioctls.h.
using uapi::FIONREAD, uapi::TCFLSH, uapi::TCGETS, uapi::TCIFLUSH, uapi::TCIOFLUSH, uapi::TCSBRK,
    uapi::TCSETS, uapi::TCSETSF, uapi::TCSETSW, uapi::TCXONC, uapi::TIOCGPGRP, uapi::TIOCGSID,
    uapi::TIOCGWINSZ, uapi::TIOCNOTTY, uapi::TIOCOUTQ, uapi::TIOCSCTTY, uapi::TIOCSPGRP,
    uapi::TIOCSWINSZ;

// Echo and output go straight to the UART, with no "\n" translation: the
// line discipline has done the output processing.
class ConsoleSink final : public Sink {
public:
    void put(const char* s, size_t n) override { arch::console_write_raw(s, n); }
};

int signal_number(TtySignal s)
{
    switch (s) {
    case TtySignal::Interrupt: return kern::SIGINT;
    case TtySignal::Quit: return kern::SIGQUIT;
    case TtySignal::Suspend: return kern::SIGTSTP;
    default: return 0;
    }
}

template <typename T> ErrorOr<void> copy_out(uptr user, const T& value)
{
    return arch::copy_to_user(user, &value, sizeof value);
}

Tty* s_console;

} // namespace

Tty::Tty() : fs::Vnode(fs::VType::CharDevice, nullptr) {}

Tty& console_tty()
{
    KASSERT_MSG(s_console, "console_tty before dev::init");
    return *s_console;
}

// ---- input (interrupt context) ----

void Tty::receive_input()
{
    bool raised[4] = {};
    u32 foreground;
    {
        SpinGuard guard(m_lock);
        ConsoleSink echo;
        bool got = false;
        char c;
        while (m_ld.can_receive() && arch::console_try_read(c)) {
            raised[size_t(m_ld.receive(u8(c), echo))] = true;
            got = true;
        }
        if (!got)
            return;
        m_readers.wake_all();
        foreground = m_foreground;
    }
    fs::poll_notify();
    static constexpr TtySignal kinds[] = {TtySignal::Interrupt, TtySignal::Quit, TtySignal::Suspend};
    for (TtySignal s : kinds)
        if (raised[size_t(s)] && foreground)
            (void)kern::signal_process_group(foreground, signal_number(s));  // ESRCH: nobody there
}

// ---- reading ----

// Nothing is waiting: may the read return now with `done` of its `n` bytes
// (true), or must it wait for more (false)? => m_lock held.
bool Tty::read_may_return_locked(size_t n, size_t done) const
{
    if (m_ld.canonical())
        return done > 0;  // the rest of the line went to another reader
    const Termios& t = m_ld.termios();
    u8 vmin = t.c_cc[VMIN], vtime = t.c_cc[VTIME];
    if (vmin == 0)
        return vtime == 0 || done > 0;  // MIN 0: any byte (or none, TIME 0) will do
    return done >= min(size_t(vmin), n);
}

// VTIME's timer, in `deadline` (0: none): with MIN 0 one timer for the
// whole read; with MIN > 0 one between bytes, started by the first.
void Tty::arm_read_timer_locked(size_t done, u64& deadline) const
{
    const Termios& t = m_ld.termios();
    u64 vtime = t.c_cc[VTIME];
    if (m_ld.canonical() || vtime == 0)
        return;
    if (t.c_cc[VMIN] == 0 && deadline == 0)
        deadline = arch::monotonic_ns() + vtime * NS_PER_DECISECOND;
    else if (t.c_cc[VMIN] > 0)
        deadline = done > 0 ? arch::monotonic_ns() + vtime * NS_PER_DECISECOND : 0;
}

// Wait until the read may take bytes (returns true) or must return what it
// has (false). => m_lock held. Errors (only while nothing was read, done
// == 0): EAGAIN, EINTR.
ErrorOr<bool> Tty::wait_for_input_locked(size_t n, size_t done, u32 file_flags, u64& deadline)
{
    arm_read_timer_locked(done, deadline);
    for (;;) {
        if (m_ld.canonical() ? m_ld.readable() : m_ld.available() > 0)
            return true;
        if (read_may_return_locked(n, done))
            return false;
        if (file_flags & fs::O_NONBLOCK) {
            if (done > 0)
                return false;
            return Errno::EAGAIN;
        }
        auto result = m_readers.wait_interruptible(m_lock, deadline);
        if (result == kern::WaitQueue::Result::TimedOut)
            return false;
        if (result == kern::WaitQueue::Result::Interrupted) {
            if (done > 0)
                return false;
            return Errno::EINTR;
        }
    }
}

ErrorOr<size_t> Tty::stream_read(const fs::IoBuffer& buf, size_t n, u32 file_flags)
{
    adopt_if_free(Process::current());
    TRY(check_foreground(kern::SIGTTIN));
    size_t done = 0;
    u64 deadline = 0;
    char chunk[CHUNK];
    while (done < n) {
        size_t got;
        bool line_ended;
        {
            SpinGuard guard(m_lock);
            if (!TRY(wait_for_input_locked(n, done, file_flags, deadline)))
                break;
            got = m_ld.read(chunk, min(CHUNK, n - done), line_ended);
        }
        // The bytes are out of the line discipline now: a bad buffer loses them.
        if (got > 0 && buf.write_from(done, chunk, got).is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(Errno::EFAULT);
        done += got;
        if (line_ended || got == 0)
            break;
    }
    return done;
}

// ---- writing ----

ErrorOr<size_t> Tty::stream_write(const fs::IoBuffer& buf, size_t n, u32)
{
    bool tostop;
    {
        SpinGuard guard(m_lock);
        tostop = m_ld.termios().c_lflag & TOSTOP;
    }
    if (tostop)
        TRY(check_foreground(kern::SIGTTOU));
    size_t done = 0;
    char chunk[CHUNK];
    while (done < n) {
        size_t len = min(CHUNK, n - done);
        if (buf.read_into(chunk, done, len).is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(Errno::EFAULT);
        {
            SpinGuard guard(m_lock);
            ConsoleSink out;
            m_ld.write(chunk, len, out);
        }
        done += len;
    }
    return done;
}

// ---- ioctl ----

ErrorOr<u64> Tty::ioctl(u32 request, uptr arg)
{
    adopt_if_free(Process::current());
    switch (request) {
    case TCGETS: return termios_ioctl(request, arg);
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
    case TCFLSH:
    case TCSBRK:
    case TCXONC:
        TRY(check_foreground(kern::SIGTTOU));  // they change the terminal
        return termios_ioctl(request, arg);
    case TIOCSCTTY:
    case TIOCNOTTY:
    case TIOCGPGRP:
    case TIOCSPGRP:
    case TIOCGSID: return job_ioctl(request, arg);
    case TIOCGWINSZ:
    case TIOCSWINSZ: return window_ioctl(request, arg);
    case FIONREAD:
    case TIOCOUTQ: {
        int bytes = 0;  // TIOCOUTQ: output is written at once, nothing queued
        if (request == FIONREAD) {
            SpinGuard guard(m_lock);
            bytes = int(m_ld.available());
        }
        TRY(copy_out(arg, bytes));
        return u64(0);
    }
    default: return Errno::ENOTTY;
    }
}

// TIOCGWINSZ, TIOCSWINSZ: the window size is only remembered (a serial
// line cannot measure it); a change sends SIGWINCH to the foreground.
ErrorOr<u64> Tty::window_ioctl(u32 request, uptr arg)
{
    Winsize size;
    if (request == TIOCGWINSZ) {
        {
            SpinGuard guard(m_lock);
            size = m_winsize;
        }
        TRY(copy_out(arg, size));
        return u64(0);
    }
    TRY(arch::copy_from_user(&size, arg, sizeof size));
    bool changed;
    {
        SpinGuard guard(m_lock);
        changed = __builtin_memcmp(&size, &m_winsize, sizeof size) != 0;
        m_winsize = size;
    }
    if (changed)
        signal_foreground(kern::SIGWINCH);
    return u64(0);
}

// The settings: TCGETS, TCSETS (now), TCSETSW (after output drains: it
// always has), TCSETSF (and drop the input), TCFLSH, and the no-ops
// TCSBRK (tcdrain, tcsendbreak) and TCXONC (tcflow).
ErrorOr<u64> Tty::termios_ioctl(u32 request, uptr arg)
{
    switch (request) {
    case TCGETS: {
        Termios t;
        {
            SpinGuard guard(m_lock);
            t = m_ld.termios();
        }
        TRY(copy_out(arg, t));
        return u64(0);
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
        Termios t;
        TRY(arch::copy_from_user(&t, arg, sizeof t));
        {
            SpinGuard guard(m_lock);
            if (request == TCSETSF)
                m_ld.flush_input();
            m_ld.set_termios(t);
            m_readers.wake_all();  // a new mode may make input readable
        }
        fs::poll_notify();
        return u64(0);
    }
    case TCFLSH: {
        if (arg > TCIOFLUSH)
            return Errno::EINVAL;
        if (arg == TCIFLUSH || arg == TCIOFLUSH) {
            SpinGuard guard(m_lock);
            m_ld.flush_input();
        }
        fs::poll_notify();
        return u64(0);
    }
    default: return u64(0);  // TCSBRK, TCXONC
    }
}

// ---- job control ----

bool Tty::controls_locked(const Process* caller) const
{
    return caller && m_session != 0 && caller->sid() == m_session;
}

// A session leader takes a free terminal as its controlling terminal (see
// the top of the file).
void Tty::adopt_if_free(Process* caller)
{
    if (!caller || caller->pid() != caller->sid())
        return;
    u32 session;
    {
        SpinGuard guard(m_lock);
        session = m_session;
    }
    if (session == caller->sid() || (session != 0 && kern::session_leader_running(session)))
        return;
    SpinGuard guard(m_lock);
    if (m_session == session) {  // nobody else took it meanwhile
        m_session = caller->sid();
        m_foreground = caller->pgid();
    }
}

// TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID. Everyone is root,
// so TIOCSCTTY may steal the terminal (Linux: with arg 1 and
// CAP_SYS_ADMIN). TIOCSPGRP: set_foreground.
ErrorOr<u64> Tty::job_ioctl(u32 request, uptr arg)
{
    Process* self = Process::current();
    if (!self)
        return Errno::ENOTTY;
    if (request == TIOCSCTTY) {
        if (self->pid() != self->sid())
            return Errno::EPERM;  // only a session leader
        SpinGuard guard(m_lock);
        m_session = self->sid();
        m_foreground = self->pgid();
        return u64(0);
    }
    if (request == TIOCSPGRP)
        return set_foreground(arg);
    int value;
    u32 hung_up = 0;
    {
        SpinGuard guard(m_lock);
        if (!controls_locked(self))
            return Errno::ENOTTY;
        if (request == TIOCNOTTY) {
            if (self->pid() == self->sid()) {  // the leader gives it up for the session
                hung_up = m_foreground;
                m_session = m_foreground = 0;
            }
        }
        value = int(request == TIOCGPGRP ? m_foreground : m_session);
    }
    if (request == TIOCNOTTY) {
        hang_up(hung_up);
        return u64(0);
    }
    TRY(copy_out(arg, value));
    return u64(0);
}

// TIOCSPGRP, in Linux's order (tiocspgrp): a background caller's checks
// (EIO becomes ENOTTY), the group number (EFAULT; negative: EINVAL), the
// caller's terminal (ENOTTY), then the group (kern::check_group_in_session:
// a number no process, group or session has is ESRCH, and a group of
// another session EPERM). The group is checked under the process tree
// lock and set under m_lock
// afterwards (the two are never held together), so a group whose last
// member exits in between may become the foreground: a kill of it finds
// nobody, as for a group that empties later.
ErrorOr<u64> Tty::set_foreground(uptr arg)
{
    Process* self = Process::current();
    if (auto allowed = check_foreground(kern::SIGTTOU); allowed.is_error())
        return allowed.error() == Errno::EIO ? Errno::ENOTTY : allowed.error();
    int pgrp;
    TRY(arch::copy_from_user(&pgrp, arg, sizeof pgrp));
    if (pgrp < 0)
        return Errno::EINVAL;
    {
        SpinGuard guard(m_lock);
        if (!controls_locked(self))
            return Errno::ENOTTY;
    }
    TRY(kern::check_group_in_session(u32(pgrp), self->sid()));
    SpinGuard guard(m_lock);
    if (!controls_locked(self))
        return Errno::ENOTTY;  // given up meanwhile
    m_foreground = u32(pgrp);
    return u64(0);
}

// Linux's __tty_check_change: see "Background jobs" at the top of the
// file. Errors: EIO; EINTR (the signal went to the caller's group).
ErrorOr<void> Tty::check_foreground(int sig)
{
    Process* self = Process::current();
    if (!self)
        return {};
    u32 session, foreground;
    {
        SpinGuard guard(m_lock);
        session = m_session;
        foreground = m_foreground;
    }
    if (session == 0 || self->sid() != session || foreground == 0 || self->pgid() == foreground)
        return {};
    return kern::background_terminal_access(sig);
}

void Tty::session_leader_exited(u32 sid)
{
    u32 foreground;
    {
        SpinGuard guard(m_lock);
        if (sid == 0 || m_session != sid)
            return;
        foreground = m_foreground;
        m_session = m_foreground = 0;
    }
    hang_up(foreground);
}

// The terminal was taken from `foreground`'s session: SIGHUP, and SIGCONT
// for a stopped job, to that group (no-op for 0 or an empty group).
void Tty::hang_up(u32 foreground)
{
    if (!foreground)
        return;
    (void)kern::signal_process_group(foreground, kern::SIGHUP);
    (void)kern::signal_process_group(foreground, kern::SIGCONT);
}

void Tty::signal_foreground(int sig)
{
    u32 foreground;
    {
        SpinGuard guard(m_lock);
        foreground = m_foreground;
    }
    if (foreground)
        (void)kern::signal_process_group(foreground, sig);
}

// ---- the rest of the vnode ----

u32 Tty::poll(u32 events)
{
    SpinGuard guard(m_lock);
    const Termios& t = m_ld.termios();
    // As n_tty_poll: in raw mode with VTIME 0, "readable" means VMIN bytes.
    size_t min_raw = t.c_cc[VTIME] == 0 && t.c_cc[VMIN] > 0 ? t.c_cc[VMIN] : 1;
    u32 ready = POLLOUT | POLLWRNORM;
    if (m_ld.readable(min_raw))
        ready |= POLLIN | POLLRDNORM;
    return ready & (events | POLLHUP | POLLERR);
}

ErrorOr<fs::VAttr> Tty::getattr()
{
    fs::VAttr attr;
    attr.type = fs::VType::CharDevice;
    attr.mode = 0620;
    attr.nlink = 1;
    attr.ino = 1;
    attr.rdev = fs::makedev(5, 1);
    return attr;
}

// chmod/chown of an open terminal is accepted and forgotten (the node in
// /dev keeps its own attributes); it has no size.
ErrorOr<void> Tty::setattr(const fs::VAttr&, u32 mask)
{
    if (mask & fs::SETATTR_SIZE)
        return Errno::EINVAL;
    return {};
}

void session_leader_exited(u32 sid)
{
    if (s_console)
        s_console->session_leader_exited(sid);
}

// ---- start-up ----

ErrorOr<void> tty_init()
{
    KASSERT(!s_console);
    auto* tty = new (std::nothrow) Tty;
    if (!tty)
        return Errno::ENOMEM;
    tty->ref();  // the console is never freed
    s_console = tty;
    TRY(fs::register_char_device(fs::makedev(5, 1), *tty));   // /dev/console
    TRY(fs::register_char_device(fs::makedev(4, 64), *tty));  // /dev/ttyS0
    TRY(fs::register_char_device(fs::makedev(5, 0), *tty));   // /dev/tty: the only terminal
    arch::console_set_input_handler([] { s_console->receive_input(); });
    return {};
}

} // namespace dev
