/* user/tests/swap_test.c -- swap and the page daemon, on a guest with little memory.
 *
 * Runs in its own boot (scripts/run-swap-tests.sh: MEM=128M, a virtio swap
 * disk seen as /dev/vda), after the boot's script has done
 * `mkswap /dev/vda && swapon /dev/vda` (user/tests/run-swap.sh). Not part
 * of the ordinary user-test boot, which has neither the disk nor so little
 * memory. Runs unchanged on Linux:
 *
 *   MEM=128M scripts/linux-ref --swap-disk 2G --add build/user/tests/swap_test \
 *       -- sh -c 'mkswap /dev/vda && swapon /dev/vda && /bin/swap_test'
 *
 * What the cases show (sizes are multiples of MemTotal, so the same test
 * fits any guest; "memory" below means MemTotal):
 *   - the swapon(2)/swapoff(2) argument checks, with Linux's errnos;
 *   - sweep: one process writes 3x memory of anonymous pages, each page
 *     holding its index and a seed, and reads every byte back; swap was
 *     used (SwapFree fell, pswpout and pswpin rose, the process had major
 *     faults), and once it has exited its swap slots and its memory are
 *     free again;
 *   - fork: a child reads a swapped parent's pages (copy-on-write pages
 *     shared with swap), rewrites half, and the parent's copy is unchanged;
 *   - several: three processes of 1x memory each at once;
 *   - tmpfs: 2x memory of file data on a fresh tmpfs goes to swap and
 *     comes back byte for byte; deleting the files frees slots and memory;
 *   - swapoff of a busy device: with room, it pages everything back in;
 *     without room it fails (ENOMEM, or Linux's way: see below), the
 *     device stays on and no byte is lost;
 *   - OOM: with swap off, a process that touches 2x memory is killed by
 *     SIGKILL and its parent lives on.
 * Each heavy case prints how long it took ("swap: sweep... took 12.3 s").
 *
 * What the kernel must provide: swapon/swapoff (167/168); /proc/meminfo's
 * MemTotal, MemFree, SwapTotal, SwapFree; /proc/vmstat's pswpin, pswpout;
 * wait4's ru_majflt; an OOM killer that sends SIGKILL.
 *
 * Why SwapFree and MemFree are compared with a margin (MemTotal/16), not
 * exactly: while a case pushes memory out, the pages of every other
 * process (this suite's parent, the shell, init) may go to swap too and
 * stay there, and on Linux a swapped-in page may keep its slot (the swap
 * cache). The margin is small beside what a case pushes out (2x memory and
 * more), so slots or pages a dead process failed to give back still show.
 *
 * Big mappings use MAP_NORESERVE: Linux's default overcommit refuses one
 * mapping larger than memory plus swap (the OOM case has no swap), and
 * the point here is what happens on touch, not at mmap.
 *
 * Read more: docs/testing.md ("The low-memory swap stage"), docs/pageout.md.
 */
#include "harness.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "swap_helpers.h"

/* ---- swapon(2), swapoff(2): the argument checks ---- */

TEST_CASE(swapon_bad_pointer_is_efault)
{
    EXPECT_ERRNO(sys_swapon((const char*)1, 0), EFAULT);
}

TEST_CASE(swapoff_bad_pointer_is_efault)
{
    EXPECT_ERRNO(sys_swapoff((const char*)1), EFAULT);
}

TEST_CASE(swapon_nonexistent_path_is_enoent)
{
    EXPECT_ERRNO(sys_swapon("/swap_test.no.such.file", 0), ENOENT);
}

TEST_CASE(swapoff_nonexistent_path_is_enoent)
{
    EXPECT_ERRNO(sys_swapoff("/swap_test.no.such.file"), ENOENT);
}

/* Flags beyond Linux's SWAP_FLAGS_VALID (priority, prefer, the discard
 * flags: 0x7ffff) are EINVAL, checked before anything else
 * (mm/swapfile.c). */
TEST_CASE(swapon_unknown_flag_is_einval)
{
    EXPECT_ERRNO(sys_swapon(SWAP_DEVICE, 0x80000), EINVAL);
}

