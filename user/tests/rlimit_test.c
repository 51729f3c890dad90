/* user/tests/rlimit_test.c -- resource limits: getrlimit, setrlimit, prlimit64, and where they bite.
 *
 * A process's limits are (soft, hard) pairs it inherits across fork and
 * keeps across execve; only the soft value is enforced. The cases check the
 * calls themselves (round trips, RLIM_INFINITY, EINVAL/EPERM/ESRCH, another
 * process's limits through prlimit64) and then each limit that is enforced,
 * where Linux enforces it:
 *   RLIMIT_NOFILE  new descriptors (open, dup, pipe: EMFILE; dup2 at or
 *                  above it: EBADF; F_DUPFD at or above it: EINVAL), and a
 *                  raised limit allows more than 1024;
 *   RLIMIT_FSIZE   writes to a regular file (sendfile's too) are cut short
 *                  at the limit; one that starts at it, and a truncate or
 *                  ftruncate that grows the file past it, fail with EFBIG
 *                  and raise SIGXFSZ;
 *   RLIMIT_AS      mmap and brk growth past it: ENOMEM / the old break;
 *   RLIMIT_DATA    the same for private writable memory;
 *   RLIMIT_STACK   the stack of the next program execve starts;
 *   RLIMIT_NPROC   not for root (everyone here): fork goes on.
 * Each case runs in its own child (harness.h), so the limits it sets die
 * with it. Every case passes on Linux as root too:
 *     gcc -O2 -Wall -Wextra -o /tmp/t user/tests/rlimit_test.c && /tmp/t
 * Its files are <test_dir()>/rlimit_test.* (test_dir(): $TEST_DIR or /tmp,
 * harness.h).
 * Read more: docs/processes.md ("Resource limits"); getrlimit(2).
 */
#define _GNU_SOURCE
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>

static int s_on_teachos;
static const char* s_self;  /* argv[0]: execve runs this program again */
/* <test_dir()>/rlimit_test.{file,source,none}, set in main(). */
static char FILE_PATH[300];
static char SOURCE_PATH[300]; /* sendfile's input */
static char NONE_PATH[300];   /* never made */

#define MiB (1024ul * 1024)

/* Wait for `pid`, retrying on EINTR. */
static pid_t reap(pid_t pid, int* status)
{
    pid_t r;
    while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR)
        ;
    return r;
}

/* Fork a child that execs this program with `mode`; returns its wait status. */
static int run_self(const char* mode)
{
    pid_t pid = fork();
    if (pid == 0) {
        char* args[] = {(char*)s_self, (char*)mode, 0};
        char* env[] = {0};
        execve(s_self, args, env);
        _exit(99);
    }
    int status = -1;
    if (pid < 0 || reap(pid, &status) != pid)
        return -1;
    return status;
}

static int same(struct rlimit a, rlim_t cur, rlim_t max) { return a.rlim_cur == cur && a.rlim_max == max; }

/* May this process raise a hard limit? Root may (CAP_SYS_RESOURCE), as
 * everyone on teachos; a Linux container may have dropped the capability
 * (bit 24 of CapEff in /proc/self/status). */
