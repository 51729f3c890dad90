/* user/tests/pipe_test.c -- pipes, poll and select, as a program sees them.
 *
 * Each case runs in its own child (user/tests/harness.h). Covered:
 * read/write and end of file, EPIPE (SIGPIPE ignored) and death by SIGPIPE,
 * O_NONBLOCK (EAGAIN, a large write that fills the pipe, the atomicity of
 * small writes), a blocked reader and a blocked writer woken by the other
 * end, EINTR, a 1 MiB transfer through a pipe, poll (timeouts, POLLIN,
 * POLLOUT, POLLHUP, POLLERR, POLLNVAL), ppoll, select and pselect, and
 * pipe2's EINVAL and pipe's EFAULT without leaking descriptors.
 *
 * Checked on Linux first:
 *   gcc -O2 -Wall -Wextra -Werror user/tests/pipe_test.c -o /tmp/pt && /tmp/pt
 * The numbers it relies on are Linux's defaults: a pipe holds 64 KiB,
 * PIPE_BUF is 4096.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>

#define CAPACITY 65536
#define CHUNK 4096

static char big[CAPACITY + CHUNK];

/* Write until the non-blocking pipe is full. Returns bytes written. */
static long fill(int fd)
{
    long total = 0;
    for (;;) {
        ssize_t n = write(fd, big, CHUNK);
        if (n < 0) {
            EXPECT_EQ(errno, EAGAIN);
            return total;
        }
        total += n;
    }
}

static void on_signal(int sig) { (void)sig; }

/* ---- reading and writing ---- */

TEST_CASE(write_then_read)
{
    int p[2];
    char buf[16];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(write(p[1], "hello", 5), 5);
    EXPECT_EQ(read(p[0], buf, sizeof buf), 5);
    EXPECT(memcmp(buf, "hello", 5) == 0);
    EXPECT_EQ(write(p[1], "abcdef", 6), 6);
    EXPECT_EQ(read(p[0], buf, 2), 2); /* a short read leaves the rest */
    EXPECT_EQ(read(p[0], buf + 2, sizeof buf - 2), 4);
    EXPECT(memcmp(buf, "abcdef", 6) == 0);
    EXPECT_EQ(read(p[0], buf, 0), 0);
}

TEST_CASE(eof_when_writers_gone)
{
    int p[2];
    char buf[8];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(write(p[1], "xy", 2), 2);
    EXPECT_EQ(close(p[1]), 0);
    EXPECT_EQ(read(p[0], buf, sizeof buf), 2); /* the data first */
    EXPECT_EQ(read(p[0], buf, sizeof buf), 0); /* then end of file */
    EXPECT_EQ(read(p[0], buf, sizeof buf), 0);
}

TEST_CASE(eof_waits_for_every_writer)
{
    int p[2];
    char c;
    EXPECT_EQ(pipe(p), 0);
    int extra = dup(p[1]);
    EXPECT(extra >= 0);
    EXPECT_EQ(close(p[1]), 0);
    EXPECT_EQ(write(extra, "z", 1), 1); /* the dup is still a writer */
    EXPECT_EQ(read(p[0], &c, 1), 1);
    EXPECT_EQ(close(extra), 0);
    EXPECT_EQ(read(p[0], &c, 1), 0);
}

TEST_CASE(epipe_with_sigpipe_ignored)
{
    int p[2];
    EXPECT(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(close(p[0]), 0);
    EXPECT_ERRNO(write(p[1], "x", 1), EPIPE);
    EXPECT_ERRNO(write(p[1], big, sizeof big), EPIPE);
}

TEST_CASE(sigpipe_kills_writer)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(close(p[0]), 0);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        (void)!write(p[1], "x", 1);
        _exit(0);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGPIPE);
}

TEST_CASE(fstat_says_fifo)
{
    int p[2];
    struct stat st;
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(fstat(p[0], &st), 0);
    EXPECT(S_ISFIFO(st.st_mode));
    EXPECT_EQ(fstat(p[1], &st), 0);
    EXPECT(S_ISFIFO(st.st_mode));
    EXPECT_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
}

TEST_CASE(wrong_end_is_ebadf)
{
    int p[2];
    char c = 'x';
    EXPECT_EQ(pipe(p), 0);
    EXPECT_ERRNO(write(p[0], &c, 1), EBADF);
    EXPECT_ERRNO(read(p[1], &c, 1), EBADF);
}

TEST_CASE(fionread_counts_bytes)
{
    int p[2], waiting = -1;
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(write(p[1], "12345", 5), 5);
    EXPECT_EQ(ioctl(p[0], FIONREAD, &waiting), 0);
    EXPECT_EQ(waiting, 5);
}

