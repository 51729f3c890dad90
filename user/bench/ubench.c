/* user/bench/ubench.c -- micro-benchmarks of the system-call interface, for teachos and Linux.
 *
 * One portable program: it builds unchanged with `gcc` for Linux and with
 * `musl-gcc -static` for teachos (the Makefile does the latter; `make bench`
 * runs it in the guest through scripts/run-in-guest, scripts/bench.sh). It
 * measures the four costs every Unix kernel course compares:
 *
 *   getpid_ns     a system call that does nothing: the round trip into the
 *                 kernel and back (syscall(SYS_getpid), so no C library can
 *                 cache the answer);
 *   fork_us       fork + _exit in the child + wait4 in the parent: copying an
 *                 address space copy-on-write, a process's whole life;
 *   vfork_us      the same with vfork: the child borrows the parent's address
 *                 space (nothing to copy), the parent waits for its _exit --
 *                 what fork costs beyond a process's bare life;
 *   exec_us       execve of a static binary: this program re-executes itself
 *                 ("ubench exec-chain N"), N times in one process, so the cost
 *                 is execve + the new image's start-up, without fork;
 *   fault_ns      an anonymous page fault: mmap 8 MiB, write one byte per page,
 *                 munmap; the time per page (zero-fill + mapping + unmapping).
 *
 * and, layer by layer, what one file system call costs before it moves any
 * data (each on a 64 KiB file in /tmp, a tmpfs on both kernels), so that a
 * gap to another kernel can be placed in the entry path, the descriptor
 * lookup, the file layer or the file system:
 *
 *   badfd_ns      pread on a descriptor that is not open (EBADF): entry plus
 *                 the descriptor lookup that fails;
 *   pread0_ns     pread of 0 bytes: a lookup that succeeds, the checks, the
 *                 file layer, no file-system work;
 *   pread1_ns     pread of 1 byte, each call another page: the whole read
 *                 path (node, page cache) around a 1-byte copy;
 *   fstat_ns      fstat: the lookup and the attributes copied out;
 *   stat_ns       stat of the file's path: a path copied in and looked up.
 *
 * Each checks its result (the byte read, the size stat reports); a wrong
 * one exits 1.
 *
 * Each is run RUNS times (default 7; `ubench -r RUNS`) and the median run
 * is printed, one line each, as "ubench NAME VALUE" -- timings under an
 * emulator are noisy, and the median ignores the odd slow run. Time comes
 * from clock_gettime(CLOCK_MONOTONIC).
 *
 * Sources: the lmbench suite (McVoy & Staelin, "lmbench: Portable Tools for
 * Performance Analysis", USENIX 1996: lat_syscall, lat_proc fork/exec,
 * lat_pagefault), whose method this follows in miniature; the man pages
 * clock_gettime(2), fork(2), execve(2), mmap(2), wait4(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 64

static int s_runs = 7;
static char s_self[4096]; /* this program's path, for execve */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int compare_doubles(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

/* Run `one` s_runs times; print the median of its results. */
static void report(const char* name, double (*one)(void))
{
    double results[MAX_RUNS];
    for (int i = 0; i < s_runs; i++)
        results[i] = one();
    qsort(results, s_runs, sizeof(double), compare_doubles);
    printf("ubench %s %.1f\n", name, results[s_runs / 2]);
    fflush(stdout);
}

/* ---- the benchmarks: each returns one run's cost per operation ---- */

static double getpid_ns(void)
{
    const int n = 20000;
    double start = now_ns();
    for (int i = 0; i < n; i++)
        syscall(SYS_getpid);
    return (now_ns() - start) / n;
}

static double spawn_us(int use_vfork)
{
    const int n = 100;
    volatile double start = now_ns();
    for (volatile int i = 0; i < n; i++) {  /* volatile: vfork's child runs in this frame */
        pid_t pid = use_vfork ? vfork() : fork();
        if (pid < 0) {
            perror("ubench: fork");
            exit(1);
        }
        if (pid == 0)
            _exit(0);
        int status;
        if (waitpid(pid, &status, 0) != pid) {
            perror("ubench: waitpid");
            exit(1);
        }
    }
    return (now_ns() - start) / n / 1e3;
}

static double fork_us(void) { return spawn_us(0); }
static double vfork_us(void) { return spawn_us(1); }

/* The re-executed program: execve itself `left` more times, then exit 0. */
static int exec_chain(int left)
{
    if (left <= 0)
        return 0;
    char count[16];
    snprintf(count, sizeof count, "%d", left - 1);
    char* argv[] = {s_self, "exec-chain", count, NULL};
    char* envp[] = {NULL};
    execve(s_self, argv, envp);
    perror("ubench: execve");
    return 1;
}

static double exec_us(void)
{
    const int n = 20;
    double start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("ubench: fork");
        exit(1);
    }
    if (pid == 0)
        _exit(exec_chain(n));
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "ubench: the exec chain failed (status 0x%x)\n", status);
        exit(1);
    }
    return (now_ns() - start) / n / 1e3;
}

