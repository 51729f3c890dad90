/* user/bench/fsbench.c -- file-system throughput, the same binary on teachos and on Linux.
 *
 * One portable program (gcc for Linux, `musl-gcc -static` for teachos; the
 * Makefile builds the latter, scripts/bench.sh runs it on both kernels in
 * the same QEMU). In a directory (default /tmp; a tmpfs on both kernels) it
 * measures what a file system's data path costs a program:
 *
 *   write_new_SZ   write a new FILE_MB-MiB file in SZ-byte write(2) calls
 *                  (pages allocated on the way: the first-write path);
 *   write_fsync_SZ the same, then fsync(2), timed together: the data made
 *                  durable -- the MFS paper's two-copy path once MFS exists
 *                  (on tmpfs fsync has nothing to do, so it is write_new);
 *   overwrite_SZ   write the same file again from offset 0 (pages exist);
 *   read_SZ        read it whole in SZ-byte read(2) calls (cached pages);
 *   read_cold_SZ   the same after the file's cached pages were dropped
 *                  (untimed: fsync, sync(2), then "3" written to
 *                  /proc/sys/vm/drop_caches, as Linux has it): the read
 *                  goes to the file system's store -- the disk (md) for
 *                  FFS, the server's memory for MFS. On tmpfs the pages
 *                  are the data and stay, so it is read_SZ again. If the
 *                  drop fails (no such file, not root) the rows are warm
 *                  reads, and fsbench says so once ("fsbench: note ...");
 *   memcpy_SZ      memcpy of the same amount in SZ-byte pieces from a
 *                  FILE_MB-MiB buffer into an SZ-byte one: what read_SZ
 *                  would cost if the kernel were free, with the C library's
 *                  copy (musl's is `rep movsq`, which QEMU's TCG runs one
 *                  element at a time, so under TCG it understates the limit);
 *   copy_SZ        the same pieces copied by copy_pieces below, an unrolled
 *                  loop of 8-byte moves in plain C -- the best user-space
 *                  copy of this (emulated) CPU, the copy limit that the MFS
 *                  paper's "percent of memcpy" means;
 *   read_random_4096  FILE_MB-MiB read in 4 KiB pread(2)s at random
 *                  4 KiB-aligned offsets (a fixed-seed generator: the same
 *                  offsets on every kernel and every run): page lookups
 *                  with no read-ahead to help;
 *   create, stat, unlink  NFILES empty files made with open(O_CREAT|O_EXCL)
 *                  and closed, each then stat(2)ed, then all removed with
 *                  unlink(2): operations per second;
 *
 * for SZ = 4 KiB, 64 KiB and 1 MiB. Throughput is in MB/s (10^6 bytes).
 * Each case is run RUNS times and the median run is printed, one line each:
 *
 *   fsbench read_65536 2583.1 MB/s
 *
 * With -l LABEL (the file system's name, e.g. "ffs") every case's name
 * gets the prefix LABEL_, so one boot can run fsbench on several file
 * systems and the report tell their rows apart:
 *
 *   fsbench ffs_read_65536 1210.4 MB/s
 *
 * Unlabelled rows are the reference file system's (tmpfs in /tmp), the
 * names scripts/bench-table.py matches between teachos and Linux.
 *
 * No case can be fast by being wrong: every byte written is a function of
 * its offset (pattern_word), every write and read must move the whole count,
 * a read run checks the first word of every chunk (or random block) as it
 * goes, and after the runs the whole file is read back and compared
 * (untimed); the copies compare their last piece with its source. stat
 * checks that every name is an empty regular file, unlink that the
 * directory is empty afterwards. Any mismatch prints "fsbench: FAIL ..." and
 * exits 1 -- a benchmark's wrong answer must not look like a number. A
 * labelled run says whose failure it is: "fsbench: FAIL [ffs] ...", so the
 * report can drop that file system's rows and keep the others.
 *
 * With -k FILE (an MFS mount's /proc/fs/mfs/UNIT: lines "requests N",
 * "inline_requests N", "bytes N", "wakeups N", "discards N"), FILE is read
 * just before and just after every timed run of the data-path cases (the
 * reads are outside the timed span) and each case prints what its timed
 * runs cost the MFS server, with the file blocks (4 KiB) they moved:
 *
 *   fsbench: counters mfs_read_cold_4096 blocks 12288 requests 3072 ...
 *
 * -- requests and wakeups (a switch to the server and back) per block, the
 * paper's "copy, switch, copy, switch". A FILE that cannot be read is said
 * once ("fsbench: note ...") and no counters are printed.
 *
 * Usage: fsbench [-r RUNS] [-m FILE_MB] [-n NFILES] [-c CASES] [-l LABEL] [-k FILE] [DIR]
 * (CASES: a comma list of prefixes of the unlabelled names, e.g.
 * "read,write"; default all. LABEL: lower-case letters and digits.)
 *
 * Sources: the method of lmbench's bw_file_rd and lat_fs (McVoy & Staelin,
 * USENIX 1996) and of Bonnie's block write/rewrite/read; the MFS paper's
 * measurement (McKusick, Karels, Bostic 1990) is throughput against memcpy,
 * which memcpy_SZ and copy_SZ give (the report draws the paper's line
 * against the faster of the two). docs/bench.md explains how to read the numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#define MAX_RUNS 64
#define MIB (1024 * 1024)

static int s_runs = 5;
static size_t s_file_bytes = 64 * MIB;
static int s_nfiles = 10000;
static const char* s_cases = "";
static const char* s_dir = "/tmp";
static const char* s_label = "";  /* -l: the rows' prefix without its '_' */
static const char* s_counters = "";  /* -k: an MFS device's counters file */
static char s_path[4096];

