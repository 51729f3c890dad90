/* arch/x86_64/copy_loops.h -- the kernel's copy and fill loops, as assembler macros.
 *
 * One body for two kinds of caller: the user-copy routines (usercopy.S, whose
 * instructions may fault on a user address and are recovered) and the
 * kernel's own memcpy/memset (memcpy.S, which must never fault: a fault there
 * is a kernel bug and must panic, so they live outside the recovered range).
 *
 * The loops move 64 bytes per turn with plain 8-byte moves, then 8 bytes,
 * then single bytes. Not `rep movsb`/`rep stosq`: on a real CPU with ERMS a
 * `rep` is as fast, but QEMU's TCG emulates a `rep` one element per
 * iteration, each about as dear as a whole turn of this loop, so `rep movsb`
 * ran the user copy at 1/5-1/8 of this speed (docs/bench.md, "Copies").
 * Unaligned 8-byte moves are legal on x86-64.
 *
 *   COPY_LOOP   rdi = dst, rsi = src, rdx = n; clobbers rax rcx rdx r8-r10
 *   FILL_LOOP   rdi = dst, rax = the 8-byte pattern, rsi = n; clobbers rcx rsi
 */

.macro COPY_LOOP
    movq %rdx, %rcx
    shrq $6, %rcx               /* 64-byte blocks */
    jz 2f
1:  movq 0(%rsi), %rax
    movq 8(%rsi), %r8
    movq 16(%rsi), %r9
    movq 24(%rsi), %r10
    movq %rax, 0(%rdi)
    movq %r8, 8(%rdi)
    movq %r9, 16(%rdi)
    movq %r10, 24(%rdi)
    movq 32(%rsi), %rax
    movq 40(%rsi), %r8
    movq 48(%rsi), %r9
    movq 56(%rsi), %r10
    movq %rax, 32(%rdi)
    movq %r8, 40(%rdi)
    movq %r9, 48(%rdi)
    movq %r10, 56(%rdi)
    addq $64, %rsi
    addq $64, %rdi
    decq %rcx
    jnz 1b
2:  movl %edx, %ecx
    andl $63, %ecx
    shrl $3, %ecx               /* 8-byte words left */
    jz 4f
3:  movq (%rsi), %rax
    movq %rax, (%rdi)
    addq $8, %rsi
    addq $8, %rdi
    decl %ecx
    jnz 3b
4:  andl $7, %edx               /* bytes left */
    jz 6f
5:  movb (%rsi), %al
    movb %al, (%rdi)
    incq %rsi
    incq %rdi
    decl %edx
    jnz 5b
6:
.endm

.macro FILL_LOOP
    movq %rsi, %rcx
    shrq $6, %rcx               /* 64-byte blocks */
    jz 2f
1:  movq %rax, 0(%rdi)
    movq %rax, 8(%rdi)
    movq %rax, 16(%rdi)
    movq %rax, 24(%rdi)
    movq %rax, 32(%rdi)
    movq %rax, 40(%rdi)
    movq %rax, 48(%rdi)
    movq %rax, 56(%rdi)
    addq $64, %rdi
    decq %rcx
    jnz 1b
2:  movl %esi, %ecx
    andl $63, %ecx
    shrl $3, %ecx               /* 8-byte words left */
    jz 4f
3:  movq %rax, (%rdi)
    addq $8, %rdi
    decl %ecx
    jnz 3b
4:  andl $7, %esi               /* bytes left */
    jz 6f
5:  movb %al, (%rdi)
    incq %rdi
    decl %esi
    jnz 5b
6:
.endm
