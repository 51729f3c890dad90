/* user/tests/path_test.c -- the system calls on names and directories, checked from user space.
 *
 * The half of file_test.c's subject that is about paths: getdents64,
 * getcwd/chdir, mkdir/rmdir, unlink, rename and renameat2's flags,
 * link/symlink/readlink, the symlink limit, *at() with a dirfd, mknod,
 * O_PATH descriptors, and open(O_CREAT) through a dangling symlink -- the
 * happy paths and Linux's errors. Every expectation was first checked on
 * Linux:
 *
 *     gcc -O2 -Wall -Wextra -Werror user/tests/path_test.c -o /tmp/pt && (cd /tmp && /tmp/pt)
 *
 * Files live in <test_dir()>/path_test.<pid>/ (file_helpers.h; test_dir()
 * is $TEST_DIR or /tmp).
 */
#define _GNU_SOURCE
#include "file_helpers.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <termios.h>

/* ==== directories ==== */

/* Look for `name` in a getdents64 listing; returns its d_type, or -1. */
static int find_entry(const char* buf, long n, const char* name)
{
    for (long pos = 0; pos < n;) {
        const struct dirent64* d = (const struct dirent64*)(buf + pos);
        if (strcmp(d->d_name, name) == 0)
            return d->d_type;
        pos += d->d_reclen;
    }
    return -1;
}

TEST_CASE(getdents64_lists_a_directory)
{
    EXPECT_EQ(mkdir(at("ls"), 0755), 0);
    EXPECT_EQ(make_file(at("ls/file"), "x"), 0);
    EXPECT_EQ(mkdir(at("ls/sub"), 0755), 0);
    EXPECT_EQ(symlink("file", at("ls/link")), 0);
    int fd = open(at("ls"), O_RDONLY | O_DIRECTORY);
    EXPECT(fd >= 0);
    char buf[4096] __attribute__((aligned(8)));
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    EXPECT(n > 0);
    EXPECT_EQ(find_entry(buf, n, "."), DT_DIR);
    EXPECT_EQ(find_entry(buf, n, ".."), DT_DIR);
    EXPECT_EQ(find_entry(buf, n, "file"), DT_REG);
    EXPECT_EQ(find_entry(buf, n, "sub"), DT_DIR);
    EXPECT_EQ(find_entry(buf, n, "link"), DT_LNK);
    for (long pos = 0; pos < n;) { /* records are 8-byte aligned */
        const struct dirent64* d = (const struct dirent64*)(buf + pos);
        EXPECT_EQ(d->d_reclen % 8, 0);
        pos += d->d_reclen;
    }
    EXPECT_EQ(syscall(SYS_getdents64, fd, buf, sizeof buf), 0); /* the end */
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);                     /* rewind */
    EXPECT_EQ(syscall(SYS_getdents64, fd, buf, sizeof buf), n);
    EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
    EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, 10), EINVAL); /* no room for one */
    EXPECT_ERRNO(syscall(SYS_getdents64, fd, BAD_POINTER, sizeof buf), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getdents64, fd, KERNEL_POINTER, sizeof buf), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getdents64, -1, buf, sizeof buf), EBADF);
    int file = open(at("ls/file"), O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_getdents64, file, buf, sizeof buf), ENOTDIR);
    close(file);
    close(fd);
    EXPECT_EQ(unlink(at("ls/link")), 0);
    EXPECT_EQ(rmdir(at("ls/sub")), 0);
    EXPECT_EQ(unlink(at("ls/file")), 0);
    EXPECT_EQ(rmdir(at("ls")), 0);
}

/* 200 entries read through a small buffer: each exactly once. */
TEST_CASE(getdents64_small_buffer_many_entries)
{
    enum { N = 200 };
    char name[64];
    EXPECT_EQ(mkdir(at("many"), 0755), 0);
    for (int i = 0; i < N; ++i) {
        snprintf(name, sizeof name, "many/entry_%03d", i);
        EXPECT_EQ(make_file(at(name), ""), 0);
    }
    static unsigned char seen[N];
    int fd = open(at("many"), O_RDONLY | O_DIRECTORY);
    static char buf[512] __attribute__((aligned(8)));
    long n;
    int total = 0;
    while ((n = syscall(SYS_getdents64, fd, buf, 256)) > 0) { /* a few entries per call */
        for (long pos = 0; pos < n;) {
            const struct dirent64* d = (const struct dirent64*)(buf + pos);
            int i;
            if (sscanf(d->d_name, "entry_%d", &i) == 1) {
                EXPECT(i >= 0 && i < N);
                EXPECT_EQ(seen[i], 0);
                seen[i] = 1;
                ++total;
            }
            pos += d->d_reclen;
        }
    }
    EXPECT_EQ(n, 0);
    EXPECT_EQ(total, N);
    close(fd);
    for (int i = 0; i < N; ++i) {
        snprintf(name, sizeof name, "many/entry_%03d", i);
        EXPECT_EQ(unlink(at(name)), 0);
    }
    EXPECT_EQ(rmdir(at("many")), 0);
}

