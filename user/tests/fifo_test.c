/* user/tests/fifo_test.c -- named pipes (mkfifo), as a program sees them.
 *
 * Each case runs in its own child (user/tests/harness.h). Covered, as
 * fifo(7) and open(2) describe them:
 *   - open: O_RDONLY waits for a writer and O_WRONLY for a reader (each
 *     released by the other side, in a forked child), also by a writer that
 *     opens and closes again at once; a signal interrupts the wait (EINTR,
 *     and the interrupted end is not left counted); O_RDONLY|O_NONBLOCK
 *     goes on at once; O_WRONLY|O_NONBLOCK is ENXIO without a reader;
 *     O_RDWR never waits;
 *   - then a pipe: data across fork (more than the 64 KiB buffer), end of
 *     file when the writers are gone, EPIPE and death by SIGPIPE when the
 *     readers are, EAGAIN, FIONREAD, poll and select (no POLLHUP for a
 *     reader that came before any writer), ESPIPE;
 *   - fstat shows S_IFIFO and the node's inode; every opener shares one
 *     pipe; two FIFOs are two pipes; the bytes go with the last close;
 *     unlinking the node leaves the open ends working.
 *
 * Checked on Linux first (as root or not, in any writable /tmp):
 *   gcc -O2 -Wall -Wextra -Werror user/tests/fifo_test.c -o /tmp/ft && /tmp/ft
 * FIFOs live in <test_dir()>/fifo_test.<pid>/ (test_dir(): $TEST_DIR or
 * /tmp, harness.h); SUITE_TEARDOWN removes what a failed case left behind
 * before the harness's leak check.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>

#define CAPACITY 65536
#define CHUNK 4096

static char s_base[256];
static unsigned char big[4 * CAPACITY];

static const char* at(const char* name)
{
    static char buffers[4][PATH_MAX];
    static int next;
    char* out = buffers[next++ % 4];
    snprintf(out, PATH_MAX, "%s/%s", s_base, name);
    return out;
}

static void on_signal(int sig) { (void)sig; }

/* A new FIFO `name` in the suite's directory. Returns its path. */
static const char* make_fifo(const char* name)
{
    const char* path = at(name);
    EXPECT_EQ(mkfifo(path, 0600), 0);
    return path;
}

SUITE_SETUP
{
    mkdir(s_base, 0755);
}

SUITE_TEARDOWN
{
    harness_remove_tree(s_base);
}

/* ---- open's rules ---- */