static const size_t SIZES[] = {4096, 65536, 1024 * 1024};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

/* Prints "fsbench: FAIL WHAT (why)" and exits 1. fail() is for a call that
 * failed (why: errno), wrong_data() for a check of the data that did not
 * hold (why: "wrong data", whatever an earlier call left in errno). */
static void fail(const char* what)
{
    const char* why = errno ? strerror(errno) : "wrong data";
    if (*s_label)
        printf("fsbench: FAIL [%s] %s (%s)\n", s_label, what, why);
    else
        printf("fsbench: FAIL %s (%s)\n", what, why);
    fflush(stdout);
    exit(1);
}

static void wrong_data(const char* what)
{
    errno = 0;
    fail(what);
}

/* The 8-byte word stored at byte offset `off` (a multiple of 8) of the file,
 * in generation `gen`: overwrite runs store a different generation, so a
 * write that did not reach the file is caught by the read-back. */
static uint64_t pattern_word(uint64_t off, uint64_t gen)
{
    return (off * 0x9e3779b97f4a7c15ull) ^ (gen << 56) ^ 0x5bd1e995ull;
}

static void fill_chunk(uint64_t* chunk, size_t bytes, uint64_t off, uint64_t gen)
{
    for (size_t i = 0; i < bytes / 8; i++)
        chunk[i] = pattern_word(off + i * 8, gen);
}

/* Is this case (its unlabelled name) selected by -c? */
static int wanted(const char* name)
{
    if (!*s_cases)
        return 1;
    const char* p = s_cases;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n && strncmp(name, p, n) == 0)
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* Print the median of `runs` results, each in `unit`, under the case's
 * name with the label's prefix (if -l gave one). */
static void report(const char* name, double* results, const char* unit)
{
    qsort(results, s_runs, sizeof(double), compare_doubles);
    printf("fsbench %s%s%s %.1f %s\n", s_label, *s_label ? "_" : "", name, results[s_runs / 2], unit);
    fflush(stdout);
}

/* Says something that changes how to read the rows (not a failure):
 * "fsbench: note [LABEL] TEXT". */
static void note(const char* text)
{
    if (*s_label)
        printf("fsbench: note [%s] %s\n", s_label, text);
    else
        printf("fsbench: note %s\n", text);
    fflush(stdout);
}

/* ---- the MFS server's counters (-k) ---- */

/* The counters of /proc/fs/mfs/UNIT, in the order of that file's lines. */
static const char* const COUNTER_NAMES[] = {"requests", "inline_requests", "bytes", "wakeups", "discards"};
#define NCOUNTERS (sizeof(COUNTER_NAMES) / sizeof(COUNTER_NAMES[0]))

