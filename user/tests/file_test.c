/* user/tests/file_test.c -- the file-descriptor system calls, checked from user space.
 *
 * One case per behaviour, each in its own child (harness.h): the happy path
 * of the calls that work on open files -- open, read, write, offsets,
 * vectors, dup, fcntl, ioctl, the attributes, sendfile, pipes -- (the calls
 * on names and directories are in path_test.c), and the
 * errors Linux gives for the usual mistakes -- EBADF for a bad or closed
 * descriptor, EFAULT for a bad pointer ((void*)1, a kernel address),
 * ENOENT, EEXIST, ENOTDIR, EISDIR, ENAMETOOLONG, EINVAL for bad flags,
 * EMFILE after 1024 descriptors, EPIPE/SIGPIPE and ESPIPE (if pipe(2)
 * works). Every expectation was first checked on Linux:
 *
 *     gcc -O2 -Wall -Wextra -Werror user/tests/file_test.c -o /tmp/ft && (cd /tmp && /tmp/ft)
 *
 * Files live in /tmp/file_test.<pid>/, one name per case; SUITE_TEARDOWN
 * removes whatever a failed case left behind, before the harness's leak
 * check compares free memory. Calls whose libc wrappers differ between musl
 * and glibc (getdents64, statx, the bad-pointer cases) are made with
 * syscall(2), so both libraries hand the kernel the same arguments.
 */
#define _GNU_SOURCE
#include "file_helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <termios.h>

/* ==== open, creat, close ==== */

TEST_CASE(open_creates_writes_reads)
{
    int fd = open(at("a"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "hello", 5), 5);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    char buf[16] = {0};
    EXPECT_EQ(read(fd, buf, sizeof buf), 5);
    EXPECT(memcmp(buf, "hello", 5) == 0);
    EXPECT_EQ(read(fd, buf, sizeof buf), 0); /* end of file */
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_size, 5);
    EXPECT_EQ(st.st_nlink, 1);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(at("a")), 0);
}