/* ---- blocking and waking ---- */

TEST_CASE(blocked_reader_wakes_on_write)
{
    int p[2];
    char buf[8];
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(write(p[1], "late", 4) == 4 ? 0 : 1);
    }
    long long start = now_ms();
    EXPECT_EQ(read(p[0], buf, sizeof buf), 4);
    EXPECT(now_ms() - start >= 50);
    EXPECT(memcmp(buf, "late", 4) == 0);
    wait_child(pid, 0);
}

TEST_CASE(blocked_writer_wakes_on_read)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        /* 64 KiB fit; the next 4 KiB wait for the parent to read. */
        ssize_t n = write(p[1], big, sizeof big);
        _exit(n == (ssize_t)sizeof big ? 0 : 1);
    }
    sleep_ms(100);
    long total = 0;
    while (total < (long)sizeof big) {
        ssize_t n = read(p[0], big, CHUNK);
        EXPECT(n > 0);
        total += n;
    }
    EXPECT_EQ(total, (long)sizeof big);
    wait_child(pid, 0);
}

TEST_CASE(writer_gets_epipe_when_reader_leaves)
{
    int p[2];
    EXPECT(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100); /* holding its copy of the read end, which exit closes */
        _exit(0);
    }
    /* The child's copy of the read end keeps the pipe open while it sleeps. */
    EXPECT_EQ(close(p[0]), 0);
    EXPECT_EQ(write(p[1], big, CAPACITY), CAPACITY);
    EXPECT_ERRNO(write(p[1], big, 1), EPIPE); /* blocks until the child closes: EPIPE */
    wait_child(pid, 0);
}

TEST_CASE(signal_interrupts_blocked_read)
{
    int p[2];
    char c;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART */
    EXPECT_EQ(sigaction(SIGUSR1, &sa, 0), 0);
    EXPECT_EQ(pipe(p), 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
    }
    EXPECT_ERRNO(read(p[0], &c, 1), EINTR);
    wait_child(pid, 0);
}

TEST_CASE(megabyte_through_a_pipe)
{
    int p[2];
    static unsigned char buf[10000];
    const long total = 1 << 20;
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (long sent = 0; sent < total;) {
            long n = total - sent < 7000 ? total - sent : 7000;
            for (long i = 0; i < n; ++i)
                buf[i] = (unsigned char)((sent + i) * 7);
            ssize_t w = write(p[1], buf, (size_t)n);
            if (w != n)
                _exit(1);
            sent += n;
        }
        _exit(0);
    }
    EXPECT_EQ(close(p[1]), 0);
    long got = 0;
    for (;;) {
        ssize_t n = read(p[0], buf, sizeof buf);
        EXPECT(n >= 0);
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n; ++i)
            if (buf[i] != (unsigned char)((got + i) * 7))
                EXPECT(!"data corrupted");
        got += n;
    }
    EXPECT_EQ(got, total);
    wait_child(pid, 0);
}

/* ---- O_NONBLOCK ---- */