/* Neither a block device nor a regular file: EINVAL (swapon(2)). */
TEST_CASE(swapon_char_device_is_einval)
{
    EXPECT_ERRNO(sys_swapon("/dev/null", 0), EINVAL);
}

/* A regular file without the "SWAPSPACE2" signature: EINVAL (on Linux,
 * a file on tmpfs is EINVAL anyway; the header is what both check). */
TEST_CASE(swapon_file_without_header_is_einval)
{
    int fd = open(s_file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd >= 0);
    static char zeros[16 * PAGE];
    EXPECT_EQ(write(fd, zeros, sizeof zeros), (long)sizeof zeros);
    close(fd);
    EXPECT_ERRNO(sys_swapon(s_file, 0), EINVAL);
    unlink(s_file); /* or SUITE_TEARDOWN, after a failure */
}

/* The swap device itself with its signature wiped: swapoff it, zero the
 * signature, swapon is EINVAL; put the signature back, swapon works. So
 * swapon reads the header, and swapoff leaves it as it was. */
TEST_CASE(swapon_device_without_header_is_einval)
{
    require_swap();
    EXPECT_EQ(sys_swapoff(SWAP_DEVICE), 0);
    long long total_off = meminfo("SwapTotal");
    /* Whole pages: a block device need not take a 10-byte write. */
    static char page0[PAGE], wiped_page[PAGE];
    int fd = open(SWAP_DEVICE, O_RDWR | O_CLOEXEC);
    long got = fd < 0 ? -1 : pread(fd, page0, PAGE, 0);
    int had_magic = got == PAGE && memcmp(page0 + SWAP_MAGIC_OFFSET, SWAP_MAGIC, 10) == 0;
    long wiped = -1, on_without = 0, without_errno = 0, restored = -1, on_again = -1;
    if (had_magic) {
        memcpy(wiped_page, page0, PAGE);
        memset(wiped_page + SWAP_MAGIC_OFFSET, 0, 10);
        wiped = pwrite(fd, wiped_page, PAGE, 0);
        fsync(fd);
        errno = 0;
        on_without = sys_swapon(SWAP_DEVICE, 0);
        without_errno = errno;
        restored = pwrite(fd, page0, PAGE, 0);
        fsync(fd);
    }
    if (fd >= 0)
        close(fd);
    /* Swap back on before any verdict: the later cases need it. */
    if (meminfo("SwapTotal") == 0)
        on_again = sys_swapon(SWAP_DEVICE, 0);
    EXPECT_EQ(total_off, 0);
    EXPECT(fd >= 0);
    EXPECT_EQ(got, PAGE);
    EXPECT(had_magic); /* mkswap wrote it */
    EXPECT_EQ(wiped, PAGE);
    EXPECT_EQ(on_without, -1);
    EXPECT_EQ(without_errno, EINVAL);
    EXPECT_EQ(restored, PAGE);
    EXPECT_EQ(on_again, 0);
    EXPECT(meminfo("SwapTotal") > 0);
}

TEST_CASE(swapon_twice_is_ebusy)
{
    require_swap();
    long long total = meminfo("SwapTotal");
    EXPECT_ERRNO(sys_swapon(SWAP_DEVICE, 0), EBUSY);
    EXPECT_EQ(meminfo("SwapTotal"), total);
}

/* A path that is not an active swap area: EINVAL (swapoff(2)). */
/* While a disk is swap, its pages are the kernel's: write(2) to its node
 * is ETXTBSY, as on Linux (blkdev_write_iter), and the disk is unchanged. */
TEST_CASE(writing_to_the_swap_device_is_etxtbsy)
{
    require_swap();
    int fd = open(SWAP_DEVICE, O_RDWR);
    EXPECT(fd >= 0);
    static char page[PAGE];
    memset(page, 0x5a, sizeof page);
    errno = 0;
    EXPECT_EQ(pwrite(fd, page, sizeof page, 0), -1);
    EXPECT_EQ(errno, ETXTBSY);
    EXPECT_EQ(pread(fd, page, sizeof page, 0), (long)sizeof page); /* reading is allowed */
    EXPECT(memcmp(page + PAGE - 10, "SWAPSPACE2", 10) == 0);     /* the header is intact */
    close(fd);
}

