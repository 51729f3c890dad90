/* user/tests/swap_helpers.h -- what the cases of swap_test.c share: /proc
 * readings, the swap device, timing, patterned pages and files, children.
 * Included once, by swap_test.c (static functions: one copy in one program). */
#ifndef TEACHOS_SWAP_HELPERS_H
#define TEACHOS_SWAP_HELPERS_H

#include "harness.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#define PAGE 4096
#define WORDS_PER_PAGE (PAGE / 8)
#define SWAP_DEVICE "/dev/vda"
/* Linux's swap header: the signature is the last 10 bytes of page 0
 * (include/linux/swap.h, union swap_header). */
#define SWAP_MAGIC "SWAPSPACE2"
#define SWAP_MAGIC_OFFSET (PAGE - 10)

static char s_file[300];   /* a regular file without a swap header */
static char s_mnt[300];    /* the tmpfs case's mount point */
static long long s_started_ms;

/* ---- /proc readings ---- */

/* The number after "key" in /proc file `path` (meminfo's "Key:" or
 * vmstat's "key "), or -1 if the file or the key is missing. */
static long long proc_value(const char* path, const char* key)
{
    static char buf[16384];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    close(fd);
    buf[len] = 0;
    size_t key_len = strlen(key);
    for (char* line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
        if (strncmp(line, key, key_len) != 0)
            continue;
        char* p = line + key_len;
        if (*p == ':')
            ++p;
        if (*p != ' ')
            continue; /* a longer key with this prefix */
        return strtoll(p, 0, 10);
    }
    return -1;
}

/* /proc/meminfo's `key` in bytes (it says kB). */
static long long meminfo(const char* key)
{
    long long kb = proc_value("/proc/meminfo", key);
    return kb < 0 ? -1 : kb * 1024;
}

static long long vmstat(const char* key)
{
    return proc_value("/proc/vmstat", key);
}

/* ---- the swap device ---- */

static long sys_swapon(const char* path, long flags)
{
    return syscall(SYS_swapon, path, flags);
}

static long sys_swapoff(const char* path)
{
    return syscall(SYS_swapoff, path);
}

/* A heavy case needs the swap the boot enabled. */
static void require_swap(void)
{
    if (meminfo("SwapTotal") <= 0)
        harness_fail(__FILE__, __LINE__, "no swap: SwapTotal is 0 (did the boot run swapon " SWAP_DEVICE
                     "? did an earlier case leave it off?)");
}

/* `what` returned `r` with errno `e`: it must have been 0. */
#define EXPECT_OK(r, e, what)                                                              \
    do {                                                                                   \
        if ((r) != 0) {                                                                    \
            char why_[160];                                                                \
            snprintf(why_, sizeof why_, "%s failed: %ld errno %s", (what), (long)(r),      \
                     harness_errno_name(e));                                               \
            harness_fail(__FILE__, __LINE__, why_);                                        \
        }                                                                                  \
    } while (0)

/* ---- timing ---- */

/* Start a case that may take long under TCG: its own timeout instead of
 * the harness's 10 s (which a case may reset: the alarm is per process). */
static void begin(unsigned seconds)
{
    s_started_ms = now_ms();
#ifdef SYS_alarm
    syscall(SYS_alarm, seconds);
#else
    (void)seconds;
#endif
}

