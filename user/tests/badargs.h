/* user/tests/badargs.h -- what the three bad-argument suites share: bad pointers, bad
 * descriptors, a scratch directory.
 *
 * The suites (badargs_file_test.c: descriptors, pipes, poll and select;
 * badargs_path_test.c: calls that take a path; badargs_proc_test.c: memory,
 * processes, signals, time, identities and the small calls) check what each
 * call refuses, where the other suites check what it does; and that the
 * refusal is clean: the call returns -1 with the errno Linux gives, the
 * process gets no signal (a bad pointer is EFAULT, never SIGSEGV), the
 * kernel survives, nothing leaks (the harness compares free memory around
 * each suite) and nothing changed (a failed open(O_CREAT) created no file, a
 * failed rename left both names, a failed read consumed no bytes, a failed
 * pipe() left no descriptors behind).
 *
 * The mistakes, call by call:
 *   bad pointers   (void*)1 (the unmapped first page), 0xdead0000 (nothing
 *                  mapped there), 0xffff800000000000 (the kernel half),
 *                  0x8000000000000000 (not canonical), a PROT_NONE page;
 *                  and a read-only page for calls that write to user
 *                  memory.                                      => EFAULT
 *   bad fds        -1, 9999, a descriptor just closed           => EBADF
 *                  and the wrong kind of file: write on O_RDONLY (EBADF),
 *                  getdents64 on a regular file (ENOTDIR), lseek and
 *                  pread on a pipe (ESPIPE), read of a directory (EISDIR)
 *   bad flags      undefined bits, bad whence, bad `how`, bad signal
 *                  numbers, bad clock ids, bad sizes of sigset_t => EINVAL
 *   bad lengths    negative or huge counts (EFAULT where Linux's access_ok
 *                  refuses the range first, EINVAL where it checks the sign)
 *
 * Calls are made with syscall(2): the C library's wrapper may check the
 * arguments itself, answer from the vDSO (where a bad pointer is SIGSEGV)
 * or touch the pointer first.
 *
 * Every suite passes on Linux too (as root, as in the guest), e.g.
 *
 *     gcc -O2 -Wall -Wextra -o /tmp/t user/tests/badargs_file_test.c && /tmp/t
 *
 * Where teachos lacks a feature Linux has, a case tests only what both
 * share (e.g. renameat2's RENAME_NOREPLACE is not tried, only undefined
 * flag bits). A suite's files live under <test_dir()>/badargs_<area>.<pid>/
 * (s_base, set by badargs_begin in main(); test_dir() is $TEST_DIR or
 * /tmp: harness.h); its SUITE_TEARDOWN removes what a failed case left
 * behind (harness_remove_tree), before the leak check.
 *
 * Everything here is static (inline, or marked unused): each suite is one
 * program and uses only some of it.
 */
#ifndef TEACHOS_BADARGS_H
#define TEACHOS_BADARGS_H

#include "harness.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#define BAD_LOW ((void*)1)
#define BAD_UNMAPPED ((void*)0xdead0000ul)
#define BAD_KERNEL ((void*)0xffff800000000000ul)
#define BAD_NONCANONICAL ((void*)0x8000000000000000ul)
#define NO_FD 9999
#define SIGSET_SIZE 8 /* the kernel's sigset_t: 64 signals */

static char s_base[256]; /* <test_dir()>/badargs_<area>.<pid>, set by badargs_begin() */

/* In main(), before run_suite: name the scratch directory, and make and
 * remove it once, so the test directory's name index has grown before the
 * harness's first reading (harness.h). */
static inline void badargs_begin(const char* area)
{
    snprintf(s_base, sizeof s_base, "%s/badargs_%s.%d", test_dir(), area, (int)getpid());
    mkdir(s_base, 0755);
    rmdir(s_base);
}

/* ---- helpers (they run in the case's child) ---- */

/* s_base/name, in one of four rotating buffers. */
static inline const char* at(const char* name)
{
    static char buffers[4][PATH_MAX];
    static int next;
    char* out = buffers[next++ % 4];
    snprintf(out, PATH_MAX, "%s/%s", s_base, name);
    return out;
}

static inline int exists(const char* path)
{
    struct stat st;
    return syscall(SYS_lstat, path, &st) == 0;
}

/* A file `name` holding `text`, opened with `flags`. */
static inline int file_with(const char* name, const char* text, int flags)
{
    int fd = open(at(name), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    EXPECT(fd >= 0);
    size_t n = strlen(text);
    EXPECT_EQ(write(fd, text, n), (long)n);
    EXPECT_EQ(close(fd), 0);
    fd = open(at(name), flags);
    EXPECT(fd >= 0);
    return fd;
}

/* The file at `path` holds exactly `text`. */
static inline int holds(const char* path, const char* text)
{
    char buf[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

/* A descriptor number that was open a moment ago and is now closed. */
static inline int closed_fd(void)
{
    int fd = open("/", O_RDONLY | O_DIRECTORY);
    EXPECT(fd >= 0);
    EXPECT_EQ(close(fd), 0);
    return fd;
}

static inline void make_pipe(int fds[2])
{
    EXPECT_EQ(pipe(fds), 0);
}

/* A fresh page of `prot` (PROT_NONE: no call may read it). */
static inline void* page_with(int prot)
{
    void* p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    memset(p, 0, 4096);
    EXPECT_EQ(mprotect(p, 4096, prot), 0);
    return p;
}

/* A copy of `path` that runs into an unmapped page without its NUL. */
static inline const char* path_without_nul(const char* path)
{
    char* p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    EXPECT_EQ(munmap(p + 4096, 4096), 0);
    size_t n = strlen(path);
    memcpy(p + 4096 - n, path, n);
    return p + 4096 - n;
}

/* The pointers no call may read: a list ending in NULL. With `for_write`,
 * also a read-only page (a call that writes there must fail as well). */
struct bad_list {
    void* items[8];
};

static inline struct bad_list bad_pointers(int for_write)
{
    struct bad_list l;
    int n = 0;
    l.items[n++] = BAD_LOW;
    l.items[n++] = BAD_UNMAPPED;
    l.items[n++] = BAD_KERNEL;
    l.items[n++] = BAD_NONCANONICAL;
    l.items[n++] = page_with(PROT_NONE);
    if (for_write)
        l.items[n++] = page_with(PROT_READ);
    l.items[n] = NULL;
    return l;
}

#define FOR_EACH_BAD(list, p) for (void* const* p##_it = (list).items, *p; (p = *p##_it) != NULL; ++p##_it)

/* The three bad descriptors. */
#define FOR_EACH_BAD_FD(fdvar)                                                                     \
    for (int fdvar##_i = 0, fdvar = -1; fdvar##_i < 3;                                             \
         ++fdvar##_i, fdvar = fdvar##_i == 1 ? NO_FD : fdvar##_i == 2 ? closed_fd() : -1)

#endif /* TEACHOS_BADARGS_H */