TEST_CASE(swapoff_of_non_swap_is_einval)
{
    require_swap();
    EXPECT_ERRNO(sys_swapoff("/dev/null"), EINVAL);
    int fd = open(s_file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    EXPECT(fd >= 0);
    close(fd);
    EXPECT_ERRNO(sys_swapoff(s_file), EINVAL);
    unlink(s_file);
    EXPECT(meminfo("SwapTotal") > 0);
}

/* ---- anonymous memory through swap ---- */

/* What the sweeping child tells the case: SwapFree and pswpout after it
 * wrote everything (before it reads anything back). */
struct sweep_midway {
    long long swap_free;
    long long pswpout;
};

TEST_CASE(sweep_3x_memory)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    EXPECT(mem > 0);
    long long swap_free0 = meminfo("SwapFree"), mem_free0 = meminfo("MemFree");
    long long out0 = vmstat("pswpout"), in0 = vmstat("pswpin");
    EXPECT(out0 >= 0);
    EXPECT(in0 >= 0);
    size_t pages = (size_t)(3 * mem / PAGE);
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    EXPECT(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        uint64_t* p = map_anon(pages * PAGE);
        if (!p)
            _exit(CHILD_NO_MEMORY);
        fill(p, pages, 0, 1, 0x5eed);
        struct sweep_midway mid = {meminfo("SwapFree"), vmstat("pswpout")};
        if (write(fds[1], &mid, sizeof mid) != sizeof mid)
            _exit(CHILD_PIPE);
        _exit(verify(p, pages, 0x5eed, 0x5eed, "sweep") ? CHILD_OK : CHILD_BAD_DATA);
    }
    close(fds[1]);
    struct sweep_midway mid = {-1, -1};
    long got = read(fds[0], &mid, sizeof mid);
    close(fds[0]);
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    expect_child_ok(pid, "the sweeping child", &usage);
    EXPECT_EQ(got, (long)sizeof mid);
    /* 3x memory written, at most 1x resident: 2x is on swap; ask for 1x. */
    EXPECT(mid.swap_free <= swap_free0 - mem);
    EXPECT(mid.pswpout >= out0 + mem / PAGE);
    EXPECT(vmstat("pswpin") > in0);   /* reading back brought pages in */
    EXPECT(usage.ru_majflt > 0);      /* ... by major faults of that child */
    expect_all_back(swap_free0, mem_free0);
    char note[160];
    snprintf(note, sizeof note, "%lld MiB written and read back, %lld pages out, %lld in, %ld major faults",
             3 * mem >> 20, vmstat("pswpout") - out0, vmstat("pswpin") - in0, usage.ru_majflt);
    report_time(note);
}

/* The parent fills 1.5x memory and forks: the child sees the parent's
 * pages (shared copy-on-write, many of them on swap), rewrites the odd
 * ones, and checks both halves; then the parent's copy must be unchanged. */
TEST_CASE(fork_shares_swapped_pages)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    long long swap_free0 = meminfo("SwapFree"), mem_free0 = meminfo("MemFree");
    size_t pages = (size_t)(3 * mem / 2 / PAGE);
    pid_t holder = fork();
    EXPECT(holder >= 0);
    if (holder == 0) {
        /* The parent of this case's story, in its own process so that the
         * case can check that everything comes back when it is gone. */
        uint64_t* p = map_anon(pages * PAGE);
        if (!p)
            _exit(CHILD_NO_MEMORY);
        fill(p, pages, 0, 1, 0xa11ce);
        pid_t child = fork();
        if (child < 0)
            _exit(CHILD_NO_MEMORY);
        if (child == 0) {
            if (!verify(p, pages, 0xa11ce, 0xa11ce, "child, parent's pages"))
                _exit(CHILD_BAD_DATA);
            fill(p, pages, 1, 2, 0xb0b);
            _exit(verify(p, pages, 0xa11ce, 0xb0b, "child, after rewriting half") ? CHILD_OK
                                                                                   : CHILD_BAD_DATA);
        }
        int status = 0;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_OK) {
            dprintf(1, "swap: %s: the child ended with status %#x\n", harness_case_name, status);
            _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 5);
        }
        _exit(verify(p, pages, 0xa11ce, 0xa11ce, "parent, after the child") ? CHILD_OK : CHILD_BAD_DATA);
    }
    expect_child_ok(holder, "the parent or its child", 0);
    expect_all_back(swap_free0, mem_free0);
    report_time("1.5x memory shared by fork, half rewritten by the child");
}