TEST_CASE(nonblocking_reader_opens_at_once)
{
    const char* path = make_fifo("nbr");
    char c;
    long long start = now_ms();
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    EXPECT(fd >= 0);
    EXPECT(now_ms() - start < 1000);
    EXPECT_EQ(read(fd, &c, 1), 0); /* no writer: end of file */
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(nonblocking_writer_without_reader_is_enxio)
{
    const char* path = make_fifo("nbw");
    EXPECT_ERRNO(open(path, O_WRONLY | O_NONBLOCK), ENXIO);
    int r = open(path, O_RDONLY | O_NONBLOCK);
    EXPECT(r >= 0);
    int w = open(path, O_WRONLY | O_NONBLOCK); /* a reader now: fine */
    EXPECT(w >= 0);
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(close(w), 0);
    EXPECT_ERRNO(open(path, O_WRONLY | O_NONBLOCK), ENXIO); /* gone again */
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(rdwr_never_waits)
{
    const char* path = make_fifo("rdwr");
    char buf[8];
    int fd = open(path, O_RDWR);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "self", 4), 4); /* its own reader */
    EXPECT_EQ(read(fd, buf, sizeof buf), 4);
    EXPECT(memcmp(buf, "self", 4) == 0);
    int w = open(path, O_WRONLY); /* a reader is there: no wait */
    EXPECT(w >= 0);
    int r = open(path, O_RDONLY); /* and a writer */
    EXPECT(r >= 0);
    EXPECT_EQ(close(w), 0);
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(reader_open_waits_for_writer)
{
    const char* path = make_fifo("rw");
    char buf[8];
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        int w = open(path, O_WRONLY);
        _exit(w >= 0 && write(w, "hi", 2) == 2 ? 0 : 1);
    }
    long long start = now_ms();
    int fd = open(path, O_RDONLY);
    EXPECT(fd >= 0);
    EXPECT(now_ms() - start >= 50);
    EXPECT_EQ(read(fd, buf, sizeof buf), 2);
    EXPECT(memcmp(buf, "hi", 2) == 0);
    wait_child(pid, 0);
    EXPECT_EQ(read(fd, buf, sizeof buf), 0); /* the child's exit closed it */
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(writer_open_waits_for_reader)
{
    const char* path = make_fifo("wr");
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        int r = open(path, O_RDONLY);
        char buf[8];
        _exit(r >= 0 && read(r, buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0 ? 0 : 1);
    }
    long long start = now_ms();
    int fd = open(path, O_WRONLY);
    EXPECT(fd >= 0);
    EXPECT(now_ms() - start >= 50);
    EXPECT_EQ(write(fd, "abc", 3), 3);
    wait_child(pid, 0);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(writer_that_comes_and_goes_releases_reader)
{
    const char* path = make_fifo("flash");
    char c;
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        /* The parent's waiting open counts as a reader, so no ENXIO. */
        int w = open(path, O_WRONLY | O_NONBLOCK);
        _exit(w >= 0 && close(w) == 0 ? 0 : 1);
    }
    int fd = open(path, O_RDONLY);
    EXPECT(fd >= 0);
    wait_child(pid, 0);
    EXPECT_EQ(read(fd, &c, 1), 0); /* that writer is gone: end of file */
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(signal_interrupts_waiting_open)
{
    const char* path = make_fifo("intr");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART */
    EXPECT_EQ(sigaction(SIGUSR1, &sa, 0), 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
    }
    EXPECT_ERRNO(open(path, O_RDONLY), EINTR);
    wait_child(pid, 0);
    /* The interrupted reader is not left behind. */
    EXPECT_ERRNO(open(path, O_WRONLY | O_NONBLOCK), ENXIO);
    pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
    }
    EXPECT_ERRNO(open(path, O_WRONLY), EINTR);
    wait_child(pid, 0);
    /* Nor the interrupted writer: a nonblocking reader sees end of file. */
    int r = open(path, O_RDONLY | O_NONBLOCK);
    char c;
    EXPECT(r >= 0);
    EXPECT_EQ(read(r, &c, 1), 0);
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(unlink(path), 0);
}

/* ---- then a pipe ---- */

TEST_CASE(data_through_fifo_across_fork)
{
    const char* path = make_fifo("data");
    for (size_t i = 0; i < sizeof big; ++i)
        big[i] = (unsigned char)(i * 7 + i / 251);
    pid_t pid = fork();
    if (pid == 0) {
        int w = open(path, O_WRONLY);
        _exit(w >= 0 && write(w, big, sizeof big) == (ssize_t)sizeof big ? 0 : 1);
    }
    int fd = open(path, O_RDONLY);
    EXPECT(fd >= 0);
    static unsigned char got[sizeof big];
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, got + total, sizeof got - total > 10000 ? 10000 : sizeof got - total);
        EXPECT(n >= 0);
        if (n == 0)
            break;
        total += (size_t)n;
    }
    EXPECT_EQ(total, sizeof big);
    EXPECT(memcmp(got, big, sizeof big) == 0);
    wait_child(pid, 0);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(eof_when_writers_gone)
{
    const char* path = make_fifo("eof");
    char buf[8];
    int r = open(path, O_RDONLY | O_NONBLOCK);
    int w1 = open(path, O_WRONLY);
    int w2 = open(path, O_WRONLY);
    EXPECT(r >= 0 && w1 >= 0 && w2 >= 0);
    EXPECT_ERRNO(read(r, buf, sizeof buf), EAGAIN); /* empty, writers open */
    EXPECT_EQ(write(w1, "xy", 2), 2);
    EXPECT_EQ(close(w1), 0);
    EXPECT_EQ(write(w2, "z", 1), 1); /* the second writer still counts */
    EXPECT_EQ(close(w2), 0);
    EXPECT_EQ(read(r, buf, sizeof buf), 3); /* the data first */
    EXPECT(memcmp(buf, "xyz", 3) == 0);
    EXPECT_EQ(read(r, buf, sizeof buf), 0); /* then end of file */
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(epipe_when_readers_gone)
{
    const char* path = make_fifo("epipe");
    EXPECT(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    int r = open(path, O_RDONLY | O_NONBLOCK);
    int w = open(path, O_WRONLY);
    EXPECT(r >= 0 && w >= 0);
    EXPECT_EQ(write(w, "x", 1), 1);
    EXPECT_EQ(close(r), 0);
    EXPECT_ERRNO(write(w, "x", 1), EPIPE);
    EXPECT_EQ(close(w), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(sigpipe_kills_writer)
{
    const char* path = make_fifo("sigpipe");
    int r = open(path, O_RDONLY | O_NONBLOCK);
    int w = open(path, O_WRONLY);
    EXPECT(r >= 0 && w >= 0);
    EXPECT_EQ(close(r), 0);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        (void)!write(w, "x", 1);
        _exit(0);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGPIPE);
    EXPECT_EQ(close(w), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(fstat_lseek_fionread)
{
    const char* path = make_fifo("stat");
    struct stat by_path, by_fd;
    int waiting = -1;
    int fd = open(path, O_RDWR);
    EXPECT(fd >= 0);
    EXPECT_EQ(stat(path, &by_path), 0);
    EXPECT_EQ(fstat(fd, &by_fd), 0);
    EXPECT(S_ISFIFO(by_fd.st_mode));
    EXPECT_EQ(by_fd.st_ino, by_path.st_ino); /* the node, as Linux */
    EXPECT_EQ(by_fd.st_mode & 07777, 0600u);
    EXPECT_ERRNO(lseek(fd, 0, SEEK_SET), ESPIPE);
    EXPECT_ERRNO(pread(fd, &waiting, 1, 0), ESPIPE);
    EXPECT_EQ(write(fd, "12345", 5), 5);
    EXPECT_EQ(ioctl(fd, FIONREAD, &waiting), 0);
    EXPECT_EQ(waiting, 5);
    EXPECT_ERRNO(ftruncate(fd, 0), EINVAL);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(poll_and_select)
{
    const char* path = make_fifo("poll");
    int r = open(path, O_RDONLY | O_NONBLOCK);
    int w = open(path, O_WRONLY);
    EXPECT(r >= 0 && w >= 0);
    struct pollfd fds[2] = {{r, POLLIN, 0}, {w, POLLOUT, 0}};
    EXPECT_EQ(poll(fds, 2, 0), 1); /* only the writer: room */
    EXPECT_EQ(fds[0].revents, 0);
    EXPECT_EQ(fds[1].revents, POLLOUT);
    EXPECT_EQ(write(w, "p", 1), 1);
    EXPECT_EQ(poll(fds, 1, 1000), 1);
    EXPECT_EQ(fds[0].revents, POLLIN);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(r, &rd);
    struct timeval tv = {0, 0};
    EXPECT_EQ(select(r + 1, &rd, 0, 0, &tv), 1);
    EXPECT(FD_ISSET(r, &rd));
    EXPECT_EQ(close(w), 0);
    EXPECT_EQ(poll(fds, 1, 0), 1);
    EXPECT_EQ(fds[0].revents, POLLIN | POLLHUP); /* data, and no writer */
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(unlink(path), 0);
}

/* A reader that opened before any writer sees no POLLHUP (select: not
 * readable) until a writer has come and gone, though read gives end of
 * file; a poll that is waiting wakes when the writer closes. */
TEST_CASE(no_pollhup_before_a_writer)
{
    const char* path = make_fifo("nohup");
    char c;
    int r = open(path, O_RDONLY | O_NONBLOCK);
    EXPECT(r >= 0);
    struct pollfd pfd = {r, POLLIN, 0};
    EXPECT_EQ(poll(&pfd, 1, 0), 0);
    EXPECT_EQ(pfd.revents, 0);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(r, &rd);
    struct timeval tv = {0, 0};
    EXPECT_EQ(select(r + 1, &rd, 0, 0, &tv), 0);
    EXPECT_EQ(read(r, &c, 1), 0);
    int w = open(path, O_WRONLY | O_NONBLOCK);
    EXPECT(w >= 0);
    EXPECT_EQ(poll(&pfd, 1, 0), 0); /* a writer is there: no hangup */
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(close(w) == 0 ? 0 : 1);
    }
    EXPECT_EQ(close(w), 0); /* the child's copy keeps the writer open */
    EXPECT_EQ(poll(&pfd, 1, 5000), 1);
    EXPECT_EQ(pfd.revents, POLLHUP);
    wait_child(pid, 0);
    FD_ZERO(&rd);
    FD_SET(r, &rd);
    EXPECT_EQ(select(r + 1, &rd, 0, 0, &tv), 1);
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(poll_wakes_when_fifo_written)
{
    const char* path = make_fifo("pollw");
    int r = open(path, O_RDONLY | O_NONBLOCK);
    int w = open(path, O_WRONLY);
    EXPECT(r >= 0 && w >= 0);
    pid_t pid = fork();
    if (pid == 0) {
        sleep_ms(100);
        _exit(write(w, "!", 1) == 1 ? 0 : 1);
    }
    struct pollfd pfd = {r, POLLIN, 0};
    EXPECT_EQ(poll(&pfd, 1, 5000), 1);
    EXPECT_EQ(pfd.revents, POLLIN);
    wait_child(pid, 0);
    EXPECT_EQ(close(r), 0);
    EXPECT_EQ(close(w), 0);
    EXPECT_EQ(unlink(path), 0);
}

/* ---- one pipe per node, for as long as it is open ---- */

TEST_CASE(every_opener_shares_one_pipe)
{
    const char* path = make_fifo("share");
    char buf[8];
    int r1 = open(path, O_RDONLY | O_NONBLOCK);
    int r2 = open(path, O_RDONLY | O_NONBLOCK);
    int w1 = open(path, O_WRONLY);
    int w2 = open(path, O_WRONLY);
    EXPECT(r1 >= 0 && r2 >= 0 && w1 >= 0 && w2 >= 0);
    EXPECT_EQ(write(w1, "ab", 2), 2);
    EXPECT_EQ(write(w2, "cd", 2), 2);
    EXPECT_EQ(read(r2, buf, 3), 3); /* in order, whoever wrote or reads */
    EXPECT(memcmp(buf, "abc", 3) == 0);
    EXPECT_EQ(read(r1, buf, sizeof buf), 1);
    EXPECT_EQ(buf[0], 'd');
    EXPECT_EQ(close(r1), 0);
    EXPECT_EQ(close(r2), 0);
    EXPECT_EQ(close(w1), 0);
    EXPECT_EQ(close(w2), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(bytes_go_with_the_last_close)
{
    const char* path = make_fifo("drop");
    char c;
    int fd = open(path, O_RDWR);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "lost", 4), 4);
    EXPECT_EQ(close(fd), 0);
    fd = open(path, O_RDWR | O_NONBLOCK);
    EXPECT(fd >= 0);
    EXPECT_ERRNO(read(fd, &c, 1), EAGAIN); /* a fresh, empty pipe */
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(unlink_while_open)
{
    const char* path = make_fifo("gone");
    char buf[8];
    struct stat st;
    int r = open(path, O_RDONLY | O_NONBLOCK);
    int w = open(path, O_WRONLY);
    EXPECT(r >= 0 && w >= 0);
    EXPECT_EQ(unlink(path), 0);
    EXPECT_ERRNO(open(path, O_RDONLY | O_NONBLOCK), ENOENT);
    EXPECT_EQ(write(w, "still", 5), 5);
    EXPECT_EQ(read(r, buf, sizeof buf), 5);
    EXPECT(memcmp(buf, "still", 5) == 0);
    EXPECT_EQ(fstat(r, &st), 0);
    EXPECT(S_ISFIFO(st.st_mode));
    EXPECT_EQ(st.st_nlink, 0u);
    EXPECT_EQ(close(w), 0);
    EXPECT_EQ(read(r, buf, sizeof buf), 0);
    EXPECT_EQ(close(r), 0);
    /* A new FIFO of the same name is a new pipe. */
    path = make_fifo("gone");
    EXPECT_ERRNO(open(path, O_WRONLY | O_NONBLOCK), ENXIO);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(two_fifos_are_two_pipes)
{
    const char* a = make_fifo("a");
    const char* b = make_fifo("b");
    char buf[8];
    int ra = open(a, O_RDONLY | O_NONBLOCK);
    int wa = open(a, O_WRONLY);
    int rb = open(b, O_RDONLY | O_NONBLOCK);
    int wb = open(b, O_WRONLY);
    EXPECT(ra >= 0 && wa >= 0 && rb >= 0 && wb >= 0);
    EXPECT_EQ(write(wa, "AAA", 3), 3);
    EXPECT_EQ(write(wb, "B", 1), 1);
    EXPECT_EQ(read(rb, buf, sizeof buf), 1);
    EXPECT_EQ(buf[0], 'B');
    EXPECT_EQ(read(ra, buf, sizeof buf), 3);
    EXPECT(memcmp(buf, "AAA", 3) == 0);
    EXPECT_EQ(close(wa), 0); /* a's writer gone: b is untouched */
    EXPECT_EQ(read(ra, buf, sizeof buf), 0);
    EXPECT_ERRNO(read(rb, buf, sizeof buf), EAGAIN);
    EXPECT_EQ(close(ra), 0);
    EXPECT_EQ(close(rb), 0);
    EXPECT_EQ(close(wb), 0);
    EXPECT_EQ(unlink(a), 0);
    EXPECT_EQ(unlink(b), 0);
}

int main(void)
{
    snprintf(s_base, sizeof s_base, "%s/fifo_test.%d", test_dir(), (int)getpid());
    /* Before the leak check's first reading: a first entry may grow the test
     * directory's name index for good (tmpfs keeps it), which is not a leak. */
    if (mkdir(s_base, 0755) == 0)
        rmdir(s_base);
    return run_suite("fifo");
}
