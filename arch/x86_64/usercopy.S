/* arch/x86_64/usercopy.S -- the loops that touch user memory, with a fix-up.
 *
 * Every access the kernel makes to a user address happens in one of the
 * routines below, all of them between the labels x86_usercopy_begin and
 * x86_usercopy_fixup. If such an access faults and the VM fault handler
 * cannot make the page present (unmapped, read-only, ...), the trap handler
 * (arch/x86_64/trap.cpp) asks usercopy_fixup(rip) (usercopy.cpp) and, since
 * rip lies between the labels, resumes at x86_usercopy_fixup instead of
 * panicking. That code returns -EFAULT from whichever routine faulted. It can
 * simply `ret` because none of the routines pushes anything: at any
 * instruction between the labels the return address is on top of the stack.
 * (NetBSD keeps a per-thread "onfault" address instead; Linux a table of
 * (instruction, fix-up) pairs. A range of labels is the simplest form.)
 *
 * The string direction flag is clear on entry (System V ABI; trap entry
 * does cld). Ranges are checked in usercopy.cpp before any of these runs.
 * With SMAP enabled these would be bracketed by stac/clac; SMAP is off.
 *
 *   long x86_copy_user(void* dst, const void* src, size_t n)       0 or -EFAULT
 *   long x86_clear_user(void* dst, size_t n)                        0 or -EFAULT
 *   long x86_copy_string_user(char* dst, const char* src, size_t max)
 *        copies up to and including the first NUL within max bytes:
 *        its index (the length); max if there is none; or -EFAULT
 */
#include "copy_loops.h"

#define EFAULT 14

    .text
    .global x86_usercopy_begin, x86_usercopy_fixup
    .global x86_copy_user, x86_clear_user, x86_copy_string_user

x86_usercopy_begin:

    .type x86_copy_user, @function
x86_copy_user:
    COPY_LOOP
    xorl %eax, %eax
    ret

    .type x86_clear_user, @function
x86_clear_user:
    xorl %eax, %eax
    FILL_LOOP
    ret                         /* eax is 0 */

    .type x86_copy_string_user, @function
x86_copy_string_user:
    xorl %eax, %eax             /* index of the next byte */
1:  cmpq %rdx, %rax
    je 2f                       /* max bytes and no NUL: return max */
    movb (%rsi,%rax), %cl       /* the user read that may fault */
    movb %cl, (%rdi,%rax)
    testb %cl, %cl
    jz 2f                       /* the NUL: return its index */
    incq %rax
    jmp 1b
2:  ret

    /* Not inside the range: it never faults. */
    .type x86_usercopy_fixup, @function
x86_usercopy_fixup:
    movq $-EFAULT, %rax
    ret
    .size x86_usercopy_fixup, . - x86_usercopy_fixup

    /* No executable stack wanted (the host unit tests link this file too). */
    .section .note.GNU-stack, "", @progbits
