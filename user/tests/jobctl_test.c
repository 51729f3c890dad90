/* user/tests/jobctl_test.c -- process groups, sessions and job control.
 *
 * setsid and setpgid (and setpgid's EACCES once a child has called
 * execve), stop and continue as wait4 reports them, kill of a whole group
 * (zombies included), the terminal stops, and what POSIX says about
 * orphaned process groups: SIGHUP and SIGCONT to a stopped one, terminal
 * stops ignored in one. The terminal's own side needs a terminal:
 * scripts/run-tty-tests.py checks it.
 *
 * Each case runs in a child of the harness (harness.h); runs unchanged on
 * Linux (gcc) and in the guest (musl-gcc -static). One case execve's this
 * program again (s_self, from argv[0]) as "exec-and-wait <fd>", which
 * main() answers before it runs the suite. fork, wait4, execve and signals
 * are in proc_test.c; what both share is in proc_helpers.h.
 */
#include "proc_helpers.h"

#include <poll.h>
#include <sched.h>
#include <stdlib.h>

/* ---- groups, sessions, job control ---- */

TEST_CASE(setsid_makes_a_session)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (setsid() != getpid() || getsid(0) != getpid() || getpgrp() != getpid())
            _exit(1);
        if (setsid() != -1 || errno != EPERM)
            _exit(2);
        _exit(0);
    }
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT_EQ(status, 0);
}

TEST_CASE(setpgid_stop_continue_and_group_kill)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    EXPECT_EQ(setpgid(pid, pid), 0);
    EXPECT_EQ(getpgid(pid), pid);
    EXPECT_ERRNO(setpgid(pid, 99999), EPERM);
    EXPECT_ERRNO(getpgid(99999), ESRCH);
    int status;
    EXPECT_EQ(kill(pid, SIGSTOP), 0);
    EXPECT_EQ(reap(pid, &status, WUNTRACED), pid);
    EXPECT(WIFSTOPPED(status));
    EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
    EXPECT_EQ(kill(pid, SIGCONT), 0);
    EXPECT_EQ(reap(pid, &status, WCONTINUED), pid);
    EXPECT(WIFCONTINUED(status));
    EXPECT_EQ(kill(-pid, SIGTERM), 0);
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_ERRNO(kill(-pid, SIGTERM), ESRCH);
}

TEST_CASE(group_of_zombies_takes_signals)
{
    /* A zombie stays in its group until it is reaped (Linux detaches its
     * pid in release_task): kill(-pgid) finds it and succeeds, and
     * setpgid may join the group. */
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    EXPECT_EQ(sigprocmask(SIG_BLOCK, &chld, &old), 0);
    pid_t pid = fork();
    if (pid == 0)
        _exit(setpgid(0, 0) == 0 ? 0 : 1);
    EXPECT(pid > 0);
    /* SIGCHLD pending: the child is a zombie now, not yet reaped. */
    for (;;) {
        sigset_t pending;
        EXPECT_EQ(sigpending(&pending), 0);
        if (sigismember(&pending, SIGCHLD))
            break;
        sched_yield();
    }
    EXPECT_EQ(kill(-pid, 0), 0);
    EXPECT_EQ(kill(-pid, SIGTERM), 0); /* taken silently: it is already dead */
    int status;
    /* The group exists for setpgid too: another child may join it. */
    pid_t joiner = fork();
    if (joiner == 0)
        _exit(setpgid(0, pid) == 0 && getpgrp() == pid ? 0 : 1);
    EXPECT_EQ(reap(joiner, &status, 0), joiner);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0); /* its setpgid worked */
    EXPECT_ERRNO(kill(-pid, 0), ESRCH); /* reaped: the group is gone */
    EXPECT_EQ(sigprocmask(SIG_SETMASK, &old, 0), 0);
}

