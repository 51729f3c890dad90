/* user/tests/proc_basic.c -- the first user program: startup, printf, a bad pointer, exit.
 *
 * Built with musl-gcc -static; the kernel test tests/ktest/proc/proc_ktest.cpp
 * runs it and checks its exit status. Each check that fails makes the
 * status show which one: 42 means everything held.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv, char** envp)
{
    if (argc != 3 || strcmp(argv[1], "one") || strcmp(argv[2], "two"))
        return 1;
    if (!envp[0] || strcmp(envp[0], "HOME=/") || envp[1])
        return 2;
    if (getauxval(AT_PAGESZ) != 4096 || !getauxval(AT_RANDOM) || !getauxval(AT_PHDR))
        return 3;
    printf("proc_basic: hello from user space, pid %d, argv[0] %s\n", getpid(), argv[0]);
    fflush(stdout);
    /* A bad pointer must come back as EFAULT, not crash the kernel. */
    long r = syscall(SYS_write, 1, (void*)16, 10);
    if (r != -1 || errno != EFAULT)
        return 4;
    r = syscall(SYS_write, 1, (void*)0xffff800000000000ull, 10);
    if (r != -1 || errno != EFAULT)
        return 5;
    /* An unknown call is ENOSYS. */
    r = syscall(999);
    if (r != -1 || errno != ENOSYS)
        return 6;
    /* A bad descriptor is EBADF. */
    if (write(77, "x", 1) != -1 || errno != EBADF)
        return 7;
    /* Static data and the bss start as the file and zeros say. */
    static int data = 5, bss;
    if (data != 5 || bss != 0)
        return 8;
    return 42;
}
