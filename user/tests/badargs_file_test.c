/* user/tests/badargs_file_test.c -- the calls on descriptors, given bad arguments, answer Linux's errno.
 *
 * The read and write family (read, write, pread64, pwrite64, readv,
 * writev, preadv, pwritev, preadv2, pwritev2), lseek, close and the dups,
 * fcntl, ioctl, fstat, ftruncate, the fsyncs, fchdir, getdents64 and
 * sendfile; then pipes (pipe, pipe2, a pipe's data after a failed copy) and
 * waiting on many files (poll, ppoll, select, pselect6). What "bad" means,
 * the pointers and descriptors tried, and why every call goes through
 * syscall(2): user/tests/badargs.h. The calls that take a path are in
 * badargs_path_test.c; memory, processes, signals and the rest in
 * badargs_proc_test.c.
 *
 * It passes on Linux too (as root, as in the guest):
 *
 *     gcc -O2 -Wall -Wextra -o /tmp/t user/tests/badargs_file_test.c && /tmp/t
 *
 * Sources: the Linux man pages of each call (section 2), and where the
 * order of checks decides the errno, Linux's own code: fs/read_write.c
 * (ksys_pread64, vfs_read: access_ok before anything; do_sendfile),
 * fs/splice.c (do_splice_direct: no O_APPEND target), fs/readdir.c,
 * fs/select.c.
 */
#define _GNU_SOURCE
#include "badargs.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/uio.h>

SUITE_SETUP
{
    mkdir(s_base, 0755);
}

SUITE_TEARDOWN
{
    harness_remove_tree(s_base);
}

/* ==== reading and writing ==== */

TEST_CASE(read_bad_fd_and_pointer)
{
    char buf[16];
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_read, fd, buf, sizeof buf), EBADF);
    int fd = file_with("r", "hello", O_RDONLY);
    struct bad_list bad = bad_pointers(1);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_read, fd, p, 5), EFAULT);
    /* A range that leaves the user half: refused whole, before any byte. */
    EXPECT_ERRNO(syscall(SYS_read, fd, buf, (size_t)-1), EFAULT);
    EXPECT_ERRNO(syscall(SYS_read, fd, buf, (size_t)1 << 63), EFAULT);
    static char low_buf[16]; /* far below the top: only the count is too big */
    EXPECT_ERRNO(syscall(SYS_read, fd, low_buf, (size_t)-1), EFAULT);
    EXPECT_ERRNO(syscall(SYS_read, fd, low_buf, (size_t)1 << 62), EFAULT);
    EXPECT_ERRNO(syscall(SYS_read, fd, BAD_KERNEL, 0), EFAULT);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0); /* nothing was consumed */
    EXPECT_EQ(syscall(SYS_read, fd, buf, sizeof buf), 5);
    EXPECT(memcmp(buf, "hello", 5) == 0);
    EXPECT_EQ(close(fd), 0);
}

TEST_CASE(write_bad_fd_and_pointer)
{
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_write, fd, "x", 1), EBADF);
    int fd = file_with("w", "hello", O_WRONLY | O_APPEND);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_write, fd, p, 5), EFAULT);
    char buf[8] = "abc";
    EXPECT_ERRNO(syscall(SYS_write, fd, buf, (size_t)-1), EFAULT);
    static char low_buf[8] = "abc";
    EXPECT_ERRNO(syscall(SYS_write, fd, low_buf, (size_t)-1), EFAULT);
    EXPECT_ERRNO(syscall(SYS_write, fd, BAD_KERNEL, 0), EFAULT);
    EXPECT_EQ(close(fd), 0);
    EXPECT(holds(at("w"), "hello")); /* not a byte written, not grown */
    struct stat st;
    EXPECT_EQ(stat(at("w"), &st), 0);
    EXPECT_EQ(st.st_size, 5);
}

