/* user/tests/proc_test.c -- processes: fork, wait4, execve, signals, groups and sessions, limits.
 *
 * Each case runs in a child of the harness (harness.h), so a case that forks
 * is a small process tree of its own. Runs unchanged on Linux (gcc) and in
 * the guest (musl-gcc -static); on teachos the harness's leak check then
 * shows that every process, zombie and address space was freed.
 */
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sys/stat.h>

static const char* s_self; /* argv[0]: execve runs this program again */

static int reap(pid_t pid, int* status, int options)
{
    int r;
    while ((r = waitpid(pid, status, options)) < 0 && errno == EINTR) {
    }
    return r;
}

/* ---- fork, wait4, copy-on-write ---- */

TEST_CASE(fork_exit_wait)
{
    pid_t pid = fork();
    EXPECT(pid >= 0);
    if (pid == 0)
        _exit(7);
    int status = 0;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 7);
    EXPECT_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD);
}

TEST_CASE(getppid_is_the_parent)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        _exit(getppid() == parent ? 0 : 1);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT_EQ(status, 0);
}

TEST_CASE(wnohang_before_the_child_exits)
{
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        (void)read(pipes[0], &c, 1); /* wait for the parent's word */
        _exit(0);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0);
    EXPECT_EQ(write(pipes[1], "x", 1), 1);
    EXPECT_EQ(reap(pid, &status, 0), pid);
    close(pipes[0]);
    close(pipes[1]);
}

TEST_CASE(child_writes_stay_in_the_child)
{
    static int value = 5;
    char* heap = malloc(100000);
    EXPECT(heap != 0);
    memset(heap, 'p', 100000);
    pid_t pid = fork();
    if (pid == 0) {
        value = 99;
        memset(heap, 'c', 100000);
        _exit(value == 99 && heap[99999] == 'c' ? 0 : 1);
    }
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(value, 5);
    EXPECT_EQ(heap[0], 'p');
    EXPECT_EQ(heap[99999], 'p');
    free(heap);
}

TEST_CASE(descriptors_are_shared_after_fork)
{
    int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
    EXPECT(fd >= 0);
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(write(pipes[1], "hello", 5) == 5 ? 0 : 1);
    }
    char buf[8] = {0};
    EXPECT_EQ(read(pipes[0], buf, 5), 5);
    EXPECT(memcmp(buf, "hello", 5) == 0);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    close(pipes[0]);
    close(pipes[1]);
    close(fd);
}

/* ---- execve ---- */

TEST_CASE(execve_runs_a_new_program)
{
    pid_t pid = fork();
    if (pid == 0) {
        char* args[] = {(char*)s_self, "exec-child", 0};
        char* env[] = {"FROM_EXEC=yes", 0};
        execve(s_self, args, env);
        _exit(12);
    }
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 33);
}

TEST_CASE(execve_closes_cloexec_descriptors)
{
    int fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    EXPECT(fd >= 0);
    pid_t pid = fork();
    if (pid == 0) {
        char number[16];
        int n = 0;
        for (int v = fd; v; v /= 10)
            number[n++] = (char)('0' + v % 10);
        char arg[16];
        for (int i = 0; i < n; ++i)
            arg[i] = number[n - 1 - i];
        arg[n] = 0;
        char* args[] = {(char*)s_self, "check-closed", arg, 0};
        char* env[] = {0};
        execve(s_self, args, env);
        _exit(12);
    }
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT_EQ(WEXITSTATUS(status), 34);
    close(fd);
}

TEST_CASE(execve_errors_return_to_the_caller)
{
    char* none[] = {0};
    EXPECT_ERRNO(execve("/no/such/file", none, none), ENOENT);
    EXPECT_ERRNO(execve("/tmp", none, none), EACCES);
    EXPECT_ERRNO(syscall(SYS_execve, 1, none, none), EFAULT);
    EXPECT_ERRNO(syscall(SYS_execve, s_self, (char**)1, none), EFAULT);
    EXPECT_ERRNO(syscall(SYS_execve, s_self, none, (char**)1), EFAULT);
    /* a file that is neither ELF nor a script */
    int fd = open("/tmp/proc_test.notelf", O_CREAT | O_WRONLY | O_TRUNC, 0755);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "plain text\n", 11), 11);
    close(fd);
    EXPECT_ERRNO(execve("/tmp/proc_test.notelf", none, none), ENOEXEC);
    unlink("/tmp/proc_test.notelf");
}

