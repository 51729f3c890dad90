/* arch/x86_64/memcpy.S -- the kernel's memcpy and memset.
 *
 * GCC may emit calls to memcpy and memset by itself, so they exist with
 * their C names (the rest of the C string functions are in string.cpp).
 * Both use the loops of copy_loops.h, the same as the user copies: 64 bytes
 * per turn in 8-byte moves, the fastest form under QEMU's TCG (see there).
 * They are outside usercopy.S's recovered range on purpose: a fault here is
 * a kernel bug, and the trap handler must panic on it.
 *
 *   void* memcpy(void* dst, const void* src, size_t n)    returns dst
 *   void* memset(void* dst, int c, size_t n)              returns dst
 */
#include "copy_loops.h"

    .text
    .global memcpy, memset

    .type memcpy, @function
memcpy:
    movq %rdi, %r11             /* the return value */
    COPY_LOOP
    movq %r11, %rax
    ret
    .size memcpy, . - memcpy

    .type memset, @function
memset:
    movq %rdi, %r11
    movzbl %sil, %eax           /* the byte, repeated in all 8 bytes of rax */
    movabsq $0x0101010101010101, %rcx
    imulq %rcx, %rax
    movq %rdx, %rsi             /* FILL_LOOP takes the count in rsi */
    FILL_LOOP
    movq %r11, %rax
    ret
    .size memset, . - memset