static int may_raise_hard_limits(void)
{
    if (s_on_teachos)
        return 1;
    char buf[2048];
    int fd = open("/proc/self/status", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    const char* eff = strstr(buf, "CapEff:");
    return eff && (strtoull(eff + 7, NULL, 16) >> 24) & 1;
}

/* ---- the calls ---- */

TEST_CASE(defaults_are_linux_like)
{
    struct rlimit rl;
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    EXPECT(rl.rlim_cur >= 64 && rl.rlim_cur <= rl.rlim_max);
    EXPECT_EQ(getrlimit(RLIMIT_FSIZE, &rl), 0);
    EXPECT(rl.rlim_cur <= rl.rlim_max);
    if (!s_on_teachos)
        return;
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    EXPECT(same(rl, 1024, 4096)); /* Linux's INR_OPEN_CUR / INR_OPEN_MAX */
    EXPECT_EQ(getrlimit(RLIMIT_STACK, &rl), 0);
    EXPECT(same(rl, 8 * MiB, RLIM_INFINITY));
    EXPECT_EQ(getrlimit(RLIMIT_CORE, &rl), 0);
    EXPECT(same(rl, 0, RLIM_INFINITY));
    EXPECT_EQ(getrlimit(RLIMIT_FSIZE, &rl), 0);
    EXPECT(same(rl, RLIM_INFINITY, RLIM_INFINITY));
    EXPECT_EQ(getrlimit(RLIMIT_AS, &rl), 0);
    EXPECT(same(rl, RLIM_INFINITY, RLIM_INFINITY));
    EXPECT_EQ(getrlimit(RLIMIT_DATA, &rl), 0);
    EXPECT(same(rl, RLIM_INFINITY, RLIM_INFINITY));
    EXPECT_EQ(getrlimit(RLIMIT_NICE, &rl), 0);
    EXPECT(same(rl, 0, 0));
    EXPECT_EQ(getrlimit(RLIMIT_MEMLOCK, &rl), 0);
    EXPECT(same(rl, 8 * MiB, 8 * MiB));
    EXPECT_EQ(getrlimit(RLIMIT_NPROC, &rl), 0);
    EXPECT(rl.rlim_cur > 1 && rl.rlim_cur == rl.rlim_max);
}

/* (FSIZE limits here stay far above what a FAIL line written to a
 * redirected stdout needs.) */
TEST_CASE(set_then_get_round_trip)
{
    struct rlimit want = {1ul << 40, 1ul << 41}, got, old;
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &want), 0);
    EXPECT_EQ(getrlimit(RLIMIT_FSIZE, &got), 0);
    EXPECT(same(got, 1ul << 40, 1ul << 41));
    /* prlimit64 sets and returns the old pair in one call. */
    struct rlimit next = {1ul << 39, 1ul << 40};
    EXPECT_EQ(prlimit(0, RLIMIT_FSIZE, &next, &old), 0);
    EXPECT(same(old, 1ul << 40, 1ul << 41));
    EXPECT_EQ(prlimit(getpid(), RLIMIT_FSIZE, NULL, &got), 0);
    EXPECT(same(got, 1ul << 39, 1ul << 40));
    /* The soft limit goes back up to the hard one without privilege. */
    struct rlimit up = {1ul << 40, 1ul << 40};
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &up), 0);
    /* Root raises a hard limit again, even to RLIM_INFINITY. */
    struct rlimit open = {RLIM_INFINITY, RLIM_INFINITY};
    if (may_raise_hard_limits()) {
        EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &open), 0);
        EXPECT_EQ(getrlimit(RLIMIT_FSIZE, &got), 0);
        EXPECT(same(got, RLIM_INFINITY, RLIM_INFINITY));
    } else {
        EXPECT_ERRNO(setrlimit(RLIMIT_FSIZE, &open), EPERM);
    }
    /* Limits that are only stored keep what they are given. */
    struct rlimit core = {4096, 8192};
    EXPECT_EQ(setrlimit(RLIMIT_CORE, &core), 0);
    EXPECT_EQ(getrlimit(RLIMIT_CORE, &got), 0);
    EXPECT(same(got, 4096, 8192));
    EXPECT_EQ(getrlimit(RLIMIT_RTTIME, &got), 0);
    EXPECT_EQ(setrlimit(RLIMIT_RTTIME, &got), 0);
}