TEST_CASE(getcwd_after_chdir_and_fchdir)
{
    char cwd[PATH_MAX];
    EXPECT_EQ(mkdir(at("wd"), 0755), 0);
    EXPECT_EQ(mkdir(at("wd/inner"), 0755), 0);
    EXPECT_EQ(chdir(at("wd/inner")), 0);
    EXPECT(getcwd(cwd, sizeof cwd) != 0);
    EXPECT(strcmp(cwd, at("wd/inner")) == 0);
    EXPECT_EQ(syscall(SYS_getcwd, cwd, sizeof cwd), (long)strlen(at("wd/inner")) + 1);
    EXPECT_ERRNO(syscall(SYS_getcwd, cwd, 5), ERANGE);
    EXPECT_ERRNO(syscall(SYS_getcwd, cwd, 0), ERANGE);
    EXPECT_ERRNO(syscall(SYS_getcwd, BAD_POINTER, sizeof cwd), EFAULT);
    EXPECT_EQ(chdir(".."), 0);
    EXPECT(getcwd(cwd, sizeof cwd) != 0 && strcmp(cwd, at("wd")) == 0);
    /* Relative paths now start here. */
    struct stat st;
    EXPECT_EQ(stat("inner", &st), 0);
    EXPECT(S_ISDIR(st.st_mode));
    int root = open("/", O_RDONLY);
    EXPECT_EQ(fchdir(root), 0);
    EXPECT(getcwd(cwd, sizeof cwd) != 0 && strcmp(cwd, "/") == 0);
    close(root);
    EXPECT_EQ(make_file(at("wd/f"), ""), 0);
    int file = open(at("wd/f"), O_RDONLY);
    EXPECT_ERRNO(fchdir(file), ENOTDIR);
    EXPECT_ERRNO(fchdir(-1), EBADF);
    EXPECT_ERRNO(chdir(at("wd/f")), ENOTDIR);
    EXPECT_ERRNO(chdir(at("wd/none")), ENOENT);
    close(file);
    /* A removed cwd has no name. */
    EXPECT_EQ(chdir(at("wd/inner")), 0);
    EXPECT_EQ(rmdir(at("wd/inner")), 0);
    EXPECT_ERRNO(syscall(SYS_getcwd, cwd, sizeof cwd), ENOENT);
    EXPECT_EQ(chdir("/"), 0);
    EXPECT_EQ(unlink(at("wd/f")), 0);
    EXPECT_EQ(rmdir(at("wd")), 0);
}

TEST_CASE(mkdir_and_rmdir)
{
    EXPECT_EQ(mkdir(at("md"), 0755), 0);
    EXPECT_ERRNO(mkdir(at("md"), 0755), EEXIST);
    EXPECT_EQ(mkdir(at("md/x/"), 0755), 0); /* a trailing slash is fine */
    EXPECT_ERRNO(rmdir(at("md")), ENOTEMPTY);
    EXPECT_EQ(make_file(at("md/file"), ""), 0);
    EXPECT_ERRNO(rmdir(at("md/file")), ENOTDIR);
    EXPECT_ERRNO(mkdir(at("md/file/y"), 0755), ENOTDIR);
    EXPECT_ERRNO(mkdir(at("md/none/y"), 0755), ENOENT);
    EXPECT_ERRNO(rmdir(at("md/none")), ENOENT);
    EXPECT_ERRNO(rmdir(at("md/x/.")), EINVAL);
    EXPECT_ERRNO(syscall(SYS_mkdir, BAD_POINTER, 0755), EFAULT);
    int dir = open(at("md"), O_RDONLY | O_DIRECTORY);
    EXPECT_EQ(mkdirat(dir, "rel", 0700), 0);
    struct stat st;
    EXPECT_EQ(stat(at("md/rel"), &st), 0);
    EXPECT(S_ISDIR(st.st_mode));
    EXPECT_EQ(unlinkat(dir, "rel", AT_REMOVEDIR), 0);
    close(dir);
    EXPECT_EQ(unlink(at("md/file")), 0);
    EXPECT_EQ(rmdir(at("md/x")), 0);
    EXPECT_EQ(rmdir(at("md")), 0);
    EXPECT_ERRNO(stat(at("md"), &st), ENOENT);
}

