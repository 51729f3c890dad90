// arch/x86_64/usermode.cpp -- system-call set-up, dispatch, and the way into user mode.
//
//   syscall_init      the MSRs that make `syscall` land in syscall_entry.S
//   syscall_dispatch  from syscall_entry.S: interrupts on, the six argument
//                     registers to the kernel's table (kern::syscall,
//                     kernel/top/syscall/syscall.h, whose thunks give each
//                     handler its typed parameters), result in rax
//   enter_user_mode   the first return to user mode of a new program: a
//                     TrapFrame built by hand, then the common iretq path
// See docs/processes.md.
#include "percpu.h"
#include "trap.h"
#include "x86.h"
#include <arch/cpu.h>
#include <arch/usermode.h>
#include <kernel/top/proc/signal.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <kernel/top/syscall/syscall.h>

extern "C" void syscall_entry();
extern "C" [[noreturn]] void trap_return();

namespace x86 {

constexpr u64 EFER_SCE = 1u << 0;
// The RFLAGS bits a user program may set (through a signal frame or fork):
// CF PF AF ZF SF TF DF OF AC ID. Never IOPL, IF, VM, NT, RF.
constexpr u64 RFLAGS_USER_MASK = 0x240dd5;
constexpr u64 RFLAGS_DF = 1u << 10, RFLAGS_TF = 1u << 8, RFLAGS_AC = 1u << 18;

void syscall_init()
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    // STAR: kernel CS at 47:32 (SS = CS + 8); user base at 63:48 (sysret would
    // use SS = base + 8, CS = base + 16: 0x20 and 0x28, see x86.h).
    wrmsr(MSR_STAR, (u64(0x18) << 48) | (u64(KERNEL_CS) << 32));
    wrmsr(MSR_LSTAR, reinterpret_cast<u64>(syscall_entry));
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
}

} // namespace x86

// The Linux x86-64 convention: the number in rax, the arguments in rdi,
// rsi, rdx, r10 (not rcx: `syscall` puts the user rip there), r8, r9.
extern "C" void syscall_dispatch(x86::TrapFrame* f)
{
    arch::irq_enable();
    const u64 number = f->rax;
    kern::SyscallArgs args{f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
    f->rax = u64(kern::syscall(number, args));
    kern::return_to_user(arch::current_user_regs(), i64(number));  // *f
    arch::irq_disable();
}

namespace arch {

// Leave for user mode through the common return path: the frame becomes
// the stack trap_return pops and irets from.
[[noreturn]] static void return_through(const x86::TrapFrame& frame)
{
    irq_disable();
    asm volatile("movq %0, %%rsp\n"
                 "jmp trap_return"
                 :
                 : "r"(&frame)
                 : "memory");
    __builtin_unreachable();
}

void enter_user_mode(uptr rip, uptr rsp)
{
    x86::TrapFrame frame{};
    frame.rip = rip;
    frame.cs = x86::USER_CS;
    frame.rflags = x86::RFLAGS_IF | 0x2;  // bit 1 is always set
    frame.rsp = rsp;
    frame.ss = x86::USER_DS;
    return_through(frame);
}

// ---- the saved user registers ------------------------------------------------
using x86::RFLAGS_USER_MASK;

// The FPU state a new program starts with: FNINIT's control word and the
// default MXCSR, every register zero.
void fpu_reset()
{
    alignas(16) static u8 clean[512];
    *reinterpret_cast<u16*>(&clean[0]) = 0x37f;
    *reinterpret_cast<u32*>(&clean[24]) = 0x1f80;
    asm volatile("fxrstor64 %0" ::"m"(clean));
}

void fpu_save(FpuState& state) { asm volatile("fxsave64 %0" : "=m"(state.bytes)); }
void fpu_load(const FpuState& state) { asm volatile("fxrstor64 %0" ::"m"(state.bytes)); }

struct UserRegs : x86::TrapFrame {};
static_assert(sizeof(UserRegs) == USER_REGS_SIZE);

static x86::TrapFrame& frame_of(UserRegs& regs) { return regs; }

UserRegs& current_user_regs()
{
    // syscall_entry.S and the CPU (through TSS.rsp0) both start the frame
    // at the top of the thread's kernel stack.
    uptr top = kern::Thread::current()->stack_top();
    return *reinterpret_cast<UserRegs*>(top - sizeof(UserRegs));
}

void enter_user_mode_with(const UserRegs& regs)
{
    x86::TrapFrame frame = regs;
    frame.cs = x86::USER_CS;
    frame.ss = x86::USER_DS;
    frame.rflags = (frame.rflags & RFLAGS_USER_MASK) | x86::RFLAGS_IF | 0x2;
    return_through(frame);
}

void user_regs_set_result(UserRegs& regs, u64 value) { frame_of(regs).rax = value; }
u64 user_regs_result(const UserRegs& regs) { return regs.rax; }
uptr user_regs_pc(const UserRegs& regs) { return regs.rip; }
uptr user_regs_sp(const UserRegs& regs) { return regs.rsp; }
void user_regs_set_stack(UserRegs& regs, uptr sp) { frame_of(regs).rsp = sp; }

void user_regs_reset(UserRegs& regs, uptr rip, uptr rsp)
{
    x86::TrapFrame& f = frame_of(regs);
    const u64 vector = f.vector;
    f = x86::TrapFrame{};
    f.vector = vector;
    f.rip = rip;
    f.rsp = rsp;
    f.cs = x86::USER_CS;
    f.ss = x86::USER_DS;
    f.rflags = x86::RFLAGS_IF | 0x2;
    fpu_reset();
}

void user_regs_restart_syscall(UserRegs& regs, u64 number)
{
    frame_of(regs).rax = number;
    frame_of(regs).rip -= 2;  // `syscall` is 0f 05
}

} // namespace arch