TEST_CASE(bad_limits_are_refused)
{
    struct rlimit rl, inverted = {10, 5}, got;
    EXPECT_ERRNO(setrlimit(RLIMIT_CORE, &inverted), EINVAL);
    EXPECT_ERRNO(syscall(SYS_getrlimit, 16, &rl), EINVAL);
    EXPECT_ERRNO(syscall(SYS_prlimit64, 0, 16, NULL, &rl), EINVAL);
    /* Soft above hard, with an infinite soft: EINVAL too. */
    struct rlimit inf_soft = {RLIM_INFINITY, 100};
    EXPECT_ERRNO(setrlimit(RLIMIT_FSIZE, &inf_soft), EINVAL);
    /* More descriptors than fs.nr_open: EPERM, even for root. */
    struct rlimit too_many = {1024, RLIM_INFINITY};
    EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &too_many), EPERM);
    if (s_on_teachos) {
        struct rlimit over = {1024, 65537}, most = {1024, 65536};
        EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &over), EPERM);
        EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &most), 0);
    }
    /* A refused call changed nothing. */
    EXPECT_EQ(getrlimit(RLIMIT_CORE, &got), 0);
    EXPECT(got.rlim_cur <= got.rlim_max);
    EXPECT_ERRNO(syscall(SYS_prlimit64, 0x7ffffff0, RLIMIT_CORE, NULL, &rl), ESRCH);
    EXPECT_ERRNO(syscall(SYS_prlimit64, -1, RLIMIT_CORE, NULL, &rl), ESRCH);
}

/* prlimit64 on another process (allowed for the same user, and root): the
 * child sees the new limit; the parent gets the child's old one. */
TEST_CASE(prlimit_sets_another_process)
{
    int go[2], done[2];
    EXPECT_EQ(pipe(go), 0);
    EXPECT_EQ(pipe(done), 0);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        struct rlimit start = {300, 400}, got;
        setrlimit(RLIMIT_CORE, &start);
        if (write(done[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(2);
        getrlimit(RLIMIT_CORE, &got);
        _exit(same(got, 111, 222) ? 0 : 1);
    }
    char c;
    EXPECT_EQ(read(done[0], &c, 1), 1);
    struct rlimit next = {111, 222}, old;
    int r = prlimit(pid, RLIMIT_CORE, &next, &old);
    if (r != 0)
        kill(pid, SIGKILL);
    EXPECT_EQ(r, 0);
    EXPECT(same(old, 300, 400));
    EXPECT_EQ(write(go[1], "g", 1), 1);
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    close(go[0]);
    close(go[1]);
    close(done[0]);
    close(done[1]);
}

/* ---- inheritance ---- */

TEST_CASE(fork_inherits_limits)
{
    struct rlimit fsize = {12345, 54321}, nofile = {50, 100};
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &fsize), 0);
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &nofile), 0);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit a, b;
        getrlimit(RLIMIT_FSIZE, &a);
        getrlimit(RLIMIT_NOFILE, &b);
        /* And the descriptor table enforces the inherited NOFILE. */
        _exit(same(a, 12345, 54321) && same(b, 50, 100) && dup2(0, 50) == -1 && errno == EBADF ? 0 : 1);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT_EQ(status, 0);
}

TEST_CASE(execve_keeps_limits)
{
    struct rlimit fsize = {12345, 54321}, nofile = {50, 100};
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &fsize), 0);
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &nofile), 0);
    int status = run_self("check-kept");
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 40);
}

/* ---- RLIMIT_NOFILE ---- */

TEST_CASE(nofile_lowered_gives_emfile)
{
    int fd = open("/", O_RDONLY);
    EXPECT(fd >= 0);
    EXPECT_EQ(dup2(fd, 20), 20); /* above the limit to come */
    struct rlimit rl;
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = 10;
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    int last = -1, r;
    while ((r = open("/", O_RDONLY)) >= 0)
        last = r;
    EXPECT_EQ(errno, EMFILE);
    EXPECT_EQ(last, 9);
    /* A refused open(O_CREAT) leaves no file behind. */
    EXPECT_ERRNO(open(NONE_PATH, O_CREAT | O_RDWR, 0600), EMFILE);
    EXPECT_ERRNO(access(NONE_PATH, F_OK), ENOENT);
    EXPECT_ERRNO(dup(fd), EMFILE);
    int p[2];
    EXPECT_ERRNO(pipe(p), EMFILE);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD, 0), EMFILE);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD, 10), EINVAL);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD_CLOEXEC, 1000), EINVAL);
    EXPECT_ERRNO(dup2(fd, 10), EBADF);
    EXPECT_ERRNO(dup3(fd, 10, 0), EBADF);
    EXPECT_EQ(dup2(fd, 9), 9); /* below the limit: replaces */
    /* A descriptor already above the limit stays usable. */
    EXPECT_EQ(fcntl(20, F_GETFD), 0);
    EXPECT_EQ(dup2(20, 20), 20);
    EXPECT_ERRNO(dup2(9, 21), EBADF);
    EXPECT_EQ(close(20), 0);
    EXPECT_EQ(close(9), 0);
    EXPECT_EQ(fcntl(fd, F_DUPFD, 5), 9);
}

