/* user/tests/mem_protect.c -- a write to a page made read-only by mprotect.
 * The kernel must end the program with SIGSEGV (status 139). */
#include <sys/mman.h>

int main(void)
{
    volatile char* p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    p[0] = 1;
    if (mprotect((void*)p, 4096, PROT_READ) != 0)
        return 2;
    p[0] = 2; /* faults */
    return 3;
}