TEST_CASE(read_write_wrong_kind_of_fd)
{
    char buf[8];
    int ro = file_with("k", "data", O_RDONLY);
    int wo = open(at("k"), O_WRONLY);
    EXPECT(wo >= 0);
    EXPECT_ERRNO(syscall(SYS_write, ro, "zz", 2), EBADF);
    EXPECT_ERRNO(syscall(SYS_read, wo, buf, sizeof buf), EBADF);
    EXPECT_ERRNO(syscall(SYS_pwrite64, ro, "zz", 2, 0), EBADF);
    EXPECT_ERRNO(syscall(SYS_pread64, wo, buf, sizeof buf, 0), EBADF);
    /* The access mode is checked before the buffer. */
    EXPECT_ERRNO(syscall(SYS_write, ro, BAD_KERNEL, 2), EBADF);
    EXPECT_ERRNO(syscall(SYS_read, wo, BAD_KERNEL, 2), EBADF);
    EXPECT_ERRNO(syscall(SYS_pwrite64, ro, BAD_KERNEL, 2, 0), EBADF);
    int dir = open(s_base, O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    EXPECT_ERRNO(syscall(SYS_read, dir, buf, sizeof buf), EISDIR);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_write, fds[0], "x", 1), EBADF);
    EXPECT_ERRNO(syscall(SYS_read, fds[1], buf, 1), EBADF);
    EXPECT(holds(at("k"), "data"));
}

TEST_CASE(pread_pwrite_bad_args)
{
    char buf[8];
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_pread64, fd, buf, 1, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_pwrite64, fd, "x", 1, 0), EBADF);
    }
    int fd = file_with("p", "hello", O_RDWR);
    EXPECT_ERRNO(syscall(SYS_pread64, fd, buf, 1, -1L), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pwrite64, fd, "x", 1, -4096L), EINVAL);
    struct bad_list rbad = bad_pointers(1), wbad = bad_pointers(0);
    FOR_EACH_BAD(rbad, p)
        EXPECT_ERRNO(syscall(SYS_pread64, fd, p, 5, 0), EFAULT);
    FOR_EACH_BAD(wbad, p)
        EXPECT_ERRNO(syscall(SYS_pwrite64, fd, p, 5, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_pread64, fd, buf, (size_t)-1, 0), EFAULT);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_pread64, fds[0], buf, 1, 0), ESPIPE);
    EXPECT_ERRNO(syscall(SYS_pwrite64, fds[1], "x", 1, 0), ESPIPE);
    EXPECT_ERRNO(syscall(SYS_pread64, fds[0], BAD_LOW, 1, 0), ESPIPE);
    EXPECT_ERRNO(syscall(SYS_pread64, fds[0], BAD_KERNEL, 1, 0), ESPIPE); /* before the buffer */
    /* ... but after the offset, which ksys_pread64 checks first of all. */
    EXPECT_ERRNO(syscall(SYS_pwrite64, fds[1], BAD_KERNEL, 1, -1L), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pread64, -1, buf, 1, -1L), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pwrite64, NO_FD, buf, 1, -1L), EINVAL);
    EXPECT(holds(at("p"), "hello"));
}

TEST_CASE(readv_writev_bad_args)
{
    char buf[8];
    struct iovec iov = {buf, sizeof buf};
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_readv, fd, &iov, 1), EBADF);
        EXPECT_ERRNO(syscall(SYS_writev, fd, &iov, 1), EBADF);
    }
    int fd = file_with("v", "hello", O_RDWR);
    /* The array itself unreadable. */
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_readv, fd, p, 1), EFAULT);
        EXPECT_ERRNO(syscall(SYS_writev, fd, p, 1), EFAULT);
    }
    /* An element pointing nowhere (the first, so nothing moves before it). */
    struct bad_list rbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, p) {
        struct iovec bad_iov[2] = {{p, 4}, {buf, 4}};
        EXPECT_ERRNO(syscall(SYS_readv, fd, bad_iov, 2), EFAULT);
    }
    FOR_EACH_BAD(bad, p) {
        struct iovec bad_iov[2] = {{p, 4}, {buf, 4}};
        EXPECT_ERRNO(syscall(SYS_writev, fd, bad_iov, 2), EFAULT);
    }
    /* Counts and lengths. */
    EXPECT_ERRNO(syscall(SYS_readv, fd, &iov, -1L), EINVAL);
    EXPECT_ERRNO(syscall(SYS_readv, fd, &iov, 1025), EINVAL);
    EXPECT_ERRNO(syscall(SYS_writev, fd, &iov, 1025), EINVAL);
    struct iovec negative = {buf, (size_t)-1};
    EXPECT_ERRNO(syscall(SYS_readv, fd, &negative, 1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_writev, fd, &negative, 1), EINVAL);
    struct iovec kernel = {BAD_KERNEL, 1};
    EXPECT_ERRNO(syscall(SYS_writev, fd, &kernel, 1), EFAULT);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
    EXPECT(holds(at("v"), "hello"));
    /* Wrong kind of descriptor. */
    int ro = open(at("v"), O_RDONLY);
    EXPECT(ro >= 0);
    EXPECT_ERRNO(syscall(SYS_writev, ro, &iov, 1), EBADF);
}

