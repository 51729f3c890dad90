// arch/x86_64/signal.cpp -- Linux's x86-64 signal frame: pushing it for a handler, popping it in rt_sigreturn.
//
// To run a handler the kernel saves everything the interrupted code had --
// its registers, its signal mask, its FPU/SSE state -- on the user stack,
// and starts the handler with a return address that leads to rt_sigreturn
// (the C library's sa_restorer: `mov $15, %eax; syscall`). The layout is
// Linux's, because C libraries and debuggers read it (musl's
// pthread_cancel and backtrace code look into the ucontext):
//
//      old rsp - 128 (the red zone, which the interrupted code may be using),
//        or the alternate stack's top (below)
//      FPU state: 512 bytes of FXSAVE, 64-byte aligned
//      struct rt_sigframe {                         <- rsp + 8 is 16-aligned,
//          u64 pretcode;     sa_restorer               as after a `call`
//          ucontext uc;      flags, link, stack_t, sigcontext, sigmask
//          siginfo info;     128 bytes
//      }                                            <- new rsp
//
// The handler is entered with rdi = signo, rsi = &info, rdx = &uc, and a
// clean FPU state (the default control words, as after FNINIT). When it
// returns, `ret` pops pretcode and the restorer calls rt_sigreturn with rsp
// pointing just past pretcode, where pop_signal_frame finds the ucontext.
// A handler address outside the canonical user half is refused like a bad
// stack (the caller forces SIGSEGV).
//
// The alternate stack (sigaltstack; Linux's get_sigframe). A handler with
// SA_ONSTACK, when the thread has an alternate stack and is not running on
// it already, gets its frame at the stack's top instead (no red zone to
// keep there); a signal that comes while the thread is on it -- with or
// without SA_ONSTACK -- stacks its frame below the current rsp, on the
// alternate stack still. A frame that would reach below the alternate
// stack's bottom is refused (EFAULT), so an overflowing handler dies of
// SIGSEGV instead of writing over whatever lies below. uc_stack saves the
// setting as it was (rt_sigreturn sets it again: SS_AUTODISARM's disarming
// lasts as long as the handler).
//
// Everything read back from user memory is checked: the segment selectors
// are forced to the user ones, RFLAGS keeps only the bits a user may set,
// a rip outside the canonical user half (iretq would fault in kernel mode)
// and an MXCSR with reserved bits set (FXRSTOR would fault in the kernel)
// are refused.
// Reference: Linux arch/x86/kernel/signal.c, arch/x86/include/uapi/asm/
// sigcontext.h and ucontext.h (the layouts); the code is our own.
#include "trap.h"
#include "x86.h"
#include <arch/usercopy.h>
#include <arch/usermode.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/signal.h>