TEST_CASE(unlink_and_unlinkat)
{
    EXPECT_EQ(make_file(at("u"), ""), 0);
    EXPECT_EQ(mkdir(at("udir"), 0755), 0);
    EXPECT_ERRNO(unlink(at("udir")), EISDIR);
    EXPECT_ERRNO(unlink(at("u/")), ENOTDIR);
    EXPECT_ERRNO(unlink(at("none")), ENOENT);
    EXPECT_ERRNO(unlinkat(AT_FDCWD, at("u"), 0x4), EINVAL);
    EXPECT_ERRNO(unlinkat(AT_FDCWD, at("u"), AT_REMOVEDIR), ENOTDIR);
    EXPECT_EQ(unlink(at("u")), 0);
    EXPECT_ERRNO(unlink(at("u")), ENOENT);
    EXPECT_EQ(unlinkat(AT_FDCWD, at("udir"), AT_REMOVEDIR), 0);
    EXPECT_ERRNO(syscall(SYS_unlink, KERNEL_POINTER), EFAULT);
}

TEST_CASE(rename_files_and_directories)
{
    EXPECT_EQ(make_file(at("r1"), "first"), 0);
    EXPECT_EQ(make_file(at("r2"), "second"), 0);
    EXPECT_EQ(rename(at("r1"), at("r3")), 0);
    struct stat st;
    EXPECT_ERRNO(stat(at("r1"), &st), ENOENT);
    EXPECT_EQ(file_size(at("r3")), 5);
    EXPECT_EQ(rename(at("r2"), at("r3")), 0); /* replaces */
    EXPECT_EQ(file_size(at("r3")), 6);
    EXPECT_ERRNO(rename(at("r2"), at("r4")), ENOENT);
    EXPECT_EQ(mkdir(at("rd"), 0755), 0);
    EXPECT_EQ(mkdir(at("rd/sub"), 0755), 0);
    EXPECT_ERRNO(rename(at("rd"), at("rd/sub/rd")), EINVAL); /* into itself */
    EXPECT_ERRNO(rename(at("r3"), at("rd")), EISDIR);
    EXPECT_ERRNO(rename(at("rd"), at("r3")), ENOTDIR);
    EXPECT_EQ(rename(at("rd"), at("rd2")), 0);
    EXPECT_EQ(stat(at("rd2/sub"), &st), 0);
    EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, at("r3"), AT_FDCWD, at("r5"), 1 << 10), EINVAL);
    EXPECT_ERRNO(syscall(SYS_rename, BAD_POINTER, at("r5")), EFAULT);
    EXPECT_ERRNO(syscall(SYS_rename, at("r3"), KERNEL_POINTER), EFAULT);
    EXPECT_EQ(unlink(at("r3")), 0);
    EXPECT_EQ(rmdir(at("rd2/sub")), 0);
    EXPECT_EQ(rmdir(at("rd2")), 0);
}

/* renameat and linkat with two different directory descriptors. */
TEST_CASE(renameat_linkat_two_directories)
{
    EXPECT_EQ(mkdir(at("from"), 0755), 0);
    EXPECT_EQ(mkdir(at("to"), 0755), 0);
    EXPECT_EQ(make_file(at("from/f"), "moving"), 0);
    int from = open(at("from"), O_RDONLY | O_DIRECTORY);
    int to = open(at("to"), O_RDONLY | O_DIRECTORY);
    EXPECT(from >= 0 && to >= 0);
    EXPECT_EQ(renameat(from, "f", to, "g"), 0);
    EXPECT_EQ(file_size(at("to/g")), 6);
    EXPECT_EQ(linkat(to, "g", from, "h", 0), 0);
    struct stat st;
    EXPECT_EQ(stat(at("from/h"), &st), 0);
    EXPECT_EQ(st.st_nlink, 2);
    EXPECT_ERRNO(renameat(555, "g", to, "x"), EBADF);
    int file = open(at("to/g"), O_RDONLY);
    EXPECT_ERRNO(renameat(file, "g", to, "x"), ENOTDIR);
    close(file);
    close(from);
    close(to);
    EXPECT_EQ(unlink(at("from/h")), 0);
    EXPECT_EQ(unlink(at("to/g")), 0);
    EXPECT_EQ(rmdir(at("from")), 0);
    EXPECT_EQ(rmdir(at("to")), 0);
}