TEST_CASE(nofile_raised_beyond_1024)
{
    struct rlimit rl;
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = 2000;
    if (rl.rlim_max < 2000)
        rl.rlim_max = 2000;
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    int fd = open("/", O_RDONLY);
    EXPECT(fd >= 0);
    int last = -1;
    for (int i = 0; i < 1500; ++i) {
        last = dup(fd);
        if (last < 0)
            break;
    }
    EXPECT(last >= 1500);
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    EXPECT(p[0] > 1024 && p[1] > 1024);
    EXPECT_EQ(write(p[1], "x", 1), 1);
    char c;
    EXPECT_EQ(read(p[0], &c, 1), 1);
    int opened = open("/", O_RDONLY); /* open follows the limit too */
    EXPECT(opened > 1024);
    EXPECT_EQ(fcntl(fd, F_DUPFD, 1999), 1999);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD, 2000), EINVAL);
    EXPECT_EQ(dup2(fd, 1998), 1998);
    EXPECT_ERRNO(dup2(fd, 2000), EBADF);
    /* The child's copy of the big table is freed at its exit (leak check). */
    pid_t pid = fork();
    if (pid == 0)
        _exit(fcntl(1999, F_GETFD) == 0 ? 0 : 1);
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT_EQ(status, 0);
}

/* ---- RLIMIT_FSIZE ---- */

static int open_fresh(int flags)
{
    unlink(FILE_PATH);
    return open(FILE_PATH, O_CREAT | O_RDWR | flags, 0644);
}

static void set_fsize(rlim_t limit)
{
    struct rlimit rl = {limit, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &rl);
}

TEST_CASE(fsize_cuts_writes_then_efbig)
{
    static char buf[200];
    signal(SIGXFSZ, SIG_IGN);
    int fd = open_fresh(0);
    EXPECT(fd >= 0);
    set_fsize(100);
    EXPECT_EQ(write(fd, buf, 60), 60);
    EXPECT_EQ(write(fd, buf, 60), 40); /* short: up to the limit */
    EXPECT_ERRNO(write(fd, buf, 1), EFBIG);
    EXPECT_EQ(write(fd, buf, 0), 0);   /* nothing to write: no check */
    EXPECT_ERRNO(pwrite(fd, buf, 10, 100), EFBIG);
    EXPECT_ERRNO(pwrite(fd, buf, 10, 5000), EFBIG);
    EXPECT_EQ(pwrite(fd, buf, 20, 90), 10);
    struct iovec iov[2] = {{buf, 30}, {buf, 30}};
    EXPECT_ERRNO(writev(fd, iov, 2), EFBIG); /* the offset is at 100 */
    EXPECT_EQ(lseek(fd, 50, SEEK_SET), 50);
    EXPECT_EQ(writev(fd, iov, 2), 50);       /* 30 + 20 */
    EXPECT_EQ(pwritev(fd, iov, 2, 80), 20);
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT_EQ(st.st_size, 100);
    /* ftruncate may shrink, and grow up to the limit, not past it. */
    EXPECT_ERRNO(ftruncate(fd, 101), EFBIG);
    EXPECT_EQ(ftruncate(fd, 10), 0);
    EXPECT_EQ(ftruncate(fd, 100), 0);
    close(fd);
    /* O_APPEND writes at the end: at the limit already. */
    fd = open(FILE_PATH, O_WRONLY | O_APPEND);
    EXPECT(fd >= 0);
    EXPECT_ERRNO(write(fd, buf, 1), EFBIG);
    EXPECT_EQ(ftruncate(fd, 95), 0);
    EXPECT_EQ(write(fd, buf, 10), 5);
    close(fd);
    EXPECT_EQ(unlink(FILE_PATH), 0);
}

