/* user/tests/file_helpers.h -- what file_test.c, fileattr_test.c and path_test.c share: a scratch directory and small file helpers.
 *
 * Each program sets s_base (<test_dir()>/<program>.<pid>, test_dir() being
 * $TEST_DIR or /tmp: harness.h) in main(); the cases make
 * their files in it (at("name")); SUITE_TEARDOWN removes whatever a failed
 * case left behind, before the harness's leak check compares free memory.
 */
#ifndef TEACHOS_FILE_HELPERS_H
#define TEACHOS_FILE_HELPERS_H

#include "harness.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#define BAD_POINTER ((void*)1)
#define KERNEL_POINTER ((void*)0xffff800000000000ul)

static char s_base[256]; /* <test_dir()>/<program>.<pid>, set in main() */

/* s_base + "/" + name, in a static buffer per slot (two names at once). */
__attribute__((unused)) static const char* at(const char* name)
{
    static char buffers[4][PATH_MAX];
    static int next;
    char* out = buffers[next++ % 4];
    snprintf(out, PATH_MAX, "%s/%s", s_base, name);
    return out;
}

__attribute__((unused)) static int make_file(const char* path, const char* contents)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0)
        return -1;
    size_t n = strlen(contents);
    int ok = write(fd, contents, n) == (ssize_t)n;
    close(fd);
    return ok ? 0 : -1;
}

__attribute__((unused)) static long long file_size(const char* path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

__attribute__((unused)) static int on_teachos(void)
{
    struct utsname u;
    return uname(&u) == 0 && strcmp(u.sysname, "teachos") == 0;
}

SUITE_SETUP
{
    mkdir(s_base, 0755);
}

SUITE_TEARDOWN
{
    harness_remove_tree(s_base);
}

/* struct statx, as in <linux/stat.h> (musl has no wrapper). */
struct test_statx_ts {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};
struct test_statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct test_statx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};

/* Run the suite in s_base = <test_dir()>/<program>.<pid>. Before the leak
 * check's first reading, make and remove the directory once: a first entry
 * may grow the test directory's name index for good (tmpfs keeps it), which
 * is not a leak. */
static int run_file_suite(const char* suite, const char* program)
{
    snprintf(s_base, sizeof s_base, "%s/%s.%d", test_dir(), program, (int)getpid());
    if (mkdir(s_base, 0755) == 0)
        rmdir(s_base);
    return run_suite(suite);
}

#endif /* TEACHOS_FILE_HELPERS_H */