TEST_CASE(setpgid_refuses_a_child_after_execve)
{
    /* POSIX: a parent may move a child into a group only until the child
     * calls execve; after that EACCES (Linux checks PF_FORKNOEXEC). */
    int ready[2];
    EXPECT_EQ(pipe(ready), 0);
    pid_t pid = fork();
    if (pid == 0) {
        char arg[16];
        int n = 0, v = ready[1];
        char digits[16];
        do
            digits[n++] = (char)('0' + v % 10);
        while (v /= 10);
        for (int i = 0; i < n; ++i)
            arg[i] = digits[n - 1 - i];
        arg[n] = 0;
        char* args[] = {(char*)s_self, "exec-and-wait", arg, 0};
        char* env[] = {0};
        execve(s_self, args, env);
        _exit(12);
    }
    EXPECT(pid > 0);
    close(ready[1]);
    char c = 0;
    EXPECT_EQ(read(ready[0], &c, 1), 1); /* the new program runs */
    EXPECT_ERRNO(setpgid(pid, pid), EACCES);
    EXPECT_ERRNO(setpgid(pid, 0), EACCES);
    EXPECT_ERRNO(setpgid(pid, getpgrp()), EACCES);
    EXPECT_EQ(getpgid(pid), getpgrp()); /* still in ours */
    EXPECT_EQ(setpgid(0, 0), 0);        /* the caller itself may move */
    EXPECT_EQ(kill(pid, SIGKILL), 0);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status));
    close(ready[0]);
}

/* ---- job control: terminal stops and orphaned process groups ----
 * POSIX: a process group is orphaned when no member has a parent in another
 * group of the same session: nobody is left there to continue it. Such a
 * group ignores the terminal stops (SIGTSTP, SIGTTIN, SIGTTOU), and an exit
 * that orphans a group with a stopped member sends the group SIGHUP, then
 * SIGCONT. A process adopted by init does not link its group (Linux:
 * is_global_init of the parent; teachos: Process::m_adopted). The terminal's
 * own side (SIGTTIN, SIGTTOU, SIGHUP at a session leader's exit) needs a
 * terminal: scripts/run-tty-tests.py checks it. */

static int s_report_fd = -1; /* where report_signal writes */
static void report_signal(int sig)
{
    char c = sig == SIGHUP ? 'H' : sig == SIGCONT ? 'C' : '?';
    (void)write(s_report_fd, &c, 1);
}

/* Read `fd` until end of file, or 5 seconds without a byte. Returns bytes read;
 * `buf` NUL-terminated. */
static size_t read_until_eof(int fd, char* buf, size_t size)
{
    size_t n = 0;
    while (n + 1 < size) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            break;
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    return n;
}

/* An adopted process is reaped by init, not by us: wait until it has been
 * (the leak check counts a zombie's kernel stack). */
static void wait_until_reaped(pid_t pid)
{
    for (int i = 0; i < 2000 && kill(pid, 0) == 0; ++i)
        usleep(5000);
}

/* The grandchild of the two SIGHUP cases: say its pid, stop, and once
 * continued report what it got ('H', 'C') and 'E'. */
static void stop_and_report(int fd)
{
    s_report_fd = fd;
    install(SIGHUP, report_signal, 0);
    install(SIGCONT, report_signal, 0);
    pid_t self = getpid();
    if (write(fd, &self, sizeof self) != sizeof self)
        _exit(1);
    kill(self, SIGSTOP);
    (void)write(fd, "E", 1);
    _exit(0);
}

/* The case's side: the child exits with 0 once the grandchild has stopped;
 * then the grandchild must report SIGHUP and SIGCONT, in either order
 * (Linux runs the handlers of one return in reverse), then 'E'. */
static void expect_hangup_reported(pid_t child, int fd)
{
    int status;
    EXPECT_EQ(reap(child, &status, 0), child);
    EXPECT_EQ(status, 0);
    char got[32];
    size_t n = read_until_eof(fd, got, sizeof got);
    EXPECT(n >= sizeof(pid_t));
    pid_t grandchild;
    memcpy(&grandchild, got, sizeof grandchild);
    const char* events = got + sizeof grandchild;
    if (n < sizeof(pid_t) + 3)
        kill(grandchild, SIGKILL); /* no SIGHUP came: it stays stopped for ever */
    wait_until_reaped(grandchild);
    EXPECT(strchr(events, 'H') != 0);
    EXPECT(strchr(events, 'C') != 0);
    EXPECT_EQ(strlen(events), 3);
    EXPECT_EQ(events[2], 'E');
    close(fd);
}