/* Three processes of 1x memory each, all at once: each writes its own
 * seed, then reads everything back. They start together (a pipe closed
 * by the case) so that their pages compete for memory. */
TEST_CASE(three_processes_at_once)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    long long swap_free0 = meminfo("SwapFree"), mem_free0 = meminfo("MemFree");
    long long out0 = vmstat("pswpout");
    size_t pages = (size_t)(mem / PAGE);
    int go[2];
    EXPECT_EQ(pipe(go), 0);
    pid_t pids[3];
    for (int k = 0; k < 3; ++k) {
        pids[k] = fork();
        EXPECT(pids[k] >= 0);
        if (pids[k] == 0) {
            close(go[1]);
            char c;
            while (read(go[0], &c, 1) < 0 && errno == EINTR) {
            } /* end of file: go */
            uint64_t* p = map_anon(pages * PAGE);
            if (!p)
                _exit(CHILD_NO_MEMORY);
            uint64_t seed = 0x1000 + (uint64_t)k;
            fill(p, pages, 0, 1, seed);
            _exit(verify(p, pages, seed, seed, "one of three") ? CHILD_OK : CHILD_BAD_DATA);
        }
    }
    close(go[0]);
    close(go[1]);
    expect_child_ok(pids[0], "process 1 of 3", 0);
    expect_child_ok(pids[1], "process 2 of 3", 0);
    expect_child_ok(pids[2], "process 3 of 3", 0);
    EXPECT(vmstat("pswpout") > out0);
    expect_all_back(swap_free0, mem_free0);
    report_time("3 processes of 1x memory each");
}

/* ---- tmpfs file data through swap ---- */

/* Files totalling 2x memory on a fresh tmpfs (its size= set above that:
 * Linux's default is half of memory): all written, then all read back,
 * checksums and every word compared; then deleted, and swap slots and
 * memory come back. */
TEST_CASE(tmpfs_files_2x_memory)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    size_t file_bytes = (size_t)(2 * mem / TMPFS_FILES) / IO_CHUNK * IO_CHUNK;
    EXPECT_EQ(mkdir(s_mnt, 0700), 0);
    char options[64];
    snprintf(options, sizeof options, "size=%lldk", 3 * mem / 1024);
    EXPECT_EQ(mount("swap_test", s_mnt, "tmpfs", 0, options), 0);
    long long swap_free0 = meminfo("SwapFree"), mem_free0 = meminfo("MemFree");
    long long out0 = vmstat("pswpout");
    char paths[TMPFS_FILES][340];
    uint64_t sums[TMPFS_FILES];
    for (int k = 0; k < TMPFS_FILES; ++k) {
        snprintf(paths[k], sizeof paths[k], "%s/f%d", s_mnt, k);
        sums[k] = write_file(k, file_bytes, paths[k]);
        if (sums[k] == 0) {
            char why[200];
            snprintf(why, sizeof why, "writing file %d failed: %s", k, harness_errno_name(errno));
            harness_fail(__FILE__, __LINE__, why);
        }
    }
    long long swap_free_full = meminfo("SwapFree");
    for (int k = 0; k < TMPFS_FILES; ++k) {
        int exact = 0;
        uint64_t sum = read_file(k, file_bytes, paths[k], &exact);
        if (sum != sums[k] || !exact) {
            char why[200];
            snprintf(why, sizeof why, "file %d read back wrong: checksum %#llx, written %#llx%s", k,
                     (unsigned long long)sum, (unsigned long long)sums[k],
                     exact ? "" : ", words differ from the pattern");
            harness_fail(__FILE__, __LINE__, why);
        }
    }
    /* 2x memory of files, at most 1x resident: 1x on swap; ask for half. */
    EXPECT(swap_free_full <= swap_free0 - mem / 2);
    EXPECT(vmstat("pswpout") > out0);
    for (int k = 0; k < TMPFS_FILES; ++k)
        EXPECT_EQ(unlink(paths[k]), 0);
    expect_all_back(swap_free0, mem_free0);
    EXPECT_EQ(umount(s_mnt), 0);
    EXPECT_EQ(rmdir(s_mnt), 0);
    char note[120];
    snprintf(note, sizeof note, "%d files, %lld MiB, written and read back", TMPFS_FILES,
             (long long)file_bytes * TMPFS_FILES >> 20);
    report_time(note);
}

