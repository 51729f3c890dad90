/* user/tests/file_test.c -- the file-descriptor system calls, checked from user space.
 *
 * One case per behaviour, each in its own child (harness.h): the happy path
 * of the calls that work on open files -- open, read, write, offsets,
 * vectors, dup, sendfile, pipes -- (fcntl, ioctl and the attributes are in
 * fileattr_test.c, the calls on names and directories in path_test.c), and the
 * errors Linux gives for the usual mistakes -- EBADF for a bad or closed
 * descriptor, EFAULT for a bad pointer ((void*)1, a kernel address),
 * ENOENT, EEXIST, ENOTDIR, EISDIR, ENAMETOOLONG, EINVAL for bad flags,
 * EMFILE after 1024 descriptors, EPIPE/SIGPIPE and ESPIPE (if pipe(2)
 * works). Every expectation was first checked on Linux:
 *
 *     gcc -O2 -Wall -Wextra -Werror user/tests/file_test.c -o /tmp/ft && (cd /tmp && /tmp/ft)
 *
 * Files live in <test_dir()>/file_test.<pid>/ (test_dir(): $TEST_DIR or
 * /tmp, harness.h), one name per case; SUITE_TEARDOWN
 * removes whatever a failed case left behind, before the harness's leak
 * check compares free memory. Calls whose libc wrappers differ between musl
 * and glibc (getdents64, the bad-pointer cases) are made with
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
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>

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

/* ==== descriptors: dup, the table's limit ==== */

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

/* ==== sendfile ==== */

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
