/* arch/x86_64/switch.S -- context_switch and the first return of a new thread.
 *
 * void x86_switch(uptr* from_rsp, uptr to_rsp)
 *   pushes the callee-saved registers (the System V ABI lets the caller
 *   assume only these survive a call), stores %rsp in *from_rsp, loads
 *   to_rsp and pops the other thread's registers; `ret` then continues that
 *   thread after its own call to x86_switch.
 *
 * A new thread's stack (context.cpp) holds six zeroed "registers" with the
 * entry function in the %r12 slot and its argument in the %r13 slot, and
 * x86_thread_trampoline as the return address.
 */
    .text
    .global x86_switch
x86_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

    .global x86_thread_trampoline
x86_thread_trampoline:
    movq %r12, %rdi
    movq %r13, %rsi
    xorl %ebp, %ebp              /* end of the frame-pointer chain */
    call kern_thread_start
    ud2