/* "swap: CASE took N.N s (NOTE)" -- not a TEST line: the counts ignore it. */
static void report_time(const char* note)
{
    long long ms = now_ms() - s_started_ms;
    char line[300];
    int n = snprintf(line, sizeof line, "swap: %s took %lld.%lld s (%s)\n", harness_case_name, ms / 1000,
                     ms % 1000 / 100, note);
    if (n > 0)
        (void)!write(1, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* ---- patterns in memory ---- */

/* The word at `word` of page `page` for `seed`: every page different, and
 * different for every seed (a stale or misplaced page shows). */
static inline uint64_t pattern(uint64_t page, uint64_t word, uint64_t seed)
{
    uint64_t x = (page << 9 | word) + seed * 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 29);
}

/* Which seed page `page` holds: `odd` for odd pages, `even` for the rest. */
static inline uint64_t seed_of(uint64_t page, uint64_t even, uint64_t odd)
{
    return (page & 1) ? odd : even;
}

static void* map_anon(size_t bytes)
{
    void* p = mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? 0 : p;
}

/* Write pages [0, pages) of `p`, every `step`-th from `first`, with `seed`. */
static void fill(uint64_t* p, size_t pages, size_t first, size_t step, uint64_t seed)
{
    for (size_t i = first; i < pages; i += step) {
        uint64_t* w = p + i * WORDS_PER_PAGE;
        for (size_t j = 0; j < WORDS_PER_PAGE; ++j)
            w[j] = pattern(i, j, seed);
    }
}

/* Compare every word of pages [0, pages) with the pattern (seed_of gives
 * each page's seed). Returns 1 if all match; else prints the first
 * difference ("swap: ... page N word W ...", not a TEST line) and
 * returns 0. Used by the cases' children, which report by exit status:
 * a FAIL line from them would count as one more failure. */
static int verify(const uint64_t* p, size_t pages, uint64_t even, uint64_t odd, const char* who)
{
    for (size_t i = 0; i < pages; ++i) {
        const uint64_t* w = p + i * WORDS_PER_PAGE;
        uint64_t seed = seed_of(i, even, odd);
        for (size_t j = 0; j < WORDS_PER_PAGE; ++j) {
            if (w[j] != pattern(i, j, seed)) {
                char line[300];
                int n = snprintf(line, sizeof line,
                                 "swap: %s: %s: page %zu of %zu, word %zu: %#llx, expected %#llx\n",
                                 harness_case_name, who, i, pages, j, (unsigned long long)w[j],
                                 (unsigned long long)pattern(i, j, seed));
                if (n > 0)
                    (void)!write(1, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
                return 0;
            }
        }
    }
    return 1;
}

/* Exit statuses of the cases' children. */
enum { CHILD_OK = 0, CHILD_NO_MEMORY = 2, CHILD_BAD_DATA = 3, CHILD_PIPE = 4 };

/* Wait for child `pid` (what it is: `who`); it must have exited with
 * CHILD_OK. `usage`, if not null, gets its resource usage. */
static void expect_child_ok(pid_t pid, const char* who, struct rusage* usage)
{
    int status = 0;
    pid_t got;
    do
        got = wait4(pid, &status, 0, usage);
    while (got < 0 && errno == EINTR);
    char why[200];
    if (got != pid)
        snprintf(why, sizeof why, "wait4 for %s failed: %s", who, harness_errno_name(errno));
    else if (WIFSIGNALED(status))
        snprintf(why, sizeof why, "%s was killed by signal %d", who, WTERMSIG(status));
    else if (WEXITSTATUS(status) == CHILD_NO_MEMORY)
        snprintf(why, sizeof why, "%s could not map its memory", who);
    else if (WEXITSTATUS(status) == CHILD_BAD_DATA)
        snprintf(why, sizeof why, "%s read back wrong data (the line above says where)", who);
    else if (WEXITSTATUS(status) != CHILD_OK)
        snprintf(why, sizeof why, "%s exited with status %d", who, WEXITSTATUS(status));
    else
        return;
    harness_fail(__FILE__, __LINE__, why);
}

/* A child (`who`) fills `bytes` of anonymous memory with `seed` and exits:
 * memory pressure that pushes other pages -- the caller's, a server's --
 * out to swap. It must exit CHILD_OK. */
static void push_memory_out(long long bytes, uint64_t seed, const char* who)
{
    pid_t pid = fork();
    EXPECT(pid >= 0);
    if (pid == 0) {
        size_t pages = (size_t)(bytes / PAGE);
        uint64_t* p = map_anon(pages * PAGE);
        if (!p)
            _exit(CHILD_NO_MEMORY);
        fill(p, pages, 0, 1, seed);
        _exit(CHILD_OK);
    }
    expect_child_ok(pid, who, 0);
}

/* Read one byte from `fd` (a child's "ready" or a parent's "go"). */
static int wait_byte(int fd)
{
    char c;
    ssize_t n;
    do
        n = read(fd, &c, 1);
    while (n < 0 && errno == EINTR);
    return n == 1;
}

static void send_byte(int fd)
{
    (void)!write(fd, "x", 1);
}

/* Poll until SwapFree is at least `want` (the dead process's slots are
 * freed as it exits, but on Linux some only when reclaim gets to their
 * swap-cache page), at most `ms`. Returns the last reading. */
static long long swap_free_at_least(long long want, long ms)
{
    long long now = meminfo("SwapFree");
    for (long waited = 0; now < want && waited < ms; waited += 100) {
        sleep_ms(100);
        now = meminfo("SwapFree");
    }
    return now;
}

/* The checks after a process that used swap has gone: its slots and its
 * pages are free again, within the margin (see the top of the file). */
static void expect_all_back(long long swap_free_before, long long mem_free_before)
{
    long long margin = meminfo("MemTotal") / 16;
    long long swap_free = swap_free_at_least(swap_free_before - margin, 5000);
    if (swap_free < swap_free_before - margin) {
        char why[200];
        snprintf(why, sizeof why, "swap slots not freed: SwapFree %lld kB, %lld kB before (margin %lld kB)",
                 swap_free / 1024, swap_free_before / 1024, margin / 1024);
        harness_fail(__FILE__, __LINE__, why);
    }
    long long mem_free = meminfo("MemFree");
    if (mem_free < mem_free_before - margin) {
        char why[200];
        snprintf(why, sizeof why, "memory not freed: MemFree %lld kB, %lld kB before (margin %lld kB)",
                 mem_free / 1024, mem_free_before / 1024, margin / 1024);
        harness_fail(__FILE__, __LINE__, why);
    }
}


/* ---- files: patterned writes and checked reads (tmpfs, MFS) ---- */

#define TMPFS_FILES 8
#define IO_CHUNK (64 * 1024)

/* A simple running checksum of 64-bit words. */
static uint64_t checksum_add(uint64_t sum, const uint64_t* w, size_t words)
{
    for (size_t i = 0; i < words; ++i)
        sum = (sum ^ w[i]) * 0x100000001B3ull;
    return sum;
}

/* Write file `k` (`bytes` long, its pages patterned with seed k) and
 * return its checksum; 0 and errno on a failed write. */
static uint64_t write_file(int k, size_t bytes, const char* path)
{
    static uint64_t buf[IO_CHUNK / 8];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return 0;
    uint64_t sum = 1;
    for (size_t off = 0; off < bytes; off += IO_CHUNK) {
        for (size_t w = 0; w < IO_CHUNK / 8; ++w)
            buf[w] = pattern((off + w * 8) / PAGE, w % WORDS_PER_PAGE, 0x7f00 + (uint64_t)k);
        if (write(fd, buf, IO_CHUNK) != IO_CHUNK) {
            close(fd);
            return 0;
        }
        sum = checksum_add(sum, buf, IO_CHUNK / 8);
    }
    close(fd);
    return sum;
}

/* Read file `path` back: its checksum, and whether every word is the
 * pattern write_file wrote (`*exact`). */
static uint64_t read_file(int k, size_t bytes, const char* path, int* exact)
{
    static uint64_t buf[IO_CHUNK / 8];
    *exact = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    uint64_t sum = 1;
    int same = 1;
    for (size_t off = 0; off < bytes; off += IO_CHUNK) {
        if (read(fd, buf, IO_CHUNK) != IO_CHUNK) {
            close(fd);
            return 0;
        }
        for (size_t w = 0; w < IO_CHUNK / 8 && same; ++w)
            same = buf[w] == pattern((off + w * 8) / PAGE, w % WORDS_PER_PAGE, 0x7f00 + (uint64_t)k);
        sum = checksum_add(sum, buf, IO_CHUNK / 8);
    }
    close(fd);
    *exact = same;
    return sum;
}

#endif /* TEACHOS_SWAP_HELPERS_H */