static uint64_t s_counted[NCOUNTERS];  /* the timed runs' sums, since counters_reset */
static uint64_t s_counted_at[NCOUNTERS];  /* the values at counters_start */

/* Reads the -k file into `out`. Returns 0, or -1 when there is no file to
 * read (then -k is turned off, and a note says so once). */
static int counters_read(uint64_t* out)
{
    if (!*s_counters)
        return -1;
    FILE* f = fopen(s_counters, "r");
    if (!f) {
        char text[4200];
        snprintf(text, sizeof text, "no MFS counters: %s: %s", s_counters, strerror(errno));
        note(text);
        s_counters = "";
        return -1;
    }
    char key[32];
    unsigned long long value;
    memset(out, 0, NCOUNTERS * sizeof(uint64_t));
    while (fscanf(f, "%31s %llu", key, &value) == 2) {
        for (size_t i = 0; i < NCOUNTERS; i++)
            if (strcmp(key, COUNTER_NAMES[i]) == 0)
                out[i] = value;
    }
    fclose(f);
    return 0;
}

static void counters_reset(void)
{
    memset(s_counted, 0, sizeof s_counted);
}

/* Just before a timed span. */
static void counters_start(void)
{
    counters_read(s_counted_at);
}

/* Just after it: the span's share is added to s_counted. */
static void counters_stop(void)
{
    uint64_t now[NCOUNTERS];
    if (counters_read(now) != 0)
        return;
    for (size_t i = 0; i < NCOUNTERS; i++)
        s_counted[i] += now[i] - s_counted_at[i];
}

/* After a case's timed runs: one "fsbench: counters" line, with the 4 KiB
 * blocks of file data the runs moved. */
static void counters_report(const char* name)
{
    if (!*s_counters)
        return;
    printf("fsbench: counters %s%s%s blocks %llu", s_label, *s_label ? "_" : "", name,
           (unsigned long long)(s_runs * (s_file_bytes / 4096)));
    for (size_t i = 0; i < NCOUNTERS; i++)
        printf(" %s %llu", COUNTER_NAMES[i], (unsigned long long)s_counted[i]);
    printf("\n");
    fflush(stdout);
}

/* ---- the data path: write, overwrite, read ---- */

/* The whole file written from `image` in `chunk_bytes` calls (a new file if
 * `fresh`, else over the old one from offset 0), then fsync(2)ed if `sync`.
 * Returns the seconds the writes (and the fsync) took. The image is built
 * before any clock runs. */
static double write_file(size_t chunk_bytes, int fresh, int sync, const uint64_t* image)
{
    if (fresh)
        unlink(s_path);
    int fd = open(s_path, O_WRONLY | O_CREAT | (fresh ? O_EXCL : 0), 0644);
    if (fd < 0)
        fail("open for writing");
    counters_start();
    double start = now_s();
    for (size_t off = 0; off < s_file_bytes; off += chunk_bytes) {
        if (write(fd, (const char*)image + off, chunk_bytes) != (ssize_t)chunk_bytes)
            fail("write");
    }
    if (sync && fsync(fd) != 0)
        fail("fsync");
    double took = now_s() - start;
    counters_stop();
    if (close(fd) != 0)
        fail("close after writing");
    return took;
}

static double read_file(size_t chunk_bytes, uint64_t gen, uint64_t* chunk)
{
    int fd = open(s_path, O_RDONLY);
    if (fd < 0)
        fail("open for reading");
    counters_start();
    double start = now_s();
    for (size_t off = 0; off < s_file_bytes; off += chunk_bytes) {
        if (read(fd, chunk, chunk_bytes) != (ssize_t)chunk_bytes)
            fail("read");
        if (chunk[0] != pattern_word(off, gen))
            wrong_data("read: first word of a chunk");
    }
    double took = now_s() - start;
    counters_stop();
    close(fd);
    return took;
}

/* splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a tiny generator whose sequence depends only
 * on its seed, so every kernel and every run reads the same offsets. */