TEST_CASE(preadv_pwritev_bad_args)
{
    char buf[8];
    struct iovec iov = {buf, sizeof buf};
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_preadv, fd, &iov, 1, 0, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_pwritev, fd, &iov, 1, 0, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_preadv2, fd, &iov, 1, 0, 0, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_pwritev2, fd, &iov, 1, 0, 0, 0), EBADF);
    }
    int fd = file_with("pv", "hello", O_RDWR);
    EXPECT_ERRNO(syscall(SYS_preadv, fd, &iov, 1, -1L, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pwritev, fd, &iov, 1, -2L, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_preadv2, fd, &iov, 1, -2L, 0, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_preadv, fd, BAD_LOW, 1, 0, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_pwritev, fd, BAD_KERNEL, 1, 0, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_preadv, fd, &iov, 1025, 0, 0), EINVAL);
    /* preadv2/pwritev2: an undefined RWF_ flag. */
    EXPECT_ERRNO(syscall(SYS_preadv2, fd, &iov, 1, 0, 0, 0x10000000), EOPNOTSUPP);
    EXPECT_ERRNO(syscall(SYS_pwritev2, fd, &iov, 1, 0, 0, 0x10000000), EOPNOTSUPP);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_preadv, fds[0], &iov, 1, 0, 0), ESPIPE);
    EXPECT_ERRNO(syscall(SYS_pwritev, fds[1], &iov, 1, 0, 0), ESPIPE);
    EXPECT(holds(at("pv"), "hello"));
}

TEST_CASE(lseek_bad_whence_and_pipe)
{
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_lseek, fd, 0, SEEK_SET), EBADF);
    int fd = file_with("l", "hello", O_RDONLY);
    EXPECT_EQ(lseek(fd, 2, SEEK_SET), 2);
    EXPECT_ERRNO(syscall(SYS_lseek, fd, 0, 5), EINVAL);
    EXPECT_ERRNO(syscall(SYS_lseek, fd, 0, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_lseek, fd, -1L, SEEK_SET), EINVAL);
    EXPECT_ERRNO(syscall(SYS_lseek, fd, -100L, SEEK_CUR), EINVAL);
    EXPECT_ERRNO(syscall(SYS_lseek, fd, -100L, SEEK_END), EINVAL);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 2); /* unmoved by the failures */
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_lseek, fds[0], 0, SEEK_SET), ESPIPE);
    EXPECT_ERRNO(syscall(SYS_lseek, fds[1], 0, SEEK_CUR), ESPIPE);
    EXPECT_ERRNO(syscall(SYS_lseek, fds[0], 0, 77), EINVAL); /* whence is checked first */
}

TEST_CASE(close_dup_bad_fd)
{
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_close, fd), EBADF);
        EXPECT_ERRNO(syscall(SYS_dup, fd), EBADF);
        EXPECT_ERRNO(syscall(SYS_dup2, fd, 20), EBADF);
        EXPECT_ERRNO(syscall(SYS_dup3, fd, 20, 0), EBADF);
    }
    EXPECT_ERRNO(fcntl(20, F_GETFD), EBADF); /* the failed dups made nothing */
    EXPECT_ERRNO(syscall(SYS_dup2, 0, -1), EBADF);
    EXPECT_ERRNO(syscall(SYS_dup2, 0, 0x7fffffff), EBADF);
    EXPECT_ERRNO(syscall(SYS_dup3, 0, 0x7fffffff, 0), EBADF);
    /* dup2 of a closed descriptor onto an open one leaves the open one. */
    int fd = file_with("d", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_dup2, closed_fd() + 50, fd), EBADF);
    EXPECT_EQ(fcntl(fd, F_GETFD), 0);
}

TEST_CASE(dup3_bad_flags)
{
    EXPECT_ERRNO(syscall(SYS_dup3, 0, 20, O_NONBLOCK), EINVAL);
    EXPECT_ERRNO(syscall(SYS_dup3, 0, 20, 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_dup3, 0, 20, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_dup3, 0, 0, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_dup3, 0, 0, O_CLOEXEC), EINVAL);
    EXPECT_ERRNO(fcntl(20, F_GETFD), EBADF);
}

TEST_CASE(fcntl_bad_cmd_and_fd)
{
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_GETFD), EBADF);
        EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC), EBADF);
        EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_GETFL), EBADF);
        EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_SETFL, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_DUPFD, 0), EBADF);
    }
    int fd = file_with("f", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_fcntl, fd, 0x7fff), EINVAL);
    EXPECT_ERRNO(syscall(SYS_fcntl, fd, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_DUPFD, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 0x7fffffff), EINVAL);
    EXPECT_EQ(fcntl(fd, F_GETFD), 0);
}