TEST_CASE(nonblock_read_is_eagain)
{
    int p[2];
    char c;
    EXPECT_EQ(pipe2(p, O_NONBLOCK), 0);
    EXPECT(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    EXPECT(fcntl(p[1], F_GETFL) & O_NONBLOCK);
    EXPECT_ERRNO(read(p[0], &c, 1), EAGAIN);
    EXPECT_EQ(close(p[1]), 0);
    EXPECT_EQ(read(p[0], &c, 1), 0); /* no writers: end of file, not EAGAIN */
}

TEST_CASE(nonblock_fill_is_64k)
{
    int p[2];
    EXPECT_EQ(pipe2(p, O_NONBLOCK), 0);
    EXPECT_EQ(fill(p[1]), CAPACITY);
    EXPECT_ERRNO(write(p[1], "x", 1), EAGAIN);
    char c;
    EXPECT_EQ(read(p[0], &c, 1), 1);
    EXPECT_ERRNO(write(p[1], big, 2), EAGAIN); /* room for 1 byte, not 2: all or nothing */
}

TEST_CASE(nonblock_large_write_is_partial)
{
    int p[2];
    EXPECT_EQ(pipe2(p, O_NONBLOCK), 0);
    EXPECT_EQ(write(p[1], big, sizeof big), CAPACITY);
    EXPECT_ERRNO(write(p[1], big, sizeof big), EAGAIN);
}

TEST_CASE(nonblock_small_write_is_atomic)
{
    int p[2];
    EXPECT_EQ(pipe2(p, O_NONBLOCK), 0);
    EXPECT_EQ(write(p[1], big, CAPACITY - 100), CAPACITY - 100);
    EXPECT_ERRNO(write(p[1], big, 200), EAGAIN); /* would not fit whole */
    EXPECT_EQ(write(p[1], big, 50), 50);
}

TEST_CASE(fcntl_sets_nonblock)
{
    int p[2];
    char c;
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    EXPECT_ERRNO(read(p[0], &c, 1), EAGAIN);
}

/* ---- pipe2 and pipe errors ---- */

TEST_CASE(pipe2_bad_flags)
{
    int p[2];
    EXPECT_ERRNO(pipe2(p, O_APPEND), EINVAL);
    EXPECT_ERRNO(pipe2(p, 0x40000000), EINVAL);
}

TEST_CASE(pipe2_cloexec)
{
    int p[2];
    EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
    EXPECT_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
    EXPECT_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(fcntl(p[0], F_GETFD), 0);
}

TEST_CASE(bad_pointer_is_efault_and_leaks_nothing)
{
    int lowest = dup(0);
    EXPECT(lowest >= 0);
    EXPECT_EQ(close(lowest), 0);
    EXPECT_ERRNO(syscall(SYS_pipe, (int*)8), EFAULT);
    EXPECT_ERRNO(syscall(SYS_pipe2, (int*)0, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_pipe2, (int*)(uintptr_t)0xffff800000000000ull, O_CLOEXEC), EFAULT);
    int again = dup(0);
    EXPECT_EQ(again, lowest); /* no descriptor was left behind */
}

/* ---- poll ---- */

TEST_CASE(poll_times_out)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    struct pollfd fd = {p[0], POLLIN, -1};
    long long start = now_ms();
    EXPECT_EQ(poll(&fd, 1, 100), 0);
    long long took = now_ms() - start;
    EXPECT(took >= 90);
    EXPECT(took < 5000);
    EXPECT_EQ(fd.revents, 0);
    EXPECT_EQ(poll(&fd, 1, 0), 0); /* a zero timeout only looks */
    start = now_ms();
    EXPECT_EQ(poll(0, 0, 50), 0); /* no files: a sleep */
    EXPECT(now_ms() - start >= 40);
}

TEST_CASE(poll_in_and_out)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    struct pollfd fds[2] = {{p[0], POLLIN | POLLOUT, 0}, {p[1], POLLIN | POLLOUT, 0}};
    EXPECT_EQ(poll(fds, 2, 0), 1);
    EXPECT_EQ(fds[0].revents, 0);       /* read end: nothing to read */
    EXPECT_EQ(fds[1].revents, POLLOUT); /* write end: room */
    EXPECT_EQ(write(p[1], "x", 1), 1);
    EXPECT_EQ(poll(fds, 2, 0), 2);
    EXPECT_EQ(fds[0].revents, POLLIN);
    EXPECT_EQ(fds[1].revents, POLLOUT);
}

TEST_CASE(poll_hup_and_err)
{
    int p[2], q[2];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(pipe(q), 0);
    EXPECT_EQ(close(p[1]), 0); /* p: no writers */
    EXPECT_EQ(close(q[0]), 0); /* q: no readers */
    struct pollfd fds[2] = {{p[0], POLLIN, 0}, {q[1], POLLOUT, 0}};
    EXPECT_EQ(poll(fds, 2, 1000), 2);
    EXPECT_EQ(fds[0].revents, POLLHUP);
    EXPECT_EQ(fds[1].revents, POLLOUT | POLLERR);
}

TEST_CASE(poll_nval_and_negative_fd)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    int closed = p[1] + 1;
    close(closed);
    struct pollfd fds[3] = {{closed, POLLIN, 0}, {-1, POLLIN, 0}, {p[1], POLLOUT, 0}};
    EXPECT_EQ(poll(fds, 3, 0), 2);
    EXPECT_EQ(fds[0].revents, POLLNVAL);
    EXPECT_EQ(fds[1].revents, 0);
    EXPECT_EQ(fds[2].revents, POLLOUT);
}

TEST_CASE(poll_wakes_on_write)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(write(p[1], "!", 1) == 1 ? 0 : 1);
    }
    struct pollfd fd = {p[0], POLLIN, 0};
    EXPECT_EQ(poll(&fd, 1, -1), 1);
    EXPECT_EQ(fd.revents, POLLIN);
    wait_child(pid, 0);
}

TEST_CASE(poll_errors)
{
    struct pollfd fd = {0, POLLIN, 0};
    /* Through syscall(): the C library's poll() is declared to write its
     * array, and the compiler would refuse these on purpose bad calls. */
    EXPECT_ERRNO(syscall(SYS_poll, (struct pollfd*)8, 1, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_poll, &fd, 1 << 20, 0), EINVAL); /* above RLIMIT_NOFILE */
}