static uint64_t next_random(uint64_t* state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#define RANDOM_BLOCK 4096
#define RANDOM_SEED 0x5eed5eedull

/* As many RANDOM_BLOCK preads as the file has blocks, each at a random
 * block-aligned offset, checking each block's first word. Returns the
 * seconds they took. */
static double read_random_file(uint64_t gen, uint64_t* chunk)
{
    int fd = open(s_path, O_RDONLY);
    if (fd < 0)
        fail("open for reading");
    uint64_t state = RANDOM_SEED, blocks = s_file_bytes / RANDOM_BLOCK;
    counters_start();
    double start = now_s();
    for (uint64_t n = 0; n < blocks; n++) {
        uint64_t off = next_random(&state) % blocks * RANDOM_BLOCK;
        if (pread(fd, chunk, RANDOM_BLOCK, (off_t)off) != RANDOM_BLOCK)
            fail("pread");
        if (chunk[0] != pattern_word(off, gen))
            wrong_data("read_random: first word of a block");
    }
    double took = now_s() - start;
    counters_stop();
    close(fd);
    return took;
}

/* Copies `bytes` (a multiple of 64) from `src` to `dst`, both 8-byte
 * aligned, as eight 8-byte loads and then eight 8-byte stores per iteration:
 * the kernel's own copy loop (arch/x86_64/copy_loops.h) in plain C. Under
 * QEMU's TCG this beat both musl's memcpy and a loop of 16-byte SSE moves
 * (on teachos, 2026-12-07: 2.3-3.3 GB/s at 4 KiB against 1.0-1.7 for
 * SSE). The optimize attribute keeps it that way: GCC must neither see the
 * loop as a copy and call memcpy instead -- the very thing this copy is
 * beside -- nor vectorise it into SSE moves. */
__attribute__((noinline, optimize("no-tree-loop-distribute-patterns", "no-tree-vectorize")))
static void copy_pieces(void* dst, const void* src, size_t bytes)
{
    uint64_t* d = dst;
    const uint64_t* s = src;
    for (size_t i = 0; i < bytes / 8; i += 8) {
        uint64_t w0 = s[i], w1 = s[i + 1], w2 = s[i + 2], w3 = s[i + 3];
        uint64_t w4 = s[i + 4], w5 = s[i + 5], w6 = s[i + 6], w7 = s[i + 7];
        d[i] = w0;
        d[i + 1] = w1;
        d[i + 2] = w2;
        d[i + 3] = w3;
        d[i + 4] = w4;
        d[i + 5] = w5;
        d[i + 6] = w6;
        d[i + 7] = w7;
    }
}

/* The FILE_MB-MiB image copied into `chunk` in `sz`-byte pieces, with the C
 * library's memcpy or with copy_pieces; the last piece is compared with its
 * source. Returns the seconds the copies took. */
static double copy_file_image(size_t sz, int libc, const uint64_t* image, uint64_t* chunk)
{
    double start = now_s();
    for (size_t off = 0; off < s_file_bytes; off += sz) {
        if (libc)
            memcpy(chunk, (const char*)image + off, sz);
        else
            copy_pieces(chunk, (const char*)image + off, sz);
        __asm__ volatile("" : : "r"(chunk) : "memory");  /* keep the copy */
    }
    double took = now_s() - start;
    if (memcmp(chunk, (const char*)image + s_file_bytes - sz, sz) != 0)
        wrong_data(libc ? "memcpy" : "copy");
    return took;
}

/* The untimed check after a case: every word of the file. */
static void verify_file(uint64_t gen, uint64_t* chunk)
{
    int fd = open(s_path, O_RDONLY);
    if (fd < 0)
        fail("open for verifying");
    for (size_t off = 0; off < s_file_bytes; off += MIB) {
        if (read(fd, chunk, MIB) != MIB)
            fail("read while verifying");
        for (size_t i = 0; i < MIB / 8; i++)
            if (chunk[i] != pattern_word(off + i * 8, gen))
                wrong_data("verify: a word of the file differs from what was written");
    }
    char extra;
    if (read(fd, &extra, 1) != 0)
        wrong_data("verify: the file is longer than written");
    close(fd);
}

/* Drops the clean cached pages of every file system, the file's among
 * them (it is closed, and fsynced by its writer): sync(2), then "3" to
 * /proc/sys/vm/drop_caches. Returns 0, or -1 if the kernel would not (the
 * first failure is noted: the read_cold rows are then warm reads). */
static int drop_caches(void)
{
    static int s_said;
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    int ok = fd >= 0 && write(fd, "3\n", 2) == 2;
    int saved = errno;
    if (fd >= 0)
        close(fd);
    if (!ok && !s_said) {
        char text[256];
        snprintf(text, sizeof text, "read_cold: cannot drop the page cache (/proc/sys/vm/drop_caches: %s): "
                 "the read_cold rows are warm reads", strerror(saved));
        note(text);
        s_said = 1;
    }
    return ok ? 0 : -1;
}

static void bench_data_path(const uint64_t* image, const uint64_t* image2, uint64_t* chunk)
{
    double mb = s_file_bytes / 1e6, results[MAX_RUNS];
    char name[64];
    for (size_t s = 0; s < sizeof(SIZES) / sizeof(SIZES[0]); s++) {
        size_t sz = SIZES[s];
        snprintf(name, sizeof name, "write_new_%zu", sz);
        if (wanted(name)) {
            counters_reset();
            for (int r = 0; r < s_runs; r++)
                results[r] = mb / write_file(sz, 1, 0, image);
            verify_file(1, chunk);
            report(name, results, "MB/s");
            counters_report(name);
        }
        snprintf(name, sizeof name, "write_fsync_%zu", sz);
        if (wanted(name)) {
            counters_reset();
            for (int r = 0; r < s_runs; r++)
                results[r] = mb / write_file(sz, 1, 1, image);
            verify_file(1, chunk);
            report(name, results, "MB/s");
            counters_report(name);
        }
        snprintf(name, sizeof name, "overwrite_%zu", sz);
        if (wanted(name)) {
            write_file(MIB, 1, 0, image);
            counters_reset();
            for (int r = 0; r < s_runs; r++)  /* alternate generations */
                results[r] = mb / write_file(sz, 0, 0, r % 2 ? image : image2);
            verify_file(s_runs % 2 ? 2 : 1, chunk);
            report(name, results, "MB/s");
            counters_report(name);
        }
        snprintf(name, sizeof name, "read_%zu", sz);
        if (wanted(name)) {
            write_file(MIB, 1, 0, image);
            counters_reset();
            for (int r = 0; r < s_runs; r++)
                results[r] = mb / read_file(sz, 1, chunk);
            verify_file(1, chunk);
            report(name, results, "MB/s");
            counters_report(name);
        }
        snprintf(name, sizeof name, "read_cold_%zu", sz);
        if (wanted(name)) {
            write_file(MIB, 1, 1, image);  /* fsynced: the drop's sync has nothing to write */
            counters_reset();
            for (int r = 0; r < s_runs; r++) {
                drop_caches();
                results[r] = mb / read_file(sz, 1, chunk);
            }
            verify_file(1, chunk);
            report(name, results, "MB/s");
            counters_report(name);
        }
        snprintf(name, sizeof name, "memcpy_%zu", sz);
        if (wanted(name)) {
            for (int r = 0; r < s_runs; r++)
                results[r] = mb / copy_file_image(sz, 1, image, chunk);
            report(name, results, "MB/s");
        }
        snprintf(name, sizeof name, "copy_%zu", sz);
        if (wanted(name)) {
            for (int r = 0; r < s_runs; r++)
                results[r] = mb / copy_file_image(sz, 0, image, chunk);
            report(name, results, "MB/s");
        }
    }
    snprintf(name, sizeof name, "read_random_%d", RANDOM_BLOCK);
    if (wanted(name)) {
        write_file(MIB, 1, 0, image);
        counters_reset();
        for (int r = 0; r < s_runs; r++)
            results[r] = mb / read_random_file(1, chunk);
        verify_file(1, chunk);
        report(name, results, "MB/s");
        counters_report(name);
    }
    unlink(s_path);
}

/* ---- metadata: create, stat and unlink ---- */

static void file_name(char* out, size_t n, int i)
{
    snprintf(out, n, "%s/fsbench.d/f%05d", s_dir, i);
}

static void bench_metadata(void)
{
    double create_rate[MAX_RUNS], stat_rate[MAX_RUNS], unlink_rate[MAX_RUNS];
    char dir[4200], name[4200];
    if (!wanted("create") && !wanted("stat") && !wanted("unlink"))
        return;
    snprintf(dir, sizeof dir, "%s/fsbench.d", s_dir);
    for (int r = 0; r < s_runs; r++) {
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            fail("mkdir");
        double start = now_s();
        for (int i = 0; i < s_nfiles; i++) {
            file_name(name, sizeof name, i);
            int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd < 0 || close(fd) != 0)
                fail("create");
        }
        create_rate[r] = s_nfiles / (now_s() - start);
        struct stat st;
        start = now_s();
        for (int i = 0; i < s_nfiles; i++) {
            file_name(name, sizeof name, i);
            if (stat(name, &st) != 0)
                fail("stat: a file made is missing");
            if (!S_ISREG(st.st_mode) || st.st_size != 0)
                wrong_data("stat: a file made is not an empty regular file");
        }
        stat_rate[r] = s_nfiles / (now_s() - start);
        start = now_s();
        for (int i = 0; i < s_nfiles; i++) {
            file_name(name, sizeof name, i);
            if (unlink(name) != 0)
                fail("unlink");
        }
        unlink_rate[r] = s_nfiles / (now_s() - start);
        if (rmdir(dir) != 0)
            fail("unlink: the directory is not empty afterwards");
    }
    if (wanted("create"))
        report("create", create_rate, "ops/s");
    if (wanted("stat"))
        report("stat", stat_rate, "ops/s");
    if (wanted("unlink"))
        report("unlink", unlink_rate, "ops/s");
}

