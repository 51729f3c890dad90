/* arch/x86_64/trap_entry.S -- the first instructions of every interrupt and exception.
 *
 * Each of the 256 vectors has a stub that makes the stack look the same for
 * all of them (a dummy error code where the CPU pushes none, then the vector
 * number) and jumps to trap_common, which saves the general registers to form
 * a TrapFrame (arch/x86_64/trap.h), calls trap_dispatch(frame) and restores.
 * From user mode it also swaps GS so %gs points at the per-CPU block.
 * trap_stub_table holds the address of each stub, for idt.cpp.
 */
    .text

.macro STUB vec
    .align 16
trap_stub_\vec:
    .if (\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp trap_common
.endm

.altmacro
.macro STUBS from, to
    STUB \from
    .if \to-\from
    STUBS %(\from+1), \to
    .endif
.endm

    STUBS 0, 63
    STUBS 64, 127
    STUBS 128, 191
    STUBS 192, 255

trap_common:
    testb $3, 24(%rsp)           /* CS of the interrupted context */
    jz 1f
    swapgs
1:  pushq %rax
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
    movq %rsp, %rdi
    call trap_dispatch
    .global trap_return
trap_return:
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp               /* vector and error code */
    iretq

.macro ADDR vec
    .quad trap_stub_\vec
.endm
.macro ADDRS from, to
    ADDR \from
    .if \to-\from
    ADDRS %(\from+1), \to
    .endif
.endm

    .section .rodata
    .global trap_stub_table
    .align 8
trap_stub_table:
    ADDRS 0, 63
    ADDRS 64, 127
    ADDRS 128, 191
    ADDRS 192, 255