TEST_CASE(link_symlink_readlink)
{
    EXPECT_EQ(make_file(at("tgt"), "target"), 0);
    EXPECT_EQ(link(at("tgt"), at("hard")), 0);
    struct stat a, b;
    EXPECT_EQ(stat(at("tgt"), &a), 0);
    EXPECT_EQ(stat(at("hard"), &b), 0);
    EXPECT_EQ(a.st_ino, b.st_ino);
    EXPECT_EQ(a.st_nlink, 2);
    EXPECT_ERRNO(link(at("tgt"), at("hard")), EEXIST);
    EXPECT_ERRNO(link(at("none"), at("x")), ENOENT);
    EXPECT_ERRNO(link(s_base, at("dirlink")), EPERM);
    EXPECT_EQ(symlink("tgt", at("soft")), 0);
    EXPECT_ERRNO(symlink("tgt", at("soft")), EEXIST);
    EXPECT_ERRNO(symlink("", at("empty")), ENOENT);
    char buf[16];
    memset(buf, 'x', sizeof buf);
    EXPECT_EQ(readlink(at("soft"), buf, sizeof buf), 3);
    EXPECT(memcmp(buf, "tgtx", 4) == 0); /* no NUL added */
    EXPECT_EQ(readlink(at("soft"), buf, 2), 2); /* cut to the buffer */
    EXPECT_ERRNO(readlink(at("tgt"), buf, sizeof buf), EINVAL);
    EXPECT_ERRNO(syscall(SYS_readlink, at("soft"), buf, 0), EINVAL); /* musl's readlink would pass 1 */
    EXPECT_ERRNO(readlink(at("none"), buf, sizeof buf), ENOENT);
    EXPECT_ERRNO(syscall(SYS_readlink, at("soft"), BAD_POINTER, sizeof buf), EFAULT);
    int dir = open(s_base, O_RDONLY | O_DIRECTORY);
    EXPECT_EQ(readlinkat(dir, "soft", buf, sizeof buf), 3);
    EXPECT_EQ(symlinkat("hard", dir, "soft2"), 0);
    /* linkat: the link itself, or with AT_SYMLINK_FOLLOW what it names. */
    EXPECT_EQ(linkat(dir, "soft", dir, "soft_link", 0), 0);
    EXPECT_EQ(lstat(at("soft_link"), &b), 0);
    EXPECT(S_ISLNK(b.st_mode));
    EXPECT_EQ(linkat(dir, "soft2", dir, "followed", AT_SYMLINK_FOLLOW), 0);
    EXPECT_EQ(lstat(at("followed"), &b), 0);
    EXPECT(S_ISREG(b.st_mode));
    EXPECT_EQ(b.st_ino, a.st_ino);
    EXPECT_EQ(b.st_nlink, 3);
    EXPECT_ERRNO(linkat(dir, "soft", dir, "bad", 0x4), EINVAL);
    close(dir);
    EXPECT_EQ(unlink(at("followed")), 0);
    EXPECT_EQ(unlink(at("soft_link")), 0);
    EXPECT_EQ(unlink(at("soft2")), 0);
    EXPECT_EQ(unlink(at("soft")), 0);
    EXPECT_EQ(unlink(at("hard")), 0);
    EXPECT_EQ(unlink(at("tgt")), 0);
}

TEST_CASE(symlink_loop_is_eloop)
{
    EXPECT_EQ(symlink("loop_b", at("loop_a")), 0);
    EXPECT_EQ(symlink("loop_a", at("loop_b")), 0);
    EXPECT_ERRNO(open(at("loop_a"), O_RDONLY), ELOOP);
    struct stat st;
    EXPECT_ERRNO(stat(at("loop_a"), &st), ELOOP);
    EXPECT_EQ(lstat(at("loop_a"), &st), 0);
    EXPECT_ERRNO(open(at("loop_a"), O_RDONLY | O_NOFOLLOW), ELOOP);
    EXPECT_EQ(unlink(at("loop_a")), 0);
    EXPECT_EQ(unlink(at("loop_b")), 0);
}