/* ---- swapoff of a busy device ---- */

/* A child holding `pages` of pattern `seed`: it maps and fills them,
 * sends a byte on `ready`, waits for a byte on `go`, reads everything
 * back and exits CHILD_OK or CHILD_BAD_DATA. */
static pid_t start_holder(size_t pages, uint64_t seed, int ready[2], int go[2])
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    close(ready[0]);
    close(go[1]);
    uint64_t* p = map_anon(pages * PAGE);
    if (!p)
        _exit(CHILD_NO_MEMORY);
    fill(p, pages, 0, 1, seed);
    send_byte(ready[1]);
    if (!wait_byte(go[0]))
        _exit(CHILD_PIPE);
    _exit(verify(p, pages, seed, seed, "holder") ? CHILD_OK : CHILD_BAD_DATA);
}

/* Room for it all: a holder of 0.5x memory is pushed out by a second
 * process of 1x memory that then exits; swapoff pages the holder back in
 * and succeeds, the holder's bytes are intact, and swapon works again. */
TEST_CASE(swapoff_busy_device_with_room)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    int ready[2], go[2];
    EXPECT_EQ(pipe(ready), 0);
    EXPECT_EQ(pipe(go), 0);
    pid_t holder = start_holder((size_t)(mem / 2 / PAGE), 0xd00d, ready, go);
    EXPECT(holder >= 0);
    close(ready[1]);
    close(go[0]);
    EXPECT(wait_byte(ready[0]));
    push_memory_out(mem, 0xfeed, "the pressure process");
    long long used = meminfo("SwapTotal") - meminfo("SwapFree");
    long off = sys_swapoff(SWAP_DEVICE);
    int off_errno = errno;
    long long total_off = meminfo("SwapTotal");
    send_byte(go[1]);
    int status = 0;
    pid_t got = waitpid(holder, &status, 0);
    long on = sys_swapon(SWAP_DEVICE, 0); /* back on before any verdict */
    int on_errno = errno;
    EXPECT_OK(off, off_errno, "swapoff(" SWAP_DEVICE ")");
    EXPECT(used >= mem / 8); /* the holder's pages were on swap */
    EXPECT_EQ(total_off, 0);
    EXPECT_EQ(got, holder);
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OK))
        harness_fail_eq(__FILE__, __LINE__, "holder's wait status", "exit 0", status, 0);
    EXPECT_OK(on, on_errno, "swapon(" SWAP_DEVICE ") after it");
    EXPECT(meminfo("SwapTotal") > 0);
    char note[120];
    snprintf(note, sizeof note, "%lld MiB on swap when swapoff paged it in", used >> 20);
    report_time(note);
}

/* No room: a holder of 1.5x memory has at least 0.5x on swap, which
 * cannot all come back. swapoff must fail and leave the device on, and
 * the holder must still read every byte. Its way of failing differs:
 * teachos returns ENOMEM; Linux (mm/swapfile.c, try_to_unuse) pages in
 * until memory runs out, and its OOM killer then picks the process
 * calling swapoff first (swapoff marks it "oom origin"): SIGKILL, after
 * which the device is put back as it was. The case takes either; it
 * calls swapoff from a child of its own so that the kill is visible. */
