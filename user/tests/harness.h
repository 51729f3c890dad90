/* user/tests/harness.h -- a one-header test harness for the in-guest C test programs.
 *
 * A test program is a table of cases, each run in its own child process (as
 * xv6's usertests), so a case that crashes or corrupts its memory takes only
 * itself down:
 *
 *     #include "harness.h"
 *
 *     TEST_CASE(write_then_read)
 *     {
 *         int fd = open("/tmp/x", O_RDWR | O_CREAT, 0600);
 *         EXPECT(fd >= 0);
 *         EXPECT_EQ(write(fd, "abc", 3), 3);
 *         EXPECT_ERRNO(read(-1, buf, 1), EBADF);
 *     }
 *
 *     int main(void) { return run_suite("file"); }
 *
 * The same source builds with musl-gcc -static for the guest and with plain
 * gcc on Linux, so every expectation can be checked against Linux first.
 *
 * What the console shows (scripts count "^TEST .* PASS" and "^TEST .* FAIL"):
 *
 *     RUN file.write_then_read                     before the case
 *     TEST file.write_then_read PASS               it returned
 *     TEST file.write_then_read FAIL file_test.c:42 expected read(...) == 3 (2 vs 3)
 *     TEST file.other FAIL killed by signal 11     it died without a verdict
 *     TEST file.leak_check PASS                    free memory the same after the suite
 *
 * How it works:
 *   - TEST_CASE(name) defines the function and a constructor that appends it
 *     to a table before main() runs; cases run in the order they appear.
 *   - run_suite forks per case; the child sets a 10-second alarm (if the
 *     system has alarm(2): a hung case then dies of SIGALRM), runs the case
 *     and _exits 0. A failed EXPECT prints its FAIL line and _exits 1 at
 *     once, so a case reports at most one failure. The parent waits with
 *     wait4 and prints PASS, or FAIL with how the child died unless the
 *     child printed its own FAIL line (a flag in a shared page tells).
 *   - Leak check (OS/161 and xv6 count free memory around tests): free
 *     memory from sysinfo(2), freeram * mem_unit, is read before the first
 *     case and after the last, once every child is reaped and
 *     SUITE_TEARDOWN has removed the suite's files; on teachos the two must
 *     be equal. A disk file system keeps what it may drop at will -- clean
 *     metadata buffers, inactive inodes, file pages -- so before each
 *     reading the harness drops them the Linux way: sync(), then "3" written
 *     to /proc/sys/vm/drop_caches (1 page cache, 2 inodes and buffers, 3
 *     both; see Linux's Documentation/admin-guide/sysctl/vm.rst). Dirty data
 *     is written first, so everything left is clean and goes; what remains
 *     is what the file system must keep, and a leak still shows. (No such
 *     file: nothing to drop. tmpfs drops nothing: its pages are the data.)
 *     Linux's free memory moves on its own, so there the check is
 *     skipped (uname's sysname is not "teachos"). To keep the parent's own
 *     memory still between the two readings, the harness forks once and
 *     touches every page of the program and 64 KiB of stack before the
 *     first one (a page's first touch costs kernel memory for the mapping,
 *     which would look like a leak); a suite should prepare
 *     parent-side data (names, buffers) in main(), before run_suite, and
 *     also make and remove one entry in a shared directory it will use
 *     (test_dir()): a directory's name index grows on demand and stays grown.
 *   - SUITE_SETUP { ... } and SUITE_TEARDOWN { ... } (optional, one each)
 *     run in the parent after the first reading and before the second.
 *   - Another file system: a suite makes its files under test_dir(), the
 *     environment's TEST_DIR (default /tmp); with TEST_FS set (e.g. "ffs"),
 *     every name gets it as a prefix: "TEST ffs.file.write_then_read PASS".
 *     user/tests/run-all.sh runs the file-system suites a second time that
 *     way, on a fresh mount (docs/testing.md, "Running a suite on another
 *     file system").
 *   - Output goes line by line with write(1, ...): no stdio buffer to be
 *     duplicated by fork or lost by _exit.
 *
 * Read more: docs/testing.md; xv6 user/usertests.c; OS/161 test161.
 */