TEST_CASE(poll_interrupted)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    EXPECT_EQ(sigaction(SIGUSR1, &sa, 0), 0);
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
    }
    struct pollfd fd = {p[0], POLLIN, 0};
    EXPECT_ERRNO(poll(&fd, 1, 5000), EINTR);
    wait_child(pid, 0);
}

/* SA_RESTART restarts a read, but never poll or select: after a handler
 * they return EINTR (Linux's fs/select.c turns its ERESTARTNOHAND into
 * EINTR; kernel/top/proc/signal.cpp:restartable here). */
TEST_CASE(poll_and_select_not_restarted_by_sa_restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    EXPECT_EQ(sigaction(SIGUSR1, &sa, 0), 0);
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        if (kill(parent, SIGUSR1) != 0)
            _exit(1);
        sleep_ms(200);
        _exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
    }
    long long start = now_ms();
    struct pollfd fd = {p[0], POLLIN, 0};
    EXPECT_ERRNO(poll(&fd, 1, 5000), EINTR);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {5, 0};
    EXPECT_ERRNO(select(p[0] + 1, &r, 0, 0, &tv), EINTR);
    EXPECT(now_ms() - start < 4000); /* neither waited out its timeout */
    wait_child(pid, 0);
}

TEST_CASE(ppoll_timespec_and_mask)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    struct pollfd fd = {p[0], POLLIN, 0};
    struct timespec ts = {0, 50 * 1000000};
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    EXPECT_EQ(ppoll(&fd, 1, &ts, &mask), 0);
    EXPECT_EQ(write(p[1], "x", 1), 1);
    ts.tv_sec = 5;
    EXPECT_EQ(ppoll(&fd, 1, &ts, 0), 1);
    EXPECT(ts.tv_sec <= 5); /* the time left is written back */
    struct timespec bad = {0, 1000000000};
    EXPECT_ERRNO(ppoll(&fd, 1, &bad, 0), EINVAL);
    /* the mask was only in place during the call */
    sigset_t now;
    EXPECT_EQ(sigprocmask(SIG_BLOCK, 0, &now), 0);
    EXPECT(!sigismember(&now, SIGUSR2));
}

/* ---- select ---- */

TEST_CASE(select_read_and_write)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    fd_set r, w;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, 50000};
    long long start = now_ms();
    EXPECT_EQ(select(p[0] + 1, &r, 0, 0, &tv), 0);
    EXPECT(now_ms() - start >= 40);
    EXPECT(!FD_ISSET(p[0], &r));

    EXPECT_EQ(write(p[1], "x", 1), 1);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    int n = p[0] > p[1] ? p[0] : p[1];
    EXPECT_EQ(select(n + 1, &r, &w, 0, 0), 2);
    EXPECT(FD_ISSET(p[0], &r));
    EXPECT(FD_ISSET(p[1], &w));

    struct timeval nap = {0, 50000};
    start = now_ms();
    EXPECT_EQ(select(0, 0, 0, 0, &nap), 0); /* no files: a sleep */
    EXPECT(now_ms() - start >= 40);
}

TEST_CASE(select_eof_is_readable)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    EXPECT_EQ(close(p[1]), 0);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {1, 0};
    EXPECT_EQ(select(p[0] + 1, &r, 0, 0, &tv), 1);
    EXPECT(FD_ISSET(p[0], &r));
}

TEST_CASE(select_errors)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[1] + 1, &r); /* not open */
    struct timeval tv = {0, 0};
    EXPECT_ERRNO(select(p[1] + 2, &r, 0, 0, &tv), EBADF);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval negative = {-1, 0};
    EXPECT_ERRNO(select(p[0] + 1, &r, 0, 0, &negative), EINVAL);
    EXPECT_ERRNO(select(-1, 0, 0, 0, &tv), EINVAL);
    EXPECT_ERRNO(select(p[0] + 1, (fd_set*)8, 0, 0, &tv), EFAULT);
}

TEST_CASE(pselect_waits_for_writer)
{
    int p[2];
    EXPECT_EQ(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(write(p[1], "!", 1) == 1 ? 0 : 1);
    }
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timespec ts = {5, 0};
    sigset_t mask;
    sigemptyset(&mask);
    EXPECT_EQ(pselect(p[0] + 1, &r, 0, 0, &ts, &mask), 1);
    EXPECT(FD_ISSET(p[0], &r));
    wait_child(pid, 0);
}

int main(void) { return run_suite("pipe"); }