TEST_CASE(ioctl_bad_args)
{
    int on = 1;
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_ioctl, fd, FIONBIO, &on), EBADF);
        EXPECT_ERRNO(syscall(SYS_ioctl, fd, FIOCLEX), EBADF);
        EXPECT_ERRNO(syscall(SYS_ioctl, fd, TCGETS, BAD_LOW), EBADF);
    }
    int fd = file_with("i", "x", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_ioctl, fd, FIONBIO, p), EFAULT);
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    char termios_buf[64];
    EXPECT_ERRNO(syscall(SYS_ioctl, fd, TCGETS, termios_buf), ENOTTY);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_ioctl, fds[0], TCGETS, termios_buf), ENOTTY);
}

TEST_CASE(fstat_bad_fd_and_pointer)
{
    struct stat st;
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_fstat, fd, &st), EBADF);
    int fd = file_with("s", "x", O_RDONLY);
    struct bad_list bad = bad_pointers(1);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_fstat, fd, p), EFAULT);
    EXPECT_ERRNO(syscall(SYS_fstat, fd, NULL), EFAULT);
}

TEST_CASE(ftruncate_bad_args)
{
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_ftruncate, fd, 0), EBADF);
    int ro = file_with("t", "hello", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_ftruncate, ro, 0), EINVAL); /* not open for writing */
    int rw = open(at("t"), O_RDWR);
    EXPECT(rw >= 0);
    EXPECT_ERRNO(syscall(SYS_ftruncate, rw, -1L), EINVAL);
    EXPECT_ERRNO(syscall(SYS_ftruncate, rw, (long)1 << 63), EINVAL);
    int dir = open(s_base, O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    EXPECT_ERRNO(syscall(SYS_ftruncate, dir, 0), EINVAL);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_ftruncate, fds[1], 0), EINVAL);
    EXPECT(holds(at("t"), "hello"));
}

TEST_CASE(fsync_family_bad_fd)
{
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_fsync, fd), EBADF);
        EXPECT_ERRNO(syscall(SYS_fdatasync, fd), EBADF);
        EXPECT_ERRNO(syscall(SYS_syncfs, fd), EBADF);
    }
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_fsync, fds[0]), EINVAL);
    EXPECT_ERRNO(syscall(SYS_fdatasync, fds[1]), EINVAL);
}

TEST_CASE(fchdir_bad_args)
{
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_fchdir, fd), EBADF);
    int fd = file_with("c", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_fchdir, fd), ENOTDIR);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_fchdir, fds[0]), ENOTDIR);
}

TEST_CASE(getdents64_bad_args)
{
    char buf[1024] __attribute__((aligned(8)));
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof buf), EBADF);
    int file = file_with("g", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_getdents64, file, buf, sizeof buf), ENOTDIR);
    EXPECT_ERRNO(syscall(SYS_getdents64, file, BAD_KERNEL, sizeof buf), ENOTDIR);
    int fds[2];
    make_pipe(fds);
    EXPECT_ERRNO(syscall(SYS_getdents64, fds[0], buf, sizeof buf), ENOTDIR);
    int dir = open(s_base, O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    struct bad_list bad = bad_pointers(1);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_getdents64, dir, p, 4096), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getdents64, dir, buf, 1), EINVAL); /* too small for one entry */
    /* The failures lost no entry: "." is still the first one out. */
    long n = syscall(SYS_getdents64, dir, buf, sizeof buf);
    EXPECT(n > 19);
    int saw_dot = 0;
    for (long off = 0; off < n;) {
        unsigned short reclen;
        memcpy(&reclen, buf + off + 16, sizeof reclen);
        saw_dot |= strcmp(buf + off + 19, ".") == 0;
        off += reclen;
    }
    EXPECT(saw_dot);
}

