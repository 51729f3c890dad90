/* user/tests/proc_segv.c -- a program that touches an unmapped address.
 * The kernel must end it with SIGSEGV (status 128 + 11) and live on. */
#include <stdint.h>

int main(void)
{
    volatile uintptr_t address = 0x10;  /* volatile: the compiler cannot see it is bad */
    *(volatile int*)address = 1;
    return 0;
}