TEST_CASE(openat_with_a_dirfd)
{
    EXPECT_EQ(mkdir(at("oa"), 0755), 0);
    int dir = open(at("oa"), O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    int fd = openat(dir, "inside", O_CREAT | O_WRONLY, 0644);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_EQ(file_size(at("oa/inside")), 0);
    fd = openat(dir, "inside", O_RDONLY);
    EXPECT(fd >= 0);
    EXPECT_ERRNO(openat(fd, "x", O_RDONLY), ENOTDIR);
    close(fd);
    EXPECT_ERRNO(openat(555, "inside", O_RDONLY), EBADF);
    fd = openat(555, at("oa/inside"), O_RDONLY); /* absolute: dirfd unused */
    EXPECT(fd >= 0);
    close(fd);
    fd = openat(dir, "..", O_RDONLY | O_DIRECTORY);
    EXPECT(fd >= 0);
    close(fd);
    close(dir);
    EXPECT_EQ(unlink(at("oa/inside")), 0);
    EXPECT_EQ(rmdir(at("oa")), 0);
}

TEST_CASE(mknod_makes_nodes)
{
    EXPECT_EQ(mknod(at("fifo"), S_IFIFO | 0600, 0), 0);
    struct stat st;
    EXPECT_EQ(lstat(at("fifo"), &st), 0);
    EXPECT(S_ISFIFO(st.st_mode));
    EXPECT_EQ(mknod(at("plain"), S_IFREG | 0600, 0), 0);
    EXPECT_EQ(lstat(at("plain"), &st), 0);
    EXPECT(S_ISREG(st.st_mode));
    EXPECT_ERRNO(mknod(at("plain"), S_IFREG | 0600, 0), EEXIST);
    EXPECT_ERRNO(mknod(at("dir"), S_IFDIR | 0700, 0), EPERM);
    EXPECT_EQ(unlink(at("fifo")), 0);
    EXPECT_EQ(unlink(at("plain")), 0);
}

/* ==== O_PATH: a descriptor that names a place and opens nothing ==== */

#ifndef O_PATH
#define O_PATH 010000000
#endif

/* Every call that needs an opened file refuses an O_PATH descriptor, mmap
 * included. */
static void expect_no_io(int fd)
{
    char buf[8];
    struct iovec iov = {buf, sizeof buf};
    EXPECT_ERRNO(read(fd, buf, 1), EBADF);
    EXPECT_ERRNO(write(fd, "x", 1), EBADF);
    EXPECT_ERRNO(pread(fd, buf, 1, 0), EBADF);
    EXPECT_ERRNO(pwrite(fd, "x", 1, 0), EBADF);
    EXPECT_ERRNO(readv(fd, &iov, 1), EBADF);
    EXPECT_ERRNO(writev(fd, &iov, 1), EBADF);
    EXPECT_ERRNO(lseek(fd, 0, SEEK_SET), EBADF);
    EXPECT_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof buf), EBADF);
    EXPECT_ERRNO(ioctl(fd, FIOCLEX), EBADF);
    /* musl's fchmod and fchown retry an EBADF through /proc/self/fd: ask the kernel. */
    EXPECT_ERRNO(syscall(SYS_fchmod, fd, 0600), EBADF);
    EXPECT_ERRNO(syscall(SYS_fchown, fd, 0, 0), EBADF);
    EXPECT_ERRNO(ftruncate(fd, 0), EBADF);
    EXPECT_ERRNO(fsync(fd), EBADF);
    EXPECT_ERRNO(fdatasync(fd), EBADF);
    EXPECT_ERRNO(syncfs(fd), EBADF);
    EXPECT_ERRNO(syscall(SYS_utimensat, fd, NULL, NULL, 0), EBADF); /* futimens */
    EXPECT_ERRNO(fcntl(fd, F_SETFL, O_NONBLOCK), EBADF);
    EXPECT_ERRNO(fcntl(fd, F_GETLK, NULL), EBADF); /* before the cmd is even looked at */
    EXPECT(mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED && errno == EBADF);
}

TEST_CASE(opath_file_names_it_only)
{
    EXPECT_EQ(make_file(at("op"), "keep"), 0);
    /* Flags other than O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC are ignored. */
    int fd = open(at("op"), O_PATH | O_RDWR | O_TRUNC | O_CREAT | O_APPEND, 0600);
    EXPECT(fd >= 0);
    EXPECT_EQ(file_size(at("op")), 4); /* not truncated */
    EXPECT_EQ(fcntl(fd, F_GETFL), O_PATH);
    expect_no_io(fd);
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_size, 4);
    struct statfs sfs;
    EXPECT_EQ(fstatfs(fd, &sfs), 0);
    EXPECT_EQ(syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH), 0);
    EXPECT_EQ(st.st_size, 4);
    struct test_statx sx;
    EXPECT_EQ(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, &sx), 0);
    EXPECT_EQ(sx.size, 4);
    EXPECT_EQ(fchownat(fd, "", 0, 0, AT_EMPTY_PATH), 0); /* by path: allowed */
    EXPECT_ERRNO(fchdir(fd), ENOTDIR);
    char buf[8];
    EXPECT_ERRNO(readlinkat(fd, "", buf, sizeof buf), ENOENT); /* not a symlink */
    /* The descriptor calls all work. */
    int d = dup(fd);
    EXPECT(d >= 0);
    EXPECT_EQ(fcntl(d, F_GETFL), O_PATH);
    EXPECT_EQ(dup2(fd, 50), 50);
    EXPECT_EQ(dup3(fd, 51, O_CLOEXEC), 51);
    EXPECT_EQ(fcntl(51, F_GETFD), FD_CLOEXEC);
    EXPECT_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
    EXPECT(fcntl(fd, F_DUPFD, 60) >= 60);
    EXPECT(fcntl(fd, F_DUPFD_CLOEXEC, 70) >= 70);
    EXPECT_EQ(close(51), 0);
    EXPECT_EQ(close(50), 0);
    EXPECT_EQ(close(d), 0);
    EXPECT_EQ(close(fd), 0);
    /* O_CREAT is ignored too: nothing is made. */
    EXPECT_ERRNO(open(at("opnew"), O_PATH | O_CREAT, 0644), ENOENT);
    EXPECT_ERRNO(open(at("op"), O_PATH | O_DIRECTORY), ENOTDIR);
    EXPECT_EQ(unlink(at("op")), 0);
}