TEST_CASE(swapoff_busy_device_without_room)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    long long total = meminfo("SwapTotal");
    int ready[2], go[2];
    EXPECT_EQ(pipe(ready), 0);
    EXPECT_EQ(pipe(go), 0);
    pid_t holder = start_holder((size_t)(3 * mem / 2 / PAGE), 0xbeef, ready, go);
    EXPECT(holder >= 0);
    close(ready[1]);
    close(go[0]);
    EXPECT(wait_byte(ready[0]));
    long long used = total - meminfo("SwapFree");
    pid_t caller = fork();
    EXPECT(caller >= 0);
    if (caller == 0) {
        long r = sys_swapoff(SWAP_DEVICE);
        _exit(r == 0 ? 0 : errno == ENOMEM ? 10 : 20);
    }
    int cstatus = 0;
    while (waitpid(caller, &cstatus, 0) < 0 && errno == EINTR) {
    }
    long long total_after = meminfo("SwapTotal");
    long restore = total_after == 0 ? sys_swapon(SWAP_DEVICE, 0) : 0; /* if it wrongly went off */
    send_byte(go[1]);
    expect_child_ok(holder, "the holder", 0);
    EXPECT(used >= mem / 2 - mem / 16); /* it could not fit: ~0.5x on swap */
    int enomem = WIFEXITED(cstatus) && WEXITSTATUS(cstatus) == 10;
    int killed = WIFSIGNALED(cstatus) && WTERMSIG(cstatus) == SIGKILL;
    if (!enomem && !killed)
        harness_fail_eq(__FILE__, __LINE__, "swapoff's caller's status (exit 0: it succeeded, 20: other errno)",
                        "exit 10 (ENOMEM) or SIGKILL", WIFEXITED(cstatus) ? WEXITSTATUS(cstatus) : -WTERMSIG(cstatus),
                        10);
    EXPECT_EQ(total_after, total); /* the device stayed on, whole */
    EXPECT_EQ(restore, 0);
    EXPECT_ERRNO(sys_swapon(SWAP_DEVICE, 0), EBUSY); /* still on */
    char note[160];
    snprintf(note, sizeof note, "%lld MiB on swap; swapoff %s", used >> 20,
             enomem ? "failed with ENOMEM" : "caller killed by SIGKILL");
    report_time(note);
}

/* ---- out of memory ---- */

/* ---- MFS over pageable memory ---- */

/* The resident set of process `pid` in bytes: the sum of its smaps' Rss
 * lines (/proc/<pid>/smaps), or -1. */
static long long rss_of(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
    FILE* f = fopen(path, "r");
    if (!f)
        return -1;
    long long kb = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Rss:", 4) == 0)
            kb += strtoll(line + 4, 0, 10);
    fclose(f);
    return kb * 1024;
}

/* The pid of the process named `name` (/proc/<pid>/stat's comm), or -1. */
static pid_t find_process(const char* name)
{
    DIR* d = opendir("/proc");
    if (!d)
        return -1;
    pid_t found = -1;
    struct dirent* e;
    char want[64];
    snprintf(want, sizeof want, "(%s)", name);
    while (found < 0 && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], line[128] = "";
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE* f = fopen(path, "r");
        if (!f)
            continue;
        if (fgets(line, sizeof line, f) && strstr(line, want))
            found = (pid_t)atoi(e->d_name);
        fclose(f);
    }
    closedir(d);
    return found;
}

/* The MFS paper's claim: the file system's memory is ordinary pageable
 * memory. Files written to an MFS mount, then a process that touches 2x
 * memory: the server's pages go to swap (its resident set falls), and
 * after the caches are dropped -- so every block comes from the server --
 * the files still read back exactly. (teachos only: Linux has no MFS.) */