#ifndef TEACHOS_TEST_HARNESS_H
#define TEACHOS_TEST_HARNESS_H

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HARNESS_MAX_CASES 512
#define HARNESS_TIMEOUT_SECONDS 10

struct harness_case {
    const char* name;
    void (*fn)(void);
};

static struct harness_case harness_cases[HARNESS_MAX_CASES];
static int harness_case_count;
static void (*harness_setup)(void);
static void (*harness_teardown)(void);
static const char* harness_suite_name = "?";
static const char* harness_case_name = "?";
/* One int in a MAP_SHARED page: the child sets it when it printed FAIL. */
static volatile int* harness_reported;

/* ---- output: one line, one write ---- */

struct harness_line {
    char text[600];
    size_t length;
};

static inline void harness_put(struct harness_line* line, const char* s)
{
    while (*s && line->length < sizeof line->text - 1)
        line->text[line->length++] = *s++;
}

static inline void harness_put_int(struct harness_line* line, long long value)
{
    char digits[24];
    int n = 0;
    unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0)
        harness_put(line, "-");
    while (n > 0) {
        char c[2] = {digits[--n], 0};
        harness_put(line, c);
    }
}

static inline void harness_send(struct harness_line* line)
{
    line->text[line->length++] = '\n';
    size_t done = 0;
    while (done < line->length) {
        ssize_t n = write(1, line->text + done, line->length - done);
        if (n <= 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += (size_t)n;
    }
}

/* "TEST suite.case " -- the start of a verdict line. */
static inline void harness_start_verdict(struct harness_line* line, const char* name)
{
    line->length = 0;
    harness_put(line, "TEST ");
    harness_put(line, harness_suite_name);
    harness_put(line, ".");
    harness_put(line, name);
    harness_put(line, " ");
}

/* The symbolic name of an errno value, for failure messages. */
static inline const char* harness_errno_name(int e)
{
    static const struct {
        int value;
        const char* name;
    } names[] = {
        {0, "0"},           {EPERM, "EPERM"},   {ENOENT, "ENOENT"},   {ESRCH, "ESRCH"},
        {EINTR, "EINTR"},   {EIO, "EIO"},       {ENXIO, "ENXIO"},     {E2BIG, "E2BIG"},
        {ENOEXEC, "ENOEXEC"}, {EBADF, "EBADF"}, {ECHILD, "ECHILD"},   {EAGAIN, "EAGAIN"},
        {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"}, {EFAULT, "EFAULT"},   {EBUSY, "EBUSY"},
        {EEXIST, "EEXIST"}, {EXDEV, "EXDEV"},   {ENODEV, "ENODEV"},   {ENOTDIR, "ENOTDIR"},
        {EISDIR, "EISDIR"}, {EINVAL, "EINVAL"}, {ENFILE, "ENFILE"},   {EMFILE, "EMFILE"},
        {ENOTTY, "ENOTTY"}, {EFBIG, "EFBIG"},   {ENOSPC, "ENOSPC"},   {ESPIPE, "ESPIPE"},
        {EROFS, "EROFS"},   {EMLINK, "EMLINK"}, {EPIPE, "EPIPE"},     {ERANGE, "ERANGE"},
        {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOSYS, "ENOSYS"}, {ENOTEMPTY, "ENOTEMPTY"},
        {ELOOP, "ELOOP"},   {EOVERFLOW, "EOVERFLOW"}, {EOPNOTSUPP, "EOPNOTSUPP"},
        {ENOTBLK, "ENOTBLK"}, {EUCLEAN, "EUCLEAN"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
        if (names[i].value == e)
            return names[i].name;
    return "E?";
}

/* ---- failing ---- */

/* Print "TEST suite.case FAIL file:line <what>" and end the case. */
static inline void harness_fail_start(struct harness_line* line, const char* file, int line_number)
{
    const char* base = strrchr(file, '/');
    harness_start_verdict(line, harness_case_name);
    harness_put(line, "FAIL ");
    harness_put(line, base ? base + 1 : file);
    harness_put(line, ":");
    harness_put_int(line, line_number);
    harness_put(line, " ");
}

__attribute__((noreturn)) static inline void harness_fail_end(struct harness_line* line)
{
    if (harness_reported)
        *harness_reported = 1;
    harness_send(line);
    _exit(1);
}

__attribute__((noreturn)) static inline void harness_fail(const char* file, int line_number, const char* what)
{
    struct harness_line line;
    harness_fail_start(&line, file, line_number);
    harness_put(&line, what);
    harness_fail_end(&line);
}

__attribute__((noreturn)) static inline void harness_fail_eq(const char* file, int line_number,
                                                             const char* a_text, const char* b_text,
                                                             long long a, long long b)
{
    struct harness_line line;
    harness_fail_start(&line, file, line_number);
    harness_put(&line, "expected ");
    harness_put(&line, a_text);
    harness_put(&line, " == ");
    harness_put(&line, b_text);
    harness_put(&line, " (");
    harness_put_int(&line, a);
    harness_put(&line, " vs ");
    harness_put_int(&line, b);
    harness_put(&line, ")");
    harness_fail_end(&line);
}

__attribute__((noreturn)) static inline void harness_fail_errno(const char* file, int line_number,
                                                                const char* expr_text, int want,
                                                                long long got, int got_errno)
{
    struct harness_line line;
    harness_fail_start(&line, file, line_number);
    harness_put(&line, "expected ");
    harness_put(&line, expr_text);
    harness_put(&line, " to fail with ");
    harness_put(&line, harness_errno_name(want));
    harness_put(&line, ", got ");
    harness_put_int(&line, got);
    if (got == -1) {
        harness_put(&line, " errno ");
        harness_put(&line, harness_errno_name(got_errno));
    }
    harness_fail_end(&line);
}

/* ---- what a test case writes ---- */

#define EXPECT(cond)                                                  \
    do {                                                              \
        if (!(cond))                                                  \
            harness_fail(__FILE__, __LINE__, "expected " #cond);      \
    } while (0)

/* Integers or pointers; both are shown on failure. */
#define EXPECT_EQ(a, b)                                                                    \
    do {                                                                                   \
        long long harness_a_ = (long long)(a);                                             \
        long long harness_b_ = (long long)(b);                                             \
        if (harness_a_ != harness_b_)                                                      \
            harness_fail_eq(__FILE__, __LINE__, #a, #b, harness_a_, harness_b_);           \
    } while (0)

/* `expr` must return -1 with errno == err. */
#define EXPECT_ERRNO(expr, err)                                                            \
    do {                                                                                   \
        errno = 0;                                                                         \
        long long harness_r_ = (long long)(expr);                                          \
        int harness_e_ = errno;                                                            \
        if (harness_r_ != -1 || harness_e_ != (err))                                       \
            harness_fail_errno(__FILE__, __LINE__, #expr, (err), harness_r_, harness_e_);  \
    } while (0)


static inline void harness_register(const char* name, void (*fn)(void))
{
    if (harness_case_count < HARNESS_MAX_CASES) {
        harness_cases[harness_case_count].name = name;
        harness_cases[harness_case_count].fn = fn;
    }
    ++harness_case_count; /* run_suite reports an overflow */
}

#define TEST_CASE(name)                                                                    \
    static void test_case_##name(void);                                                    \
    __attribute__((constructor)) static void test_register_##name(void)                    \
    {                                                                                      \
        harness_register(#name, test_case_##name);                                         \
    }                                                                                      \
    static void test_case_##name(void)

#define SUITE_SETUP                                                                        \
    static void harness_suite_setup_(void);                                                \
    __attribute__((constructor)) static void harness_register_setup_(void)                 \
    {                                                                                      \
        harness_setup = harness_suite_setup_;                                              \
    }                                                                                      \
    static void harness_suite_setup_(void)

#define SUITE_TEARDOWN                                                                     \
    static void harness_suite_teardown_(void);                                             \
    __attribute__((constructor)) static void harness_register_teardown_(void)              \
    {                                                                                      \
        harness_teardown = harness_suite_teardown_;                                        \
    }                                                                                      \
    static void harness_suite_teardown_(void)

/* ---- running ---- */

/* The directory a suite makes its files under: $TEST_DIR, or /tmp. */
__attribute__((unused)) static const char* test_dir(void)
{
    const char* dir = getenv("TEST_DIR");
    return dir && *dir ? dir : "/tmp";
}

/* The file system under test: $TEST_FS (e.g. "ffs"), or "" if unset. */
__attribute__((unused)) static const char* test_fs(void)
{
    const char* fs = getenv("TEST_FS");
    return fs ? fs : "";
}

/* Write back dirty data, then drop the clean caches a disk file system
 * keeps (see the leak check above); no /proc/sys/vm/drop_caches: nothing
 * to drop. Only on teachos: on Linux it needs root, and the check is
 * skipped there anyway. */
static inline void harness_drop_caches(void)
{
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    while (write(fd, "3", 1) < 0 && errno == EINTR) {
    }
    close(fd);
}

/* Free memory in bytes, or -1. */
static inline long long harness_free_memory(void)
{
    struct sysinfo info;
    if (sysinfo(&info) != 0)
        return -1;
    return (long long)info.freeram * (long long)(info.mem_unit ? info.mem_unit : 1);
}

static inline int harness_on_teachos(void)
{
    struct utsname u;
    return uname(&u) == 0 && strcmp(u.sysname, "teachos") == 0;
}

/* In the child: the optional timeout, the case, a clean exit. */
__attribute__((noreturn)) static inline void harness_child(const struct harness_case* c)
{
    harness_case_name = c->name;
#ifdef SYS_alarm
    syscall(SYS_alarm, HARNESS_TIMEOUT_SECONDS); /* ENOSYS: no timeout, and no harm */
#endif
    c->fn();
    _exit(0);
}

/* "FAIL <how the child ended>", for a child that gave no verdict itself. */
static inline void harness_report_death(const struct harness_case* c, pid_t pid, pid_t got, int status,
                                        int wait_errno)
{
    struct harness_line line;
    harness_start_verdict(&line, c->name);
    harness_put(&line, "FAIL ");
    if (pid < 0 || got != pid) {
        harness_put(&line, pid < 0 ? "fork failed: " : "wait4 failed: ");
        harness_put(&line, harness_errno_name(wait_errno));
    } else if (WIFSIGNALED(status)) {
        harness_put(&line, "killed by signal ");
        harness_put_int(&line, WTERMSIG(status));
        if (WTERMSIG(status) == SIGALRM)
            harness_put(&line, " (timeout)");
    } else {
        harness_put(&line, "exited with status ");
        harness_put_int(&line, WEXITSTATUS(status));
    }
    harness_send(&line);
}

/* Run one case in a child. Returns 1 if it passed. */
static inline int harness_run_case(const struct harness_case* c)
{
    struct harness_line line;
    line.length = 0;
    harness_put(&line, "RUN ");
    harness_put(&line, harness_suite_name);
    harness_put(&line, ".");
    harness_put(&line, c->name);
    harness_send(&line);
    if (harness_reported)
        *harness_reported = 0;

    pid_t pid = fork();
    if (pid == 0)
        harness_child(c);
    int status = 0, wait_errno = errno;
    pid_t got = -1;
    if (pid > 0) {
        do
            got = wait4(pid, &status, 0, 0);
        while (got < 0 && errno == EINTR);
        wait_errno = errno;
    }

    int exited_with = got == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    /* Without the shared flag (no MAP_SHARED), status 1 stands for "reported". */
    int reported = harness_reported ? *harness_reported : exited_with == 1;
    if (exited_with == 0) {
        harness_start_verdict(&line, c->name);
        harness_put(&line, "PASS");
        harness_send(&line);
        return 1;
    }
    if (!reported)
        harness_report_death(c, pid, got, status, wait_errno);
    return 0;
}

/* Map every page of the program now: a first touch between the two
 * readings would cost kernel memory (the mapping's bookkeeping) and look
 * like a leak. The executable's program headers come from the aux vector
 * (AT_PHDR). Text is read; data and
 * bss are read and written back, except the RELRO part, which is
 * read-only once relocated. */
static inline void harness_touch_program(void)
{
    const Elf64_Phdr* phdrs = (const Elf64_Phdr*)getauxval(AT_PHDR);
    size_t count = (size_t)getauxval(AT_PHNUM);
    if (!phdrs)
        return;
    /* The load bias: from PT_PHDR; without one (a static executable), 0 if
     * the headers then lie inside a PT_LOAD, else unknown: do nothing. */
    uintptr_t bias = 0, relro_start = 0, relro_end = 0;
    int known = 0;
    for (size_t i = 0; i < count; ++i) {
        if (phdrs[i].p_type == PT_PHDR) {
            bias = (uintptr_t)phdrs - phdrs[i].p_vaddr;
            known = 1;
        }
    }
    for (size_t i = 0; i < count && !known; ++i)
        known = phdrs[i].p_type == PT_LOAD && (uintptr_t)phdrs >= phdrs[i].p_vaddr &&
                (uintptr_t)phdrs < phdrs[i].p_vaddr + phdrs[i].p_memsz;
    if (!known)
        return;
    for (size_t i = 0; i < count; ++i) {
        if (phdrs[i].p_type == PT_GNU_RELRO) {
            relro_start = (bias + phdrs[i].p_vaddr) & ~(uintptr_t)4095;
            relro_end = bias + phdrs[i].p_vaddr + phdrs[i].p_memsz;
        }
    }
    for (size_t i = 0; i < count; ++i) {
        const Elf64_Phdr* ph = &phdrs[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t first = bias + ph->p_vaddr;
        uintptr_t end = first + ph->p_memsz;
        for (uintptr_t page = first & ~(uintptr_t)4095; page < end; page += 4096) {
            volatile char* p = (volatile char*)(page > first ? page : first);
            char c = *p;
            int relro = (uintptr_t)p >= relro_start && (uintptr_t)p < relro_end;
            if ((ph->p_flags & PF_W) && !relro)
                *p = c;
        }
    }
}

/* Touch the next 64 KiB of the stack, so that a deep SUITE_TEARDOWN does
 * not grow it between the two readings. */
__attribute__((noinline, unused)) static void harness_touch_stack(void)
{
    volatile char pad[64 * 1024];
    for (size_t i = 0; i < sizeof pad; i += 512)
        pad[i] = 0;
}

/* Before the first reading: bring the parent's pages (stack, buffers, the
 * shared flag) to the state they keep, by forking once and writing. */
static inline void harness_warm_up(void)
{
    harness_touch_stack();
    harness_touch_program();
    void* page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page != MAP_FAILED) {
        harness_reported = (volatile int*)page;
        *harness_reported = 0;
    }
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid > 0)
        while (wait4(pid, 0, 0, 0) < 0 && errno == EINTR) {
        }
    if (harness_on_teachos())
        harness_drop_caches(); /* its first lookup of /proc/sys/vm may cache names */
    (void)harness_free_memory();
}

/* Milliseconds of the monotonic clock, for cases that measure a wait. */
__attribute__((unused)) static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for child `pid`; it must have exited with `expect_status`. */
__attribute__((unused)) static void wait_child(pid_t pid, int expect_status)
{
    int status;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), expect_status);
}

/* Sleep `ms` milliseconds, all of them even if a signal interrupts. */
__attribute__((unused)) static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Remove `path` and, if it is a directory, all below it: what a suite made
 * in its scratch directory, from SUITE_TEARDOWN before the leak check. It
 * reads directories with getdents64 into a stack buffer and builds names
 * on the stack: no malloc in the parent, whose heap would count against
 * the leak check. Not inline: gcc would unroll the recursion. */
__attribute__((noinline, unused)) static void harness_remove_tree(const char* path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0) {
        unlink(path);
        return;
    }
    char buf[2048] __attribute__((aligned(8)));
    long n;
    size_t path_len = strlen(path);
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            /* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            unsigned char type = (unsigned char)buf[off + 18];
            const char* name = buf + off + 19;
            off += reclen;
            if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                continue;
            char child[PATH_MAX];
            size_t name_len = strlen(name);
            if (path_len + 1 + name_len >= sizeof child)
                continue;
            memcpy(child, path, path_len);
            child[path_len] = '/';
            memcpy(child + path_len + 1, name, name_len + 1);
            if (type == 4 /* DT_DIR */)
                harness_remove_tree(child);
            else
                unlink(child);
        }
    }
    close(fd);
    rmdir(path);
}

/* Set by a suite whose cases page other processes out (swap_test): the
 * page daemon moves their pages to swap and frees the mapping structures
 * (reverse-map entries, page tables) of pages nobody touches again, so
 * free memory may end *higher* than it began without anything being
 * wrong. Lower is still a leak. */
static int harness_leak_up_is_ok;

/* The leak check line. Returns 1 if it passed. */
static inline int harness_leak_check(long long before, int on_teachos)
{
    struct harness_line line;
    harness_start_verdict(&line, "leak_check");
    if (!on_teachos) {
        harness_put(&line, "PASS (skipped: not teachos)");
        harness_send(&line);
        return 1;
    }
    harness_drop_caches();
    long long after = harness_free_memory();
    int passed = before >= 0 && (after == before || (harness_leak_up_is_ok && after > before));
    if (passed) {
        harness_put(&line, "PASS");
    } else if (before < 0 || after < 0) {
        harness_put(&line, "FAIL sysinfo failed");
    } else {
        harness_put(&line, "FAIL free memory ");
        harness_put(&line, after < before ? "down by " : "up by ");
        harness_put_int(&line, after < before ? before - after : after - before);
        harness_put(&line, " bytes (before ");
        harness_put_int(&line, before);
        harness_put(&line, ", after ");
        harness_put_int(&line, after);
        harness_put(&line, ")");
    }
    harness_send(&line);
    return passed;
}

/* The name RUN and TEST lines show: `suite`, or "TEST_FS.suite" when the
 * environment names a file system (run-all's second pass). */
static inline const char* harness_prefixed_name(const char* suite)
{
    static char name[128];
    if (!*test_fs())
        return suite;
    struct harness_line line;
    line.length = 0;
    harness_put(&line, test_fs());
    harness_put(&line, ".");
    harness_put(&line, suite);
    size_t n = line.length < sizeof name - 1 ? line.length : sizeof name - 1;
    memcpy(name, line.text, n);
    name[n] = 0;
    return name;
}

/* Run every registered case of `suite`. Returns 0 if all passed (and no leak), else 1. */
static inline int run_suite(const char* suite)
{
    harness_suite_name = harness_prefixed_name(suite);
    harness_warm_up();
    int on_teachos = harness_on_teachos();
    if (on_teachos)
        harness_drop_caches();
    long long before = on_teachos ? harness_free_memory() : 0;
    int failed = 0;
    if (harness_case_count > HARNESS_MAX_CASES) {
        struct harness_line line;
        harness_start_verdict(&line, "harness");
        harness_put(&line, "FAIL more than HARNESS_MAX_CASES cases");
        harness_send(&line);
        harness_case_count = HARNESS_MAX_CASES;
        failed = 1;
    }
    if (harness_setup)
        harness_setup();
    for (int i = 0; i < harness_case_count; ++i)
        if (!harness_run_case(&harness_cases[i]))
            failed = 1;
    if (harness_teardown)
        harness_teardown();
    if (!harness_leak_check(before, on_teachos))
        failed = 1;
    return failed;
}

#endif /* TEACHOS_TEST_HARNESS_H */