/* A label is up to 15 lower-case letters and digits: a row name stays one
 * word of [a-z0-9_], which is what the report's parser reads. */
static int label_ok(const char* label)
{
    size_t n = strlen(label);
    return n <= 15 && strspn(label, "abcdefghijklmnopqrstuvwxyz0123456789") == n;
}

int main(int argc, char** argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "r:m:n:c:l:k:")) != -1) {
        switch (opt) {
        case 'r': s_runs = atoi(optarg); break;
        case 'm': s_file_bytes = (size_t)atoi(optarg) * MIB; break;
        case 'n': s_nfiles = atoi(optarg); break;
        case 'c': s_cases = optarg; break;
        case 'l': s_label = optarg; break;
        case 'k': s_counters = optarg; break;
        default:
            fprintf(stderr, "usage: fsbench [-r RUNS] [-m FILE_MB] [-n NFILES] [-c CASES] [-l LABEL] [-k FILE] [DIR]\n");
            return 2;
        }
    }
    if (s_runs < 1 || s_runs > MAX_RUNS || s_file_bytes < MIB || s_nfiles < 1 || s_nfiles > 99999 ||
        !label_ok(s_label)) {
        fprintf(stderr, "fsbench: RUNS 1..%d, FILE_MB >= 1, NFILES 1..99999, LABEL [a-z0-9]{0,15}\n",
                MAX_RUNS);
        return 2;
    }
    if (optind < argc)
        s_dir = argv[optind];
    snprintf(s_path, sizeof s_path, "%s/fsbench.data", s_dir);

    /* The file's two images (generations 1 and 2) are built once, before
     * any clock runs, so a write case times only write(2). */
    uint64_t* image = malloc(s_file_bytes);
    uint64_t* image2 = malloc(s_file_bytes);
    uint64_t* chunk = malloc(MIB);
    if (!image || !image2 || !chunk)
        fail("malloc");
    fill_chunk(image, s_file_bytes, 0, 1);
    fill_chunk(image2, s_file_bytes, 0, 2);

    printf("fsbench: dir %s%s%s, file %zu MiB, %d files, median of %d runs\n", s_dir,
           *s_label ? ", label " : "", s_label, s_file_bytes / MIB, s_nfiles, s_runs);
    bench_data_path(image, image2, chunk);
    bench_metadata();
    return 0;
}
