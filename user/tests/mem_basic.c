/* user/tests/mem_basic.c -- brk, mmap, munmap, mprotect from user space.
 * Exit status 42 if every check held; otherwise the number of the first
 * check that failed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    /* malloc: small blocks come from brk, big ones from mmap (musl). */
    char* small = malloc(100);
    char* big = malloc(1 << 20);
    if (!small || !big)
        return 1;
    memset(big, 7, 1 << 20);
    if (big[12345] != 7)
        return 2;
    free(big);
    free(small);

    /* The raw brk call (musl's sbrk refuses to grow, to protect malloc). */
    char* cur = (char*)syscall(SYS_brk, 0);
    if ((char*)syscall(SYS_brk, cur + 8192) != cur + 8192)
        return 3;
    cur[8191] = 1; /* the grown heap is usable */
    if ((char*)syscall(SYS_brk, 1) != cur + 8192) /* below the start: unchanged */
        return 15;

    char* p = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || p[5000] != 0)
        return 4;
    p[5000] = 9;
    if (mprotect(p, 4096, PROT_READ) != 0)
        return 5;
    if (munmap(p + 4096, 4096) != 0)
        return 6;
    if (p[2 * 4096 + 1] != 0 || p[0] != 0)
        return 7;

    /* The errors Linux gives for bad arguments. */
    if (mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED || errno != EINVAL)
        return 8;
    if (mmap(0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0) != MAP_FAILED || errno != EINVAL)
        return 9;
    if (munmap((void*)0x1001, 4096) != -1 || errno != EINVAL)
        return 10;
    if (mprotect(p + 4096, 4096, PROT_READ) != -1 || errno != ENOMEM) /* the hole */
        return 11;
    if (mmap((void*)0x1234, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED ||
        errno != EINVAL)
        return 12;
    /* Shared anonymous memory works like private memory in one process. */
    int* s = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED)
        return 13;
    *s = 5;
    if (*s != 5 || munmap(s, 4096) != 0)
        return 14;
    return 42;
}