TEST_CASE(opath_directory_as_dirfd_and_cwd)
{
    EXPECT_EQ(mkdir(at("opd"), 0755), 0);
    int dfd = open(at("opd"), O_PATH | O_DIRECTORY | O_RDWR); /* no EISDIR */
    EXPECT(dfd >= 0);
    EXPECT_EQ(fcntl(dfd, F_GETFL), O_PATH | O_DIRECTORY);
    expect_no_io(dfd);
    int fd = openat(dfd, "inside", O_CREAT | O_WRONLY, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "abc", 3), 3);
    close(fd);
    struct stat st;
    EXPECT_EQ(fstatat(dfd, "inside", &st, 0), 0);
    EXPECT_EQ(st.st_size, 3);
    EXPECT_EQ(mkdirat(dfd, "sub", 0755), 0);
    EXPECT_EQ(unlinkat(dfd, "sub", AT_REMOVEDIR), 0);
    EXPECT_EQ(fchdir(dfd), 0);
    EXPECT_EQ(stat("inside", &st), 0);
    EXPECT_EQ(unlinkat(dfd, "inside", 0), 0);
    EXPECT_EQ(close(dfd), 0);
    EXPECT_EQ(chdir("/"), 0);
    EXPECT_EQ(rmdir(at("opd")), 0);
}

TEST_CASE(opath_nofollow_symlink_is_the_link)
{
    EXPECT_EQ(symlink("some/target", at("opl")), 0);
    int fd = open(at("opl"), O_PATH | O_NOFOLLOW);
    EXPECT(fd >= 0);
    EXPECT_EQ(fcntl(fd, F_GETFL), O_PATH | O_NOFOLLOW);
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISLNK(st.st_mode));
    EXPECT_EQ(st.st_size, 11);
    char buf[32] = {0};
    EXPECT_EQ(readlinkat(fd, "", buf, sizeof buf), 11);
    EXPECT(memcmp(buf, "some/target", 11) == 0);
    EXPECT_ERRNO(openat(fd, "x", O_RDONLY), ENOTDIR);
    expect_no_io(fd);
    EXPECT_EQ(close(fd), 0);
    EXPECT_ERRNO(open(at("opl"), O_PATH | O_NOFOLLOW | O_DIRECTORY), ENOTDIR);
    EXPECT_ERRNO(open(at("opl"), O_PATH), ENOENT); /* followed: dangles */
    EXPECT_ERRNO(readlinkat(AT_FDCWD, "", buf, sizeof buf), ENOENT);
    EXPECT_EQ(unlink(at("opl")), 0);
}

/* O_PATH on a FIFO does not wait for a writer, and is not a reader. */
TEST_CASE(opath_fifo_does_not_block)
{
    EXPECT_EQ(mkfifo(at("opf"), 0600), 0);
    int fd = open(at("opf"), O_PATH); /* the harness's alarm catches a hang */
    EXPECT(fd >= 0);
    EXPECT_ERRNO(open(at("opf"), O_WRONLY | O_NONBLOCK), ENXIO); /* still no reader */
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISFIFO(st.st_mode));
    expect_no_io(fd);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(at("opf")), 0);
}

/* A device node is not opened: no driver for 0:0 (open says ENXIO), and
 * the terminal's open code does not run either. */
TEST_CASE(opath_device_is_not_opened)
{
    EXPECT_EQ(mknod(at("opdev"), S_IFCHR | 0600, 0), 0);
    EXPECT_ERRNO(open(at("opdev"), O_RDONLY), ENXIO);
    int fd = open(at("opdev"), O_PATH);
    EXPECT(fd >= 0);
    struct stat st;
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISCHR(st.st_mode));
    EXPECT_EQ(st.st_rdev, 0);
    expect_no_io(fd);
    EXPECT_EQ(close(fd), 0);
    EXPECT_EQ(unlink(at("opdev")), 0);
    fd = open("/dev/tty", O_PATH | O_NOCTTY);
    EXPECT(fd >= 0);
    EXPECT_EQ(fstat(fd, &st), 0);
    EXPECT(S_ISCHR(st.st_mode));
    EXPECT_EQ(st.st_rdev, (5 << 8) | 0); /* makedev(5, 0) */
    struct termios t;
    EXPECT_ERRNO(tcgetattr(fd, &t), EBADF);
    EXPECT_EQ(close(fd), 0);
}