TEST_CASE(fsize_leaves_pipes_and_devices_alone)
{
    static char buf[300];
    signal(SIGXFSZ, SIG_IGN);
    set_fsize(100);
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(write(p[1], buf, 200), 200);
    close(p[0]);
    close(p[1]);
    int null = open("/dev/null", O_WRONLY);
    EXPECT(null >= 0);
    EXPECT_EQ(write(null, buf, 300), 300);
    close(null);
}

static volatile sig_atomic_t s_xfsz;
static void on_xfsz(int sig) { s_xfsz += sig == SIGXFSZ; }

TEST_CASE(fsize_raises_sigxfsz)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_xfsz;
    EXPECT_EQ(sigaction(SIGXFSZ, &sa, NULL), 0);
    int fd = open_fresh(0);
    EXPECT(fd >= 0);
    set_fsize(10);
    EXPECT_EQ(write(fd, "0123456789abc", 13), 10);
    EXPECT_EQ(s_xfsz, 0); /* a short write raises nothing */
    EXPECT_ERRNO(write(fd, "x", 1), EFBIG);
    EXPECT_EQ(s_xfsz, 1);
    EXPECT_ERRNO(ftruncate(fd, 11), EFBIG);
    EXPECT_EQ(s_xfsz, 2);
    close(fd);
    EXPECT_EQ(unlink(FILE_PATH), 0);
}

/* truncate(2) by path obeys the limit as ftruncate does: a file may
 * shrink, keep its size or grow up to the limit; growing past it is EFBIG
 * and SIGXFSZ. A directory is EISDIR first. */
TEST_CASE(fsize_limits_truncate_by_path)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_xfsz;
    EXPECT_EQ(sigaction(SIGXFSZ, &sa, NULL), 0);
    int fd = open_fresh(0);
    EXPECT(fd >= 0);
    EXPECT_EQ(ftruncate(fd, 300), 0);
    close(fd);
    set_fsize(100);
    EXPECT_EQ(truncate(FILE_PATH, 300), 0); /* past the limit already: kept */
    EXPECT_EQ(truncate(FILE_PATH, 200), 0); /* shrinking is allowed */
    EXPECT_EQ(s_xfsz, 0);
    EXPECT_ERRNO(truncate(FILE_PATH, 201), EFBIG);
    EXPECT_EQ(s_xfsz, 1);
    EXPECT_EQ(truncate(FILE_PATH, 10), 0);
    EXPECT_EQ(truncate(FILE_PATH, 100), 0); /* up to the limit */
    EXPECT_ERRNO(truncate(FILE_PATH, 101), EFBIG);
    EXPECT_EQ(s_xfsz, 2);
    struct stat st;
    EXPECT_EQ(stat(FILE_PATH, &st), 0);
    EXPECT_EQ(st.st_size, 100);
    EXPECT_ERRNO(truncate(test_dir(), 1000), EISDIR);
    EXPECT_EQ(s_xfsz, 2);
    EXPECT_EQ(unlink(FILE_PATH), 0);
}

/* sendfile(2) to a regular file: cut at the limit, and -- unlike write(2)
 * -- SIGXFSZ even so (Linux's splice loop tries the rest of its chunk
 * again, at the limit); one that starts at the limit is EFBIG and SIGXFSZ,
 * unless there is nothing to send. */
