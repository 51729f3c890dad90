/* user/tests/badargs_path_test.c -- the calls that take a path, given bad arguments, answer Linux's errno.
 *
 * open, openat, creat, the stat family (stat, lstat, newfstatat, statx),
 * access and faccessat(2), mkdir, mknod, unlink and rmdir, symlink, rename
 * (and renameat2), link, readlink, chdir and getcwd, truncate, statfs
 * (fstatfs too), chmod and chown (with their f- and -at forms), utimensat
 * and umask. Besides the errno, each case checks that the failure changed
 * nothing: no file made from half a path, both names left by a failed
 * rename, the mode and times as they were. What "bad" means, the pointers
 * and descriptors tried, and why every call goes through syscall(2):
 * user/tests/badargs.h. Descriptor calls are in badargs_file_test.c;
 * memory, processes, signals and the rest in badargs_proc_test.c.
 *
 * It passes on Linux too (as root, as in the guest):
 *
 *     gcc -O2 -Wall -Wextra -o /tmp/t user/tests/badargs_path_test.c && /tmp/t
 *
 * Sources: the Linux man pages of each call (section 2); fs/namei.c and
 * fs/stat.c where the order of checks decides the errno.
 */
#define _GNU_SOURCE
#include "badargs.h"

#ifndef STATX_BASIC_STATS /* older C libraries: the values of <linux/stat.h> */
#define STATX_BASIC_STATS 0x7ffu
#endif
#ifndef AT_STATX_FORCE_SYNC
#define AT_STATX_FORCE_SYNC 0x2000
#define AT_STATX_DONT_SYNC 0x4000
#endif

SUITE_SETUP
{
    mkdir(s_base, 0755);
}

SUITE_TEARDOWN
{
    harness_remove_tree(s_base);
}

/* ==== paths ==== */

TEST_CASE(open_bad_path_pointer)
{
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_open, p, O_RDONLY), EFAULT);
        EXPECT_ERRNO(syscall(SYS_open, p, O_CREAT | O_WRONLY, 0644), EFAULT);
        EXPECT_ERRNO(syscall(SYS_openat, AT_FDCWD, p, O_CREAT | O_RDWR, 0644), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_open, NULL, O_RDONLY), EFAULT);
    const char* cut = path_without_nul(at("created"));
    EXPECT_ERRNO(syscall(SYS_open, cut, O_CREAT | O_WRONLY, 0644), EFAULT);
    EXPECT_ERRNO(syscall(SYS_openat, AT_FDCWD, cut, O_CREAT | O_WRONLY, 0644), EFAULT);
    EXPECT(!exists(at("created"))); /* nothing was made from half a path */
    EXPECT(!exists(at("create")));
}

TEST_CASE(openat_bad_dirfd)
{
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_openat, fd, "x", O_RDONLY), EBADF);
        EXPECT_ERRNO(syscall(SYS_openat, fd, "new", O_CREAT | O_WRONLY, 0644), EBADF);
    }
    int file = file_with("o", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_openat, file, "new", O_CREAT | O_WRONLY, 0644), ENOTDIR);
    EXPECT(!exists(at("o/new")));
    EXPECT(!exists("new"));
    /* An absolute path ignores dirfd, even a bad one. */
    int fd = (int)syscall(SYS_openat, -1, at("o"), O_RDONLY);
    EXPECT(fd >= 0);
    /* O_CREAT with O_DIRECTORY: EINVAL, and no file. */
    EXPECT_ERRNO(syscall(SYS_open, at("cd"), O_CREAT | O_DIRECTORY | O_RDWR, 0644), EINVAL);
    EXPECT(!exists(at("cd")));
}

TEST_CASE(creat_bad_pointer)
{
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_creat, p, 0644), EFAULT);
    EXPECT_ERRNO(syscall(SYS_creat, path_without_nul(at("cr")), 0644), EFAULT);
    EXPECT(!exists(at("cr")));
}

TEST_CASE(stat_family_bad_args)
{
    struct stat st;
    int fd = file_with("st", "x", O_RDONLY);
    (void)fd;
    struct bad_list rbad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, p) {
        EXPECT_ERRNO(syscall(SYS_stat, p, &st), EFAULT);
        EXPECT_ERRNO(syscall(SYS_lstat, p, &st), EFAULT);
        EXPECT_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, p, &st, 0), EFAULT);
    }
    FOR_EACH_BAD(wbad, p) {
        EXPECT_ERRNO(syscall(SYS_stat, at("st"), p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_lstat, at("st"), p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, at("st"), p, 0), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, at("st"), &st, 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, at("st"), &st, -1), EINVAL);
    FOR_EACH_BAD_FD(bfd) {
        EXPECT_ERRNO(syscall(SYS_newfstatat, bfd, "st", &st, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_newfstatat, bfd, "", &st, AT_EMPTY_PATH), EBADF);
    }
    EXPECT_ERRNO(syscall(SYS_newfstatat, fd, "x", &st, 0), ENOTDIR);
    EXPECT_ERRNO(syscall(SYS_stat, "", &st), ENOENT);
}