static double fault_ns(void)
{
    const size_t size = 8u << 20;
    const long page = sysconf(_SC_PAGESIZE);
    double start = now_ns();
    char* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("ubench: mmap");
        exit(1);
    }
    for (size_t off = 0; off < size; off += page)
        p[off] = 1;
    munmap(p, size);
    return (now_ns() - start) / (size / page);
}

/* ---- what one file system call costs, layer by layer ---- */

#define FILE_PATH "/tmp/ubench.data"
#define FILE_PAGES 16
#define CALLS 20000
static int s_fd = -1;

static void make_file(void)
{
    char page[4096];
    s_fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (s_fd < 0) {
        perror("ubench: open " FILE_PATH);
        exit(1);
    }
    for (int i = 0; i < FILE_PAGES; i++) {
        memset(page, 'a' + i, sizeof page);
        if (write(s_fd, page, sizeof page) != sizeof page) {
            perror("ubench: write");
            exit(1);
        }
    }
}

static void check(int ok, const char* what)
{
    if (!ok) {
        printf("ubench: FAIL %s\n", what);
        exit(1);
    }
}

static double badfd_ns(void)
{
    char c;
    double start = now_ns();
    for (int i = 0; i < CALLS; i++)
        check(pread(1000, &c, 1, 0) == -1 && errno == EBADF, "pread of a closed descriptor");
    return (now_ns() - start) / CALLS;
}

static double pread0_ns(void)
{
    char c;
    double start = now_ns();
    for (int i = 0; i < CALLS; i++)
        check(pread(s_fd, &c, 0, 0) == 0, "pread of 0 bytes");
    return (now_ns() - start) / CALLS;
}

static double pread1_ns(void)
{
    char c;
    double start = now_ns();
    for (int i = 0; i < CALLS; i++) {
        int page = i % FILE_PAGES;
        check(pread(s_fd, &c, 1, (off_t)page * 4096) == 1 && c == 'a' + page, "pread of 1 byte");
    }
    return (now_ns() - start) / CALLS;
}

static double fstat_ns(void)
{
    struct stat st;
    double start = now_ns();
    for (int i = 0; i < CALLS; i++)
        check(fstat(s_fd, &st) == 0 && st.st_size == FILE_PAGES * 4096, "fstat");
    return (now_ns() - start) / CALLS;
}

static double stat_ns(void)
{
    struct stat st;
    double start = now_ns();
    for (int i = 0; i < CALLS; i++)
        check(stat(FILE_PATH, &st) == 0 && st.st_size == FILE_PAGES * 4096, "stat");
    return (now_ns() - start) / CALLS;
}

/* ---- finding ourselves for execve ---- */

/* argv[0] as a path execve takes: itself if it has a '/', else its place
 * in $PATH (a shell runs "ubench" by searching PATH, and execve does not). */
static int find_self(const char* argv0)
{
    if (strchr(argv0, '/')) {
        snprintf(s_self, sizeof s_self, "%s", argv0);
        return 0;
    }
    const char* path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        snprintf(s_self, sizeof s_self, "%.*s/%s", (int)len, path, argv0);
        if (access(s_self, X_OK) == 0)
            return 0;
        path += len + (path[len] == ':');
    }
    return -1;
}

int main(int argc, char** argv)
{
    if (argc == 3 && strcmp(argv[1], "exec-chain") == 0) {
        snprintf(s_self, sizeof s_self, "%s", argv[0]);
        return exec_chain(atoi(argv[2]));
    }
    if (argc == 3 && strcmp(argv[1], "-r") == 0)
        s_runs = atoi(argv[2]);
    else if (argc != 1) {
        fprintf(stderr, "usage: %s [-r RUNS]\n", argv[0]);
        return 2;
    }
    if (s_runs < 1 || s_runs > MAX_RUNS) {
        fprintf(stderr, "ubench: RUNS must be 1-%d\n", MAX_RUNS);
        return 2;
    }
    if (find_self(argv[0]) != 0) {
        fprintf(stderr, "ubench: cannot find %s in PATH\n", argv[0]);
        return 1;
    }
    printf("ubench runs %d\n", s_runs);
    report("getpid_ns", getpid_ns);
    report("fork_us", fork_us);
    report("vfork_us", vfork_us);
    report("exec_us", exec_us);
    report("fault_ns", fault_ns);
    make_file();
    report("badfd_ns", badfd_ns);
    report("pread0_ns", pread0_ns);
    report("pread1_ns", pread1_ns);
    report("fstat_ns", fstat_ns);
    report("stat_ns", stat_ns);
    close(s_fd);
    unlink(FILE_PATH);
    return 0;
}