TEST_CASE(mfs_server_paged_out)
{
    begin(300);
    require_swap();
    if (!harness_on_teachos()) {
        report_time("not run: Linux has no MFS");
        return;
    }
    long long mem = meminfo("MemTotal");
    const char* dir = "/tmp/swap_test.mfs";
    EXPECT_EQ(mkdir(dir, 0700), 0);
    char size[32];
    snprintf(size, sizeof size, "%lldm", (mem / 2) >> 20);
    pid_t mounter = fork();
    if (mounter == 0) {
        execl("/sbin/mount_mfs", "mount_mfs", "-s", size, dir, (char*)0);
        _exit(127);
    }
    int status = -1;
    while (waitpid(mounter, &status, 0) < 0 && errno == EINTR) {
    }
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    pid_t server = find_process("mount_mfs");
    EXPECT(server > 0);
    enum { FILES = 4 };
    size_t bytes = (size_t)(mem / 4 / FILES) / IO_CHUNK * IO_CHUNK;
    char paths[FILES][64];
    uint64_t sums[FILES];
    for (int k = 0; k < FILES; ++k) {
        snprintf(paths[k], sizeof paths[k], "%s/f%d", dir, k);
        sums[k] = write_file(100 + k, bytes, paths[k]);
        EXPECT(sums[k] != 0);
    }
    sync(); /* every block is in the server's memory now */
    long long rss_before = rss_of(server), out0 = vmstat("pswpout");
    push_memory_out(2 * mem, 0xbeef, "the child that pushes memory out");
    long long rss_after = rss_of(server);
    EXPECT(rss_before > 0);
    EXPECT(rss_after >= 0 && rss_after < rss_before / 2); /* the server was paged out */
    EXPECT(vmstat("pswpout") > out0);
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    EXPECT(fd >= 0 && write(fd, "3", 1) == 1);
    if (fd >= 0)
        close(fd);
    for (int k = 0; k < FILES; ++k) {
        int exact = 0;
        uint64_t sum = read_file(100 + k, bytes, paths[k], &exact);
        EXPECT(sum == sums[k] && exact);
        EXPECT_EQ(unlink(paths[k]), 0);
    }
    EXPECT_EQ(umount(dir), 0);
    EXPECT_EQ(rmdir(dir), 0);
    char note[160];
    snprintf(note, sizeof note, "%d MiB of files; server resident %lld KiB before the push, %lld after",
             (int)((bytes * FILES) >> 20), rss_before >> 10, rss_after >> 10);
    report_time(note);
}

/* With swap off, a process that touches 2x memory cannot have it: it is
 * killed by SIGKILL (the OOM killer: it is the largest process), and this
 * process, its parent, lives on to say so. Swap goes back on. */
TEST_CASE(oom_kills_the_big_process)
{
    begin(300);
    require_swap();
    long long mem = meminfo("MemTotal");
    long off = sys_swapoff(SWAP_DEVICE);
    int off_errno = errno;
    pid_t pid = -1;
    int status = 0;
    if (off == 0) {
        pid = fork();
        if (pid == 0) {
            size_t pages = (size_t)(2 * mem / PAGE);
            volatile char* p = map_anon(pages * PAGE);
            if (!p)
                _exit(CHILD_NO_MEMORY);
            for (size_t i = 0; i < pages; ++i)
                p[i * PAGE] = 1;
            _exit(CHILD_OK); /* it had it all: wrong */
        }
        if (pid > 0)
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
    }
    long on = sys_swapon(SWAP_DEVICE, 0); /* back on before any verdict */
    int on_errno = errno;
    EXPECT_OK(off, off_errno, "swapoff(" SWAP_DEVICE ")");
    EXPECT(pid > 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
        harness_fail_eq(__FILE__, __LINE__, "the big child's end (exit status, or -signal)", "-SIGKILL",
                        WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), -SIGKILL);
    EXPECT_OK(on, on_errno, "swapon(" SWAP_DEVICE ") after it");
    EXPECT(meminfo("SwapTotal") > 0);
    report_time("2x memory without swap: SIGKILL");
}

/* What a failed case left behind goes (the file, the tmpfs mount). And
 * the suite's parent may have had pages pushed out by the cases: touch
 * them back in before the harness's leak check reads free memory again
 * (it compares with the reading taken when all of them were in). */
SUITE_TEARDOWN
{
    unlink(s_file);
    harness_remove_tree(s_mnt); /* the files; the mount point is busy */
    umount(s_mnt);
    rmdir(s_mnt);
    harness_touch_stack();
    harness_touch_program();
    if (harness_reported)
        (void)*harness_reported;
}

int main(void)
{
    harness_leak_up_is_ok = 1; /* see harness.h: the cases page the rest of the machine out */
    snprintf(s_file, sizeof s_file, "%s/swap_test.%d", test_dir(), (int)getpid());
    snprintf(s_mnt, sizeof s_mnt, "%s/swap_test.%d.tmpfs", test_dir(), (int)getpid());
    return run_suite("swap");
}