TEST_CASE(statx_bad_args)
{
    char buf[256];
    int fd = file_with("sx", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, at("sx"), 0x1, STATX_BASIC_STATS, buf), EINVAL);
    EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, at("sx"), AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
                         STATX_BASIC_STATS, buf), EINVAL);
    EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, at("sx"), 0, 0x80000000u, buf), EINVAL); /* STATX__RESERVED */
    struct bad_list rbad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, p)
        EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, p, 0, STATX_BASIC_STATS, buf), EFAULT);
    FOR_EACH_BAD(wbad, p)
        EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, at("sx"), 0, STATX_BASIC_STATS, p), EFAULT);
    FOR_EACH_BAD_FD(bfd)
        EXPECT_ERRNO(syscall(SYS_statx, bfd, "sx", 0, STATX_BASIC_STATS, buf), EBADF);
    EXPECT_ERRNO(syscall(SYS_statx, fd, "x", 0, STATX_BASIC_STATS, buf), ENOTDIR);
}

TEST_CASE(access_bad_args)
{
    file_with("a", "x", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_access, p, F_OK), EFAULT);
        EXPECT_ERRNO(syscall(SYS_faccessat, AT_FDCWD, p, F_OK), EFAULT);
        EXPECT_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, p, F_OK, 0), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_access, at("a"), 8), EINVAL);
    EXPECT_ERRNO(syscall(SYS_access, at("a"), -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_faccessat, AT_FDCWD, at("a"), 0x10), EINVAL);
    EXPECT_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, at("a"), F_OK, 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, at("a"), F_OK, -1), EINVAL);
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_faccessat, fd, "a", F_OK), EBADF);
        EXPECT_ERRNO(syscall(SYS_faccessat2, fd, "a", F_OK, 0), EBADF);
    }
}

TEST_CASE(mkdir_bad_args)
{
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_mkdir, p, 0755), EFAULT);
        EXPECT_ERRNO(syscall(SYS_mkdirat, AT_FDCWD, p, 0755), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_mkdir, path_without_nul(at("md")), 0755), EFAULT);
    EXPECT(!exists(at("md")));
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_mkdirat, fd, "md", 0755), EBADF);
    int file = file_with("mf", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_mkdirat, file, "md", 0755), ENOTDIR);
    EXPECT(!exists("md"));
}

TEST_CASE(mknod_bad_args)
{
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_mknod, p, S_IFIFO | 0644, 0), EFAULT);
        EXPECT_ERRNO(syscall(SYS_mknodat, AT_FDCWD, p, S_IFREG | 0644, 0), EFAULT);
    }
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_mknodat, fd, "mn", S_IFIFO | 0644, 0), EBADF);
    /* A type that is none of the five (S_IFMT all ones): EINVAL; a directory: EPERM. */
    EXPECT_ERRNO(syscall(SYS_mknod, at("mn"), S_IFMT | 0644, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_mknod, at("mn"), S_IFDIR | 0755, 0), EPERM);
    EXPECT(!exists(at("mn")));
}

TEST_CASE(unlink_rmdir_bad_args)
{
    file_with("u", "x", O_RDONLY);
    EXPECT_EQ(mkdir(at("ud"), 0755), 0);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_unlink, p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_rmdir, p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_unlinkat, AT_FDCWD, p, 0), EFAULT);
        EXPECT_ERRNO(syscall(SYS_unlinkat, AT_FDCWD, p, AT_REMOVEDIR), EFAULT);
    }
    /* "/tmp/.../u" cut before its last byte names "/tmp/.../" + nothing. */
    EXPECT_ERRNO(syscall(SYS_unlink, path_without_nul(at("u"))), EFAULT);
    EXPECT_ERRNO(syscall(SYS_rmdir, path_without_nul(at("ud"))), EFAULT);
    EXPECT_ERRNO(syscall(SYS_unlinkat, AT_FDCWD, at("u"), 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_unlinkat, AT_FDCWD, at("ud"), -1), EINVAL);
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_unlinkat, fd, "u", 0), EBADF);
    EXPECT(exists(at("u")));
    EXPECT(exists(at("ud")));
}