TEST_CASE(sendfile_bad_args)
{
    int in = file_with("sf", "hello", O_RDONLY);
    int out = open(at("sf_out"), O_CREAT | O_WRONLY, 0644);
    EXPECT(out >= 0);
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_sendfile, fd, in, NULL, 5), EBADF);
        EXPECT_ERRNO(syscall(SYS_sendfile, out, fd, NULL, 5), EBADF);
    }
    EXPECT_ERRNO(syscall(SYS_sendfile, in, in, NULL, 5), EBADF);   /* out not writable */
    EXPECT_ERRNO(syscall(SYS_sendfile, out, out, NULL, 5), EBADF); /* in not readable */
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_sendfile, out, in, p, 5), EFAULT);
    off_t negative = -1;
    EXPECT_ERRNO(syscall(SYS_sendfile, out, in, &negative, 5), EINVAL);
    int fds[2];
    make_pipe(fds);
    EXPECT_EQ(write(fds[1], "abc", 3), 3);
    EXPECT_ERRNO(syscall(SYS_sendfile, out, fds[0], NULL, 3), EINVAL); /* in is not a file */
    /* An O_APPEND target: EINVAL (Linux's do_splice_direct), with or
     * without an offset, and the offset is not moved. */
    int appending = open(at("sf_out"), O_WRONLY | O_APPEND);
    EXPECT(appending >= 0);
    EXPECT_ERRNO(syscall(SYS_sendfile, appending, in, NULL, 5), EINVAL);
    off_t from = 1;
    EXPECT_ERRNO(syscall(SYS_sendfile, appending, in, &from, 5), EINVAL);
    EXPECT_EQ(from, 1);
    EXPECT_EQ(lseek(in, 0, SEEK_CUR), 0);
    struct stat st;
    EXPECT_EQ(fstat(out, &st), 0);
    EXPECT_EQ(st.st_size, 0);
}


/* ==== pipes and waiting ==== */

TEST_CASE(pipe_bad_pointer_leaves_no_fd)
{
    int next = closed_fd();
    struct bad_list bad = bad_pointers(1);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_pipe, p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_pipe2, p, O_CLOEXEC), EFAULT);
    }
    int fds[2];
    EXPECT_ERRNO(syscall(SYS_pipe2, fds, O_RDWR), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pipe2, fds, 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pipe2, fds, -1), EINVAL);
    EXPECT_EQ(closed_fd(), next); /* no descriptor was left open */
    EXPECT_ERRNO(fcntl(next + 1, F_GETFD), EBADF);
}

TEST_CASE(pipe_data_kept_after_efault)
{
    int fds[2];
    make_pipe(fds);
    struct bad_list rbad = bad_pointers(1), wbad = bad_pointers(0);
    FOR_EACH_BAD(wbad, p)
        EXPECT_ERRNO(syscall(SYS_write, fds[1], p, 3), EFAULT);
    EXPECT_EQ(write(fds[1], "abc", 3), 3);
    FOR_EACH_BAD(rbad, p)
        EXPECT_ERRNO(syscall(SYS_read, fds[0], p, 3), EFAULT);
    char buf[8];
    EXPECT_EQ(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    EXPECT_EQ(read(fds[0], buf, sizeof buf), 3); /* the bad writes put nothing in, the reads took nothing */
    EXPECT(memcmp(buf, "abc", 3) == 0);
    EXPECT_ERRNO(read(fds[0], buf, sizeof buf), EAGAIN);
}

TEST_CASE(poll_bad_args)
{
    struct pollfd p = {0, POLLIN, 0};
    struct bad_list rbad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, q)
        EXPECT_ERRNO(syscall(SYS_poll, q, 1, 0), EFAULT);
    FOR_EACH_BAD(wbad, q)
        EXPECT_ERRNO(syscall(SYS_poll, q, 1, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_poll, &p, 0x7fffffff, 0), EINVAL);
    /* A bad descriptor is no error: POLLNVAL in its revents. */
    struct pollfd bad_fds[2] = {{NO_FD, POLLIN, 0}, {-1, POLLIN, 77}};
    EXPECT_EQ(syscall(SYS_poll, bad_fds, 2, 0), 1);
    EXPECT_EQ(bad_fds[0].revents, POLLNVAL);
    EXPECT_EQ(bad_fds[1].revents, 0);
}