TEST_CASE(shebang_script_runs_its_interpreter)
{
    int fd = open("/tmp/proc_test.sh", O_CREAT | O_WRONLY | O_TRUNC, 0755);
    EXPECT(fd >= 0);
    char line[128] = "#!";
    strcat(line, s_self);
    strcat(line, " script-child\n");
    EXPECT_EQ(write(fd, line, strlen(line)), (ssize_t)strlen(line));
    close(fd);
    pid_t pid = fork();
    if (pid == 0) {
        char* args[] = {"/tmp/proc_test.sh", "extra", 0};
        char* env[] = {0};
        execve("/tmp/proc_test.sh", args, env);
        _exit(12);
    }
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT_EQ(WEXITSTATUS(status), 35); /* argv was interpreter, arg, script, extra */
    EXPECT_EQ(chmod("/tmp/proc_test.sh", 0644), 0);
    char* none[] = {0};
    EXPECT_ERRNO(execve("/tmp/proc_test.sh", none, none), EACCES);
    unlink("/tmp/proc_test.sh");
}

/* ---- signals ---- */

static volatile int s_got;
static void on_signal(int sig) { s_got += sig; }

static void install(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigaction(sig, &sa, 0);
}

TEST_CASE(handler_runs_and_the_program_goes_on)
{
    install(SIGUSR1, on_signal, 0);
    s_got = 0;
    EXPECT_EQ(kill(getpid(), SIGUSR1), 0);
    EXPECT_EQ(s_got, SIGUSR1);
}

TEST_CASE(blocked_signal_waits_for_unblock)
{
    install(SIGUSR1, on_signal, 0);
    s_got = 0;
    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    EXPECT_EQ(s_got, 0);
    sigpending(&pending);
    EXPECT(sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, 0);
    EXPECT_EQ(s_got, SIGUSR1);
}

static volatile int s_info_pid;
static volatile int s_info_code;
static void on_info(int sig, siginfo_t* info, void* uc)
{
    (void)sig;
    (void)uc;
    s_info_pid = info->si_pid;
    s_info_code = info->si_code;
}

TEST_CASE(siginfo_names_the_sender)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, 0);
    kill(getpid(), SIGUSR2);
    EXPECT_EQ(s_info_pid, getpid());
    EXPECT_EQ(s_info_code, SI_USER);
}

TEST_CASE(sigchld_reaches_the_parent)
{
    install(SIGCHLD, on_signal, 0);
    s_got = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(s_got >= SIGCHLD);
}

TEST_CASE(default_action_kills_and_wait_says_so)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    EXPECT_EQ(kill(pid, SIGTERM), 0);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

static volatile unsigned long s_bad_address = 8; /* volatile: the compiler cannot see the fault */

TEST_CASE(bad_access_is_sigsegv)
{
    pid_t pid = fork();
    if (pid == 0) {
        *(volatile int*)s_bad_address = 1;
        _exit(0);
    }
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

static sigjmp_buf s_jump;
static volatile int s_fault_code;
static void on_segv(int sig, siginfo_t* info, void* uc)
{
    (void)sig;
    (void)uc;
    s_fault_code = info->si_code;
    siglongjmp(s_jump, 1);
}

TEST_CASE(sigsegv_handler_can_recover)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, 0);
    if (sigsetjmp(s_jump, 1) == 0) {
        *(volatile int*)s_bad_address = 1;
        EXPECT(0); /* not reached */
    }
    EXPECT_EQ(s_fault_code, SEGV_MAPERR);
    /* a write to a read-only page: SEGV_ACCERR */
    volatile char* page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(page != MAP_FAILED);
    if (sigsetjmp(s_jump, 1) == 0) {
        page[0] = 1;
        EXPECT(0);
    }
    EXPECT_EQ(s_fault_code, SEGV_ACCERR);
    munmap((void*)page, 4096);
}

TEST_CASE(eintr_without_sa_restart)
{
    install(SIGALRM, on_signal, 0);
    s_got = 0;
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    alarm(1);
    char c;
    EXPECT_ERRNO(read(pipes[0], &c, 1), EINTR); /* nothing will come: the alarm ends it */
    EXPECT_EQ(s_got, SIGALRM);
    close(pipes[0]);
    close(pipes[1]);
}

TEST_CASE(sa_restart_restarts_a_read)
{
    install(SIGALRM, on_signal, SA_RESTART);
    s_got = 0;
    int pipes[2];
    EXPECT_EQ(pipe(pipes), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep(2); /* after the parent's alarm has gone off */
        _exit(write(pipes[1], "r", 1) == 1 ? 0 : 1);
    }
    alarm(1);
    char c = 0;
    EXPECT_EQ(read(pipes[0], &c, 1), 1); /* interrupted at 1 s, restarted, data at 2 s */
    EXPECT_EQ(c, 'r');
    EXPECT_EQ(s_got, SIGALRM);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
    close(pipes[0]);
    close(pipes[1]);
}