TEST_CASE(symlink_bad_args)
{
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_symlink, p, at("sl")), EFAULT);
        EXPECT_ERRNO(syscall(SYS_symlink, "target", p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_symlinkat, p, AT_FDCWD, at("sl")), EFAULT);
        EXPECT_ERRNO(syscall(SYS_symlinkat, "target", AT_FDCWD, p), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_symlink, path_without_nul("target"), at("sl")), EFAULT);
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_symlinkat, "target", fd, "sl"), EBADF);
    EXPECT(!exists(at("sl")));
    EXPECT(!exists("sl"));
}

TEST_CASE(rename_bad_args)
{
    file_with("from", "keep", O_RDONLY);
    file_with("to", "other", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_rename, p, at("to")), EFAULT);
        EXPECT_ERRNO(syscall(SYS_rename, at("from"), p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_renameat, AT_FDCWD, at("from"), AT_FDCWD, p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, p, AT_FDCWD, at("to"), 0), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_rename, at("from"), path_without_nul(at("to"))), EFAULT);
    EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, at("from"), AT_FDCWD, at("to"), 0x80), EINVAL);
    EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, at("from"), AT_FDCWD, at("to"), -1), EINVAL);
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_renameat, fd, "from", AT_FDCWD, at("to")), EBADF);
        EXPECT_ERRNO(syscall(SYS_renameat, AT_FDCWD, at("from"), fd, "to"), EBADF);
    }
    EXPECT(holds(at("from"), "keep"));
    EXPECT(holds(at("to"), "other"));
}

TEST_CASE(link_bad_args)
{
    file_with("lsrc", "x", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_link, p, at("ldst")), EFAULT);
        EXPECT_ERRNO(syscall(SYS_link, at("lsrc"), p), EFAULT);
        EXPECT_ERRNO(syscall(SYS_linkat, AT_FDCWD, at("lsrc"), AT_FDCWD, p, 0), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_linkat, AT_FDCWD, at("lsrc"), AT_FDCWD, at("ldst"), 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_linkat, AT_FDCWD, at("lsrc"), AT_FDCWD, at("ldst"), -1), EINVAL);
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_linkat, fd, "lsrc", AT_FDCWD, at("ldst"), 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_linkat, AT_FDCWD, at("lsrc"), fd, "ldst", 0), EBADF);
    }
    EXPECT(!exists(at("ldst")));
    struct stat st;
    EXPECT_EQ(stat(at("lsrc"), &st), 0);
    EXPECT_EQ(st.st_nlink, 1);
}

TEST_CASE(readlink_bad_args)
{
    char buf[64];
    EXPECT_EQ(symlink("target", at("rl")), 0);
    file_with("rf", "x", O_RDONLY);
    struct bad_list rbad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, p) {
        EXPECT_ERRNO(syscall(SYS_readlink, p, buf, sizeof buf), EFAULT);
        EXPECT_ERRNO(syscall(SYS_readlinkat, AT_FDCWD, p, buf, sizeof buf), EFAULT);
    }
    FOR_EACH_BAD(wbad, p) {
        EXPECT_ERRNO(syscall(SYS_readlink, at("rl"), p, sizeof buf), EFAULT);
        EXPECT_ERRNO(syscall(SYS_readlinkat, AT_FDCWD, at("rl"), p, sizeof buf), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_readlink, at("rl"), buf, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_readlink, at("rl"), buf, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_readlink, at("rf"), buf, sizeof buf), EINVAL); /* not a symlink */
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_readlinkat, fd, "rl", buf, sizeof buf), EBADF);
}

TEST_CASE(chdir_getcwd_bad_args)
{
    char buf[PATH_MAX];
    EXPECT(getcwd(buf, sizeof buf) != NULL);
    struct bad_list rbad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, p)
        EXPECT_ERRNO(syscall(SYS_chdir, p), EFAULT);
    file_with("cf", "x", O_RDONLY);
    EXPECT_ERRNO(syscall(SYS_chdir, at("cf")), ENOTDIR);
    FOR_EACH_BAD(wbad, p)
        EXPECT_ERRNO(syscall(SYS_getcwd, p, sizeof buf), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getcwd, buf, 0), ERANGE);
    EXPECT_ERRNO(syscall(SYS_getcwd, buf, 1), ERANGE);
    char after[PATH_MAX];
    EXPECT(getcwd(after, sizeof after) != NULL);
    EXPECT(strcmp(buf, after) == 0); /* the failed chdirs moved nothing */
}