TEST_CASE(orphaning_a_stopped_group_sends_sighup_and_sigcont)
{
    /* The grandchild leads a group of its own; the child, in ours, links
     * it to the session. The child's exit orphans it. */
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    pid_t child = fork();
    if (child == 0) {
        close(pipes[0]);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            setpgid(0, 0);
            stop_and_report(pipes[1]);
        }
        setpgid(grandchild, grandchild); /* both sides, so it is done before the stop */
        int status;
        if (reap(grandchild, &status, WUNTRACED) != grandchild || !WIFSTOPPED(status))
            _exit(1);
        _exit(0);
    }
    close(pipes[1]);
    expect_hangup_reported(child, pipes[0]);
}

TEST_CASE(exit_of_the_last_link_hangs_up_its_own_group)
{
    /* The child leads a new group and its stopped grandchild is in it; the
     * child's parent (the case) links the group, through the child, until
     * the child exits. */
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    pid_t child = fork();
    if (child == 0) {
        close(pipes[0]);
        if (setpgid(0, 0) != 0)
            _exit(2);
        pid_t grandchild = fork();
        if (grandchild == 0)
            stop_and_report(pipes[1]);
        int status;
        if (reap(grandchild, &status, WUNTRACED) != grandchild || !WIFSTOPPED(status))
            _exit(1);
        _exit(0);
    }
    close(pipes[1]);
    expect_hangup_reported(child, pipes[0]);
}

TEST_CASE(terminal_stop_stops_a_group_linked_to_the_session)
{
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        raise(SIGTSTP);
        _exit(0);
    }
    setpgid(pid, pid);
    int status;
    EXPECT_EQ(reap(pid, &status, WUNTRACED), pid);
    EXPECT(WIFSTOPPED(status));
    EXPECT_EQ(WSTOPSIG(status), SIGTSTP);
    EXPECT_EQ(kill(pid, SIGCONT), 0);
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT_EQ(status, 0);
}

TEST_CASE(orphaned_group_ignores_terminal_stops)
{
    /* The grandchild, alone in its group, waits to be adopted, then sends
     * itself the three terminal stops: none stops it. SIGSTOP would. */
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    pid_t child = fork();
    if (child == 0) {
        close(pipes[0]);
        pid_t parent = getpid();
        pid_t grandchild = fork();
        if (grandchild == 0) {
            setpgid(0, 0);
            pid_t self = getpid();
            if (write(pipes[1], &self, sizeof self) != sizeof self)
                _exit(1);
            for (int i = 0; i < 2000 && getppid() == parent; ++i)
                usleep(5000);
            raise(SIGTSTP);
            raise(SIGTTIN);
            raise(SIGTTOU);
            (void)write(pipes[1], "E", 1);
            _exit(0);
        }
        setpgid(grandchild, grandchild);
        _exit(0);
    }
    close(pipes[1]);
    int status;
    EXPECT_EQ(reap(child, &status, 0), child);
    char got[16];
    size_t n = read_until_eof(pipes[0], got, sizeof got);
    EXPECT(n >= sizeof(pid_t));
    pid_t grandchild;
    memcpy(&grandchild, got, sizeof grandchild);
    if (n != sizeof(pid_t) + 1)
        kill(grandchild, SIGKILL); /* it stopped: nobody would continue it */
    wait_until_reaped(grandchild);
    EXPECT_EQ(n, sizeof(pid_t) + 1);
    EXPECT_EQ(got[sizeof(pid_t)], 'E');
    close(pipes[0]);
}

int main(int argc, char** argv)
{
    if (argc == 3 && strcmp(argv[1], "exec-and-wait") == 0) {
        /* setpgid_refuses_a_child_after_execve: say "running", then wait to be killed. */
        if (write(atoi(argv[2]), "r", 1) != 1)
            return 1;
        for (;;)
            pause();
    }
    s_self = argv[0];
    return run_suite("jobctl");
}
