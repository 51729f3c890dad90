/* user/tests/proc_limits.c -- a fork bomb and a memory hog must fail cleanly, and the system live on.
 *
 * Built with musl-gcc -static; tests/ktest/proc/proc_ktest.cpp runs it and
 * checks its exit status: 42 means every check held, any other value names
 * the first check that failed.
 *   1. fork until it fails: the failure must be EAGAIN (the process limit)
 *      or ENOMEM, never a crash; then every child is killed and reaped;
 *   2. a child touches anonymous memory without end: it must be killed by
 *      a signal when memory runs out (not hang, not take the kernel down),
 *      and the parent must be able to fork again afterwards.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CHILDREN 100000

static pid_t s_children[4096];

int main(void)
{
    /* 1. The fork bomb, kept on a leash: children just wait to be killed. */
    int n = 0;
    int err = 0;
    for (; n < (int)(sizeof s_children / sizeof s_children[0]); ++n) {
        pid_t pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            for (;;)
                pause();
        }
        s_children[n] = pid;
    }
    if (err != EAGAIN && err != ENOMEM)
        return 1;
    if (n < 10)
        return 2; /* the limit should allow a reasonable number */
    for (int i = 0; i < n; ++i)
        kill(s_children[i], SIGKILL);
    for (int i = 0; i < n; ++i) {
        int status;
        if (waitpid(s_children[i], &status, 0) != s_children[i])
            return 3;
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            return 4;
    }

    /* 2. The memory hog. */
    pid_t hog = fork();
    if (hog < 0)
        return 5;
    if (hog == 0) {
        const size_t chunk = 64u << 20;
        for (;;) {
            char* p = mmap(0, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED)
                _exit(errno == ENOMEM ? 6 : 7); /* refused up front: also fine */
            for (size_t off = 0; off < chunk; off += 4096)
                p[off] = 1;
        }
    }
    int status;
    if (waitpid(hog, &status, 0) != hog)
        return 8;
    if (!(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 6)))
        return 9;

    /* The system goes on: a fresh child runs and exits. */
    pid_t again = fork();
    if (again == 0)
        _exit(0);
    if (again < 0 || waitpid(again, &status, 0) != again || status != 0)
        return 10;
    return 42;
}
