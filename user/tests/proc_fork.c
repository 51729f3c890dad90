/* user/tests/proc_fork.c -- fork, wait4, execve and signal handlers, checked from user space.
 *
 * Built with musl-gcc -static; tests/ktest/proc/proc_ktest.cpp runs it and
 * checks its exit status: 42 means every check held, any other value names
 * the first check that failed (the numbers below). It needs nothing but the
 * process calls, so it runs before file descriptors exist in the test.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int s_usr1;
static volatile int s_chld;
static sigjmp_buf s_jump;
static volatile unsigned long s_bad_address = 8; /* volatile: the compiler cannot see the fault */

static void on_usr1(int sig) { s_usr1 += sig; }
static void on_chld(int sig) { (void)sig; s_chld++; }
static void on_segv(int sig) { (void)sig; siglongjmp(s_jump, 1); }

int main(int argc, char** argv)
{
    if (argc == 2 && strcmp(argv[1], "exec-child") == 0)
        return 33; /* the program after execve */

    /* 1. fork + _exit + wait4: the status and the pid come back. */
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0)
        _exit(7);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 7)
        return 2;
    if (waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD)
        return 3;

    /* 2. Copy-on-write: the child's writes stay in the child. */
    static int shared_looking = 5;
    pid = fork();
    if (pid == 0) {
        shared_looking = 99;
        _exit(shared_looking == 99 ? 0 : 1);
    }
    if (waitpid(pid, &status, 0) != pid || status != 0 || shared_looking != 5)
        return 4;

    /* 3. A handler runs for kill(getpid(), SIGUSR1), and the program goes on. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    if (sigaction(SIGUSR1, &sa, 0) != 0)
        return 5;
    kill(getpid(), SIGUSR1);
    if (s_usr1 != SIGUSR1)
        return 6;

    /* 4. A blocked signal waits until it is unblocked. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    if (s_usr1 != SIGUSR1)
        return 7;
    sigprocmask(SIG_SETMASK, &old, 0);
    if (s_usr1 != 2 * SIGUSR1)
        return 8;

    /* 5. SIGCHLD reaches a handler when a child exits. */
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, 0);
    pid = fork();
    if (pid == 0)
        _exit(0);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (s_chld < 1)
        return 9;

    /* 6. A child killed by a signal: the parent sees the signal. */
    pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGTERM);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
        return 10;

    /* 7. A SIGSEGV handler can recover from a bad access. */
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, 0);
    if (sigsetjmp(s_jump, 1) == 0) {
        *(volatile int*)s_bad_address = 1;
        return 11;
    }

    /* 8. execve replaces the program; its exit status is the child's. */
    pid = fork();
    if (pid == 0) {
        char* args[] = {argv[0], "exec-child", 0};
        char* env[] = {0};
        execve(argv[0], args, env);
        _exit(12);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 33)
        return 12;

    /* 9. execve errors come back to the caller, which goes on. */
    char* none[] = {0};
    if (execve("/no/such/file", none, none) != -1 || errno != ENOENT)
        return 13;
    if (syscall(SYS_execve, 1, none, none) != -1 || errno != EFAULT)
        return 14;
    if (syscall(SYS_execve, argv[0], (char**)1, none) != -1 || errno != EFAULT)
        return 15;

    /* 10. Bad arguments to the process calls. */
    if (syscall(SYS_wait4, -1, (int*)1, 0, 0) != -1 || errno != ECHILD)
        return 16; /* no children: ECHILD before the pointer is used */
    if (syscall(SYS_wait4, -1, 0, 0x12345, 0) != -1 || errno != EINVAL)
        return 17;
    if (kill(getpid(), 65) != -1 || errno != EINVAL)
        return 18;
    if (syscall(SYS_rt_sigaction, SIGKILL, &sa, 0, 8) != -1 || errno != EINVAL)
        return 19;
    if (syscall(SYS_rt_sigaction, SIGUSR2, (void*)1, 0, 8) != -1 || errno != EFAULT)
        return 20;
    if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void*)1, 0, 8) != -1 || errno != EFAULT)
        return 21;
    if (kill(99999, SIGTERM) != -1 || errno != ESRCH)
        return 22;
    return 42;
}