/* ==== renameat2's flags ==== */

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#endif

static long rename2(const char* from, const char* to, unsigned flags)
{
    return syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}

static int holds_text(const char* path, const char* text)
{
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n == (ssize_t)strlen(text) && memcmp(buf, text, n) == 0;
}

static long long ino_of(const char* path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_ino : -1;
}

static long long nlink_of(const char* path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_nlink : -1;
}

TEST_CASE(rename_noreplace)
{
    EXPECT_EQ(make_file(at("nr1"), "one"), 0);
    EXPECT_EQ(make_file(at("nr2"), "two"), 0);
    EXPECT_ERRNO(rename2(at("nr1"), at("nr2"), RENAME_NOREPLACE), EEXIST);
    EXPECT_ERRNO(rename2(at("nr1"), at("nr1"), RENAME_NOREPLACE), EEXIST);
    EXPECT_ERRNO(rename2(at("nr1"), s_base, RENAME_NOREPLACE), EEXIST);
    EXPECT_ERRNO(rename2(at("nr1"), at("."), RENAME_NOREPLACE), EEXIST);
    EXPECT_ERRNO(rename2(at("nr1"), at("."), 0), EBUSY);
    EXPECT_ERRNO(rename2(at("none"), at("nr3"), RENAME_NOREPLACE), ENOENT);
    EXPECT(holds_text(at("nr1"), "one")); /* both names intact */
    EXPECT(holds_text(at("nr2"), "two"));
    EXPECT_EQ(rename2(at("nr1"), at("nr3"), RENAME_NOREPLACE), 0);
    EXPECT(holds_text(at("nr3"), "one"));
    EXPECT_ERRNO(access(at("nr1"), F_OK), ENOENT);
    EXPECT_ERRNO(rename2(at("nr3"), at("nr2"), RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
    EXPECT_ERRNO(rename2(at("nr3"), at("nr4"), RENAME_EXCHANGE | RENAME_WHITEOUT), EINVAL);
    EXPECT_ERRNO(rename2(at("nr3"), at("nr4"), 8), EINVAL);
    EXPECT_EQ(unlink(at("nr2")), 0);
    EXPECT_EQ(unlink(at("nr3")), 0);
}

TEST_CASE(rename_exchange_two_files)
{
    EXPECT_EQ(make_file(at("xa"), "aaa"), 0);
    EXPECT_EQ(make_file(at("xb"), "b"), 0);
    EXPECT_EQ(rename2(at("xa"), at("xb"), RENAME_EXCHANGE), 0);
    EXPECT(holds_text(at("xa"), "b"));
    EXPECT(holds_text(at("xb"), "aaa"));
    EXPECT_EQ(rename2(at("xa"), at("xa"), RENAME_EXCHANGE), 0); /* with itself */
    EXPECT(holds_text(at("xa"), "b"));
    EXPECT_ERRNO(rename2(at("xa"), at("xnone"), RENAME_EXCHANGE), ENOENT);
    EXPECT_ERRNO(rename2(at("xnone"), at("xa"), RENAME_EXCHANGE), ENOENT);
    EXPECT_ERRNO(access(at("xnone"), F_OK), ENOENT);
    EXPECT_EQ(unlink(at("xa")), 0);
    EXPECT_EQ(unlink(at("xb")), 0);
}

/* A file and a directory trade places across two directories: ".." of the
 * directory follows it, and the parents' link counts move with it. */
TEST_CASE(rename_exchange_file_and_directory)
{
    EXPECT_EQ(mkdir(at("xp"), 0755), 0);
    EXPECT_EQ(mkdir(at("xq"), 0755), 0);
    EXPECT_EQ(mkdir(at("xp/dir"), 0755), 0);
    EXPECT_EQ(make_file(at("xp/dir/inner"), "in"), 0);
    EXPECT_EQ(make_file(at("xq/file"), "f"), 0);
    long long dir_ino = ino_of(at("xp/dir")), file_ino = ino_of(at("xq/file"));
    EXPECT_EQ(nlink_of(at("xp")), 3);
    EXPECT_EQ(nlink_of(at("xq")), 2);
    EXPECT_ERRNO(rename2(at("xq/file/"), at("xp/dir"), RENAME_EXCHANGE), ENOTDIR);
    EXPECT_ERRNO(rename2(at("xp/dir"), at("xq/file/"), RENAME_EXCHANGE), ENOTDIR);
    EXPECT_EQ(rename2(at("xp/dir"), at("xq/file"), RENAME_EXCHANGE), 0);
    EXPECT_EQ(ino_of(at("xq/file")), dir_ino);
    EXPECT_EQ(ino_of(at("xp/dir")), file_ino);
    EXPECT_EQ(ino_of(at("xq/file/..")), ino_of(at("xq")));
    EXPECT(holds_text(at("xq/file/inner"), "in"));
    EXPECT(holds_text(at("xp/dir"), "f"));
    EXPECT_EQ(nlink_of(at("xp")), 2);
    EXPECT_EQ(nlink_of(at("xq")), 3);
    /* Neither directory may land inside itself. */
    EXPECT_ERRNO(rename2(at("xq"), at("xq/file/inner"), RENAME_EXCHANGE), EINVAL);
    EXPECT_ERRNO(rename2(at("xq/file/inner"), at("xq"), RENAME_EXCHANGE), EINVAL);
    EXPECT_EQ(ino_of(at("xq/file")), dir_ino);
    EXPECT_EQ(unlink(at("xq/file/inner")), 0);
    EXPECT_EQ(rmdir(at("xq/file")), 0);
    EXPECT_EQ(unlink(at("xp/dir")), 0);
    EXPECT_EQ(rmdir(at("xp")), 0);
    EXPECT_EQ(rmdir(at("xq")), 0);
}

/* ==== open(O_CREAT) through a dangling symlink ==== */

TEST_CASE(open_creat_through_dangling_symlink)
{
    EXPECT_EQ(mkdir(at("cd"), 0755), 0);
    /* Relative: from the link's directory. */
    EXPECT_EQ(symlink("made", at("cd/rel")), 0);
    EXPECT_ERRNO(open(at("cd/rel"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    EXPECT_ERRNO(open(at("cd/rel"), O_CREAT | O_NOFOLLOW | O_WRONLY, 0644), ELOOP);
    EXPECT_ERRNO(access(at("cd/made"), F_OK), ENOENT);
    int fd = open(at("cd/rel"), O_CREAT | O_WRONLY, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "rel", 3), 3);
    close(fd);
    EXPECT(holds_text(at("cd/made"), "rel"));
    struct stat st;
    EXPECT_EQ(lstat(at("cd/rel"), &st), 0);
    EXPECT(S_ISLNK(st.st_mode));
    /* Absolute, through a chain of two links. */
    char target[PATH_MAX];
    snprintf(target, sizeof target, "%s/abs_made", s_base);
    EXPECT_EQ(symlink(target, at("cd/abs")), 0);
    EXPECT_EQ(symlink("abs", at("cd/chain")), 0);
    fd = open(at("cd/chain"), O_CREAT | O_RDWR, 0600);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_EQ(lstat(target, &st), 0);
    EXPECT(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600);
    /* Now it exists: opened, not made again. */
    fd = open(at("cd/rel"), O_CREAT | O_RDONLY, 0644);
    EXPECT(fd >= 0);
    close(fd);
    /* A missing directory's child: ENOENT, nothing made. */
    EXPECT_EQ(symlink("nodir/x", at("cd/deep")), 0);
    EXPECT_ERRNO(open(at("cd/deep"), O_CREAT | O_WRONLY, 0644), ENOENT);
    EXPECT_ERRNO(access(at("cd/nodir"), F_OK), ENOENT);
    /* A directory, through a link or not: EISDIR. */
    EXPECT_EQ(symlink(".", at("cd/dot")), 0);
    EXPECT_ERRNO(open(at("cd/dot"), O_CREAT | O_RDONLY, 0644), EISDIR);
    EXPECT_ERRNO(open(at("cd"), O_CREAT | O_RDONLY, 0644), EISDIR);
    /* A loop: ELOOP. */
    EXPECT_EQ(symlink("loop", at("cd/loop")), 0);
    EXPECT_ERRNO(open(at("cd/loop"), O_CREAT | O_WRONLY, 0644), ELOOP);
    const char* names[] = {"rel", "made", "abs", "chain", "deep", "dot", "loop"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
        char path[64];
        snprintf(path, sizeof path, "cd/%s", names[i]);
        EXPECT_EQ(unlink(at(path)), 0);
    }
    EXPECT_EQ(unlink(target), 0);
    EXPECT_EQ(rmdir(at("cd")), 0);
}

int main(void) { return run_file_suite("path", "path_test"); }