TEST_CASE(fsize_limits_sendfile)
{
    static char buf[40000];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_xfsz;
    EXPECT_EQ(sigaction(SIGXFSZ, &sa, NULL), 0);
    unlink(SOURCE_PATH);
    int in = open(SOURCE_PATH, O_CREAT | O_RDWR, 0644);
    EXPECT(in >= 0);
    EXPECT_EQ(write(in, buf, sizeof buf), (ssize_t)sizeof buf);
    int out = open_fresh(0);
    EXPECT(out >= 0);
    set_fsize(10000);
    off_t off = 0;
    EXPECT_EQ(sendfile(out, in, &off, 30000), 10000);
    EXPECT_EQ(off, 10000);
    EXPECT_EQ(s_xfsz, 1);
    EXPECT_ERRNO(sendfile(out, in, &off, 100), EFBIG);
    EXPECT_EQ(off, 10000);
    EXPECT_EQ(s_xfsz, 2);
    off = sizeof buf; /* at the end of the input: nothing to write */
    EXPECT_EQ(sendfile(out, in, &off, 100), 0);
    EXPECT_EQ(s_xfsz, 2);
    EXPECT_EQ(lseek(out, 9000, SEEK_SET), 9000);
    off = 0;
    EXPECT_EQ(sendfile(out, in, &off, 1000), 1000); /* ends at the limit */
    EXPECT_EQ(s_xfsz, 2);
    EXPECT_EQ(lseek(out, 9000, SEEK_SET), 9000);
    EXPECT_EQ(sendfile(out, in, &off, 5000), 1000);
    EXPECT_EQ(s_xfsz, 3);
    EXPECT_EQ(off, 2000);
    EXPECT_EQ(lseek(out, 0, SEEK_CUR), 10000);
    struct stat st;
    EXPECT_EQ(fstat(out, &st), 0);
    EXPECT_EQ(st.st_size, 10000);
    close(in);
    close(out);
    EXPECT_EQ(unlink(SOURCE_PATH), 0);
    EXPECT_EQ(unlink(FILE_PATH), 0);
}

TEST_CASE(fsize_default_action_kills)
{
    int fd = open_fresh(0);
    EXPECT(fd >= 0);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {4, 4}; /* no core file either: CORE stays 0 */
        setrlimit(RLIMIT_FSIZE, &rl);
        if (write(fd, "abcdef", 6) != 4)
            _exit(1);
        (void)write(fd, "g", 1);
        _exit(2);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGXFSZ);
    close(fd);
    EXPECT_EQ(unlink(FILE_PATH), 0);
}

/* ---- RLIMIT_AS and RLIMIT_DATA ---- */