TEST_CASE(open_errors)
{
    EXPECT_ERRNO(open(at("missing"), O_RDONLY), ENOENT);
    EXPECT_ERRNO(open(at("nodir/x"), O_CREAT | O_WRONLY, 0644), ENOENT);
    EXPECT_EQ(make_file(at("f"), "x"), 0);
    EXPECT_ERRNO(open(at("f"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    EXPECT_ERRNO(open(at("f/x"), O_RDONLY), ENOTDIR);
    EXPECT_ERRNO(open(at("f"), O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_ERRNO(open(s_base, O_WRONLY), EISDIR);
    EXPECT_ERRNO(open(s_base, O_RDWR), EISDIR);
    EXPECT_ERRNO(open(at("new"), O_CREAT | O_DIRECTORY | O_RDONLY, 0644), EINVAL);
    EXPECT_ERRNO(open("", O_RDONLY), ENOENT);
    EXPECT_EQ(unlink(at("f")), 0);
}

TEST_CASE(open_bad_pointers)
{
    EXPECT_ERRNO(syscall(SYS_open, BAD_POINTER, O_RDONLY), EFAULT);
    EXPECT_ERRNO(syscall(SYS_open, KERNEL_POINTER, O_RDONLY), EFAULT);
    EXPECT_ERRNO(syscall(SYS_openat, AT_FDCWD, BAD_POINTER, O_RDONLY), EFAULT);
}

TEST_CASE(path_length_limits)
{
    static char path[PATH_MAX + 8];
    /* A 255-byte name is fine, 256 is too long. */
    char name[300];
    memset(name, 'n', 255);
    name[255] = 0;
    int fd = open(at(name), O_CREAT | O_WRONLY, 0644);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_EQ(unlink(at(name)), 0);
    name[255] = 'n';
    name[256] = 0;
    EXPECT_ERRNO(open(at(name), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
    /* 4095 bytes and the NUL is the longest path; 4096 bytes is too long. */
    memset(path, '/', PATH_MAX);
    path[PATH_MAX - 2] = 'x';
    path[PATH_MAX - 1] = 0;
    EXPECT_ERRNO(open(path, O_RDONLY), ENOENT);
    path[PATH_MAX - 1] = 'y';
    path[PATH_MAX] = 0;
    EXPECT_ERRNO(open(path, O_RDONLY), ENAMETOOLONG);
    EXPECT_ERRNO(mkdir(path, 0755), ENAMETOOLONG);
}

/* A path whose NUL is the last byte before an unmapped page works; one that
 * runs into the page is EFAULT. */
TEST_CASE(path_at_end_of_mapping)
{
    char* p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT_EQ(munmap(p + 4096, 4096), 0);
    const char* path = at("edge");
    size_t n = strlen(path) + 1;
    char* copy = p + 4096 - n;
    memcpy(copy, path, n);
    int fd = open(copy, O_CREAT | O_WRONLY, 0644);
    EXPECT(fd >= 0);
    close(fd);
    struct stat st;
    EXPECT_EQ(stat(copy, &st), 0);
    p[4095] = 'x'; /* no NUL before the hole */
    EXPECT_ERRNO(open(copy, O_RDONLY), EFAULT);
    EXPECT_ERRNO(stat(copy, &st), EFAULT);
    EXPECT_EQ(unlink(path), 0);
}

TEST_CASE(creat_truncates_write_only)
{
    EXPECT_EQ(make_file(at("c"), "old contents"), 0);
    int fd = (int)syscall(SYS_creat, at("c"), 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(file_size(at("c")), 0);
    char c;
    EXPECT_ERRNO(read(fd, &c, 1), EBADF);
    EXPECT_EQ(write(fd, "n", 1), 1);
    close(fd);
    EXPECT_EQ(unlink(at("c")), 0);
}

TEST_CASE(o_trunc_empties)
{
    EXPECT_EQ(make_file(at("t"), "0123456789"), 0);
    int fd = open(at("t"), O_WRONLY | O_TRUNC);
    EXPECT(fd >= 0);
    EXPECT_EQ(file_size(at("t")), 0);
    close(fd);
    EXPECT_EQ(unlink(at("t")), 0);
}

TEST_CASE(close_errors)
{
    EXPECT_ERRNO(close(-1), EBADF);
    EXPECT_ERRNO(close(1000), EBADF);
    EXPECT_ERRNO(close(1 << 20), EBADF);
    int fd = open(s_base, O_RDONLY);
    EXPECT(fd >= 0);
    EXPECT_EQ(close(fd), 0);
    EXPECT_ERRNO(close(fd), EBADF);
}

/* ==== read, write ==== */

TEST_CASE(read_write_bad_descriptors)
{
    char buf[4];
    EXPECT_ERRNO(read(-1, buf, 1), EBADF);
    EXPECT_ERRNO(write(999, buf, 1), EBADF);
    EXPECT_EQ(make_file(at("rw"), "abc"), 0);
    int ro = open(at("rw"), O_RDONLY);
    int wo = open(at("rw"), O_WRONLY);
    EXPECT(ro >= 0 && wo >= 0);
    EXPECT_ERRNO(write(ro, "x", 1), EBADF);
    EXPECT_ERRNO(read(wo, buf, 1), EBADF);
    close(ro);
    EXPECT_ERRNO(read(ro, buf, 1), EBADF);
    close(wo);
    EXPECT_EQ(unlink(at("rw")), 0);
}

TEST_CASE(read_write_bad_buffers)
{
    int fd = open(at("bb"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    EXPECT_ERRNO(syscall(SYS_write, fd, BAD_POINTER, 10), EFAULT);
    EXPECT_ERRNO(syscall(SYS_write, fd, KERNEL_POINTER, 4), EFAULT);
    EXPECT_EQ(write(fd, "data", 4), 4);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    EXPECT_ERRNO(syscall(SYS_read, fd, BAD_POINTER, 10), EFAULT);
    EXPECT_ERRNO(syscall(SYS_read, fd, KERNEL_POINTER, 4), EFAULT);
    EXPECT_ERRNO(syscall(SYS_read, fd, KERNEL_POINTER, 0), EFAULT); /* access_ok, even for 0 */
    EXPECT_ERRNO(syscall(SYS_pread64, fd, KERNEL_POINTER, 4, 0), EFAULT);
    close(fd);
    EXPECT_EQ(unlink(at("bb")), 0);
}

TEST_CASE(read_directory_is_eisdir)
{
    int fd = open(s_base, O_RDONLY | O_DIRECTORY);
    EXPECT(fd >= 0);
    char buf[8];
    EXPECT_ERRNO(read(fd, buf, sizeof buf), EISDIR);
    EXPECT_ERRNO(pread(fd, buf, sizeof buf, 0), EISDIR);
    close(fd);
}

/* Three pages and a bit, written and read back whole and in pieces. */
TEST_CASE(file_larger_than_a_page)
{
    enum { SIZE = 3 * 4096 + 100 };
    static unsigned char out[SIZE], in[SIZE];
    for (int i = 0; i < SIZE; ++i)
        out[i] = (unsigned char)(i * 7 + i / 4096);
    int fd = open(at("big"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, out, SIZE), SIZE);
    EXPECT_EQ(file_size(at("big")), SIZE);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    EXPECT_EQ(read(fd, in, SIZE), SIZE);
    EXPECT(memcmp(in, out, SIZE) == 0);
    /* Across a page boundary, at an offset. */
    memset(in, 0, SIZE);
    EXPECT_EQ(pread(fd, in, 200, 4000), 200);
    EXPECT(memcmp(in, out + 4000, 200) == 0);
    /* Reading past the end gives what is there. */
    EXPECT_EQ(pread(fd, in, 500, SIZE - 50), 50);
    EXPECT_EQ(pread(fd, in, 500, SIZE + 4096), 0);
    close(fd);
    EXPECT_EQ(unlink(at("big")), 0);
}

TEST_CASE(unlinked_file_stays_readable)
{
    EXPECT_EQ(make_file(at("ghost"), "boo"), 0);
    int fd = open(at("ghost"), O_RDONLY);
    EXPECT(fd >= 0);
    EXPECT_EQ(unlink(at("ghost")), 0);
    EXPECT_ERRNO(open(at("ghost"), O_RDONLY), ENOENT);
    char buf[4] = {0};
    EXPECT_EQ(read(fd, buf, 3), 3);
    EXPECT(memcmp(buf, "boo", 3) == 0);
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT_EQ(st.st_nlink, 0);
    close(fd);
}

/* ==== offsets ==== */

TEST_CASE(lseek_whence_and_errors)
{
    EXPECT_EQ(make_file(at("s"), "0123456789"), 0);
    int fd = open(at("s"), O_RDWR);
    EXPECT(fd >= 0);
    EXPECT_EQ(lseek(fd, 3, SEEK_SET), 3);
    EXPECT_EQ(lseek(fd, 2, SEEK_CUR), 5);
    EXPECT_EQ(lseek(fd, -1, SEEK_END), 9);
    char c;
    EXPECT_EQ(read(fd, &c, 1), 1);
    EXPECT_EQ(c, '9');
    EXPECT_ERRNO(lseek(fd, -20, SEEK_CUR), EINVAL);
    EXPECT_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
    EXPECT_ERRNO(lseek(fd, 0, 7), EINVAL);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 10); /* unchanged by the failures */
    EXPECT_ERRNO(lseek(-1, 0, SEEK_SET), EBADF);
    /* Past the end, a write leaves a hole of zeros. */
    EXPECT_EQ(lseek(fd, 5000, SEEK_SET), 5000);
    EXPECT_EQ(write(fd, "z", 1), 1);
    EXPECT_EQ(file_size(at("s")), 5001);
    char hole[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    EXPECT_EQ(pread(fd, hole, 8, 4096), 8);
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(hole[i], 0);
    close(fd);
    EXPECT_EQ(unlink(at("s")), 0);
}

TEST_CASE(pread_pwrite_keep_the_offset)
{
    int fd = open(at("p"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(pwrite(fd, "abcdef", 6, 10), 6);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
    EXPECT_EQ(file_size(at("p")), 16);
    char buf[8] = {0};
    EXPECT_EQ(pread(fd, buf, 3, 12), 3);
    EXPECT(memcmp(buf, "cde", 3) == 0);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
    EXPECT_ERRNO(pread(fd, buf, 3, -1), EINVAL);
    EXPECT_ERRNO(pwrite(fd, buf, 3, -5), EINVAL);
    EXPECT_ERRNO(pread(-1, buf, 3, 0), EBADF);
    close(fd);
    EXPECT_EQ(unlink(at("p")), 0);
}

TEST_CASE(o_append_writes_at_the_end)
{
    EXPECT_EQ(make_file(at("log"), "one"), 0);
    int fd = open(at("log"), O_WRONLY | O_APPEND);
    EXPECT(fd >= 0);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    EXPECT_EQ(write(fd, "two", 3), 3);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 6);
    EXPECT_EQ(file_size(at("log")), 6);
    close(fd);
    int rd = open(at("log"), O_RDONLY);
    char buf[8] = {0};
    EXPECT_EQ(read(rd, buf, sizeof buf), 6);
    EXPECT(memcmp(buf, "onetwo", 6) == 0);
    close(rd);
    EXPECT_EQ(unlink(at("log")), 0);
}

/* pwrite on an O_APPEND descriptor appends, whatever its offset: Linux's
 * behaviour (pwrite(2), BUGS), which teachos follows. */
TEST_CASE(o_append_pwrite_appends)
{
    EXPECT_EQ(make_file(at("plog"), "abc"), 0);
    int fd = open(at("plog"), O_RDWR | O_APPEND);
    EXPECT(fd >= 0);
    EXPECT_EQ(pwrite(fd, "XY", 2, 0), 2);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0); /* pwrite moves no offset */
    char buf[8] = {0};
    EXPECT_EQ(pread(fd, buf, sizeof buf, 0), 5);
    EXPECT(memcmp(buf, "abcXY", 5) == 0);
    close(fd);
    EXPECT_EQ(unlink(at("plog")), 0);
}

/* Two processes append records to one file through their own O_APPEND
 * descriptors: every record lands whole and none is written over -- the
 * end of the file is found and written under one lock
 * (fs/vfs/vnode.h:Vnode::append). Without that, a writer preempted between
 * reading the size and writing would overwrite the other's record. */
TEST_CASE(o_append_from_two_processes_loses_nothing)
{
    enum { RECORDS = 20000, RECORD = 32 };
    int fd0 = open(at("shared.log"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd0 >= 0);
    close(fd0);
    pid_t pids[2];
    for (int w = 0; w < 2; ++w) {
        pids[w] = fork();
        EXPECT(pids[w] >= 0);
        if (pids[w] == 0) {
            int fd = open(at("shared.log"), O_WRONLY | O_APPEND);
            char rec[RECORD];
            for (int i = 0; i < RECORDS; ++i) {
                memset(rec, 'a' + w, RECORD);
                rec[RECORD - 1] = '\n';
                if (fd < 0 || write(fd, rec, RECORD) != RECORD)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int w = 0; w < 2; ++w) {
        int status;
        EXPECT_EQ(waitpid(pids[w], &status, 0), pids[w]);
        EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    EXPECT_EQ(file_size(at("shared.log")), 2LL * RECORDS * RECORD);
    int fd = open(at("shared.log"), O_RDONLY);
    EXPECT(fd >= 0);
    int count[2] = {0, 0};
    char rec[RECORD];
    for (int i = 0; i < 2 * RECORDS; ++i) {
        EXPECT_EQ(read(fd, rec, RECORD), RECORD);
        EXPECT(rec[0] == 'a' || rec[0] == 'b');
        for (int j = 1; j < RECORD - 1; ++j)
            EXPECT_EQ(rec[j], rec[0]); /* whole: no record cut into another */
        EXPECT_EQ(rec[RECORD - 1], '\n');
        ++count[rec[0] - 'a'];
    }
    EXPECT_EQ(count[0], RECORDS);
    EXPECT_EQ(count[1], RECORDS);
    close(fd);
    EXPECT_EQ(unlink(at("shared.log")), 0);
}

/* ==== vectors ==== */

TEST_CASE(readv_writev)
{
    int fd = open(at("v"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    struct iovec out[3] = {{"ab", 2}, {"", 0}, {"cdefg", 5}};
    EXPECT_EQ(writev(fd, out, 3), 7);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    char a[3] = {0}, b[10] = {0};
    struct iovec in[2] = {{a, 3}, {b, sizeof b}};
    EXPECT_EQ(readv(fd, in, 2), 7);
    EXPECT(memcmp(a, "abc", 3) == 0 && memcmp(b, "defg", 4) == 0);
    EXPECT_EQ(readv(fd, in, 0), 0);
    EXPECT_ERRNO(syscall(SYS_readv, fd, in, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_readv, fd, in, 1025), EINVAL);
    EXPECT_ERRNO(syscall(SYS_writev, fd, BAD_POINTER, 1), EFAULT);
    struct iovec bad[2] = {{KERNEL_POINTER, 4}, {b, 4}};
    EXPECT_ERRNO(writev(fd, bad, 2), EFAULT);
    struct iovec negative[1] = {{b, (size_t)-1}};
    EXPECT_ERRNO(writev(fd, negative, 1), EINVAL);
    EXPECT_ERRNO(readv(-1, in, 2), EBADF);
    /* A bad buffer after a good one: the good part counts. */
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    struct iovec half[2] = {{a, 3}, {BAD_POINTER, 4}};
    EXPECT_EQ(readv(fd, half, 2), 3);
    close(fd);
    EXPECT_EQ(unlink(at("v")), 0);
}

TEST_CASE(preadv_pwritev)
{
    int fd = open(at("pv"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    struct iovec out[2] = {{"xy", 2}, {"z", 1}};
    EXPECT_EQ(pwritev(fd, out, 2, 100), 3);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
    char a[2], b[1];
    struct iovec in[2] = {{a, 2}, {b, 1}};
    EXPECT_EQ(preadv(fd, in, 2, 100), 3);
    EXPECT(a[0] == 'x' && a[1] == 'y' && b[0] == 'z');
    EXPECT_ERRNO(preadv(fd, in, 2, -1), EINVAL);
    close(fd);
    EXPECT_EQ(unlink(at("pv")), 0);
}

/* ==== descriptors: dup, fcntl, ioctl ==== */

TEST_CASE(dup_shares_the_offset)
{
    EXPECT_EQ(make_file(at("d"), "0123456789"), 0);
    int fd = open(at("d"), O_RDONLY);
    int copy = dup(fd);
    EXPECT(copy >= 0 && copy != fd);
    EXPECT_EQ(lseek(fd, 4, SEEK_SET), 4);
    EXPECT_EQ(lseek(copy, 0, SEEK_CUR), 4);
    char c;
    EXPECT_EQ(read(copy, &c, 1), 1);
    EXPECT_EQ(c, '4');
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5);
    close(fd);
    EXPECT_EQ(read(copy, &c, 1), 1); /* the File lives on */
    EXPECT_EQ(c, '5');
    EXPECT_ERRNO(dup(fd), EBADF);
    EXPECT_ERRNO(dup(-1), EBADF);
    close(copy);
    EXPECT_EQ(unlink(at("d")), 0);
}

TEST_CASE(fork_shares_the_offset)
{
    EXPECT_EQ(make_file(at("fk"), "abcdef"), 0);
    int fd = open(at("fk"), O_RDONLY);
    EXPECT(fd >= 0);
    pid_t pid = fork();
    if (pid == 0) {
        char two[2];
        _exit(read(fd, two, 2) == 2 ? 0 : 1);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 2);
    close(fd);
    EXPECT_EQ(unlink(at("fk")), 0);
}

TEST_CASE(dup2_and_dup3)
{
    int fd = open(s_base, O_RDONLY);
    EXPECT(fd >= 0);
    EXPECT_EQ(dup2(fd, 50), 50);
    EXPECT_EQ(fcntl(50, F_GETFD), 0);
    EXPECT_EQ(dup2(fd, fd), fd);
    EXPECT_ERRNO(dup2(77, 77), EBADF); /* old == new still checks old */
    EXPECT_ERRNO(dup2(77, 5), EBADF);
    EXPECT_ERRNO(dup2(fd, -1), EBADF);
    EXPECT_ERRNO(dup2(fd, 1 << 20), EBADF);
    EXPECT_ERRNO(syscall(SYS_dup3, fd, fd, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_dup3, fd, 60, 0x1234), EINVAL); /* musl's dup3 would call dup2 */
    EXPECT_EQ(dup3(fd, 60, O_CLOEXEC), 60);
    EXPECT_EQ(fcntl(60, F_GETFD), FD_CLOEXEC);
    /* dup2 onto an open descriptor closes it first. */
    int other = open(at(""), O_RDONLY);
    EXPECT(other >= 0);
    EXPECT_EQ(dup2(fd, other), other);
    close(fd);
    close(50);
    close(60);
    close(other);
}

TEST_CASE(fcntl_flags_and_dupfd)
{
    int fd = open(at("fc"), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC); /* O_CLOEXEC is visible per descriptor */
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_CLOEXEC, 0); /* ...and not a file status flag */
    EXPECT_EQ(fcntl(fd, F_SETFD, 0), 0);
    EXPECT_EQ(fcntl(fd, F_GETFD), 0);
    EXPECT_EQ(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
    EXPECT(fcntl(fd, F_GETFL) & O_APPEND);
    EXPECT(fcntl(fd, F_GETFL) & O_NONBLOCK);
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR); /* F_SETFL leaves the mode */
    int high = fcntl(fd, F_DUPFD, 100);
    EXPECT(high >= 100);
    EXPECT_EQ(fcntl(high, F_GETFD), 0);
    int high2 = fcntl(fd, F_DUPFD_CLOEXEC, 100);
    EXPECT(high2 > high);
    EXPECT_EQ(fcntl(high2, F_GETFD), FD_CLOEXEC);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD, 1024 * 1024), EINVAL);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
    EXPECT_ERRNO(fcntl(fd, 12345), EINVAL);
    EXPECT_ERRNO(fcntl(-1, F_GETFD), EBADF);
    EXPECT_ERRNO(fcntl(999, F_GETFL), EBADF);
    close(fd);
    close(high);
    close(high2);
    EXPECT_EQ(unlink(at("fc")), 0);
}

TEST_CASE(ioctl_generic_requests)
{
    int fd = open(at("io"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(ioctl(fd, FIOCLEX), 0);
    EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    EXPECT_EQ(ioctl(fd, FIONCLEX), 0);
    EXPECT_EQ(fcntl(fd, F_GETFD), 0);
    int on = 1;
    EXPECT_EQ(ioctl(fd, FIONBIO, &on), 0);
    EXPECT(fcntl(fd, F_GETFL) & O_NONBLOCK);
    on = 0;
    EXPECT_EQ(ioctl(fd, FIONBIO, &on), 0);
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    EXPECT_ERRNO(ioctl(fd, FIONBIO, BAD_POINTER), EFAULT);
    struct winsize ws;
    EXPECT_ERRNO(ioctl(fd, TIOCGWINSZ, &ws), ENOTTY); /* a file is not a terminal */
    EXPECT_ERRNO(ioctl(-1, FIOCLEX), EBADF);
    close(fd);
    EXPECT_EQ(unlink(at("io")), 0);
}

/* 1024 descriptors, then EMFILE; an open(O_CREAT) at the limit creates nothing. */
TEST_CASE(emfile_after_1024_descriptors)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 1024) {
        rl.rlim_cur = 1024; /* Linux: a bigger soft limit would allow more */
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    int fd = open(s_base, O_RDONLY);
    EXPECT(fd >= 0);
    int last = -1, r;
    while ((r = dup(fd)) >= 0)
        last = r;
    EXPECT_EQ(errno, EMFILE);
    EXPECT_EQ(last, 1023);
    EXPECT_ERRNO(open(at("over"), O_CREAT | O_WRONLY, 0644), EMFILE);
    EXPECT_ERRNO(fcntl(fd, F_DUPFD, 0), EMFILE);
    struct stat st;
    EXPECT_ERRNO(stat(at("over"), &st), ENOENT);
    EXPECT_EQ(close(1023), 0);
    EXPECT_EQ(dup(fd), 1023);
}

/* ==== attributes ==== */

TEST_CASE(stat_lstat_fstat)
{
    EXPECT_EQ(make_file(at("st"), "12345"), 0);
    EXPECT_EQ(symlink("st", at("st_link")), 0);
    struct stat st, ln, via;
    EXPECT_EQ(stat(at("st"), &st), 0);
    EXPECT(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0644);
    EXPECT_EQ(st.st_size, 5);
    EXPECT_EQ(lstat(at("st_link"), &ln), 0);
    EXPECT(S_ISLNK(ln.st_mode));
    EXPECT_EQ(ln.st_size, 2); /* the target's length */
    EXPECT_EQ(stat(at("st_link"), &via), 0);
    EXPECT_EQ(via.st_ino, st.st_ino);
    EXPECT_EQ(via.st_dev, st.st_dev);
    EXPECT(st.st_blksize > 0);
    EXPECT_ERRNO(stat(at("nothing"), &st), ENOENT);
    EXPECT_ERRNO(syscall(SYS_stat, BAD_POINTER, &st), EFAULT);
    EXPECT_ERRNO(syscall(SYS_stat, at("st"), BAD_POINTER), EFAULT);
    EXPECT_ERRNO(syscall(SYS_fstat, -1, &st), EBADF);
    EXPECT_ERRNO(syscall(SYS_fstat, 555, &st), EBADF);
    int dir = open(s_base, O_RDONLY);
    EXPECT_EQ(fstat(dir, &st), 0);
    EXPECT(S_ISDIR(st.st_mode));
    EXPECT_ERRNO(syscall(SYS_fstat, dir, KERNEL_POINTER), EFAULT);
    close(dir);
    EXPECT_EQ(unlink(at("st_link")), 0);
    EXPECT_EQ(unlink(at("st")), 0);
}

TEST_CASE(newfstatat_dirfd_and_flags)
{
    EXPECT_EQ(make_file(at("nf"), "abc"), 0);
    EXPECT_EQ(symlink("nf", at("nf_link")), 0);
    int dir = open(s_base, O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    struct stat st;
    EXPECT_EQ(syscall(SYS_newfstatat, dir, "nf", &st, 0), 0);
    EXPECT_EQ(st.st_size, 3);
    EXPECT_EQ(syscall(SYS_newfstatat, dir, "nf_link", &st, AT_SYMLINK_NOFOLLOW), 0);
    EXPECT(S_ISLNK(st.st_mode));
    EXPECT_EQ(syscall(SYS_newfstatat, dir, "", &st, AT_EMPTY_PATH), 0);
    EXPECT(S_ISDIR(st.st_mode));
    EXPECT_ERRNO(syscall(SYS_newfstatat, dir, "", &st, 0), ENOENT);
    EXPECT_ERRNO(syscall(SYS_newfstatat, dir, "nf", &st, 0x4), EINVAL);
    EXPECT_ERRNO(syscall(SYS_newfstatat, 555, "nf", &st, 0), EBADF);
    EXPECT_EQ(syscall(SYS_newfstatat, 555, at("nf"), &st, 0), 0); /* absolute: dirfd unused */
    int file = open(at("nf"), O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_newfstatat, file, "x", &st, 0), ENOTDIR);
    EXPECT_EQ(syscall(SYS_newfstatat, file, "", &st, AT_EMPTY_PATH), 0);
    EXPECT_EQ(st.st_size, 3);
    close(file);
    close(dir);
    EXPECT_EQ(unlink(at("nf_link")), 0);
    EXPECT_EQ(unlink(at("nf")), 0);
}

TEST_CASE(statx_basic_fields)
{
    EXPECT_EQ(make_file(at("sx"), "statx!"), 0);
    struct test_statx sx;
    struct stat st;
    memset(&sx, 0, sizeof sx);
    EXPECT_EQ(syscall(SYS_statx, AT_FDCWD, at("sx"), 0, 0x7ff, &sx), 0);
    EXPECT_EQ(stat(at("sx"), &st), 0);
    EXPECT_EQ(sx.mask & 0x7ff, 0x7ff);
    EXPECT_EQ(sx.size, 6);
    EXPECT_EQ(sx.ino, st.st_ino);
    EXPECT_EQ(sx.mode, st.st_mode);
    EXPECT_EQ(sx.nlink, 1);
    EXPECT_EQ(sx.mtime.sec, st.st_mtim.tv_sec);
    EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, at("sx"), 0x4, 0x7ff, &sx), EINVAL);
    EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, at("sx"), 0, 0x7ff, BAD_POINTER), EFAULT);
    EXPECT_EQ(unlink(at("sx")), 0);
}

TEST_CASE(access_checks_existence_and_x)
{
    int fd = open(at("ac"), O_CREAT | O_WRONLY, 0644);
    close(fd);
    EXPECT_EQ(access(at("ac"), F_OK), 0);
    EXPECT_EQ(access(at("ac"), R_OK | W_OK), 0);
    EXPECT_ERRNO(access(at("ac"), X_OK), EACCES); /* root needs some x bit */
    EXPECT_EQ(chmod(at("ac"), 0744), 0);
    EXPECT_EQ(access(at("ac"), X_OK), 0);
    EXPECT_EQ(access(s_base, X_OK), 0);
    EXPECT_ERRNO(access(at("none"), F_OK), ENOENT);
    EXPECT_ERRNO(access(at("ac"), 8), EINVAL);
    EXPECT_EQ(faccessat(AT_FDCWD, at("ac"), R_OK, 0), 0);
    EXPECT_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, at("ac"), R_OK, 0x4), EINVAL);
    EXPECT_EQ(syscall(SYS_faccessat2, AT_FDCWD, at("ac"), R_OK, AT_EACCESS), 0);
    EXPECT_ERRNO(syscall(SYS_access, BAD_POINTER, F_OK), EFAULT);
    EXPECT_EQ(unlink(at("ac")), 0);
}

TEST_CASE(chmod_and_chown)
{
    EXPECT_EQ(make_file(at("own"), ""), 0);
    EXPECT_EQ(symlink("own", at("own_link")), 0);
    struct stat st;
    EXPECT_EQ(chmod(at("own"), 0600), 0);
    EXPECT_EQ(stat(at("own"), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600);
    int fd = open(at("own"), O_RDONLY);
    EXPECT_EQ(fchmod(fd, 0640), 0);
    EXPECT_EQ(fchmodat(AT_FDCWD, at("own"), 0604, 0), 0);
    EXPECT_EQ(stat(at("own"), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0604);
    EXPECT_EQ(chown(at("own"), 1000, 2000), 0);
    EXPECT_EQ(stat(at("own"), &st), 0);
    EXPECT(st.st_uid == 1000 && st.st_gid == 2000);
    EXPECT_EQ(fchown(fd, -1, 3000), 0); /* -1: unchanged */
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(st.st_uid == 1000 && st.st_gid == 3000);
    /* chown clears set-user-ID, and set-group-ID if group-executable. */
    EXPECT_EQ(chmod(at("own"), 06755), 0);
    EXPECT_EQ(chown(at("own"), 0, 0), 0);
    EXPECT_EQ(stat(at("own"), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0755);
    /* lchown changes the link, not its target. */
    EXPECT_EQ(lchown(at("own_link"), 1234, -1), 0);
    EXPECT_EQ(lstat(at("own_link"), &st), 0);
    EXPECT_EQ(st.st_uid, 1234);
    EXPECT_EQ(stat(at("own_link"), &st), 0);
    EXPECT_EQ(st.st_uid, 0);
    EXPECT_ERRNO(chmod(at("gone"), 0600), ENOENT);
    EXPECT_ERRNO(fchmod(-1, 0600), EBADF);
    EXPECT_ERRNO(fchown(999, 0, 0), EBADF);
    EXPECT_ERRNO(fchownat(AT_FDCWD, at("own"), 0, 0, 0x4), EINVAL);
    close(fd);
    EXPECT_EQ(unlink(at("own_link")), 0);
    EXPECT_EQ(unlink(at("own")), 0);
}

TEST_CASE(umask_applies_to_new_files)
{
    mode_t old = umask(077);
    EXPECT_EQ(umask(077), 077);
    int fd = open(at("um"), O_CREAT | O_WRONLY, 0666);
    EXPECT(fd >= 0);
    close(fd);
    struct stat st;
    EXPECT_EQ(stat(at("um"), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600);
    EXPECT_EQ(mkdir(at("umd"), 0777), 0);
    EXPECT_EQ(stat(at("umd"), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0700);
    EXPECT_EQ(umask(old), 077);
    EXPECT_EQ(rmdir(at("umd")), 0);
    EXPECT_EQ(unlink(at("um")), 0);
}

TEST_CASE(truncate_and_ftruncate)
{
    EXPECT_EQ(make_file(at("tr"), "abcdef"), 0);
    EXPECT_EQ(truncate(at("tr"), 10000), 0);
    EXPECT_EQ(file_size(at("tr")), 10000);
    int fd = open(at("tr"), O_RDWR);
    char buf[4];
    EXPECT_EQ(pread(fd, buf, 4, 9000), 4);
    EXPECT(buf[0] == 0 && buf[3] == 0);
    EXPECT_EQ(ftruncate(fd, 3), 0);
    EXPECT_EQ(file_size(at("tr")), 3);
    EXPECT_EQ(pread(fd, buf, 4, 0), 3);
    EXPECT_ERRNO(ftruncate(fd, -1), EINVAL);
    EXPECT_ERRNO(truncate(at("tr"), -1), EINVAL);
    EXPECT_ERRNO(truncate(s_base, 0), EISDIR);
    EXPECT_ERRNO(truncate(at("none"), 0), ENOENT);
    EXPECT_ERRNO(ftruncate(-1, 0), EBADF);
    int ro = open(at("tr"), O_RDONLY);
    EXPECT_ERRNO(ftruncate(ro, 0), EINVAL);
    int dir = open(s_base, O_RDONLY);
    EXPECT_ERRNO(ftruncate(dir, 0), EINVAL);
    close(dir);
    close(ro);
    close(fd);
    EXPECT_EQ(unlink(at("tr")), 0);
}

TEST_CASE(statfs_and_fstatfs)
{
    struct statfs sf;
    EXPECT_EQ(statfs(s_base, &sf), 0);
    EXPECT(sf.f_bsize > 0);
    EXPECT_EQ(sf.f_namelen, 255);
    EXPECT(sf.f_blocks >= sf.f_bfree);
    if (on_teachos())
        EXPECT_EQ(sf.f_type, 0x01021994); /* TMPFS_MAGIC */
    int fd = open(s_base, O_RDONLY);
    struct statfs ff;
    EXPECT_EQ(fstatfs(fd, &ff), 0);
    EXPECT_EQ(ff.f_type, sf.f_type);
    close(fd);
    EXPECT_ERRNO(statfs(at("none"), &sf), ENOENT);
    EXPECT_ERRNO(syscall(SYS_statfs, s_base, BAD_POINTER), EFAULT);
    EXPECT_ERRNO(fstatfs(-1, &sf), EBADF);
}

TEST_CASE(utimensat_sets_times)
{
    EXPECT_EQ(make_file(at("ut"), ""), 0);
    struct timespec ts[2] = {{100, 5}, {200, 7}};
    EXPECT_EQ(utimensat(AT_FDCWD, at("ut"), ts, 0), 0);
    struct stat st;
    EXPECT_EQ(stat(at("ut"), &st), 0);
    EXPECT(st.st_atim.tv_sec == 100 && st.st_atim.tv_nsec == 5);
    EXPECT(st.st_mtim.tv_sec == 200 && st.st_mtim.tv_nsec == 7);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {300, 0}};
    EXPECT_EQ(utimensat(AT_FDCWD, at("ut"), omit, 0), 0);
    EXPECT_EQ(stat(at("ut"), &st), 0);
    EXPECT(st.st_atim.tv_sec == 100 && st.st_mtim.tv_sec == 300);
    EXPECT_EQ(utimensat(AT_FDCWD, at("ut"), 0, 0), 0); /* now: as a file made now */
    EXPECT_EQ(stat(at("ut"), &st), 0);
    struct stat fresh;
    EXPECT_EQ(make_file(at("ut_now"), ""), 0);
    EXPECT_EQ(stat(at("ut_now"), &fresh), 0);
    EXPECT(st.st_mtim.tv_sec != 300 && st.st_mtim.tv_sec <= fresh.st_mtim.tv_sec &&
           st.st_mtim.tv_sec >= fresh.st_mtim.tv_sec - 2);
    EXPECT_EQ(unlink(at("ut_now")), 0);
    int fd = open(at("ut"), O_RDONLY);
    EXPECT_EQ(futimens(fd, ts), 0);
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT_EQ(st.st_mtim.tv_sec, 200);
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    EXPECT_ERRNO(utimensat(AT_FDCWD, at("ut"), bad, 0), EINVAL);
    EXPECT_ERRNO(utimensat(AT_FDCWD, at("ut"), ts, 0x4), EINVAL);
    EXPECT_ERRNO(utimensat(AT_FDCWD, at("none"), ts, 0), ENOENT);
    close(fd);
    EXPECT_EQ(unlink(at("ut")), 0);
}

TEST_CASE(fsync_fdatasync)
{
    int fd = open(at("sy"), O_CREAT | O_RDWR, 0644);
    EXPECT_EQ(fsync(fd), 0);
    EXPECT_EQ(fdatasync(fd), 0);
    EXPECT_ERRNO(fsync(-1), EBADF);
    EXPECT_ERRNO(fdatasync(999), EBADF);
    close(fd);
    EXPECT_EQ(unlink(at("sy")), 0);
}

TEST_CASE(sendfile_copies)
{
    EXPECT_EQ(make_file(at("src"), "0123456789"), 0);
    int in = open(at("src"), O_RDONLY);
    int out = open(at("dst"), O_CREAT | O_WRONLY, 0644);
    EXPECT(in >= 0 && out >= 0);
    off_t offset = 2;
    EXPECT_EQ(sendfile(out, in, &offset, 5), 5);
    EXPECT_EQ(offset, 7);
    EXPECT_EQ(lseek(in, 0, SEEK_CUR), 0); /* with an offset pointer: untouched */
    EXPECT_EQ(sendfile(out, in, 0, 100), 10);
    EXPECT_EQ(lseek(in, 0, SEEK_CUR), 10);
    EXPECT_EQ(file_size(at("dst")), 15);
    int dst = open(at("dst"), O_RDONLY);
    char buf[16] = {0};
    EXPECT_EQ(read(dst, buf, sizeof buf), 15);
    EXPECT(memcmp(buf, "234560123456789", 15) == 0);
    EXPECT_ERRNO(sendfile(dst, in, 0, 1), EBADF); /* out not writable */
    EXPECT_ERRNO(sendfile(out, -1, 0, 1), EBADF);
    close(dst);
    close(in);
    close(out);
    EXPECT_EQ(unlink(at("src")), 0);
    EXPECT_EQ(unlink(at("dst")), 0);
}

/* ==== pipes, if the system has them ==== */

TEST_CASE(pipe_espipe_and_epipe)
{
    int p[2];
    if (pipe(p) != 0)
        return; /* no pipes yet: nothing to check */
    EXPECT_ERRNO(lseek(p[0], 0, SEEK_SET), ESPIPE);
    char c = 'x';
    EXPECT_ERRNO(pwrite(p[1], &c, 1, 0), ESPIPE);
    EXPECT_ERRNO(pread(p[0], &c, 1, 0), ESPIPE);
    /* readv takes what is there and does not wait for more. */
    EXPECT_EQ(write(p[1], "abc", 3), 3);
    char a[3], b[3];
    struct iovec iov[2] = {{a, 3}, {b, 3}};
    EXPECT_EQ(readv(p[0], iov, 2), 3);
    /* No reader: EPIPE when SIGPIPE is ignored... */
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    EXPECT_ERRNO(write(p[1], &c, 1), EPIPE);
    /* ...and death by SIGPIPE when it is not. */
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        write(p[1], &c, 1);
        _exit(0);
    }
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
    close(p[1]);
}

int main(void) { return run_file_suite("file", "file_test"); }