TEST_CASE(truncate_bad_args)
{
    file_with("tr", "hello", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p)
        EXPECT_ERRNO(syscall(SYS_truncate, p, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_truncate, at("tr"), -1L), EINVAL);
    EXPECT_ERRNO(syscall(SYS_truncate, s_base, 0), EISDIR);
    EXPECT(holds(at("tr"), "hello"));
}

TEST_CASE(statfs_bad_args)
{
    char buf[256];
    struct bad_list rbad = bad_pointers(0), wbad = bad_pointers(1);
    FOR_EACH_BAD(rbad, p)
        EXPECT_ERRNO(syscall(SYS_statfs, p, buf), EFAULT);
    FOR_EACH_BAD(wbad, p)
        EXPECT_ERRNO(syscall(SYS_statfs, "/", p), EFAULT);
    FOR_EACH_BAD_FD(fd)
        EXPECT_ERRNO(syscall(SYS_fstatfs, fd, buf), EBADF);
    int fd = file_with("sfs", "x", O_RDONLY);
    FOR_EACH_BAD(wbad, p)
        EXPECT_ERRNO(syscall(SYS_fstatfs, fd, p), EFAULT);
}

TEST_CASE(chmod_bad_args)
{
    umask(022);
    int fd = file_with("cm", "x", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_chmod, p, 0600), EFAULT);
        EXPECT_ERRNO(syscall(SYS_fchmodat, AT_FDCWD, p, 0600), EFAULT);
    }
    FOR_EACH_BAD_FD(bfd) {
        EXPECT_ERRNO(syscall(SYS_fchmod, bfd, 0600), EBADF);
        EXPECT_ERRNO(syscall(SYS_fchmodat, bfd, "cm", 0600), EBADF);
    }
    EXPECT_ERRNO(syscall(SYS_fchmodat, fd, "x", 0600), ENOTDIR);
    struct stat st;
    EXPECT_EQ(stat(at("cm"), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0644 & ~022);
}

TEST_CASE(chown_bad_args)
{
    int fd = file_with("co", "x", O_RDONLY);
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_chown, p, 0, 0), EFAULT);
        EXPECT_ERRNO(syscall(SYS_lchown, p, 0, 0), EFAULT);
        EXPECT_ERRNO(syscall(SYS_fchownat, AT_FDCWD, p, 0, 0, 0), EFAULT);
    }
    FOR_EACH_BAD_FD(bfd) {
        EXPECT_ERRNO(syscall(SYS_fchown, bfd, 0, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_fchownat, bfd, "co", 0, 0, 0), EBADF);
    }
    EXPECT_ERRNO(syscall(SYS_fchownat, AT_FDCWD, at("co"), 0, 0, 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_fchownat, AT_FDCWD, at("co"), 0, 0, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_fchownat, fd, "x", 0, 0, 0), ENOTDIR);
}

TEST_CASE(utimensat_bad_args)
{
    file_with("ut", "x", O_RDONLY);
    struct stat before, after;
    EXPECT_EQ(stat(at("ut"), &before), 0);
    struct timespec times[2] = {{1, 0}, {2, 0}};
    struct bad_list bad = bad_pointers(0);
    FOR_EACH_BAD(bad, p) {
        EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, p, times, 0), EFAULT);
        EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, at("ut"), p, 0), EFAULT);
    }
    EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, at("ut"), times, 0x1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, at("ut"), times, -1), EINVAL);
    struct timespec bad_ns[2] = {{1, 1000000000}, {2, 0}};
    EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, at("ut"), bad_ns, 0), EINVAL);
    struct timespec negative_ns[2] = {{1, 0}, {2, -1}};
    EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, at("ut"), negative_ns, 0), EINVAL);
    EXPECT_ERRNO(syscall(SYS_utimensat, AT_FDCWD, NULL, times, 0), EFAULT);
    FOR_EACH_BAD_FD(fd) {
        EXPECT_ERRNO(syscall(SYS_utimensat, fd, "ut", times, 0), EBADF);
        EXPECT_ERRNO(syscall(SYS_utimensat, fd, NULL, times, 0), EBADF);
    }
    EXPECT_EQ(stat(at("ut"), &after), 0);
    EXPECT_EQ(after.st_mtime, before.st_mtime);
    EXPECT_EQ(after.st_atime, before.st_atime);
}

TEST_CASE(umask_takes_only_permission_bits)
{
    mode_t old = umask(022);
    EXPECT_EQ(syscall(SYS_umask, 0xffffffffu), 022);
    EXPECT_EQ(syscall(SYS_umask, 022), 0777); /* the rest was dropped */
    umask(old);
}

int main(void)
{
    badargs_begin("path");
    return run_suite("badargs_path");
}
