/* user/tests/proc_jobs.c -- what a job-control shell needs: groups, sessions, stop and continue, sigsuspend.
 *
 * Built with musl-gcc -static; tests/ktest/proc/proc_ktest.cpp runs it and
 * checks its exit status: 42 means every check held, any other value names
 * the first check that failed. Runs unchanged on Linux (gcc) too.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int s_got;
static void on_usr1(int sig) { s_got = sig; }

static int reap(pid_t pid, int* status, int options)
{
    int r;
    while ((r = waitpid(pid, status, options)) < 0 && errno == EINTR) {
    }
    return r;
}

int main(void)
{
    int status;

    /* 1. setsid makes a new session and group; a group leader cannot. */
    pid_t pid = fork();
    if (pid == 0) {
        pid_t sid = setsid();
        if (sid != getpid() || getsid(0) != getpid() || getpgrp() != getpid())
            _exit(1);
        if (setsid() != -1 || errno != EPERM)
            _exit(2);
        _exit(0);
    }
    if (reap(pid, &status, 0) != pid || status != 0)
        return 1;

    /* 2. setpgid puts a child in its own group, as a shell does for a job. */
    pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    if (setpgid(pid, pid) != 0 || getpgid(pid) != pid)
        return 2;
    if (setpgid(pid, 99999) != -1 || errno != EPERM)
        return 3; /* no such group in our session */
    if (getpgid(99999) != -1 || errno != ESRCH)
        return 4;

    /* 3. Stop and continue, seen by waitpid with WUNTRACED / WCONTINUED. */
    kill(pid, SIGSTOP);
    if (reap(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status))
        return 5;
    kill(pid, SIGCONT);
    if (reap(pid, &status, WCONTINUED) != pid || !WIFCONTINUED(status))
        return 6;

    /* 4. kill(-pgid) reaches the whole group. */
    if (kill(-pid, SIGTERM) != 0)
        return 7;
    if (reap(pid, &status, 0) != pid || !WIFSIGNALED(status) || WTERMSIG(status) != SIGTERM)
        return 8;
    if (kill(-pid, SIGTERM) != -1 || errno != ESRCH)
        return 9;

    /* 5. sigsuspend: block SIGUSR1, let a child send it, wait with it unblocked. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, 0);
    sigset_t block, old, wait_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t parent = getpid();
    pid = fork();
    if (pid == 0) {
        kill(parent, SIGUSR1);
        _exit(0);
    }
    sigemptyset(&wait_mask);
    while (!s_got)
        sigsuspend(&wait_mask);
    sigset_t now;
    sigprocmask(SIG_SETMASK, 0, &now);
    if (!sigismember(&now, SIGUSR1))
        return 10; /* sigsuspend must put the old mask back */
    sigprocmask(SIG_SETMASK, &old, 0);
    reap(pid, &status, 0);

    /* 6. A handler that interrupts a blocking call: EINTR without SA_RESTART. */
    pid = fork();
    if (pid == 0) {
        sleep(1);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    s_got = 0;
    int fds_unused = pause();
    if (fds_unused != -1 || errno != EINTR || s_got != SIGUSR1)
        return 11;
    reap(pid, &status, 0);
    return 42;
}
