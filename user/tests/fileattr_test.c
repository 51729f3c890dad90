/* user/tests/fileattr_test.c -- what an open file and its inode carry, checked from user space.
 *
 * The descriptor flags (fcntl's FD_CLOEXEC and status flags, F_DUPFD, the
 * generic ioctls FIOCLEX/FIONCLEX/FIONBIO, ENOTTY for a file) and the
 * attributes (stat, lstat, fstat, newfstatat, statx, access, chmod, chown,
 * umask, truncate, statfs, utimensat, fsync, sync, syncfs) -- each in its
 * own child (harness.h), happy path and the errors Linux gives (EBADF,
 * EFAULT, ENOENT, EINVAL). Opening, reading, writing, offsets, vectors, dup,
 * sendfile and pipes are in file_test.c; names and directories in
 * path_test.c. Every expectation was first checked on Linux:
 *
 *     gcc -O2 -Wall -Wextra -Werror user/tests/fileattr_test.c -o /tmp/fat && (cd /tmp && /tmp/fat)
 *
 * Files live in <test_dir()>/fileattr_test.<pid>/ (file_helpers.h), one
 * name per case. statx is made with syscall(2) (musl has no wrapper).
 * Where file systems legitimately differ: statfs's f_type names the one
 * under test (expected_fs_magic).
 */
#define _GNU_SOURCE
#include "file_helpers.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <termios.h>

/* ==== descriptor flags: fcntl, ioctl ==== */

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

/* statfs's f_type for the file system under test (TEST_FS, default the
 * tmpfs of /tmp): Linux's magic numbers (<linux/magic.h>); FFS reports
 * UFS_MAGIC, as Linux's ufs driver does for the BSD file system. */
static long expected_fs_magic(void)
{
    if (strcmp(test_fs(), "ffs") == 0 || strcmp(test_fs(), "mfs") == 0)
        return 0x00011954; /* UFS_MAGIC: MFS is FFS in a process's memory */
    return 0x01021994;     /* TMPFS_MAGIC */
}

TEST_CASE(statfs_and_fstatfs)
{
    struct statfs sf;
    EXPECT_EQ(statfs(s_base, &sf), 0);
    EXPECT(sf.f_bsize > 0);
    EXPECT_EQ(sf.f_namelen, 255);
    EXPECT(sf.f_blocks >= sf.f_bfree);
    if (on_teachos())
        EXPECT_EQ(sf.f_type, expected_fs_magic());
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

/* Linux's fsync is EINVAL for a file with no fsync operation: pipes,
 * terminals, character devices (vfs_fsync_range). A directory is synced. */
TEST_CASE(fsync_directory_pipe_device)
{
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    EXPECT(dir >= 0);
    EXPECT_EQ(fsync(dir), 0);
    EXPECT_EQ(fdatasync(dir), 0);
    close(dir);
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    EXPECT_ERRNO(fsync(fds[0]), EINVAL);
    EXPECT_ERRNO(fdatasync(fds[1]), EINVAL);
    close(fds[0]);
    close(fds[1]);
    int null = open("/dev/null", O_RDWR);
    EXPECT(null >= 0);
    EXPECT_ERRNO(fsync(null), EINVAL);
    EXPECT_ERRNO(fdatasync(null), EINVAL);
    close(null);
}

/* sync(2) returns nothing; syncfs reports (EBADF here). A pipe's file
 * system has nothing to write: 0, as on Linux. */
TEST_CASE(sync_and_syncfs)
{
    int fd = open(at("sfs"), O_CREAT | O_RDWR, 0644);
    EXPECT(fd >= 0);
    EXPECT_EQ(write(fd, "data", 4), 4);
    sync();
    EXPECT_EQ(syncfs(fd), 0);
    EXPECT_ERRNO(syncfs(-1), EBADF);
    EXPECT_ERRNO(syncfs(999), EBADF);
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ(syncfs(dir), 0);
    close(dir);
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    EXPECT_EQ(syncfs(fds[0]), 0);
    close(fds[0]);
    close(fds[1]);
    close(fd);
    EXPECT_EQ(unlink(at("sfs")), 0);
}

int main(void) { return run_file_suite("fileattr", "fileattr_test"); }