TEST_CASE(pause_returns_after_a_restarting_handler)
{
    install(SIGALRM, on_signal, SA_RESTART); /* pause is never restarted */
    s_got = 0;
    alarm(1);
    EXPECT_ERRNO(pause(), EINTR);
    EXPECT_EQ(s_got, SIGALRM);
}

TEST_CASE(sigsuspend_waits_with_a_mask_and_restores_it)
{
    install(SIGUSR1, on_signal, 0);
    s_got = 0;
    sigset_t block, old, wait_mask, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        kill(parent, SIGUSR1);
        _exit(0);
    }
    sigemptyset(&wait_mask);
    while (!s_got)
        EXPECT_ERRNO(sigsuspend(&wait_mask), EINTR);
    sigprocmask(SIG_SETMASK, 0, &now);
    EXPECT(sigismember(&now, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, 0);
    int status;
    EXPECT_EQ(reap(pid, &status, 0), pid);
}

TEST_CASE(signal_argument_checks)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    EXPECT_ERRNO(kill(getpid(), 65), EINVAL);
    EXPECT_ERRNO(kill(999999, SIGTERM), ESRCH);
    EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGKILL, &sa, 0, 8), EINVAL);
    EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGSTOP, &sa, 0, 8), EINVAL);
    EXPECT_ERRNO(syscall(SYS_rt_sigaction, 0, &sa, 0, 8), EINVAL);
    EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGUSR2, &sa, 0, 4), EINVAL);
    EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGUSR2, (void*)1, 0, 8), EFAULT);
    EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGUSR2, 0, (void*)1, 8), EFAULT);
    EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void*)1, 0, 8), EFAULT);
    EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, 99, &sa.sa_mask, 0, 8), EINVAL);
    EXPECT_ERRNO(syscall(SYS_wait4, -1, 0, 0x12345, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_wait4, -1, (int*)1, 0, 0), ECHILD); /* no children: before the pointer */
}

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

/* ---- limits ---- */

TEST_CASE(fork_bomb_ends_in_eagain)
{
    static pid_t children[4096];
    int n = 0, err = 0;
    for (; n < (int)(sizeof children / sizeof children[0]); ++n) {
        pid_t pid = fork();
        if (pid < 0) {
            err = errno;
            break;
        }
        if (pid == 0) {
            for (;;)
                pause();
        }
        children[n] = pid;
    }
    for (int i = 0; i < n; ++i)
        kill(children[i], SIGKILL);
    for (int i = 0; i < n; ++i) {
        int status;
        EXPECT_EQ(reap(children[i], &status, 0), children[i]);
    }
    if (harness_on_teachos()) { /* Linux's limit here is far beyond 4096 */
        EXPECT(err == EAGAIN || err == ENOMEM);
        EXPECT(n >= 10);
    }
}

TEST_CASE(memory_hog_dies_and_the_system_goes_on)
{
    if (!harness_on_teachos())
        return; /* on the host this would wake the OOM killer: not a test to run there */
    pid_t hog = fork();
    if (hog == 0) {
        const size_t chunk = 64u << 20;
        for (;;) {
            char* p = mmap(0, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED)
                _exit(6);
            for (size_t off = 0; off < chunk; off += 4096)
                p[off] = 1;
        }
    }
    int status;
    EXPECT_EQ(reap(hog, &status, 0), hog);
    EXPECT(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 6));
    pid_t again = fork();
    if (again == 0)
        _exit(0);
    EXPECT(again > 0);
    EXPECT_EQ(reap(again, &status, 0), again);
    EXPECT_EQ(status, 0);
}

int main(int argc, char** argv)
{
    if (argc >= 2 && strcmp(argv[1], "exec-child") == 0) {
        const char* from = getenv("FROM_EXEC");
        return from && strcmp(from, "yes") == 0 && argc == 2 ? 33 : 1;
    }
    if (argc == 3 && strcmp(argv[1], "check-closed") == 0)
        return fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF ? 34 : 1;
    if (argc == 3 && strcmp(argv[1], "exec-and-wait") == 0) {
        /* setpgid_refuses_a_child_after_execve: say "running", then wait to be killed. */
        if (write(atoi(argv[2]), "r", 1) != 1)
            return 1;
        for (;;)
            pause();
    }
    if (argc >= 2 && strcmp(argv[1], "script-child") == 0)
        return argc == 4 && strcmp(argv[2], "/tmp/proc_test.sh") == 0 &&
                       strcmp(argv[3], "extra") == 0 ? 35 : 1;
    s_self = argv[0];
    /* Grow /tmp's name index before the leak check (harness.h). */
    int fd = open("/tmp/proc_test.warm", O_CREAT | O_WRONLY, 0600);
    close(fd);
    unlink("/tmp/proc_test.warm");
    return run_suite("proc");
}
