/* arch/x86_64/syscall_entry.S -- the `syscall` instruction's landing point.
 *
 * A user program calls the kernel with `syscall`: the CPU loads RIP from
 * MSR_LSTAR (here), saves the user RIP in %rcx and RFLAGS in %r11, masks
 * RFLAGS with MSR_SFMASK (interrupts off) and switches CS/SS -- but not the
 * stack. So the first instructions switch to this thread's kernel stack,
 * whose top the scheduler keeps in the per-CPU block (PerCpu::kernel_rsp),
 * after swapgs has made %gs point at that block. The field offsets are
 * percpu.h's PERCPU_* names, which that header ties to the struct with
 * static_asserts.
 *
 * Then we build the same TrapFrame an interrupt from user mode would
 * (arch/x86_64/trap.h) -- user SS, RSP, RFLAGS, CS, RIP, a zero error code
 * and the pseudo-vector 0x100 -- so that every kernel path that looks at
 * "the user's registers" (system calls, signals, fork) sees one layout.
 * The return goes through trap_return (trap_entry.S): iretq, not sysretq,
 * which is slower but has no corner cases (a non-canonical RCX makes sysret
 * fault in kernel mode with the user's stack: a classic privilege bug).
 * The Linux calling convention: number in %rax, arguments in %rdi, %rsi,
 * %rdx, %r10, %r8, %r9, result in %rax.
 */
#include "percpu.h"

    .text
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP_SCRATCH
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    pushq $0x23                  /* ss: USER_DS */
    pushq %gs:PERCPU_USER_RSP_SCRATCH  /* rsp */
    pushq %r11                   /* rflags */
    pushq $0x2b                  /* cs: USER_CS */
    pushq %rcx                   /* rip */
    pushq $0                     /* error code */
    pushq $0x100                 /* vector: a system call */
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    xorl %ebp, %ebp              /* the kernel's frame chain starts here */
    movq %rsp, %rdi
    call syscall_dispatch        /* returns with interrupts off */
    jmp trap_return
