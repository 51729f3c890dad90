/* user/bench/swapbench.c -- paging to swap, the same binary on teachos and on Linux.
 *
 * One portable program (`musl-gcc -static`; scripts/bench.sh's swap pass
 * runs it on both kernels in the same QEMU, each booted with the same
 * memory and a swap disk; docs/bench.md, issue 13's "Performance"). Sizes
 * are relative to the kernel's own MemTotal (/proc/meminfo), so that on
 * each kernel the sweep is MULT times what that kernel can hold:
 *
 *   sweep_write    mmap MULT x MemTotal (default 3x) MAP_PRIVATE|
 *                  MAP_ANONYMOUS and write every page in order: the first
 *                  MemTotal's worth fills memory, the rest goes through the
 *                  page daemon -- every later page pushes an older one out
 *                  to swap (sequential page-out), MB/s of the region;
 *   sweep_read     read every page again in order and check it: each page
 *                  comes back from swap (sequential page-in, with whatever
 *                  read-around the kernel does) and pushes another out, MB/s;
 *   sweep_total    the two together, seconds: the "3x-memory sweep" whose
 *                  goal (docs/pageout.md) is within 1.5x of Linux's time;
 *   random_pagein  then N pages (default 20000) at random (a fixed-seed
 *                  generator: the same pages on every kernel and run) read
 *                  and checked: page-ins with no order to help, pages/s;
 *   memtotal, region  the sizes used (MiB), to read the rest by;
 *   pswpout, pswpin   /proc/vmstat's counters, the sweep's and the random
 *                  touches' deltas together (pages): how much went to swap
 *                  and back. No /proc/vmstat: no such rows, and a note.
 *
 * One line per figure, as fsbench and ubench print them (one run each: a
 * sweep takes minutes under emulation; the report's medians are over boots):
 *
 *   swapbench sweep_write 41.3 MB/s
 *
 * Each page gets two words (its first and its last) that are a function of
 * its index; the read sweep and the random touches check both, so no
 * figure can be fast by being wrong: a mismatch prints "swapbench: FAIL
 * ..." and exits 1. Writing two words, not the whole page, keeps the
 * emulated CPU's share small: the figures are the kernel's paging, not
 * memset under TCG (and no page is all zeros, which a kernel may keep
 * without writing it out).
 *
 * Usage: swapbench [-x MULT] [-n NPAGES]
 *
 * Sources: the method of the classic "touch more than memory" tests
 * (e.g. LTP's mtest01, the mmtests usemem workload); our own code.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB (1024.0 * 1024.0)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void fail(const char* what, size_t page)
{
    printf("swapbench: FAIL %s (page %zu: wrong data)\n", what, page);
    exit(1);
}

/* The value of page `page`'s first word (its last is its complement). */
static uint64_t pattern_word(size_t page)
{
    return (page + 1) * 0x9e3779b97f4a7c15ULL;
}

/* The value of NAME in a "NAME VALUE" or "NAME: VALUE kB" file, or -1. */
static long long read_field(const char* file, const char* name)
{
    FILE* f = fopen(file, "r");
    if (!f)
        return -1;
    char line[256];
    long long value = -1;
    size_t len = strlen(name);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, len) == 0 && (line[len] == ' ' || line[len] == ':')) {
            value = strtoll(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

static void check_page(const uint64_t* words, size_t page, const char* what)
{
    const uint64_t* p = words + page * (PAGE / 8);
    if (p[0] != pattern_word(page) || p[PAGE / 8 - 1] != ~pattern_word(page))
        fail(what, page);
}

int main(int argc, char** argv)
{
    double mult = 3.0;
    long npages_random = 20000;
    int opt;
    while ((opt = getopt(argc, argv, "x:n:")) != -1) {
        if (opt == 'x')
            mult = atof(optarg);
        else if (opt == 'n')
            npages_random = atol(optarg);
        else {
            fprintf(stderr, "usage: %s [-x MULT] [-n NPAGES]\n", argv[0]);
            return 2;
        }
    }
    if (mult <= 0 || mult > 64 || npages_random < 0) {
        fprintf(stderr, "swapbench: MULT must be in (0, 64], NPAGES at least 0\n");
        return 2;
    }
    long long memtotal_kb = read_field("/proc/meminfo", "MemTotal");
    if (memtotal_kb <= 0) {
        printf("swapbench: FAIL no MemTotal in /proc/meminfo\n");
        return 1;
    }
    size_t pages = (size_t)(memtotal_kb * 1024.0 * mult / PAGE);
    size_t bytes = pages * PAGE;
    long long out0 = read_field("/proc/vmstat", "pswpout");
    long long in0 = read_field("/proc/vmstat", "pswpin");
    printf("swapbench: MemTotal %lld kB, region %.1f MiB (%.2fx), %zu pages, %ld random page-ins\n",
           memtotal_kb, bytes / MIB, mult, pages, npages_random);
    fflush(stdout);

    uint64_t* words = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (words == MAP_FAILED) {
        printf("swapbench: FAIL mmap of %zu bytes\n", bytes);
        return 1;
    }

    double t0 = now_s();
    for (size_t page = 0; page < pages; page++) {
        uint64_t* p = words + page * (PAGE / 8);
        p[0] = pattern_word(page);
        p[PAGE / 8 - 1] = ~pattern_word(page);
    }
    double t1 = now_s();
    for (size_t page = 0; page < pages; page++)
        check_page(words, page, "sweep_read");
    double t2 = now_s();

    uint64_t seed = 12345;
    for (long i = 0; i < npages_random; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        check_page(words, (size_t)((seed >> 33) % pages), "random_pagein");
    }
    double t3 = now_s();
    long long out1 = read_field("/proc/vmstat", "pswpout");
    long long in1 = read_field("/proc/vmstat", "pswpin");

    printf("swapbench memtotal %.1f MiB\n", memtotal_kb / 1024.0);
    printf("swapbench region %.1f MiB\n", bytes / MIB);
    printf("swapbench sweep_write %.1f MB/s\n", bytes / 1e6 / (t1 - t0));
    printf("swapbench sweep_read %.1f MB/s\n", bytes / 1e6 / (t2 - t1));
    printf("swapbench sweep_total %.2f s\n", t2 - t0);
    if (npages_random > 0)
        printf("swapbench random_pagein %.1f pages/s\n", npages_random / (t3 - t2));
    if (out0 >= 0 && in0 >= 0 && out1 >= 0 && in1 >= 0) {
        printf("swapbench pswpout %lld pages\n", out1 - out0);
        printf("swapbench pswpin %lld pages\n", in1 - in0);
    } else {
        printf("swapbench: note no pswpout/pswpin in /proc/vmstat\n");
    }
    munmap(words, bytes);
    return 0;
}