namespace arch {

struct UserRegs : x86::TrapFrame {};

namespace {

struct SigContext {  // Linux's struct sigcontext (x86-64)
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    u16 cs, gs, fs, ss;
    u64 err, trapno, oldmask, cr2;
    u64 fpstate;  // user pointer to the FXSAVE area, or 0
    u64 reserved[8];
};
static_assert(sizeof(SigContext) == 256);

struct UContext {
    u64 uc_flags;
    u64 uc_link;
    kern::SigAltStack uc_stack;  // Linux's stack_t: the same 24 bytes
    SigContext uc_mcontext;
    u64 uc_sigmask;
};
static_assert(sizeof(UContext) == 304);

struct SigInfoLinux {  // the fields of siginfo_t we fill; 128 bytes in all
    i32 si_signo;
    i32 si_errno;
    i32 si_code;
    i32 pad;
    union {
        struct {
            u32 pid;
            u32 uid;
        } kill;
        u64 addr;  // SIGSEGV, SIGBUS
        u8 bytes[112];
    } fields;
};
static_assert(sizeof(SigInfoLinux) == 128);

struct RtSigFrame {
    u64 pretcode;
    UContext uc;
    SigInfoLinux info;
};

constexpr u64 RED_ZONE = 128;
constexpr size_t FPU_SIZE = 512;
constexpr u64 RFLAGS_USER_MASK = 0x240dd5;  // CF PF AF ZF SF TF DF OF AC ID
constexpr u32 MXCSR_RESERVED = 0xffff0000;
constexpr u64 USER_RIP_LIMIT = u64(1) << 47;  // the canonical lower half

struct FramePlace {
    uptr fpu_at;
    uptr frame_at;
};

// Where the FPU area and the frame go for code interrupted at `rsp`
// (see "The alternate stack" above). Errors: EFAULT (the frame would run off
// the bottom of the alternate stack).
kern::ErrorOr<FramePlace> place_frame(uptr rsp, const SignalFrameInfo& info)
{
    const kern::SigAltStack& alt = *info.alt_stack;
    bool nested = kern::on_alt_stack(alt, rsp);
    bool entering = false;
    uptr sp = rsp - RED_ZONE;
    if (info.on_stack && kern::alt_stack_state(alt, sp) == 0) {
        sp = alt.sp + alt.size;
        entering = true;
    }
    uptr fpu_at = (sp - FPU_SIZE) & ~uptr(63);
    uptr frame_at = ((fpu_at - sizeof(RtSigFrame)) & ~uptr(15)) - 8;
    if ((nested || entering) && !kern::alt_stack_contains(alt, frame_at))
        return kern::Errno::EFAULT;
    return FramePlace{fpu_at, frame_at};
}

} // namespace

kern::ErrorOr<void> push_signal_frame(UserRegs& regs, const SignalFrameInfo& info)
{
    x86::TrapFrame& f = regs;
    if (info.handler >= USER_RIP_LIMIT)
        return kern::Errno::EFAULT;  // iretq to a non-canonical rip faults in the kernel
    FramePlace place = TRY(place_frame(f.rsp, info));
    uptr fpu_at = place.fpu_at;
    uptr frame_at = place.frame_at;

    alignas(16) u8 fpu[FPU_SIZE];
    asm volatile("fxsave64 %0" : "=m"(fpu));  // the live FPU state is this thread's user state
    TRY(copy_to_user(fpu_at, fpu, FPU_SIZE));

    RtSigFrame frame{};
    frame.pretcode = info.restorer;
    SigContext& sc = frame.uc.uc_mcontext;
    sc.r8 = f.r8; sc.r9 = f.r9; sc.r10 = f.r10; sc.r11 = f.r11;
    sc.r12 = f.r12; sc.r13 = f.r13; sc.r14 = f.r14; sc.r15 = f.r15;
    sc.rdi = f.rdi; sc.rsi = f.rsi; sc.rbp = f.rbp; sc.rbx = f.rbx;
    sc.rdx = f.rdx; sc.rax = f.rax; sc.rcx = f.rcx; sc.rsp = f.rsp;
    sc.rip = f.rip; sc.eflags = f.rflags;
    sc.cs = u16(f.cs); sc.ss = u16(f.ss);
    sc.err = f.error_code;
    sc.trapno = f.vector;
    sc.oldmask = info.saved_mask;
    sc.cr2 = info.address;
    sc.fpstate = fpu_at;
    frame.uc.uc_stack = *info.alt_stack;  // the setting as it is, before any disarming
    frame.uc.uc_sigmask = info.saved_mask;
    frame.info.si_signo = info.signo;
    frame.info.si_code = info.code;
    if (info.signo == 11 || info.signo == 7 || info.signo == 4 || info.signo == 8)
        frame.info.fields.addr = info.address;
    else
        frame.info.fields.kill.pid = info.sender_pid;
    TRY(copy_to_user(frame_at, &frame, sizeof(frame)));

    f.rsp = frame_at;
    f.rip = info.handler;
    f.rdi = u64(info.signo);
    f.rsi = frame_at + offsetof(RtSigFrame, info);
    f.rdx = frame_at + offsetof(RtSigFrame, uc);
    f.rax = 0;
    f.rflags &= ~(u64(1) << 10 | u64(1) << 8);  // DF and TF clear in the handler
    fpu_reset();  // and a clean FPU, as Linux gives it; rt_sigreturn restores ours
    return {};
}

kern::ErrorOr<u64> pop_signal_frame(UserRegs& regs, kern::SigAltStack& uc_stack)
{
    x86::TrapFrame& f = regs;
    uptr frame_at = f.rsp - 8;  // the handler's `ret` popped pretcode
    UContext uc;
    TRY(copy_from_user(&uc, frame_at + offsetof(RtSigFrame, uc), sizeof(uc)));
    const SigContext& sc = uc.uc_mcontext;
    if (sc.rip >= USER_RIP_LIMIT)
        return kern::Errno::EFAULT;  // iretq to a non-canonical rip would fault in the kernel
    if (sc.fpstate) {
        alignas(16) u8 fpu[FPU_SIZE];
        TRY(copy_from_user(fpu, sc.fpstate, FPU_SIZE));
        u32 mxcsr;
        memcpy(&mxcsr, &fpu[24], sizeof(mxcsr));
        if (mxcsr & MXCSR_RESERVED)
            return kern::Errno::EFAULT;
        asm volatile("fxrstor64 %0" ::"m"(fpu));
    }
    f.r8 = sc.r8; f.r9 = sc.r9; f.r10 = sc.r10; f.r11 = sc.r11;
    f.r12 = sc.r12; f.r13 = sc.r13; f.r14 = sc.r14; f.r15 = sc.r15;
    f.rdi = sc.rdi; f.rsi = sc.rsi; f.rbp = sc.rbp; f.rbx = sc.rbx;
    f.rdx = sc.rdx; f.rax = sc.rax; f.rcx = sc.rcx; f.rsp = sc.rsp;
    f.rip = sc.rip;
    f.rflags = (f.rflags & ~RFLAGS_USER_MASK) | (sc.eflags & RFLAGS_USER_MASK);
    f.cs = x86::USER_CS;
    f.ss = x86::USER_DS;
    uc_stack = uc.uc_stack;
    uc_stack.pad = 0;
    return uc.uc_sigmask;
}

} // namespace arch