TEST_CASE(as_limit_refuses_mmap_and_brk)
{
    struct rlimit rl = {64 * MiB, RLIM_INFINITY};
    EXPECT_EQ(setrlimit(RLIMIT_AS, &rl), 0);
    EXPECT(mmap(NULL, 128 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    EXPECT_EQ(errno, ENOMEM);
    void* a = mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(a != MAP_FAILED);
    /* Mapping over it again is no growth. */
    void* b = mmap(a, 32 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    EXPECT(b == a);
    EXPECT(mmap(NULL, 32 * MiB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    EXPECT_EQ(errno, ENOMEM);
    /* brk keeps the old break when the growth does not fit. */
    char* start = (char*)syscall(SYS_brk, 0);
    EXPECT_EQ((char*)syscall(SYS_brk, start + 40 * MiB), start);
    EXPECT_EQ((char*)syscall(SYS_brk, start + 1 * MiB), start + 1 * MiB);
    EXPECT_EQ((char*)syscall(SYS_brk, start), start);
    EXPECT_EQ(munmap(a, 32 * MiB), 0);
    a = mmap(NULL, 32 * MiB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT(a != MAP_FAILED);
    EXPECT_EQ(munmap(a, 32 * MiB), 0);
}

TEST_CASE(data_limit_counts_private_writable_memory)
{
    struct rlimit rl = {16 * MiB, RLIM_INFINITY};
    EXPECT_EQ(setrlimit(RLIMIT_DATA, &rl), 0);
    EXPECT(mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
    EXPECT_EQ(errno, ENOMEM);
    /* Read-only or shared memory is not data. */
    void* ro = mmap(NULL, 32 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(ro != MAP_FAILED);
    void* sh = mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT(sh != MAP_FAILED);
    char* start = (char*)syscall(SYS_brk, 0);
    EXPECT_EQ((char*)syscall(SYS_brk, start + 32 * MiB), start);
    EXPECT_EQ((char*)syscall(SYS_brk, start + 1 * MiB), start + 1 * MiB);
    EXPECT_EQ((char*)syscall(SYS_brk, start), start);
    void* small = mmap(NULL, 1 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(small != MAP_FAILED);
    EXPECT_EQ(munmap(small, 1 * MiB), 0);
    EXPECT_EQ(munmap(ro, 32 * MiB), 0);
    EXPECT_EQ(munmap(sh, 32 * MiB), 0);
}

/* ---- RLIMIT_STACK (read by execve) ---- */

/* Use about `kib` KiB of stack, 64 KiB a frame. */
static int __attribute__((noinline)) use_stack(int kib)
{
    volatile char frame[64 * 1024];
    frame[0] = (char)kib;
    frame[sizeof frame - 1] = 1;
    if (kib <= 64)
        return frame[0];
    return use_stack(kib - 64) + frame[sizeof frame - 1];
}

TEST_CASE(stack_limit_sizes_the_next_program)
{
    /* 4 MiB of stack fits the default 8 MiB... */
    int status = run_self("use-4mib-stack");
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 41);
    /* ...not a program started with 1 MiB. */
    struct rlimit rl;
    EXPECT_EQ(getrlimit(RLIMIT_STACK, &rl), 0);
    rl.rlim_cur = 1 * MiB;
    EXPECT_EQ(setrlimit(RLIMIT_STACK, &rl), 0);
    status = run_self("use-4mib-stack");
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

/* ---- RLIMIT_NPROC ---- */

TEST_CASE(nproc_does_not_hold_root)
{
    if (getuid() != 0)
        return; /* Linux holds other users to it */
    struct rlimit rl = {1, 1};
    EXPECT_EQ(setrlimit(RLIMIT_NPROC, &rl), 0);
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    EXPECT(pid > 0);
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

/* ---- the shell's ulimit ---- */

TEST_CASE(shell_ulimit_sets_and_reports)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        char* args[] = {"sh", "-c", "ulimit -n 20 && ulimit -n && ls / >/dev/null && echo ok", 0};
        char* env[] = {"PATH=/bin:/usr/bin", 0};
        execve("/bin/sh", args, env);
        _exit(99);
    }
    close(p[1]);
    char out[64];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof out - 1 && (r = read(p[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)r;
    out[got] = 0;
    close(p[0]);
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT_EQ(status, 0);
    /* 20, not 10: a shell saves a descriptor it redirects with
     * F_DUPFD at 10 (EINVAL under a limit of 10). */
    EXPECT(strcmp(out, "20\nok\n") == 0);
}

/* The programs execve runs (argv[1] names what to do). */
static int run_mode(const char* mode)
{
    if (strcmp(mode, "check-kept") == 0) {
        struct rlimit a, b;
        getrlimit(RLIMIT_FSIZE, &a);
        getrlimit(RLIMIT_NOFILE, &b);
        return same(a, 12345, 54321) && same(b, 50, 100) && dup2(0, 50) == -1 && errno == EBADF ? 40 : 1;
    }
    if (strcmp(mode, "use-4mib-stack") == 0)
        return use_stack(4096) > 0 ? 41 : 2;
    return 3;
}

int main(int argc, char** argv)
{
    if (argc == 2)
        return run_mode(argv[1]);
    s_self = argv[0];
    s_on_teachos = harness_on_teachos();
    snprintf(FILE_PATH, sizeof FILE_PATH, "%s/rlimit_test.file", test_dir());
    snprintf(SOURCE_PATH, sizeof SOURCE_PATH, "%s/rlimit_test.source", test_dir());
    snprintf(NONE_PATH, sizeof NONE_PATH, "%s/rlimit_test.none", test_dir());
    /* Grow the test directory's name index before the leak check (harness.h). */
    close(open(FILE_PATH, O_CREAT | O_WRONLY, 0644));
    close(open(SOURCE_PATH, O_CREAT | O_WRONLY, 0644));
    unlink(FILE_PATH);
    unlink(SOURCE_PATH);
    return run_suite("rlimit");
}