TEST_CASE(ppoll_bad_args)
{
    int fds[2];
    make_pipe(fds);
    struct pollfd p = {fds[0], POLLIN, 0};
    struct timespec zero = {0, 0};
    sigset_t mask;
    sigemptyset(&mask);
    EXPECT_ERRNO(syscall(SYS_ppoll, &p, 1, &zero, &mask, 4), EINVAL);
    EXPECT_ERRNO(syscall(SYS_ppoll, &p, 1, &zero, &mask, 16), EINVAL);
    struct timespec bad_ns = {0, 1000000000}, negative = {-1, 0};
    EXPECT_ERRNO(syscall(SYS_ppoll, &p, 1, &bad_ns, NULL, SIGSET_SIZE), EINVAL);
    EXPECT_ERRNO(syscall(SYS_ppoll, &p, 1, &negative, NULL, SIGSET_SIZE), EINVAL);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, q) {
        EXPECT_ERRNO(syscall(SYS_ppoll, &p, 1, q, NULL, SIGSET_SIZE), EFAULT);
        EXPECT_ERRNO(syscall(SYS_ppoll, &p, 1, &zero, q, SIGSET_SIZE), EFAULT);
        EXPECT_ERRNO(syscall(SYS_ppoll, q, 1, &zero, NULL, SIGSET_SIZE), EFAULT);
    }
    /* A read-only timespec: read fine; writing the time left back fails
     * silently (Linux's poll_select_finish), so no EFAULT. */
    struct timespec* ro_ts = page_with(PROT_READ);
    EXPECT_EQ(syscall(SYS_ppoll, &p, 1, ro_ts, NULL, SIGSET_SIZE), 0);
    /* The mask is unchanged by the failures. */
    sigset_t now;
    EXPECT_EQ(sigprocmask(SIG_BLOCK, NULL, &now), 0);
    EXPECT(!sigismember(&now, SIGUSR1));
}

TEST_CASE(select_bad_args)
{
    fd_set in;
    struct timeval zero = {0, 0};
    FD_ZERO(&in);
    FD_SET(60, &in); /* below 64: Linux ignores bits past its table's size */
    EXPECT_ERRNO(syscall(SYS_select, 64, &in, NULL, NULL, &zero), EBADF);
    FD_ZERO(&in);
    FD_SET(closed_fd(), &in);
    EXPECT_ERRNO(syscall(SYS_select, 64, NULL, &in, NULL, &zero), EBADF);
    EXPECT_ERRNO(syscall(SYS_select, -1, NULL, NULL, NULL, &zero), EINVAL);
    struct timeval negative = {-1, 0};
    EXPECT_ERRNO(syscall(SYS_select, 0, NULL, NULL, NULL, &negative), EINVAL);
    FD_ZERO(&in);
    FD_SET(0, &in);
    struct bad_list bad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(wbad, q) { /* a read-only set too: the result is written back */
        EXPECT_ERRNO(syscall(SYS_select, 1, q, NULL, NULL, &zero), EFAULT);
        EXPECT_ERRNO(syscall(SYS_select, 1, NULL, NULL, q, &zero), EFAULT);
    }
    FOR_EACH_BAD(bad, q)
        EXPECT_ERRNO(syscall(SYS_select, 1, &in, NULL, NULL, q), EFAULT);
    /* The time left is written back too, but a failure there is no error. */
    struct timeval* ro_tv = page_with(PROT_READ);
    EXPECT_EQ(syscall(SYS_select, 0, NULL, NULL, NULL, ro_tv), 0);
}

TEST_CASE(pselect6_bad_args)
{
    fd_set in;
    FD_ZERO(&in);
    FD_SET(0, &in);
    struct timespec zero = {0, 0}, bad_ns = {0, 1000000000}, negative = {-5, 0};
    sigset_t mask;
    sigemptyset(&mask);
    struct {
        void* mask;
        size_t size;
    } sig = {&mask, 4}, sig_bad_mask = {BAD_LOW, SIGSET_SIZE};
    EXPECT_ERRNO(syscall(SYS_pselect6, 1, &in, NULL, NULL, &zero, &sig), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pselect6, 1, &in, NULL, NULL, &zero, &sig_bad_mask), EFAULT);
    EXPECT_ERRNO(syscall(SYS_pselect6, 1, &in, NULL, NULL, &bad_ns, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pselect6, 1, &in, NULL, NULL, &negative, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_pselect6, -1, NULL, NULL, NULL, &zero, NULL), EINVAL);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, q) {
        EXPECT_ERRNO(syscall(SYS_pselect6, 1, q, NULL, NULL, &zero, NULL), EFAULT);
        EXPECT_ERRNO(syscall(SYS_pselect6, 1, &in, NULL, NULL, q, NULL), EFAULT);
        EXPECT_ERRNO(syscall(SYS_pselect6, 1, &in, NULL, NULL, &zero, q), EFAULT);
    }
    FD_ZERO(&in);
    FD_SET(60, &in);
    EXPECT_ERRNO(syscall(SYS_pselect6, 64, &in, NULL, NULL, &zero, NULL), EBADF);
}

int main(void)
{
    badargs_begin("file");
    return run_suite("badargs_file");
}
