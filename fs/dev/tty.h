// fs/dev/tty.h -- the console terminal: a line discipline on the COM1 serial line.
//
// One terminal, the console, is reachable under three device numbers:
// /dev/console (5,1), /dev/ttyS0 (4,64) and /dev/tty (5,0: "my controlling
// terminal", which can only be this one). Its vnode is a stream
// (fs/vfs/vnode.h): read, write, ioctl and poll come here. The editing,
// echo and output processing are the LineDiscipline's (pure code,
// fs/dev/line_discipline.h); this driver adds the lock, the waiting, the
// UART, job control (the session and the foreground process group that
// ^C, ^\ and ^Z signal; SIGTTIN and SIGTTOU for background readers and
// writers; SIGHUP when the session leader exits) and the ioctls.
//
// See fs/dev/tty.cpp for the design (input by polling the UART from the
// timer tick, locking, VMIN/VTIME, job control).
#pragma once

#include <fs/dev/line_discipline.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/spinlock.h>

namespace kern {
class Process;
}

namespace dev {

using kern::Errno;
using kern::ErrorOr;

// struct winsize (TIOCGWINSZ).
struct Winsize {
    u16 ws_row;
    u16 ws_col;
    u16 ws_xpixel;
    u16 ws_ypixel;
};

class Tty final : public fs::Vnode {
public:
    // A terminal writing to and reading from the console (arch/console.h).
    // The caller registers it as a device and starts its input.
    Tty();

    // Take every byte the console has (interrupt context, from the
    // console's input handler): line discipline, echo, signals, wakeups.
    void receive_input();

    // ---- the vnode (streams) ----
    bool is_stream() const override { return true; }
    // Returns the bytes read; 0 at end of file (canonical mode: ^D at the
    // start of a line). Errors: EAGAIN (O_NONBLOCK, nothing to read), EINTR,
    // EFAULT; from a background process group of the terminal's session,
    // EIO or SIGTTIN (check_foreground).
    ErrorOr<size_t> stream_read(const fs::IoBuffer& buf, size_t n, u32 file_flags) override;
    // Returns the bytes written (all of them; the console never blocks).
    // Errors: EFAULT (none written); with TOSTOP, from a background group:
    // EIO or SIGTTOU.
    ErrorOr<size_t> stream_write(const fs::IoBuffer& buf, size_t n, u32 file_flags) override;
    // TCGETS, TCSETS[W|F], TCFLSH, TCSBRK, TCXONC, TIOCGWINSZ, TIOCSWINSZ,
    // TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, TIOCNOTTY, TIOCGSID, FIONREAD,
    // TIOCOUTQ. Returns 0. Errors: ENOTTY (an unknown request; not the caller's
    // controlling terminal, for the job-control ones), EINVAL, EFAULT,
    // ESRCH and EPERM (TIOCSPGRP: no such group, one of another session); for
    // the ones that change the terminal, from a background group: EIO or
    // SIGTTOU (TIOCSPGRP: ENOTTY for EIO, as Linux).
    ErrorOr<u64> ioctl(u32 request, uptr arg) override;
    u32 poll(u32 events) override;
    ErrorOr<fs::VAttr> getattr() override;
    ErrorOr<void> setattr(const fs::VAttr& attr, u32 mask) override;

    // The leader of session `sid` exits: if this is its controlling
    // terminal, SIGHUP then SIGCONT go to the foreground process group and
    // the terminal is free (Linux's disassociate_ctty).
    void session_leader_exited(u32 sid);

private:
    // Reading.
    ErrorOr<bool> wait_for_input_locked(size_t n, size_t done, u32 file_flags, u64& deadline);
    bool read_may_return_locked(size_t n, size_t done) const;
    void arm_read_timer_locked(size_t done, u64& deadline) const;
    // Job control.
    void adopt_if_free(kern::Process* caller);
    bool controls_locked(const kern::Process* caller) const;
    ErrorOr<u64> job_ioctl(u32 request, uptr arg);
    ErrorOr<u64> set_foreground(uptr arg);  // TIOCSPGRP
    ErrorOr<u64> termios_ioctl(u32 request, uptr arg);
    ErrorOr<u64> window_ioctl(u32 request, uptr arg);
    ErrorOr<void> check_foreground(int sig);
    void signal_foreground(int sig);
    void hang_up(u32 foreground);

    kern::SpinLock m_lock;         // input and settings: also taken in interrupt context
    kern::WaitQueue m_readers;     // readers waiting for input; under m_lock
    // ---- m_lock ----
    LineDiscipline m_ld;
    Winsize m_winsize = {24, 80, 0, 0};
    u32 m_session = 0;             // the session this is the controlling terminal of (0: none)
    u32 m_foreground = 0;          // its foreground process group
};

// The console terminal (after dev::init).
Tty& console_tty();

} // namespace dev
