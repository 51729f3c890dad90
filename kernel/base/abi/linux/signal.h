// kernel/base/abi/linux/signal.h -- the signal numbers, SIG_DFL/SIG_IGN, SA_* flags, si_code values, SS_* flags, sigprocmask's `how`.
//
// Linux x86-64's values. The kernel's names for them are
// kernel/top/proc/signal.h's (using-declarations of these), with the code
// that sends and delivers signals. Kernel only: on the host, libc's
// <signal.h> defines these names as macros and the host tests use them
// (host.h does not take them away), so no host build unit includes this.
//
// Read more: include/uapi/asm-generic/signal.h, signal-defs.h,
// siginfo.h and arch/x86/include/uapi/asm/signal.h, sigcontext.h;
// signal(7), sigaction(2), sigprocmask(2), sigaltstack(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6,
              SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12,
              SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17,
              SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23,
              SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
              SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
constexpr int NSIG = 64;  // 1..64; 32..64 are the real-time signals

// sa_handler's two special values.
constexpr uptr SIG_DFL = 0, SIG_IGN = 1;
// sa_flags bits.
constexpr u64 SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_RESTORER = 0x04000000,
              SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
              SA_RESETHAND = 0x80000000;

// si_code: who sent it (kill: SI_USER; the kernel: SI_KERNEL), or why a
// fault's signal came (asm-generic/siginfo.h).
constexpr int SI_USER = 0, SI_KERNEL = 0x80;
constexpr int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2;

// sigaltstack's ss_flags, and the smallest stack it takes (x86's
// MINSIGSTKSZ: smaller is ENOMEM).
constexpr u32 SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1u << 31;
constexpr u64 MINSIGSTKSZ = 2048;

// rt_sigprocmask's `how`.
constexpr int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

} // namespace uapi
